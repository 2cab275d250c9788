/**
 * 0011: approval of "Clock without face" by a manager's face. The staff cache keeps each person's
 * HotelMate `access_level` and `role_slug` (who may approve, refreshed with the staff list), and a
 * manual punch keeps the manager who approved it with their face (staff id and name at the time).
 * Older rows have none of these: a PIN approval names no one.
 */
import type { Migration } from './index';

export const migration0011: Migration = {
  version: 11,
  name: 'manager-face-approval',
  up(db) {
    db.exec(`ALTER TABLE staff ADD COLUMN access_level TEXT`);
    db.exec(`ALTER TABLE staff ADD COLUMN role_slug TEXT`);
    db.exec(`ALTER TABLE ledger_events ADD COLUMN manual_approver_staff_id INTEGER`);
    db.exec(`ALTER TABLE ledger_events ADD COLUMN manual_approver_name TEXT`);
  },
};
