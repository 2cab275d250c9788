/**
 * Attendance logs, the `ClockLogViewSet` (§1.3): the list (10 per page, no filters, only your own
 * logs without `log.read_all`), one log by id (the same visibility), the manual create gated by `attendance.log.create` (time_in is
 * always now), the caller's own status, today's (UTC) department status, and the two actions
 * that always fail with a 500 after authentication.
 */
import { drfIso, round, utcDate, utcHourMinute } from '../format';
import type { Model } from '../model';
import { attendanceRoute, detail, json, record, serverError, type Handler } from '../protocol';
import type { ClockLogRow, StaffRow } from '../store';
import type { EndpointDeps, EndpointFamily } from './family';
import { parseManualLog } from './manual-log';
import { paginate } from './paginate';

export const clockLogEndpoints: EndpointFamily = {
  name: 'clock logs',
  routes: (deps) => [
    attendanceRoute('/clock-logs/', { GET: listLogs(deps), POST: createLog(deps) }),
    attendanceRoute('/clock-logs/(?<id>\\d+)/', { GET: readLog(deps) }),
    attendanceRoute('/clock-logs/status/', { GET: myStatus(deps) }),
    attendanceRoute('/clock-logs/department-status/', { GET: departmentStatus(deps) }),
    attendanceRoute('/clock-logs/(?:currently-clocked-in|department-logs)/', { GET: brokenAction(deps) }),
  ],
};

function listLogs({ model, gates, serializers }: EndpointDeps): Handler {
  return (request, params) => {
    const gate = gates.attendance(request, params.slug, 'attendance.log.read_self');
    if (!gate.ok) return gate.response;
    const { staff: caller, hotel } = gate.value;
    const rows = model.capabilitiesOf(caller).has('attendance.log.read_all') ? model.logsOfHotel(hotel.id) : model.logsOf(hotel.id, caller.id);
    const page = paginate(request, rows, 10, null);
    if (!page.ok) return page.response;
    return json(200, { ...page.value, results: page.value.results.map(serializers.clockLog) });
  };
}

/**
 * CRUD read `GET {A}/clock-logs/{id}/`: serialised as in the list; DRF's `get_object()` looks only
 * in the caller's queryset, so a log that does not exist, belongs to another hotel or (without
 * `log.read_all`) to someone else is a 404.
 */
function readLog({ model, gates, serializers }: EndpointDeps): Handler {
  return (request, params) => {
    const gate = gates.attendance(request, params.slug, 'attendance.log.read_self');
    if (!gate.ok) return gate.response;
    const { staff: caller, hotel } = gate.value;
    const log = model.log(Number(params.id));
    const visible = log !== undefined && log.hotel_id === hotel.id && (log.staff_id === caller.id || model.capabilitiesOf(caller).has('attendance.log.read_all'));
    if (!visible) return detail(404, 'No ClockLog matches the given query.');
    return json(200, serializers.clockLog(log));
  };
}

/**
 * Manager CRUD create: `hotel` and `staff` ids required, `time_in` read-only (always now), other
 * writable fields stored as given. The contract names no side effect: the person's duty status
 * is not changed and no Pusher event is sent.
 */
function createLog({ model, gates, serializers }: EndpointDeps): Handler {
  return (request, params) => {
    const gate = gates.attendance(request, params.slug, 'attendance.log.create');
    if (!gate.ok) return gate.response;
    const parsed = parseManualLog(model, record(request.body));
    if (!parsed.ok) return json(400, parsed.errors);
    const t = model.nowMs();
    const timeOut = parsed.fields.time_out;
    const hours = timeOut === undefined || timeOut === null ? null : round((timeOut - t) / 3_600_000, 2).toFixed(2);
    const log = model.insertLog({ ...parsed.fields, time_in: t, hours_worked: hours });
    return json(201, serializers.clockLog(log));
  };
}

/** The caller's own status today (UTC): not clocked in, clocked in since, or clocked out. */
function myStatus({ model, gates }: EndpointDeps): Handler {
  return (request, params) => {
    const gate = gates.attendance(request, params.slug, 'attendance.clock.in_out');
    if (!gate.ok) return gate.response;
    const { staff: caller, hotel } = gate.value;
    const day = model.today();
    const latest = model.logsOf(hotel.id, caller.id).find((l) => utcDate(l.time_in) === day);
    if (!latest) return json(200, { status: 'not_clocked_in' });
    if (latest.time_out === null) return json(200, { status: 'clocked_in', since: drfIso(latest.time_in) });
    return json(200, { status: 'clocked_out', last_log: drfIso(latest.time_out) });
  };
}

type DepartmentBuckets = Record<string, { currently_clocked_in: unknown[]; unrostered: unknown[] }>;

/** §3.10: today's (UTC) open logs and pending unrostered logs by department slug, times as UTC `HH:MM`. */
function departmentStatus({ model, gates }: EndpointDeps): Handler {
  return (request, params) => {
    const gate = gates.attendance(request, params.slug, 'attendance.log.read_all');
    if (!gate.ok) return gate.response;
    const day = model.today();
    const logs = model.logsOfHotel(gate.value.hotel.id).filter((l) => utcDate(l.time_in) === day);
    const out: DepartmentBuckets = {};
    const bucket = (s: StaffRow): DepartmentBuckets[string] => (out[model.departmentOf(s)?.slug ?? 'unassigned'] ??= { currently_clocked_in: [], unrostered: [] });
    for (const l of logs.filter((log) => log.time_out === null)) {
      const s = model.staff(l.staff_id)!;
      bucket(s).currently_clocked_in.push({ ...statusRow(model, l, s), is_on_break: l.is_on_break === 1, hours_worked: hoursOf(model, l), is_approved: l.is_approved === 1, currently_active: true });
    }
    for (const l of logs.filter((log) => log.is_unrostered === 1 && log.is_approved !== 1 && log.is_rejected !== 1)) {
      const s = model.staff(l.staff_id)!;
      bucket(s).unrostered.push({
        log_id: l.id,
        ...statusRow(model, l, s),
        hours_worked: hoursOf(model, l),
        is_unrostered: true,
        needs_approval: true,
        is_approved: false,
        currently_active: l.time_out === null,
      });
    }
    return json(200, out);
  };
}

function statusRow(model: Model, l: ClockLogRow, s: StaffRow): Record<string, unknown> {
  return {
    staff_id: s.id,
    staff_name: model.fullName(s),
    clock_in_time: utcHourMinute(l.time_in),
    clock_out_time: l.time_out === null ? null : utcHourMinute(l.time_out),
  };
}

function hoursOf(model: Model, l: ClockLogRow): number {
  return l.time_out === null ? round((model.nowMs() - l.time_in) / 3_600_000, 2) : Number(l.hours_worked ?? 0);
}

/** `currently-clocked-in/` and `department-logs/`: a TypeError on dispatch, after auth and permissions. */
function brokenAction({ gates }: EndpointDeps): Handler {
  return (request, params) => {
    const gate = gates.attendance(request, params.slug, 'attendance.log.read_all');
    if (!gate.ok) return gate.response;
    return serverError();
  };
}
