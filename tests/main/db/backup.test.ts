/** Backups of kiosk.db (checked before they replace the previous one) and the restore from the best copy. */
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import { BACKUP_FILE, META_LAST_RESTORE, RestoreError, backupDatabase, createBackupScheduler, restoreDatabase } from '../../../src/main/db/backup';
import { type WritableDB } from '../../../src/main/db/database';
import { type DatabaseGuard, openGuardedDatabase, readGuard } from '../../../src/main/db/database-guard';
import { getMeta } from '../../../src/main/db/meta';
import { type DurableFs, nodeDurableFs } from '../../../src/main/lib/durable-file';
import { createMemoryLogger } from '../../../src/main/logging/logger';
import { createFakeClock } from '../../support/fake-clock';
import { createFakeTimers } from '../../support/fake-timers';
import { appendPunches, punchIds } from '../../support/punch-data';
import { makeTempDir } from '../../support/temp-dir';

const clock = createFakeClock();
const logger = createMemoryLogger();

function openKiosk(dir: string): { db: WritableDB; guard: DatabaseGuard } {
  const result = openGuardedDatabase({ dataDir: dir, logger, clock, hadData: false });
  if (!result.ok) throw new Error(`refused: ${result.fault.kind} ${result.fault.detail}`);
  return result;
}

const sqliteFull = async (_db: unknown, destination: string): Promise<void> => {
  fs.writeFileSync(destination, Buffer.alloc(4096, 1)); // half a copy, then the disk is full
  throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
};

describe('database backup', () => {
  it('copies every punch into a checked, self-contained, owner-only file', async () => {
    const dir = makeTempDir('backup-');
    const { db } = openKiosk(dir);
    const ids = appendPunches(db, clock, 5);
    const info = await backupDatabase(db, { file: path.join(dir, BACKUP_FILE), clock });
    expect(info).toMatchObject({ ledgerSeq: 5, databaseId: expect.any(String) });
    const file = path.join(dir, BACKUP_FILE);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.existsSync(`${file}-wal`) || fs.existsSync(`${file}.tmp`)).toBe(false);
    const copy = new BetterSqlite3(file, { readonly: true });
    expect(copy.prepare('SELECT event_id FROM ledger_events ORDER BY seq').all().map((r) => (r as { event_id: string }).event_id)).toEqual(ids);
    expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
    copy.close();
    db.close();
  });

  it('a full disk during the copy (SQLITE_FULL, simulated) keeps the previous backup and leaves nothing behind', async () => {
    const dir = makeTempDir('backup-');
    const { db } = openKiosk(dir);
    appendPunches(db, clock, 2);
    const file = path.join(dir, BACKUP_FILE);
    await backupDatabase(db, { file, clock });
    const before = fs.readFileSync(file);
    appendPunches(db, clock, 2);
    await expect(backupDatabase(db, { file, clock, copy: sqliteFull })).rejects.toThrow(/disk is full/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(fs.readdirSync(dir).filter((n) => n.startsWith(`${BACKUP_FILE}.tmp`))).toEqual([]);
    db.close();
  });

  it('a full disk at the fsync (ENOSPC, injected in the fs layer) keeps the previous backup too', async () => {
    const dir = makeTempDir('backup-');
    const { db } = openKiosk(dir);
    appendPunches(db, clock, 2);
    const file = path.join(dir, BACKUP_FILE);
    await backupDatabase(db, { file, clock });
    appendPunches(db, clock, 3);
    const enospc: DurableFs = {
      ...nodeDurableFs,
      fsyncSync: () => {
        throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      },
    };
    await expect(backupDatabase(db, { file, clock, fs: enospc })).rejects.toThrow(/ENOSPC/);
    const copy = new BetterSqlite3(file, { readonly: true });
    expect(copy.prepare('SELECT COUNT(*) AS n FROM ledger_events').get()).toEqual({ n: 2 });
    copy.close();
    db.close();
  });

  it('the scheduler backs up after the first delay, then only when the database changed, and reports failures', async () => {
    const dir = makeTempDir('backup-');
    const fakeClock = createFakeClock();
    const timers = createFakeTimers(fakeClock);
    const { db } = openKiosk(dir);
    let failNext = false;
    const results: (string | null)[] = [];
    const scheduler = createBackupScheduler({
      db,
      file: path.join(dir, BACKUP_FILE),
      clock: fakeClock,
      logger,
      timers,
      firstDelayMs: 1_000,
      intervalMs: 60_000,
      copy: (source, destination) => (failNext ? sqliteFull(source, destination) : source.backup(destination)),
      onResult: (status) => results.push(status.lastError),
    });
    /** The backup runs on real I/O after the fake timer fired: wait for its result. */
    const settled = (count: number): Promise<void> => vi.waitFor(() => expect(results).toHaveLength(count), { timeout: 10_000 });
    scheduler.start();
    await timers.advance(1_000);
    await settled(1);
    expect(results).toEqual([null]);
    await timers.advance(60_000);
    expect(results).toEqual([null]); // nothing changed: no backup
    appendPunches(db, fakeClock, 1);
    failNext = true;
    await timers.advance(60_000);
    await settled(2);
    expect(results).toEqual([null, 'database or disk is full']);
    expect(scheduler.status()).toMatchObject({ lastError: 'database or disk is full', lastBackupSeq: 0 });
    failNext = false;
    await timers.advance(60_000);
    await settled(3);
    expect(scheduler.status()).toMatchObject({ lastError: null, lastBackupSeq: 1 });
    await scheduler.stop();
    db.close();
  });
});

describe('restore', () => {
  it('brings back every punch up to the last backup, says how many were lost, and the kiosk opens it', async () => {
    const dir = makeTempDir('restore-');
    const { db, guard } = openKiosk(dir);
    const kept = appendPunches(db, clock, 4);
    await backupDatabase(db, { file: path.join(dir, BACKUP_FILE), clock });
    appendPunches(db, clock, 2);
    guard.close();
    db.close();
    fs.writeFileSync(path.join(dir, 'kiosk.db'), ''); // the file is lost
    expect(openGuardedDatabase({ dataDir: dir, logger, clock, hadData: true }).ok).toBe(false);

    const record = restoreDatabase({ dataDir: dir, clock, logger });
    expect(record).toMatchObject({ from: path.join(dir, BACKUP_FILE), ledgerSeq: 4, lostPunches: 2 });
    const { db: restored } = openKiosk(dir);
    expect(punchIds(restored)).toEqual(kept);
    expect(JSON.parse(getMeta(restored, META_LAST_RESTORE) ?? '{}')).toMatchObject({ lostPunches: 2 });
    expect(readGuard(dir)).toMatchObject({ record: { ledgerSeq: 4 } });
    restored.close();
  });

  it('prefers a set-aside copy that holds more punches than the backup (a lost WAL keeps everything before it)', async () => {
    const dir = makeTempDir('restore-');
    const { db, guard } = openKiosk(dir);
    appendPunches(db, clock, 2);
    await backupDatabase(db, { file: path.join(dir, BACKUP_FILE), clock });
    const all = [...punchIds(db), ...appendPunches(db, clock, 3)];
    guard.close();
    db.close();
    // the guard says more punches than the file holds: refused as behind and set aside
    const guardFile = path.join(dir, 'database-guard.json');
    const record = JSON.parse(fs.readFileSync(guardFile, 'utf8')) as { ledgerSeq: number };
    fs.writeFileSync(guardFile, JSON.stringify({ ...record, ledgerSeq: 7 }));
    const refused = openGuardedDatabase({ dataDir: dir, logger, clock, hadData: true });
    expect(refused.ok ? 'opened' : refused.fault.kind).toBe('behind');
    const restore = restoreDatabase({ dataDir: dir, clock, logger });
    expect(restore).toMatchObject({ ledgerSeq: 5, lostPunches: 2, from: expect.stringMatching(/kiosk\.db\.corrupt-/) });
    const { db: restored } = openKiosk(dir);
    expect(punchIds(restored)).toEqual(all);
    restored.close();
  });

  it('restoring a healthy kiosk loses nothing (kiosk.db itself is the best copy)', async () => {
    const dir = makeTempDir('restore-');
    const { db, guard } = openKiosk(dir);
    appendPunches(db, clock, 1);
    await backupDatabase(db, { file: path.join(dir, BACKUP_FILE), clock });
    const all = [...punchIds(db), ...appendPunches(db, clock, 2)];
    guard.close();
    db.close();
    expect(restoreDatabase({ dataDir: dir, clock, logger })).toMatchObject({ ledgerSeq: 3, lostPunches: 0 });
    const { db: restored } = openKiosk(dir);
    expect(punchIds(restored)).toEqual(all);
    restored.close();
  });

  it('refuses when there is no usable copy, and ignores another kiosk\'s database', () => {
    const dir = makeTempDir('restore-');
    const { db, guard } = openKiosk(dir);
    guard.close();
    db.close();
    fs.rmSync(path.join(dir, 'kiosk.db'));
    expect(() => restoreDatabase({ dataDir: dir, clock, logger })).toThrow(RestoreError);
    const other = makeTempDir('restore-other-');
    const foreign = openKiosk(other);
    appendPunches(foreign.db, clock, 9);
    foreign.guard.close();
    foreign.db.close();
    fs.copyFileSync(path.join(other, 'kiosk.db'), path.join(dir, BACKUP_FILE));
    expect(() => restoreDatabase({ dataDir: dir, clock, logger })).toThrow(/another database/);
  });
});
