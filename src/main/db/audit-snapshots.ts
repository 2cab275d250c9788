/**
 * Queries of the audit snapshots (`audit_snapshots`): the sealed JPEG of a face at punch time, one
 * per punch, kept for a manager's review for `retention.snapshotDays`. What goes in (sealed) and
 * when it goes is decided in src/main/ledger/audit-snapshots.ts and src/main/privacy/retention.ts.
 */
import type { ReadableDB, WritableDB } from './database';
import { command, query } from './statements';

const insertSnapshot = command<{ eventId: string; takenMs: number; image: Buffer }>(
  `INSERT OR REPLACE INTO audit_snapshots (event_id, taken_ms, image) VALUES (@eventId, @takenMs, @image)`,
);
const selectSnapshot = query<[string], { image: Buffer }>(`SELECT image FROM audit_snapshots WHERE event_id = ?`);
const selectSnapshotIds = query<[], { event_id: string }>(`SELECT event_id FROM audit_snapshots`);
/** Past retention, or left behind by a punch that is gone. */
const deleteSnapshots = command<[number]>(
  `DELETE FROM audit_snapshots WHERE taken_ms < ? OR event_id NOT IN (SELECT event_id FROM ledger_events)`,
);

/** Stores the sealed snapshot of punch `eventId` (replacing one already there). */
export function insertAuditSnapshot(db: WritableDB, row: { eventId: string; takenMs: number; image: Buffer }): void {
  insertSnapshot(db).run(row);
}

/** The sealed snapshot of punch `eventId`, or null. */
export function auditSnapshotOf(db: ReadableDB, eventId: string): Buffer | null {
  return selectSnapshot(db).get(eventId)?.image ?? null;
}

/** The event ids of the punches that have a snapshot. */
export function auditSnapshotEventIds(db: ReadableDB): Set<string> {
  return new Set(selectSnapshotIds(db).all().map((row) => row.event_id));
}

const deleteSnapshotsOfStaff = command<[number]>(
  `DELETE FROM audit_snapshots WHERE event_id IN (SELECT event_id FROM ledger_events WHERE staff_id = ?)`,
);

/** Deletes every snapshot of a person's punches; returns how many went. */
export function deleteAuditSnapshotsOfStaff(db: WritableDB, staffId: number): number {
  return deleteSnapshotsOfStaff(db).run(staffId).changes;
}

/** Deletes the snapshots taken before `cutoffMs` and those of punches no longer in the ledger; returns how many went. */
export function deleteAuditSnapshots(db: WritableDB, cutoffMs: number): number {
  return deleteSnapshots(db).run(cutoffMs).changes;
}
