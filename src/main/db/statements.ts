/**
 * Typed statements prepared once per connection. A query module declares each statement once with
 * `query<Params, Row>(sql)` (reads, usable with a ReadableDB) or `command<Params>(sql)` (writes, need
 * a WritableDB); the first use on a connection prepares it and later uses reuse it. The row type is
 * declared here, next to its SQL, so the services that call the query modules never cast a row.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { ReadableDB, WritableDB } from './database';

/** Positional parameters (`?`) as a tuple, or one object for named parameters (`@name`). */
export type Params = unknown[] | object;

type Prepared<P extends Params, R> = BetterSqlite3.Statement<P, R>;

/** A read statement: call it with a connection to get its prepared, typed statement. */
export interface Query<P extends Params, R> {
  (db: ReadableDB): Prepared<P, R>;
  /** The SQL text (for `EXPLAIN QUERY PLAN` checks). */
  readonly sql: string;
}

/** A write statement: only a WritableDB can prepare it. */
export interface Command<P extends Params> {
  (db: WritableDB): Prepared<P, never>;
  readonly sql: string;
}

function cached<P extends Params, R>(sql: string): (db: ReadableDB) => Prepared<P, R> {
  const perConnection = new WeakMap<ReadableDB, Prepared<P, R>>();
  return (db) => {
    let statement = perConnection.get(db);
    if (!statement) {
      statement = db.prepare<P, R>(sql);
      perConnection.set(db, statement);
    }
    return statement;
  };
}

/** Declares a read statement returning rows of type `R`. */
export function query<P extends Params, R>(sql: string): Query<P, R> {
  return Object.assign(cached<P, R>(sql), { sql });
}

/** Declares a write statement (INSERT/UPDATE/DELETE). */
export function command<P extends Params>(sql: string): Command<P> {
  return Object.assign(cached<P, never>(sql), { sql });
}

/** SQLite's plan for a statement, one line per step ("SEARCH ledger_events USING INDEX ..."). */
export function explainQueryPlan(db: ReadableDB, sql: string, params: unknown[] | object = []): string[] {
  const explain = db.prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`);
  const rows = Array.isArray(params) ? explain.all(...params) : explain.all(params);
  return rows.map((row) => row.detail);
}
