/**
 * The one SQLite database of main (better-sqlite3): numbered migrations tracked in
 * `PRAGMA user_version`, STRICT tables, WAL with `synchronous=FULL` (a confirmed punch survives a
 * power cut), a `quick_check` before anything is read, owner-only file permissions, refusal to open
 * a database written by a newer version of the kiosk, and commit listeners (`onCommit`) so the
 * database guard (./database-guard.ts) can record the last punch outside the file.
 *
 * better-sqlite3 is a native module: under Node (tests) the normal build loads; under Electron the
 * caller passes `nativeBinding`, the copy rebuilt for Electron's ABI (by
 * scripts/native/prepare-electron-native.ts).
 *
 * The rest of main never writes SQL: it calls the query modules beside this file (ledger, templates,
 * reference, meta, jobs), which take a `ReadableDB` to read and a `WritableDB` to write.
 */
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { restrictToOwner } from '../lib/durable-file';
import { errorCode } from '../lib/errors';
import type { Logger } from '../logging/logger';
import { MIGRATIONS, type Migration } from './migrations';

export type Database = BetterSqlite3.Database;
/**
 * Brands so that functions say whether they need write access (Signal's pattern): read queries take
 * a ReadableDB, writes a WritableDB. A database opened read-only is only a ReadableDB.
 */
export type ReadableDB = Database & { __readable_db: never };
export type WritableDB = ReadableDB & { __writable_db: never };

export class DatabaseTooNewError extends Error {
  constructor(readonly found: number, readonly supported: number) {
    super(`The database was written by a newer kiosk version (schema ${found}, this version knows ${supported}). Update the kiosk software; the data was left untouched.`);
    this.name = 'DatabaseTooNewError';
  }
}

export class DatabaseCorruptError extends Error {
  constructor(readonly file: string, detail: string) {
    // Whether the file stays or is moved aside is the caller's to say (the guard names where it went).
    super(`The kiosk database ${file} is damaged (${detail}). New punches are refused until it is restored.`);
    this.name = 'DatabaseCorruptError';
  }
}

export interface OpenDatabaseOptions {
  file: string;
  logger?: Logger;
  /** Path to a better_sqlite3.node built for the running runtime (Electron), when not the default. */
  nativeBinding?: string;
  migrations?: readonly Migration[];
  readonly?: boolean;
  /** Run `PRAGMA quick_check` before migrating (default true for files; a damaged file throws DatabaseCorruptError). */
  quickCheck?: boolean;
}

export function checkMigrationRegistry(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(`Migration registry is not monotonic: position ${index + 1} holds version ${migration.version} (${migration.name})`);
    }
  });
}

/** Opens (creating if needed) and migrates the database. Throws the typed errors above. */
export function openDatabase(options: OpenDatabaseOptions & { readonly: true }): ReadableDB;
export function openDatabase(options: OpenDatabaseOptions & { readonly?: false }): WritableDB;
export function openDatabase(options: OpenDatabaseOptions): ReadableDB | WritableDB {
  const migrations = options.migrations ?? MIGRATIONS;
  checkMigrationRegistry(migrations);
  if (options.file !== ':memory:') fs.mkdirSync(path.dirname(options.file), { recursive: true });
  const isFile = options.file !== ':memory:';
  let db: Database;
  try {
    db = new BetterSqlite3(options.file, {
      nativeBinding: options.nativeBinding,
      readonly: options.readonly ?? false,
    });
  } catch (error) {
    throw asCorruptError(error, options.file) ?? error;
  }
  try {
    // Before the first read creates the -wal and -shm files: SQLite gives them the database's mode.
    if (isFile && !options.readonly) for (const file of databaseFiles(options.file)) restrictToOwner(file);
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
    }
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > migrations.length) throw new DatabaseTooNewError(version, migrations.length);
    if (isFile && (options.quickCheck ?? true)) {
      const verdict = checkIntegrity(db as ReadableDB);
      if (verdict !== 'ok') throw new DatabaseCorruptError(options.file, `quick_check: ${verdict.slice(0, 300)}`);
    }
    if (!options.readonly) migrate(db, migrations, version, options.logger);
  } catch (error) {
    db.close();
    throw asCorruptError(error, options.file) ?? error;
  }
  return options.readonly ? (db as ReadableDB) : (db as WritableDB);
}

function asCorruptError(error: unknown, file: string): DatabaseCorruptError | null {
  const code = errorCode(error);
  return code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT' ? new DatabaseCorruptError(file, code) : null;
}

/** The database file and its WAL and shared-memory companions. */
export function databaseFiles(file: string): [string, string, string] {
  return [file, `${file}-wal`, `${file}-shm`];
}

const commitListeners = new WeakMap<ReadableDB, Set<() => void>>();

/**
 * Calls `listener` after every transaction run through `transaction()` on this connection has
 * committed (not after a rollback, not after a nested one). A listener that throws is the
 * listener's problem: the commit stands and the other listeners still run. Returns the removal.
 */
export function onCommit(db: WritableDB, listener: () => void): () => void {
  let listeners = commitListeners.get(db);
  if (!listeners) {
    listeners = new Set();
    commitListeners.set(db, listeners);
  }
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Runs `fn` in one transaction (one fsync); rolls back and rethrows when it throws. Commit listeners run after it commits. */
export function transaction<T>(db: WritableDB, fn: () => T): T {
  const result = db.transaction(fn)();
  if (!db.inTransaction) {
    for (const listener of [...(commitListeners.get(db) ?? [])]) {
      try {
        listener();
      } catch {
        // The listener reports its own failures (see onCommit).
      }
    }
  }
  return result;
}

function migrate(db: Database, migrations: readonly Migration[], from: number, logger?: Logger): void {
  for (const migration of migrations.slice(from)) {
    db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    })();
    logger?.info('database migrated', { version: migration.version, name: migration.name });
  }
}

/** Quick structural check for the diagnostics screen; returns 'ok' or SQLite's complaint. */
export function checkIntegrity(db: ReadableDB): string {
  const rows = db.pragma('quick_check') as { quick_check: string }[];
  return rows.map((r) => r.quick_check).join('; ');
}
