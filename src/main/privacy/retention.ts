/**
 * Keeps the kiosk from hoarding personal data: runs the retention purges (synced punches past
 * `retention.syncedDays`, audit snapshots past `retention.snapshotDays`) shortly after start and then
 * once a day, logging what went. Timers and time are injected so a fake clock can drive it.
 */
import type { Clock } from '../lib/clock';
import { type Logger, toLogFormat } from '../logging/logger';

/** The timer functions the scheduler needs (the global ones by default). */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemTimers: Timers = {
  setTimeout: (fn, ms) => {
    const handle = setTimeout(fn, ms);
    handle.unref?.();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface RetentionTask {
  /** For the log, e.g. `synced-punches`. */
  name: string;
  /** Deletes what is past retention; resolves (or returns) how many records went. */
  run(): number | Promise<number>;
}

export interface RetentionSchedulerOptions {
  tasks: readonly RetentionTask[];
  clock: Clock;
  logger: Logger;
  timers?: Timers;
  /** Delay of the first run after start (the kiosk settles first). Default 1 minute. */
  firstRunDelayMs?: number;
  /** Default 24 hours. */
  intervalMs?: number;
}

export interface RetentionRun {
  at: string;
  removed: Record<string, number>;
  failed: Record<string, string>;
}

export interface RetentionScheduler {
  start(): void;
  stop(): void;
  /** Runs every task now (a failing task does not stop the others). Never rejects. */
  runNow(): Promise<RetentionRun>;
  lastRun(): RetentionRun | null;
}

/** Creates the daily purge scheduler; nothing runs until start(). */
export function createRetentionScheduler(options: RetentionSchedulerOptions): RetentionScheduler {
  const timers = options.timers ?? systemTimers;
  const log = options.logger.child('retention');
  const firstDelay = options.firstRunDelayMs ?? 60_000;
  const interval = options.intervalMs ?? 24 * 3600_000;
  let handle: unknown = null;
  let running = false;
  let last: RetentionRun | null = null;

  const runNow = async (): Promise<RetentionRun> => {
    const run: RetentionRun = { at: options.clock.now().toISOString(), removed: {}, failed: {} };
    for (const task of options.tasks) {
      try {
        run.removed[task.name] = await task.run();
      } catch (error) {
        run.failed[task.name] = toLogFormat(error);
        log.error('retention purge failed; will retry at the next run', { task: task.name, error: toLogFormat(error) });
      }
    }
    log.info('retention purge done', { removed: run.removed, failed: Object.keys(run.failed) });
    last = run;
    return run;
  };

  const schedule = (ms: number): void => {
    handle = timers.setTimeout(() => {
      handle = null;
      void runNow().finally(() => {
        if (running) schedule(interval);
      });
    }, ms);
  };

  return {
    start() {
      if (running) return;
      running = true;
      schedule(firstDelay);
    },
    stop() {
      running = false;
      if (handle !== null) timers.clearTimeout(handle);
      handle = null;
    },
    runNow,
    lastRun: () => last,
  };
}
