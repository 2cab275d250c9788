/**
 * 0009: undo of a punch. A punch is held from the sync for a few seconds after it is saved
 * (`hold_until_ms`, wall-clock ms; NULL = not held), and a punch undone within that window is kept
 * with the new sync state `cancelled` (never sent). SQLite cannot change a CHECK constraint in
 * place, so the table is rebuilt from its own stored definition with the wider list: every column
 * (including ones other migrations added), row, sequence and index is carried over.
 */
import type { Database } from 'better-sqlite3';
import type { Migration } from './index';

const OLD_STATES = `sync_state IN ('pending','sending','synced','needs_review')`;
const NEW_STATES = `sync_state IN ('pending','sending','synced','needs_review','cancelled')`;

function storedSql(db: Database, type: 'table' | 'index', table: string): { name: string; sql: string }[] {
  return db
    .prepare(`SELECT name, sql FROM sqlite_master WHERE type = ? AND tbl_name = ? AND sql IS NOT NULL ORDER BY name`)
    .all(type, table) as { name: string; sql: string }[];
}

export const migration0009: Migration = {
  version: 9,
  name: 'ledger-undo',
  up(db) {
    const [table] = storedSql(db, 'table', 'ledger_events');
    if (!table?.sql.includes(OLD_STATES)) throw new Error('migration 0009: ledger_events does not have the expected sync_state check');
    const indexes = storedSql(db, 'index', 'ledger_events');
    const sequence = db.prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'ledger_events'`).get() as { seq: number } | undefined;
    const rebuilt = table.sql.replace(OLD_STATES, NEW_STATES).replace(/^CREATE TABLE\s+"?ledger_events"?/, 'CREATE TABLE ledger_events_0009');
    db.exec(rebuilt);
    db.exec(`INSERT INTO ledger_events_0009 SELECT * FROM ledger_events`);
    db.exec(`DROP TABLE ledger_events`);
    db.exec(`ALTER TABLE ledger_events_0009 RENAME TO ledger_events`);
    for (const index of indexes) db.exec(index.sql);
    // Sequence numbers of purged punches are never reused (the database guard remembers the last one).
    if (sequence) db.prepare(`UPDATE sqlite_sequence SET seq = MAX(seq, ?) WHERE name = 'ledger_events'`).run(sequence.seq);
    db.exec(`ALTER TABLE ledger_events ADD COLUMN hold_until_ms INTEGER`);
  },
};
