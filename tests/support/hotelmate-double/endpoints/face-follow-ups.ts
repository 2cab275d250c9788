/**
 * The face clock's follow-ups, the module-level function views (§3.6-§3.8): force-clock-in (the
 * unrostered confirmation), confirm-clock-out (no Pusher event) and the blind toggle-break. Each
 * re-matches the posted encoding, only checks it is a list of 128, and acts on the matched
 * person's open log today (UTC).
 */
import { pyIso, pyStr, round } from '../format';
import { error, json, record, type BackendRequest, type BackendResponse, type Fail, type Handler, type Ok } from '../protocol';
import type { Caller } from '../permissions';
import type { PusherEmit } from '../pusher';
import type { ClockLogRow, StaffRow } from '../store';
import type { EndpointDeps } from './family';

const DEFAULT_FORCE_REASON = 'Unrostered clock-in confirmed by staff';

interface FunctionViewInput {
  caller: Caller;
  person: StaffRow;
  distance: number;
  body: Record<string, unknown>;
}

/** The shared prologue: gates, the face gate, the loose `isinstance(list) and len == 128` check, the match. */
function prologue(
  { gates, matcher }: EndpointDeps,
  request: BackendRequest,
  slug: string,
  { capability, withMessage }: { capability: string; withMessage: boolean },
): Ok<FunctionViewInput> | Fail {
  const gate = gates.attendance(request, slug, capability);
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
}

/** An unrostered, unapproved log, a `FORCED_CLOCK_IN` audit row, `clock_in` and `unrostered-clockin-request`. */
export function forceClockIn(deps: EndpointDeps): Handler {
  const { model, serializers, pusher: events } = deps;
  return (request, params, pusher) => {
    const pre = prologue(deps, request, params.slug, { capability: 'attendance.clock.in_out', withMessage: true });
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
}

/** Ends a running break (truncated minutes), sets time_out and gross hours. The routed view sends NO Pusher event (§3.7, §5.1). */
export function confirmClockOut(deps: EndpointDeps): Handler {
  const { model, serializers } = deps;
  return (request, params) => {
    const pre = prologue(deps, request, params.slug, { capability: 'attendance.clock.in_out', withMessage: false });
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
}

/** The blind toggle: flips whatever break state the open log has (§3.8). */
export function toggleBreak(deps: EndpointDeps): Handler {
  return (request, params, pusher) => {
    const pre = prologue(deps, request, params.slug, { capability: 'attendance.break.toggle', withMessage: false });
    if (!pre.ok) return pre.response;
    const { caller, person, distance } = pre.value;
    const open = deps.model.openLogToday(caller.hotel.id, person.id);
    if (!open) return error(400, 'No active clock-in found');
    const flip = open.is_on_break === 1 ? endBreak : startBreak;
    return flip(deps, { person, open, distance }, pusher);
  };
}

interface BreakInput {
  person: StaffRow;
  open: ClockLogRow;
  distance: number;
}

/** Start: `duty_status='on_break'` (is_on_duty untouched); the `start_break` event carries a datetime and is normally dropped. */
function startBreak({ model, serializers, pusher: events }: EndpointDeps, { person, open, distance }: BreakInput, pusher: PusherEmit[]): BackendResponse {
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
}

/** End: adds the break's whole minutes; only the last break's start and end survive. */
function endBreak({ model, serializers, pusher: events }: EndpointDeps, { person, open, distance }: BreakInput, pusher: PusherEmit[]): BackendResponse {
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
}
