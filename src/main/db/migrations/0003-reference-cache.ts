/** 0003: reference data cached from HotelMate for offline use: staff, today's shifts, server-known status, face config. */
import type { Migration } from './index';

export const migration0003: Migration = {
  version: 3,
  name: 'reference-cache',
  up(db) {
    db.exec(`
      CREATE TABLE staff (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        department TEXT,
        department_slug TEXT,
        photo_url TEXT,
        is_active INTEGER NOT NULL DEFAULT 1,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE TABLE shifts (
        id INTEGER PRIMARY KEY,
        staff_id INTEGER NOT NULL,
        shift_date TEXT NOT NULL,
        shift_start TEXT NOT NULL,
        shift_end TEXT NOT NULL,
        department TEXT,
        location TEXT,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX shifts_staff_date ON shifts (staff_id, shift_date);
      CREATE TABLE server_status (
        staff_id INTEGER PRIMARY KEY,
        status TEXT NOT NULL CHECK (status IN ('off_duty','on_duty','on_break')),
        break_started_at TEXT,
        since TEXT,
        observed_at TEXT NOT NULL,
        source TEXT NOT NULL
      ) STRICT;
      CREATE TABLE reference_meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
    `);
  },
};
