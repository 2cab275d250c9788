/**
 * The face clock (§3.4-§3.8): the three-way face-clock-in dispatcher and the three function views
 * a kiosk follows up with. face-clock-in identifies the person only by the posted encoding (any
 * registered person of the hotel, whoever the caller is) and then either writes a rostered
 * clock-in (201, even when the caller only meant to check the state), offers the open session's
 * options (200, writes nothing) or asks to confirm an unrostered clock-in (200, writes nothing).
 * "Open" means a log with no time_out that started today (UTC). No endpoint takes a client time.
 */
import { pyIso, pyStr, round } from '../format';
import { encodingError, imageError, matchingShift, type FaceMatch } from '../matching';
import type { Caller } from '../permissions';
import { attendanceRoute, error, faceManagementPath, json, parseBoolean, record, type BackendRequest, type BackendResponse, type Fail, type Handler, type Ok } from '../protocol';
import type { PusherEmit } from '../pusher';
import type { ClockLogRow, RosterRow, StaffRow } from '../store';
import { NO_DEPARTMENT } from '../serializers';
import type { EndpointDeps, EndpointFamily } from './family';

const FORCE_ACTIONS = ['clock_in', 'clock_out', 'start_break', 'end_break', 'resume_shift'];
const DEFAULT_FORCE_REASON = 'Unrostered clock-in confirmed by staff';

interface ClockInBody {
  encoding: number[];
  locationNote: string | null;
  isKioskMode: boolean;
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

export const faceClockEndpoints: EndpointFamily = {
  name: 'face clock',
  routes(deps) {
    const { gates, matcher } = deps;
    const dispatcher = createDispatcherAnswers(deps);
    const followUps = createFollowUps(deps);

    const faceClockIn: Handler = (request, params, pusher) => {
      const gate = gates.attendance(request, params.slug, 'attendance.clock.in_out');
      if (!gate.ok) return gate.response;
      const faceDenied = gates.face(gate.value);
      if (faceDenied) return faceDenied.response;
      const body = parseClockInBody(request.body);
      if (!body.ok) return body.response;
      const matched = matcher.matchOr404(gate.value.hotel, body.value.encoding, true);
      if (!matched.ok) return matched.response;
      return dispatcher.answer(gate.value, matched.value, body.value, pusher);
    };

    return [
      attendanceRoute('/face-management/face-clock-in/', { POST: faceClockIn }),
      attendanceRoute('/face-management/force-clock-in/', { POST: followUps.forceClockIn }),
      attendanceRoute('/face-management/confirm-clock-out/', { POST: followUps.confirmClockOut }),
      attendanceRoute('/face-management/toggle-break/', { POST: followUps.toggleBreak }),
    ];
  },
};

/** The dispatcher's three answers, chosen after the match (§3.4 step 6). */
function createDispatcherAnswers({ model, serializers, pusher: events }: EndpointDeps) {
  /** B: the person has an open log today; nothing is written. On a break only `resume_shift` is offered. */
  const sessionOptions = (caller: Caller, match: FaceMatch, open: ClockLogRow): BackendResponse => {
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
  };

  /** C: no open log and no covering shift; nothing is written. No `staff.image`, no `/api` in the endpoint. */
  const unrosteredPrompt = (caller: Caller, match: FaceMatch): BackendResponse =>
    json(200, {
      action: 'unrostered_detected',
      message: `No scheduled shift found for ${model.fullName(match.staff)}. Confirm to clock in anyway.`,
      staff: serializers.faceStaff(match.staff, false),
      requires_confirmation: true,
      confidence_score: match.distance,
      confirmation_endpoint: `/staff/hotel/${caller.hotel.slug}/attendance/face-management/force-clock-in/`,
    });

  /** A: writes the rostered clock-in for the MATCHED person and reports that person and the new log. */
  const rosteredClockIn = (caller: Caller, match: FaceMatch, body: ClockInBody, shift: RosterRow, pusher: PusherEmit[]): BackendResponse => {
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
  };

  return {
    answer(caller: Caller, match: FaceMatch, body: ClockInBody, pusher: PusherEmit[]): BackendResponse {
      const open = model.openLogToday(caller.hotel.id, match.staff.id);
      if (open) return sessionOptions(caller, match, open);
      const shift = matchingShift(model, caller.hotel.id, match.staff.id);
      if (!shift) return unrosteredPrompt(caller, match);
      return rosteredClockIn(caller, match, body, shift, pusher);
    },
  };
}

interface FunctionViewInput {
  caller: Caller;
  person: StaffRow;
  distance: number;
  body: Record<string, unknown>;
}

/** force-clock-in, confirm-clock-out and toggle-break: the module-level function views (§3.6-§3.8). */
function createFollowUps({ model, gates, matcher, serializers, pusher: events }: EndpointDeps) {
  /** Their shared prologue: gates, the loose `isinstance(list) and len == 128` check, the match. */
  const prologue = (request: BackendRequest, params: Record<string, string>, capability: string, withMessage: boolean): Ok<FunctionViewInput> | Fail => {
    const gate = gates.attendance(request, params.slug, capability);
    if (!gate.ok) return gate;
    const faceDenied = gates.face(gate.value);
    if (faceDenied) return faceDenied;
    const body = record(request.body);
    if (!Array.isArray(body.encoding) || body.encoding.length !== 128) {
      return { ok: false, response: error(400, 'A 128-length descriptor array is required.') };
    }
    const probe = (body.encoding as unknown[]).map((v) => (typeof v === 'number' ? v : Number(v)));
    const matched = matcher.matchOr404(gate.value.hotel, probe, withMessage);
    if (!matched.ok) return matched;
    return { ok: true, value: { caller: gate.value, person: matched.value.staff, distance: matched.value.distance, body } };
  };

  const forceClockIn: Handler = (request, params, pusher) => {
    const pre = prologue(request, params, 'attendance.clock.in_out', true);
    if (!pre.ok) return pre.response;
    const { caller, person, distance, body } = pre.value;
    const open = model.openLogToday(caller.hotel.id, person.id);
    if (open) return error(400, 'Staff already clocked in', { message: `${person.first_name} is already clocked in since ${pyStr(open.time_in)}` });
    const log = model.insertLog({
      hotel_id: caller.hotel.id,
      staff_id: person.id,
      time_in: model.nowMs(),
      verified_by_face: 1,
      location_note: typeof body.location_note === 'string' ? body.location_note : null,
      roster_shift_id: null,
      is_unrostered: 1,
      is_approved: 0,
      is_rejected: 0,
      is_kiosk_mode: 0,
    });
    const reason = typeof body.reason === 'string' && body.reason !== '' ? body.reason : DEFAULT_FORCE_REASON;
    const consent = model.faceOf(person.id)?.consent_given !== 0;
    model.audit({ hotelId: caller.hotel.id, staffId: person.id, action: 'FORCED_CLOCK_IN', performedBy: person.id, reason, consent, clientIp: request.clientIp, userAgent: request.userAgent });
    const updated = model.setDuty(person, 'on_duty', true);
    pusher.push(events.clockStatus(updated, 'clock_in'));
    pusher.push(events.unrosteredRequest(updated, log));
    return json(201, {
      action: 'unrostered_clock_in',
      message: `${model.fullName(person)} clocked in (unrostered - requires approval)`,
      staff: serializers.faceStaff(updated, true),
      is_rostered: false,
      requires_approval: true,
      confidence_score: distance,
      clock_log: serializers.clockLog(log),
    });
  };

  /** Ends a running break (truncated minutes), sets time_out and gross hours. The routed view sends NO Pusher event (§3.7, §5.1). */
  const confirmClockOut: Handler = (request, params) => {
    const pre = prologue(request, params, 'attendance.clock.in_out', false);
    if (!pre.ok) return pre.response;
    const { caller, person, distance } = pre.value;
    const open = model.openLogToday(caller.hotel.id, person.id);
    if (!open) return error(400, 'No active clock-in found');
    const t = model.nowMs();
    let total = open.total_break_minutes;
    let breakEnd = open.break_end;
    if (open.is_on_break === 1 && open.break_start !== null) {
      total += Math.trunc((t - open.break_start) / 60_000);
      breakEnd = t;
    }
    const hours = round((t - open.time_in) / 3_600_000, 2);
    model.db
      .prepare('UPDATE clock_logs SET is_on_break = 0, total_break_minutes = ?, break_end = ?, time_out = ?, hours_worked = ? WHERE id = ?')
      .run(total, breakEnd, t, hours.toFixed(2), open.id);
    const updated = model.setDuty(person, 'off_duty', false);
    const log = model.log(open.id)!;
    return json(200, {
      action: 'clock_out_success',
      message: `${model.fullName(person)} clocked out successfully!`,
      staff: serializers.faceStaff(updated, true),
      session_summary: { duration_hours: hours, total_break_minutes: total, clock_in_time: pyIso(log.time_in), clock_out_time: pyIso(t) },
      confidence_score: distance,
      clock_log: serializers.clockLog(log),
    });
  };

  /** The blind toggle: flips whatever break state the open log has (§3.8). */
  const toggleBreak: Handler = (request, params, pusher) => {
    const pre = prologue(request, params, 'attendance.break.toggle', false);
    if (!pre.ok) return pre.response;
    const { caller, person, distance } = pre.value;
    const open = model.openLogToday(caller.hotel.id, person.id);
    if (!open) return error(400, 'No active clock-in found');
    return open.is_on_break === 1 ? endBreak(person, open, distance, pusher) : startBreak(person, open, distance, pusher);
  };

  /** Start: `duty_status='on_break'` (is_on_duty untouched); the `start_break` event carries a datetime and is normally dropped. */
  const startBreak = (person: StaffRow, open: ClockLogRow, distance: number, pusher: PusherEmit[]): BackendResponse => {
    const t = model.nowMs();
    model.db.prepare('UPDATE clock_logs SET is_on_break = 1, break_start = ? WHERE id = ?').run(t, open.id);
    const updated = model.setDuty(person, 'on_break', null);
    pusher.push(events.clockStatus(updated, 'start_break'));
    return json(200, {
      action: 'break_started',
      message: `${model.fullName(person)} started break`,
      staff: serializers.faceStaff(updated, true),
      break_info: { is_on_break: true, break_start_time: pyIso(t), total_break_minutes: open.total_break_minutes },
      confidence_score: distance,
    });
  };

  /** End: adds the break's whole minutes; only the last break's start and end survive. */
  const endBreak = (person: StaffRow, open: ClockLogRow, distance: number, pusher: PusherEmit[]): BackendResponse => {
    const t = model.nowMs();
    const minutes = open.break_start === null ? 0 : Math.trunc((t - open.break_start) / 60_000);
    const total = open.total_break_minutes + minutes;
    model.db.prepare('UPDATE clock_logs SET is_on_break = 0, break_end = ?, total_break_minutes = ? WHERE id = ?').run(t, total, open.id);
    const updated = model.setDuty(person, 'on_duty', null);
    pusher.push(events.clockStatus(updated, 'end_break'));
    return json(200, {
      action: 'break_ended',
      message: `${model.fullName(person)} ended break`,
      staff: serializers.faceStaff(updated, true),
      break_info: { is_on_break: false, break_duration_minutes: minutes, total_break_minutes: total },
      confidence_score: distance,
    });
  };

  return { forceClockIn, confirmClockOut, toggleBreak };
}
