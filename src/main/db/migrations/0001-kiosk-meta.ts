/** 0001: key/value facts about this kiosk (ids, counters for diagnostics). */
import type { Migration } from './index';

export const migration0001: Migration = {
  version: 1,
  name: 'kiosk-meta',
  up(db) {
    db.exec(`
      CREATE TABLE kiosk_meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
    `);
  },
};
