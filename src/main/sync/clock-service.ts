/**
 * The clock service: punches go to the durable ledger first, the
 * screen shows the effective status (server-known status with pending local punches on top), and
 * the sync engine moves the ledger to HotelMate in the background. Reference data comes from the
 * SQLite cache so the kiosk keeps working offline.
 */
import { DUPLICATE_WINDOW_MS } from '../../shared/domain/duty-status';
import type { ConnectionState, EffectiveStatus, OnDutyBoard, ShiftSummary, StaffSummary, StatusFreshness } from '../../shared/domain/types';
import type { StaffListEntry } from '../../shared/domain/enrolment';
import type { StaffAuthority } from '../../shared/domain/manual-approvers';
import type { LedgerRetryResult, LedgerRow } from '../../shared/domain/ledger';
import type { PunchResult, UndoResult } from '../../shared/domain/punch';
import type { KioskConfig } from '../../shared/config/schema';
import type { WritableDB } from '../db/database';
import { manualApprovalOf } from '../db/ledger';
import type { HotelMateClient } from '../hotelmate/client';
import { createLedger, type Ledger, type LedgerEvent } from '../ledger/ledger-store';
import type { DescriptorCipher } from '../ledger/descriptor-cipher';
import type { Logger } from '../logging/logger';
import { createReferenceCache, type ReferenceCache, type RefreshReport } from '../reference/reference-cache';
import type { Clock } from '../lib/clock';
import { createEmitter, type Subscribe } from '../lib/emitter';
import { errorMessage } from '../lib/errors';
import type { ServerStatusUpdate } from '../../shared/domain/types';
import { ledgerCsv } from './ledger-csv';
import { recordPunch, type PunchInput } from './punch-recorder';
import { createManualLogVerdicts, readManualLog } from './manual-session';
import { createStatusView } from './status-view';
import { createSyncEngine, type DescriptorFor, type SyncEngine, type SyncOptions } from './sync-engine';
import { createThrottle } from './throttle';

export interface ClockServiceDeps {
  db: WritableDB;
  /** Null while the kiosk is not configured: punches are still recorded and wait. */
  client: HotelMateClient | null;
  clock: Clock;
  logger: Logger;
  config: KioskConfig;
  /** Which encoding to send for a punch: the person's registered template, else `live`. Default: `live`. */
  descriptorFor?: DescriptorFor;
  kioskId: string;
  /** Encrypts live descriptors kept with queued punches (so they survive a restart); memory-only without. */
  descriptorCipher?: DescriptorCipher | null;
  /** Whether a person has templates on this kiosk (for staffList). */
  isEnrolled?: (staffId: number) => boolean;
  /** Window in which a repeated tap is a duplicate (default 10 s). */
  duplicateWindowMs?: number;
  /**
   * How long a new punch is held from the sync so the person can undo it (the kiosk uses
   * UNDO_WINDOW_MS; default 0: no undo, sendable at once).
   */
  undoWindowMs?: number;
  /** How often reference data is refreshed (default 15 min). */
  referenceRefreshMs?: number;
  /** Called when a punch reached a final sync state (synced, or needs review). */
  onPunchSettled?: (event: LedgerEvent) => void;
  /** Called after each reference refresh (leavers: the staff list says who is inactive). */
  onReferenceRefreshed?: (report: RefreshReport, reference: ReferenceCache) => void;
  /** How often everyone's status is re-read while online, the backstop for events HotelMate never sends (default 60 s). */
  statusPollMs?: number;
  sync?: Partial<SyncOptions>;
}

export type { PunchInput } from './punch-recorder';

/** The punch clock: the durable ledger, effective statuses, reference data and the sync to HotelMate. */
export interface ClockService {
  start(): Promise<void>;
  /** Stops syncing after the in-flight request, leaving pending punches for the next start. */
  stop(): Promise<void>;
  /**
   * Durably appends the punch (SQLite, synchronous=FULL) before resolving. With an undo window it is
   * held from the sync until the window ends or `release()`; otherwise the sync is nudged at once.
   */
  punch(input: PunchInput): PunchResult;
  /** Ends a punch's undo window now (the screen moved on): the sync may send it. */
  release(eventId: string): void;
  /** Undoes a punch within its undo window: kept as cancelled, never sent; refused (`too_late`) after it. */
  undo(eventId: string): UndoResult;
  /**
   * Waits up to timeoutMs for the punch to settle: `synced` once it has reached HotelMate,
   * `needs_review` once HotelMate could not take it (a manager will check it), else `pending` (it
   * stays saved and syncs later). Lets the screen say truthfully which it is.
   */
  awaitSettled(eventId: string, timeoutMs: number): Promise<'synced' | 'needs_review' | 'pending'>;
  effectiveStatus(staffId: number): EffectiveStatus;
  /**
   * The person's status for a greeting: while online, re-read from HotelMate (staff detail) within
   * `budgetMs` and answered `live`; offline, or when the budget runs out, the last known status
   * answered `cached` with the time it rests on. A late answer is still recorded and announced
   * (`onStatus`). Never rejects.
   */
  refreshStatus(staffId: number, budgetMs: number): Promise<EffectiveStatus>;
  onStatus: Subscribe<EffectiveStatus>;
  connection(): ConnectionState;
  onConnection: Subscribe<ConnectionState>;
  /** Records a status the server reported (API response, Pusher event, status read). */
  applyServerStatus(update: ServerStatusUpdate): void;
  /** Re-read statuses and reference data from the API (after a reconnect, or on a roster event). */
  catchUp(reason: string): Promise<void>;
  staff(staffId: number): StaffSummary | null;
  /** A person's HotelMate authority as last refreshed with the staff list (who may approve a punch without a face), or null when unknown. */
  authority(staffId: number): (StaffAuthority & { isActive: boolean }) | null;
  staffList(): StaffListEntry[];
  todayShift(staffId: number): ShiftSummary | null;
  board(): OnDutyBoard;
  onBoard: Subscribe<OnDutyBoard>;
  ledger(filter: { state?: LedgerRow['syncState']; limit: number }): LedgerRow[];
  /**
   * A manager's retry of a needs-review punch: back in the queue, due now, through HotelMate's state
   * check again. Refused when it is not in review, or when a later punch of the person has already
   * reached HotelMate (it would be replayed out of order).
   */
  retryReview(eventId: string): LedgerRetryResult;
  /** Counts by sync state and the oldest unsynced punch, without reading the rows. */
  queueStats(): { pending: number; sending: number; needsReview: number; synced: number; oldestPendingAt: string | null };
  exportCsv(): string;
  /** The parts tests and benchmarks reach into. */
  readonly ledgerStore: Ledger;
  readonly reference: ReferenceCache;
  readonly sync: SyncEngine;
}

/**
 * Builds the clock service. Nothing is sent to HotelMate before start().
 * punch() never throws for storage problems: it resolves to `{ ok: false, error: { code: 'storage_failed' } }`.
 */
export function createClockService(deps: ClockServiceDeps): ClockService {
  const { db, clock, config } = deps;
  const logger = deps.logger.child('clock');
  const ledger = createLedger({ db, clock, logger: deps.logger, kioskId: deps.kioskId, descriptorCipher: deps.descriptorCipher ?? null });
  const reference = createReferenceCache({ db, client: deps.client, clock, logger: deps.logger });
  const statusEvents = createEmitter<EffectiveStatus>('clock.status', logger);
  const connectionEvents = createEmitter<ConnectionState>('clock.connection', logger);
  const boardEvents = createEmitter<OnDutyBoard>('clock.board', logger);
  const manualLogs = createManualLogVerdicts();
  const { effectiveStatus, board, manualSession } = createStatusView({ ledger, reference, clock, manualLogs });
  /** Set by stop(): late callbacks (a catch-up whose network call outlived the service) do nothing. */
  let stopped = false;
  const duplicateWindowMs = deps.duplicateWindowMs ?? DUPLICATE_WINDOW_MS;
  let stopHousekeeping = (): void => undefined;
  let storageProblem: string | null = null;
  const undoWindowMs = deps.undoWindowMs ?? 0;
  /** The timers that end the undo windows of held punches. */
  const holds = new Map<string, NodeJS.Timeout>();

  /** The last counts read, shown while the ledger cannot be read (with the storage problem as the message). */
  let lastCounts = { pending: 0, sending: 0, needsReview: 0 };
  const connection = (): ConnectionState => {
    let counts = lastCounts;
    try {
      counts = lastCounts = ledger.counts();
    } catch (error) {
      storageProblem ??= `The kiosk database cannot be read: ${errorMessage(error)}`;
    }
    const sync = engine.state();
    return {
      api: sync.api,
      apiMessage: storageProblem ?? sync.message,
      realtime: 'disabled',
      pendingPunches: counts.pending + counts.sending,
      needsReview: counts.needsReview,
      lastSyncAt: sync.lastSyncAt,
    };
  };

  // The board and the counters cost a scan; while a backlog drains they are sent at most every
  // 250 ms. A change after a quiet spell goes out at once (the screen updates in a blink), later
  // ones in the same 250 ms window are coalesced into one trailing update.
  const summary = createThrottle({
    intervalMs: 250,
    clock,
    run: () => {
      try {
        boardEvents.emit(board());
        connectionEvents.emit(connection());
      } catch (error) {
        logger.warn('board/counter update failed', { error: errorMessage(error) });
      }
    },
  });
  const announceSummary = (): void => {
    if (!stopped) summary.request();
  };
  const announce = (staffId: number): void => {
    statusEvents.emit(effectiveStatus(staffId));
    announceSummary();
  };

  const engine = createSyncEngine({
    ledger,
    client: deps.client,
    clock,
    logger: deps.logger,
    descriptorFor: deps.descriptorFor ?? ((_event, live) => live),
    recordServerStatus: (update) => {
      reference.recordServerStatus(update);
    },
    onEventSettled: (event: LedgerEvent) => {
      announce(event.staffId);
      if (event.syncState === 'synced' || event.syncState === 'needs_review') deps.onPunchSettled?.(event);
    },
    onOthersLearned: (staffIds) => staffIds.forEach(announce),
    options: {
      locationNote: config.kiosk.locationNote,
      probeIntervalMs: config.api.probeIntervalSeconds * 1000,
      ...deps.sync,
    },
  });
  // api/message changes (online, offline, paused) go out at once; lastSyncAt ticks ride the debounce.
  let lastApi = '';
  engine.onState((state) => {
    const key = `${state.api}|${state.message ?? ''}`;
    if (key !== lastApi) {
      lastApi = key;
      connectionEvents.emit(connection());
    } else announceSummary();
  });

  const toRow = (event: LedgerEvent): LedgerRow => toLedgerRow(event, reference.staff(event.staffId)?.name ?? null);

  const withFreshness = (status: EffectiveStatus, source: StatusFreshness['source']): EffectiveStatus => ({
    ...status,
    freshness: { source, asOf: status.updatedAt },
  });

  /** Records a status HotelMate reported and tells the screens when it was news. */
  const applyServerStatus = (update: ServerStatusUpdate): void => {
    if (reference.recordServerStatus(update)) announce(update.staffId);
    else logger.debug('older server status ignored', { staffId: update.staffId, source: update.source });
  };

  /**
   * Reads the person's manual clock log while the kiosk keeps them on duty by it (HotelMate's
   * `duty_status` stays `off_duty` for such a log): closed or gone ends that session here, open keeps
   * it; a failed read keeps the last verdict. Announces the person when the session ended. Never rejects.
   */
  const verifyManualLog = async (staffId: number): Promise<void> => {
    const client = deps.client;
    const session = client ? manualSession(staffId) : null;
    if (!client || !session) return;
    try {
      const read = await readManualLog(client, session);
      if (stopped) return;
      if (!read.ok) {
        logger.info('manual clock log read failed; the last verdict on it stays', { staffId, eventId: session.eventId, error: read.error });
        return;
      }
      if (read.state === 'ended') {
        manualLogs.markEnded(session.eventId);
        logger.info('manual clock log closed or gone in HotelMate; the kiosk no longer keeps the person on duty by it', { staffId, eventId: session.eventId, logId: session.log.id });
        announce(staffId);
      }
    } catch (error) {
      logger.warn('manual clock log read failed; the last verdict on it stays', { staffId, eventId: session.eventId, error: errorMessage(error) });
    }
  };

  /** Reads the manual clock log of everyone HotelMate shows off duty whom the kiosk keeps on duty by one. */
  const verifyManualLogs = async (): Promise<void> => {
    const known = new Set([...reference.allServerStatuses().map((s) => s.staffId), ...reference.allStaff().map((s) => s.id)]);
    const people = [...known].filter((staffId) => (reference.serverStatus(staffId)?.status ?? 'off_duty') === 'off_duty' && manualSession(staffId) !== null);
    await Promise.all(people.map(verifyManualLog));
  };

  const refreshStatus = async (staffId: number, budgetMs: number): Promise<EffectiveStatus> => {
    const cached = (): EffectiveStatus => withFreshness(effectiveStatus(staffId), 'cached');
    try {
      if (stopped || !deps.client || engine.state().api !== 'online') return cached();
      const statusRead = reference.readStatus(staffId).then((answer) => {
        if (stopped) return false;
        if (!answer.ok) {
          logger.info('status re-read failed; the last known status is shown', { staffId, error: answer.error });
          return false;
        }
        applyServerStatus(answer.update);
        return true;
      });
      // The person's own manual clock log is read alongside (HotelMate's duty_status does not follow it).
      const read = Promise.all([statusRead, verifyManualLog(staffId)]).then(([answered]) => answered);
      const answered = await withinBudget(read, budgetMs);
      if (answered === 'late') {
        logger.info('status re-read took longer than its budget; the last known status is shown', { staffId, budgetMs });
        read.catch((error: unknown) => logger.warn('late status re-read failed', { staffId, error: errorMessage(error) }));
        return cached();
      }
      return answered ? withFreshness(effectiveStatus(staffId), 'live') : cached();
    } catch (error) {
      logger.warn('status re-read failed; the last known status is shown', { staffId, error: errorMessage(error) });
      return cached();
    }
  };

  /** Ends a punch's undo window (its timer, the screen moving on): the sync may send it now. */
  const releaseHold = (eventId: string, why: string): void => {
    const timer = holds.get(eventId);
    if (timer) clearTimeout(timer);
    holds.delete(eventId);
    if (stopped) return;
    try {
      if (ledger.release(eventId)) {
        logger.debug('punch released to the sync', { eventId, why });
        engine.nudge();
      }
    } catch (error) {
      logger.error('a held punch could not be released; it is sent at the next start', { eventId, error: errorMessage(error) });
    }
  };
  /** Holds a new punch for its undo window; a newer punch ends the earlier windows (only the punch on screen can be undone). */
  const hold = (eventId: string): void => {
    for (const earlier of [...holds.keys()]) releaseHold(earlier, 'a newer punch at this kiosk');
    const timer = setTimeout(() => releaseHold(eventId, 'undo window over'), undoWindowMs);
    timer.unref?.();
    holds.set(eventId, timer);
  };
  /** The person's status, or null when the ledger cannot be read (the punch then reports the storage failure). */
  const safeStatus = (staffId: number): EffectiveStatus | null => {
    try {
      return effectiveStatus(staffId);
    } catch {
      return null;
    }
  };

  let polling = false;
  /** The 60 s backstop: everyone's status re-read while online; the people whose status changed are announced. */
  const pollStatuses = async (): Promise<void> => {
    if (stopped || polling || engine.state().api !== 'online') return;
    polling = true;
    try {
      const { changed, error } = await reference.refreshStatuses();
      if (stopped) return;
      if (error) logger.info('status poll incomplete; cached statuses stay in use', { error });
      changed.forEach(announce);
      await verifyManualLogs();
    } finally {
      polling = false;
    }
  };

  const service: ClockService = {
    ledgerStore: ledger,
    reference,
    sync: engine,
    async start() {
      // A punch held when the kiosk stopped (a crash in its undo window) is sent: the person saw "done".
      try {
        const released = ledger.releaseAll();
        if (released > 0) logger.info('punches held for undo by an earlier run are released to the sync', { released });
      } catch (error) {
        logger.error('held punches could not be released', { error: errorMessage(error) });
      }
      engine.start();
      stopHousekeeping = startHousekeeping({
        logger,
        catchUp: deps.client ? (reason) => service.catchUp(reason) : null,
        pollStatuses: deps.client ? pollStatuses : null,
        isStopped: () => stopped,
        referenceRefreshMs: deps.referenceRefreshMs ?? 15 * 60_000,
        statusPollMs: deps.statusPollMs ?? STATUS_POLL_MS,
      });
    },
    async stop() {
      stopped = true;
      for (const timer of holds.values()) clearTimeout(timer);
      holds.clear();
      stopHousekeeping();
      summary.cancel();
      await engine.stop();
    },
    punch(input: PunchInput): PunchResult {
      const before = safeStatus(input.staffId);
      const recording = recordPunch(input, { ledger, clock, duplicateWindowMs, holdMs: undoWindowMs, statusOf: (staffId) => effectiveStatus(staffId).status });
      switch (recording.kind) {
        case 'duplicate': {
          const { previous } = recording;
          const status = effectiveStatus(input.staffId);
          return {
            ok: true,
            eventId: previous.eventId,
            action: previous.action,
            occurredAt: previous.occurredAt,
            savedOffline: previous.syncState !== 'synced',
            needsReview: previous.syncState === 'needs_review',
            duplicate: true,
            status,
          };
        }
        case 'not_allowed':
          return { ok: false, error: { code: 'not_allowed', message: recording.message } };
        case 'storage_failed':
          storageProblem = recording.message;
          logger.error('punch refused: storage failed', { staffId: input.staffId, action: input.action, error: recording.message });
          connectionEvents.emit(connection());
          return { ok: false, error: { code: 'storage_failed', message: recording.message } };
        case 'saved': {
          storageProblem = null;
          const { event } = recording;
          if (event.holdUntilMs !== null) hold(event.eventId);
          else engine.nudge();
          const status = effectiveStatus(input.staffId);
          statusEvents.emit(status);
          announceSummary();
          return {
            ok: true,
            eventId: event.eventId,
            action: event.action,
            occurredAt: event.occurredAt,
            savedOffline: engine.state().api !== 'online',
            duplicate: false,
            status,
            ...(event.holdUntilMs !== null ? { undoUntil: new Date(event.holdUntilMs).toISOString() } : {}),
            sessionStartedAt: event.action === 'clock_in' ? event.occurredAt : before?.onDutySince ?? null,
          };
        }
      }
    },
    release(eventId) {
      releaseHold(eventId, 'the screen moved on');
    },
    undo(eventId) {
      const tooLate: UndoResult = { ok: false, error: { code: 'too_late', message: 'This punch can no longer be undone: it is on its way to HotelMate.' } };
      let event: LedgerEvent | null = null;
      try {
        event = ledger.get(eventId);
        if (!event || !ledger.cancel(eventId)) return tooLate;
      } catch (error) {
        logger.error('undo failed: the punch stays', { eventId, error: errorMessage(error) });
        return tooLate;
      }
      clearTimeout(holds.get(eventId));
      holds.delete(eventId);
      logger.info('punch undone at the kiosk; kept as cancelled, never sent', { eventId, staffId: event.staffId, action: event.action });
      announce(event.staffId);
      return { ok: true, eventId, status: effectiveStatus(event.staffId) };
    },
    async awaitSettled(eventId, timeoutMs) {
      const deadline = clock.monotonicMs() + timeoutMs;
      for (;;) {
        const event = deps.db.open ? ledger.get(eventId) : null;
        if (!event) return 'pending';
        if (event.syncState === 'synced' || event.syncState === 'needs_review') return event.syncState;
        if (clock.monotonicMs() >= deadline) return 'pending';
        await new Promise((resolve) => setTimeout(resolve, 40));
      }
    },
    effectiveStatus,
    refreshStatus,
    onStatus: statusEvents.subscribe,
    connection,
    onConnection: connectionEvents.subscribe,
    applyServerStatus,
    async catchUp(reason: string) {
      if (stopped) return;
      logger.info('catching up with HotelMate', { reason });
      const report = await reference.refresh();
      // The service may have been stopped (and its database closed) while the refresh was in flight.
      if (stopped) return;
      deps.onReferenceRefreshed?.(report, reference);
      engine.resume();
      report.changed.forEach((staffId) => statusEvents.emit(effectiveStatus(staffId)));
      if (report.statuses > 0 || report.staff !== null) boardEvents.emit(board());
      await verifyManualLogs();
    },
    staff(staffId: number): StaffSummary | null {
      const staff = reference.staff(staffId);
      return staff ? { id: staff.id, name: staff.name, department: staff.department, photoUrl: staff.photoUrl } : null;
    },
    authority(staffId) {
      const staff = reference.staff(staffId);
      return staff ? { accessLevel: staff.accessLevel, roleSlug: staff.roleSlug, isActive: staff.isActive } : null;
    },
    staffList(): StaffListEntry[] {
      return reference
        .allStaff()
        .filter((s) => s.isActive)
        .map((s) => ({ id: s.id, name: s.name, department: s.department, enrolled: deps.isEnrolled?.(s.id) ?? false }));
    },
    todayShift(staffId: number): ShiftSummary | null {
      return reference.todayShift(staffId);
    },
    board,
    onBoard: boardEvents.subscribe,
    queueStats: () => ledger.counts(),
    ledger(filter) {
      return ledger.list(filter).map(toRow);
    },
    retryReview(eventId) {
      const outcome = ledger.requeueReview(eventId, 'sent again by a manager; HotelMate’s state is checked first');
      const event = outcome === 'requeued' ? ledger.get(eventId) : null;
      if (!event) {
        const code = outcome === 'requeued' ? 'not_found' : outcome;
        return { ok: false, error: { code, message: RETRY_REFUSED[code] } };
      }
      logger.info('needs-review punch sent again by a manager', { eventId, staffId: event.staffId, action: event.action });
      engine.nudge();
      announce(event.staffId);
      return { ok: true, row: toRow(event) };
    },
    exportCsv() {
      return ledgerCsv(ledger.list({ limit: 1_000_000 }).map(toRow).reverse(), config.hotel.timeZone);
    },
  };
  return service;
}

/** How often statuses are re-read while online (HotelMate never sends some changes: §5.1, §8.2). */
export const STATUS_POLL_MS = 60_000;

/** What a refused manager's retry tells the manager. */
const RETRY_REFUSED: Record<'not_found' | 'not_in_review' | 'superseded', string> = {
  not_found: 'This punch is no longer on the kiosk.',
  not_in_review: 'This punch is not waiting for review any more.',
  superseded: 'A later punch of this person has already reached HotelMate; sending this one now would replay it out of order. Correct it in HotelMate.',
};

/** Resolves with the promise's value if it settles within `budgetMs`, else with `late` (the promise runs on). */
function withinBudget<T>(promise: Promise<T>, budgetMs: number): Promise<T | 'late'> {
  let timer: NodeJS.Timeout | null = null;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), Math.max(0, budgetMs));
    timer.unref?.();
  });
  return Promise.race([promise, late]).finally(() => {
    if (timer) clearTimeout(timer);
  });
}

/** A ledger event as the admin ledger screen shows it. */
function toLedgerRow(event: LedgerEvent, staffName: string | null): LedgerRow {
  return {
    eventId: event.eventId,
    staffId: event.staffId,
    staffName,
    action: event.action,
    occurredAt: event.occurredAt,
    syncState: event.syncState,
    attempts: event.attempts,
    lastError: event.lastError,
    syncedAt: event.syncedAt,
    delaySeconds: event.delaySeconds,
    flagged: event.flagged,
    reviewNote: event.reviewNote,
    reason: event.reason,
    manual: manualApprovalOf(event),
  };
}

interface HousekeepingDeps {
  logger: Logger;
  /** Re-reads reference data; null when the kiosk is not configured. */
  catchUp: ((reason: string) => Promise<void>) | null;
  /** Re-reads everyone's status while online; null when the kiosk is not configured. */
  pollStatuses: (() => Promise<void>) | null;
  isStopped: () => boolean;
  referenceRefreshMs: number;
  statusPollMs: number;
}

/**
 * Starts the clock's periodic work: the reference data refresh (now and every `referenceRefreshMs`)
 * and the status poll (every `statusPollMs`, only while online).
 * Failures are logged; cached data stays. Returns the function that stops the timer. (Retention of
 * synced punches is privacy/retention.ts's.)
 */
function startHousekeeping(deps: HousekeepingDeps): () => void {
  const { logger, catchUp } = deps;
  const timers: NodeJS.Timeout[] = [];
  if (catchUp) {
    const catchUpLogged = (reason: string): void => {
      catchUp(reason).catch((error: unknown) => {
        if (!deps.isStopped()) logger.warn('catch-up failed; cached data stays in use', { reason, error: errorMessage(error) });
      });
    };
    catchUpLogged('start');
    timers.push(setInterval(() => catchUpLogged('schedule'), deps.referenceRefreshMs));
  }
  const { pollStatuses } = deps;
  if (pollStatuses) {
    timers.push(
      setInterval(() => {
        pollStatuses().catch((error: unknown) => logger.warn('status poll failed; cached statuses stay in use', { error: errorMessage(error) }));
      }, deps.statusPollMs),
    );
  }
  for (const timer of timers) timer.unref?.();
  return () => timers.forEach(clearInterval);
}
