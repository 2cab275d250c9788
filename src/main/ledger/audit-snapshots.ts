/**
 * The optional audit snapshot of a punch (`recognition.auditSnapshots`): a small JPEG of the face at
 * punch time, sealed like the punch's descriptor (secrets/cipher.ts, the punch descriptor key, bound
 * to the punch's event id and its own purpose), so a manager can look at the face beside a flagged
 * punch in the admin ledger. It never leaves the kiosk: nothing sends it, and retention deletes it
 * after `retention.snapshotDays` (privacy/retention.ts).
 */
import { auditSnapshotEventIds, auditSnapshotOf, deleteAuditSnapshots, deleteAuditSnapshotsOfStaff, insertAuditSnapshot } from '../db/audit-snapshots';
import type { WritableDB } from '../db/database';
import type { Clock } from '../lib/clock';
import { toLogFormat, type Logger } from '../logging/logger';
import { bindings, createCipher } from '../secrets/cipher';

export interface AuditSnapshots {
  /** Seals and stores the JPEG of punch `eventId`. */
  keep(eventId: string, jpeg: Uint8Array): void;
  /** The JPEG of punch `eventId`; null when there is none or it does not open (logged). */
  open(eventId: string): Buffer | null;
  /** The event ids of the punches with a snapshot. */
  eventIds(): Set<string>;
  /** Deletes every snapshot of a person (their face is removed from the kiosk); returns how many went. */
  forgetStaff(staffId: number): number;
}

/** Creates the snapshot store over the punch descriptor key (32 bytes). */
export function createAuditSnapshots(deps: { db: WritableDB; key: Uint8Array; clock: Clock; logger: Logger }): AuditSnapshots {
  const cipher = createCipher(deps.key);
  const log = deps.logger.child('audit-snapshots');
  return {
    keep(eventId, jpeg) {
      insertAuditSnapshot(deps.db, { eventId, takenMs: deps.clock.now().getTime(), image: cipher.seal(jpeg, bindings.auditSnapshot(eventId)) });
    },
    open(eventId) {
      const sealed = deps.db.open ? auditSnapshotOf(deps.db, eventId) : null;
      if (!sealed) return null;
      try {
        return cipher.open(sealed, bindings.auditSnapshot(eventId));
      } catch (error) {
        log.warn('an audit snapshot did not open (another key, or moved from another punch)', { eventId, error: toLogFormat(error) });
        return null;
      }
    },
    eventIds: () => (deps.db.open ? auditSnapshotEventIds(deps.db) : new Set()),
    forgetStaff: (staffId) => (deps.db.open ? deleteAuditSnapshotsOfStaff(deps.db, staffId) : 0),
  };
}

/** Deletes the snapshots older than `olderThanDays` (and those of punches already purged); returns how many went. */
export function purgeAuditSnapshots(db: WritableDB, clock: Clock, olderThanDays: number): number {
  return deleteAuditSnapshots(db, clock.now().getTime() - olderThanDays * 86_400_000);
}
