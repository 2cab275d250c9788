/**
 * The clock service: punches go to the durable ledger first, the
 * screen shows the effective status (server-known status with pending local punches on top), and
 * the sync engine moves the ledger to HotelMate in the background. Reference data comes from the
 * SQLite cache so the kiosk keeps working offline.
 */
import { isAllowed, isDuplicateTap, DUPLICATE_WINDOW_MS, TRANSITIONS } from '../../shared/domain/duty-status';
import type { ClockAction, ConnectionState, EffectiveStatus, OnDutyBoard, ShiftSummary, StaffSummary } from '../../shared/domain/types';
import type { StaffListEntry } from '../../shared/domain/enrolment';
import type { LedgerRow } from '../../shared/domain/ledger';
import type { PunchResult } from '../../shared/domain/punch';
import type { KioskConfig } from '../../shared/config/schema';
import type { WritableDB } from '../db/database';
import type { HotelMateClient } from '../hotelmate/client';
import { createLedger, LedgerStorageError, type Ledger, type LedgerEvent } from '../ledger/ledger-store';
import type { DescriptorCipher } from '../ledger/descriptor-cipher';
import type { Logger } from '../logging/logger';
import { createReferenceCache, type ReferenceCache } from '../reference/reference-cache';
import type { Clock } from '../lib/clock';
import type { Subscribe } from '../lib/emitter';
import type { FaceMatch } from '../face/face-types';
import type { ServerStatusUpdate } from '../../shared/domain/types';
import { createSyncEngine, type DescriptorFor, type SyncEngine, type SyncOptions } from './sync-engine';

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
  /** How often reference data is refreshed (default 15 min). */
  referenceRefreshMs?: number;
  sync?: Partial<SyncOptions>;
}

export interface PunchInput {
  staffId: number;
  action: ClockAction;
  reason?: string;
  /** The face decision that authorised this punch. */
  match: FaceMatch;
  /** Flag for manager review (e.g. suspected presentation attack). */
  flagged: boolean;
}

/** The punch clock: the durable ledger, effective statuses, reference data and the sync to HotelMate. */
export interface ClockService {
  start(): Promise<void>;
  /** Stops syncing after the in-flight request, leaving pending punches for the next start. */
  stop(): Promise<void>;
  /** Durably appends the punch (SQLite, synchronous=FULL) before resolving; then nudges the sync. */
  punch(input: PunchInput): PunchResult;
  /**
   * Resolves true once the punch has reached HotelMate, false if it has not within timeoutMs (it
   * stays saved and syncs later). Lets the screen say "saved offline" truthfully.
   */
  confirmSynced(eventId: string, timeoutMs: number): Promise<boolean>;
  effectiveStatus(staffId: number): EffectiveStatus;
  onStatus: Subscribe<EffectiveStatus>;
  connection(): ConnectionState;
  onConnection: Subscribe<ConnectionState>;
  /** Records a status the server reported (API response, Pusher event, status read). */
  applyServerStatus(update: ServerStatusUpdate): void;
  /** Re-read statuses and reference data from the API (after a reconnect, or on a roster event). */
  catchUp(reason: string): Promise<void>;
  staff(staffId: number): StaffSummary | null;
  staffList(): StaffListEntry[];
  todayShift(staffId: number): ShiftSummary | null;
  board(): OnDutyBoard;
  onBoard: Subscribe<OnDutyBoard>;
  ledger(filter: { state?: LedgerRow['syncState']; limit: number }): LedgerRow[];
  /** Counts by sync state and the oldest unsynced punch, without reading the rows. */
  queueStats(): { pending: number; sending: number; needsReview: number; synced: number; oldestPendingAt: string | null };
  exportCsv(): string;
  /** Purge synced rows older than the retention; returns how many were removed. */
  purgeSynced(olderThanDays: number): number;
  /** The parts tests and benchmarks reach into. */
  readonly ledgerStore: Ledger;
  readonly reference: ReferenceCache;
  readonly sync: SyncEngine;
}

type Listener<T> = (value: T) => void;

function emitter<T>(): { emit(value: T): void; subscribe(listener: Listener<T>): () => void } {
  const listeners = new Set<Listener<T>>();
  return {
    emit(value) {
      for (const listener of listeners) listener(value);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

function csvCell(value: string | number | boolean | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
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
  const statusEvents = emitter<EffectiveStatus>();
  const connectionEvents = emitter<ConnectionState>();
  const boardEvents = emitter<OnDutyBoard>();
  /** Set by stop(): late callbacks (a catch-up whose network call outlived the service) do nothing. */
  let stopped = false;
  const duplicateWindowMs = deps.duplicateWindowMs ?? DUPLICATE_WINDOW_MS;
  let refreshTimer: NodeJS.Timeout | null = null;
  let purgeTimer: NodeJS.Timeout | null = null;
  let storageProblem: string | null = null;

  const effectiveStatus = (staffId: number): EffectiveStatus => {
    const server = reference.serverStatus(staffId);
    let status = server?.status ?? 'off_duty';
    let breakStartedAt = server?.breakStartedAt ?? null;
    let updatedAt = server?.observedAt ?? null;
    const pending = ledger.unsyncedActionsFor(staffId);
    // Local punches not yet on the server are newer than anything it reported: apply them on top.
    for (const event of pending) {
      status = TRANSITIONS[event.action].to;
      breakStartedAt = event.action === 'start_break' ? event.occurredAt : status === 'on_break' ? breakStartedAt : null;
      updatedAt = event.occurredAt;
    }
    return { staffId, status, breakStartedAt: status === 'on_break' ? breakStartedAt : null, pendingPunches: pending.length, updatedAt };
  };

  const connection = (): ConnectionState => {
    const counts = ledger.counts();
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

  const board = (): OnDutyBoard => {
    const groups = new Map<string, OnDutyBoard['departments'][number]['entries']>();
    const ids = new Set<number>([...reference.allServerStatuses().map((s) => s.staffId), ...ledger.staffWithUnsynced()]);
    let updatedAt: string | null = null;
    for (const id of ids) {
      const effective = effectiveStatus(id);
      if (effective.status === 'off_duty') continue;
      const staff = reference.staff(id);
      if (staff && !staff.isActive) continue;
      const server = reference.serverStatus(id);
      const since = effective.pendingPunches > 0 ? effective.updatedAt : server?.since ?? server?.observedAt ?? null;
      const department = staff?.department ?? 'No Department';
      const entries = groups.get(department) ?? [];
      entries.push({ staffId: id, name: staff?.name ?? `Staff #${id}`, status: effective.status, since });
      groups.set(department, entries);
      if (effective.updatedAt && (!updatedAt || effective.updatedAt > updatedAt)) updatedAt = effective.updatedAt;
    }
    const departments = [...groups.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, entries]) => ({ name, entries: entries.sort((x, y) => x.name.localeCompare(y.name)) }));
    return { departments, updatedAt };
  };

  // The board and the counters cost a scan; while a backlog drains they are sent at most every
  // 250 ms. A change after a quiet spell goes out at once (the screen updates in a blink), later
  // ones in the same 250 ms window are coalesced into one trailing update.
  const SUMMARY_INTERVAL_MS = 250;
  let summaryTimer: NodeJS.Timeout | null = null;
  let lastSummaryAt = Number.NEGATIVE_INFINITY;
  const emitSummary = (): void => {
    summaryTimer = null;
    lastSummaryAt = clock.monotonicMs();
    try {
      boardEvents.emit(board());
      connectionEvents.emit(connection());
    } catch (error) {
      logger.warn('board/counter update failed', { error: (error as Error).message });
    }
  };
  const announceSummary = (): void => {
    if (summaryTimer || stopped) return;
    const wait = lastSummaryAt + SUMMARY_INTERVAL_MS - clock.monotonicMs();
    if (wait <= 0) {
      emitSummary();
      return;
    }
    summaryTimer = setTimeout(emitSummary, wait);
    summaryTimer.unref?.();
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
    onEventSettled: (event: LedgerEvent) => announce(event.staffId),
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

  const toLedgerRow = (event: LedgerEvent): LedgerRow => ({
    eventId: event.eventId,
    staffId: event.staffId,
    staffName: reference.staff(event.staffId)?.name ?? null,
    action: event.action,
    occurredAt: event.occurredAt,
    syncState: event.syncState,
    attempts: event.attempts,
    lastError: event.lastError,
    syncedAt: event.syncedAt,
    delaySeconds: event.delaySeconds,
    flagged: event.flagged,
  });

  const service: ClockService = {
    ledgerStore: ledger,
    reference,
    sync: engine,
    async start() {
      engine.start();
      // Retention: synced rows older than retention.syncedDays go at start and once a day.
      const purge = (): void => {
        try {
          ledger.purgeSynced(config.retention.syncedDays);
        } catch (error) {
          logger.warn('retention purge failed', { error: (error as Error).message });
        }
      };
      purge();
      purgeTimer = setInterval(purge, 24 * 3_600_000);
      purgeTimer.unref?.();
      if (deps.client) {
        const catchUpLogged = (reason: string): void => {
          service.catchUp(reason).catch((error: unknown) => {
            if (!stopped) logger.warn('catch-up failed; cached data stays in use', { reason, error: (error as Error).message });
          });
        };
        catchUpLogged('start');
        refreshTimer = setInterval(() => catchUpLogged('schedule'), deps.referenceRefreshMs ?? 15 * 60_000);
        refreshTimer.unref?.();
      }
    },
    async stop() {
      stopped = true;
      if (refreshTimer) clearInterval(refreshTimer);
      refreshTimer = null;
      if (purgeTimer) clearInterval(purgeTimer);
      purgeTimer = null;
      if (summaryTimer) clearTimeout(summaryTimer);
      summaryTimer = null;
      await engine.stop();
    },
    punch(input: PunchInput): PunchResult {
      const now = clock.now();
      const previous = ledger.lastFor(input.staffId);
      if (
        previous &&
        isDuplicateTap(
          { staffId: previous.staffId, action: previous.action, atMs: previous.occurredMs },
          { staffId: input.staffId, action: input.action, atMs: now.getTime() },
          duplicateWindowMs,
        )
      ) {
        return {
          ok: true,
          eventId: previous.eventId,
          action: previous.action,
          occurredAt: previous.occurredAt,
          savedOffline: previous.syncState !== 'synced',
          duplicate: true,
          status: effectiveStatus(input.staffId),
        };
      }
      const current = effectiveStatus(input.staffId);
      if (!isAllowed(current.status, input.action))
        return {
          ok: false,
          error: { code: 'not_allowed', message: `${input.action} is not possible while ${current.status.replace('_', ' ')}.` },
        };
      let event: LedgerEvent;
      try {
        event = ledger.append({
          staffId: input.staffId,
          action: input.action,
          reason: input.reason ?? null,
          matchDistance: input.match.distance,
          matchModel: input.match.model,
          flagged: input.flagged,
          liveDescriptor: input.match.liveDescriptor,
        });
        storageProblem = null;
      } catch (error) {
        const message = error instanceof LedgerStorageError ? error.message : `The punch could not be saved: ${(error as Error).message}`;
        storageProblem = message;
        logger.error('punch refused: storage failed', { staffId: input.staffId, action: input.action, error: message });
        connectionEvents.emit(connection());
        return { ok: false, error: { code: 'storage_failed', message } };
      }
      engine.nudge();
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
      };
    },
    async confirmSynced(eventId, timeoutMs) {
      const deadline = clock.monotonicMs() + timeoutMs;
      for (;;) {
        const event = deps.db.open ? ledger.get(eventId) : null;
        if (!event) return false;
        if (event.syncState === 'synced') return true;
        if (event.syncState === 'needs_review' || clock.monotonicMs() >= deadline) return false;
        await new Promise((resolve) => setTimeout(resolve, 40));
      }
    },
    effectiveStatus,
    onStatus: statusEvents.subscribe,
    connection,
    onConnection: connectionEvents.subscribe,
    applyServerStatus(update: ServerStatusUpdate) {
      if (reference.recordServerStatus(update)) announce(update.staffId);
      else logger.debug('older server status ignored', { staffId: update.staffId, source: update.source });
    },
    async catchUp(reason: string) {
      if (stopped) return;
      logger.info('catching up with HotelMate', { reason });
      const report = await reference.refresh();
      // The service may have been stopped (and its database closed) while the refresh was in flight.
      if (stopped) return;
      engine.resume();
      if (report.statuses > 0 || report.staff !== null) boardEvents.emit(board());
    },
    staff(staffId: number): StaffSummary | null {
      const staff = reference.staff(staffId);
      return staff ? { id: staff.id, name: staff.name, department: staff.department, photoUrl: staff.photoUrl } : null;
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
      return ledger.list(filter).map(toLedgerRow);
    },
    exportCsv() {
      const header = ['event_id', 'staff_id', 'staff_name', 'action', 'occurred_at', 'sync_state', 'attempts', 'synced_at', 'delay_seconds', 'flagged', 'last_error'];
      const lines = [header.join(',')];
      for (const row of ledger.list({ limit: 1_000_000 }).map(toLedgerRow).reverse())
        lines.push(
          [row.eventId, row.staffId, row.staffName, row.action, row.occurredAt, row.syncState, row.attempts, row.syncedAt, row.delaySeconds, row.flagged, row.lastError]
            .map(csvCell)
            .join(','),
        );
      return `${lines.join('\n')}\n`;
    },
    purgeSynced(olderThanDays: number) {
      return ledger.purgeSynced(olderThanDays);
    },
  };
  return service;
}
