/** What one sync attempt concluded for a punch, and the one table that turns a failed HotelMate answer into that verdict. */
import type { ApiFailure } from '../hotelmate/client';

/**
 * The outcome of one attempt to bring a punch to HotelMate:
 * - `synced`: HotelMate reflects the punch (written now, or already so);
 * - `review`: HotelMate cannot take it as it is; a manager decides (never retried by itself);
 * - `retry`: nothing conclusive happened; the state is read again before the next attempt;
 * - `paused`: the kiosk account was refused; nothing more is sent until a resume or the next probe.
 */
export type Verdict =
  | { kind: 'synced'; serverAction: string; response: unknown; note?: string }
  | { kind: 'review'; message: string; response?: unknown; serverAction?: string }
  | { kind: 'retry'; message: string; response?: unknown }
  | { kind: 'paused'; message: string };

/** A failed answer with the fields every row of the table reads. */
interface FailedAnswer {
  kind: ApiFailure['kind'];
  /** The HTTP status, or null when no HTTP answer came (network, timeout). */
  status: number | null;
  message: string;
  /** The parsed body of an HTTP error answer, kept with the punch for managers. */
  body: unknown;
}

interface FailureRule {
  /** Which answers the row covers, in words. */
  covers: string;
  matches(answer: FailedAnswer): boolean;
  verdict(answer: FailedAnswer, step: string): Verdict;
}

/** HTTP statuses by which HotelMate refuses the kiosk account itself (bad token, face attendance off). */
const ACCOUNT_REFUSED = new Set([401, 403]);

const isHttp = (answer: FailedAnswer, test: (status: number) => boolean): boolean =>
  answer.kind === 'http' && answer.status !== null && test(answer.status);

/**
 * How each failed answer is treated, first matching row wins. This is the place to change which
 * answers go to a manager (review) and which are retried.
 */
const FAILURE_RULES: readonly FailureRule[] = [
  {
    covers: '401/403: the kiosk account was refused',
    matches: (a) => isHttp(a, (s) => ACCOUNT_REFUSED.has(s)),
    verdict: (a) => ({ kind: 'paused', message: accountRefusedMessage(a.status ?? 0, a.message) }),
  },
  {
    covers: '404: the face was not recognised at sync time',
    matches: (a) => isHttp(a, (s) => s === 404),
    verdict: (a, step) => ({ kind: 'review', message: `HotelMate did not recognise the face at sync time (${step}): ${a.message}`, response: a.body }),
  },
  {
    covers: '5xx, 429, 408: the server is failing or busy',
    matches: (a) => isHttp(a, (s) => s >= 500 || s === 429 || s === 408),
    verdict: (a, step) => ({
      kind: 'retry',
      message: `${step}: HTTP ${a.status} ${a.message}; the server state is re-read before retrying`,
      response: a.body,
    }),
  },
  {
    covers: 'any other HTTP answer: the request was refused',
    matches: (a) => a.kind === 'http',
    verdict: (a, step) => ({ kind: 'review', message: `${step} was refused (HTTP ${a.status}): ${a.message}`, response: a.body }),
  },
  {
    covers: 'a 2xx whose body is not what the API documents',
    matches: (a) => a.kind === 'bad_response',
    // The client's message already names the endpoint.
    verdict: (a) => ({ kind: 'retry', message: a.message }),
  },
  {
    covers: 'no answer: network error or timeout',
    matches: () => true,
    verdict: (a, step) => ({ kind: 'retry', message: `${step}: ${a.kind}: ${a.message}` }),
  },
];

/**
 * The verdict for a failed call; `step` names the request that failed (e.g. `face-clock-in`) for
 * the message a manager reads.
 */
export function classifyFailure(failure: ApiFailure, step: string): Verdict {
  const answer: FailedAnswer = {
    kind: failure.kind,
    status: failure.kind === 'http' || failure.kind === 'bad_response' ? failure.status : null,
    message: failure.message,
    body: failure.kind === 'http' ? failure.body : undefined,
  };
  const rule = FAILURE_RULES.find((row) => row.matches(answer)) ?? FAILURE_RULES[FAILURE_RULES.length - 1]!;
  return rule.verdict(answer, step);
}

/** A failed call in one line: `HTTP 500: message` or `timeout: message`. */
export function describeFailure(failure: ApiFailure): string {
  return failure.kind === 'http' ? `HTTP ${failure.status}: ${failure.message}` : `${failure.kind}: ${failure.message}`;
}

/** The reason shown while sync is paused because HotelMate refused the kiosk account. */
export function accountRefusedMessage(status: number, message: string): string {
  return `HotelMate refused the kiosk account (${status}): ${message}`;
}

/** Whether a failed call means HotelMate refused the kiosk account (sync pauses). */
export function isAccountRefused(failure: ApiFailure): failure is Extract<ApiFailure, { kind: 'http' }> {
  return failure.kind === 'http' && ACCOUNT_REFUSED.has(failure.status);
}
