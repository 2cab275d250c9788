/**
 * When the sync sends: which punches are due (per person only the oldest, so one person's punches
 * go strictly in order), how many go per wave, the backoff with jitter between attempts, the probe
 * that notices HotelMate coming back while offline, and the pause after the account was refused.
 */
import type { Clock } from '../lib/clock';
import { errorMessage } from '../lib/errors';
import type { ApiOutcome } from '../hotelmate/client';
import type { Logger } from '../logging/logger';
import type { SyncStatus } from './sync-status';
import { accountRefusedMessage, isAccountRefused } from './verdict';

export interface SchedulePolicy {
  /** People synced in parallel per wave (each person strictly in order). Default 8. */
  concurrency: number;
  /** First retry delay; doubled per attempt up to maxDelayMs, with jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Cheap probe interval while offline, and re-try interval while paused by 401/403. */
  probeIntervalMs: number;
  /** 0..1 random source for jitter (tests pass a fixed one). */
  random: () => number;
}

/** The queue the scheduler drains (the ledger). Due times are wall-clock epoch milliseconds. */
export interface DueQueue<T> {
  /** Items that may be sent now: per person only the oldest unsent one; oldest first across people. */
  due(nowMs: number, limit: number): T[];
  /** Earliest time a waiting item becomes due, or null when none waits. */
  nextDueMs(): number | null;
  /** Makes every waiting item due now. */
  expedite(): void;
  /** Puts items interrupted mid-send (a crash) back in the queue; returns how many. */
  recoverInFlight(): number;
}

export interface WaveSchedulerDeps<T> {
  queue: DueQueue<T>;
  status: SyncStatus;
  clock: Clock;
  logger: Logger;
  policy: SchedulePolicy;
  /** How items reach HotelMate; null while the kiosk is not configured (nothing is ever sent). */
  transport: WaveTransport<T> | null;
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
  /** Pauses for one probe interval, then tries one item again: HotelMate refused the account. */
  pauseForRefusal(message: string): void;
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

/** Creates the scheduler; nothing is sent before start() or drainOnce(). */
export function createWaveScheduler<T>(deps: WaveSchedulerDeps<T>): WaveScheduler {
  const { queue, status, clock, logger, policy, transport } = deps;
  /** Due times are stored as wall-clock epoch ms, so "now" is the wall clock here. */
  const nowMs = (): number => clock.now().getTime();

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

  /** The background loop: drain, then sleep until the next item is due (at most one probe interval). */
  async function run(): Promise<void> {
    while (running) {
      try {
        await drain();
      } catch (error) {
        logger.error('sync loop error', { error: errorMessage(error) });
      }
      if (!running) break;
      const now = nowMs();
      const next = queue.nextDueMs();
      let wait = next === null ? policy.probeIntervalMs : Math.max(50, next - now);
      if (status.get().api === 'paused') wait = Math.max(50, pausedUntilMs - now);
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
    if (!outcome.ok && isAccountRefused(outcome)) scheduler.pauseForRefusal(accountRefusedMessage(outcome.status, outcome.message));
  }

  const scheduler: WaveScheduler = {
    start() {
      if (running) return;
      stopping = false;
      const recovered = queue.recoverInFlight();
      if (recovered > 0) logger.info('re-examining punches interrupted while sending', { recovered });
      running = true;
      loop = run();
      probeTimer = setInterval(() => void probeWhileOffline(), policy.probeIntervalMs);
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
    pauseForRefusal(message) {
      pausedUntilMs = nowMs() + policy.probeIntervalMs;
      if (status.get().api !== 'paused') logger.warn('sync paused', { reason: message });
      status.update({ api: 'paused', message });
    },
    resume() {
      pausedUntilMs = 0;
      if (status.get().api === 'paused') status.update({ api: transport ? 'online' : 'unconfigured', message: null });
      queue.expedite();
      wake?.();
    },
    nudge() {
      wake?.();
    },
    async drainOnce() {
      stopping = false;
      if (!running) queue.recoverInFlight();
      await drain();
    },
  };
  return scheduler;
}
