/** 0002: the clock ledger: every punch, appended before the screen says "done", with its sync state. */
import type { Migration } from './index';

export const migration0002: Migration = {
  version: 2,
  name: 'ledger',
  up(db) {
    db.exec(`
      CREATE TABLE ledger_events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        event_id TEXT NOT NULL UNIQUE,
        staff_id INTEGER NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('clock_in','clock_out','start_break','end_break')),
        occurred_at TEXT NOT NULL,
        occurred_ms INTEGER NOT NULL,
        monotonic_ms REAL NOT NULL,
        boot_id TEXT NOT NULL,
        clock_jump_ms REAL,
        kiosk_id TEXT NOT NULL,
        reason TEXT,
        match_distance REAL,
        match_model TEXT,
        flagged INTEGER NOT NULL DEFAULT 0,
        descriptor BLOB,
        sync_state TEXT NOT NULL DEFAULT 'pending' CHECK (sync_state IN ('pending','sending','synced','needs_review')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_ms INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        server_action TEXT,
        server_response TEXT,
        synced_at TEXT,
        delay_seconds REAL
      ) STRICT;
      CREATE INDEX ledger_events_state ON ledger_events (sync_state, seq);
      CREATE INDEX ledger_events_staff ON ledger_events (staff_id, seq);
    `);
  },
};
