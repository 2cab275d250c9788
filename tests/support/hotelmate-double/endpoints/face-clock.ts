/**
 * The face clock family (§3.4-§3.8): the three-way face-clock-in dispatcher and the three function
 * views a kiosk follows up with (face-follow-ups.ts). face-clock-in identifies the person only by
 * the posted encoding (any registered person of the hotel, whoever the caller is) and then either
 * writes a rostered clock-in (201, even when the caller only meant to check the state), offers the
 * open session's options (200, writes nothing) or asks to confirm an unrostered clock-in (200,
 * writes nothing). "Open" means a log with no time_out that started today (UTC). No endpoint
 * takes a client time.
 */
import { pyIso, round } from '../format';
import { encodingError, imageError, matchingShift, type FaceMatch } from '../matching';
import type { Caller } from '../permissions';
import { attendanceRoute, error, faceManagementPath, json, parseBoolean, record, type BackendResponse, type Fail, type Handler, type Ok } from '../protocol';
import type { PusherEmit } from '../pusher';
import { NO_DEPARTMENT } from '../serializers';
import type { ClockLogRow, RosterRow } from '../store';
import { confirmClockOut, forceClockIn, toggleBreak } from './face-follow-ups';
import type { EndpointDeps, EndpointFamily } from './family';

const FORCE_ACTIONS = ['clock_in', 'clock_out', 'start_break', 'end_break', 'resume_shift'];

export const faceClockEndpoints: EndpointFamily = {
  name: 'face clock',
  routes: (deps) => [
    attendanceRoute('/face-management/face-clock-in/', { POST: faceClockIn(deps) }),
    attendanceRoute('/face-management/force-clock-in/', { POST: forceClockIn(deps) }),
    attendanceRoute('/face-management/confirm-clock-out/', { POST: confirmClockOut(deps) }),
    attendanceRoute('/face-management/toggle-break/', { POST: toggleBreak(deps) }),
  ],
};

interface ClockInBody {
  encoding: number[];
  locationNote: string | null;
  isKioskMode: boolean;
}

/** §3.4's processing order: auth, permissions, the face gate, the serializer, the match, then the dispatch. */
function faceClockIn(deps: EndpointDeps): Handler {
  return (request, params, pusher) => {
    const gate = deps.gates.attendance(request, params.slug, 'attendance.clock.in_out');
    if (!gate.ok) return gate.response;
    const faceDenied = deps.gates.face(gate.value);
    if (faceDenied) return faceDenied.response;
    const body = parseClockInBody(request.body);
    if (!body.ok) return body.response;
    const matched = deps.matcher.matchOr404(gate.value.hotel, body.value.encoding, true);
    if (!matched.ok) return matched.response;
    const open = deps.model.openLogToday(gate.value.hotel.id, matched.value.staff.id);
    if (open) return sessionOptions(deps, gate.value, matched.value, open);
    const shift = matchingShift(deps.model, gate.value.hotel.id, matched.value.staff.id);
    if (!shift) return unrosteredPrompt(deps, gate.value, matched.value);
    return rosteredClockIn(deps, { caller: gate.value, match: matched.value, body: body.value, shift }, pusher);
  };
}

/** `FaceClockInSerializer`: unknown keys (`timestamp`, `occurred_at`, ...) ignored, `force_action` validated then ignored. */
function parseClockInBody(raw: unknown): Ok<ClockInBody> | Fail {
  const body = record(raw);
  const details: Record<string, string[]> = {};
  const encoding = body.encoding === undefined ? 'This field is required.' : encodingError(body.encoding);
  if (encoding) details.encoding = [encoding];
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
  if (body.force_action !== undefined && body.force_action !== null && !FORCE_ACTIONS.includes(String(body.force_action))) {
    details.force_action = [`"${String(body.force_action)}" is not a valid choice.`];
  }
  if (Object.keys(details).length > 0) return { ok: false, response: error(400, 'Validation failed', { details }) };
  return {
    ok: true,
    value: { encoding: body.encoding as number[], locationNote: typeof body.location_note === 'string' ? body.location_note : null, isKioskMode: kiosk === true },
  };
}

/** B: the person has an open log today (the newest); nothing is written. On a break only `resume_shift` is offered. */
function sessionOptions({ model, serializers }: EndpointDeps, caller: Caller, match: FaceMatch, open: ClockLogRow): BackendResponse {
  const t = model.nowMs();
  const durationHours = round((t - open.time_in) / 3_600_000, 2);
  const onBreak = open.is_on_break === 1;
  const currentBreak = onBreak && open.break_start !== null ? Math.round((t - open.break_start) / 60_000) : 0;
  const prefix = faceManagementPath(caller.hotel.slug);
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
    message: `${model.fullName(match.staff)} - Choose action`,
    staff: serializers.faceStaff(match.staff, true),
    session_info: {
      duration_hours: durationHours,
      clock_in_time: pyIso(open.time_in),
      is_on_break: onBreak,
      current_break_minutes: currentBreak,
      total_break_minutes: open.total_break_minutes,
    },
    // From the STORED log's is_kiosk_mode, not this request's.
    kiosk_action: open.is_kiosk_mode === 1 ? 'show_options_then_refresh' : 'show_options_stay_logged_in',
    available_actions: available,
    confidence_score: match.distance,
  });
}

/** C: no open log and no covering shift; nothing is written. No `staff.image`, no `/api` in the endpoint. */
function unrosteredPrompt({ model, serializers }: EndpointDeps, caller: Caller, match: FaceMatch): BackendResponse {
  return json(200, {
    action: 'unrostered_detected',
    message: `No scheduled shift found for ${model.fullName(match.staff)}. Confirm to clock in anyway.`,
    staff: serializers.faceStaff(match.staff, false),
    requires_confirmation: true,
    confidence_score: match.distance,
    confirmation_endpoint: `/staff/hotel/${caller.hotel.slug}/attendance/face-management/force-clock-in/`,
  });
}

/** A: writes the rostered clock-in for the MATCHED person and reports that person and the new log. */
function rosteredClockIn(
  { model, serializers, pusher: events }: EndpointDeps,
  { caller, match, body, shift }: { caller: Caller; match: FaceMatch; body: ClockInBody; shift: RosterRow },
  pusher: PusherEmit[],
): BackendResponse {
  const person = match.staff;
  const log = model.insertLog({
    hotel_id: caller.hotel.id,
    staff_id: person.id,
    time_in: model.nowMs(),
    verified_by_face: 1,
    location_note: body.locationNote,
    roster_shift_id: shift.id,
    is_unrostered: 0,
    is_approved: 1,
    is_kiosk_mode: body.isKioskMode ? 1 : 0,
  });
  const updated = model.setDuty(person, 'on_duty', true);
  pusher.push(events.clockStatus(updated, 'clock_in'));
  const shiftDepartment = (shift.department_id ? model.department(shift.department_id)?.name : undefined) ?? model.departmentOf(person)?.name ?? NO_DEPARTMENT;
  return json(201, {
    action: 'clock_in_success',
    message: `${model.fullName(person)} clocked in successfully!`,
    staff: serializers.faceStaff(updated, true),
    is_rostered: true,
    shift_info: {
      id: shift.id,
      date: shift.shift_date,
      start_time: shift.shift_start!.slice(0, 5),
      end_time: shift.shift_end!.slice(0, 5),
      department: shiftDepartment,
    },
    confidence_score: match.distance,
    kiosk_action: body.isKioskMode ? 'refresh_for_next_person' : 'stay_logged_in',
    clock_log: serializers.clockLog(log),
  });
}
