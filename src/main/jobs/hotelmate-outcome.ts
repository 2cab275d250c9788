/** How a failed HotelMate call ends a job's attempt: offline and 401/403 pause the queue, 5xx retries, any other refusal fails the job. */
import type { ApiFailure } from '../hotelmate/client';
import { assertNever } from '../lib/assert-never';
import type { JobFailure } from './job-queue';

/** The outcome while the kiosk has no HotelMate client (not configured yet): wait, do not count. */
export const NOT_CONNECTED: JobFailure = { status: 'paused', reason: 'offline', message: 'not connected to HotelMate (the kiosk is not configured yet)' };

/** Classifies a failed call; `what` names the request for the reason shown to managers. */
export function apiFailureOutcome(failure: ApiFailure, what: string): JobFailure {
  switch (failure.kind) {
    case 'network':
    case 'timeout':
      return { status: 'paused', reason: 'offline', message: `HotelMate unreachable (${failure.message})` };
    case 'http':
      if (failure.status === 401 || failure.status === 403)
        return { status: 'paused', reason: 'unauthorised', message: `HotelMate refused the kiosk account (${failure.status}): ${failure.message}` };
      if (failure.status >= 500 || failure.status === 429 || failure.status === 408)
        return { status: 'retry', reason: `${what}: HTTP ${failure.status} ${failure.message}` };
      return { status: 'failed', reason: `${what} was refused (HTTP ${failure.status}): ${failure.message}` };
    case 'bad_response':
      return { status: 'failed', reason: `${what}: HotelMate answered in an unexpected form (${failure.message})` };
    default:
      return assertNever(failure, 'API failure');
  }
}
