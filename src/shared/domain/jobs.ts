/** The outgoing job queue (face registrations and removals sent to HotelMate) as managers and diagnostics see it. */
import type { Result } from './result';

export type QueuedJobState = 'waiting' | 'running' | 'failed';

/** The job kinds the kiosk defines today; an unknown kind is shown as "other". */
export const JOB_KINDS = ['face.register', 'face.revoke'] as const;

/** One job, never with its payload (a face, an image). */
export interface QueuedJob {
  id: string;
  /** `face.register`, `face.revoke`, or a kind a later version added. */
  kind: string;
  /** The person the job is about, when it is about one. */
  staffId: number | null;
  staffName: string | null;
  state: QueuedJobState;
  attempts: number;
  maxAttempts: number;
  /** Why it is still waiting or failed. */
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Counts, the oldest waiting job, the last problem and the pause: what Diagnostics shows of the queue. */
export interface JobQueueSummary {
  waiting: number;
  running: number;
  failed: number;
  oldestWaitingAt: string | null;
  lastError: { kind: string; staffId: number | null; message: string; at: string } | null;
  /** Set while the queue waits: HotelMate unreachable (`offline`) or refusing the kiosk account (`unauthorised`). */
  paused: { reason: 'offline' | 'unauthorised'; message: string; since: string } | null;
}

/** A manager's retry of a failed job: waiting again with a fresh attempt count, or why not. */
export type JobRetryResult = Result<{ job: QueuedJob }, 'not_found' | 'not_failed'>;
/** A manager's discard of a job that is not running, or why not. */
export type JobDiscardResult = Result<object, 'not_found' | 'running'>;
