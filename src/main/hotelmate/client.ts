/**
 * The typed HotelMate API client used by sync and setup: one function per documented endpoint
 * (docs/hotelmate-api.md), every answer validated with zod and returned as a value (`ApiOutcome`),
 * so callers decide what a 401, a 5xx, a timeout or a malformed body means without try/catch.
 */
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import type { z } from 'zod';
import type { Logger } from '../logging/logger';
import {
  clockLogPageSchema,
  clockLogSchema,
  confirmClockOutResponseSchema,
  departmentStatusSchema,
  faceClockInResponseSchema,
  faceConfigResponseSchema,
  forceClockInResponseSchema,
  listFacesResponseSchema,
  loginResponseSchema,
  myStatusSchema,
  registerFaceResponseSchema,
  revokeFaceResponseSchema,
  shiftListSchema,
  staffPageSchema,
  staffSchema,
  toggleBreakResponseSchema,
  type ClockLog,
  type ClockLogPage,
  type ConfirmClockOutResponse,
  type DepartmentStatusResponse,
  type FaceClockInResponse,
  type FaceConfigResponse,
  type ForceClockInResponse,
  type ListFacesResponse,
  type LoginResponse,
  type MyStatusResponse,
  type RegisterFaceResponse,
  type RevokeFaceResponse,
  type Staff,
  type StaffRoster,
  type ToggleBreakResponse,
} from './schemas';

export type {
  ClockInSuccess,
  ClockLog,
  ClockLogPage,
  ClockOutOptions,
  ConfirmClockOutResponse,
  DepartmentStatusEntry,
  DepartmentStatusResponse,
  FaceClockInResponse,
  FaceConfigResponse,
  FaceData,
  FaceStaff,
  ForceClockInResponse,
  ListFacesResponse,
  LoginResponse,
  MyStatusResponse,
  RegisterFaceResponse,
  RevokeFaceResponse,
  Staff,
  StaffRoster,
  ToggleBreakResponse,
  UnrosteredDetected,
} from './schemas';

/**
 * The result of one API call. Never thrown:
 * - `ok: true`: a 2xx whose body passed the schema;
 * - `http`: the server answered with a non-2xx (`message` is its `error`/`detail`, `body` the parsed body or text,
 *   `retryAfterMs` how long its `Retry-After` header asks to wait, when it sent one);
 * - `network`: connection refused/reset/dropped before a full answer;
 * - `timeout`: no full answer within `timeoutMs`;
 * - `bad_response`: a 2xx whose body is not JSON or does not match the documented shape (`body`: the
 *   start of a body that is not JSON, e.g. a captive portal's page).
 */
export type ApiOutcome<T> =
  | { ok: true; status: number; data: T }
  | { ok: false; kind: 'http'; status: number; message: string; body: unknown; retryAfterMs?: number }
  | { ok: false; kind: 'network' | 'timeout'; message: string }
  | { ok: false; kind: 'bad_response'; status: number; message: string; body?: string };

export type ApiFailure = Exclude<ApiOutcome<never>, { ok: true }>;

/** A 128-d face descriptor as produced by face-api.js `faceRecognitionNet`. */
export type Encoding = readonly number[] | Float32Array;

/**
 * Fields the kiosk adds to every punch. Today's backend ignores them silently (§3.12); they are sent
 * so a backend that honours them gets idempotency and the true event time for free.
 */
export interface PunchMeta {
  client_event_id?: string;
  /** ISO-8601 time the punch really happened on the kiosk. */
  occurred_at?: string;
}

export interface FaceClockInRequest extends PunchMeta {
  encoding: Encoding;
  location_note?: string;
  is_kiosk_mode?: boolean;
}

export interface ForceClockInRequest extends PunchMeta {
  encoding: Encoding;
  reason?: string;
  location_note?: string;
}

/** Body of confirm-clock-out and toggle-break: only `encoding` is read by the server. */
export interface FaceActionRequest extends PunchMeta {
  encoding: Encoding;
  location_note?: string;
}

export interface RegisterFaceRequest {
  /** `data:image/jpeg;base64,...` (required by the server, uploaded to its image store). */
  image: string;
  encoding: Encoding;
  staff_id?: number;
  consent_given?: boolean;
}

export interface RevokeFaceRequest {
  staff_id?: number;
  reason?: string;
}

/**
 * A manual clock log (`POST {A}/clock-logs/`, needs `attendance.log.create`): `time_in` is always
 * the server's now, whatever is sent (§3.12).
 */
export interface CreateClockLogRequest {
  hotel: number;
  staff: number;
  location_note?: string;
  verified_by_face?: boolean;
}

export interface HotelMateClientOptions {
  /** Base URL including `/api`, e.g. `https://host/api`. */
  baseUrl: string;
  hotelSlug: string;
  /** The kiosk account's DRF token (40 hex), or null when not signed in. Read on every call. */
  getToken: () => string | null | Promise<string | null>;
  /** An axios instance to use (tests, proxies); a fresh one is created when omitted. */
  http?: AxiosInstance;
  /** Hard limit for one request, connect to last byte. */
  timeoutMs: number;
  logger: Logger;
}

export interface HotelMateClient {
  /** `POST /staff/login/` (no token). Resolves with the account's token and hotel; 401 on bad credentials. */
  login(username: string, password: string): Promise<ApiOutcome<LoginResponse>>;
  /** `GET /hotels/<slug>/face-config/` (public): whether face attendance is enabled for the hotel. */
  faceConfig(): Promise<ApiOutcome<FaceConfigResponse>>;
  /**
   * The three-way dispatcher: 201 `clock_in_success` (written), 200 `clock_out_options` (nothing
   * written) or 200 `unrostered_detected` (nothing written). 404 = face not recognised; 500 when the
   * hotel has no active faces.
   */
  faceClockIn(request: FaceClockInRequest): Promise<ApiOutcome<FaceClockInResponse>>;
  /** Confirms an unrostered clock-in (201). A replay answers 400 "Staff already clocked in". */
  forceClockIn(request: ForceClockInRequest): Promise<ApiOutcome<ForceClockInResponse>>;
  /** Closes today's (UTC) open session (200). 400 "No active clock-in found" when none. Not idempotent. */
  confirmClockOut(request: FaceActionRequest): Promise<ApiOutcome<ConfirmClockOutResponse>>;
  /** BLIND toggle of the break state (200 break_started / break_ended). Never retry blindly. */
  toggleBreak(request: FaceActionRequest): Promise<ApiOutcome<ToggleBreakResponse>>;
  /** Registers (replaces) a face with image + encoding (201). */
  registerFace(request: RegisterFaceRequest): Promise<ApiOutcome<RegisterFaceResponse>>;
  /** Deactivates a face (200); 400 when the person has no active face. */
  revokeFace(request: RevokeFaceRequest): Promise<ApiOutcome<RevokeFaceResponse>>;
  /** Registered faces of the hotel (unpaginated, no encodings). Needs `attendance.face.read`. */
  listFaces(): Promise<ApiOutcome<ListFacesResponse>>;
  /**
   * Every staff member of the hotel (active and inactive), following the staff list's own
   * pagination with `page_size=100`. Fails as a whole if any page fails.
   */
  allStaff(): Promise<ApiOutcome<Staff[]>>;
  /** One staff member (`GET /staff/<slug>/<id>/`), with `duty_status` and `current_status`. */
  staffDetail(staffId: number): Promise<ApiOutcome<Staff>>;
  /** Roster shifts with `start <= shift_date <= end` (YYYY-MM-DD, both required; plain list). */
  shifts(start: string, end: string): Promise<ApiOutcome<StaffRoster[]>>;
  /** Today's (UTC) open and unrostered logs grouped by department slug. Needs `log.read_all`. */
  departmentStatus(): Promise<ApiOutcome<DepartmentStatusResponse>>;
  /** The kiosk account's own clock status; cheap, so also the online probe. */
  myStatus(): Promise<ApiOutcome<MyStatusResponse>>;
  /** Creates a clock log by hand (201); 403 without `attendance.log.create`. Not idempotent. */
  createClockLog(request: CreateClockLogRequest): Promise<ApiOutcome<ClockLog>>;
  /** The first page of clock logs (10, newest first; only the account's own without `log.read_all`). */
  recentClockLogs(): Promise<ApiOutcome<ClockLogPage>>;
  /**
   * One clock log (`GET {A}/clock-logs/{id}/`), serialised as in the list: whether it is still open
   * (`time_out` null). 404 when it does not exist or the account may not see it (someone else's
   * without `log.read_all`).
   */
  clockLog(logId: number): Promise<ApiOutcome<ClockLog>>;
}

const MAX_STAFF_PAGES = 200;
/** No documented answer comes near this; a bigger one is a broken server or proxy, not data. */
const MAX_RESPONSE_BYTES = 20 * 1024 * 1024;

interface CallSpec<S extends z.ZodType> {
  method: 'GET' | 'POST';
  /** Path below baseUrl, starting with `/`. */
  path: string;
  /** A short stable name for logs, e.g. `face-clock-in`. */
  endpoint: string;
  schema: S;
  body?: unknown;
  query?: Record<string, string | number>;
  auth: boolean;
}

/**
 * Builds the client. No request is made until a method is called.
 * Nothing is retried here: retry policy (and the re-read after a 5xx) belongs to the sync engine.
 */
export function createHotelMateClient(options: HotelMateClientOptions): HotelMateClient {
  const log = options.logger;
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const slug = encodeURIComponent(options.hotelSlug);
  const attendance = `/staff/hotel/${slug}/attendance`;
  const http =
    options.http ??
    axios.create({
      // Keep-alive would reuse sockets across kiosk punches; the default agent is fine for a kiosk's rate.
      maxRedirects: 0,
    });

  async function call<S extends z.ZodType>(spec: CallSpec<S>): Promise<ApiOutcome<z.infer<S>>> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (spec.auth) {
      let token: string | null;
      try {
        token = await options.getToken();
      } catch (error) {
        // A local failure (e.g. the secret store cannot be read): nothing was sent, so it is safe to retry.
        const message = `could not read the API token: ${error instanceof Error ? error.message : String(error)}`;
        log.error('HotelMate request not sent', { endpoint: spec.endpoint, reason: message });
        return { ok: false, kind: 'network', message };
      }
      if (token) headers.Authorization = `Token ${token}`;
    }
    if (spec.body !== undefined) headers['Content-Type'] = 'application/json';

    let response: AxiosResponse<string>;
    const started = Date.now();
    // A hard deadline for the whole exchange (axios' own `timeout` only watches socket idleness).
    const deadline = AbortSignal.timeout(options.timeoutMs);
    try {
      response = await http.request<string>({
        method: spec.method,
        url: `${baseUrl}${spec.path}`,
        params: spec.query,
        data: spec.body === undefined ? undefined : JSON.stringify(spec.body),
        headers,
        timeout: options.timeoutMs,
        signal: deadline,
        responseType: 'text',
        maxContentLength: MAX_RESPONSE_BYTES,
        transformResponse: [(data: unknown) => data],
        validateStatus: () => true,
      });
    } catch (error) {
      const code = (error as { code?: string })?.code;
      if (code === 'ERR_BAD_RESPONSE' || code === 'ERR_FR_MAX_CONTENT_LENGTH_EXCEEDED') {
        const status = (error as { response?: { status?: number } }).response?.status ?? 0;
        const message = `${spec.endpoint}: response rejected (${(error as Error).message})`;
        log.warn('HotelMate sent a malformed response', { endpoint: spec.endpoint, status, message });
        return { ok: false, kind: 'bad_response', status, message };
      }
      const outcome = transportFailure(error, options.timeoutMs, deadline.aborted);
      log.warn('HotelMate request failed', { endpoint: spec.endpoint, kind: outcome.kind, reason: outcome.message, ms: Date.now() - started });
      return outcome;
    }

    const status = response.status;
    const text = typeof response.data === 'string' ? response.data : String(response.data ?? '');
    const parsed = parseJson(text);

    if (status < 200 || status >= 300) {
      const body = parsed.ok ? parsed.value : text.slice(0, 2000);
      const message = errorMessage(status, parsed.ok ? parsed.value : undefined);
      const level = status >= 500 ? 'warn' : 'info';
      const wait = retryAfterMs(response.headers['retry-after'], response.headers.date);
      log[level]('HotelMate answered with an error', { endpoint: spec.endpoint, status, message, ...(wait === undefined ? {} : { retryAfterMs: wait }) });
      return { ok: false, kind: 'http', status, message, body, ...(wait === undefined ? {} : { retryAfterMs: wait }) };
    }

    if (!parsed.ok) {
      const message = `${spec.endpoint}: response is not JSON (${text.length} bytes)`;
      log.warn('HotelMate sent a malformed response', { endpoint: spec.endpoint, status, message });
      return { ok: false, kind: 'bad_response', status, message, body: text.slice(0, 2000) };
    }
    const result = spec.schema.safeParse(parsed.value);
    if (!result.success) {
      const issue = result.error.issues[0];
      const where = issue && issue.path.length > 0 ? issue.path.join('.') : '(root)';
      const message = `${spec.endpoint}: unexpected response shape at ${where}: ${issue?.message ?? 'invalid'}`;
      log.warn('HotelMate sent an unexpected response shape', { endpoint: spec.endpoint, status, message });
      return { ok: false, kind: 'bad_response', status, message };
    }
    log.debug('HotelMate request ok', { endpoint: spec.endpoint, status, ms: Date.now() - started });
    return { ok: true, status, data: result.data as z.infer<S> };
  }

  const punchBody = (meta: PunchMeta): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    if (meta.client_event_id !== undefined) out.client_event_id = meta.client_event_id;
    if (meta.occurred_at !== undefined) out.occurred_at = meta.occurred_at;
    return out;
  };

  return {
    login: (username, password) =>
      call({ method: 'POST', path: '/staff/login/', endpoint: 'login', schema: loginResponseSchema, body: { username, password }, auth: false }),

    faceConfig: () =>
      call({ method: 'GET', path: `/hotels/${slug}/face-config/`, endpoint: 'face-config', schema: faceConfigResponseSchema, auth: false }),

    faceClockIn: (request) =>
      call({
        method: 'POST',
        path: `${attendance}/face-management/face-clock-in/`,
        endpoint: 'face-clock-in',
        schema: faceClockInResponseSchema,
        auth: true,
        body: {
          encoding: toArray(request.encoding),
          ...(request.location_note !== undefined ? { location_note: request.location_note } : {}),
          ...(request.is_kiosk_mode !== undefined ? { is_kiosk_mode: request.is_kiosk_mode } : {}),
          ...punchBody(request),
        },
      }),

    forceClockIn: (request) =>
      call({
        method: 'POST',
        path: `${attendance}/face-management/force-clock-in/`,
        endpoint: 'force-clock-in',
        schema: forceClockInResponseSchema,
        auth: true,
        body: {
          encoding: toArray(request.encoding),
          ...(request.reason !== undefined ? { reason: request.reason } : {}),
          ...(request.location_note !== undefined ? { location_note: request.location_note } : {}),
          ...punchBody(request),
        },
      }),

    confirmClockOut: (request) =>
      call({
        method: 'POST',
        path: `${attendance}/face-management/confirm-clock-out/`,
        endpoint: 'confirm-clock-out',
        schema: confirmClockOutResponseSchema,
        auth: true,
        body: { encoding: toArray(request.encoding), ...punchBody(request) },
      }),

    toggleBreak: (request) =>
      call({
        method: 'POST',
        path: `${attendance}/face-management/toggle-break/`,
        endpoint: 'toggle-break',
        schema: toggleBreakResponseSchema,
        auth: true,
        body: { encoding: toArray(request.encoding), ...punchBody(request) },
      }),

    registerFace: (request) =>
      call({
        method: 'POST',
        path: `${attendance}/face-management/register-face/`,
        endpoint: 'register-face',
        schema: registerFaceResponseSchema,
        auth: true,
        body: {
          image: request.image,
          encoding: toArray(request.encoding),
          ...(request.staff_id !== undefined ? { staff_id: request.staff_id } : {}),
          ...(request.consent_given !== undefined ? { consent_given: request.consent_given } : {}),
        },
      }),

    revokeFace: (request) =>
      call({
        method: 'POST',
        path: `${attendance}/face-management/revoke-face/`,
        endpoint: 'revoke-face',
        schema: revokeFaceResponseSchema,
        auth: true,
        body: { ...request },
      }),

    listFaces: () =>
      call({ method: 'GET', path: `${attendance}/face-management/list-faces/`, endpoint: 'list-faces', schema: listFacesResponseSchema, auth: true }),

    async allStaff() {
      const all: Staff[] = [];
      for (let page = 1; page <= MAX_STAFF_PAGES; page += 1) {
        const outcome = await call({
          method: 'GET',
          path: `/staff/${slug}/`,
          endpoint: 'staff-list',
          schema: staffPageSchema,
          auth: true,
          query: { page, page_size: 100 },
        });
        if (!outcome.ok) return outcome;
        all.push(...outcome.data.results);
        if (!outcome.data.next || outcome.data.results.length === 0) return { ok: true, status: outcome.status, data: all };
      }
      const message = `staff-list: more than ${MAX_STAFF_PAGES} pages, giving up`;
      log.warn('HotelMate staff list did not end', { message });
      return { ok: false, kind: 'bad_response', status: 200, message };
    },

    staffDetail: (staffId) =>
      call({ method: 'GET', path: `/staff/${slug}/${Math.trunc(staffId)}/`, endpoint: 'staff-detail', schema: staffSchema, auth: true }),

    shifts: (start, end) =>
      call({ method: 'GET', path: `${attendance}/shifts/`, endpoint: 'shifts', schema: shiftListSchema, auth: true, query: { start, end } }),

    departmentStatus: () =>
      call({
        method: 'GET',
        path: `${attendance}/clock-logs/department-status/`,
        endpoint: 'department-status',
        schema: departmentStatusSchema,
        auth: true,
      }),

    myStatus: () =>
      call({ method: 'GET', path: `${attendance}/clock-logs/status/`, endpoint: 'clock-status', schema: myStatusSchema, auth: true }),

    createClockLog: (request) =>
      call({ method: 'POST', path: `${attendance}/clock-logs/`, endpoint: 'create-clock-log', schema: clockLogSchema, auth: true, body: { ...request } }),

    recentClockLogs: () =>
      call({ method: 'GET', path: `${attendance}/clock-logs/`, endpoint: 'clock-logs', schema: clockLogPageSchema, auth: true }),

    clockLog: (logId) =>
      call({ method: 'GET', path: `${attendance}/clock-logs/${Math.trunc(logId)}/`, endpoint: 'clock-log', schema: clockLogSchema, auth: true }),
  };
}

function toArray(encoding: Encoding): number[] {
  return Array.from(encoding);
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text.trim() === '') return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/**
 * How long a `Retry-After` header asks to wait: delta-seconds, or an HTTP-date read against the
 * answer's own `Date` header (so the kiosk's clock does not matter); undefined when absent or unreadable.
 */
function retryAfterMs(value: unknown, date: unknown): number | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const until = Date.parse(value);
  const sent = typeof date === 'string' ? Date.parse(date) : Number.NaN;
  return Number.isNaN(until) || Number.isNaN(sent) ? undefined : Math.max(0, until - sent);
}

/** The readable part of an error body: `error` (view bodies), `detail` (DRF), plus `message`; else the status. */
function errorMessage(status: number, body: unknown): string {
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const record = body as Record<string, unknown>;
    const parts: string[] = [];
    for (const key of ['error', 'detail', 'message'] as const) {
      const value = record[key];
      if (typeof value === 'string' && value.trim() !== '' && !parts.includes(value)) parts.push(value);
    }
    if (parts.length > 0) return parts.join(': ');
    const details = record.details;
    if (details && typeof details === 'object') return `HTTP ${status}: ${JSON.stringify(details).slice(0, 300)}`;
  }
  return `HTTP ${status}${status >= 500 ? ' (server error)' : ''}`;
}

function transportFailure(error: unknown, timeoutMs: number, deadlinePassed: boolean): Extract<ApiFailure, { kind: 'network' | 'timeout' }> {
  const err = error as { code?: string; message?: string; name?: string };
  const code = err?.code ?? '';
  const isTimeout = deadlinePassed || code === 'ECONNABORTED' || code === 'ETIMEDOUT' || err?.name === 'TimeoutError';
  if (isTimeout) return { ok: false, kind: 'timeout', message: `no answer within ${timeoutMs} ms` };
  const reason = [code, err?.message].filter(Boolean).join(' ');
  return { ok: false, kind: 'network', message: reason || 'network error' };
}
