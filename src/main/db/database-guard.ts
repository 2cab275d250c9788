/**
 * Opening kiosk.db without ever starting empty over lost punches. The database's identity (a random
 * id kept in `kiosk_meta`) and the last ledger sequence number are also recorded outside it, in a
 * small guard file beside it (`database-guard.json`, written durably after every commit that added
 * a punch). At start the two must agree: a missing, 0-byte, truncated, replaced or damaged kiosk.db
 * (or one that lost its WAL file) is detected, moved aside with its -wal/-shm files
 * (`kiosk.db.corrupt-<time>`), and reported as a fault, so the kiosk refuses punches and says why
 * instead of opening a new, empty ledger. A database from a newer kiosk is reported but left in place.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Clock } from '../lib/clock';
import { type DurableFs, corruptName, fsyncDirectory, nodeDurableFs, writeFileDurably } from '../lib/durable-file';
import { errorCode, errorMessage, toLogFormat } from '../lib/errors';
import type { Logger } from '../logging/logger';
import { DatabaseCorruptError, DatabaseTooNewError, type ReadableDB, type WritableDB, databaseFiles, onCommit, openDatabase } from './database';
import { getMeta, setMeta } from './meta';

/** The kiosk database in the data folder. */
export const DATABASE_FILE = 'kiosk.db';
/** The record of the database's identity and last punch, kept outside it. */
export const GUARD_FILE = 'database-guard.json';

const META_IDENTITY = 'db.identity';

/** What the guard file holds. */
export interface GuardRecord {
  databaseId: string;
  /** The highest ledger sequence number the database has committed (never lowered by purges). */
  ledgerSeq: number;
  updatedAt: string;
}

/** Why kiosk.db cannot be used. */
export type DatabaseFaultKind =
  /** kiosk.db is gone or empty (0 bytes) although this kiosk has had data. */
  | 'missing'
  /** Not a database, or SQLite's quick_check finds damage. */
  | 'damaged'
  /** Another database than the one this kiosk recorded (a different identity, or none). */
  | 'replaced'
  /** Fewer punches than the kiosk recorded (a lost WAL file, an older copy put back). */
  | 'behind'
  /** Written by a newer kiosk version: left untouched. */
  | 'too_new'
  /** Cannot be opened at all (permissions, a folder in its place, an I/O error): left untouched. */
  | 'unavailable';

export interface DatabaseFault {
  kind: DatabaseFaultKind;
  /** Plain English for the log and the problem screen's details. */
  detail: string;
  /** Where the files were moved (empty when they were left in place). */
  quarantined: string[];
}

export type GuardedOpen = { ok: true; db: WritableDB; guard: DatabaseGuard } | { ok: false; fault: DatabaseFault };

/** The running database's guard: keeps the guard file in step with the ledger. */
export interface DatabaseGuard {
  readonly databaseId: string;
  /** The ledger sequence last written to the guard file. */
  recordedSeq(): number;
  /** Writes the current ledger sequence to the guard file if it advanced; false when the write failed (logged). */
  record(): boolean;
  /** Stops following commits. */
  close(): void;
}

export interface OpenGuardedOptions {
  dataDir: string;
  logger: Logger;
  clock: Clock;
  nativeBinding?: string;
  /**
   * Evidence outside the database that this kiosk has had data (an API token in the secret store):
   * an empty or missing database is then a loss, not a new installation.
   */
  hadData: boolean;
  fs?: DurableFs;
  /**
   * Told when the guard file stops being written (the reason: a full disk, a read-only folder) and
   * when a later write succeeds again (null); the punches themselves are saved either way.
   */
  onGuardTrouble?: (reason: string | null) => void;
}

type GuardRead = { kind: 'none' } | { kind: 'ok'; record: GuardRecord } | { kind: 'unreadable'; reason: string };

/** Reads the guard file; never throws. */
export function readGuard(dataDir: string): GuardRead {
  const file = path.join(dataDir, GUARD_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return { kind: 'none' };
    return { kind: 'unreadable', reason: errorMessage(error) };
  }
  try {
    const parsed = JSON.parse(text) as Partial<GuardRecord>;
    if (typeof parsed.databaseId === 'string' && Number.isInteger(parsed.ledgerSeq) && (parsed.ledgerSeq ?? -1) >= 0) {
      return { kind: 'ok', record: { databaseId: parsed.databaseId, ledgerSeq: parsed.ledgerSeq as number, updatedAt: String(parsed.updatedAt ?? '') } };
    }
    return { kind: 'unreadable', reason: 'it does not hold a database id and ledger sequence' };
  } catch (error) {
    return { kind: 'unreadable', reason: errorMessage(error) };
  }
}

/** Writes the guard file durably (throws when it cannot). */
export function writeGuard(dataDir: string, record: GuardRecord, fsLayer: DurableFs = nodeDurableFs): void {
  writeFileDurably(path.join(dataDir, GUARD_FILE), `${JSON.stringify(record)}\n`, { fs: fsLayer });
}

/** The highest ledger sequence the database ever handed out (sqlite_sequence survives purges); 0 when none. */
export function ledgerSequence(db: ReadableDB): number {
  try {
    const row = db.prepare<[], { seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'ledger_events'").get();
    return row?.seq ?? 0;
  } catch {
    return 0;
  }
}

/** The database's identity, or null for a database from before identities (or a new one). */
export function databaseIdentity(db: ReadableDB): string | null {
  try {
    return getMeta(db, META_IDENTITY);
  } catch {
    return null;
  }
}

/** Gives the database its identity (kept in kiosk_meta). */
export function setDatabaseIdentity(db: WritableDB, databaseId: string, at: Date): void {
  setMeta(db, META_IDENTITY, databaseId, at);
}

/**
 * Moves kiosk.db and its -wal/-shm files aside under one time stamp (`kiosk.db.corrupt-<time>`,
 * `kiosk.db.corrupt-<time>-wal`, ...), so SQLite still pairs them when the moved copy is opened for
 * recovery. Returns the new paths; a file that cannot be moved is left (and logged).
 */
export function quarantineDatabase(file: string, at: Date, logger: Logger, fsLayer: DurableFs = nodeDurableFs): string[] {
  let base = corruptName(file, at);
  for (let n = 2; fs.existsSync(base); n += 1) base = `${corruptName(file, at)}-${n}`;
  const moved: string[] = [];
  const [main, wal, shm] = databaseFiles(file);
  for (const [from, to] of [
    [main, base],
    [wal, `${base}-wal`],
    [shm, `${base}-shm`],
  ] as const) {
    if (!fs.existsSync(from)) continue;
    try {
      fsLayer.renameSync(from, to);
      moved.push(to);
    } catch (error) {
      logger.error('could not move a damaged database file aside', { file: from, error: toLogFormat(error) });
    }
  }
  if (moved.length > 0) fsyncDirectory(path.dirname(file), fsLayer);
  return moved;
}

function fileSize(file: string): number | null {
  try {
    return fs.statSync(file).size;
  } catch {
    return null;
  }
}

/**
 * Opens kiosk.db after checking it against the guard file (see the module comment). Resolves the
 * open database with its guard, or the fault (the files already moved aside where that applies).
 * Never throws for a bad database.
 */
export function openGuardedDatabase(options: OpenGuardedOptions): GuardedOpen {
  const log = options.logger.child('db-guard');
  const fsLayer = options.fs ?? nodeDurableFs;
  const file = path.join(options.dataDir, DATABASE_FILE);
  const guardRead = readGuard(options.dataDir);
  const guard = guardRead.kind === 'ok' ? guardRead.record : null;
  if (guardRead.kind === 'unreadable') log.error('the database guard file is unreadable; the database is checked without it', { reason: guardRead.reason });
  const existedBefore = guardRead.kind !== 'none' || options.hadData;
  const quarantine = (): string[] => quarantineDatabase(file, options.clock.now(), log, fsLayer);
  const fail = (kind: DatabaseFaultKind, detail: string, move: boolean): GuardedOpen => {
    const quarantined = move ? quarantine() : [];
    log.error('kiosk database refused: punches are refused until it is restored', { kind, detail, quarantined });
    return { ok: false, fault: { kind, detail, quarantined } };
  };

  const size = fileSize(file);
  if ((size === null || size === 0) && existedBefore) {
    const what = size === null ? `${file} is missing` : `${file} is empty (0 bytes)`;
    const recorded = guard ? ` The kiosk had recorded ${guard.ledgerSeq} punches in it.` : '';
    return fail('missing', `${what}, but this kiosk has had data.${recorded}`, size === 0 || fs.existsSync(`${file}-wal`));
  }

  let db: WritableDB;
  try {
    db = openDatabase({ file, logger: options.logger.child('db'), nativeBinding: options.nativeBinding });
  } catch (error) {
    if (error instanceof DatabaseTooNewError) return fail('too_new', error.message, false);
    if (error instanceof DatabaseCorruptError) return fail('damaged', error.message, true);
    return fail('unavailable', `${file} cannot be opened (${errorCode(error) ?? 'error'}: ${errorMessage(error)}). It was left in place.`, false);
  }

  const identity = databaseIdentity(db);
  const seq = ledgerSequence(db);
  const refuse = (kind: DatabaseFaultKind, detail: string): GuardedOpen => {
    db.close();
    return fail(kind, detail, true);
  };
  if (guard && identity !== guard.databaseId) {
    return refuse(
      'replaced',
      identity === null
        ? `${file} is not the kiosk's database (it has no identity; the kiosk recorded ${guard.databaseId} with ${guard.ledgerSeq} punches).`
        : `${file} is another database (${identity}) than the kiosk's (${guard.databaseId}, ${guard.ledgerSeq} punches).`,
    );
  }
  if (guardRead.kind === 'unreadable' && identity === null) {
    // Only a kiosk that gave its database an identity writes a guard file: this database is not that one.
    return refuse('replaced', `${file} has no identity although a guard file exists (unreadable: ${guardRead.reason}); the kiosk does not start over what it had.`);
  }
  if (guard && seq < guard.ledgerSeq) {
    return refuse('behind', `${file} holds punches up to #${seq}, but the kiosk had saved up to #${guard.ledgerSeq}: ${guard.ledgerSeq - seq} punch(es) are missing (a lost -wal file, or an older copy put back).`);
  }

  let databaseId = identity;
  if (databaseId === null) {
    databaseId = crypto.randomUUID();
    setDatabaseIdentity(db, databaseId, options.clock.now());
    log.info('database identity created', { databaseId, ledgerSeq: seq });
  }
  const running = followLedger(db, options.dataDir, databaseId, guard && guard.databaseId === databaseId ? guard.ledgerSeq : -1, { clock: options.clock, log, fsLayer, onTrouble: options.onGuardTrouble });
  running.record();
  return { ok: true, db, guard: running };
}

/** Keeps the guard file in step: after each commit that advanced the ledger, the new sequence is written durably. */
function followLedger(
  db: WritableDB,
  dataDir: string,
  databaseId: string,
  initialSeq: number,
  deps: { clock: Clock; log: Logger; fsLayer: DurableFs; onTrouble?: (reason: string | null) => void },
): DatabaseGuard {
  const { clock, log, fsLayer } = deps;
  let recorded = initialSeq;
  let warned = false;
  const record = (): boolean => {
    if (!db.open) return true;
    const seq = ledgerSequence(db);
    if (seq === recorded) return true;
    try {
      writeGuard(dataDir, { databaseId, ledgerSeq: seq, updatedAt: clock.now().toISOString() }, fsLayer);
      recorded = seq;
      if (warned) {
        log.info('the database guard file is up to date again', { ledgerSeq: seq });
        deps.onTrouble?.(null);
      }
      warned = false;
      return true;
    } catch (error) {
      // The punch itself is saved; only the guard lags behind (it can then miss a loss, never invent one).
      if (!warned) {
        log.error('the database guard file could not be updated', { error: toLogFormat(error) });
        deps.onTrouble?.(errorMessage(error));
      }
      warned = true;
      return false;
    }
  };
  const off = onCommit(db, () => void record());
  return { databaseId, recordedSeq: () => recorded, record, close: off };
}
