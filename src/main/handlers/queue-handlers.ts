/**
 * The manager's hands on the two outgoing queues (admin-gated by the router): sending a
 * needs-review punch again, and the face registration and removal jobs with their retry and discard.
 */
import type { JobQueueSummary, QueuedJob } from '../../shared/domain/jobs';
import type { RequestHandlers } from '../../shared/ipc/contract';
import { type JobQueue, type JobSummary, type JobView, staffIdOfSubject } from '../jobs/job-queue';
import type { KioskServices } from '../lifecycle/kiosk-services';
import type { Logger } from '../logging/logger';

export interface QueueHandlerDeps {
  logger: Logger;
  services: Pick<KioskServices, 'clockService'>;
  jobs: Pick<JobQueue, 'list' | 'get' | 'retry' | 'discard'>;
}

type QueueChannels = 'ledger:retry' | 'jobs:list' | 'jobs:retry' | 'jobs:discard';

/** A job as the admin area shows it, with the person's name when the kiosk knows it. */
export function toQueuedJob(job: JobView, nameOf: (staffId: number) => string | null): QueuedJob {
  const staffId = staffIdOfSubject(job.subject);
  return {
    id: job.id,
    kind: job.kind,
    staffId,
    staffName: staffId === null ? null : nameOf(staffId),
    state: job.state,
    attempts: job.attempts,
    maxAttempts: job.maxAttempts,
    lastError: job.lastError,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
  };
}

/** The queue's summary as Diagnostics shows it (subjects as staff ids). */
export function toJobQueueSummary(summary: JobSummary): JobQueueSummary {
  const { lastError } = summary;
  return {
    waiting: summary.waiting,
    running: summary.running,
    failed: summary.failed,
    oldestWaitingAt: summary.oldestWaitingAt,
    lastError: lastError ? { kind: lastError.kind, staffId: staffIdOfSubject(lastError.subject), message: lastError.message, at: lastError.at } : null,
    paused: summary.paused,
  };
}

export function queueHandlers(deps: QueueHandlerDeps): Pick<RequestHandlers, QueueChannels> {
  const log = deps.logger.child('queues');
  const nameOf = (staffId: number): string | null => deps.services.clockService()?.staff(staffId)?.name ?? null;
  return {
    'ledger:retry': (eventId) => {
      const clockService = deps.services.clockService();
      if (!clockService) return { ok: false, error: { code: 'not_configured', message: 'This kiosk is not set up yet.' } };
      return clockService.retryReview(eventId);
    },
    'jobs:list': (filter) => deps.jobs.list({ state: filter.state, limit: filter.limit }).map((job) => toQueuedJob(job, nameOf)),
    'jobs:retry': (jobId) => {
      const job = deps.jobs.get(jobId);
      if (!job) return { ok: false, error: { code: 'not_found', message: 'This job is no longer queued.' } };
      if (job.state !== 'failed' || !deps.jobs.retry(jobId)) return { ok: false, error: { code: 'not_failed', message: 'Only a failed job can be tried again.' } };
      log.info('failed job queued again by a manager', { jobId, kind: job.kind });
      return { ok: true, job: toQueuedJob(deps.jobs.get(jobId) ?? job, nameOf) };
    },
    'jobs:discard': (jobId) => {
      const job = deps.jobs.get(jobId);
      if (!job) return { ok: false, error: { code: 'not_found', message: 'This job is no longer queued.' } };
      if (!deps.jobs.discard(jobId)) return { ok: false, error: { code: 'running', message: 'The job is being sent right now; try again in a moment.' } };
      log.warn('job discarded by a manager: its work will not reach HotelMate', { jobId, kind: job.kind, state: job.state });
      return { ok: true };
    },
  };
}
