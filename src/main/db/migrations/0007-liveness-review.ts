/**
 * 0007: what a manager needs to review a punch the liveness check left in doubt: the note with the
 * scores on the punch (`review_note`), and the optional encrypted audit snapshot of the face at
 * punch time (`audit_snapshots`, one per punch, sealed with the punch descriptor key and bound to
 * the punch's event id; purged after `retention.snapshotDays`).
 */
import type { Migration } from './index';

export const migration0007: Migration = {
  version: 7,
  name: 'liveness-review',
  up(db) {
    db.exec(`ALTER TABLE ledger_events ADD COLUMN review_note TEXT`);
    db.exec(`CREATE TABLE audit_snapshots (
      event_id TEXT PRIMARY KEY,
      taken_ms INTEGER NOT NULL,
      image BLOB NOT NULL
    ) STRICT`);
    db.exec(`CREATE INDEX audit_snapshots_taken ON audit_snapshots (taken_ms)`);
  },
};
