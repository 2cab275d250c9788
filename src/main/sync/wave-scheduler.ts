/**
 * When the sync sends: which punches are due (per person only the oldest, so one person's punches
 * go strictly in order), how many go per wave, the backoff with jitter between attempts (on
 * monotonic time, so a wall-clock jump never holds a retry back), the probe that notices HotelMate
 * coming back while offline, and the pause after an answer that stops the whole sync. The loop
 * never rejects: a failing database is logged and retried, never an unhandled rejection.
 */
import type { Clock } from '../lib/clock';
import { errorMessage } from '../lib/errors';
import type { ApiOutcome } from '../hotelmate/client';
import type { Logger } from '../logging/logger';
import type { SyncStatus } from './sync-status';
import { pauseReason } from './verdict';

export interface SchedulePolicy {
  /** People synced in parallel per wave (each person strictly in order). Default 8. */
  concurrency: number;
  /** First retry delay; doubled per attempt up to maxDelayMs, with jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /**
   * After a write that got no answer in time, how long HotelMate may still carry it out: the
   * person's state is not read again (nor the write repeated) until this long after it timed out.
   */
  lateWriteMs: number;
  /** Cheap probe interval while offline, and re-try interval while paused by 401/403. */
  probeIntervalMs: number;
  /** 0..1 random source for jitter (tests pass a fixed one). */
  random: () => number;
}

/**
 * The queue the scheduler drains (the ledger). Due times are on the schedule clock
 * ({@link createScheduleTime}): epoch-like milliseconds that advance with monotonic time.
 */
export interface DueQueue<T> {
  /** Items that may be sent now: per person only the oldest unsent one; oldest first across people. */
  due(nowMs: number, limit: number): T[];
  /** Earliest time a waiting item becomes due, or null when none waits. */
  nextDueMs(): number | null;
  /** Makes every waiting item due now. */
  expedite(): void;
  /**
   * Puts items interrupted mid-send (a crash) back in the queue, not due before `lateWriteUntilMs`:
   * what was being sent may have gone out and still be carried out. Returns how many.
   */
  recoverInFlight(lateWriteUntilMs: number): number;
  /** Brings every due time later than `latestMs` forward to it (due times of an earlier run, whose schedule clock differed). */
  capNextDue(latestMs: number): void;
}

export interface WaveSchedulerDeps<T> {
  queue: DueQueue<T>;
  status: SyncStatus;
  clock: Clock;
  logger: Logger;
  policy: SchedulePolicy;
  /** How items reach HotelMate; null while the kiosk is not configured (nothing is ever sent). */
  transport: WaveTransport<T> | null;
  /** The schedule clock due times are set on; the transport must use the same one. Default: `createScheduleTime(clock)`. */
  scheduleTime?: () => number;
}

export interface WaveTransport<T> {
  /** Sends one wave and records every verdict; resolves once they are durable. */
  sendWave(items: T[]): Promise<void>;
  /** A cheap request whose answer says whether HotelMate is reachable (already observed by the status). */
  probe(): Promise<ApiOutcome<unknown>>;
}

export interface WaveScheduler {
  /** Re-queues interrupted items, checks HotelMate once, then drains in the background. */
  start(): void;
  /** Stops after the in-flight wave; resolves when it has finished. Waiting items stay queued. */
  stop(): Promise<void>;
  /** Pauses until resume() (in-flight requests finish). */
  pause(message: string): void;
  /**
   * Pauses for one probe interval, then tries one item again: HotelMate refused the account, or
   * something other than its API answered. `message` is the reason the status shows.
   */
  pauseUntilProbe(message: string): void;
  /** Leaves a pause and makes every waiting item due now. */
  resume(): void;
  /** Wakes the background loop (a new item, a reconnect). */
  nudge(): void;
  /** Sends every due item now and resolves when nothing is due; does not wait for backoff timers. */
  drainOnce(): Promise<void>;
}

/**
 * The delay before the next attempt after `attempts` failed ones: `baseDelayMs` doubled per attempt
 * up to `maxDelayMs`, then jittered to 50-100% so kiosks that failed together do not retry together.
 */
export function retryDelayMs(attempts: number, policy: Pick<SchedulePolicy, 'baseDelayMs' | 'maxDelayMs' | 'random'>): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(exp * (0.5 + policy.random() * 0.5));
}

/**
 * A clock for due times: the wall clock at creation, advanced by monotonic time since. Within one
 * run it never jumps (an NTP correction or a manual change of the wall clock does not move a
 * retry); across runs the scheduler brings due times of the previous run forward (start()).
 */
export function createScheduleTime(clock: Clock): () => number {
  const wallAtStart = clock.now().getTime();
  const monotonicAtStart = clock.monotonicMs();
  return () => Math.round(wallAtStart + (clock.monotonicMs() - monotonicAtStart));
}

/** Creates the scheduler; nothing is sent before start() or drainOnce(). */
export function createWaveScheduler<T>(deps: WaveSchedulerDeps<T>): WaveScheduler {
  const { queue, status, logger, policy, transport } = deps;
  const nowMs = deps.scheduleTime ?? createScheduleTime(deps.clock);

  let running = false;
  let stopping = false;
  let pausedUntilMs = 0;
  let loop: Promise<void> | null = null;
  let draining: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let wake: (() => void) | null = null;
  let probeTimer: NodeJS.Timeout | null = null;

  /** Sends due items in waves until none is due; concurrent callers share one pass. */
  async function drain(): Promise<void> {
    while (draining) await draining;
    draining = drainPass().finally(() => {
      draining = null;
    });
    return draining;
  }

  async function drainPass(): Promise<void> {
    if (!transport) return;
    for (;;) {
      if (stopping) return;
      const api = status.get().api;
      if (api === 'paused' && nowMs() < pausedUntilMs) return;
      // While offline or after a pause, a lone item is the trial; a full wave only once the server answers.
      const items = queue.due(nowMs(), api === 'online' ? policy.concurrency : 1);
      if (items.length === 0) return;
      if (api === 'paused') status.update({ api: 'online', message: null });
      await transport.sendWave(items);
      if (status.get().api !== 'online') return; // offline or paused again: wait for backoff, the probe or resume()
    }
  }

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      wake = resolve;
      timer = setTimeout(resolve, Math.max(0, ms));
    });

  /** How long to wait before the next pass: until the next item is due, the pause ends, or one probe interval. */
  function nextWaitMs(): number {
    const now = nowMs();
    if (status.get().api === 'paused') return Math.max(50, pausedUntilMs - now);
    const next = queue.nextDueMs();
    return next === null ? policy.probeIntervalMs : Math.max(50, next - now);
  }

  /**
   * The background loop: drain, then sleep until the next item is due (at most one probe interval).
   * Nothing in it may reject: when the queue itself fails (a damaged or closed database), the
   * error is logged and shown as the last problem, and the loop tries again after a growing wait.
   */
  async function run(): Promise<void> {
    let failures = 0;
    while (running) {
      let wait: number;
      try {
        await drain();
        if (!running) break;
        wait = nextWaitMs();
        failures = 0;
      } catch (error) {
        failures += 1;
        wait = Math.min(policy.probeIntervalMs, policy.baseDelayMs * 2 ** Math.min(failures - 1, 10));
        logger.error('sync loop error; trying again later', { error: errorMessage(error), waitMs: wait });
        status.update({ lastError: `The sync could not read or write the punch ledger: ${errorMessage(error)}` });
        if (!running) break;
      }
      await sleep(Math.min(wait, policy.probeIntervalMs));
      if (timer) clearTimeout(timer);
      timer = null;
      wake = null;
    }
  }

  /** While offline: any HTTP answer to the probe makes every waiting item due and wakes the loop. */
  async function probeWhileOffline(): Promise<void> {
    if (!transport || status.get().api !== 'offline') return;
    const outcome = await transport.probe();
    if (outcome.ok || outcome.kind === 'http') {
      queue.expedite();
      wake?.();
    }
  }

  /**
   * One check at start, whatever the state: the kiosk must not claim to be online until HotelMate
   * has answered (the indicator would otherwise say "Online" for a whole probe interval).
   */
  async function firstContact(): Promise<void> {
    if (!transport) return;
    const outcome = await transport.probe();
    const reason = outcome.ok ? null : pauseReason(outcome);
    if (reason) scheduler.pauseUntilProbe(reason);
  }

  /** Re-queues what a crash interrupted and brings due times of an earlier run forward; a failing database is logged, not thrown. */
  function recoverQueue(): void {
    try {
      const recovered = queue.recoverInFlight(nowMs() + policy.lateWriteMs);
      if (recovered > 0) logger.info('re-examining punches interrupted while sending once HotelMate can no longer be carrying them out', { recovered, waitMs: policy.lateWriteMs });
      queue.capNextDue(nowMs() + policy.maxDelayMs);
    } catch (error) {
      logger.error('the punch queue could not be prepared; the sync loop keeps trying', { error: errorMessage(error) });
      status.update({ lastError: `The sync could not read or write the punch ledger: ${errorMessage(error)}` });
    }
  }

  const scheduler: WaveScheduler = {
    start() {
      if (running) return;
      stopping = false;
      recoverQueue();
      running = true;
      loop = run();
      probeTimer = setInterval(() => {
        probeWhileOffline().catch((error: unknown) => logger.error('offline probe failed', { error: errorMessage(error) }));
      }, policy.probeIntervalMs);
      probeTimer.unref?.();
      firstContact().catch((error: unknown) => logger.warn('first contact with HotelMate failed', { error: errorMessage(error) }));
    },
    async stop() {
      running = false;
      stopping = true;
      if (probeTimer) clearInterval(probeTimer);
      probeTimer = null;
      wake?.();
      await loop;
      loop = null;
      if (draining) await draining;
    },
    pause(message) {
      pausedUntilMs = Number.MAX_SAFE_INTEGER;
      status.update({ api: 'paused', message });
    },
    pauseUntilProbe(message) {
      pausedUntilMs = nowMs() + policy.probeIntervalMs;
      if (status.get().api !== 'paused') logger.warn('sync paused', { reason: message });
      status.update({ api: 'paused', message });
    },
    resume() {
      pausedUntilMs = 0;
      if (status.get().api === 'paused') status.update({ api: transport ? 'online' : 'unconfigured', message: null });
      try {
        queue.expedite();
      } catch (error) {
        logger.error('waiting punches could not be made due', { error: errorMessage(error) });
      }
      wake?.();
    },
    nudge() {
      wake?.();
    },
    async drainOnce() {
      stopping = false;
      if (!running) queue.recoverInFlight(nowMs() + policy.lateWriteMs);
      await drain();
    },
  };
  return scheduler;
}
