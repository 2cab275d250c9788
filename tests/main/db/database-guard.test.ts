/** The database guard: an empty, missing, truncated, replaced or damaged kiosk.db is refused and set aside, never replaced by an empty one. */
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/main/db/database';
import { GUARD_FILE, type GuardedOpen, openGuardedDatabase, readGuard } from '../../../src/main/db/database-guard';
import { MIGRATIONS } from '../../../src/main/db/migrations';
import { purgeSyncedPunches } from '../../../src/main/ledger/ledger-store';
import { createMemoryLogger } from '../../../src/main/logging/logger';
import { createFakeClock } from '../../support/fake-clock';
import { appendPunches, copyAsAfterPowerCut, punchIds } from '../../support/punch-data';
import { makeTempDir } from '../../support/temp-dir';

const clock = createFakeClock();
const open = (dataDir: string, hadData = false): GuardedOpen => openGuardedDatabase({ dataDir, logger: createMemoryLogger(), clock, hadData });
function opened(result: GuardedOpen): Extract<GuardedOpen, { ok: true }> {
  if (!result.ok) throw new Error(`expected the database to open: ${result.fault.kind} ${result.fault.detail}`);
  return result;
}
function refused(result: GuardedOpen): Extract<GuardedOpen, { ok: false }>['fault'] {
  if (result.ok) {
    result.db.close();
    throw new Error('expected the database to be refused');
  }
  return result.fault;
}

/** A data folder with a kiosk.db holding `punches` punches, closed. */
function kioskWith(punches: number): string {
  const dir = makeTempDir('guard-');
  const { db, guard } = opened(open(dir));
  appendPunches(db, clock, punches);
  guard.close();
  db.close();
  return dir;
}

describe('database guard', () => {
  it('a new kiosk gets an identity; every punch moves the guard file forward before the punch call returns', () => {
    const dir = makeTempDir('guard-');
    const { db, guard } = opened(open(dir));
    const first = readGuard(dir);
    expect(first).toMatchObject({ kind: 'ok', record: { databaseId: guard.databaseId, ledgerSeq: 0 } });
    appendPunches(db, clock, 3);
    expect(readGuard(dir)).toMatchObject({ kind: 'ok', record: { ledgerSeq: 3 } });
    expect(fs.statSync(path.join(dir, GUARD_FILE)).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(dir, 'kiosk.db')).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(dir, 'kiosk.db-wal')).mode & 0o777).toBe(0o600);
    db.close();
    const again = opened(open(dir));
    expect(again.guard.databaseId).toBe(guard.databaseId);
    expect(punchIds(again.db)).toHaveLength(3);
    again.db.close();
  });

  it('purging synced punches never lowers the recorded sequence (no false alarm after retention)', () => {
    const dir = kioskWith(4);
    const { db } = opened(open(dir));
    db.prepare("UPDATE ledger_events SET sync_state = 'synced', synced_at = '2000-01-01T00:00:00.000Z'").run();
    expect(purgeSyncedPunches(db, clock, 1)).toBe(4);
    db.close();
    const again = opened(open(dir));
    expect(readGuard(dir)).toMatchObject({ record: { ledgerSeq: 4 } });
    again.db.close();
  });

  it.each([
    ['0 bytes', 'missing', true, (file: string) => fs.writeFileSync(file, '')],
    ['deleted', 'missing', false, (file: string) => fs.rmSync(file)],
    ['a garbage header', 'damaged', true, (file: string) => fs.writeFileSync(file, Buffer.alloc(8192, 0x41))],
    [
      'a newer schema',
      'too_new',
      false,
      (file: string) => {
        const raw = new BetterSqlite3(file);
        raw.pragma(`user_version = ${MIGRATIONS.length + 1}`);
        raw.close();
      },
    ],
  ] as const)('kiosk.db %s: refused as %s (moved aside: %s), never started empty', (_what, kind, moved, damage) => {
    const dir = kioskWith(5);
    const file = path.join(dir, 'kiosk.db');
    damage(file);
    const fault = refused(open(dir));
    expect(fault.kind).toBe(kind);
    expect(fault.quarantined.length > 0).toBe(moved);
    if (moved) expect(fs.existsSync(file)).toBe(false);
    // and again at the next start: still refused, nothing created in its place
    if (kind !== 'too_new') expect(refused(open(dir)).kind).toBe('missing');
    expect(readGuard(dir)).toMatchObject({ record: { ledgerSeq: 5 } });
  });

  it('garbage in the middle of the file: quick_check refuses it at open, the file is set aside', () => {
    const dir = kioskWith(400);
    const file = path.join(dir, 'kiosk.db');
    const size = fs.statSync(file).size;
    const fd = fs.openSync(file, 'r+');
    fs.writeSync(fd, Buffer.alloc(4096, 0x5a), 0, 4096, Math.floor(size / 4096 / 2) * 4096);
    fs.closeSync(fd);
    const fault = refused(open(dir));
    expect(fault.kind).toBe('damaged');
    expect(fault.detail).toMatch(/quick_check|malformed|damaged/);
    expect(fault.quarantined[0]).toMatch(/kiosk\.db\.corrupt-/);
  });

  it('a file cut short (an interrupted copy, a failing disk): refused as damaged, its bytes set aside, and the message says so', () => {
    const dir = kioskWith(400);
    const file = path.join(dir, 'kiosk.db');
    fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2));
    const cut = fs.readFileSync(file);
    const fault = refused(open(dir));
    expect(fault.kind).toBe('damaged');
    expect(fault.detail).not.toMatch(/left in place/);
    expect(fs.existsSync(file)).toBe(false);
    expect(fs.readFileSync(fault.quarantined[0] as string).equals(cut)).toBe(true);
  });

  it('a kiosk.db that cannot be opened (a folder in its place) is refused as unavailable and left where it is', () => {
    const dir = kioskWith(3);
    const file = path.join(dir, 'kiosk.db');
    fs.renameSync(file, path.join(dir, 'elsewhere.db'));
    fs.mkdirSync(file);
    const fault = refused(open(dir));
    expect(fault).toMatchObject({ kind: 'unavailable', quarantined: [], detail: expect.stringMatching(/cannot be opened .*left in place/) });
    expect(fs.statSync(file).isDirectory()).toBe(true);
  });

  it('another kiosk\'s database put in its place is refused as replaced', () => {
    const dir = kioskWith(3);
    const other = kioskWith(9);
    fs.copyFileSync(path.join(other, 'kiosk.db'), path.join(dir, 'kiosk.db'));
    expect(refused(open(dir)).kind).toBe('replaced');
  });

  it('a lost WAL file (a power cut, then the -wal deleted): punches missing, refused as behind', () => {
    const dir = kioskWith(3);
    const { db } = opened(open(dir));
    appendPunches(db, clock, 6);
    const crashed = makeTempDir('guard-crash-');
    copyAsAfterPowerCut(dir, crashed);
    db.close();
    // the power cut copy, as found: every punch is there
    const intact = makeTempDir('guard-intact-');
    copyAsAfterPowerCut(crashed, intact);
    const reopened = opened(open(intact));
    expect(punchIds(reopened.db)).toHaveLength(9);
    reopened.db.close();
    // the same copy without its WAL file
    fs.rmSync(path.join(crashed, 'kiosk.db-wal'));
    const fault = refused(open(crashed));
    expect(fault.kind).toBe('behind');
    expect(fault.detail).toMatch(/up to #3, but the kiosk had saved up to #9/);
  });

  it('a kiosk with a token but no guard (before this version) whose kiosk.db is gone is refused, not started empty', () => {
    const dir = makeTempDir('guard-');
    expect(refused(open(dir, true)).kind).toBe('missing');
    expect(fs.existsSync(path.join(dir, 'kiosk.db'))).toBe(false);
  });

  it('a database from before identities is adopted; an unreadable guard is rebuilt for a database with an identity', () => {
    const dir = makeTempDir('guard-');
    const older = openDatabase({ file: path.join(dir, 'kiosk.db') });
    appendPunches(older, clock, 3);
    older.close();
    const { db, guard } = opened(open(dir, true));
    expect(guard.databaseId).toMatch(/-/);
    expect(punchIds(db)).toHaveLength(3);
    expect(readGuard(dir)).toMatchObject({ record: { databaseId: guard.databaseId, ledgerSeq: 3 } });
    db.close();
    fs.writeFileSync(path.join(dir, GUARD_FILE), '{ torn');
    const again = opened(open(dir));
    expect(again.guard.databaseId).toBe(guard.databaseId);
    again.db.close();
    expect(readGuard(dir)).toMatchObject({ kind: 'ok' });
  });

  it('an unreadable guard next to a database without identity is refused (the kiosk does not start over)', () => {
    const dir = makeTempDir('guard-');
    fs.writeFileSync(path.join(dir, GUARD_FILE), '{ torn');
    const raw = new BetterSqlite3(path.join(dir, 'kiosk.db'));
    raw.exec('CREATE TABLE t (x INTEGER)');
    raw.close();
    expect(refused(open(dir)).kind).toBe('replaced');
  });
});
