/**
 * 0010: live template candidates on disk. A face that may follow its person (a confident
 * recognition, or the face seen with a manager-approved manual punch) waits here until its punch
 * settles, so a restart before the sync forgets nothing. Each row is one punch's candidate: the
 * descriptor sealed like a template (AES-256-GCM, bound to this table's row and its person), the
 * distance it was recognised at, its source (`live` or `manual`) and when it was kept (wall-clock
 * ms, for retention).
 */
import type { Migration } from './index';

export const migration0010: Migration = {
  version: 10,
  name: 'live-template-candidates',
  up(db) {
    db.exec(`
      CREATE TABLE live_template_candidates (
        event_id TEXT PRIMARY KEY,
        staff_id INTEGER NOT NULL,
        distance REAL NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('live', 'manual')),
        created_ms INTEGER NOT NULL,
        descriptor BLOB NOT NULL CHECK (length(descriptor) = 541)
      ) STRICT;
      CREATE INDEX live_template_candidates_staff ON live_template_candidates (staff_id);
      CREATE INDEX live_template_candidates_created ON live_template_candidates (created_ms);
    `);
  },
};
