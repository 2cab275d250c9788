/**
 * Migration 0005 on a database written by the previous kiosk (tests/support/legacy-db): the two JSON
 * queues of kiosk_meta become jobs, nothing lost, in an order that keeps a revocation after the
 * registration of the same person; everything else is left alone.
 */
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/main/db/database';
import { getMeta, setMeta } from '../../../src/main/db/meta';
import { MIGRATIONS } from '../../../src/main/db/migrations';
import { copyLegacyDatabase } from '../../support/legacy-db';
import { makeTempDir } from '../../support/temp-dir';

interface JobRow {
  kind: string;
  subject: string;
  state: string;
  payload: Buffer;
  payload_format: string;
  attempts: number;
  max_attempts: number;
  created_at: string;
}

function metaOf(file: string): Record<string, string> {
  const raw = new BetterSqlite3(file, { readonly: true });
  const rows = raw.prepare('SELECT key, value FROM kiosk_meta').all() as { key: string; value: string }[];
  raw.close();
  return Object.fromEntries(rows.map((r) => [r.key, r.value]));
}

describe('migration 0005: the jobs table', () => {
  it('moves the queued registrations and revocations of a database written by the previous kiosk, nothing lost', () => {
    const file = copyLegacyDatabase();
    const before = metaOf(file);
    const queuedRegistrations = JSON.parse(before['enrol.pending_registrations'] ?? '{}') as Record<string, string>;
    expect(Object.keys(queuedRegistrations)).toEqual(['11', '14']);
    expect(before['privacy.pending_face_revocations']).toBe('[15,16]');

    const db = openDatabase({ file });
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    const jobs = db.prepare('SELECT kind, subject, state, payload, payload_format, attempts, max_attempts, created_at FROM jobs ORDER BY seq').all() as JobRow[];
    expect(jobs.map((j) => [j.kind, j.subject, j.state, j.payload_format, j.attempts, j.max_attempts, j.created_at])).toEqual([
      ['face.register', 'staff:11', 'waiting', 'legacy-registration', 0, 30, '2026-04-01T08:03:01.000Z'],
      ['face.register', 'staff:14', 'waiting', 'legacy-registration', 0, 30, '2026-04-01T08:03:01.000Z'],
      ['face.revoke', 'staff:15', 'waiting', 'json', 0, 30, '2026-04-01T08:03:01.000Z'],
      ['face.revoke', 'staff:16', 'waiting', 'json', 0, 30, '2026-04-01T08:03:01.000Z'],
    ]);
    // The sealed registrations are carried over byte for byte (re-sealed later, when the key is at hand).
    expect(jobs.slice(0, 2).map((j) => JSON.parse(j.payload.toString('utf8')))).toEqual([
      { staffId: 11, sealed: queuedRegistrations['11'] },
      { staffId: 14, sealed: queuedRegistrations['14'] },
    ]);
    expect(jobs.slice(2).map((j) => JSON.parse(j.payload.toString('utf8')))).toEqual([{ staffId: 15 }, { staffId: 16 }]);

    expect(getMeta(db, 'enrol.pending_registrations')).toBeNull();
    expect(getMeta(db, 'privacy.pending_face_revocations')).toBeNull();
    expect(getMeta(db, 'admin.failed_attempts')).toBe('2');
    expect(db.prepare('SELECT COUNT(*) AS n FROM ledger_events').get()).toEqual({ n: 4 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM face_templates').get()).toEqual({ n: 3 });
    db.close();
  });

  it("puts a person's revocation after their registration, and leaves a queue record it cannot read where it was", () => {
    const file = path.join(makeTempDir(), 'kiosk.db');
    const v4 = openDatabase({ file, migrations: MIGRATIONS.slice(0, 4) });
    const at = new Date('2026-04-02T10:00:00Z');
    setMeta(v4, 'privacy.pending_face_revocations', '[7, 7, "x", -1, 9]', at);
    setMeta(v4, 'enrol.pending_registrations', '{"7":"c2VhbGVk","oops":"x"}', at);
    v4.close();

    const db = openDatabase({ file });
    expect(db.prepare('SELECT kind, subject FROM jobs ORDER BY seq').all()).toEqual([
      { kind: 'face.register', subject: 'staff:7' },
      { kind: 'face.revoke', subject: 'staff:7' },
      { kind: 'face.revoke', subject: 'staff:9' },
    ]);
    db.close();

    const damaged = path.join(makeTempDir(), 'kiosk.db');
    const old = openDatabase({ file: damaged, migrations: MIGRATIONS.slice(0, 4) });
    setMeta(old, 'enrol.pending_registrations', '{"7": "c2Vh', at);
    old.close();
    const migrated = openDatabase({ file: damaged });
    expect(migrated.prepare('SELECT COUNT(*) AS n FROM jobs').get()).toEqual({ n: 0 });
    expect(getMeta(migrated, 'enrol.pending_registrations')).toBe('{"7": "c2Vh');
    migrated.close();
  });
});
