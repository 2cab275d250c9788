/**
 * Pure mappers from HotelMate's wire shapes to the kiosk's domain types, in one place because the
 * backend has three status vocabularies, two department spellings and UTC-only times (§8.6-8.7).
 */
import type { BoardEntry, DutyStatus, OnDutyBoard, ShiftSummary, StaffSummary } from '../../shared/domain/types';
import type { DepartmentStatusResponse, FaceClockInResponse, FaceStaff, MyStatusResponse, Staff, StaffRoster, ToggleBreakResponse } from './schemas';

const DUTY: readonly DutyStatus[] = ['off_duty', 'on_duty', 'on_break'];

/** A staff-list or staff-detail row as the screen shows the person. */
export function staffToSummary(staff: Staff): StaffSummary {
  return {
    id: staff.id,
    name: `${staff.first_name} ${staff.last_name}`.trim() || `Staff ${staff.id}`,
    department: staff.department_detail?.name ?? null,
    photoUrl: staff.profile_image_url ?? null,
  };
}

/** The `staff` block of a face response; "No Department" becomes null. */
export function faceStaffToSummary(staff: FaceStaff): StaffSummary {
  const department = staff.department && staff.department !== 'No Department' ? staff.department : null;
  return { id: staff.id, name: staff.name, department, photoUrl: staff.image ?? null };
}

/** `HH:MM:SS` -> `HH:MM`. */
function hhmm(time: string): string {
  return time.slice(0, 5);
}

/**
 * A roster row as a shift for the screen; null when the row has no start or end time (the backend
 * skips those when matching). Times stay as stored: HotelMate compares them as UTC (§3.5).
 */
export function rosterToShift(roster: StaffRoster): ShiftSummary | null {
  if (!roster.shift_start || !roster.shift_end) return null;
  return {
    id: roster.id,
    date: roster.shift_date,
    start: hhmm(roster.shift_start),
    end: hhmm(roster.shift_end),
    department: roster.department_name ?? roster.department ?? null,
    location: roster.location?.name ?? null,
  };
}

/**
 * Any of the backend's status spellings -> DutyStatus: a `duty_status` string, a `current_status`
 * object, or a `clock-logs/status/` value (`clocked_in` maps to on_duty: that endpoint cannot tell a break).
 * Returns null for anything else.
 */
export function toDutyStatus(value: unknown): DutyStatus | null {
  if (typeof value === 'string') {
    if ((DUTY as readonly string[]).includes(value)) return value as DutyStatus;
    if (value === 'clocked_in') return 'on_duty';
    if (value === 'not_clocked_in' || value === 'clocked_out') return 'off_duty';
    return null;
  }
  if (value && typeof value === 'object' && 'status' in value) return toDutyStatus((value as { status: unknown }).status);
  return null;
}

/** A staff row's status, preferring `current_status` (it carries the break start) over `duty_status`. */
export function staffDutyStatus(staff: Staff): { status: DutyStatus; breakStartedAt: string | null } {
  const status = toDutyStatus(staff.current_status) ?? staff.duty_status;
  const breakStartedAt = status === 'on_break' ? (staff.current_status?.break_start ?? null) : null;
  return { status, breakStartedAt };
}

/** The caller's own status from `clock-logs/status/`. */
export function myStatusToDuty(status: MyStatusResponse): DutyStatus {
  return status.status === 'clocked_in' ? 'on_duty' : 'off_duty';
}

/**
 * What a face-clock-in answer says about the person's status on the server right now:
 * clock_in_success -> on_duty; clock_out_options -> on_duty or on_break (from `session_info`);
 * unrostered_detected -> off_duty (no open session today, UTC).
 */
export function dispatchStatus(response: FaceClockInResponse): { staffId: number; status: DutyStatus; breakStartedAt: string | null } {
  switch (response.action) {
    case 'clock_in_success':
      return { staffId: response.staff.id, status: 'on_duty', breakStartedAt: null };
    case 'clock_out_options':
      return {
        staffId: response.staff.id,
        status: response.session_info.is_on_break ? 'on_break' : 'on_duty',
        breakStartedAt: null,
      };
    case 'unrostered_detected':
      return { staffId: response.staff.id, status: 'off_duty', breakStartedAt: null };
  }
}

/** The status after a toggle-break answer. */
export function toggleStatus(response: ToggleBreakResponse): { staffId: number; status: DutyStatus; breakStartedAt: string | null } {
  return response.action === 'break_started'
    ? { staffId: response.staff.id, status: 'on_break', breakStartedAt: response.break_info.break_start_time }
    : { staffId: response.staff.id, status: 'on_duty', breakStartedAt: null };
}

export interface BoardOptions {
  /** The UTC date (YYYY-MM-DD) the response was read on: department-status `HH:MM` values are UTC today. */
  utcDate: string;
  /** Department slug -> display name (from the staff list); unknown slugs are title-cased. */
  departmentNames?: Record<string, string>;
  updatedAt: string | null;
}

function titleCase(slug: string): string {
  return slug
    .split(/[-_]/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join(' ');
}

/**
 * `clock-logs/department-status/` -> the on-duty board. Unrostered entries also appear in
 * `currently_clocked_in`, so each person is listed once; closed unrostered logs are left out.
 * `since` is the UTC clock-in time as ISO (minute precision).
 */
export function departmentStatusToBoard(response: DepartmentStatusResponse, options: BoardOptions): OnDutyBoard {
  const departments: OnDutyBoard['departments'] = [];
  for (const [slug, group] of Object.entries(response)) {
    const seen = new Set<number>();
    const entries: BoardEntry[] = [];
    const add = (staffId: number, name: string, onBreak: boolean, clockIn: string): void => {
      if (seen.has(staffId)) return;
      seen.add(staffId);
      const since = /^\d{2}:\d{2}$/.test(clockIn) ? `${options.utcDate}T${clockIn}:00.000Z` : null;
      entries.push({ staffId, name, status: onBreak ? 'on_break' : 'on_duty', since });
    };
    for (const e of group.currently_clocked_in) add(e.staff_id, e.staff_name, e.is_on_break === true, e.clock_in_time);
    for (const e of group.unrostered) {
      if (e.clock_out_time) continue;
      add(e.staff_id, e.staff_name, e.is_on_break === true, e.clock_in_time);
    }
    if (entries.length === 0) continue;
    entries.sort((a, b) => a.name.localeCompare(b.name));
    const name = slug === 'unassigned' ? 'Unassigned' : (options.departmentNames?.[slug] ?? titleCase(slug));
    departments.push({ name, entries });
  }
  departments.sort((a, b) => a.name.localeCompare(b.name));
  return { departments, updatedAt: options.updatedAt };
}
