/**
 * The vocabulary every endpoint family of the HotelMate double shares: the request a handler sees,
 * the response it returns, routes, `Ok`/`Fail` results, the DRF/Django answer helpers and the
 * Django HTML error pages, so a family module holds only its endpoints' behaviour.
 */
import type { PusherEmit } from './pusher';

/** One request as the backend sees it (HTTP from the kiosk, or a second client in-process). */
export interface BackendRequest {
  method: string;
  pathname: string;
  query: URLSearchParams;
  /** Parsed JSON body ({} when empty); `invalidJson` when the body could not be parsed. */
  body: unknown;
  invalidJson: boolean;
  authorization: string | undefined;
  clientIp: string;
  userAgent: string;
  /** `http://127.0.0.1:<port>`: used for `next` links and image URLs, as Django builds them from Host. */
  origin: string;
}

export interface BackendResponse {
  status: number;
  json?: unknown;
  html?: string;
  headers?: Record<string, string>;
}

/** What one request produced: the answer and the Pusher triggers the backend attempted. */
export interface HandleResult {
  response: BackendResponse;
  pusher: PusherEmit[];
}

export type Ok<T> = { ok: true; value: T };
export type Fail = { ok: false; response: BackendResponse };

/** An endpoint: gets the request, the URL's named groups, and the list to push Pusher triggers onto. */
export type Handler = (request: BackendRequest, params: Record<string, string>, pusher: PusherEmit[]) => BackendResponse;

/** A URL pattern and its handlers per method. */
export interface Route {
  pattern: RegExp;
  methods: Partial<Record<'GET' | 'POST', Handler>>;
  /**
   * `attendance`: the route sits behind the attendance base gates, which DRF runs (`initial()`)
   * before it answers 405 for a wrong method. Without it a wrong method is a plain 405.
   */
  auth?: 'attendance';
}

/** `{A}`: the attendance base path, with the hotel slug as the `slug` group. */
export const ATTENDANCE = '^/api/staff/hotel/(?<slug>[^/]+)/attendance';

/** A route under `{A}` (`suffix` starts with `/` and ends with `/`). */
export function attendanceRoute(suffix: string, methods: Route['methods']): Route {
  return { pattern: new RegExp(`${ATTENDANCE}${suffix}$`), methods, auth: 'attendance' };
}

/** `/api/staff/hotel/<slug>/attendance/face-management`: the prefix of `available_actions[].endpoint`. */
export function faceManagementPath(slug: string): string {
  return `/api/staff/hotel/${slug}/attendance/face-management`;
}

export const json = (status: number, body: unknown, headers?: Record<string, string>): BackendResponse => ({ status, json: body, headers });

/** DRF's `{"detail": ...}` (authentication, permission, 404, 405). */
export const detail = (status: number, message: string): BackendResponse => json(status, { detail: message });

/** The view bodies' `{"error": ...}`, with extra keys such as `message` or `details`. */
export const error = (status: number, message: string, extra: Record<string, unknown> = {}): BackendResponse =>
  json(status, { error: message, ...extra });

export const fail = (response: BackendResponse): Fail => ({ ok: false, response });

export const SERVER_ERROR_HTML = `
<!doctype html>
<html lang="en">
<head>
  <title>Server Error (500)</title>
</head>
<body>
  <h1>Server Error (500)</h1><p></p>
</body>
</html>
`;

export const NOT_FOUND_HTML = `
<!doctype html>
<html lang="en">
<head>
  <title>Not Found</title>
</head>
<body>
  <h1>Not Found</h1><p>The requested resource was not found on this server.</p>
</body>
</html>
`;

/** Django's HTML 500: what an unhandled exception (or an `Infinity` DRF cannot render) looks like. */
export const serverError = (): BackendResponse => ({ status: 500, html: SERVER_ERROR_HTML });

/** The request body as an object; anything else (an array, a string) reads as no fields. */
export function record(body: unknown): Record<string, unknown> {
  return body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

/** DRF `BooleanField` parsing: `null` when absent, `'invalid'` for anything it refuses. */
export function parseBoolean(value: unknown): boolean | null | 'invalid' {
  if (value === undefined || value === null) return null;
  if (value === true || value === 'true' || value === 'True' || value === 1 || value === '1') return true;
  if (value === false || value === 'false' || value === 'False' || value === 0 || value === '0') return false;
  return 'invalid';
}
