/** What one sync attempt concluded for a punch, and the one table that turns a failed HotelMate answer into that verdict. */
import type { ApiFailure } from '../hotelmate/client';

/**
 * The outcome of one attempt to bring a punch to HotelMate:
 * - `synced`: HotelMate reflects the punch (written now, or already so);
 * - `review`: one of the documented outcomes HotelMate cannot take as it is (face not recognised,
 *   matched someone else, a session on an earlier UTC day, no open session); a manager decides,
 *   and may send it again from the admin ledger;
 * - `retry`: nothing conclusive happened; the state is read again before the next attempt, after a backoff
 *   (at least `waitMs`, when HotelMate asked to wait with `Retry-After`). `unanswered`: a write got no
 *   answer in time and HotelMate may still be carrying it out, so the state is read again only once
 *   it can no longer change behind the kiosk's back (the sync's `lateWriteMs`);
 * - `paused`: the answer says the whole sync cannot work now (the kiosk account was refused, or
 *   something that is not HotelMate's API answered: a redirect, a proxy's page); nothing more is
 *   sent until the next probe interval or a resume. The attempt is not counted, unless `counted`:
 *   the answer may have replaced one for a request HotelMate carried out (a page with a 2xx), so
 *   the next attempt must look for that write as after any unanswered attempt.
 */
export type Verdict =
  | { kind: 'synced'; serverAction: string; response: unknown; note?: string }
  | { kind: 'review'; message: string; response?: unknown; serverAction?: string }
  | { kind: 'retry'; message: string; response?: unknown; waitMs?: number; unanswered?: true }
  | { kind: 'paused'; message: string; counted?: true };

/** A failed answer with the fields every row of the table reads. */
interface FailedAnswer {
  kind: ApiFailure['kind'];
  /** The HTTP status, or null when no HTTP answer came (network, timeout). */
  status: number | null;
  message: string;
  /**
   * The parsed body of an HTTP error answer (a string when it was not JSON), kept with the punch for
   * managers; for a 2xx that is not JSON, the start of its text.
   */
  body: unknown;
  /** How long a `Retry-After` header asked to wait, when one came. */
  retryAfterMs?: number;
}

interface FailureRule {
  /** Which answers the row covers, in words. */
  covers: string;
  matches(answer: FailedAnswer): boolean;
  verdict(answer: FailedAnswer, step: string): Verdict;
}

/**
 * The steps that write at HotelMate (the names the decisions give `classifyFailure`): the face
 * dispatcher may open a session, the others change one or create a log. Reads are safe to repeat.
 */
export const WRITE_STEPS: ReadonlySet<string> = new Set(['face-clock-in', 'force-clock-in', 'confirm-clock-out', 'toggle-break', 'create-clock-log']);

/** Network errors that cut a connection the request may already have gone out on (as opposed to ECONNREFUSED, ENOTFOUND...). */
const CUT_AFTER_SENDING = /^(ECONNRESET|EPIPE)\b|socket hang up/i;

/** HTTP statuses by which HotelMate refuses the kiosk account itself (bad token, face attendance off). */
const ACCOUNT_REFUSED = new Set([401, 403]);

const isHttp = (answer: FailedAnswer, test: (status: number) => boolean): boolean =>
  answer.kind === 'http' && answer.status !== null && test(answer.status);

/** `HotelMate asked to wait N s; ` when the answer had a Retry-After, else nothing. */
const askedToWait = (answer: FailedAnswer): string =>
  answer.retryAfterMs === undefined ? '' : `HotelMate asked to wait ${Math.ceil(answer.retryAfterMs / 1000)} s; `;

/** HotelMate's API answers errors as JSON objects (`error` or `detail`); a proxy, portal or web server answers with a page. */
const isApiBody = (answer: FailedAnswer): boolean => typeof answer.body === 'object' && answer.body !== null;

/** The `error` field of a JSON error body, or null. */
const errorField = (answer: FailedAnswer): string | null => {
  const value = isApiBody(answer) ? (answer.body as Record<string, unknown>).error : undefined;
  return typeof value === 'string' ? value : null;
};

/**
 * How each failed answer is treated, first matching row wins. Only the outcomes the contract
 * documents as meaning "HotelMate cannot take this punch" go to a manager (review); every other
 * answer is retried with backoff, or pauses the sync when it shows that something other than
 * HotelMate's API answered. This is the place to change that.
 */
const FAILURE_RULES: readonly FailureRule[] = [
  {
    covers: '3xx: a redirect (captive portal, proxy, a moved or mistyped API URL)',
    matches: (a) => isHttp(a, (s) => s >= 300 && s < 400),
    verdict: (a) => ({ kind: 'paused', message: notTheApiMessage(a.status ?? 0, 'a redirect') }),
  },
  {
    covers: '5xx, 429, 408: the server is failing or busy (a page or JSON alike), waiting as long as its Retry-After asks',
    matches: (a) => isHttp(a, (s) => s >= 500 || s === 429 || s === 408),
    verdict: (a, step) => ({
      kind: 'retry',
      message: `${step}: HTTP ${a.status} ${a.message}; ${askedToWait(a)}the server state is re-read before retrying`,
      response: a.body,
      ...(a.retryAfterMs === undefined ? {} : { waitMs: a.retryAfterMs }),
    }),
  },
  {
    covers: '401/403 from the API: the kiosk account was refused',
    matches: (a) => isHttp(a, (s) => ACCOUNT_REFUSED.has(s)) && isApiBody(a),
    verdict: (a) => ({ kind: 'paused', message: accountRefusedMessage(a.status ?? 0, a.message) }),
  },
  {
    covers: 'any other 4xx that is not JSON: a proxy, portal or web server answered instead of the API',
    matches: (a) => isHttp(a, (s) => s >= 400 && s < 500) && !isApiBody(a),
    verdict: (a) => ({ kind: 'paused', message: notTheApiMessage(a.status ?? 0, 'a page') }),
  },
  {
    covers: '404 "Face not recognized" (documented): the face was not recognised at sync time',
    matches: (a) => isHttp(a, (s) => s === 404) && /face not recogni[sz]ed/i.test(errorField(a) ?? ''),
    verdict: (a, step) => ({ kind: 'review', message: `HotelMate did not recognise the face at sync time (${step}): ${a.message}`, response: a.body }),
  },
  {
    covers: '400 "No active clock-in found" (documented): no open session today (UTC)',
    matches: (a) => isHttp(a, (s) => s === 400) && /no active clock-in found/i.test(errorField(a) ?? ''),
    verdict: (a, step) => ({
      kind: 'review',
      message: `HotelMate has no open session today (UTC) for this punch (${step}: ${a.message}); it may have been closed elsewhere or started on an earlier UTC day.`,
      response: a.body,
    }),
  },
  {
    covers: 'any other HTTP answer from the API: not documented for this request',
    matches: (a) => a.kind === 'http',
    verdict: (a, step) => ({
      kind: 'retry',
      message: `${step}: HTTP ${a.status} ${a.message} is not a documented answer; retried with backoff`,
      response: a.body,
    }),
  },
  {
    covers: 'a 2xx page (HTML) instead of JSON: a captive portal or web filter answered, the API never does',
    matches: (a) => a.kind === 'bad_response' && typeof a.body === 'string' && /^\s*</.test(a.body),
    verdict: (a) => ({ kind: 'paused', message: notTheApiMessage(a.status ?? 0, 'a page'), counted: true }),
  },
  {
    covers: 'a 2xx whose body is not what the API documents (cut short, empty, another shape)',
    matches: (a) => a.kind === 'bad_response',
    // The client's message already names the endpoint.
    verdict: (a) => ({ kind: 'retry', message: a.message }),
  },
  {
    covers: 'no answer: a timeout or a connection cut after the request went out; to a write, HotelMate may still carry it out (unanswered)',
    matches: (a) => a.kind === 'timeout' || (a.kind === 'network' && CUT_AFTER_SENDING.test(a.message)),
    verdict: (a, step) => ({ kind: 'retry', message: `${step}: ${a.kind}: ${a.message}`, ...(WRITE_STEPS.has(step) ? { unanswered: true as const } : {}) }),
  },
  {
    covers: 'no answer: the request never went out (refused, no route, no name)',
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
    body: failure.kind === 'http' || failure.kind === 'bad_response' ? failure.body : undefined,
    ...(failure.kind === 'http' && failure.retryAfterMs !== undefined ? { retryAfterMs: failure.retryAfterMs } : {}),
  };
  const rule = FAILURE_RULES.find((row) => row.matches(answer)) ?? FAILURE_RULES[FAILURE_RULES.length - 1]!;
  return rule.verdict(answer, step);
}

/**
 * Whether HotelMate's API itself (a JSON body, not a proxy's page) answered with `status`: for a
 * 403, the kiosk account lacks one capability for this request, not that the account was refused.
 */
export function isApiAnswer(failure: ApiFailure, status: number): failure is Extract<ApiFailure, { kind: 'http' }> & { body: object } {
  return failure.kind === 'http' && failure.status === status && typeof failure.body === 'object' && failure.body !== null;
}

/** Why the sync should pause after this failed call (the reason shown), or null when it should not. */
export function pauseReason(failure: ApiFailure): string | null {
  const verdict = classifyFailure(failure, 'probe');
  return verdict.kind === 'paused' ? verdict.message : null;
}

/** A failed call in one line: `HTTP 500: message` or `timeout: message`. */
export function describeFailure(failure: ApiFailure): string {
  return failure.kind === 'http' ? `HTTP ${failure.status}: ${failure.message}` : `${failure.kind}: ${failure.message}`;
}

/** The reason shown while sync is paused because HotelMate refused the kiosk account. */
export function accountRefusedMessage(status: number, message: string): string {
  return `HotelMate refused the kiosk account (${status}): ${message}`;
}

/** The reason shown while sync is paused because something other than HotelMate's API answered. */
export function notTheApiMessage(status: number, what: 'a redirect' | 'a page'): string {
  return `HotelMate's address answered with ${what} (HTTP ${status}), not the API: a proxy, a captive portal or a wrong API URL is in the way. Punches are kept and tried again.`;
}
