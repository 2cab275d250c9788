/**
 * The clock ledger: every punch is appended to SQLite in one transaction (synchronous=FULL, set by
 * openDatabase) before the screen may say "done", and carries its own sync state until HotelMate
 * has it. Rows are never deleted before they are synced. A storage failure refuses the punch.
 */
import crypto from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { ClockAction } from '../../shared/domain/types';
import type { SyncState } from '../../shared/domain/ledger';
import type { WritableDB } from '../db/database';
import type { Logger } from '../logging/logger';
import type { Clock } from '../lib/clock';
import type { DescriptorCipher } from './descriptor-cipher';

/** One ledger row as main uses it (the descriptor stays out: see `liveDescriptor`). */
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
  syncState: SyncState;
  attempts: number;
  nextAttemptMs: number;
  lastError: string | null;
  serverAction: string | null;
  serverResponse: string | null;
  syncedAt: string | null;
  delaySeconds: number | null;
}

export interface AppendInput {
  staffId: number;
  action: ClockAction;
  reason?: string | null;
  matchDistance?: number | null;
  matchModel?: string | null;
  flagged?: boolean;
  /** The live 128-d descriptor of the deciding frame; stored encrypted, erased once synced. */
  liveDescriptor?: Float32Array | null;
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

interface Row {
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
  sync_state: SyncState;
  attempts: number;
  next_attempt_ms: number;
  last_error: string | null;
  server_action: string | null;
  server_response: string | null;
  synced_at: string | null;
  delay_seconds: number | null;
}

const COLUMNS = `seq, event_id, staff_id, action, occurred_at, occurred_ms, monotonic_ms, boot_id, clock_jump_ms, kiosk_id,
  reason, match_distance, match_model, flagged, sync_state, attempts, next_attempt_ms, last_error, server_action,
  server_response, synced_at, delay_seconds`;

function toEvent(row: Row): LedgerEvent {
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
    syncState: row.sync_state,
    attempts: row.attempts,
    nextAttemptMs: row.next_attempt_ms,
    lastError: row.last_error,
    serverAction: row.server_action,
    serverResponse: row.server_response,
    syncedAt: row.synced_at,
    delaySeconds: row.delay_seconds,
  };
}

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

export interface LedgerCounts {
  pending: number;
  sending: number;
  needsReview: number;
  synced: number;
  oldestPendingAt: string | null;
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
  markRetry(seq: number, error: string, nextAttemptMs: number, response?: unknown): void;
  /** Keeps the row pending without counting an attempt (e.g. while paused by a 401/403). */
  markBlocked(seq: number, error: string, nextAttemptMs: number): void;
  markNeedsReview(seq: number, error: string, response?: unknown, serverAction?: string | null): void;
  /** After a crash: rows left in 'sending' go back to pending; the dispatcher re-examines them. */
  recoverInFlight(): number;
  counts(): LedgerCounts;
  list(filter: { state?: SyncState; limit: number }): LedgerEvent[];
  /** Deletes synced rows whose sync is older than `olderThanDays`; never touches unsynced rows. */
  purgeSynced(olderThanDays: number): number;
  /** Staff ids with unsynced events. */
  staffWithUnsynced(): number[];
  /** Runs `fn` in one transaction (one fsync): a sync verdict and the server facts it learned. */
  atomically<T>(fn: () => T): T;
  /** Makes every pending row due now (after a reconnect or a resume). */
  expedite(): void;
  /** The newest clock_in/clock_out of a person before `seq` (which session a clock-out closes). */
  lastSessionEventBefore(staffId: number, seq: number): LedgerEvent | null;
}

/** Maps anything SQLite threw into a LedgerStorageError (or rethrows programming errors). */
function asStorageError(error: unknown): LedgerStorageError {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  return new LedgerStorageError(typeof code === 'string' ? code : 'SQLITE_ERROR', message);
}

/** Creates the ledger over an open, migrated database. */
export function createLedger(deps: LedgerDeps): Ledger {
  const { db, clock, kioskId } = deps;
  const logger = deps.logger.child('ledger');
  const bootId = deps.bootId ?? crypto.randomUUID();
  const cipher = deps.descriptorCipher ?? null;
  const memoryDescriptors = new Map<string, Float32Array>();

  const insert = db.prepare(`INSERT INTO ledger_events
    (event_id, staff_id, action, occurred_at, occurred_ms, monotonic_ms, boot_id, clock_jump_ms, kiosk_id, reason,
     match_distance, match_model, flagged, descriptor, sync_state, attempts, next_attempt_ms)
    VALUES (@eventId, @staffId, @action, @occurredAt, @occurredMs, @monotonicMs, @bootId, @clockJumpMs, @kioskId, @reason,
     @matchDistance, @matchModel, @flagged, @descriptor, 'pending', 0, 0)`);
  const lastOfBoot = db.prepare(`SELECT occurred_ms, monotonic_ms FROM ledger_events WHERE boot_id = ? ORDER BY seq DESC LIMIT 1`);
  const byEventId = db.prepare(`SELECT ${COLUMNS} FROM ledger_events WHERE event_id = ?`);
  const bySeq = db.prepare(`SELECT ${COLUMNS} FROM ledger_events WHERE seq = ?`);
  const descriptorOf = db.prepare(`SELECT descriptor FROM ledger_events WHERE event_id = ?`);
  const unsyncedOf = db.prepare(
    `SELECT ${COLUMNS} FROM ledger_events WHERE staff_id = ? AND sync_state IN ('pending','sending') ORDER BY seq`,
  );
  const unsyncedActionsOf = db.prepare(
    `SELECT action, occurred_at AS occurredAt FROM ledger_events WHERE staff_id = ? AND sync_state IN ('pending','sending') ORDER BY seq`,
  );
  const lastOf = db.prepare(`SELECT ${COLUMNS} FROM ledger_events WHERE staff_id = ? ORDER BY seq DESC LIMIT 1`);
  // Per person, the head of the queue is the oldest pending/sending row; it is due when pending and its time has come.
  const dueRows = db.prepare(`SELECT ${COLUMNS} FROM ledger_events e
    WHERE e.sync_state = 'pending' AND e.next_attempt_ms <= ?
      AND NOT EXISTS (SELECT 1 FROM ledger_events p WHERE p.staff_id = e.staff_id AND p.seq < e.seq AND p.sync_state IN ('pending','sending'))
    ORDER BY e.seq LIMIT ?`);
  const nextDue = db.prepare(`SELECT MIN(next_attempt_ms) AS t FROM ledger_events WHERE sync_state = 'pending'`);
  const setSending = db.prepare(`UPDATE ledger_events SET sync_state = 'sending', attempts = attempts + 1 WHERE seq = ?`);
  const setSynced = db.prepare(`UPDATE ledger_events SET sync_state = 'synced', server_action = @serverAction,
    server_response = @response, synced_at = @syncedAt, delay_seconds = @delay, last_error = @note, descriptor = NULL WHERE seq = @seq`);
  const setRetry = db.prepare(`UPDATE ledger_events SET sync_state = 'pending', last_error = @error, next_attempt_ms = @next,
    server_response = COALESCE(@response, server_response) WHERE seq = @seq`);
  const setBlocked = db.prepare(`UPDATE ledger_events SET sync_state = 'pending', attempts = MAX(attempts - 1, 0),
    last_error = @error, next_attempt_ms = @next WHERE seq = @seq`);
  const setReview = db.prepare(`UPDATE ledger_events SET sync_state = 'needs_review', last_error = @error,
    server_response = COALESCE(@response, server_response), server_action = COALESCE(@serverAction, server_action) WHERE seq = @seq`);
  const recover = db.prepare(`UPDATE ledger_events SET sync_state = 'pending', next_attempt_ms = 0,
    last_error = COALESCE(last_error, 'interrupted while sending; re-examined through the face-clock-in check') WHERE sync_state = 'sending'`);
  const countRows = db.prepare(`SELECT sync_state AS state, COUNT(*) AS n FROM ledger_events GROUP BY sync_state`);
  const oldestPending = db.prepare(
    `SELECT occurred_at FROM ledger_events WHERE sync_state IN ('pending','sending') ORDER BY seq LIMIT 1`,
  );
  const purge = db.prepare(`DELETE FROM ledger_events WHERE sync_state = 'synced' AND synced_at IS NOT NULL AND synced_at < ?`);
  const expediteAll = db.prepare(`UPDATE ledger_events SET next_attempt_ms = 0 WHERE sync_state = 'pending' AND next_attempt_ms > 0`);
  const sessionBefore = db.prepare(`SELECT ${COLUMNS} FROM ledger_events WHERE staff_id = ? AND seq < ?
    AND action IN ('clock_in','clock_out') ORDER BY seq DESC LIMIT 1`);
  const staffUnsynced = db.prepare(`SELECT DISTINCT staff_id FROM ledger_events WHERE sync_state IN ('pending','sending')`);

  const encode = (descriptor: Float32Array): Buffer => {
    const plain = Buffer.from(descriptor.buffer.slice(descriptor.byteOffset, descriptor.byteOffset + descriptor.byteLength));
    return cipher ? cipher.encrypt(plain) : plain;
  };

  const appendTx = db.transaction((input: AppendInput) => {
    const now = clock.now();
    const monotonicMs = clock.monotonicMs();
    const previous = lastOfBoot.get(bootId) as { occurred_ms: number; monotonic_ms: number } | undefined;
    let clockJumpMs: number | null = null;
    if (previous) {
      const jump = now.getTime() - previous.occurred_ms - (monotonicMs - previous.monotonic_ms);
      if (Math.abs(jump) > CLOCK_JUMP_TOLERANCE_MS) clockJumpMs = Math.round(jump);
    }
    const eventId = uuidv7();
    const live = input.liveDescriptor ?? null;
    insert.run({
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
      flagged: input.flagged ? 1 : 0,
      descriptor: live && cipher ? encode(live) : null,
    });
    return { eventId, clockJumpMs };
  });

  const get = (eventId: string): LedgerEvent | null => {
    const row = byEventId.get(eventId) as Row | undefined;
    return row ? toEvent(row) : null;
  };

  const write = <T>(what: string, run: () => T): T => {
    try {
      return run();
    } catch (error) {
      const storage = asStorageError(error);
      logger.error('ledger write failed', { what, code: storage.sqliteCode, error: storage.message });
      throw storage;
    }
  };

  return {
    bootId,
    append(input) {
      const { eventId, clockJumpMs } = write('append', () => appendTx(input));
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
      const row = descriptorOf.get(eventId) as { descriptor: Buffer | null } | undefined;
      if (!row?.descriptor) return null;
      try {
        const plain = cipher.decrypt(row.descriptor);
        if (plain.byteLength !== 128 * 4) return null;
        return new Float32Array(plain.buffer.slice(plain.byteOffset, plain.byteOffset + plain.byteLength));
      } catch (error) {
        logger.warn('stored descriptor could not be decrypted (key changed?)', { eventId, error: (error as Error).message });
        return null;
      }
    },
    unsyncedFor(staffId) {
      return (unsyncedOf.all(staffId) as Row[]).map(toEvent);
    },
    unsyncedActionsFor(staffId) {
      return unsyncedActionsOf.all(staffId) as { action: ClockAction; occurredAt: string }[];
    },
    lastFor(staffId) {
      const row = lastOf.get(staffId) as Row | undefined;
      return row ? toEvent(row) : null;
    },
    due(nowMs, limit) {
      return (dueRows.all(nowMs, limit) as Row[]).map(toEvent);
    },
    nextDueMs() {
      const row = nextDue.get() as { t: number | null };
      return row.t;
    },
    markSending(seq) {
      write('markSending', () => setSending.run(seq));
    },
    markSynced(seq, result) {
      const row = bySeq.get(seq) as Row | undefined;
      const delay = row ? Math.max(0, (result.syncedAt.getTime() - row.occurred_ms) / 1000) : null;
      write('markSynced', () =>
        setSynced.run({
          seq,
          serverAction: result.serverAction,
          response: JSON.stringify(result.response ?? null),
          syncedAt: result.syncedAt.toISOString(),
          delay,
          note: result.note ?? null,
        }),
      );
      if (row) memoryDescriptors.delete(row.event_id);
    },
    markRetry(seq, error, nextAttemptMs, response) {
      write('markRetry', () =>
        setRetry.run({ seq, error, next: Math.round(nextAttemptMs), response: response === undefined ? null : JSON.stringify(response) }),
      );
    },
    markBlocked(seq, error, nextAttemptMs) {
      write('markBlocked', () => setBlocked.run({ seq, error, next: Math.round(nextAttemptMs) }));
    },
    markNeedsReview(seq, error, response, serverAction) {
      write('markNeedsReview', () =>
        setReview.run({
          seq,
          error,
          response: response === undefined ? null : JSON.stringify(response),
          serverAction: serverAction ?? null,
        }),
      );
    },
    recoverInFlight() {
      return write('recoverInFlight', () => recover.run().changes);
    },
    counts() {
      const counts: LedgerCounts = { pending: 0, sending: 0, needsReview: 0, synced: 0, oldestPendingAt: null };
      for (const row of countRows.all() as { state: SyncState; n: number }[]) {
        if (row.state === 'pending') counts.pending = row.n;
        else if (row.state === 'sending') counts.sending = row.n;
        else if (row.state === 'needs_review') counts.needsReview = row.n;
        else counts.synced = row.n;
      }
      counts.oldestPendingAt = (oldestPending.get() as { occurred_at: string } | undefined)?.occurred_at ?? null;
      return counts;
    },
    list(filter) {
      const rows = filter.state
        ? db.prepare(`SELECT ${COLUMNS} FROM ledger_events WHERE sync_state = ? ORDER BY seq DESC LIMIT ?`).all(filter.state, filter.limit)
        : db.prepare(`SELECT ${COLUMNS} FROM ledger_events ORDER BY seq DESC LIMIT ?`).all(filter.limit);
      return (rows as Row[]).map(toEvent);
    },
    purgeSynced(olderThanDays) {
      const cutoff = new Date(clock.now().getTime() - olderThanDays * 86_400_000).toISOString();
      const removed = write('purgeSynced', () => purge.run(cutoff).changes);
      if (removed > 0) logger.info('purged synced punches past retention', { removed, olderThanDays });
      return removed;
    },
    atomically(fn) {
      return write('transaction', () => db.transaction(fn)());
    },
    expedite() {
      write('expedite', () => expediteAll.run());
    },
    lastSessionEventBefore(staffId, seq) {
      const row = sessionBefore.get(staffId, seq) as Row | undefined;
      return row ? toEvent(row) : null;
    },
    staffWithUnsynced() {
      return (staffUnsynced.all() as { staff_id: number }[]).map((r) => r.staff_id);
    },
  };
}
