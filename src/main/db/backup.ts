/**
 * A second copy of kiosk.db and the way back to it. The backup is SQLite's online backup
 * (better-sqlite3 `backup()`) into a temporary file, checked (quick_check, identity) and only then
 * renamed durably over `kiosk-backup.db`, so a failed backup (a full disk) never spoils the previous
 * one. It runs shortly after start, then periodically whenever the database changed, and at stop.
 *
 * Restore (`--restore-backup`, or the problem screen's "restore" for a manager) brings back every
 * punch up to the best copy available: the backup, or a quarantined kiosk.db of the same database
 * that holds more punches (a file set aside for a lost WAL still has everything before it). The file
 * in the way is moved aside, never deleted, and the guard file is set to the restored copy.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Clock } from '../lib/clock';
import { type DurableFs, commitFileDurably, nodeDurableFs } from '../lib/durable-file';
import { errorMessage, toLogFormat } from '../lib/errors';
import { systemTimers, type Timers } from '../lib/timers';
import type { Logger } from '../logging/logger';
import { type ReadableDB, type WritableDB, checkIntegrity, databaseFiles } from './database';
import { DATABASE_FILE, databaseIdentity, ledgerSequence, quarantineDatabase, readGuard, setDatabaseIdentity, writeGuard } from './database-guard';
import { setMeta } from './meta';
import { MIGRATIONS } from './migrations';

/** The backup of kiosk.db in the data folder. */
export const BACKUP_FILE = 'kiosk-backup.db';
/** kiosk_meta key of the last restore (JSON `RestoreRecord`), shown to managers after it. */
export const META_LAST_RESTORE = 'db.last_restore';

/** Copies the live database into a file (better-sqlite3's online backup); tests replace it to simulate a full disk. */
export type BackupCopy = (db: ReadableDB, destination: string) => Promise<unknown>;

const onlineBackup: BackupCopy = (db, destination) => db.backup(destination);

/** What a checked copy of the database holds. */
export interface CopyFacts {
  databaseId: string | null;
  ledgerSeq: number;
  schemaVersion: number;
}

/** A finished backup. */
export interface BackupInfo extends CopyFacts {
  file: string;
  at: string;
}

export interface BackupOptions {
  /** The backup file (normally `<dataDir>/kiosk-backup.db`). */
  file: string;
  clock: Clock;
  nativeBinding?: string;
  fs?: DurableFs;
  copy?: BackupCopy;
}

/** Opens a copy read-write (it is ours), makes it self-contained (rollback journal) and checks it. Throws when it is damaged, too new or unreadable. */
function checkCopy(file: string, nativeBinding: string | undefined): CopyFacts {
  const db = new BetterSqlite3(file, { nativeBinding });
  try {
    db.pragma('journal_mode = DELETE');
    const verdict = checkIntegrity(db as ReadableDB);
    if (verdict !== 'ok') throw new Error(`the copy is damaged (quick_check: ${verdict.slice(0, 200)})`);
    const schemaVersion = db.pragma('user_version', { simple: true }) as number;
    if (schemaVersion > MIGRATIONS.length) throw new Error(`the copy is from a newer kiosk version (schema ${schemaVersion})`);
    return { databaseId: databaseIdentity(db as ReadableDB), ledgerSeq: ledgerSequence(db as ReadableDB), schemaVersion };
  } finally {
    db.close();
  }
}

function removeQuietly(file: string): void {
  for (const companion of [file, `${file}-journal`, ...databaseFiles(file).slice(1)]) fs.rmSync(companion, { force: true });
}

/**
 * Backs the database up into `options.file`: online backup into a temporary file, checked, then
 * renamed durably over the previous backup. Rejects (and leaves the previous backup as it was, the
 * temporary file removed) when any step fails, e.g. SQLITE_FULL or ENOSPC on a full disk.
 */
export async function backupDatabase(db: ReadableDB, options: BackupOptions): Promise<BackupInfo> {
  const temp = `${options.file}.tmp`;
  removeQuietly(temp);
  try {
    await (options.copy ?? onlineBackup)(db, temp);
    const facts = checkCopy(temp, options.nativeBinding);
    commitFileDurably(temp, options.file, options.fs ?? nodeDurableFs);
    return { ...facts, file: options.file, at: options.clock.now().toISOString() };
  } catch (error) {
    removeQuietly(temp);
    throw error;
  }
}

/** The backup state Admin > Diagnostics and the problem screen show. */
export interface BackupStatus {
  file: string;
  lastBackupAt: string | null;
  lastBackupSeq: number | null;
  lastError: string | null;
  lastErrorAt: string | null;
}

export interface BackupSchedulerOptions {
  db: WritableDB;
  file: string;
  clock: Clock;
  logger: Logger;
  nativeBinding?: string;
  timers?: Timers;
  /** Delay of the first backup after start. Default 30 s. */
  firstDelayMs?: number;
  /** Between backups (only when the database changed). Default 5 minutes. */
  intervalMs?: number;
  fs?: DurableFs;
  copy?: BackupCopy;
  /** Told after every attempt (the app turns a failure into a notice on screen). */
  onResult?: (status: BackupStatus) => void;
}

export interface BackupScheduler {
  start(): void;
  /** Stops the timer; `finalBackup` makes one last backup first when the database changed. */
  stop(options?: { finalBackup?: boolean }): Promise<void>;
  /** Backs up now (even when nothing changed). Never rejects: a failure is in the status. */
  runNow(): Promise<BackupStatus>;
  status(): BackupStatus;
}

/** The periodic backup of the open database (see the module comment). */
export function createBackupScheduler(options: BackupSchedulerOptions): BackupScheduler {
  const log = options.logger.child('backup');
  const timers = options.timers ?? systemTimers;
  const intervalMs = options.intervalMs ?? 5 * 60_000;
  const status: BackupStatus = { file: options.file, lastBackupAt: null, lastBackupSeq: null, lastError: null, lastErrorAt: null };
  const changes = (): number => (options.db.open ? (options.db.prepare<[], { n: number }>('SELECT total_changes() AS n').get()?.n ?? 0) : -1);
  let changesAtBackup = -1;
  let timer: unknown = null;
  let running: Promise<BackupStatus> | null = null;
  let stopped = true;

  const run = (): Promise<BackupStatus> => {
    if (running) return running;
    const startChanges = changes();
    running = backupDatabase(options.db, { file: options.file, clock: options.clock, nativeBinding: options.nativeBinding, fs: options.fs, copy: options.copy })
      .then(
        (info) => {
          changesAtBackup = startChanges;
          status.lastBackupAt = info.at;
          status.lastBackupSeq = info.ledgerSeq;
          status.lastError = null;
          log.info('database backed up', { file: info.file, ledgerSeq: info.ledgerSeq });
        },
        (error: unknown) => {
          status.lastError = errorMessage(error);
          status.lastErrorAt = options.clock.now().toISOString();
          log.error('database backup failed; the previous backup is kept', { error: toLogFormat(error) });
        },
      )
      .then(() => {
        running = null;
        const snapshot = { ...status };
        options.onResult?.(snapshot);
        return snapshot;
      });
    return running;
  };

  const schedule = (delay: number): void => {
    if (stopped) return;
    timer = timers.setTimeout(() => {
      timer = null;
      const due = changes() !== changesAtBackup;
      void (due ? run() : Promise.resolve(status)).then(() => schedule(intervalMs));
    }, delay);
  };

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      schedule(options.firstDelayMs ?? 30_000);
    },
    async stop(stopOptions) {
      stopped = true;
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
      if (running) await running;
      if (stopOptions?.finalBackup && options.db.open && changes() !== changesAtBackup) await run();
    },
    runNow: run,
    status: () => ({ ...status }),
  };
}

/** What a restore did, kept in the restored database's kiosk_meta for the managers' notice. */
export interface RestoreRecord {
  at: string;
  /** The file the database came back from. */
  from: string;
  /** When that copy was last written (its file time): punches after it may have reached HotelMate already. */
  copyTakenAt: string;
  /** The highest punch sequence now in kiosk.db. */
  ledgerSeq: number;
  /** Punches the kiosk had saved (per the guard file) that no copy holds; 0 when none were lost. */
  lostPunches: number;
  /** Where the files that were in the way went. */
  quarantined: string[];
}

export class RestoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RestoreError';
  }
}

export interface RestoreOptions {
  dataDir: string;
  clock: Clock;
  logger: Logger;
  nativeBinding?: string;
  fs?: DurableFs;
}

interface Candidate extends CopyFacts {
  file: string;
  /** When the file was last written. */
  writtenAt: string;
  /** A checked working copy, ready to become kiosk.db. */
  workingCopy: string;
}

/**
 * The files a restore may bring back: kiosk.db itself (so restoring a healthy database loses
 * nothing), the backup, and kiosk.db copies set aside earlier (not their -wal/-shm files).
 */
export function restoreCandidates(dataDir: string): string[] {
  const names = fs.existsSync(dataDir) ? fs.readdirSync(dataDir) : [];
  const quarantined = names.filter((name) => name.startsWith(`${DATABASE_FILE}.corrupt-`) && !/-(wal|shm)$/.test(name)).sort();
  return [DATABASE_FILE, BACKUP_FILE, ...quarantined].map((name) => path.join(dataDir, name)).filter((file) => fs.existsSync(file) && fs.statSync(file).isFile());
}

/**
 * Restores kiosk.db from the best copy: among kiosk.db, the backup and the quarantined copies, those that
 * pass quick_check and belong to this kiosk's database (the guard file's identity, when there is
 * one), the one holding the most punches. The current kiosk.db (with -wal/-shm) is moved aside
 * first. Must run while kiosk.db is closed (before the kiosk opens it, or from the problem screen,
 * where it is not open). Resolves what was restored; rejects with RestoreError when no copy is usable.
 */
export function restoreDatabase(options: RestoreOptions): RestoreRecord {
  const log = options.logger.child('restore');
  const fsLayer = options.fs ?? nodeDurableFs;
  const target = path.join(options.dataDir, DATABASE_FILE);
  const guardRead = readGuard(options.dataDir);
  const guard = guardRead.kind === 'ok' ? guardRead.record : null;
  const candidates: Candidate[] = [];
  const refusals: string[] = [];
  for (const file of restoreCandidates(options.dataDir)) {
    const workingCopy = `${target}.restore-${candidates.length + refusals.length}.tmp`;
    try {
      removeQuietly(workingCopy);
      fs.copyFileSync(file, workingCopy);
      if (fs.existsSync(`${file}-wal`)) fs.copyFileSync(`${file}-wal`, `${workingCopy}-wal`);
      const facts = checkCopy(workingCopy, options.nativeBinding);
      if (guard && facts.databaseId !== guard.databaseId) throw new Error(`it is another database (${facts.databaseId ?? 'no identity'})`);
      candidates.push({ ...facts, file, workingCopy, writtenAt: fs.statSync(file).mtime.toISOString() });
    } catch (error) {
      removeQuietly(workingCopy);
      refusals.push(`${path.basename(file)}: ${errorMessage(error)}`);
    }
  }
  const best = candidates.reduce<Candidate | null>((chosen, candidate) => (chosen === null || candidate.ledgerSeq > chosen.ledgerSeq ? candidate : chosen), null);
  for (const candidate of candidates) if (candidate !== best) removeQuietly(candidate.workingCopy);
  if (!best) {
    const why = refusals.length > 0 ? refusals.join('; ') : `there is no ${BACKUP_FILE}`;
    log.error('restore impossible: no usable copy of the database', { why });
    throw new RestoreError(`No usable copy of the database to restore (${why}).`);
  }

  const now = options.clock.now();
  const quarantined = quarantineDatabase(target, now, log, fsLayer);
  const lostPunches = guard ? Math.max(0, guard.ledgerSeq - best.ledgerSeq) : 0;
  const record: RestoreRecord = { at: now.toISOString(), from: best.file, copyTakenAt: best.writtenAt, ledgerSeq: best.ledgerSeq, lostPunches, quarantined };
  const databaseId = best.databaseId ?? crypto.randomUUID();
  const db = new BetterSqlite3(best.workingCopy, { nativeBinding: options.nativeBinding }) as unknown as WritableDB;
  try {
    if (best.databaseId === null) setDatabaseIdentity(db, databaseId, now);
    setMeta(db, META_LAST_RESTORE, JSON.stringify(record), now);
  } finally {
    db.close();
  }
  commitFileDurably(best.workingCopy, target, fsLayer);
  writeGuard(options.dataDir, { databaseId, ledgerSeq: best.ledgerSeq, updatedAt: now.toISOString() }, fsLayer);
  log.warn('database restored', { ...record, refused: refusals });
  return record;
}
