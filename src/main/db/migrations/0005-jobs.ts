/**
 * 0005: one table for every outgoing job that is not a punch (face registrations, face revocations,
 * and whatever comes next), and the two JSON queues kept in kiosk_meta until now moved into it:
 * `enrol.pending_registrations` (staff id -> sealed registration) and
 * `privacy.pending_face_revocations` (staff ids). Jobs run in `seq` order per `subject` (a person).
 *
 * The sealed registrations are moved as they are (`legacy-registration`): this migration has no
 * key; the ciphertext migration (src/main/upgrade/ciphertext-migration.ts) re-seals them when the
 * kiosk starts. A queue record that cannot be read is left in kiosk_meta untouched.
 */
import crypto from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { Migration } from './index';

/** The attempt limit of the moved jobs (the job types' default at the time of this migration). */
const MOVED_JOB_MAX_ATTEMPTS = 30;

interface MetaRow {
  value: string;
  updated_at: string;
}

function readQueue(db: Database, key: string): { parsed: unknown; at: string } | null {
  const row = db.prepare<[string], MetaRow>('SELECT value, updated_at FROM kiosk_meta WHERE key = ?').get(key);
  if (!row) return null;
  try {
    return { parsed: JSON.parse(row.value) as unknown, at: row.updated_at };
  } catch {
    return null;
  }
}

const isStaffId = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value > 0;

export const migration0005: Migration = {
  version: 5,
  name: 'jobs',
  up(db) {
    db.exec(`
      CREATE TABLE jobs (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        subject TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'waiting' CHECK (state IN ('waiting','running','failed')),
        payload BLOB NOT NULL,
        payload_format TEXT NOT NULL CHECK (payload_format IN ('json','sealed','legacy-registration')),
        attempts INTEGER NOT NULL DEFAULT 0,
        max_attempts INTEGER NOT NULL,
        last_error TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX jobs_state ON jobs (state, seq);
      CREATE INDEX jobs_subject ON jobs (subject, seq);
    `);
    const insert = db.prepare<[string, string, string, Buffer, string, number, string, string]>(
      `INSERT INTO jobs (id, kind, subject, payload, payload_format, max_attempts, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const remove = db.prepare<[string]>('DELETE FROM kiosk_meta WHERE key = ?');
    const add = (kind: string, staffId: number, payload: object, format: string, at: string): void => {
      insert.run(crypto.randomUUID(), kind, `staff:${staffId}`, Buffer.from(JSON.stringify(payload)), format, MOVED_JOB_MAX_ATTEMPTS, at, at);
    };

    // Registrations first: where a person has both, the revocation must come last, so the face does
    // not stay registered on HotelMate.
    const registrations = readQueue(db, 'enrol.pending_registrations');
    if (registrations && typeof registrations.parsed === 'object' && registrations.parsed !== null && !Array.isArray(registrations.parsed)) {
      for (const [staffIdText, sealed] of Object.entries(registrations.parsed)) {
        const staffId = Number(staffIdText);
        if (isStaffId(staffId) && typeof sealed === 'string') add('face.register', staffId, { staffId, sealed }, 'legacy-registration', registrations.at);
      }
      remove.run('enrol.pending_registrations');
    }
    const revocations = readQueue(db, 'privacy.pending_face_revocations');
    if (revocations && Array.isArray(revocations.parsed)) {
      for (const staffId of new Set(revocations.parsed.filter(isStaffId))) add('face.revoke', staffId, { staffId }, 'json', revocations.at);
      remove.run('privacy.pending_face_revocations');
    }
  },
};
