/**
 * The HotelMate backend's behaviour, written from docs/hotelmate-api.md and the recorded transcript
 * (never from the kiosk's code): routes, DRF token auth, permission gates, the face gate, the
 * three-way face-clock-in dispatcher, the blind break toggle, UTC "today", roster matching without
 * grace, error bodies as documented, and the Pusher events the real code would (try to) send.
 * Pure request -> response over the double's SQLite; HTTP and fault injection live in index.ts.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { ClockLogRow, DB, DepartmentRow, FaceRow, HotelRow, RoleRow, RosterRow, StaffRow } from './store';
import { addDays, drfIso, pyIso, pyStr, round, utcDate, utcHourMinute, utcMs } from './format';

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

/** One Pusher trigger the real backend would make; `delivered: false` when it fails to serialise there. */
export interface PusherEmit {
  channel: string;
  event: string;
  data: unknown;
  delivered: boolean;
  failure?: string;
}

export interface HandleResult {
  response: BackendResponse;
  pusher: PusherEmit[];
}

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

const NOT_FOUND_HTML = `
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

/** Capability bundles (§2): every tier gets the self-service bundle. */
export const SELF_SERVICE_CAPABILITIES = [
  'attendance.module.view',
  'attendance.clock.in_out',
  'attendance.break.toggle',
  'attendance.log.read_self',
  'attendance.roster.read_self',
  'attendance.face.register_self',
];
export const MANAGER_CAPABILITIES = [
  ...SELF_SERVICE_CAPABILITIES,
  'attendance.analytics.read',
  'attendance.face.audit_read',
  'attendance.face.read',
  'attendance.face.register_other',
  'attendance.face.revoke',
  'attendance.log.approve',
  'attendance.log.create',
  'attendance.log.delete',
  'attendance.log.read_all',
  'attendance.log.reject',
  'attendance.log.relink',
  'attendance.log.update',
  'attendance.shift.read',
  'attendance.shift_location.read',
  'staff_management.module.view',
  'staff_management.staff.read',
];
/** What a kiosk account needs for hotel-wide status and reference data (§2 "What a kiosk needs"). */
export const KIOSK_CAPABILITIES = [
  ...SELF_SERVICE_CAPABILITIES,
  'attendance.log.read_all',
  'attendance.shift.read',
  'attendance.face.read',
  'staff_management.module.view',
  'staff_management.staff.read',
];

/** Permission-class messages: the two quoted in the documents, DRF's default otherwise. */
const CAPABILITY_MESSAGES: Record<string, string> = {
  'attendance.clock.in_out': 'You do not have permission to use clock in/out.',
  'attendance.face.read': 'You do not have permission to read attendance face data.',
};
const DEFAULT_PERMISSION_MESSAGE = 'You do not have permission to perform this action.';
const FACE_DISABLED = 'Face attendance is not enabled for this hotel. Please use the regular clock-in method.';
const NO_DEPARTMENT = 'No Department';
const MATCH_THRESHOLD = 0.6;

type Ok<T> = { ok: true; value: T };
type Fail = { ok: false; response: BackendResponse };

const json = (status: number, body: unknown, headers?: Record<string, string>): BackendResponse => ({ status, json: body, headers });
const detail = (status: number, message: string): BackendResponse => json(status, { detail: message });
const error = (status: number, message: string, extra: Record<string, unknown> = {}): BackendResponse =>
  json(status, { error: message, ...extra });

export interface Backend {
  handle(request: BackendRequest): HandleResult;
}

/** Builds the request handler over the double's database and clock. */
export function createBackend(db: DB, now: () => Date): Backend {
  // ------------------------------------------------------------ lookups
  const q = {
    hotelBySlug: db.prepare<[string], HotelRow>('SELECT * FROM hotels WHERE slug = ?'),
    hotelById: db.prepare<[number], HotelRow>('SELECT * FROM hotels WHERE id = ?'),
    staffByToken: db.prepare<[string], StaffRow>('SELECT * FROM staff WHERE token = ?'),
    staffByUsername: db.prepare<[string], StaffRow>('SELECT * FROM staff WHERE username = ?'),
    staffById: db.prepare<[number], StaffRow>('SELECT * FROM staff WHERE id = ?'),
    department: db.prepare<[number], DepartmentRow>('SELECT * FROM departments WHERE id = ?'),
    role: db.prepare<[number], RoleRow>('SELECT * FROM roles WHERE id = ?'),
    faceByStaff: db.prepare<[number], FaceRow>('SELECT * FROM faces WHERE staff_id = ?'),
    activeFaces: db.prepare<[number], FaceRow>('SELECT * FROM faces WHERE hotel_id = ? AND is_active = 1 ORDER BY id'),
    roster: db.prepare<[number], RosterRow>('SELECT * FROM rosters WHERE id = ?'),
    openLogsOfStaff: db.prepare<[number, number], ClockLogRow>(
      'SELECT * FROM clock_logs WHERE hotel_id = ? AND staff_id = ? AND time_out IS NULL ORDER BY time_in DESC, id DESC',
    ),
    logsOfStaff: db.prepare<[number, number], ClockLogRow>(
      'SELECT * FROM clock_logs WHERE hotel_id = ? AND staff_id = ? ORDER BY time_in DESC, id DESC',
    ),
    log: db.prepare<[number], ClockLogRow>('SELECT * FROM clock_logs WHERE id = ?'),
    candidateShifts: db.prepare<[number, number, string, string], RosterRow>(
      'SELECT * FROM rosters WHERE hotel_id = ? AND staff_id = ? AND shift_date IN (?, ?) AND shift_start IS NOT NULL AND shift_end IS NOT NULL',
    ),
  };

  const nowMs = (): number => now().getTime();
  const today = (): string => utcDate(nowMs());
  const fullName = (s: StaffRow): string => `${s.first_name} ${s.last_name}`.trim();
  const departmentOf = (s: StaffRow): DepartmentRow | undefined => (s.department_id ? q.department.get(s.department_id) : undefined);
  const capabilitiesOf = (s: StaffRow): Set<string> => new Set(JSON.parse(s.capabilities) as string[]);

  /** `ClockLog.filter(hotel, staff, time_in__date=today(UTC), time_out__isnull=True).first()` (§3.3). */
  const openLogToday = (hotelId: number, staffId: number): ClockLogRow | undefined => {
    const day = today();
    return q.openLogsOfStaff.all(hotelId, staffId).find((log) => utcDate(log.time_in) === day);
  };

  // ------------------------------------------------------------ serializers

  const faceImage = (staffId: number): string | null => q.faceByStaff.get(staffId)?.image_url ?? null;

  const faceStaff = (s: StaffRow, withImage: boolean): Record<string, unknown> => {
    const out: Record<string, unknown> = { id: s.id, name: fullName(s), department: departmentOf(s)?.name ?? NO_DEPARTMENT };
    if (withImage) out.image = faceImage(s.id);
    return out;
  };

  const rosterRef = (roster: RosterRow, s: StaffRow): Record<string, unknown> => ({
    id: roster.id,
    date: roster.shift_date,
    start: roster.shift_start,
    end: roster.shift_end,
    location: roster.location_name,
    department: (roster.department_id ? q.department.get(roster.department_id)?.name : undefined) ?? departmentOf(s)?.name ?? null,
  });

  /** `ClockLogSerializer` (§3.11). */
  const clockLogJson = (log: ClockLogRow): Record<string, unknown> => {
    const s = q.staffById.get(log.staff_id)!;
    const hotel = q.hotelById.get(log.hotel_id)!;
    const dept = departmentOf(s);
    const roster = log.roster_shift_id ? q.roster.get(log.roster_shift_id) : undefined;
    return {
      id: log.id,
      staff: s.id,
      staff_name: fullName(s),
      staff_image: faceImage(s.id) ?? s.profile_image_url,
      hotel: hotel.id,
      hotel_slug: hotel.slug,
      time_in: drfIso(log.time_in),
      time_out: log.time_out === null ? null : drfIso(log.time_out),
      verified_by_face: log.verified_by_face === 1,
      location_note: log.location_note,
      auto_clock_out: log.auto_clock_out === 1,
      hours_worked: log.hours_worked,
      department: dept ? { name: dept.name, slug: dept.slug } : { name: 'N/A', slug: null },
      roster_shift: roster ? rosterRef(roster, s) : null,
      is_unrostered: log.is_unrostered === 1,
      is_approved: log.is_approved === 1,
      is_rejected: log.is_rejected === 1,
      break_warning_sent: false,
      overtime_warning_sent: false,
      hard_limit_warning_sent: false,
      long_session_ack_mode: null,
      is_on_break: log.is_on_break === 1,
      break_start: log.break_start === null ? null : drfIso(log.break_start),
      break_end: log.break_end === null ? null : drfIso(log.break_end),
      total_break_minutes: log.total_break_minutes,
    };
  };

  const labels: Record<StaffRow['duty_status'], string> = { off_duty: 'Off Duty', on_duty: 'On Duty', on_break: 'On Break' };

  /** `Staff.get_current_status()`; `raw` keeps break_start as epoch ms (the value Pusher fails on). */
  const currentStatus = (s: StaffRow): { json: Record<string, unknown>; hasDatetime: boolean } => {
    const out: Record<string, unknown> = { status: s.duty_status, label: labels[s.duty_status], is_on_break: s.duty_status === 'on_break' };
    if (s.duty_status === 'on_break') {
      const log = openLogToday(s.hotel_id, s.id);
      if (log) {
        out.break_start = log.break_start === null ? null : drfIso(log.break_start);
        out.total_break_minutes = log.total_break_minutes;
        return { json: out, hasDatetime: log.break_start !== null };
      }
    }
    return { json: out, hasDatetime: false };
  };

  /** `StaffSerializer` (§6.1). */
  const staffJson = (s: StaffRow): Record<string, unknown> => {
    const hotel = q.hotelById.get(s.hotel_id)!;
    const dept = departmentOf(s);
    const role = s.role_id ? q.role.get(s.role_id) : undefined;
    const roleDept = role?.department_id ? q.department.get(role.department_id) : undefined;
    const out: Record<string, unknown> = {
      id: s.id,
      user: { id: s.user_id, username: s.username, email: s.email ?? '', is_active: true },
      first_name: s.first_name,
      last_name: s.last_name,
      department: dept?.id ?? null,
      department_detail: dept ? { id: dept.id, name: dept.name, slug: dept.slug, description: '' } : null,
      role: role?.id ?? null,
      role_detail: role
        ? { id: role.id, name: role.name, slug: role.slug, description: '', department: roleDept?.id ?? null, department_slug: roleDept?.slug ?? null }
        : null,
      email: s.email,
      phone_number: null,
      is_active: s.is_active === 1,
      duty_status: s.duty_status,
      is_on_duty: s.is_on_duty === null ? null : s.is_on_duty === 1,
      hotel: hotel.id,
      access_level: s.access_level,
      hotel_name: hotel.name,
      hotel_slug: hotel.slug,
      profile_image: s.profile_image_url,
      has_registered_face: s.has_registered_face === null ? null : s.has_registered_face === 1,
      allowed_navs: ['home', 'attendance'],
      has_fcm_token: false,
      is_staff_member: true,
      role_slug: role?.slug ?? null,
      current_status: currentStatus(s).json,
    };
    // `profile_image_url` uses source='profile_image.url' and is missing when there is no image (§6.1).
    if (s.profile_image_url) out.profile_image_url = s.profile_image_url;
    return out;
  };

  const faceDataJson = (face: FaceRow, hand: boolean): Record<string, unknown> => {
    const s = q.staffById.get(face.staff_id)!;
    const hotel = q.hotelById.get(face.hotel_id)!;
    const registeredBy = face.registered_by ? q.staffById.get(face.registered_by) : undefined;
    const stamp = hand ? pyIso : drfIso;
    const base: Record<string, unknown> = {
      id: face.id,
      staff: s.id,
      staff_name: fullName(s),
      hotel: hotel.id,
    };
    if (hand) base.hotel_slug = hotel.slug;
    Object.assign(base, {
      image_url: face.image_url,
      public_id: face.public_id,
      encoding_length: (JSON.parse(face.encoding) as unknown[]).length,
      is_active: face.is_active === 1,
      consent_given: face.consent_given === 1,
    });
    if (hand) base.registered_by = registeredBy ? fullName(registeredBy) : null;
    else base.registered_by_name = registeredBy ? fullName(registeredBy) : null;
    base.created_at = stamp(face.created_at);
    base.updated_at = stamp(face.updated_at);
    return base;
  };

  const rosterJson = (r: RosterRow): Record<string, unknown> => {
    const s = q.staffById.get(r.staff_id);
    const dept = r.department_id ? q.department.get(r.department_id) : undefined;
    return {
      id: r.id,
      hotel: r.hotel_id,
      staff: r.staff_id,
      staff_name: s ? fullName(s) : null,
      department: dept?.slug ?? null,
      period: null,
      period_title: null,
      shift_date: r.shift_date,
      shift_start: r.shift_start,
      shift_end: r.shift_end,
      break_start: r.break_start,
      break_end: r.break_end,
      department_name: dept?.name ?? null,
      shift_type: r.shift_type,
      is_split_shift: false,
      is_night_shift: r.shift_start !== null && r.shift_end !== null && r.shift_end < r.shift_start,
      expected_hours: r.expected_hours,
      approved_by: null,
      notes: r.notes,
      created_at: drfIso(r.created_at),
      updated_at: drfIso(r.updated_at),
      location: r.location_name ? { id: r.id, name: r.location_name, color: '#0d6efd', hotel: r.hotel_id } : null,
    };
  };

  // ------------------------------------------------------------ pusher

  const clockStatusEvent = (s: StaffRow, action: 'clock_in' | 'clock_out' | 'start_break' | 'end_break'): PusherEmit => {
    const hotel = q.hotelById.get(s.hotel_id)!;
    const dept = departmentOf(s);
    const role = s.role_id ? q.role.get(s.role_id) : undefined;
    const status = currentStatus(s);
    const stamp = pyIso(nowMs());
    const data = {
      category: 'attendance',
      type: 'clock_status_updated',
      payload: {
        staff_id: s.id,
        staff_name: fullName(s),
        user_id: s.user_id,
        department: dept?.name ?? null,
        department_slug: dept?.slug ?? null,
        role: role?.name ?? null,
        role_slug: role?.slug ?? null,
        duty_status: s.duty_status,
        action,
        timestamp: stamp,
        source: 'manual',
        is_on_duty: s.is_on_duty === 1,
        is_on_break: s.duty_status === 'on_break',
        current_status: status.json,
      },
      meta: { hotel_slug: hotel.slug, event_id: randomUUID(), ts: stamp, scope: { staff_id: s.id, department: dept?.slug ?? null } },
    };
    const channel = `${hotel.slug}.attendance`;
    // §5.1: on a break, current_status carries a raw datetime and json.dumps raises; the trigger is dropped.
    if (status.hasDatetime) {
      return { channel, event: 'clock_status_updated', data, delivered: false, failure: 'TypeError: Object of type datetime is not JSON serializable' };
    }
    return { channel, event: 'clock_status_updated', data, delivered: true };
  };

  const unrosteredRequestEvent = (s: StaffRow, log: ClockLogRow): PusherEmit => {
    const hotel = q.hotelById.get(s.hotel_id)!;
    const base = `/api/hotels/${hotel.slug}/clock-logs/${log.id}`;
    return {
      channel: `attendance-${hotel.slug}-managers`,
      event: 'unrostered-clockin-request',
      delivered: true,
      data: {
        type: 'unrostered_clockin_request',
        clock_log_id: log.id,
        staff_id: s.id,
        staff_name: fullName(s),
        department: departmentOf(s)?.name ?? NO_DEPARTMENT,
        clock_in_time: pyIso(log.time_in),
        message: `${fullName(s)} clocked in without a scheduled shift and needs approval.`,
        actions: [
          { label: 'Approve', action: 'approve', endpoint: `${base}/approve/`, style: 'success' },
          { label: 'Reject', action: 'reject', endpoint: `${base}/reject/`, style: 'danger' },
        ],
        timestamp: pyIso(nowMs()),
      },
    };
  };

  // ------------------------------------------------------------ auth and gates

  /** DRF TokenAuthentication: anonymous when no `Token` header; 401 when the header or key is bad. */
  const authenticate = (header: string | undefined): Ok<StaffRow | null> | Fail => {
    if (!header) return { ok: true, value: null };
    const parts = header.trim().split(/\s+/);
    if (parts[0].toLowerCase() !== 'token') return { ok: true, value: null };
    const unauthorised = (m: string): Fail => ({ ok: false, response: json(401, { detail: m }, { 'WWW-Authenticate': 'Token' }) });
    if (parts.length === 1) return unauthorised('Invalid token header. No credentials provided.');
    if (parts.length > 2) return unauthorised('Invalid token header. Token string should not contain spaces.');
    const staff = q.staffByToken.get(parts[1]);
    if (!staff) return unauthorised('Invalid token.');
    return { ok: true, value: staff };
  };

  const requireUser = (request: BackendRequest): Ok<StaffRow> | Fail => {
    const auth = authenticate(request.authorization);
    if (!auth.ok) return auth;
    if (!auth.value) {
      return { ok: false, response: json(401, { detail: 'Authentication credentials were not provided.' }, { 'WWW-Authenticate': 'Token' }) };
    }
    return { ok: true, value: auth.value };
  };

  const lacks = (s: StaffRow, capability: string): Fail | null =>
    capabilitiesOf(s).has(capability) ? null : { ok: false, response: detail(403, CAPABILITY_MESSAGES[capability] ?? DEFAULT_PERMISSION_MESSAGE) };

  /** Base gates of every attendance endpoint (§1.2 †), then the endpoint's capability. */
  const attendanceGate = (request: BackendRequest, slug: string, capability: string): Ok<{ staff: StaffRow; hotel: HotelRow }> | Fail => {
    const user = requireUser(request);
    if (!user.ok) return user;
    const s = user.value;
    const moduleDenied = lacks(s, 'attendance.module.view');
    if (moduleDenied) return moduleDenied;
    const hotel = q.hotelById.get(s.hotel_id)!;
    if (hotel.slug !== slug) return { ok: false, response: detail(403, 'You can only access resources from your hotel.') };
    const denied = lacks(s, capability);
    if (denied) return denied;
    return { ok: true, value: { staff: s, hotel } };
  };

  /** `check_face_attendance_permissions`: about the CALLING account, not the person recognised (§2). */
  const faceGate = (caller: StaffRow, hotel: HotelRow): Fail | null => {
    if (caller.hotel_id !== hotel.id) return { ok: false, response: error(403, 'Staff member does not belong to this hotel') };
    if (caller.is_active !== 1) return { ok: false, response: error(403, 'Staff member account is inactive') };
    if (hotel.face_attendance_enabled !== 1) return { ok: false, response: error(403, FACE_DISABLED) };
    const allowed = JSON.parse(hotel.face_attendance_departments) as number[];
    if (allowed.length > 0 && caller.department_id !== null && !allowed.includes(caller.department_id)) {
      return { ok: false, response: error(403, 'Face attendance not allowed for your department') };
    }
    return null;
  };

  // ------------------------------------------------------------ validation and matching

  const record = (body: unknown): Record<string, unknown> =>
    body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};

  /** `validate_face_encoding` (§3.1); returns the first error message or null. */
  const encodingError = (value: unknown): string | null => {
    if (!Array.isArray(value)) return 'Encoding must be a list';
    if (value.length !== 128) return 'Encoding must be exactly 128 dimensions';
    if (!value.every((v) => typeof v === 'number' && Number.isFinite(v))) return 'Encoding values must be numeric';
    if (value.some((v) => Math.abs(v as number) > 10)) return 'Encoding values appear invalid (out of expected range)';
    return null;
  };

  const imageError = (value: unknown): string | null => {
    if (typeof value !== 'string') return 'Image data must be a valid base64 data URL';
    const m = /^data:image\/(jpeg|jpg|png|webp);base64,(.+)$/s.exec(value);
    if (!m) return 'Image data must be a valid base64 data URL';
    const bytes = Buffer.from(m[2], 'base64');
    if (bytes.length > 10 * 1024 * 1024) return 'Image too large (max 10MB)';
    const isJpeg = bytes[0] === 0xff && bytes[1] === 0xd8;
    const isPng = bytes.subarray(0, 4).toString('hex') === '89504e47';
    const isWebp = bytes.subarray(0, 4).toString('ascii') === 'RIFF' && bytes.subarray(8, 12).toString('ascii') === 'WEBP';
    if (!isJpeg && !isPng && !isWebp) return 'Invalid image data';
    return null;
  };

  // Parsed active faces per hotel, reused while the faces table is unchanged (a cheap fingerprint
  // query), so a bench with hundreds of faces measures the kiosk, not JSON.parse in the double.
  const facesFingerprint = db.prepare<[number], { n: number; maxId: number | null; maxUpdated: number | null; active: number | null }>(
    'SELECT COUNT(*) AS n, MAX(id) AS maxId, MAX(updated_at) AS maxUpdated, SUM(id * is_active) AS active FROM faces WHERE hotel_id = ?',
  );
  const faceCache = new Map<number, { key: string; faces: { staffId: number; vector: Float64Array | null }[] }>();
  const activeFaceVectors = (hotelId: number): { staffId: number; vector: Float64Array | null }[] => {
    const f = facesFingerprint.get(hotelId)!;
    const key = `${f.n}|${f.maxId}|${f.maxUpdated}|${f.active}`;
    const cached = faceCache.get(hotelId);
    if (cached && cached.key === key) return cached.faces;
    const faces = q.activeFaces.all(hotelId).map((face) => {
      const stored = JSON.parse(face.encoding) as unknown;
      const ok = Array.isArray(stored) && stored.length === 128;
      return { staffId: face.staff_id, vector: ok ? Float64Array.from(stored as number[]) : null };
    });
    faceCache.set(hotelId, { key, faces });
    return faces;
  };

  /** `find_best_face_match(probe, active faces of the hotel, 0.6)` (§3.2). */
  const bestMatch = (hotelId: number, probe: number[]): { staff: StaffRow | null; distance: number } => {
    let bestStaff: number | null = null;
    let bestDistance = Number.POSITIVE_INFINITY;
    if (probe.length !== 128) return { staff: null, distance: bestDistance };
    for (const face of activeFaceVectors(hotelId)) {
      const stored = face.vector;
      if (!stored) continue; // a stored encoding of the wrong length is skipped, as the backend does
      let sum = 0;
      for (let i = 0; i < 128; i += 1) {
        const diff = stored[i] - probe[i];
        sum += diff * diff;
      }
      const d = Math.sqrt(sum);
      if (d < bestDistance) {
        bestDistance = d;
        bestStaff = face.staffId;
      }
    }
    if (bestStaff !== null && bestDistance <= MATCH_THRESHOLD) return { staff: q.staffById.get(bestStaff)!, distance: bestDistance };
    return { staff: null, distance: bestDistance };
  };

  /**
   * Matches or answers: 500 when the hotel has no usable face (the `Infinity` in the JSON breaks
   * DRF's renderer), 404 otherwise (with or without `message`, as each view does).
   */
  const matchOr404 = (hotel: HotelRow, probe: number[], withMessage: boolean): Ok<{ staff: StaffRow; distance: number }> | Fail => {
    const match = bestMatch(hotel.id, probe);
    if (!Number.isFinite(match.distance)) return { ok: false, response: { status: 500, html: SERVER_ERROR_HTML } };
    if (!match.staff) {
      const body: Record<string, unknown> = { error: 'Face not recognized', confidence_score: match.distance };
      if (withMessage) body.message = 'No matching face found or confidence too low';
      return { ok: false, response: json(404, body) };
    }
    return { ok: true, value: { staff: match.staff, distance: match.distance } };
  };

  /** `find_matching_shift_for_datetime` (§3.5): today/yesterday UTC, inclusive, no grace, earliest then shortest. */
  const matchingShift = (hotelId: number, staffId: number): RosterRow | null => {
    const t = nowMs();
    const day = utcDate(t);
    const rows = q.candidateShifts.all(hotelId, staffId, day, addDays(day, -1));
    const hits = rows
      .map((r) => {
        const start = utcMs(r.shift_date, r.shift_start!);
        let end = utcMs(r.shift_date, r.shift_end!);
        if (r.shift_end! < r.shift_start!) end += 86_400_000;
        return { r, start, end };
      })
      .filter((c) => c.start <= t && t <= c.end)
      .sort((a, b) => a.start - b.start || a.end - a.start - (b.end - b.start));
    return hits[0]?.r ?? null;
  };

  const setDuty = (s: StaffRow, status: StaffRow['duty_status'], isOnDuty: boolean | null): StaffRow => {
    const isOnDutyValue = isOnDuty === null ? s.is_on_duty : isOnDuty ? 1 : 0;
    db.prepare('UPDATE staff SET duty_status = ?, is_on_duty = ? WHERE id = ?').run(status, isOnDutyValue, s.id);
    return q.staffById.get(s.id)!;
  };

  const insertLog = (fields: Partial<ClockLogRow> & { hotel_id: number; staff_id: number; time_in: number }): ClockLogRow => {
    const keys = Object.keys(fields);
    const info = db
      .prepare(`INSERT INTO clock_logs (${keys.join(', ')}) VALUES (${keys.map((k) => `@${k}`).join(', ')})`)
      .run(fields);
    return q.log.get(Number(info.lastInsertRowid))!;
  };

  const audit = (hotelId: number, staffId: number, action: string, performedBy: number | null, reason: string, consent: boolean, request: BackendRequest): void => {
    db.prepare(
      'INSERT INTO face_audit (hotel_id, staff_id, action, performed_by, reason, consent_given, client_ip, user_agent, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(hotelId, staffId, action, performedBy, reason, consent ? 1 : 0, request.clientIp, request.userAgent, nowMs());
  };

  const endpointPrefix = (slug: string): string => `/api/staff/hotel/${slug}/attendance/face-management`;

  // ------------------------------------------------------------ handlers

  type Handler = (request: BackendRequest, params: Record<string, string>, pusher: PusherEmit[]) => BackendResponse;

  const login: Handler = (request) => {
    const body = record(request.body);
    const errors: Record<string, string[]> = {};
    if (typeof body.username !== 'string' || body.username === '') errors.username = ['This field is required.'];
    if (typeof body.password !== 'string' || body.password === '') errors.password = ['This field is required.'];
    if (Object.keys(errors).length > 0) return json(400, errors);
    const s = q.staffByUsername.get(body.username as string);
    if (!s || s.password !== body.password) return error(401, 'Invalid username or password');
    const hotel = q.hotelById.get(s.hotel_id)!;
    const dept = departmentOf(s);
    const role = s.role_id ? q.role.get(s.role_id) : undefined;
    return json(200, {
      staff_id: s.id,
      username: s.username,
      token: s.token,
      hotel_id: hotel.id,
      hotel_name: hotel.name,
      hotel: { id: hotel.id, name: hotel.name, slug: hotel.slug },
      is_staff: s.access_level !== 'regular_staff',
      is_superuser: false,
      hotel_slug: hotel.slug,
      access_level: s.access_level,
      tier: s.access_level,
      department_slug: dept?.slug ?? null,
      role_slug: role?.slug ?? null,
      allowed_navs: ['home', 'attendance'],
      navigation_items: [],
      allowed_capabilities: [...capabilitiesOf(s)].sort(),
      rbac: {},
      isAdmin: s.access_level === 'super_staff_admin',
      profile_image_url: s.profile_image_url,
      role: role?.name ?? null,
      department: dept?.name ?? null,
      can_edit_self_profile: true,
    });
  };

  const faceConfig: Handler = (_request, params) => {
    const hotel = q.hotelBySlug.get(params.slug);
    if (!hotel) return detail(404, 'Not found.');
    return json(200, {
      hotel_slug: hotel.slug,
      face_recognition_config: {
        face_attendance_enabled: hotel.face_attendance_enabled === 1,
        face_attendance_min_confidence: hotel.face_attendance_min_confidence,
        require_face_consent: hotel.require_face_consent === 1,
        allow_face_self_registration: hotel.allow_face_self_registration === 1,
        face_data_retention_days: hotel.face_data_retention_days,
        face_attendance_departments: JSON.parse(hotel.face_attendance_departments) as number[],
      },
    });
  };

  const faceClockIn: Handler = (request, params, pusher) => {
    const gate = attendanceGate(request, params.slug, 'attendance.clock.in_out');
    if (!gate.ok) return gate.response;
    const { staff: caller, hotel } = gate.value;
    const faceDenied = faceGate(caller, hotel);
    if (faceDenied) return faceDenied.response;

    // FaceClockInSerializer; unknown keys ignored.
    const body = record(request.body);
    const details: Record<string, string[]> = {};
    if (body.encoding === undefined) details.encoding = ['This field is required.'];
    else {
      const e = encodingError(body.encoding);
      if (e) details.encoding = [e];
    }
    if (body.image !== undefined && body.image !== null && body.image !== '') {
      const e = imageError(body.image);
      if (e) details.image = [e];
    }
    if (body.location_note !== undefined && body.location_note !== null) {
      if (typeof body.location_note !== 'string') details.location_note = ['Not a valid string.'];
      else if (body.location_note.length > 255) details.location_note = ['Ensure this field has no more than 255 characters.'];
    }
    const kiosk = parseBoolean(body.is_kiosk_mode);
    if (kiosk === 'invalid') details.is_kiosk_mode = ['Must be a valid boolean.'];
    const actions = ['clock_in', 'clock_out', 'start_break', 'end_break', 'resume_shift'];
    if (body.force_action !== undefined && body.force_action !== null && !actions.includes(String(body.force_action))) {
      details.force_action = [`"${String(body.force_action)}" is not a valid choice.`];
    }
    if (Object.keys(details).length > 0) return error(400, 'Validation failed', { details });

    const matched = matchOr404(hotel, body.encoding as number[], true);
    if (!matched.ok) return matched.response;
    const { staff: person, distance } = matched.value;
    const t = nowMs();

    const open = openLogToday(hotel.id, person.id);
    if (open) {
      // B: options, nothing written.
      const durationHours = round((t - open.time_in) / 3_600_000, 2);
      const onBreak = open.is_on_break === 1;
      const currentBreak = onBreak && open.break_start !== null ? Math.round((t - open.break_start) / 60_000) : 0;
      const prefix = endpointPrefix(hotel.slug);
      const available = onBreak
        ? [
            {
              action: 'resume_shift',
              label: 'Resume Shift',
              description: `End break and resume working (${currentBreak.toFixed(1)}min break)`,
              endpoint: `${prefix}/toggle-break/`,
              primary: true,
            },
          ]
        : [
            { action: 'clock_out', label: 'Clock Out', description: `End shift (${durationHours.toFixed(1)}h worked)`, endpoint: `${prefix}/confirm-clock-out/`, primary: true },
            { action: 'start_break', label: 'Start Break', description: 'Take a break', endpoint: `${prefix}/toggle-break/`, primary: false },
          ];
      return json(200, {
        action: 'clock_out_options',
        message: `${fullName(person)} - Choose action`,
        staff: faceStaff(person, true),
        session_info: {
          duration_hours: durationHours,
          clock_in_time: pyIso(open.time_in),
          is_on_break: onBreak,
          current_break_minutes: currentBreak,
          total_break_minutes: open.total_break_minutes,
        },
        kiosk_action: open.is_kiosk_mode === 1 ? 'show_options_then_refresh' : 'show_options_stay_logged_in',
        available_actions: available,
        confidence_score: distance,
      });
    }

    const shift = matchingShift(hotel.id, person.id);
    if (!shift) {
      // C: unrostered prompt, nothing written; note the missing `/api` and the missing `image`.
      return json(200, {
        action: 'unrostered_detected',
        message: `No scheduled shift found for ${fullName(person)}. Confirm to clock in anyway.`,
        staff: faceStaff(person, false),
        requires_confirmation: true,
        confidence_score: distance,
        confirmation_endpoint: `/staff/hotel/${hotel.slug}/attendance/face-management/force-clock-in/`,
      });
    }

    // A: rostered clock-in.
    const isKiosk = kiosk === true;
    const log = insertLog({
      hotel_id: hotel.id,
      staff_id: person.id,
      time_in: t,
      verified_by_face: 1,
      location_note: typeof body.location_note === 'string' ? body.location_note : null,
      roster_shift_id: shift.id,
      is_unrostered: 0,
      is_approved: 1,
      is_kiosk_mode: isKiosk ? 1 : 0,
    });
    const updated = setDuty(person, 'on_duty', true);
    pusher.push(clockStatusEvent(updated, 'clock_in'));
    const shiftDept = (shift.department_id ? q.department.get(shift.department_id)?.name : undefined) ?? departmentOf(person)?.name ?? NO_DEPARTMENT;
    return json(201, {
      action: 'clock_in_success',
      message: `${fullName(person)} clocked in successfully!`,
      staff: faceStaff(updated, true),
      is_rostered: true,
      shift_info: {
        id: shift.id,
        date: shift.shift_date,
        start_time: shift.shift_start!.slice(0, 5),
        end_time: shift.shift_end!.slice(0, 5),
        department: shiftDept,
      },
      confidence_score: distance,
      kiosk_action: isKiosk ? 'refresh_for_next_person' : 'stay_logged_in',
      clock_log: clockLogJson(log),
    });
  };

  /** Shared prologue of the three function views: gates, the loose `len == 128` check, the match. */
  const functionViewPrologue = (
    request: BackendRequest,
    params: Record<string, string>,
    capability: string,
    withMessage: boolean,
  ): Ok<{ hotel: HotelRow; person: StaffRow; distance: number; body: Record<string, unknown> }> | Fail => {
    const gate = attendanceGate(request, params.slug, capability);
    if (!gate.ok) return gate;
    const faceDenied = faceGate(gate.value.staff, gate.value.hotel);
    if (faceDenied) return faceDenied;
    const body = record(request.body);
    if (!Array.isArray(body.encoding) || body.encoding.length !== 128) {
      return { ok: false, response: error(400, 'A 128-length descriptor array is required.') };
    }
    const probe = (body.encoding as unknown[]).map((v) => (typeof v === 'number' ? v : Number(v)));
    const matched = matchOr404(gate.value.hotel, probe, withMessage);
    if (!matched.ok) return matched;
    return { ok: true, value: { hotel: gate.value.hotel, person: matched.value.staff, distance: matched.value.distance, body } };
  };

  const forceClockIn: Handler = (request, params, pusher) => {
    const pre = functionViewPrologue(request, params, 'attendance.clock.in_out', true);
    if (!pre.ok) return pre.response;
    const { hotel, person, distance, body } = pre.value;
    const open = openLogToday(hotel.id, person.id);
    if (open) {
      return error(400, 'Staff already clocked in', { message: `${person.first_name} is already clocked in since ${pyStr(open.time_in)}` });
    }
    const reason = typeof body.reason === 'string' && body.reason !== '' ? body.reason : 'Unrostered clock-in confirmed by staff';
    const log = insertLog({
      hotel_id: hotel.id,
      staff_id: person.id,
      time_in: nowMs(),
      verified_by_face: 1,
      location_note: typeof body.location_note === 'string' ? body.location_note : null,
      roster_shift_id: null,
      is_unrostered: 1,
      is_approved: 0,
      is_rejected: 0,
      is_kiosk_mode: 0,
    });
    const face = q.faceByStaff.get(person.id);
    audit(hotel.id, person.id, 'FORCED_CLOCK_IN', person.id, reason, face ? face.consent_given === 1 : true, request);
    const updated = setDuty(person, 'on_duty', true);
    pusher.push(clockStatusEvent(updated, 'clock_in'));
    pusher.push(unrosteredRequestEvent(updated, log));
    return json(201, {
      action: 'unrostered_clock_in',
      message: `${fullName(person)} clocked in (unrostered - requires approval)`,
      staff: faceStaff(updated, true),
      is_rostered: false,
      requires_approval: true,
      confidence_score: distance,
      clock_log: clockLogJson(log),
    });
  };

  const confirmClockOut: Handler = (request, params) => {
    const pre = functionViewPrologue(request, params, 'attendance.clock.in_out', false);
    if (!pre.ok) return pre.response;
    const { hotel, person, distance } = pre.value;
    const open = openLogToday(hotel.id, person.id);
    if (!open) return error(400, 'No active clock-in found');
    const t = nowMs();
    let total = open.total_break_minutes;
    let breakEnd = open.break_end;
    if (open.is_on_break === 1 && open.break_start !== null) {
      total += Math.trunc((t - open.break_start) / 60_000);
      breakEnd = t;
    }
    const hours = round((t - open.time_in) / 3_600_000, 2);
    db.prepare(
      'UPDATE clock_logs SET is_on_break = 0, total_break_minutes = ?, break_end = ?, time_out = ?, hours_worked = ? WHERE id = ?',
    ).run(total, breakEnd, t, hours.toFixed(2), open.id);
    const updated = setDuty(person, 'off_duty', false);
    // The routed view sends NO Pusher event (§3.7).
    const log = q.log.get(open.id)!;
    return json(200, {
      action: 'clock_out_success',
      message: `${fullName(person)} clocked out successfully!`,
      staff: faceStaff(updated, true),
      session_summary: {
        duration_hours: hours,
        total_break_minutes: total,
        clock_in_time: pyIso(log.time_in),
        clock_out_time: pyIso(t),
      },
      confidence_score: distance,
      clock_log: clockLogJson(log),
    });
  };

  const toggleBreak: Handler = (request, params, pusher) => {
    const pre = functionViewPrologue(request, params, 'attendance.break.toggle', false);
    if (!pre.ok) return pre.response;
    const { hotel, person, distance } = pre.value;
    const open = openLogToday(hotel.id, person.id);
    if (!open) return error(400, 'No active clock-in found');
    const t = nowMs();
    if (open.is_on_break === 1) {
      const minutes = open.break_start === null ? 0 : Math.trunc((t - open.break_start) / 60_000);
      const total = open.total_break_minutes + minutes;
      db.prepare('UPDATE clock_logs SET is_on_break = 0, break_end = ?, total_break_minutes = ? WHERE id = ?').run(t, total, open.id);
      const updated = setDuty(person, 'on_duty', null);
      pusher.push(clockStatusEvent(updated, 'end_break'));
      return json(200, {
        action: 'break_ended',
        message: `${fullName(person)} ended break`,
        staff: faceStaff(updated, true),
        break_info: { is_on_break: false, break_duration_minutes: minutes, total_break_minutes: total },
        confidence_score: distance,
      });
    }
    db.prepare('UPDATE clock_logs SET is_on_break = 1, break_start = ? WHERE id = ?').run(t, open.id);
    const updated = setDuty(person, 'on_break', null);
    pusher.push(clockStatusEvent(updated, 'start_break'));
    return json(200, {
      action: 'break_started',
      message: `${fullName(person)} started break`,
      staff: faceStaff(updated, true),
      break_info: { is_on_break: true, break_start_time: pyIso(t), total_break_minutes: open.total_break_minutes },
      confidence_score: distance,
    });
  };

  const registerFace: Handler = (request, params) => {
    const gate = attendanceGate(request, params.slug, 'attendance.face.register_self');
    if (!gate.ok) return gate.response;
    const { staff: caller, hotel } = gate.value;
    const faceDenied = faceGate(caller, hotel);
    if (faceDenied) return faceDenied.response;
    const body = record(request.body);
    let targetId = caller.id;
    if (body.staff_id !== undefined && body.staff_id !== null) {
      targetId = Number(body.staff_id);
      if (targetId !== caller.id && !capabilitiesOf(caller).has('attendance.face.register_other')) {
        return error(403, 'You can only register your own face.');
      }
    }
    const details: Record<string, string[]> = {};
    if (body.image === undefined || body.image === null || body.image === '') details.image = ['This field is required.'];
    else {
      const e = imageError(body.image);
      if (e) details.image = [e];
    }
    if (body.encoding === undefined) details.encoding = ['This field is required.'];
    else {
      const e = encodingError(body.encoding);
      if (e) details.encoding = [e];
    }
    const target = Number.isInteger(targetId) ? q.staffById.get(targetId) : undefined;
    if (!target || target.hotel_id !== hotel.id) details.non_field_errors = ['Invalid staff ID for this hotel'];
    if (Object.keys(details).length > 0) return error(400, 'Validation failed', { details });

    const t = nowMs();
    const publicId = `staff_faces/${randomBytes(10).toString('hex')}`;
    const imageUrl = `${request.origin}/media/cloudinary/image/upload/v${Math.floor(t / 1000)}/${publicId}.jpg`;
    db.prepare('DELETE FROM faces WHERE staff_id = ?').run(target!.id);
    const info = db
      .prepare(
        'INSERT INTO faces (hotel_id, staff_id, encoding, image_url, public_id, consent_given, registered_by, is_active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)',
      )
      .run(hotel.id, target!.id, JSON.stringify(body.encoding), imageUrl, publicId, body.consent_given === false ? 0 : 1, caller.id, t, t);
    db.prepare('UPDATE staff SET has_registered_face = 1 WHERE id = ?').run(target!.id);
    audit(hotel.id, target!.id, 'REGISTERED', caller.id, '', body.consent_given !== false, request);
    const face = db.prepare<[number], FaceRow>('SELECT * FROM faces WHERE id = ?').get(Number(info.lastInsertRowid))!;
    return json(201, { message: 'Face registered successfully', face_data: faceDataJson(face, true) });
  };

  const revokeFace: Handler = (request, params) => {
    const gate = attendanceGate(request, params.slug, 'attendance.face.revoke');
    if (!gate.ok) return gate.response;
    const { staff: caller, hotel } = gate.value;
    const body = record(request.body);
    const targetId = body.staff_id === undefined || body.staff_id === null ? caller.id : Number(body.staff_id);
    const target = q.staffById.get(targetId);
    const face = target && target.hotel_id === hotel.id ? q.faceByStaff.get(target.id) : undefined;
    if (!target || target.hotel_id !== hotel.id) {
      return error(400, 'Validation failed', { details: { non_field_errors: ['Invalid staff ID for this hotel'] } });
    }
    if (!face || face.is_active !== 1) {
      return error(400, 'Validation failed', { details: { non_field_errors: ['No active face data found for this staff member'] } });
    }
    const t = nowMs();
    db.prepare('UPDATE faces SET is_active = 0, updated_at = ? WHERE id = ?').run(t, face.id);
    db.prepare('UPDATE staff SET has_registered_face = 0 WHERE id = ?').run(target.id);
    audit(hotel.id, target.id, 'REVOKED', caller.id, typeof body.reason === 'string' ? body.reason : '', face.consent_given === 1, request);
    return json(200, { message: 'Face data revoked successfully', staff_id: target.id, staff_name: fullName(target), revoked_at: pyIso(t) });
  };

  const listFaces: Handler = (request, params) => {
    const gate = attendanceGate(request, params.slug, 'attendance.face.read');
    if (!gate.ok) return gate.response;
    const activeOnly = (request.query.get('active_only') ?? 'true').toLowerCase() !== 'false';
    const staffFilter = request.query.get('staff_id');
    let faces = db.prepare<[number], FaceRow>('SELECT * FROM faces WHERE hotel_id = ? ORDER BY created_at DESC, id DESC').all(gate.value.hotel.id);
    if (activeOnly) faces = faces.filter((f) => f.is_active === 1);
    if (staffFilter) faces = faces.filter((f) => String(f.staff_id) === staffFilter);
    return json(200, { count: faces.length, faces: faces.map((f) => faceDataJson(f, false)) });
  };

  const faceStatus: Handler = (request, params) => {
    const gate = attendanceGate(request, params.slug, 'attendance.face.register_self');
    if (!gate.ok) return gate.response;
    const face = q.faceByStaff.get(gate.value.staff.id);
    const active = face && face.is_active === 1 ? face : undefined;
    return json(200, { has_registered_face: gate.value.staff.has_registered_face === 1, face_data: active ? faceDataJson(active, false) : null });
  };

  const auditLogs: Handler = (request, params) => {
    const gate = attendanceGate(request, params.slug, 'attendance.face.audit_read');
    if (!gate.ok) return gate.response;
    const pageRaw = request.query.get('page') ?? '1';
    const sizeRaw = request.query.get('page_size') ?? '50';
    // §8.9: a non-integer page or page_size is an unhandled ValueError -> 500.
    if (!/^-?\d+$/.test(pageRaw) || !/^-?\d+$/.test(sizeRaw)) return { status: 500, html: SERVER_ERROR_HTML };
    const page = Math.max(1, Number(pageRaw));
    const size = Math.min(200, Math.max(1, Number(sizeRaw)));
    let rows = db
      .prepare<[number], { id: number; staff_id: number; action: string; performed_by: number | null; reason: string; consent_given: number; client_ip: string | null; created_at: number }>(
        'SELECT * FROM face_audit WHERE hotel_id = ? ORDER BY created_at DESC, id DESC',
      )
      .all(gate.value.hotel.id);
    const staffFilter = request.query.get('staff_id');
    if (staffFilter) rows = rows.filter((r) => String(r.staff_id) === staffFilter);
    const action = request.query.get('action');
    if (action && ['REGISTERED', 'REVOKED', 'RE_REGISTERED'].includes(action)) rows = rows.filter((r) => r.action === action);
    const start = request.query.get('start_date');
    if (start) rows = rows.filter((r) => utcDate(r.created_at) >= start);
    const end = request.query.get('end_date');
    if (end) rows = rows.filter((r) => utcDate(r.created_at) <= end);
    const slice = rows.slice((page - 1) * size, page * size);
    return json(200, {
      count: rows.length,
      page,
      page_size: size,
      has_next: page * size < rows.length,
      has_previous: page > 1,
      results: slice.map((r) => {
        const s = q.staffById.get(r.staff_id);
        const by = r.performed_by ? q.staffById.get(r.performed_by) : undefined;
        return {
          id: r.id,
          hotel_slug: gate.value.hotel.slug,
          staff: r.staff_id,
          staff_name: s ? fullName(s) : null,
          action: r.action,
          performed_by: r.performed_by,
          performed_by_name: by ? fullName(by) : null,
          reason: r.reason,
          consent_given: r.consent_given === 1,
          client_ip: r.client_ip,
          created_at: drfIso(r.created_at),
        };
      }),
    });
  };

  /** DRF PageNumberPagination: `{count, next, previous, results}` with absolute links. */
  const paginate = <T>(request: BackendRequest, items: T[], defaultSize: number, maxSize: number | null): Ok<Record<string, unknown>> | Fail => {
    let size = defaultSize;
    const sizeRaw = request.query.get('page_size');
    if (maxSize !== null && sizeRaw && /^\d+$/.test(sizeRaw) && Number(sizeRaw) > 0) size = Math.min(maxSize, Number(sizeRaw));
    const pageRaw = request.query.get('page') ?? '1';
    const pages = Math.max(1, Math.ceil(items.length / size));
    const page = pageRaw === 'last' ? pages : Number(pageRaw);
    if (!Number.isInteger(page) || page < 1 || page > pages) return { ok: false, response: detail(404, 'Invalid page.') };
    const link = (p: number): string => {
      const params = new URLSearchParams(request.query);
      if (p === 1) params.delete('page');
      else params.set('page', String(p));
      const qs = params.toString();
      return `${request.origin}${request.pathname}${qs ? `?${qs}` : ''}`;
    };
    return {
      ok: true,
      value: {
        count: items.length,
        next: page < pages ? link(page + 1) : null,
        previous: page > 1 ? link(page - 1) : null,
        results: items.slice((page - 1) * size, page * size),
      },
    };
  };

  const clockLogsList: Handler = (request, params) => {
    const gate = attendanceGate(request, params.slug, 'attendance.log.read_self');
    if (!gate.ok) return gate.response;
    const { staff: caller, hotel } = gate.value;
    const all = capabilitiesOf(caller).has('attendance.log.read_all');
    const rows = all
      ? db.prepare<[number], ClockLogRow>('SELECT * FROM clock_logs WHERE hotel_id = ? ORDER BY time_in DESC, id DESC').all(hotel.id)
      : q.logsOfStaff.all(hotel.id, caller.id);
    const page = paginate(request, rows, 10, null);
    if (!page.ok) return page.response;
    return json(200, { ...page.value, results: (page.value.results as ClockLogRow[]).map(clockLogJson) });
  };

  const clockStatus: Handler = (request, params) => {
    const gate = attendanceGate(request, params.slug, 'attendance.clock.in_out');
    if (!gate.ok) return gate.response;
    const { staff: caller, hotel } = gate.value;
    const day = today();
    const latest = q.logsOfStaff.all(hotel.id, caller.id).find((l) => utcDate(l.time_in) === day);
    if (!latest) return json(200, { status: 'not_clocked_in' });
    if (latest.time_out === null) return json(200, { status: 'clocked_in', since: drfIso(latest.time_in) });
    return json(200, { status: 'clocked_out', last_log: drfIso(latest.time_out) });
  };

  const departmentStatus: Handler = (request, params) => {
    const gate = attendanceGate(request, params.slug, 'attendance.log.read_all');
    if (!gate.ok) return gate.response;
    const { hotel } = gate.value;
    const t = nowMs();
    const day = today();
    const logs = db
      .prepare<[number], ClockLogRow>('SELECT * FROM clock_logs WHERE hotel_id = ? ORDER BY time_in DESC, id DESC')
      .all(hotel.id)
      .filter((l) => utcDate(l.time_in) === day);
    const out: Record<string, { currently_clocked_in: unknown[]; unrostered: unknown[] }> = {};
    const bucket = (s: StaffRow): { currently_clocked_in: unknown[]; unrostered: unknown[] } => {
      const key = departmentOf(s)?.slug ?? 'unassigned';
      out[key] ??= { currently_clocked_in: [], unrostered: [] };
      return out[key];
    };
    const hoursOf = (l: ClockLogRow): number => (l.time_out === null ? round((t - l.time_in) / 3_600_000, 2) : Number(l.hours_worked ?? 0));
    for (const l of logs) {
      const s = q.staffById.get(l.staff_id)!;
      if (l.time_out === null) {
        bucket(s).currently_clocked_in.push({
          staff_id: s.id,
          staff_name: fullName(s),
          clock_in_time: utcHourMinute(l.time_in),
          clock_out_time: null,
          is_on_break: l.is_on_break === 1,
          hours_worked: hoursOf(l),
          is_approved: l.is_approved === 1,
          currently_active: true,
        });
      }
    }
    for (const l of logs) {
      if (l.is_unrostered !== 1 || l.is_approved === 1 || l.is_rejected === 1) continue;
      const s = q.staffById.get(l.staff_id)!;
      bucket(s).unrostered.push({
        log_id: l.id,
        staff_id: s.id,
        staff_name: fullName(s),
        clock_in_time: utcHourMinute(l.time_in),
        clock_out_time: l.time_out === null ? null : utcHourMinute(l.time_out),
        hours_worked: hoursOf(l),
        is_unrostered: true,
        needs_approval: true,
        is_approved: false,
        currently_active: l.time_out === null,
      });
    }
    return json(200, out);
  };

  /** `currently-clocked-in/` and `department-logs/`: TypeError on dispatch, after auth and permissions. */
  const brokenClockLogAction: Handler = (request, params) => {
    const gate = attendanceGate(request, params.slug, 'attendance.log.read_all');
    if (!gate.ok) return gate.response;
    return { status: 500, html: SERVER_ERROR_HTML };
  };

  const shifts: Handler = (request, params) => {
    const gate = attendanceGate(request, params.slug, 'attendance.shift.read');
    if (!gate.ok) return gate.response;
    let rows = db
      .prepare<[number], RosterRow>('SELECT * FROM rosters WHERE hotel_id = ? ORDER BY shift_date, shift_start, id')
      .all(gate.value.hotel.id);
    const start = request.query.get('start');
    const end = request.query.get('end');
    if (start && end) rows = rows.filter((r) => r.shift_date >= start && r.shift_date <= end);
    const staffFilter = request.query.get('staff') ?? request.query.get('staff_id');
    if (staffFilter) rows = rows.filter((r) => String(r.staff_id) === staffFilter);
    const dept = request.query.get('department');
    if (dept) {
      rows = rows.filter((r) => {
        const rosterDept = r.department_id ? q.department.get(r.department_id)?.slug : undefined;
        const s = q.staffById.get(r.staff_id);
        const staffDept = s ? departmentOf(s)?.slug : undefined;
        return rosterDept === dept && staffDept === dept;
      });
    }
    return json(200, rows.map(rosterJson));
  };

  const staffGate = (request: BackendRequest, slug: string): Ok<{ staff: StaffRow; hotel: HotelRow }> | Fail => {
    const user = requireUser(request);
    if (!user.ok) return user;
    for (const cap of ['staff_management.module.view', 'staff_management.staff.read']) {
      const denied = lacks(user.value, cap);
      if (denied) return denied;
    }
    const hotel = q.hotelById.get(user.value.hotel_id)!;
    if (hotel.slug !== slug) return { ok: false, response: detail(403, 'You can only access resources from your hotel.') };
    return { ok: true, value: { staff: user.value, hotel } };
  };

  const staffList: Handler = (request, params) => {
    const gate = staffGate(request, params.slug);
    if (!gate.ok) return gate.response;
    let rows = db.prepare<[number], StaffRow>('SELECT * FROM staff WHERE hotel_id = ? ORDER BY id').all(gate.value.hotel.id);
    const dept = request.query.get('department__slug');
    if (dept) rows = rows.filter((s) => departmentOf(s)?.slug === dept);
    const role = request.query.get('role__slug');
    if (role) rows = rows.filter((s) => (s.role_id ? q.role.get(s.role_id)?.slug : undefined) === role);
    const search = request.query.get('search')?.toLowerCase();
    if (search) rows = rows.filter((s) => `${s.username} ${s.first_name} ${s.last_name}`.toLowerCase().includes(search));
    const page = paginate(request, rows, 20, 100);
    if (!page.ok) return page.response;
    return json(200, { ...page.value, results: (page.value.results as StaffRow[]).map(staffJson) });
  };

  const staffDetail: Handler = (request, params) => {
    const gate = staffGate(request, params.slug);
    if (!gate.ok) return gate.response;
    const s = q.staffById.get(Number(params.id));
    if (!s || s.hotel_id !== gate.value.hotel.id) return detail(404, 'No Staff matches the given query.');
    return json(200, staffJson(s));
  };

  // ------------------------------------------------------------ routing

  interface Route {
    pattern: RegExp;
    methods: Record<string, Handler>;
    /** Authenticated routes answer 401/403 before 405, as DRF runs `initial()` first. */
    gate?: (request: BackendRequest, params: Record<string, string>) => Fail | null;
  }
  const A = '^/api/staff/hotel/(?<slug>[^/]+)/attendance';
  const attendanceAuth = (request: BackendRequest, params: Record<string, string>): Fail | null => {
    const gate = attendanceGate(request, params.slug, 'attendance.module.view');
    return gate.ok ? null : gate;
  };
  const routes: Route[] = [
    { pattern: /^\/api\/staff\/login\/$/, methods: { POST: login } },
    { pattern: /^\/api\/hotels\/(?<slug>[^/]+)\/face-config\/$/, methods: { GET: faceConfig } },
    { pattern: new RegExp(`${A}/face-management/face-clock-in/$`), methods: { POST: faceClockIn }, gate: attendanceAuth },
    { pattern: new RegExp(`${A}/face-management/force-clock-in/$`), methods: { POST: forceClockIn }, gate: attendanceAuth },
    { pattern: new RegExp(`${A}/face-management/confirm-clock-out/$`), methods: { POST: confirmClockOut }, gate: attendanceAuth },
    { pattern: new RegExp(`${A}/face-management/toggle-break/$`), methods: { POST: toggleBreak }, gate: attendanceAuth },
    { pattern: new RegExp(`${A}/face-management/register-face/$`), methods: { POST: registerFace }, gate: attendanceAuth },
    { pattern: new RegExp(`${A}/face-management/revoke-face/$`), methods: { POST: revokeFace }, gate: attendanceAuth },
    { pattern: new RegExp(`${A}/face-management/list-faces/$`), methods: { GET: listFaces }, gate: attendanceAuth },
    { pattern: new RegExp(`${A}/face-management/face-status/$`), methods: { GET: faceStatus }, gate: attendanceAuth },
    { pattern: new RegExp(`${A}/face-management/audit-logs/$`), methods: { GET: auditLogs }, gate: attendanceAuth },
    { pattern: new RegExp(`${A}/clock-logs/$`), methods: { GET: clockLogsList }, gate: attendanceAuth },
    { pattern: new RegExp(`${A}/clock-logs/status/$`), methods: { GET: clockStatus }, gate: attendanceAuth },
    { pattern: new RegExp(`${A}/clock-logs/department-status/$`), methods: { GET: departmentStatus }, gate: attendanceAuth },
    { pattern: new RegExp(`${A}/clock-logs/(currently-clocked-in|department-logs)/$`), methods: { GET: brokenClockLogAction }, gate: attendanceAuth },
    { pattern: new RegExp(`${A}/shifts/$`), methods: { GET: shifts }, gate: attendanceAuth },
    { pattern: /^\/api\/staff\/(?<slug>[^/]+)\/$/, methods: { GET: staffList } },
    { pattern: /^\/api\/staff\/(?<slug>[^/]+)\/(?<id>\d+)\/$/, methods: { GET: staffDetail } },
  ];

  return {
    handle(request) {
      const pusher: PusherEmit[] = [];
      for (const route of routes) {
        const m = route.pattern.exec(request.pathname);
        if (!m) continue;
        const params = { ...(m.groups ?? {}) } as Record<string, string>;
        const handler = route.methods[request.method];
        if (!handler) {
          const denied = route.gate?.(request, params);
          if (denied) return { response: denied.response, pusher };
          return { response: detail(405, `Method "${request.method}" not allowed.`), pusher };
        }
        if (request.invalidJson) return { response: detail(400, 'JSON parse error - Expecting value: line 1 column 1 (char 0)'), pusher };
        const response = db.transaction(() => handler(request, params, pusher))();
        return { response, pusher };
      }
      return { response: { status: 404, html: NOT_FOUND_HTML }, pusher };
    },
  };
}

function parseBoolean(value: unknown): boolean | null | 'invalid' {
  if (value === undefined || value === null) return null;
  if (value === true || value === 'true' || value === 'True' || value === 1 || value === '1') return true;
  if (value === false || value === 'false' || value === 'False' || value === 0 || value === '0') return false;
  return 'invalid';
}
