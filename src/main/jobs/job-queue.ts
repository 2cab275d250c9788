/**
 * The one queue for outgoing work that is not a punch (face registrations, face revocations, and
 * whatever comes next; punches keep their ledger). As in Signal Desktop's JobQueue, a job is
 * persisted before it runs, its stored payload is parsed with zod when read back, and attempts are
 * bounded with backoff (on monotonic time); the queue pauses while HotelMate is unreachable or
 * refuses the kiosk (401/403), resumes when the kiosk is online again, and drains on shutdown.
 * Unlike Signal's, a job that keeps failing is never dropped: it stays `failed` with its reason.
 *
 * Jobs of one subject (a person) run strictly in the order they were added, so a revocation never
 * overtakes the registration before it. One attempt runs at a time.
 */
import { v7 as uuidv7 } from 'uuid';
import type { ZodType } from 'zod';
import type { WritableDB } from '../db/database';
import {
  deleteJob,
  insertJob,
  isFirstForSubject,
  jobById,
  jobCounts,
  lastJobError,
  listJobs,
  markJobFailed,
  markJobRunning,
  markJobWaiting,
  oldestWaitingJobAt,
  openSubjects,
  purgeFailedJobsBefore,
  recoverRunningJobs,
  retryFailedJob,
  runnableJobs,
  type JobState,
  type JobView,
  type StoredJob,
} from '../db/jobs';
import { assertNever } from '../lib/assert-never';
import type { Clock } from '../lib/clock';
import { createEmitter, type Subscribe } from '../lib/emitter';
import { errorMessage, toLogFormat } from '../lib/errors';
import { systemTimers, type Timers } from '../lib/timers';
import type { Logger } from '../logging/logger';
import { type Cipher, bindings } from '../secrets/cipher';

export type { JobState, JobView };

/** Why the queue waits instead of trying: HotelMate unreachable, or refusing the kiosk account. */
export type PauseReason = 'offline' | 'unauthorised';

/** What one attempt came to. */
export type JobOutcome =
  | { status: 'done'; detail?: string }
  /** A transient failure (5xx, 429...): retried with backoff, counted against the attempt limit. */
  | { status: 'retry'; reason: string }
  /** A definite refusal: the job stays `failed` with the reason. */
  | { status: 'failed'; reason: string }
  /** Not the job's fault: the attempt is not counted and the whole queue waits until resumed. */
  | { status: 'paused'; reason: PauseReason; message: string };

export type JobFailure = Exclude<JobOutcome, { status: 'done' }>;

/** Thrown by a job (or a function it calls) to end the attempt with a given outcome. */
export class JobError extends Error {
  constructor(readonly outcome: JobFailure) {
    super(outcome.status === 'paused' ? outcome.message : outcome.reason);
    this.name = 'JobError';
  }
}

export interface JobContext {
  /** 1 for the first attempt. */
  attempt: number;
  log: Logger;
}

/** One kind of job: how its payload is checked and stored, whom it concerns, and how it runs. */
export interface JobHandler<P> {
  /** Stored with the job, e.g. `face.register`. */
  kind: string;
  /** Checks the payload when added and again when read back from the database. */
  schema: ZodType<P>;
  /** Jobs with the same subject run in order, e.g. `staffSubject(staffId)`. */
  subject(payload: P): string;
  /** The payload holds personal data (a face, an image): stored sealed with the queue's cipher. */
  sensitive: boolean;
  /** Attempts before the job is `failed` (default: the queue's). */
  maxAttempts?: number;
  /** A new job replaces a waiting (not yet running) one of the same kind and subject. */
  replacesWaiting?: boolean;
  /** One attempt. A throw is a `retry`, except a JobError, which carries its outcome. */
  run(payload: P, context: JobContext): Promise<JobOutcome>;
}

/** Where a job stands after the attempt `add` made (or could not make yet). */
export interface JobReport {
  id: string;
  state: 'done' | 'waiting' | 'failed';
  /** The `detail` of a done job. */
  detail: string | null;
  /** Why it is still waiting or failed. */
  error: string | null;
}

/** A kind of job defined on the queue. */
export interface JobType<P> {
  readonly kind: string;
  /**
   * Persists the job, then tries it at once when it is first in line for its subject (even while
   * paused: a new job is a natural probe). Resolves with where it stands; rejects only when the
   * payload is invalid or the database refuses the write (nothing was queued then).
   */
  add(payload: P): Promise<JobReport>;
  /** Subjects of this kind's jobs still to do (waiting or running), oldest first. */
  openSubjects(): string[];
  /**
   * Tries each waiting job of this kind that is first in line now, ignoring backoff and pause;
   * stops early when HotelMate turns out unreachable. Resolves with how many are still to do.
   */
  runWaiting(): Promise<number>;
}

export interface JobSummary {
  waiting: number;
  running: number;
  failed: number;
  /** When the oldest waiting job was added, ISO. */
  oldestWaitingAt: string | null;
  lastError: { kind: string; subject: string; message: string; at: string } | null;
  paused: { reason: PauseReason; message: string; since: string } | null;
}

export interface JobQueue {
  /** Registers a kind of job. Throws for a kind defined twice, or a sensitive kind without a cipher. */
  define<P>(handler: JobHandler<P>): JobType<P>;
  /** Recovers jobs left running by a crash and starts working through the queue in the background. */
  start(): void;
  /** Stops taking up jobs and waits for the attempt in flight to finish (drain). */
  stop(): Promise<void>;
  pause(reason: PauseReason, message: string): void;
  /** Leaves a pause (the kiosk is online again) and tries due jobs at once, backoff forgotten. */
  resume(): void;
  isPaused(): boolean;
  /** Counts by state, the oldest waiting job, the last error, the pause: for diagnostics. */
  summary(): JobSummary;
  /** Jobs newest first, without their payloads: for the admin area. */
  list(filter?: { state?: JobState; limit?: number }): JobView[];
  /** One job without its payload, or null when there is none with this id. */
  get(jobId: string): JobView | null;
  /** A failed job back to waiting with a fresh attempt count. Returns whether there was one. */
  retry(jobId: string): boolean;
  /** Deletes a job that is not running. Returns whether there was one. */
  discard(jobId: string): boolean;
  /** Deletes jobs that failed more than `olderThanDays` ago (the retention rule). Returns how many. */
  purgeFailed(olderThanDays: number): number;
  /** The summary after every change. */
  onChange: Subscribe<JobSummary>;
}

/** When a job is tried again. Delays are monotonic milliseconds. */
export interface RetryPolicy {
  /** Attempts before a job that keeps failing transiently is `failed`. */
  maxAttempts: number;
  /** After a transient failure: this, doubled per attempt up to `maxDelayMs`, times a jitter of 0.5 to 1. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** While paused, one job is tried this often as a probe (besides resume()). */
  probeIntervalMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 30, baseDelayMs: 5_000, maxDelayMs: 5 * 60_000, probeIntervalMs: 30_000 };

export interface JobQueueOptions {
  db: WritableDB;
  clock: Clock;
  logger: Logger;
  /** Seals the payloads of sensitive kinds (job payload key, secrets/keys.ts); null when none is defined. */
  cipher?: Cipher | null;
  timers?: Timers;
  retry?: Partial<RetryPolicy>;
  /** 0..1 random source of the backoff jitter (tests pass a fixed one). */
  random?: () => number;
}

/** The subject of a job about one staff member. */
export function staffSubject(staffId: number): string {
  return `staff:${staffId}`;
}

/** The staff id of a `staffSubject`, or null for another subject. */
export function staffIdOfSubject(subject: string): number | null {
  const match = /^staff:(\d+)$/.exec(subject);
  return match ? Number(match[1]) : null;
}

/** A kind of job with its payload type erased, as the queue keeps it. */
interface Registered {
  kind: string;
  /** Checks a payload read back from the database; on success returns the attempt to make. */
  prepare(raw: unknown): { ok: true; run: (context: JobContext) => Promise<JobOutcome> } | { ok: false; error: string };
}

/** Creates the queue over the migrated database. Nothing runs in the background before start(). */
export function createJobQueue(options: JobQueueOptions): JobQueue {
  const { db, clock } = options;
  const log = options.logger.child('jobs');
  const timers = options.timers ?? systemTimers;
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const random = options.random ?? Math.random;
  const cipher = options.cipher ?? null;
  const handlers = new Map<string, Registered>();
  /** Monotonic time before which a job that failed transiently is not retried. */
  const notBefore = new Map<string, number>();
  /** Jobs just added, whose first attempt belongs to `add` (the background never takes them first). */
  const reserved = new Set<string>();
  const changes = createEmitter<JobSummary>('jobs', log);
  let paused: { reason: PauseReason; message: string; since: string; probeAtMs: number } | null = null;
  let started = false;
  let stopping = false;
  let timer: unknown = null;
  let chain: Promise<unknown> = Promise.resolve();

  /** One step at a time (an attempt, a pass): steps never overlap and never reject. */
  const serialise = <T>(step: () => Promise<T>, fallback: T): Promise<T> => {
    const run = chain.then(step).catch((error: unknown) => {
      log.error('job queue step failed', { error: toLogFormat(error) });
      return fallback;
    });
    chain = run;
    return run;
  };

  const summary = (): JobSummary => ({
    ...jobCounts(db),
    oldestWaitingAt: oldestWaitingJobAt(db),
    lastError: lastJobError(db),
    paused: paused ? { reason: paused.reason, message: paused.message, since: paused.since } : null,
  });
  const changed = (): void => {
    if (changes.size() > 0 && db.open) changes.emit(summary());
  };

  const backoffMs = (attempt: number): number => {
    const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
    return Math.round(exp * (0.5 + random() * 0.5));
  };

  const enterPause = (reason: PauseReason, message: string): void => {
    if (!paused) log.warn('job queue paused', { reason, message });
    paused = { reason, message, since: paused?.since ?? clock.now().toISOString(), probeAtMs: clock.monotonicMs() + policy.probeIntervalMs };
  };
  const leavePause = (): void => {
    if (paused) log.info('job queue resumed', { after: paused.reason });
    paused = null;
  };

  /** Reads a stored payload back: unsealed when sealed, parsed as JSON. */
  const readPayload = (job: StoredJob): unknown => {
    if (job.payloadFormat === 'legacy-registration') throw new Error('still in the format of the previous queue (the job payload key could not re-encrypt it)');
    if (job.payloadFormat === 'json') return JSON.parse(job.payload.toString('utf8'));
    if (!cipher) throw new Error('sealed, and the queue has no key to open it');
    return JSON.parse(cipher.open(job.payload, bindings.jobPayload(job.id)).toString('utf8'));
  };

  const waitingReport = (id: string, error: string | null): JobReport => ({ id, state: 'waiting', detail: null, error });

  /** One attempt at a waiting job that is first in line. */
  const attempt = async (job: StoredJob): Promise<{ report: JobReport; outcome: JobOutcome | null }> => {
    const registered = handlers.get(job.kind);
    if (!registered) return { report: waitingReport(job.id, null), outcome: null };
    let prepared: ReturnType<Registered['prepare']>;
    try {
      prepared = registered.prepare(readPayload(job));
    } catch (error) {
      prepared = { ok: false, error: errorMessage(error) };
    }
    if (!prepared.ok) {
      const reason = `The stored job could not be read: ${prepared.error}`;
      markJobFailed(db, { id: job.id, error: reason, at: clock.now() });
      log.error('job failed: stored data unreadable', { kind: job.kind, jobId: job.id, error: prepared.error });
      changed();
      return { report: { id: job.id, state: 'failed', detail: null, error: reason }, outcome: null };
    }
    const number = job.attempts + 1;
    markJobRunning(db, job.id, clock.now());
    changed();
    let outcome: JobOutcome;
    try {
      outcome = await prepared.run({ attempt: number, log: log.child(job.kind) });
    } catch (error) {
      outcome = error instanceof JobError ? error.outcome : { status: 'retry', reason: errorMessage(error) };
    }
    // The database may have been closed while the attempt was in flight ("forget this kiosk").
    if (!db.open) return { report: waitingReport(job.id, null), outcome };
    const report = settle(job, number, outcome);
    changed();
    return { report, outcome };
  };

  /** Records an attempt's outcome. */
  const settle = (job: StoredJob, number: number, outcome: JobOutcome): JobReport => {
    const now = clock.now();
    const fields = { kind: job.kind, jobId: job.id, subject: job.subject, attempt: number };
    if (outcome.status === 'paused') {
      markJobWaiting(db, { id: job.id, error: outcome.message, at: now, countAttempt: false });
      enterPause(outcome.reason, outcome.message);
      return waitingReport(job.id, outcome.message);
    }
    leavePause(); // the attempt got past the network and the account check
    notBefore.delete(job.id);
    switch (outcome.status) {
      case 'done':
        deleteJob(db, job.id);
        log.info('job done', { ...fields, detail: outcome.detail ?? null });
        return { id: job.id, state: 'done', detail: outcome.detail ?? null, error: null };
      case 'failed':
        markJobFailed(db, { id: job.id, error: outcome.reason, at: now });
        log.error('job failed', { ...fields, reason: outcome.reason });
        return { id: job.id, state: 'failed', detail: null, error: outcome.reason };
      case 'retry': {
        if (number >= job.maxAttempts) {
          const reason = `Not done after ${number} attempts; last error: ${outcome.reason}`;
          markJobFailed(db, { id: job.id, error: reason, at: now });
          log.error('job failed after repeated attempts', { ...fields, reason: outcome.reason });
          return { id: job.id, state: 'failed', detail: null, error: reason };
        }
        const delayMs = backoffMs(number);
        markJobWaiting(db, { id: job.id, error: outcome.reason, at: now, countAttempt: true });
        notBefore.set(job.id, clock.monotonicMs() + delayMs);
        log.warn('job will be retried', { ...fields, delayMs, reason: outcome.reason });
        return waitingReport(job.id, outcome.reason);
      }
      default:
        return assertNever(outcome, 'job outcome');
    }
  };

  const isDue = (job: StoredJob, nowMs: number): boolean => handlers.has(job.kind) && !reserved.has(job.id) && (notBefore.get(job.id) ?? 0) <= nowMs;

  const wake = (): void => {
    if (timer !== null) timers.clearTimeout(timer);
    timer = null;
    if (!started || stopping || !db.open) return;
    const nowMs = clock.monotonicMs();
    let at: number | null = paused ? paused.probeAtMs : null;
    if (!paused) {
      for (const job of runnableJobs(db, 100)) {
        if (!handlers.has(job.kind) || reserved.has(job.id)) continue;
        const due = notBefore.get(job.id) ?? 0;
        at = at === null ? due : Math.min(at, due);
      }
    }
    if (at === null) return;
    timer = timers.setTimeout(() => {
      timer = null;
      void pump();
    }, Math.max(0, at - nowMs));
  };

  /** Works through what is due, then sleeps until the next backoff or probe. */
  const pump = (): Promise<void> =>
    serialise(async () => {
      while (started && !stopping && db.open) {
        if (paused && clock.monotonicMs() < paused.probeAtMs) break;
        const nowMs = clock.monotonicMs();
        const next = runnableJobs(db, 100).find((job) => isDue(job, nowMs));
        if (!next) break;
        await attempt(next);
      }
      wake();
    }, undefined);

  /** Stores a new job (sealed when sensitive), reserved for its first attempt by `add`. Returns its id. */
  const persist = <P>(handler: JobHandler<P>, maxAttempts: number, payload: P): string => {
    const id = uuidv7();
    const plain = Buffer.from(JSON.stringify(payload), 'utf8');
    const sealed = handler.sensitive && cipher ? cipher.seal(plain, bindings.jobPayload(id)) : null;
    const subject = handler.subject(payload);
    const job = { id, kind: handler.kind, subject, payload: sealed ?? plain, maxAttempts, createdAt: clock.now().toISOString() };
    reserved.add(id);
    try {
      insertJob(db, { ...job, payloadFormat: sealed ? 'sealed' : 'json' }, { replaceWaiting: handler.replacesWaiting ?? false });
    } catch (error) {
      reserved.delete(id);
      throw error;
    }
    log.info('job queued', { kind: handler.kind, jobId: id, subject });
    changed();
    return id;
  };

  /** The attempt `add` makes at once, when the new job is first in line for its subject. */
  const firstAttempt = async (id: string): Promise<JobReport> => {
    reserved.delete(id);
    const job = db.open ? jobById(db, id) : null;
    if (!job) return waitingReport(id, 'replaced by a newer job of the same kind and subject, or discarded');
    if (job.state !== 'waiting' || !isFirstForSubject(db, id)) return waitingReport(id, null);
    return (await attempt(job)).report;
  };

  return {
    define<P>(handler: JobHandler<P>): JobType<P> {
      if (handlers.has(handler.kind)) throw new Error(`job kind ${handler.kind} is defined twice`);
      if (handler.sensitive && !cipher) throw new Error(`job kind ${handler.kind} carries personal data and needs the queue's cipher`);
      const maxAttempts = handler.maxAttempts ?? policy.maxAttempts;
      handlers.set(handler.kind, {
        kind: handler.kind,
        prepare(raw) {
          const parsed = handler.schema.safeParse(raw);
          if (!parsed.success) return { ok: false, error: parsed.error.message };
          return { ok: true, run: (context) => handler.run(parsed.data, context) };
        },
      });
      const kind = handler.kind;
      return {
        kind,
        async add(payload) {
          const id = persist(handler, maxAttempts, handler.schema.parse(payload));
          if (stopping) {
            reserved.delete(id);
            return waitingReport(id, null);
          }
          const report = await serialise(() => firstAttempt(id), waitingReport(id, null));
          reserved.delete(id);
          if (started) void pump();
          return report;
        },
        openSubjects: () => openSubjects(db, kind),
        runWaiting() {
          return serialise(async () => {
            const tried = new Set<string>();
            while (db.open) {
              const next = runnableJobs(db, 100).find((job) => job.kind === kind && !tried.has(job.id) && !reserved.has(job.id));
              if (!next) break;
              tried.add(next.id);
              const { outcome } = await attempt(next);
              if (outcome?.status === 'paused') break;
            }
            return db.open ? openSubjects(db, kind).length : 0;
          }, db.open ? openSubjects(db, kind).length : 0);
        },
      };
    },
    start() {
      if (started) return;
      started = true;
      stopping = false;
      const recovered = recoverRunningJobs(db, clock.now());
      if (recovered > 0) log.warn('jobs interrupted by a restart go back to waiting', { recovered });
      void pump();
    },
    async stop() {
      stopping = true;
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
      await chain;
      started = false;
    },
    pause(reason, message) {
      enterPause(reason, message);
      changed();
    },
    resume() {
      leavePause();
      notBefore.clear();
      changed();
      void pump();
    },
    isPaused: () => paused !== null,
    summary,
    list: (filter = {}) => listJobs(db, { state: filter.state, limit: filter.limit ?? 200 }),
    get(jobId) {
      const job = jobById(db, jobId);
      if (!job) return null;
      const { payload: _payload, payloadFormat: _format, ...view } = job;
      return view;
    },
    retry(jobId) {
      const retried = retryFailedJob(db, jobId, clock.now());
      if (retried) {
        notBefore.delete(jobId);
        log.info('failed job queued again', { jobId });
        changed();
        void pump();
      }
      return retried;
    },
    discard(jobId) {
      const job = jobById(db, jobId);
      if (!job || job.state === 'running') return false;
      deleteJob(db, jobId);
      notBefore.delete(jobId);
      log.info('job discarded', { kind: job.kind, jobId, subject: job.subject, state: job.state });
      changed();
      return true;
    },
    purgeFailed(olderThanDays) {
      const removed = purgeFailedJobsBefore(db, new Date(clock.now().getTime() - olderThanDays * 86_400_000).toISOString());
      if (removed > 0) {
        log.info('purged failed jobs past retention', { removed, olderThanDays });
        changed();
      }
      return removed;
    },
    onChange: changes.subscribe,
  };
}
