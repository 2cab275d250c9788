/**
 * The backend's output shapes, reproduced field by field: `ClockLogSerializer` (§3.11),
 * `StaffSerializer` with `get_current_status()` (§6.1), the StaffFace serializers (§3.9),
 * `StaffRosterSerializer` (§6.3) and the hand-built `staff` object of the face responses.
 */
import type { ClockLogRow, FaceRow, RosterRow, StaffRow } from './store';
import type { Model } from './model';
import { drfIso, pyIso } from './format';

/** Face responses name a missing department this way; `ClockLogSerializer` says `{"name":"N/A"}`. */
export const NO_DEPARTMENT = 'No Department';

const LABELS: Record<StaffRow['duty_status'], string> = { off_duty: 'Off Duty', on_duty: 'On Duty', on_break: 'On Break' };

/** `Staff.get_current_status()` before rendering: `breakStart` is the raw datetime (epoch ms) when present. */
export interface CurrentStatus {
  status: StaffRow['duty_status'];
  label: string;
  is_on_break: boolean;
  /** Present only when on a break with an open log today (UTC). */
  breakStart?: number | null;
  total_break_minutes?: number;
}

export interface Serializers {
  /** `ClockLogSerializer` (§3.11): `Z` datetimes, `hours_worked` a string, department `{"name":"N/A"}` fallback. */
  clockLog(log: ClockLogRow): Record<string, unknown>;
  /** `Staff.get_current_status()` (§6.1): adds `break_start` and `total_break_minutes` only on a break with today's (UTC) open log. */
  currentStatus(staff: StaffRow): CurrentStatus;
  /** `StaffSerializer` (§6.1), `current_status` rendered by DRF (`Z`). */
  staff(staff: StaffRow): Record<string, unknown>;
  /** The face views' `staff` object; `withImage: false` for `unrostered_detected`, which has no `image`. */
  faceStaff(staff: StaffRow, withImage: boolean): Record<string, unknown>;
  /** register-face's hand-built `face_data` (`hand`, `+00:00`) or `StaffFaceEnhancedSerializer` (`Z`). */
  faceData(face: FaceRow, hand: boolean): Record<string, unknown>;
  /** `StaffRosterSerializer` (§6.3): `department` is a slug here. */
  roster(roster: RosterRow): Record<string, unknown>;
}

/** Builds the serializers over the model. */
export function createSerializers(model: Model): Serializers {
  return {
    clockLog: (log) => clockLogJson(model, log),
    currentStatus: (s) => currentStatusOf(model, s),
    staff: (s) => staffJson(model, s),
    faceStaff: (s, withImage) => faceStaffJson(model, s, withImage),
    faceData: (face, hand) => faceDataJson(model, face, hand),
    roster: (r) => rosterJson(model, r),
  };
}

const faceImage = (model: Model, staffId: number): string | null => model.faceOf(staffId)?.image_url ?? null;

function rosterRef(model: Model, roster: RosterRow, s: StaffRow): Record<string, unknown> {
  const rosterDepartment = roster.department_id ? model.department(roster.department_id)?.name : undefined;
  return {
    id: roster.id,
    date: roster.shift_date,
    start: roster.shift_start,
    end: roster.shift_end,
    location: roster.location_name,
    department: rosterDepartment ?? model.departmentOf(s)?.name ?? null,
  };
}

function clockLogJson(model: Model, log: ClockLogRow): Record<string, unknown> {
  const s = model.staff(log.staff_id)!;
  const hotel = model.hotel(log.hotel_id)!;
  const dept = model.departmentOf(s);
  const roster = log.roster_shift_id ? model.roster(log.roster_shift_id) : undefined;
  return {
    id: log.id,
    staff: s.id,
    staff_name: model.fullName(s),
    staff_image: faceImage(model, s.id) ?? s.profile_image_url,
    hotel: hotel.id,
    hotel_slug: hotel.slug,
    time_in: drfIso(log.time_in),
    time_out: log.time_out === null ? null : drfIso(log.time_out),
    verified_by_face: log.verified_by_face === 1,
    location_note: log.location_note,
    auto_clock_out: log.auto_clock_out === 1,
    hours_worked: log.hours_worked,
    department: dept ? { name: dept.name, slug: dept.slug } : { name: 'N/A', slug: null },
    roster_shift: roster ? rosterRef(model, roster, s) : null,
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
}

function currentStatusOf(model: Model, s: StaffRow): CurrentStatus {
  const out: CurrentStatus = { status: s.duty_status, label: LABELS[s.duty_status], is_on_break: s.duty_status === 'on_break' };
  if (s.duty_status !== 'on_break') return out;
  const log = model.openLogToday(s.hotel_id, s.id);
  if (!log) return out;
  return { ...out, breakStart: log.break_start, total_break_minutes: log.total_break_minutes };
}

/** `current_status` as DRF renders it: a datetime becomes `…Z`. */
function renderStatus(status: CurrentStatus): Record<string, unknown> {
  const base = { status: status.status, label: status.label, is_on_break: status.is_on_break };
  if (status.breakStart === undefined) return base;
  return { ...base, break_start: status.breakStart === null ? null : drfIso(status.breakStart), total_break_minutes: status.total_break_minutes };
}

function staffJson(model: Model, s: StaffRow): Record<string, unknown> {
  const hotel = model.hotel(s.hotel_id)!;
  const dept = model.departmentOf(s);
  const role = model.roleOf(s);
  const roleDept = role?.department_id ? model.department(role.department_id) : undefined;
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
    current_status: renderStatus(currentStatusOf(model, s)),
  };
  // `profile_image_url` uses source='profile_image.url' and is missing when there is no image (§6.1).
  if (s.profile_image_url) out.profile_image_url = s.profile_image_url;
  return out;
}

function faceStaffJson(model: Model, s: StaffRow, withImage: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { id: s.id, name: model.fullName(s), department: model.departmentOf(s)?.name ?? NO_DEPARTMENT };
  if (withImage) out.image = faceImage(model, s.id);
  return out;
}

function faceDataJson(model: Model, face: FaceRow, hand: boolean): Record<string, unknown> {
  const s = model.staff(face.staff_id)!;
  const hotel = model.hotel(face.hotel_id)!;
  const registeredBy = face.registered_by ? model.staff(face.registered_by) : undefined;
  const stamp = hand ? pyIso : drfIso;
  const out: Record<string, unknown> = { id: face.id, staff: s.id, staff_name: model.fullName(s), hotel: hotel.id };
  if (hand) out.hotel_slug = hotel.slug;
  Object.assign(out, {
    image_url: face.image_url,
    public_id: face.public_id,
    encoding_length: (JSON.parse(face.encoding) as unknown[]).length,
    is_active: face.is_active === 1,
    consent_given: face.consent_given === 1,
  });
  const byName = registeredBy ? model.fullName(registeredBy) : null;
  if (hand) out.registered_by = byName;
  else out.registered_by_name = byName;
  out.created_at = stamp(face.created_at);
  out.updated_at = stamp(face.updated_at);
  return out;
}

function rosterJson(model: Model, r: RosterRow): Record<string, unknown> {
  const s = model.staff(r.staff_id);
  const dept = r.department_id ? model.department(r.department_id) : undefined;
  return {
    id: r.id,
    hotel: r.hotel_id,
    staff: r.staff_id,
    staff_name: s ? model.fullName(s) : null,
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
}
