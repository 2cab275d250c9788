/** 0004: face templates (several per person, encrypted at rest) and the consent record. */
import type { Migration } from './index';

export const migration0004: Migration = {
  version: 4,
  name: 'face-templates',
  up(db) {
    db.exec(`
      CREATE TABLE face_templates (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        staff_id INTEGER NOT NULL,
        descriptor BLOB NOT NULL,
        source TEXT NOT NULL,
        quality REAL NOT NULL,
        model TEXT NOT NULL,
        registered_with_server INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX face_templates_staff ON face_templates (staff_id);
      CREATE TABLE face_consents (
        staff_id INTEGER PRIMARY KEY,
        consent_text TEXT NOT NULL,
        given_at TEXT NOT NULL,
        recorded_by TEXT NOT NULL
      ) STRICT;
    `);
  },
};
