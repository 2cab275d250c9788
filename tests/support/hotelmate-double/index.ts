/**
 * A HotelMate API test double: a real HTTP server on 127.0.0.1 backed by its own SQLite file, with
 * the documented paths, token auth, shapes and quirks (backend.ts), seed helpers, a request log, the
 * Pusher events the real backend would send, and fault injection (latency, 500 after the write,
 * dropped connections, 401 for a token, malformed bodies). Used by tests, benches and the demo.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { createBackend, KIOSK_CAPABILITIES, MANAGER_CAPABILITIES, SELF_SERVICE_CAPABILITIES, type BackendResponse, type PusherEmit } from './backend';
import { openDoubleDb, type ClockLogRow, type DB, type FaceRow, type StaffRow } from './store';
import { drfIso, normaliseTime, utcDate } from './format';
import { encodingFor, nearby } from './encodings';

export { encodingFor, nearby, euclidean } from './encodings';
export { KIOSK_CAPABILITIES, MANAGER_CAPABILITIES, SELF_SERVICE_CAPABILITIES } from './backend';

/** Wall-clock source of the double; tests move it to cross UTC midnight. */
export interface DoubleClock {
  now(): Date;
}

/** A clock tests can set and advance. */
export interface ManualClock extends DoubleClock {
  set(time: Date | string): void;
  advance(ms: number): void;
}

/** Makes a settable clock starting at `start`. */
export function createManualClock(start: Date | string): ManualClock {
  let t = new Date(start).getTime();
  return {
    now: () => new Date(t),
    set: (time) => {
      t = new Date(time).getTime();
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

export interface RequestRecord {
  method: string;
  /** Path without the query string. */
  path: string;
  query: string;
  /** HTTP status sent, or 0 when the connection was dropped. */
  status: number;
  /** The injected fault applied to this request, if any. */
  fault: 'latency' | 'fail_after_write' | 'drop_before' | 'drop_after' | 'reject_token' | 'malformed' | null;
  at: string;
  /** Time the double spent on the request (body read, handler, faults), in ms. */
  ms: number;
}

export interface PusherRecord extends PusherEmit {
  at: string;
}

export interface FaultOptions {
  method?: string;
  /** Substring of the path (e.g. `toggle-break`) or a RegExp tested against it. Default: every request. */
  path?: string | RegExp;
  /** How many matching requests the fault applies to (default 1; `Infinity` for all). */
  times?: number;
}

export interface SeedHotelInput {
  slug: string;
  name?: string;
  /** `AttendanceSettings.face_attendance_enabled`; the backend's default is false (§6.4). */
  faceAttendanceEnabled?: boolean;
  faceAttendanceDepartments?: number[];
}

export interface SeedStaffInput {
  hotel: string;
  firstName: string;
  lastName: string;
  /** Department slug; created with `departmentName` (or a name derived from the slug) when new. */
  department?: string | null;
  departmentName?: string;
  /** Role slug; created with `roleName` when new. */
  role?: string | null;
  roleName?: string;
  /** Capability preset; `capabilities` overrides it. */
  access?: 'regular' | 'manager' | 'kiosk';
  capabilities?: string[];
  username?: string;
  password?: string;
  /** 40-hex token; random when omitted. */
  token?: string;
  isActive?: boolean;
  email?: string | null;
  profileImageUrl?: string | null;
}

export interface SeededStaff {
  id: number;
  userId: number;
  username: string;
  password: string;
  token: string;
  name: string;
}

export interface SeedShiftInput {
  staffId: number;
  /** YYYY-MM-DD */
  date: string;
  /** HH:MM or HH:MM:SS, read as UTC by the backend. */
  start: string;
  end: string;
  department?: string | null;
  breakStart?: string | null;
  breakEnd?: string | null;
  location?: string | null;
  notes?: string | null;
}

export interface SeedFaceInput {
  staffId: number;
  encoding: readonly number[];
  isActive?: boolean;
  consentGiven?: boolean;
  registeredBy?: number | null;
}

export interface SeedClockLogInput {
  staffId: number;
  timeIn: Date | string;
  timeOut?: Date | string | null;
  rosterShiftId?: number | null;
  isUnrostered?: boolean;
  isApproved?: boolean;
  isKioskMode?: boolean;
  breakStart?: Date | string | null;
  isOnBreak?: boolean;
  totalBreakMinutes?: number;
  /** Also set the person's duty_status as the backend would have (default true). */
  updateDutyStatus?: boolean;
}

/** The transcript's hotel: a manager/kiosk account, two staff with faces, one without. */
export interface KillarneyWorld {
  hotelSlug: string;
  manager: SeededStaff;
  aoife: SeededStaff;
  conor: SeededStaff;
  niamh: SeededStaff;
  /** Aoife's shift today (UTC) covering the double's "now"; Conor has none. */
  aoifeShiftId: number;
  encodings: { aoife: number[]; conor: number[]; stranger: number[] };
  /** A fresh capture ~0.03 away from the registered one. */
  probes: { aoife: number[]; conor: number[] };
}

export interface DoubleSeed {
  hotel(input: SeedHotelInput): { id: number; slug: string };
  setFaceAttendance(hotelSlug: string, enabled: boolean, departments?: number[]): void;
  department(hotelSlug: string, slug: string, name?: string): { id: number; slug: string; name: string };
  staff(input: SeedStaffInput): SeededStaff;
  setStaffActive(staffId: number, active: boolean): void;
  shift(input: SeedShiftInput): { id: number };
  face(input: SeedFaceInput): { id: number; imageUrl: string };
  clockLog(input: SeedClockLogInput): { id: number };
  /**
   * Seeds the transcript's `hotel-killarney` with face attendance enabled. `registerFaces: false`
   * leaves faces to be registered through the API (as the transcript does in steps 3-4).
   */
  killarney(options?: { registerFaces?: boolean; aoifeShift?: { start: string; end: string } }): KillarneyWorld;
}

export interface DoubleFaults {
  /** Delays matching responses by `ms` (before the handler runs by default, so the write happens late). */
  latency(ms: number, options?: FaultOptions & { phase?: 'before' | 'after' }): void;
  /** Runs the handler (the write persists) and then answers 500 instead. */
  failAfterWrite(options?: FaultOptions & { html?: boolean }): void;
  /** Destroys the socket: `before` the handler (nothing written) or `after` it (written, no answer). */
  dropConnection(options: FaultOptions & { when: 'before' | 'after' }): void;
  /** Answers 401 `Invalid token.` to every request carrying this token until `acceptToken`. */
  rejectToken(token: string): void;
  acceptToken(token: string): void;
  /** Runs the handler and sends `body` (default: the real body cut in half) with the real status. */
  malformedBody(options?: FaultOptions & { body?: string }): void;
  /** Removes every pending fault (rejected tokens included). */
  clear(): void;
}

export interface ClockLogView {
  id: number;
  staffId: number;
  timeIn: string;
  timeOut: string | null;
  isOnBreak: boolean;
  breakStart: string | null;
  breakEnd: string | null;
  totalBreakMinutes: number;
  isUnrostered: boolean;
  isApproved: boolean;
  rosterShiftId: number | null;
}

export interface DoubleState {
  requests(): RequestRecord[];
  clearRequests(): void;
  /** Every Pusher trigger, delivered or not (start_break is recorded with `delivered: false`). */
  pusherEvents(): PusherRecord[];
  clockLogs(filter?: { staffId?: number }): ClockLogView[];
  staff(staffId: number): { id: number; dutyStatus: StaffRow['duty_status']; isOnDuty: boolean | null; hasRegisteredFace: boolean | null; isActive: boolean } | null;
  faces(): { id: number; staffId: number; isActive: boolean }[];
  auditActions(): { staffId: number; action: string; reason: string }[];
  now(): Date;
}

export interface HotelMateDoubleOptions {
  /** SQLite file; default an in-memory database. */
  dbFile?: string;
  /** Port on 127.0.0.1; default 0 (a free port). */
  port?: number;
  clock?: DoubleClock;
  seed?: (seed: DoubleSeed) => void;
  /** Called for each Pusher event the real backend would deliver (not for the ones that fail there). */
  onPusherEvent?: (channel: string, event: string, data: unknown) => void;
}

export interface HotelMateDouble {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** `http://127.0.0.1:<port>/api`: what the kiosk's `api.baseUrl` should be. */
  apiBaseUrl: string;
  seed: DoubleSeed;
  faults: DoubleFaults;
  state: DoubleState;
  db: DB;
  /** Stops the server (open sockets included) and closes the database. */
  close(): Promise<void>;
}

interface FaultRule {
  kind: 'latency' | 'fail_after_write' | 'drop_before' | 'drop_after' | 'malformed';
  method?: string;
  path?: string | RegExp;
  remaining: number;
  ms?: number;
  phase?: 'before' | 'after';
  html?: boolean;
  body?: string;
}

const MAX_BODY = 20 * 1024 * 1024;

/**
 * Starts the double on 127.0.0.1 (random port). Resolves once it is listening.
 * The handler is synchronous over SQLite, one transaction per request.
 */
export async function createHotelMateDouble(options: HotelMateDoubleOptions = {}): Promise<HotelMateDouble> {
  const clock = options.clock ?? { now: () => new Date() };
  const db = openDoubleDb(options.dbFile ?? ':memory:');
  const backend = createBackend(db, () => clock.now());
  const requests: RequestRecord[] = [];
  const pusherLog: PusherRecord[] = [];
  let rules: FaultRule[] = [];
  const rejectedTokens = new Set<string>();
  let origin = 'http://127.0.0.1';
  let closed = false;

  const takeRule = (kind: FaultRule['kind'], method: string, path: string): FaultRule | null => {
    const rule = rules.find(
      (r) =>
        r.kind === kind &&
        r.remaining > 0 &&
        (!r.method || r.method.toUpperCase() === method) &&
        (!r.path || (typeof r.path === 'string' ? path.includes(r.path) : r.path.test(path))),
    );
    if (!rule) return null;
    rule.remaining -= 1;
    if (rule.remaining <= 0) rules = rules.filter((r) => r !== rule);
    return rule;
  };

  const send = (res: http.ServerResponse, response: BackendResponse, override?: string): void => {
    const headers: Record<string, string> = { ...(response.headers ?? {}) };
    let payload: string;
    if (override !== undefined) {
      payload = override;
      headers['Content-Type'] = 'application/json';
    } else if (response.html !== undefined) {
      payload = response.html;
      headers['Content-Type'] = 'text/html; charset=utf-8';
    } else {
      payload = JSON.stringify(response.json ?? null);
      headers['Content-Type'] = 'application/json';
    }
    headers['Content-Length'] = String(Buffer.byteLength(payload));
    res.writeHead(response.status, headers);
    res.end(payload);
  };

  const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const started = performance.now();
    const url = new URL(req.url ?? '/', origin);
    const method = (req.method ?? 'GET').toUpperCase();
    const path = url.pathname;
    const entry: RequestRecord = { method, path, query: url.search, status: 0, fault: null, at: clock.now().toISOString(), ms: 0 };
    requests.push(entry);
    const finish = (status: number, fault: RequestRecord['fault'] = entry.fault): void => {
      entry.status = status;
      entry.fault = fault;
      entry.ms = Math.round((performance.now() - started) * 1000) / 1000;
    };

    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY) {
        finish(413);
        send(res, { status: 413, json: { detail: 'Request body too large.' } });
        return;
      }
      chunks.push(chunk as Buffer);
    }
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown = {};
    let invalidJson = false;
    if (raw.trim() !== '') {
      try {
        body = JSON.parse(raw);
      } catch {
        invalidJson = true;
      }
    }

    const authorization = req.headers.authorization;
    const token = authorization?.trim().split(/\s+/)[1];
    if (token && rejectedTokens.has(token)) {
      finish(401, 'reject_token');
      send(res, { status: 401, json: { detail: 'Invalid token.' }, headers: { 'WWW-Authenticate': 'Token' } });
      return;
    }

    const before = takeRule('latency', method, path);
    if (before && before.phase !== 'after') {
      entry.fault = 'latency';
      await sleep(before.ms ?? 0);
      if (closed) {
        req.socket.destroy();
        return;
      }
    }
    if (takeRule('drop_before', method, path)) {
      finish(0, 'drop_before');
      req.socket.destroy();
      return;
    }

    let result;
    try {
      result = backend.handle({
        method,
        pathname: path,
        query: url.searchParams,
        body,
        invalidJson,
        authorization,
        clientIp: req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
        userAgent: req.headers['user-agent'] ?? '',
        origin,
      });
    } catch (err) {
      // A bug in the double must look like what Django would send, and not kill the server.
      process.stderr.write(`hotelmate-double: handler error on ${method} ${path}: ${String(err)}\n`);
      result = { response: { status: 500, html: '<h1>Server Error (500)</h1>' }, pusher: [] };
    }
    const at = clock.now().toISOString();
    for (const event of result.pusher) {
      pusherLog.push({ ...event, at });
      if (event.delivered) options.onPusherEvent?.(event.channel, event.event, event.data);
    }

    if (before && before.phase === 'after') {
      entry.fault = 'latency';
      await sleep(before.ms ?? 0);
    }
    if (takeRule('drop_after', method, path)) {
      finish(0, 'drop_after');
      req.socket.destroy();
      return;
    }
    const fail = takeRule('fail_after_write', method, path);
    if (fail) {
      finish(500, 'fail_after_write');
      send(res, fail.html ? { status: 500, html: '<h1>Server Error (500)</h1>' } : { status: 500, json: { error: 'Internal server error after write (injected)' } });
      return;
    }
    const malformed = takeRule('malformed', method, path);
    if (malformed) {
      const real = JSON.stringify(result.response.json ?? result.response.html ?? '');
      finish(result.response.status, 'malformed');
      send(res, result.response, malformed.body ?? real.slice(0, Math.max(1, Math.floor(real.length / 2))));
      return;
    }
    finish(result.response.status);
    send(res, result.response);
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      process.stderr.write(`hotelmate-double: ${String(err)}\n`);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;

  const seed = createSeed(db, clock, () => origin);
  options.seed?.(seed);

  const toIso = (ms: number | null): string | null => (ms === null ? null : drfIso(ms));
  const state: DoubleState = {
    requests: () => requests.map((r) => ({ ...r })),
    clearRequests: () => {
      requests.length = 0;
    },
    pusherEvents: () => [...pusherLog],
    clockLogs: (filter) => {
      const rows =
        filter?.staffId !== undefined
          ? db.prepare<[number], ClockLogRow>('SELECT * FROM clock_logs WHERE staff_id = ? ORDER BY time_in, id').all(filter.staffId)
          : db.prepare<[], ClockLogRow>('SELECT * FROM clock_logs ORDER BY time_in, id').all();
      return rows.map((l) => ({
        id: l.id,
        staffId: l.staff_id,
        timeIn: toIso(l.time_in)!,
        timeOut: toIso(l.time_out),
        isOnBreak: l.is_on_break === 1,
        breakStart: toIso(l.break_start),
        breakEnd: toIso(l.break_end),
        totalBreakMinutes: l.total_break_minutes,
        isUnrostered: l.is_unrostered === 1,
        isApproved: l.is_approved === 1,
        rosterShiftId: l.roster_shift_id,
      }));
    },
    staff: (staffId) => {
      const s = db.prepare<[number], StaffRow>('SELECT * FROM staff WHERE id = ?').get(staffId);
      if (!s) return null;
      return {
        id: s.id,
        dutyStatus: s.duty_status,
        isOnDuty: s.is_on_duty === null ? null : s.is_on_duty === 1,
        hasRegisteredFace: s.has_registered_face === null ? null : s.has_registered_face === 1,
        isActive: s.is_active === 1,
      };
    },
    faces: () =>
      db
        .prepare<[], FaceRow>('SELECT * FROM faces ORDER BY id')
        .all()
        .map((f) => ({ id: f.id, staffId: f.staff_id, isActive: f.is_active === 1 })),
    auditActions: () =>
      db
        .prepare<[], { staff_id: number; action: string; reason: string }>('SELECT staff_id, action, reason FROM face_audit ORDER BY id')
        .all()
        .map((r) => ({ staffId: r.staff_id, action: r.action, reason: r.reason })),
    now: () => clock.now(),
  };

  const addRule = (rule: Omit<FaultRule, 'remaining'>, times: number | undefined): void => {
    rules.push({ ...rule, remaining: times ?? 1 });
  };
  const faults: DoubleFaults = {
    latency: (ms, o = {}) => addRule({ kind: 'latency', ms, phase: o.phase ?? 'before', method: o.method, path: o.path }, o.times),
    failAfterWrite: (o = {}) => addRule({ kind: 'fail_after_write', html: o.html, method: o.method, path: o.path }, o.times),
    dropConnection: (o) => addRule({ kind: o.when === 'before' ? 'drop_before' : 'drop_after', method: o.method, path: o.path }, o.times),
    rejectToken: (token) => {
      rejectedTokens.add(token);
    },
    acceptToken: (token) => {
      rejectedTokens.delete(token);
    },
    malformedBody: (o = {}) => addRule({ kind: 'malformed', body: o.body, method: o.method, path: o.path }, o.times),
    clear: () => {
      rules = [];
      rejectedTokens.clear();
    },
  };

  return {
    url: origin,
    apiBaseUrl: `${origin}/api`,
    seed,
    faults,
    state,
    db,
    close: async () => {
      if (closed) return;
      closed = true;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      db.close();
    },
  };
}

function titleCase(slug: string): string {
  return slug
    .split(/[-_]/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join(' ');
}

function toMs(value: Date | string): number {
  return new Date(value).getTime();
}

function createSeed(db: DB, clock: DoubleClock, origin: () => string): DoubleSeed {
  const hotelId = (slug: string): number => {
    const row = db.prepare<[string], { id: number }>('SELECT id FROM hotels WHERE slug = ?').get(slug);
    if (!row) throw new Error(`hotelmate-double seed: no hotel "${slug}"`);
    return row.id;
  };
  let nextUserId = 1;

  const seed: DoubleSeed = {
    hotel(input) {
      const info = db
        .prepare('INSERT INTO hotels (slug, name, face_attendance_enabled, face_attendance_departments) VALUES (?, ?, ?, ?)')
        .run(input.slug, input.name ?? titleCase(input.slug), input.faceAttendanceEnabled ? 1 : 0, JSON.stringify(input.faceAttendanceDepartments ?? []));
      return { id: Number(info.lastInsertRowid), slug: input.slug };
    },
    setFaceAttendance(hotelSlug, enabled, departments) {
      db.prepare('UPDATE hotels SET face_attendance_enabled = ? WHERE id = ?').run(enabled ? 1 : 0, hotelId(hotelSlug));
      if (departments) db.prepare('UPDATE hotels SET face_attendance_departments = ? WHERE id = ?').run(JSON.stringify(departments), hotelId(hotelSlug));
    },
    department(hotelSlug, slug, name) {
      const hid = hotelId(hotelSlug);
      const existing = db.prepare<[number, string], { id: number; name: string }>('SELECT id, name FROM departments WHERE hotel_id = ? AND slug = ?').get(hid, slug);
      if (existing) return { id: existing.id, slug, name: existing.name };
      const finalName = name ?? titleCase(slug);
      const info = db.prepare('INSERT INTO departments (hotel_id, name, slug) VALUES (?, ?, ?)').run(hid, finalName, slug);
      return { id: Number(info.lastInsertRowid), slug, name: finalName };
    },
    staff(input) {
      const hid = hotelId(input.hotel);
      const dept = input.department ? seed.department(input.hotel, input.department, input.departmentName) : null;
      let roleId: number | null = null;
      if (input.role) {
        const existing = db.prepare<[number, string], { id: number }>('SELECT id FROM roles WHERE hotel_id = ? AND slug = ?').get(hid, input.role);
        roleId =
          existing?.id ??
          Number(
            db
              .prepare('INSERT INTO roles (hotel_id, name, slug, department_id) VALUES (?, ?, ?, ?)')
              .run(hid, input.roleName ?? titleCase(input.role), input.role, dept?.id ?? null).lastInsertRowid,
          );
      }
      const access = input.access ?? 'regular';
      const capabilities =
        input.capabilities ?? (access === 'manager' ? MANAGER_CAPABILITIES : access === 'kiosk' ? KIOSK_CAPABILITIES : SELF_SERVICE_CAPABILITIES);
      const username = input.username ?? `${input.firstName}.${input.lastName}`.toLowerCase().replace(/[^a-z0-9.]/g, '');
      const password = input.password ?? `pw-${randomBytes(6).toString('hex')}`;
      const token = input.token ?? randomBytes(20).toString('hex');
      const maxUser = db.prepare<[], { m: number | null }>('SELECT MAX(user_id) AS m FROM staff').get()?.m ?? 0;
      const userId = Math.max(nextUserId, maxUser + 1);
      nextUserId = userId + 1;
      const info = db
        .prepare(
          `INSERT INTO staff (hotel_id, user_id, username, password, token, first_name, last_name, email, department_id, role_id,
             access_level, capabilities, is_active, duty_status, is_on_duty, has_registered_face, profile_image_url)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'off_duty', 0, 0, ?)`,
        )
        .run(
          hid,
          userId,
          username,
          password,
          token,
          input.firstName,
          input.lastName,
          input.email ?? null,
          dept?.id ?? null,
          roleId,
          access === 'manager' ? 'super_staff_admin' : access === 'kiosk' ? 'staff_admin' : 'regular_staff',
          JSON.stringify(capabilities),
          input.isActive === false ? 0 : 1,
          input.profileImageUrl ?? null,
        );
      return { id: Number(info.lastInsertRowid), userId, username, password, token, name: `${input.firstName} ${input.lastName}`.trim() };
    },
    setStaffActive(staffId, active) {
      db.prepare('UPDATE staff SET is_active = ? WHERE id = ?').run(active ? 1 : 0, staffId);
    },
    shift(input) {
      const s = db.prepare<[number], StaffRow>('SELECT * FROM staff WHERE id = ?').get(input.staffId);
      if (!s) throw new Error(`hotelmate-double seed: no staff ${input.staffId}`);
      const hotelSlug = db.prepare<[number], { slug: string }>('SELECT slug FROM hotels WHERE id = ?').get(s.hotel_id)!.slug;
      const deptId =
        input.department === undefined ? s.department_id : input.department === null ? null : seed.department(hotelSlug, input.department).id;
      const start = normaliseTime(input.start);
      const end = normaliseTime(input.end);
      const startMs = Date.parse(`1970-01-01T${start}Z`);
      let endMs = Date.parse(`1970-01-01T${end}Z`);
      if (endMs < startMs) endMs += 86_400_000;
      const t = clock.now().getTime();
      const info = db
        .prepare(
          `INSERT INTO rosters (hotel_id, staff_id, department_id, shift_date, shift_start, shift_end, break_start, break_end,
             expected_hours, notes, location_name, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          s.hotel_id,
          s.id,
          deptId,
          input.date,
          start,
          end,
          input.breakStart ? normaliseTime(input.breakStart) : null,
          input.breakEnd ? normaliseTime(input.breakEnd) : null,
          ((endMs - startMs) / 3_600_000).toFixed(2),
          input.notes ?? null,
          input.location ?? null,
          t,
          t,
        );
      return { id: Number(info.lastInsertRowid) };
    },
    face(input) {
      const s = db.prepare<[number], StaffRow>('SELECT * FROM staff WHERE id = ?').get(input.staffId);
      if (!s) throw new Error(`hotelmate-double seed: no staff ${input.staffId}`);
      const t = clock.now().getTime();
      const publicId = `staff_faces/${randomBytes(10).toString('hex')}`;
      const imageUrl = `${origin()}/media/cloudinary/image/upload/v${Math.floor(t / 1000)}/${publicId}.jpg`;
      db.prepare('DELETE FROM faces WHERE staff_id = ?').run(s.id);
      const info = db
        .prepare(
          'INSERT INTO faces (hotel_id, staff_id, encoding, image_url, public_id, consent_given, registered_by, is_active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(s.hotel_id, s.id, JSON.stringify(input.encoding), imageUrl, publicId, input.consentGiven === false ? 0 : 1, input.registeredBy ?? null, input.isActive === false ? 0 : 1, t, t);
      db.prepare('UPDATE staff SET has_registered_face = ? WHERE id = ?').run(input.isActive === false ? 0 : 1, s.id);
      return { id: Number(info.lastInsertRowid), imageUrl };
    },
    clockLog(input) {
      const s = db.prepare<[number], StaffRow>('SELECT * FROM staff WHERE id = ?').get(input.staffId);
      if (!s) throw new Error(`hotelmate-double seed: no staff ${input.staffId}`);
      const onBreak = input.isOnBreak === true;
      const info = db
        .prepare(
          `INSERT INTO clock_logs (hotel_id, staff_id, time_in, time_out, roster_shift_id, is_unrostered, is_approved, is_kiosk_mode,
             is_on_break, break_start, total_break_minutes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          s.hotel_id,
          s.id,
          toMs(input.timeIn),
          input.timeOut ? toMs(input.timeOut) : null,
          input.rosterShiftId ?? null,
          input.isUnrostered ? 1 : 0,
          input.isApproved === false ? 0 : 1,
          input.isKioskMode ? 1 : 0,
          onBreak ? 1 : 0,
          input.breakStart ? toMs(input.breakStart) : null,
          input.totalBreakMinutes ?? 0,
        );
      if (input.updateDutyStatus !== false) {
        const status = input.timeOut ? 'off_duty' : onBreak ? 'on_break' : 'on_duty';
        db.prepare('UPDATE staff SET duty_status = ?, is_on_duty = ? WHERE id = ?').run(status, status === 'off_duty' ? 0 : 1, s.id);
      }
      return { id: Number(info.lastInsertRowid) };
    },
    killarney(opts = {}) {
      const hotelSlug = 'hotel-killarney';
      seed.hotel({ slug: hotelSlug, name: 'Hotel Killarney', faceAttendanceEnabled: true });
      const departments = [
        seed.department(hotelSlug, 'management', 'Management'),
        seed.department(hotelSlug, 'front_office', 'Front Office'),
        seed.department(hotelSlug, 'housekeeping', 'Housekeeping'),
      ];
      // As in the recording, the settings row lists every department (the gate then passes for all).
      seed.setFaceAttendance(hotelSlug, true, departments.map((d) => d.id));
      const manager = seed.staff({
        hotel: hotelSlug,
        firstName: 'Siobhan',
        lastName: 'Kelly',
        department: 'management',
        role: 'hotel_manager',
        roleName: 'Hotel Manager',
        access: 'manager',
        username: 'siobhan.kelly',
        password: 'KioskTest123!',
      });
      const aoife = seed.staff({ hotel: hotelSlug, firstName: 'Aoife', lastName: 'Murphy', department: 'front_office', role: 'front_desk_agent', roleName: 'Front Desk Agent' });
      const conor = seed.staff({ hotel: hotelSlug, firstName: 'Conor', lastName: "O'Sullivan", department: 'housekeeping', role: 'housekeeper', roleName: 'Housekeeper' });
      const niamh = seed.staff({ hotel: hotelSlug, firstName: 'Niamh', lastName: 'Byrne', department: 'front_office', role: 'front_desk_agent' });
      const shift = opts.aoifeShift ?? { start: '00:00', end: '23:59' };
      const aoifeShiftId = seed.shift({ staffId: aoife.id, date: utcDate(clock.now().getTime()), start: shift.start, end: shift.end, notes: 'Seeded for local kiosk testing' }).id;
      const encodings = { aoife: encodingFor(2), conor: encodingFor(3), stranger: encodingFor(99) };
      if (opts.registerFaces !== false) {
        seed.face({ staffId: aoife.id, encoding: encodings.aoife, registeredBy: manager.id });
        seed.face({ staffId: conor.id, encoding: encodings.conor, registeredBy: manager.id });
      }
      return {
        hotelSlug,
        manager,
        aoife,
        conor,
        niamh,
        aoifeShiftId,
        encodings,
        probes: { aoife: nearby(encodings.aoife, 0.03, 2), conor: nearby(encodings.conor, 0.03, 3) },
      };
    },
  };
  return seed;
}
