/**
 * Queries of the outgoing job queue (`jobs`). A job is persisted before it runs, runs in `seq`
 * order per subject (a person), and leaves the table when done; a job that keeps failing stays as
 * `failed` with its reason. The queue's behaviour lives in src/main/jobs; this module stores it.
 */
import type { ReadableDB, WritableDB } from './database';
import { transaction } from './database';
import { command, query } from './statements';

export type JobState = 'waiting' | 'running' | 'failed';
/** How `payload` is stored: plain JSON, sealed JSON (secrets/cipher.ts), or a registration moved from the old queue. */
export type PayloadFormat = 'json' | 'sealed' | 'legacy-registration';

/** A job as the admin area and diagnostics see it: never its payload. */
export interface JobView {
  seq: number;
  id: string;
  kind: string;
  subject: string;
  state: JobState;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface StoredJob extends JobView {
  payload: Buffer;
  payloadFormat: PayloadFormat;
}

export interface NewJob {
  id: string;
  kind: string;
  subject: string;
  payload: Buffer;
  payloadFormat: PayloadFormat;
  maxAttempts: number;
  createdAt: string;
}

export interface JobCounts {
  waiting: number;
  running: number;
  failed: number;
}

interface JobRow {
  seq: number;
  id: string;
  kind: string;
  subject: string;
  state: JobState;
  payload: Buffer;
  payload_format: PayloadFormat;
  attempts: number;
  max_attempts: number;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

const toView = (row: Omit<JobRow, 'payload' | 'payload_format'>): JobView => ({
  seq: row.seq,
  id: row.id,
  kind: row.kind,
  subject: row.subject,
  state: row.state,
  attempts: row.attempts,
  maxAttempts: row.max_attempts,
  lastError: row.last_error,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const toStored = (row: JobRow): StoredJob => ({ ...toView(row), payload: row.payload, payloadFormat: row.payload_format });

const VIEW_COLUMNS = 'seq, id, kind, subject, state, attempts, max_attempts, last_error, created_at, updated_at';
const COLUMNS = `${VIEW_COLUMNS}, payload, payload_format`;

const insertRow = command<NewJob>(
  `INSERT INTO jobs (id, kind, subject, state, payload, payload_format, attempts, max_attempts, created_at, updated_at)
   VALUES (@id, @kind, @subject, 'waiting', @payload, @payloadFormat, 0, @maxAttempts, @createdAt, @createdAt)`,
);
const selectById = query<[string], JobRow>(`SELECT ${COLUMNS} FROM jobs WHERE id = ?`);
// The head of a subject is its oldest job still to do; only a waiting head may run.
const selectRunnable = query<[number], JobRow>(`SELECT ${COLUMNS} FROM jobs j
  WHERE j.state = 'waiting'
    AND NOT EXISTS (SELECT 1 FROM jobs p WHERE p.subject = j.subject AND p.seq < j.seq AND p.state IN ('waiting','running'))
  ORDER BY j.seq LIMIT ?`);
const selectIsFirst = query<[string], { first: number }>(`SELECT NOT EXISTS (
    SELECT 1 FROM jobs p WHERE p.subject = j.subject AND p.seq < j.seq AND p.state IN ('waiting','running')
  ) AS first FROM jobs j WHERE j.id = ?`);
const updateRunning = command<[string, string]>(`UPDATE jobs SET state = 'running', attempts = attempts + 1, updated_at = ? WHERE id = ?`);
const updateWaiting = command<{ id: string; error: string; at: string; uncount: number }>(
  `UPDATE jobs SET state = 'waiting', attempts = MAX(attempts - @uncount, 0), last_error = @error, updated_at = @at WHERE id = @id`,
);
const updateFailed = command<{ id: string; error: string; at: string }>(
  `UPDATE jobs SET state = 'failed', last_error = @error, updated_at = @at WHERE id = @id`,
);
const deleteById = command<[string]>('DELETE FROM jobs WHERE id = ?');
const updateRecover = command<[string]>(
  `UPDATE jobs SET state = 'waiting', updated_at = ?, last_error = COALESCE(last_error, 'interrupted while running') WHERE state = 'running'`,
);
const deleteWaitingOf = command<[string, string]>(`DELETE FROM jobs WHERE kind = ? AND subject = ? AND state = 'waiting'`);
const selectOpenSubjects = query<[string], { subject: string }>(
  `SELECT subject FROM jobs WHERE kind = ? AND state IN ('waiting','running') ORDER BY seq`,
);
const selectCounts = query<[], { state: JobState; n: number }>('SELECT state, COUNT(*) AS n FROM jobs GROUP BY state');
const selectOldestWaiting = query<[], { created_at: string }>(`SELECT created_at FROM jobs WHERE state = 'waiting' ORDER BY seq LIMIT 1`);
const selectLastError = query<[], { kind: string; subject: string; last_error: string; updated_at: string }>(
  `SELECT kind, subject, last_error, updated_at FROM jobs WHERE last_error IS NOT NULL ORDER BY updated_at DESC, seq DESC LIMIT 1`,
);
const selectList = query<[number], Omit<JobRow, 'payload' | 'payload_format'>>(`SELECT ${VIEW_COLUMNS} FROM jobs ORDER BY seq DESC LIMIT ?`);
const selectListByState = query<[JobState, number], Omit<JobRow, 'payload' | 'payload_format'>>(
  `SELECT ${VIEW_COLUMNS} FROM jobs WHERE state = ? ORDER BY seq DESC LIMIT ?`,
);
const updateRetryFailed = command<[string, string]>(
  `UPDATE jobs SET state = 'waiting', attempts = 0, updated_at = ? WHERE id = ? AND state = 'failed'`,
);
const deleteFailedBefore = command<[string]>(`DELETE FROM jobs WHERE state = 'failed' AND updated_at < ?`);
const selectByFormat = query<[PayloadFormat], JobRow>(`SELECT ${COLUMNS} FROM jobs WHERE payload_format = ? ORDER BY seq`);
const updatePayload = command<[Buffer, PayloadFormat, string]>('UPDATE jobs SET payload = ?, payload_format = ? WHERE id = ?');

/** The statements on the queue's hot path, for the `EXPLAIN QUERY PLAN` checks. */
export const JOB_HOT_QUERIES = { runnable: selectRunnable.sql } as const;

/**
 * Persists a job. With `replaceWaiting`, waiting jobs of the same kind and subject are dropped in the
 * same transaction (a newer registration of a person replaces one not yet sent).
 */
export function insertJob(db: WritableDB, job: NewJob, options: { replaceWaiting?: boolean } = {}): void {
  transaction(db, () => {
    if (options.replaceWaiting) deleteWaitingOf(db).run(job.kind, job.subject);
    insertRow(db).run(job);
  });
}

export function jobById(db: ReadableDB, id: string): StoredJob | null {
  const row = selectById(db).get(id);
  return row ? toStored(row) : null;
}

/** Waiting jobs that are first in line for their subject, oldest first. */
export function runnableJobs(db: ReadableDB, limit: number): StoredJob[] {
  return selectRunnable(db).all(limit).map(toStored);
}

/** Whether no earlier job of the same subject is still to do. */
export function isFirstForSubject(db: ReadableDB, id: string): boolean {
  return selectIsFirst(db).get(id)?.first === 1;
}

/** Marks a job running and counts the attempt. */
export function markJobRunning(db: WritableDB, id: string, at: Date): void {
  updateRunning(db).run(at.toISOString(), id);
}

/** Back to waiting with the reason; `countAttempt: false` takes back the attempt (offline, unauthorised). */
export function markJobWaiting(db: WritableDB, update: { id: string; error: string; at: Date; countAttempt: boolean }): void {
  updateWaiting(db).run({ id: update.id, error: update.error, at: update.at.toISOString(), uncount: update.countAttempt ? 0 : 1 });
}

export function markJobFailed(db: WritableDB, update: { id: string; error: string; at: Date }): void {
  updateFailed(db).run({ id: update.id, error: update.error, at: update.at.toISOString() });
}

/** A job leaves the table when done (or discarded). Returns whether it was there. */
export function deleteJob(db: WritableDB, id: string): boolean {
  return deleteById(db).run(id).changes > 0;
}

/** After a crash: running jobs go back to waiting. Returns how many. */
export function recoverRunningJobs(db: WritableDB, at: Date): number {
  return updateRecover(db).run(at.toISOString()).changes;
}

/** Subjects of a kind's jobs still to do (waiting or running), oldest first. */
export function openSubjects(db: ReadableDB, kind: string): string[] {
  return selectOpenSubjects(db)
    .all(kind)
    .map((row) => row.subject);
}

export function jobCounts(db: ReadableDB): JobCounts {
  const counts: JobCounts = { waiting: 0, running: 0, failed: 0 };
  for (const row of selectCounts(db).all()) counts[row.state] = row.n;
  return counts;
}

export function oldestWaitingJobAt(db: ReadableDB): string | null {
  return selectOldestWaiting(db).get()?.created_at ?? null;
}

/** The most recent reason a job did not get done, if any job still carries one. */
export function lastJobError(db: ReadableDB): { kind: string; subject: string; message: string; at: string } | null {
  const row = selectLastError(db).get();
  return row ? { kind: row.kind, subject: row.subject, message: row.last_error, at: row.updated_at } : null;
}

/** Newest first, optionally of one state. */
export function listJobs(db: ReadableDB, filter: { state?: JobState; limit: number }): JobView[] {
  const rows = filter.state ? selectListByState(db).all(filter.state, filter.limit) : selectList(db).all(filter.limit);
  return rows.map(toView);
}

/** A failed job back to waiting with a fresh attempt count. Returns whether it was failed. */
export function retryFailedJob(db: WritableDB, id: string, at: Date): boolean {
  return updateRetryFailed(db).run(at.toISOString(), id).changes > 0;
}

/** Deletes failed jobs last touched before `cutoffIso`. Returns how many. */
export function purgeFailedJobsBefore(db: WritableDB, cutoffIso: string): number {
  return deleteFailedBefore(db).run(cutoffIso).changes;
}

/** Jobs whose payload is stored in `format` (how the ciphertext migration finds the old format). */
export function jobsWithPayloadFormat(db: ReadableDB, format: PayloadFormat): StoredJob[] {
  return selectByFormat(db).all(format).map(toStored);
}

export function setJobPayload(db: WritableDB, id: string, payload: Buffer, format: PayloadFormat): void {
  updatePayload(db).run(payload, format, id);
}
