/**
 * The one owner of retention: keeps the kiosk from hoarding personal data by running the purges
 * shortly after start and then once a day, logging what went. The rules are here
 * (`kioskRetentionTasks`); each store only offers the purge query. Synced punches go after
 * `retention.syncedDays`; unsynced punches never do. Live template candidates whose punch never
 * settled go after LIVE_CANDIDATE_DAYS. Timers and time are injected so a fake clock
 * can drive it.
 */
import type { WritableDB } from '../db/database';
import { deleteCandidatesBefore } from '../db/live-candidates';
import type { JobQueue } from '../jobs/job-queue';
import { purgeAuditSnapshots } from '../ledger/audit-snapshots';
import { purgeSyncedPunches } from '../ledger/ledger-store';
import type { Clock } from '../lib/clock';
import { systemTimers, type Timers } from '../lib/timers';
import { type Logger, toLogFormat } from '../logging/logger';

export { systemTimers, type Timers };

/**
 * A live template candidate (a face waiting for its punch to settle before it may follow its
 * person, face/live-templates.ts) is deleted this many days after it was kept when its punch never
 * settled (e.g. a kiosk offline for a month): a face is never kept for long just in case.
 */
export const LIVE_CANDIDATE_DAYS = 30;

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

export interface KioskRetentionOptions {
  db: WritableDB;
  clock: Clock;
  jobs: Pick<JobQueue, 'purgeFailed'>;
  /** The live retention settings (read at every run, so a config change applies to the next one). */
  retention: () => { syncedDays: number; snapshotDays: number };
}

/**
 * The kiosk's retention rules: synced punches past `syncedDays` (never an unsynced one), jobs
 * that failed longer ago than that (a manager has had as long to see them in the admin area),
 * audit snapshots past `snapshotDays` (or whose punch is gone), and live template candidates kept
 * more than LIVE_CANDIDATE_DAYS ago.
 */
export function kioskRetentionTasks(options: KioskRetentionOptions): RetentionTask[] {
  const { db, clock } = options;
  return [
    { name: 'synced-punches', run: () => (db.open ? purgeSyncedPunches(db, clock, options.retention().syncedDays) : 0) },
    { name: 'audit-snapshots', run: () => (db.open ? purgeAuditSnapshots(db, clock, options.retention().snapshotDays) : 0) },
    { name: 'failed-jobs', run: () => (db.open ? options.jobs.purgeFailed(options.retention().syncedDays) : 0) },
    { name: 'live-template-candidates', run: () => (db.open ? deleteCandidatesBefore(db, clock.now().getTime() - LIVE_CANDIDATE_DAYS * 86_400_000) : 0) },
  ];
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
