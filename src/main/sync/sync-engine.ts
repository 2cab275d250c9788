/**
 * The sync engine: drains the ledger to HotelMate oldest first, one person's punches strictly in
 * order. It composes the parts: the wave scheduler decides when and how many, the punch wave
 * claims, decides (decide.ts) and records, and the status says whether HotelMate is reachable.
 */
import type { ServerStatusUpdate } from '../../shared/domain/types';
import type { Clock } from '../lib/clock';
import type { Subscribe } from '../lib/emitter';
import type { ApiOutcome, HotelMateClient } from '../hotelmate/client';
import type { Ledger, LedgerEvent } from '../ledger/ledger-store';
import type { Logger } from '../logging/logger';
import type { DecideOptions, PunchApi } from './decide';
import { createPunchWave, type DescriptorFor } from './punch-wave';
import { createSyncStatus, type SyncState, type SyncStatus } from './sync-status';
import { createScheduleTime, createWaveScheduler, type SchedulePolicy } from './wave-scheduler';

export type { DescriptorFor } from './punch-wave';
export type { SyncState } from './sync-status';

export interface SyncOptions extends SchedulePolicy, DecideOptions {}

export const DEFAULT_SYNC_OPTIONS: SyncOptions = {
  concurrency: 8,
  baseDelayMs: 2_000,
  maxDelayMs: 5 * 60_000,
  // HotelMate runs on Heroku, whose router gives up on a request at 30 s: a write still running past
  // the kiosk's 15 s timeout is, in practice, over within a minute. One running longer is not covered
  // (HotelMate has no idempotency key).
  lateWriteMs: 60_000,
  probeIntervalMs: 30_000,
  locationNote: 'Kiosk',
  defaultUnrosteredReason: 'Unrostered clock-in confirmed at the kiosk',
  clockSkewToleranceMs: 120_000,
  random: Math.random,
};

export interface SyncEngineDeps {
  ledger: Ledger;
  client: HotelMateClient | null;
  clock: Clock;
  logger: Logger;
  descriptorFor: DescriptorFor;
  /** Where server facts learned while syncing go (the reference cache). */
  recordServerStatus: (update: ServerStatusUpdate) => void;
  /** Called after any ledger row changed state (to refresh effective status and counters). */
  onEventSettled?: (event: LedgerEvent) => void;
  /** Called with other people whose status HotelMate reported while syncing (it matched a face to them). */
  onOthersLearned?: (staffIds: number[]) => void;
  options?: Partial<SyncOptions>;
}

export interface SyncEngine {
  /** Recovers rows left in 'sending' by a crash, then starts draining in the background. */
  start(): void;
  /** Stops after the in-flight requests finish; resolves when they have. Pending rows stay for the next start. */
  stop(): Promise<void>;
  /** Pauses sending (in-flight requests finish). */
  pause(message: string): void;
  /** Leaves a pause (e.g. after a new token) and sends at once. */
  resume(): void;
  /** Wakes the loop: a new punch or a reconnect. */
  nudge(): void;
  /**
   * Sends every due punch now and resolves when nothing is due (for shutdown, tests and benchmarks).
   * Does not wait for backoff timers of failed punches.
   */
  drainOnce(): Promise<void>;
  state(): SyncState;
  onState: Subscribe<SyncState>;
}

/** The client calls the sync makes, each answer also telling the status whether HotelMate is reachable. */
function observedApi(client: HotelMateClient, status: SyncStatus): PunchApi & Pick<HotelMateClient, 'myStatus'> {
  const observed =
    <A extends unknown[], T>(call: (...args: A) => Promise<ApiOutcome<T>>) =>
    async (...args: A): Promise<ApiOutcome<T>> => {
      const outcome = await call(...args);
      status.observe(outcome);
      return outcome;
    };
  const observedUnlessForbidden =
    <A extends unknown[], T>(call: (...args: A) => Promise<ApiOutcome<T>>) =>
    async (...args: A): Promise<ApiOutcome<T>> => {
      const outcome = await call(...args);
      if (outcome.ok || outcome.kind !== 'http' || outcome.status !== 403) status.observe(outcome);
      return outcome;
    };
  return {
    staffDetail: observed((staffId) => client.staffDetail(staffId)),
    faceClockIn: observed((request) => client.faceClockIn(request)),
    forceClockIn: observed((request) => client.forceClockIn(request)),
    confirmClockOut: observed((request) => client.confirmClockOut(request)),
    toggleBreak: observed((request) => client.toggleBreak(request)),
    myStatus: observed(() => client.myStatus()),
    // A 403 here means the account lacks one capability (the punch goes to review), not that it was refused.
    createClockLog: observedUnlessForbidden((request) => client.createClockLog(request)),
    recentClockLogs: observedUnlessForbidden(() => client.recentClockLogs()),
    clockLog: observedUnlessForbidden((logId) => client.clockLog(logId)),
  };
}

/** Creates the engine; nothing is sent before start() (or drainOnce()). */
export function createSyncEngine(deps: SyncEngineDeps): SyncEngine {
  const options: SyncOptions = { ...DEFAULT_SYNC_OPTIONS, ...deps.options };
  const logger = deps.logger.child('sync');
  const status = createSyncStatus(deps.client !== null, logger);
  const api = deps.client ? observedApi(deps.client, status) : null;
  const scheduleTime = createScheduleTime(deps.clock);

  const wave = api
    ? createPunchWave({
        ledger: deps.ledger,
        api,
        clock: deps.clock,
        logger,
        status,
        policy: options,
        scheduleTime,
        descriptorFor: deps.descriptorFor,
        recordServerStatus: deps.recordServerStatus,
        onEventSettled: deps.onEventSettled,
        onOthersLearned: deps.onOthersLearned,
        onPaused: (message) => scheduler.pauseUntilProbe(message),
      })
    : null;
  const scheduler = createWaveScheduler<LedgerEvent>({
    queue: deps.ledger,
    status,
    clock: deps.clock,
    logger,
    policy: options,
    scheduleTime,
    transport: api && wave ? { sendWave: (events) => wave.send(events), probe: () => api.myStatus() } : null,
  });

  return {
    start: () => scheduler.start(),
    stop: () => scheduler.stop(),
    pause: (message) => scheduler.pause(message),
    resume: () => scheduler.resume(),
    nudge: () => scheduler.nudge(),
    drainOnce: () => scheduler.drainOnce(),
    state: () => status.get(),
    onState: status.onChange,
  };
}
