/**
 * 0004: face templates (several per person, each an AES-256-GCM blob: the plain descriptor never
 * touches the disk) and the consent record. registered_with_server: 0 not sent, 1 registered with
 * HotelMate, 2 queued for registration.
 */
import type { Migration } from './index';

export const migration0004: Migration = {
  version: 4,
  name: 'face-templates',
  up(db) {
    db.exec(`
      CREATE TABLE face_templates (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        staff_id INTEGER NOT NULL,
        descriptor BLOB NOT NULL CHECK (length(descriptor) = 541),
        source TEXT NOT NULL,
        quality REAL NOT NULL,
        model TEXT NOT NULL,
        registered_with_server INTEGER NOT NULL DEFAULT 0 CHECK (registered_with_server IN (0, 1, 2)),
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
