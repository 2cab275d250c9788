/**
 * 0006: the start of HotelMate's open session (server time, as `session_info.clock_in_time` gave it)
 * that a punch was about to change when it wrote, so a retry after a lost answer never changes a
 * different, newer session (a web clock-in in between).
 */
import type { Migration } from './index';

export const migration0006: Migration = {
  version: 6,
  name: 'ledger-session-start',
  up(db) {
    db.exec(`ALTER TABLE ledger_events ADD COLUMN server_session_start TEXT`);
  },
};
