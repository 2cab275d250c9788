/**
 * Queries of the clock ledger (`ledger_events`): every punch with its sync state. The ledger service
 * (src/main/ledger) decides what to write; this module is the only place that knows the table.
 */
import type { ManualApproval, ManualApprover, SyncState } from '../../shared/domain/ledger';
import type { ClockAction } from '../../shared/domain/types';
import type { ReadableDB, WritableDB } from './database';
import { command, query } from './statements';

/** Where a punch is on its way to HotelMate (the domain type; the table's CHECK constraint matches it). */
export type { SyncState };

/** One ledger row as main uses it (the encrypted descriptor stays out: see `ledgerDescriptor`). */
export interface LedgerEvent {
  seq: number;
  eventId: string;
  staffId: number;
  action: ClockAction;
  occurredAt: string;
  occurredMs: number;
  monotonicMs: number;
  bootId: string;
  /** Wall-clock jump detected against the previous punch of the same boot (ms), or null. */
  clockJumpMs: number | null;
  kioskId: string;
  reason: string | null;
  matchDistance: number | null;
  matchModel: string | null;
  flagged: boolean;
  /** Why a flagged punch is flagged, with the liveness scores (for the manager), or null. */
  reviewNote: string | null;
  syncState: SyncState;
  attempts: number;
  nextAttemptMs: number;
  /**
   * After a write HotelMate never answered (or whose connection was cut after it went out): until
   * when, on the sync's schedule clock, HotelMate may still be carrying it out. Nothing is read or
   * sent for the punch before then, even when every waiting punch is made due. Null otherwise.
   */
  lateWriteUntilMs: number | null;
  lastError: string | null;
  serverAction: string | null;
  serverResponse: string | null;
  syncedAt: string | null;
  delaySeconds: number | null;
  /**
   * HotelMate's session start (server time) this punch was about to change when it last wrote, so
   * a retry never changes another session; null until then.
   */
  serverSessionStart: string | null;
  /** While the punch is held from the sync for its undo window: the wall-clock ms the window ends; null once released. */
  holdUntilMs: number | null;
  /** Who approved a punch made without a face ("Clock without face"), or null for a face punch. */
  manualApprover: ManualApprover | null;
  /** The approving manager's note on a manual punch, or null. */
  manualNote: string | null;
  /** The manager who approved a manual punch with their face (staff id, and their name then); null otherwise. */
  manualApproverStaffId: number | null;
  manualApproverName: string | null;
}

/** A new punch as appended (always pending, no attempt yet), with its sealed live descriptor or null. */
export type NewLedgerEvent = Pick<
  LedgerEvent,
  | 'eventId'
  | 'staffId'
  | 'action'
  | 'occurredAt'
  | 'occurredMs'
  | 'monotonicMs'
  | 'bootId'
  | 'clockJumpMs'
  | 'kioskId'
  | 'reason'
  | 'matchDistance'
  | 'matchModel'
  | 'flagged'
  | 'holdUntilMs'
  | 'manualApprover'
  | 'manualNote'
  | 'manualApproverStaffId'
  | 'manualApproverName'
  | 'reviewNote'
> & { descriptor: Buffer | null };

export interface LedgerCounts {
  pending: number;
  sending: number;
  needsReview: number;
  synced: number;
  oldestPendingAt: string | null;
}

interface LedgerRow {
  seq: number;
  event_id: string;
  staff_id: number;
  action: ClockAction;
  occurred_at: string;
  occurred_ms: number;
  monotonic_ms: number;
  boot_id: string;
  clock_jump_ms: number | null;
  kiosk_id: string;
  reason: string | null;
  match_distance: number | null;
  match_model: string | null;
  flagged: number;
  review_note: string | null;
  sync_state: SyncState;
  attempts: number;
  next_attempt_ms: number;
  late_write_until_ms: number | null;
  last_error: string | null;
  server_action: string | null;
  server_response: string | null;
  synced_at: string | null;
  delay_seconds: number | null;
  server_session_start: string | null;
  hold_until_ms: number | null;
  manual_approver: ManualApprover | null;
  manual_note: string | null;
  manual_approver_staff_id: number | null;
  manual_approver_name: string | null;
}

const COLUMNS = `seq, event_id, staff_id, action, occurred_at, occurred_ms, monotonic_ms, boot_id, clock_jump_ms, kiosk_id,
  reason, match_distance, match_model, flagged, sync_state, attempts, next_attempt_ms, late_write_until_ms, last_error, server_action,
  server_response, synced_at, delay_seconds, server_session_start, hold_until_ms, manual_approver, manual_note, manual_approver_staff_id, manual_approver_name, review_note`;

function toLedgerEvent(row: LedgerRow): LedgerEvent {
  return {
    seq: row.seq,
    eventId: row.event_id,
    staffId: row.staff_id,
    action: row.action,
    occurredAt: row.occurred_at,
    occurredMs: row.occurred_ms,
    monotonicMs: row.monotonic_ms,
    bootId: row.boot_id,
    clockJumpMs: row.clock_jump_ms,
    kioskId: row.kiosk_id,
    reason: row.reason,
    matchDistance: row.match_distance,
    matchModel: row.match_model,
    flagged: row.flagged === 1,
    reviewNote: row.review_note,
    syncState: row.sync_state,
    attempts: row.attempts,
    nextAttemptMs: row.next_attempt_ms,
    lateWriteUntilMs: row.late_write_until_ms,
    lastError: row.last_error,
    serverAction: row.server_action,
    serverResponse: row.server_response,
    syncedAt: row.synced_at,
    delaySeconds: row.delay_seconds,
    serverSessionStart: row.server_session_start,
    holdUntilMs: row.hold_until_ms,
    manualApprover: row.manual_approver,
    manualNote: row.manual_note,
    manualApproverStaffId: row.manual_approver_staff_id,
    manualApproverName: row.manual_approver_name,
  };
}

/** The ledger columns of a manual approval (all null for a face punch). */
export function manualApprovalColumns(
  approval: ManualApproval | null | undefined,
): Pick<LedgerEvent, 'manualApprover' | 'manualNote' | 'manualApproverStaffId' | 'manualApproverName'> {
  return {
    manualApprover: approval?.approver ?? null,
    manualNote: approval?.note ?? null,
    manualApproverStaffId: approval?.approver === 'manager_face' ? approval.manager.staffId : null,
    manualApproverName: approval?.approver === 'manager_face' ? approval.manager.name : null,
  };
}

/** The manual approval of a punch from its columns, or null for a face punch. */
export function manualApprovalOf(event: Pick<LedgerEvent, 'manualApprover' | 'manualNote' | 'manualApproverStaffId' | 'manualApproverName'>): ManualApproval | null {
  switch (event.manualApprover) {
    case null:
      return null;
    case 'manager_pin':
      return { approver: 'manager_pin', note: event.manualNote };
    case 'manager_face':
      return {
        approver: 'manager_face',
        note: event.manualNote,
        manager: { staffId: event.manualApproverStaffId ?? 0, name: event.manualApproverName ?? `#${event.manualApproverStaffId ?? '?'}` },
      };
  }
}

const maybeEvent = (row: LedgerRow | undefined): LedgerEvent | null => (row ? toLedgerEvent(row) : null);

const insertEvent = command<Omit<NewLedgerEvent, 'flagged'> & { flagged: number }>(`INSERT INTO ledger_events
  (event_id, staff_id, action, occurred_at, occurred_ms, monotonic_ms, boot_id, clock_jump_ms, kiosk_id, reason,
   match_distance, match_model, flagged, review_note, descriptor, sync_state, attempts, next_attempt_ms, hold_until_ms, manual_approver, manual_note,
   manual_approver_staff_id, manual_approver_name)
  VALUES (@eventId, @staffId, @action, @occurredAt, @occurredMs, @monotonicMs, @bootId, @clockJumpMs, @kioskId, @reason,
   @matchDistance, @matchModel, @flagged, @reviewNote, @descriptor, 'pending', 0, 0, @holdUntilMs, @manualApprover, @manualNote,
   @manualApproverStaffId, @manualApproverName)`);
const selectLastOfBoot = query<[string], { occurred_ms: number; monotonic_ms: number }>(
  `SELECT occurred_ms, monotonic_ms FROM ledger_events WHERE boot_id = ? ORDER BY seq DESC LIMIT 1`,
);
const selectByEventId = query<[string], LedgerRow>(`SELECT ${COLUMNS} FROM ledger_events WHERE event_id = ?`);
const selectBySeq = query<[number], LedgerRow>(`SELECT ${COLUMNS} FROM ledger_events WHERE seq = ?`);
const selectDescriptor = query<[string], { descriptor: Buffer | null }>(`SELECT descriptor FROM ledger_events WHERE event_id = ?`);
const selectUnsyncedOf = query<[number], LedgerRow>(
  `SELECT ${COLUMNS} FROM ledger_events WHERE staff_id = ? AND sync_state IN ('pending','sending') ORDER BY seq`,
);
const selectUnsyncedActionsOf = query<[number], { action: ClockAction; occurredAt: string }>(
  `SELECT action, occurred_at AS occurredAt FROM ledger_events WHERE staff_id = ? AND sync_state IN ('pending','sending') ORDER BY seq`,
);
const selectLastOf = query<[number], LedgerRow>(`SELECT ${COLUMNS} FROM ledger_events WHERE staff_id = ? ORDER BY seq DESC LIMIT 1`);
// Per person, the head of the queue is the oldest pending/sending row; it is due when pending, its time has come,
// any wait after an unanswered write of it is over (whatever brought its due time forward: a probe, a restart) and
// it is not held for its undo window (a held punch also holds the person's later ones back: strict order).
const selectDue = query<[number, number, number], LedgerRow>(`SELECT ${COLUMNS} FROM ledger_events e
  WHERE e.sync_state = 'pending' AND e.next_attempt_ms <= ? AND COALESCE(e.late_write_until_ms, 0) <= ? AND e.hold_until_ms IS NULL
    AND NOT EXISTS (SELECT 1 FROM ledger_events p WHERE p.staff_id = e.staff_id AND p.seq < e.seq AND p.sync_state IN ('pending','sending'))
  ORDER BY e.seq LIMIT ?`);
// A held punch is not waiting for a time: its release wakes the sync.
const selectNextDue = query<[], { t: number | null }>(
  `SELECT MIN(MAX(next_attempt_ms, COALESCE(late_write_until_ms, 0))) AS t FROM ledger_events WHERE sync_state = 'pending' AND hold_until_ms IS NULL`,
);
const updateSending = command<[number]>(`UPDATE ledger_events SET sync_state = 'sending', attempts = attempts + 1 WHERE seq = ?`);
const updateSynced = command<{ seq: number; serverAction: string; response: string; syncedAt: string; delay: number | null; note: string | null }>(
  `UPDATE ledger_events SET sync_state = 'synced', server_action = @serverAction, server_response = @response, synced_at = @syncedAt,
   delay_seconds = @delay, last_error = @note, descriptor = NULL, late_write_until_ms = NULL WHERE seq = @seq`,
);
const updateRetry = command<{ seq: number; error: string; next: number; response: string | null; lateUntil: number | null }>(
  `UPDATE ledger_events SET sync_state = 'pending', last_error = @error, next_attempt_ms = @next, late_write_until_ms = @lateUntil,
   server_response = COALESCE(@response, server_response) WHERE seq = @seq`,
);
const updateBlocked = command<{ seq: number; error: string; next: number }>(
  `UPDATE ledger_events SET sync_state = 'pending', attempts = MAX(attempts - 1, 0), last_error = @error, next_attempt_ms = @next,
   late_write_until_ms = NULL WHERE seq = @seq`,
);
const updateNeedsReview = command<{ seq: number; error: string; response: string | null; serverAction: string | null }>(
  `UPDATE ledger_events SET sync_state = 'needs_review', last_error = @error, server_response = COALESCE(@response, server_response),
   server_action = COALESCE(@serverAction, server_action), late_write_until_ms = NULL WHERE seq = @seq`,
);
const updateRecover = command<{ until: number }>(`UPDATE ledger_events SET sync_state = 'pending', next_attempt_ms = @until, late_write_until_ms = @until,
  last_error = COALESCE(last_error, 'interrupted while sending; re-examined through the face-clock-in check') WHERE sync_state = 'sending'`);
const selectCounts = query<[], { state: SyncState; n: number }>(`SELECT sync_state AS state, COUNT(*) AS n FROM ledger_events GROUP BY sync_state`);
const selectOldestUnsynced = query<[], { occurred_at: string }>(
  `SELECT occurred_at FROM ledger_events WHERE sync_state IN ('pending','sending') ORDER BY seq LIMIT 1`,
);
const selectListByState = query<[SyncState, number], LedgerRow>(`SELECT ${COLUMNS} FROM ledger_events WHERE sync_state = ? ORDER BY seq DESC LIMIT ?`);
const selectList = query<[number], LedgerRow>(`SELECT ${COLUMNS} FROM ledger_events ORDER BY seq DESC LIMIT ?`);
const deleteSyncedBefore = command<[string, string]>(
  `DELETE FROM ledger_events WHERE (sync_state = 'synced' AND synced_at IS NOT NULL AND synced_at < ?)
   OR (sync_state = 'cancelled' AND occurred_at < ?)`,
);
// A punch waiting out a write HotelMate may still carry out is brought forward to the end of that wait, not before.
const updateExpedite = command<[]>(`UPDATE ledger_events SET next_attempt_ms = COALESCE(late_write_until_ms, 0)
  WHERE sync_state = 'pending' AND next_attempt_ms > COALESCE(late_write_until_ms, 0)`);
const selectSessionBefore = query<[number, number], LedgerRow>(`SELECT ${COLUMNS} FROM ledger_events WHERE staff_id = ? AND seq < ?
  AND action IN ('clock_in','clock_out') AND sync_state != 'cancelled' ORDER BY seq DESC LIMIT 1`);
const selectStaffWithUnsynced = query<[], { staff_id: number }>(
  `SELECT DISTINCT staff_id FROM ledger_events WHERE sync_state IN ('pending','sending')`,
);
const selectDescriptorsOfLength = query<[number], { event_id: string; descriptor: Buffer }>(
  `SELECT event_id, descriptor FROM ledger_events WHERE descriptor IS NOT NULL AND length(descriptor) = ? ORDER BY seq`,
);
const updateDescriptor = command<[Buffer, string]>(`UPDATE ledger_events SET descriptor = ? WHERE event_id = ?`);
const updateCapNextAttempt = command<[number, number]>(
  `UPDATE ledger_events SET next_attempt_ms = ? WHERE sync_state = 'pending' AND next_attempt_ms > ?`,
);
const updateSessionStart = command<[string, number]>(`UPDATE ledger_events SET server_session_start = ? WHERE seq = ?`);
const updateRequeueReview = command<[string, string]>(
  `UPDATE ledger_events SET sync_state = 'pending', next_attempt_ms = 0, last_error = ? WHERE event_id = ? AND sync_state = 'needs_review'`,
);
const updateReleaseHold = command<[string]>(`UPDATE ledger_events SET hold_until_ms = NULL WHERE event_id = ? AND hold_until_ms IS NOT NULL`);
const updateReleaseAllHolds = command<[]>(`UPDATE ledger_events SET hold_until_ms = NULL WHERE hold_until_ms IS NOT NULL`);
// Only a punch still held in its undo window, and only the person's newest punch that counts (order is kept).
const updateCancelHeld = command<{ eventId: string; nowMs: number; note: string }>(
  `UPDATE ledger_events SET sync_state = 'cancelled', hold_until_ms = NULL, descriptor = NULL, last_error = @note
   WHERE event_id = @eventId AND sync_state = 'pending' AND hold_until_ms IS NOT NULL AND hold_until_ms > @nowMs
     AND NOT EXISTS (SELECT 1 FROM ledger_events n WHERE n.staff_id = ledger_events.staff_id AND n.seq > ledger_events.seq
       AND n.sync_state != 'cancelled')`,
);
const selectSyncedAfter = query<[number, number], { n: number }>(
  `SELECT COUNT(*) AS n FROM ledger_events WHERE staff_id = ? AND seq > ? AND sync_state = 'synced'`,
);

/** The statements on the kiosk's hot paths, for the `EXPLAIN QUERY PLAN` checks. */
export const LEDGER_HOT_QUERIES = {
  /** The sync's next wave. */
  due: selectDue.sql,
  /** The effective status of a person (every screen that shows a status). */
  unsyncedActions: selectUnsyncedActionsOf.sql,
  /** The duplicate-tap check of every punch. */
  lastOf: selectLastOf.sql,
} as const;

export function insertLedgerEvent(db: WritableDB, event: NewLedgerEvent): void {
  insertEvent(db).run({ ...event, flagged: event.flagged ? 1 : 0 });
}

/** Wall and monotonic time of the newest punch of a boot (clock-jump detection). */
export function lastPunchOfBoot(db: ReadableDB, bootId: string): { occurredMs: number; monotonicMs: number } | null {
  const row = selectLastOfBoot(db).get(bootId);
  return row ? { occurredMs: row.occurred_ms, monotonicMs: row.monotonic_ms } : null;
}

export function ledgerEventById(db: ReadableDB, eventId: string): LedgerEvent | null {
  return maybeEvent(selectByEventId(db).get(eventId));
}

export function ledgerEventBySeq(db: ReadableDB, seq: number): LedgerEvent | null {
  return maybeEvent(selectBySeq(db).get(seq));
}

/** The sealed live descriptor kept with a punch, or null (none, or erased once synced). */
export function ledgerDescriptor(db: ReadableDB, eventId: string): Buffer | null {
  return selectDescriptor(db).get(eventId)?.descriptor ?? null;
}

/** A person's punches not on the server yet (pending or sending), oldest first. */
export function unsyncedEventsOf(db: ReadableDB, staffId: number): LedgerEvent[] {
  return selectUnsyncedOf(db).all(staffId).map(toLedgerEvent);
}

/** Only the actions and times of a person's unsynced punches, oldest first. */
export function unsyncedActionsOf(db: ReadableDB, staffId: number): { action: ClockAction; occurredAt: string }[] {
  return selectUnsyncedActionsOf(db).all(staffId);
}

export function lastEventOf(db: ReadableDB, staffId: number): LedgerEvent | null {
  return maybeEvent(selectLastOf(db).get(staffId));
}

/** Per person only the oldest unsynced punch, and only when pending, due (any late-write wait over) and not held; oldest first. */
export function dueEvents(db: ReadableDB, nowMs: number, limit: number): LedgerEvent[] {
  return selectDue(db).all(nowMs, nowMs, limit).map(toLedgerEvent);
}

/** Earliest next attempt among pending punches not held (not before a late-write wait ends), or null when none wait. */
export function nextDueMs(db: ReadableDB): number | null {
  return selectNextDue(db).get()?.t ?? null;
}

export function markEventSending(db: WritableDB, seq: number): void {
  updateSending(db).run(seq);
}

/** Marks a punch synced and erases its descriptor. */
export function markEventSynced(
  db: WritableDB,
  update: { seq: number; serverAction: string; response: string; syncedAt: string; delaySeconds: number | null; note: string | null },
): void {
  updateSynced(db).run({ ...update, delay: update.delaySeconds });
}

export function markEventRetry(
  db: WritableDB,
  update: { seq: number; error: string; nextAttemptMs: number; response: string | null; lateWriteUntilMs: number | null },
): void {
  updateRetry(db).run({ seq: update.seq, error: update.error, next: update.nextAttemptMs, response: update.response, lateUntil: update.lateWriteUntilMs });
}

/** Back to pending without counting the attempt. */
export function markEventBlocked(db: WritableDB, update: { seq: number; error: string; nextAttemptMs: number }): void {
  updateBlocked(db).run({ seq: update.seq, error: update.error, next: update.nextAttemptMs });
}

export function markEventNeedsReview(
  db: WritableDB,
  update: { seq: number; error: string; response: string | null; serverAction: string | null },
): void {
  updateNeedsReview(db).run(update);
}

/**
 * Punches left in 'sending' (a crash) go back to pending, neither read nor sent again before
 * `lateWriteUntilMs` (a write of theirs may have gone out and still be carried out); returns how many.
 */
export function recoverEventsInFlight(db: WritableDB, lateWriteUntilMs: number): number {
  return updateRecover(db).run({ until: lateWriteUntilMs }).changes;
}

export function ledgerCounts(db: ReadableDB): LedgerCounts {
  const counts: LedgerCounts = { pending: 0, sending: 0, needsReview: 0, synced: 0, oldestPendingAt: null };
  for (const row of selectCounts(db).all()) {
    if (row.state === 'pending') counts.pending = row.n;
    else if (row.state === 'sending') counts.sending = row.n;
    else if (row.state === 'needs_review') counts.needsReview = row.n;
    else if (row.state === 'synced') counts.synced = row.n;
  }
  counts.oldestPendingAt = selectOldestUnsynced(db).get()?.occurred_at ?? null;
  return counts;
}

/** Newest first, optionally of one state. */
export function listLedgerEvents(db: ReadableDB, filter: { state?: SyncState; limit: number }): LedgerEvent[] {
  const rows = filter.state ? selectListByState(db).all(filter.state, filter.limit) : selectList(db).all(filter.limit);
  return rows.map(toLedgerEvent);
}

/** Deletes synced punches whose sync, and cancelled ones whose punch, is older than `cutoffIso`; never an unsynced one. Returns how many. */
export function purgeSyncedBefore(db: WritableDB, cutoffIso: string): number {
  return deleteSyncedBefore(db).run(cutoffIso, cutoffIso).changes;
}

/** Ends a punch's undo window now: it may be sent. Returns whether it was held. */
export function releaseHeldEvent(db: WritableDB, eventId: string): boolean {
  return updateReleaseHold(db).run(eventId).changes > 0;
}

/** Ends every undo window (at start: nobody can undo a punch of an earlier run). Returns how many. */
export function releaseAllHeldEvents(db: WritableDB): number {
  return updateReleaseAllHolds(db).run().changes;
}

/**
 * Marks a punch cancelled (kept, never sent) when it is still in its undo window at `nowMs` and no
 * later punch of the person counts. Returns whether it was cancelled.
 */
export function cancelHeldEvent(db: WritableDB, eventId: string, nowMs: number, note: string): boolean {
  return updateCancelHeld(db).run({ eventId, nowMs, note }).changes > 0;
}

/** Makes every pending punch due now, except that one waiting out an unanswered write is due when that wait ends. */
export function expediteLedger(db: WritableDB): void {
  updateExpedite(db).run();
}

/** The newest clock_in/clock_out of a person before `seq`. */
export function lastSessionEventBefore(db: ReadableDB, staffId: number, seq: number): LedgerEvent | null {
  return maybeEvent(selectSessionBefore(db).get(staffId, seq));
}

export function staffWithUnsynced(db: ReadableDB): number[] {
  return selectStaffWithUnsynced(db)
    .all()
    .map((row) => row.staff_id);
}

/** Brings every pending due time later than `latestMs` forward to it. Returns how many moved. */
export function capNextAttempts(db: WritableDB, latestMs: number): number {
  return updateCapNextAttempt(db).run(latestMs, latestMs).changes;
}

/** Records HotelMate's session start a punch is about to change (server time, as HotelMate wrote it). */
export function setServerSessionStart(db: WritableDB, seq: number, sessionStart: string): void {
  updateSessionStart(db).run(sessionStart, seq);
}

/** A needs-review punch back to pending and due now, with `note` as its last error. Returns whether it was in review. */
export function requeueReviewedEvent(db: WritableDB, eventId: string, note: string): boolean {
  return updateRequeueReview(db).run(note, eventId).changes > 0;
}

/** How many punches of a person after `seq` have already reached HotelMate. */
export function syncedEventsAfter(db: ReadableDB, staffId: number, seq: number): number {
  return selectSyncedAfter(db).get(staffId, seq)?.n ?? 0;
}

/** Stored descriptors of one byte length (how the ciphertext migration finds the old format). */
export function ledgerDescriptorsOfLength(db: ReadableDB, length: number): { eventId: string; sealed: Buffer }[] {
  return selectDescriptorsOfLength(db)
    .all(length)
    .map((row) => ({ eventId: row.event_id, sealed: row.descriptor }));
}

export function setLedgerDescriptor(db: WritableDB, eventId: string, sealed: Buffer): void {
  updateDescriptor(db).run(sealed, eventId);
}
