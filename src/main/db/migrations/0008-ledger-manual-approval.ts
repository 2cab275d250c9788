/**
 * 0008: punches made without a face ("Clock without face"): who approved them on the kiosk and the
 * manager's optional note. A row with an approver is a manual punch; older rows have none.
 */
import type { Migration } from './index';

export const migration0008: Migration = {
  version: 8,
  name: 'ledger-manual-approval',
  up(db) {
    db.exec(`ALTER TABLE ledger_events ADD COLUMN manual_approver TEXT`);
    db.exec(`ALTER TABLE ledger_events ADD COLUMN manual_note TEXT`);
  },
};
