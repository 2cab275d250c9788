/**
 * The clock ledger: every punch is appended to SQLite in one transaction (synchronous=FULL, set by
 * openDatabase) before the screen may say "done", and carries its own sync state until HotelMate
 * has it. Rows are never deleted before they are synced. A storage failure refuses the punch.
 */
import crypto from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { ManualApproval } from '../../shared/domain/ledger';
import type { ClockAction } from '../../shared/domain/types';
import { transaction, type WritableDB } from '../db/database';
import {
  cancelHeldEvent,
  capNextAttempts,
  dueEvents,
  expediteLedger,
  insertLedgerEvent,
  lastEventOf,
  lastPunchOfBoot,
  lastSessionEventBefore,
  ledgerCounts,
  ledgerDescriptor,
  ledgerEventById,
  ledgerEventBySeq,
  listLedgerEvents,
  markEventBlocked,
  markEventNeedsReview,
  markEventRetry,
  markEventSending,
  markEventSynced,
  nextDueMs,
  purgeSyncedBefore,
  recoverEventsInFlight,
  releaseAllHeldEvents,
  releaseHeldEvent,
  requeueReviewedEvent,
  setServerSessionStart,
  staffWithUnsynced,
  syncedEventsAfter,
  unsyncedActionsOf,
  unsyncedEventsOf,
  manualApprovalColumns,
  type LedgerCounts,
  type LedgerEvent,
  type SyncState,
} from '../db/ledger';
import type { Clock } from '../lib/clock';
import { errorCode, errorMessage } from '../lib/errors';
import type { Logger } from '../logging/logger';
import type { DescriptorCipher } from './descriptor-cipher';

export type { LedgerCounts, LedgerEvent, SyncState };

export interface AppendInput {
  staffId: number;
  action: ClockAction;
  reason?: string | null;
  matchDistance?: number | null;
  matchModel?: string | null;
  flagged?: boolean;
  /** Why the punch is flagged, with the scores, for the manager. */
  reviewNote?: string | null;
  /** The live 128-d descriptor of the deciding frame; stored encrypted, erased once synced. */
  liveDescriptor?: Float32Array | null;
  /** Holds the punch from the sync for this long after it is saved (its undo window); 0 or absent: sendable at once. */
  holdMs?: number;
  /** A punch made without a face: who approved it on the kiosk and the manager's note. */
  manual?: ManualApproval | null;
}

/** SQLite refused the write (full disk, corrupt file, I/O error...): the punch was NOT saved. */
export class LedgerStorageError extends Error {
  constructor(readonly sqliteCode: string, detail: string) {
    super(storageMessage(sqliteCode, detail));
    this.name = 'LedgerStorageError';
  }
}

function storageMessage(code: string, detail: string): string {
  if (code === 'SQLITE_FULL') return `The kiosk's disk is full: the punch was not saved. Free space on the device (${detail}).`;
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB')
    return `The kiosk database is damaged: the punch was not saved. New punches are refused until it is repaired (${detail}).`;
  if (code.startsWith('SQLITE_IOERR')) return `The kiosk could not write to its storage: the punch was not saved (${detail}).`;
  if (code === 'SQLITE_READONLY') return `The kiosk database is read-only: the punch was not saved (${detail}).`;
  return `The punch could not be saved (${code}: ${detail}).`;
}

/** A wall-clock change larger than this between two punches of one boot is recorded as a jump. */
const CLOCK_JUMP_TOLERANCE_MS = 2000;

export interface LedgerDeps {
  db: WritableDB;
  clock: Clock;
  logger: Logger;
  kioskId: string;
  /** Identifies this process run; monotonic references are only comparable within one boot. */
  bootId?: string;
  /**
   * Encrypts the live descriptor at rest so a queued punch can still be re-sent after a restart.
   * Without one, descriptors are kept in memory only (lost on restart; the registered template is used).
   */
  descriptorCipher?: DescriptorCipher | null;
}

export interface Ledger {
  readonly bootId: string;
  /**
   * Appends a punch durably (one transaction, synchronous=FULL) and returns it.
   * Throws LedgerStorageError when SQLite refuses; nothing is half-written.
   */
  append(input: AppendInput): LedgerEvent;
  get(eventId: string): LedgerEvent | null;
  /** The live descriptor stored with a not-yet-synced event (decrypted), or null. */
  liveDescriptor(eventId: string): Float32Array | null;
  /** Events of a person that are not on the server yet (pending or sending), oldest first. */
  unsyncedFor(staffId: number): LedgerEvent[];
  /** Just the actions and times of a person's unsynced events, oldest first (the effective-status hot path). */
  unsyncedActionsFor(staffId: number): { action: ClockAction; occurredAt: string }[];
  /** Newest event of a person (any state). */
  lastFor(staffId: number): LedgerEvent | null;
  /**
   * The events the sync may send now: per person only the oldest unsynced one (strict order),
   * and only when due; oldest first across people.
   */
  due(nowMs: number, limit: number): LedgerEvent[];
  /** Earliest next_attempt_ms among pending events, or null when none wait. */
  nextDueMs(): number | null;
  markSending(seq: number): void;
  markSynced(seq: number, result: { serverAction: string; response: unknown; syncedAt: Date; note?: string | null }): void;
  /**
   * Back to pending, due at `nextAttemptMs`. `lateWriteUntilMs`: the write got no answer, so nothing
   * is read or sent for this punch before then, even by `expedite` or after a restart.
   */
  markRetry(seq: number, error: string, nextAttemptMs: number, more?: { response?: unknown; lateWriteUntilMs?: number | null }): void;
  /** Keeps the row pending without counting an attempt (e.g. while paused by a 401/403). */
  markBlocked(seq: number, error: string, nextAttemptMs: number): void;
  markNeedsReview(seq: number, error: string, response?: unknown, serverAction?: string | null): void;
  /**
   * After a crash: rows left in 'sending' go back to pending; the dispatcher re-examines them from
   * `lateWriteUntilMs` on (their write may have gone out and HotelMate may still be carrying it out).
   */
  recoverInFlight(lateWriteUntilMs: number): number;
  counts(): LedgerCounts;
  list(filter: { state?: SyncState; limit: number }): LedgerEvent[];
  /** Deletes synced rows whose sync is older than `olderThanDays`; never touches unsynced rows. */
  purgeSynced(olderThanDays: number): number;
  /** Staff ids with unsynced events. */
  staffWithUnsynced(): number[];
  /** Runs `fn` in one transaction (one fsync): a sync verdict and the server facts it learned. */
  atomically<T>(fn: () => T): T;
  /** Makes every pending row due now (after a reconnect or a resume), but none before its late-write wait ends. */
  expedite(): void;
  /** Brings every pending due time later than `latestMs` forward to it (due times set by an earlier run). */
  capNextDue(latestMs: number): void;
  /**
   * Durably records HotelMate's session start (server time) the punch is about to change, before
   * the write is sent: a retry after a lost answer then refuses to change a different session.
   */
  rememberSessionStart(seq: number, sessionStart: string): void;
  /**
   * A needs-review punch back in the queue, due now (a manager's retry). Refused when it is not in
   * review, or when a later punch of the same person already reached HotelMate (it would replay out of order).
   */
  requeueReview(eventId: string, note: string): 'requeued' | 'not_found' | 'not_in_review' | 'superseded';
  /** The newest clock_in/clock_out of a person before `seq` (which session a clock-out closes). */
  lastSessionEventBefore(staffId: number, seq: number): LedgerEvent | null;
  /** Ends a punch's undo window now (the screen moved on): it may be sent. Returns whether it was held. */
  release(eventId: string): boolean;
  /** Ends every undo window (at start: a punch held when the kiosk stopped is sent). Returns how many. */
  releaseAll(): number;
  /**
   * Undoes a punch still in its undo window: the row is kept as `cancelled` and never sent. Refused
   * (false) once the window is over, the punch was released, or a later punch of the person counts.
   */
  cancel(eventId: string): boolean;
}

/** Maps anything SQLite threw into a LedgerStorageError. */
function asStorageError(error: unknown): LedgerStorageError {
  return new LedgerStorageError(errorCode(error) ?? 'SQLITE_ERROR', errorMessage(error));
}

/** Deletes synced punches whose sync is older than `olderThanDays`; never an unsynced one. Returns how many. */
export function purgeSyncedPunches(db: WritableDB, clock: Clock, olderThanDays: number): number {
  const cutoff = new Date(clock.now().getTime() - olderThanDays * 86_400_000).toISOString();
  return purgeSyncedBefore(db, cutoff);
}

/** Creates the ledger over an open, migrated database. */
export function createLedger(deps: LedgerDeps): Ledger {
  const { db, clock, kioskId } = deps;
  const logger = deps.logger.child('ledger');
  const bootId = deps.bootId ?? crypto.randomUUID();
  const cipher = deps.descriptorCipher ?? null;
  const memoryDescriptors = new Map<string, Float32Array>();

  const appendRow = (input: AppendInput): { eventId: string; clockJumpMs: number | null } =>
    transaction(db, () => {
      const now = clock.now();
      const monotonicMs = clock.monotonicMs();
      const previous = lastPunchOfBoot(db, bootId);
      let clockJumpMs: number | null = null;
      if (previous) {
        const jump = now.getTime() - previous.occurredMs - (monotonicMs - previous.monotonicMs);
        if (Math.abs(jump) > CLOCK_JUMP_TOLERANCE_MS) clockJumpMs = Math.round(jump);
      }
      const eventId = uuidv7();
      const live = input.liveDescriptor ?? null;
      insertLedgerEvent(db, {
        eventId,
        staffId: input.staffId,
        action: input.action,
        occurredAt: now.toISOString(),
        occurredMs: now.getTime(),
        monotonicMs,
        bootId,
        clockJumpMs,
        kioskId,
        reason: input.reason ?? null,
        matchDistance: input.matchDistance ?? null,
        matchModel: input.matchModel ?? null,
        flagged: input.flagged ?? false,
        holdUntilMs: input.holdMs && input.holdMs > 0 ? now.getTime() + Math.round(input.holdMs) : null,
        ...manualApprovalColumns(input.manual),
        reviewNote: input.reviewNote ?? null,
        descriptor: live && cipher ? cipher.seal(live, eventId) : null,
      });
      return { eventId, clockJumpMs };
    });

  const get = (eventId: string): LedgerEvent | null => ledgerEventById(db, eventId);

  const write = <T>(what: string, run: () => T): T => {
    try {
      return run();
    } catch (error) {
      const storage = asStorageError(error);
      logger.error('ledger write failed', { what, code: storage.sqliteCode, error: storage.message });
      throw storage;
    }
  };
  const asJson = (response: unknown): string | null => (response === undefined ? null : JSON.stringify(response));

  return {
    bootId,
    append(input) {
      const { eventId, clockJumpMs } = write('append', () => appendRow(input));
      if (input.liveDescriptor && !cipher) memoryDescriptors.set(eventId, new Float32Array(input.liveDescriptor));
      if (clockJumpMs !== null) logger.warn('wall clock jumped since the previous punch', { eventId, clockJumpMs });
      const event = get(eventId);
      if (!event) throw new LedgerStorageError('SQLITE_ERROR', 'the appended punch could not be read back');
      return event;
    },
    get,
    liveDescriptor(eventId) {
      const memory = memoryDescriptors.get(eventId);
      if (memory) return memory;
      if (!cipher) return null;
      const sealed = ledgerDescriptor(db, eventId);
      if (!sealed) return null;
      try {
        return cipher.open(sealed, eventId);
      } catch (error) {
        logger.warn('stored descriptor could not be decrypted (key changed?)', { eventId, error: errorMessage(error) });
        return null;
      }
    },
    unsyncedFor: (staffId) => unsyncedEventsOf(db, staffId),
    unsyncedActionsFor: (staffId) => unsyncedActionsOf(db, staffId),
    lastFor: (staffId) => lastEventOf(db, staffId),
    due: (nowMs, limit) => dueEvents(db, nowMs, limit),
    nextDueMs: () => nextDueMs(db),
    markSending(seq) {
      write('markSending', () => markEventSending(db, seq));
    },
    markSynced(seq, result) {
      const event = ledgerEventBySeq(db, seq);
      const delaySeconds = event ? Math.max(0, (result.syncedAt.getTime() - event.occurredMs) / 1000) : null;
      write('markSynced', () =>
        markEventSynced(db, {
          seq,
          serverAction: result.serverAction,
          response: JSON.stringify(result.response ?? null),
          syncedAt: result.syncedAt.toISOString(),
          delaySeconds,
          note: result.note ?? null,
        }),
      );
      if (event) memoryDescriptors.delete(event.eventId);
    },
    markRetry(seq, error, nextAttemptMs, more = {}) {
      const lateWriteUntilMs = more.lateWriteUntilMs == null ? null : Math.round(more.lateWriteUntilMs);
      write('markRetry', () => markEventRetry(db, { seq, error, nextAttemptMs: Math.round(nextAttemptMs), response: asJson(more.response), lateWriteUntilMs }));
    },
    markBlocked(seq, error, nextAttemptMs) {
      write('markBlocked', () => markEventBlocked(db, { seq, error, nextAttemptMs: Math.round(nextAttemptMs) }));
    },
    markNeedsReview(seq, error, response, serverAction) {
      write('markNeedsReview', () => markEventNeedsReview(db, { seq, error, response: asJson(response), serverAction: serverAction ?? null }));
    },
    recoverInFlight(lateWriteUntilMs) {
      return write('recoverInFlight', () => recoverEventsInFlight(db, Math.round(lateWriteUntilMs)));
    },
    counts: () => ledgerCounts(db),
    list: (filter) => listLedgerEvents(db, filter),
    purgeSynced(olderThanDays) {
      const removed = write('purgeSynced', () => purgeSyncedPunches(db, clock, olderThanDays));
      if (removed > 0) logger.info('purged synced punches past retention', { removed, olderThanDays });
      return removed;
    },
    atomically(fn) {
      return write('transaction', () => transaction(db, fn));
    },
    expedite() {
      write('expedite', () => expediteLedger(db));
    },
    capNextDue(latestMs) {
      const moved = write('capNextDue', () => capNextAttempts(db, Math.round(latestMs)));
      if (moved > 0) logger.info('retries set by an earlier run brought forward', { moved });
    },
    rememberSessionStart(seq, sessionStart) {
      write('rememberSessionStart', () => setServerSessionStart(db, seq, sessionStart));
    },
    requeueReview(eventId, note) {
      return write('requeueReview', () =>
        transaction(db, () => {
          const event = get(eventId);
          if (!event) return 'not_found' as const;
          if (event.syncState !== 'needs_review') return 'not_in_review' as const;
          if (syncedEventsAfter(db, event.staffId, event.seq) > 0) return 'superseded' as const;
          requeueReviewedEvent(db, eventId, note);
          return 'requeued' as const;
        }),
      );
    },
    lastSessionEventBefore: (staffId, seq) => lastSessionEventBefore(db, staffId, seq),
    release(eventId) {
      return write('release', () => releaseHeldEvent(db, eventId));
    },
    releaseAll() {
      return write('releaseAll', () => releaseAllHeldEvents(db));
    },
    cancel(eventId) {
      const cancelled = write('cancel', () => cancelHeldEvent(db, eventId, clock.now().getTime(), 'undone at the kiosk within its undo window; never sent'));
      if (cancelled) memoryDescriptors.delete(eventId);
      return cancelled;
    },
    staffWithUnsynced: () => staffWithUnsynced(db),
  };
}
