/**
 * 0012: the wait after a write HotelMate never answered. A punch whose last write got no answer in
 * time, or whose connection was cut after it went out, keeps until when HotelMate may still be
 * carrying that write out (`late_write_until_ms`, on the sync's schedule clock; NULL = none), so a
 * restart, or a probe that makes every waiting punch due, does not read and write again before then.
 */
import type { Migration } from './index';

export const migration0012: Migration = {
  version: 12,
  name: 'ledger-late-write',
  up(db) {
    db.exec(`ALTER TABLE ledger_events ADD COLUMN late_write_until_ms INTEGER`);
  },
};
