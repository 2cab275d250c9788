/**
 * The HotelMate double against the contract (docs/hotelmate-api.md) where upcoming kiosk work
 * relies on it: the staff detail as a re-read of one person's status, which Pusher events a break
 * start and a clock-out send, the three-way face-clock-in dispatcher (the person and the log it
 * reports, and the clock-in its state check writes), manual clock-log creation behind
 * `attendance.log.create`, UTC-day sessions and the absence of any client time.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  createHotelMateDouble,
  createManualClock,
  nearby,
  rawCall,
  type HotelMateDouble,
  type KillarneyWorld,
  type ManualClock,
  type RawAnswer,
} from '../../support/hotelmate-double';

const A = '/api/staff/hotel/hotel-killarney/attendance';
const FM = `${A}/face-management`;

interface Setup {
  d: HotelMateDouble;
  w: KillarneyWorld;
  clock: ManualClock;
  delivered: { channel: string; event: string; data: unknown }[];
  call(token: string | null, method: string, path: string, body?: unknown): Promise<RawAnswer>;
}

let open: HotelMateDouble | null = null;
afterEach(async () => {
  await open?.close();
  open = null;
});

async function start(options: { at?: string; aoifeShift?: { start: string; end: string }; pusherEncodesDatetimes?: boolean } = {}): Promise<Setup> {
  const clock = createManualClock(options.at ?? '2026-11-26T10:00:00Z');
  const delivered: Setup['delivered'] = [];
  const d = await createHotelMateDouble({ clock, pusherEncodesDatetimes: options.pusherEncodesDatetimes, onPusherEvent: (channel, event, data) => delivered.push({ channel, event, data }) });
  open = d;
  const w = d.seed.killarney({ aoifeShift: options.aoifeShift ?? { start: '09:00', end: '17:00' } });
  return { d, w, clock, delivered, call: (token, method, path, body) => rawCall(d.url, token, method, path, body) };
}

const actionsOf = (delivered: Setup['delivered']): string[] =>
  delivered.map((e) => `${e.event}:${(e.data as { payload?: { action?: string } }).payload?.action ?? (e.data as { type?: string }).type}`);

describe('staff detail: the re-read of one person\'s status (§1.5, §6.1)', () => {
  it('follows every transition, with break_start (Z) and the running total only while on a break', async () => {
    const { w, clock, call } = await start();
    const detail = async (): Promise<Record<string, unknown>> => (await call(w.manager.token, 'GET', `/api/staff/hotel-killarney/${w.aoife.id}/`)).json as Record<string, unknown>;
    expect(await detail()).toMatchObject({ duty_status: 'off_duty', is_on_duty: false, current_status: { status: 'off_duty', label: 'Off Duty', is_on_break: false } });

    await call(w.manager.token, 'POST', `${FM}/face-clock-in/`, { encoding: w.probes.aoife });
    expect(await detail()).toMatchObject({ duty_status: 'on_duty', is_on_duty: true, current_status: { status: 'on_duty', label: 'On Duty', is_on_break: false } });

    clock.advance(60_000);
    await call(w.manager.token, 'POST', `${FM}/toggle-break/`, { encoding: w.probes.aoife });
    clock.advance(5 * 60_000);
    const onBreak = await detail();
    // is_on_duty is not touched by breaks (§6.1).
    expect(onBreak).toMatchObject({ duty_status: 'on_break', is_on_duty: true });
    expect(onBreak.current_status).toEqual({ status: 'on_break', label: 'On Break', is_on_break: true, break_start: '2026-11-26T10:01:00Z', total_break_minutes: 0 });

    await call(w.manager.token, 'POST', `${FM}/toggle-break/`, { encoding: w.probes.aoife });
    expect((await detail()).current_status).toEqual({ status: 'on_duty', label: 'On Duty', is_on_break: false });

    await call(w.manager.token, 'POST', `${FM}/confirm-clock-out/`, { encoding: w.probes.aoife });
    expect(await detail()).toMatchObject({ duty_status: 'off_duty', is_on_duty: false, current_status: { status: 'off_duty', is_on_break: false } });
  });

  it('reports the stored duty_status even when the logs disagree: a break that crossed UTC midnight has no break_start', async () => {
    const { d, w, call } = await start({ at: '2026-11-27T00:10:00Z' });
    d.seed.clockLog({ staffId: w.aoife.id, timeIn: '2026-11-26T22:00:00Z', isOnBreak: true, breakStart: '2026-11-26T23:50:00Z', totalBreakMinutes: 15 });
    const res = await call(w.manager.token, 'GET', `/api/staff/hotel-killarney/${w.aoife.id}/`);
    expect(res.json).toMatchObject({ duty_status: 'on_break', current_status: { status: 'on_break', label: 'On Break', is_on_break: true } });
    expect((res.json as { current_status: object }).current_status).not.toHaveProperty('break_start');
  });

  it('needs the staff-management read capabilities, answers 404 for another hotel\'s person and includes inactive staff', async () => {
    const { d, w, call } = await start();
    expect(await call(w.aoife.token, 'GET', `/api/staff/hotel-killarney/${w.conor.id}/`)).toMatchObject({
      status: 403,
      json: { detail: 'You do not have permission to perform this action.' },
    });
    expect((await call(null, 'GET', `/api/staff/hotel-killarney/${w.conor.id}/`)).status).toBe(401);
    d.seed.hotel({ slug: 'hotel-galway' });
    const stranger = d.seed.staff({ hotel: 'hotel-galway', firstName: 'Other', lastName: 'Hotel' });
    expect(await call(w.manager.token, 'GET', `/api/staff/hotel-killarney/${stranger.id}/`)).toMatchObject({ status: 404 });
    d.seed.setStaffActive(w.conor.id, false);
    expect(await call(w.manager.token, 'GET', `/api/staff/hotel-killarney/${w.conor.id}/`)).toMatchObject({ status: 200, json: { id: w.conor.id, is_active: false } });
  });
});

describe('Pusher: what a break start and a clock-out send (§3.7, §5.1, §8.2)', () => {
  it('a break start attempts clock_status_updated, fails to encode the break_start datetime, and still answers 200', async () => {
    const { d, w, call, delivered } = await start();
    await call(w.manager.token, 'POST', `${FM}/face-clock-in/`, { encoding: w.probes.aoife });
    const res = await call(w.manager.token, 'POST', `${FM}/toggle-break/`, { encoding: w.probes.aoife });
    expect(res).toMatchObject({ status: 200, json: { action: 'break_started' } });
    expect(actionsOf(delivered)).toEqual(['clock_status_updated:clock_in']);
    const attempt = d.state.pusherEvents().at(-1)!;
    expect(attempt).toMatchObject({ channel: 'hotel-killarney.attendance', event: 'clock_status_updated', delivered: false, failure: 'TypeError: Object of type datetime is not JSON serializable' });
    expect((attempt.data as { payload: { action: string } }).payload.action).toBe('start_break');
  });

  it('with a Pusher client that encodes datetimes, the break start is delivered with break_start in +00:00 form', async () => {
    const { d, w, call, delivered } = await start({ pusherEncodesDatetimes: true });
    await call(w.manager.token, 'POST', `${FM}/face-clock-in/`, { encoding: w.probes.aoife });
    const res = await call(w.manager.token, 'POST', `${FM}/toggle-break/`, { encoding: w.probes.aoife });
    const started = (res.json as { break_info: { break_start_time: string } }).break_info.break_start_time;
    expect(actionsOf(delivered)).toEqual(['clock_status_updated:clock_in', 'clock_status_updated:start_break']);
    expect((delivered[1].data as { payload: unknown }).payload).toMatchObject({
      duty_status: 'on_break',
      is_on_duty: true,
      is_on_break: true,
      current_status: { status: 'on_break', label: 'On Break', is_on_break: true, break_start: started, total_break_minutes: 0 },
    });
    // The switch works at run time too.
    d.controls.setPusherEncodesDatetimes(false);
    await call(w.manager.token, 'POST', `${FM}/toggle-break/`, { encoding: w.probes.aoife });
    await call(w.manager.token, 'POST', `${FM}/toggle-break/`, { encoding: w.probes.aoife });
    expect(actionsOf(delivered).slice(2)).toEqual(['clock_status_updated:end_break']);
  });

  it('confirm-clock-out attempts no Pusher trigger at all, also when it ends a running break', async () => {
    const { d, w, clock, call, delivered } = await start({ pusherEncodesDatetimes: true });
    await call(w.manager.token, 'POST', `${FM}/face-clock-in/`, { encoding: w.probes.aoife });
    await call(w.manager.token, 'POST', `${FM}/toggle-break/`, { encoding: w.probes.aoife });
    const attempts = d.state.pusherEvents().length;
    clock.advance(12.5 * 60_000);
    const res = await call(w.manager.token, 'POST', `${FM}/confirm-clock-out/`, { encoding: w.probes.aoife });
    expect(res).toMatchObject({ status: 200, json: { action: 'clock_out_success', session_summary: { total_break_minutes: 12 } } });
    expect(d.state.pusherEvents()).toHaveLength(attempts);
    expect(actionsOf(delivered)).not.toContain('clock_status_updated:clock_out');
    expect(d.state.staff(w.aoife.id)).toMatchObject({ dutyStatus: 'off_duty', isOnDuty: false });
  });
});

describe('face-clock-in: the three-way dispatcher (§3.4, §8.8)', () => {
  it('used as a state check, it writes a clock-in for a rostered person with no open log, and reports that person and the new log', async () => {
    const { d, w, call, delivered } = await start();
    const res = await call(w.manager.token, 'POST', `${FM}/face-clock-in/`, { encoding: w.probes.aoife, is_kiosk_mode: true });
    const logs = d.state.clockLogs({ staffId: w.aoife.id });
    expect(logs).toHaveLength(1);
    expect(res).toMatchObject({
      status: 201,
      json: { action: 'clock_in_success', staff: { id: w.aoife.id, name: 'Aoife Murphy' }, clock_log: { id: logs[0].id, staff: w.aoife.id, time_in: '2026-11-26T10:00:00Z' }, shift_info: { id: w.aoifeShiftId } },
    });
    // The caller is the manager's account; nothing is written for the caller.
    expect(d.state.clockLogs({ staffId: w.manager.id })).toHaveLength(0);
    expect(actionsOf(delivered)).toEqual(['clock_status_updated:clock_in']);
  });

  it('reports whoever the encoding matched, not the person the kiosk expected', async () => {
    const { d, w, call } = await start();
    d.seed.shift({ staffId: w.conor.id, date: '2026-11-26', start: '08:00', end: '16:00' });
    // The kiosk thinks it is Aoife, but the capture is nearer Conor's registered face.
    const res = await call(w.manager.token, 'POST', `${FM}/face-clock-in/`, { encoding: nearby(w.encodings.conor, 0.4, 5) });
    expect(res).toMatchObject({ status: 201, json: { action: 'clock_in_success', staff: { id: w.conor.id }, clock_log: { staff: w.conor.id } } });
    expect(d.state.clockLogs({ staffId: w.aoife.id })).toHaveLength(0);
  });

  it('with a session from before UTC midnight, the state check opens a second log and reports the new one', async () => {
    const { d, w, call } = await start({ at: '2026-11-27T00:30:00Z', aoifeShift: { start: '00:00', end: '08:00' } });
    const old = d.seed.clockLog({ staffId: w.aoife.id, timeIn: '2026-11-26T20:00:00Z' });
    const res = await call(w.manager.token, 'POST', `${FM}/face-clock-in/`, { encoding: w.probes.aoife });
    const logs = d.state.clockLogs({ staffId: w.aoife.id });
    expect(logs.map((l) => [l.id, l.timeOut])).toEqual([
      [old.id, null],
      [logs[1].id, null],
    ]);
    expect(res).toMatchObject({ status: 201, json: { action: 'clock_in_success', clock_log: { id: logs[1].id, time_in: '2026-11-27T00:30:00Z' } } });
  });

  it('an unrostered person gets the confirmation prompt and nothing is written', async () => {
    const { d, w, call, delivered } = await start();
    const res = await call(w.manager.token, 'POST', `${FM}/face-clock-in/`, { encoding: w.probes.conor });
    expect(res.json).toEqual({
      action: 'unrostered_detected',
      message: "No scheduled shift found for Conor O'Sullivan. Confirm to clock in anyway.",
      staff: { id: w.conor.id, name: "Conor O'Sullivan", department: 'Housekeeping' },
      requires_confirmation: true,
      confidence_score: (res.json as { confidence_score: number }).confidence_score,
      confirmation_endpoint: '/staff/hotel/hotel-killarney/attendance/face-management/force-clock-in/',
    });
    expect(d.state.clockLogs()).toHaveLength(0);
    expect(delivered).toHaveLength(0);
  });

  it('with two open logs today it reports the newest, which confirm-clock-out closes first', async () => {
    const { d, w, clock, call } = await start();
    await call(w.manager.token, 'POST', `${FM}/face-clock-in/`, { encoding: w.probes.aoife });
    clock.set('2026-11-26T11:00:00Z');
    // A manager adds a second open log by hand; nothing in the backend prevents it (§6.2).
    const manual = await call(w.manager.token, 'POST', `${A}/clock-logs/`, { hotel: 1, staff: w.aoife.id });
    expect(manual.status).toBe(201);
    clock.set('2026-11-26T12:00:00Z');
    const options = await call(w.manager.token, 'POST', `${FM}/face-clock-in/`, { encoding: w.probes.aoife });
    expect(options.json).toMatchObject({ action: 'clock_out_options', session_info: { clock_in_time: '2026-11-26T11:00:00+00:00', duration_hours: 1 } });
    const out = await call(w.manager.token, 'POST', `${FM}/confirm-clock-out/`, { encoding: w.probes.aoife });
    expect(out.json).toMatchObject({ clock_log: { id: (manual.json as { id: number }).id } });
    const again = await call(w.manager.token, 'POST', `${FM}/face-clock-in/`, { encoding: w.probes.aoife });
    expect(again.json).toMatchObject({ action: 'clock_out_options', session_info: { clock_in_time: '2026-11-26T10:00:00+00:00' } });
    expect(d.state.clockLogs({ staffId: w.aoife.id }).map((l) => l.timeOut)).toEqual([null, '2026-11-26T12:00:00Z']);
  });

  it('on a break it offers only resume_shift, though confirm-clock-out still works', async () => {
    const { w, clock, call } = await start();
    await call(w.manager.token, 'POST', `${FM}/face-clock-in/`, { encoding: w.probes.aoife });
    await call(w.manager.token, 'POST', `${FM}/toggle-break/`, { encoding: w.probes.aoife });
    clock.advance(7 * 60_000);
    const options = await call(w.manager.token, 'POST', `${FM}/face-clock-in/`, { encoding: w.probes.aoife });
    expect((options.json as { available_actions: { action: string; description: string }[] }).available_actions).toEqual([
      expect.objectContaining({ action: 'resume_shift', description: 'End break and resume working (7.0min break)', primary: true }),
    ]);
    expect((await call(w.manager.token, 'POST', `${FM}/confirm-clock-out/`, { encoding: w.probes.aoife })).json).toMatchObject({ action: 'clock_out_success' });
  });
});

describe('POST clock-logs/: manual attendance log creation (§1.3, §3.12)', () => {
  const body = (w: KillarneyWorld, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ hotel: 1, staff: w.conor.id, ...extra });

  it('is refused with 403 to accounts without attendance.log.create, kiosk accounts included, and allowed once granted', async () => {
    const { d, w, call } = await start();
    const kiosk = d.seed.staff({ hotel: w.hotelSlug, firstName: 'Lobby', lastName: 'Kiosk', access: 'kiosk' });
    const denied = { status: 403, json: { detail: 'You do not have permission to perform this action.' } };
    expect(await call(kiosk.token, 'POST', `${A}/clock-logs/`, body(w))).toMatchObject(denied);
    expect(await call(w.aoife.token, 'POST', `${A}/clock-logs/`, body(w))).toMatchObject(denied);
    expect(d.state.clockLogs()).toHaveLength(0);

    d.seed.grant(kiosk.id, 'attendance.log.create');
    expect((await call(kiosk.token, 'POST', `${A}/clock-logs/`, body(w))).status).toBe(201);
    d.seed.revoke(kiosk.id, 'attendance.log.create');
    expect(await call(kiosk.token, 'POST', `${A}/clock-logs/`, body(w))).toMatchObject(denied);
    // Reading stays allowed: the list needs only log.read_self.
    expect((await call(kiosk.token, 'GET', `${A}/clock-logs/`)).status).toBe(200);
  });

  it('runs the attendance base gates first: 401 without a token, 403 for another hotel or without the module', async () => {
    const { d, w, call } = await start();
    expect(await call(null, 'POST', `${A}/clock-logs/`, body(w))).toMatchObject({ status: 401, json: { detail: 'Authentication credentials were not provided.' } });
    expect(await call(w.manager.token, 'POST', '/api/staff/hotel/hotel-galway/attendance/clock-logs/', body(w))).toMatchObject({
      status: 403,
      json: { detail: 'You can only access resources from your hotel.' },
    });
    d.seed.revoke(w.manager.id, 'attendance.module.view');
    expect((await call(w.manager.token, 'POST', `${A}/clock-logs/`, body(w))).status).toBe(403);
  });

  it('stores the log with time_in = now whatever the body says, and changes no duty status and sends no Pusher event', async () => {
    const { d, w, call, delivered } = await start();
    const res = await call(w.manager.token, 'POST', `${A}/clock-logs/`, body(w, { time_in: '2026-11-20T08:00:00Z', occurred_at: '2026-11-20T08:00:00Z', location_note: 'Entered by the manager', verified_by_face: false }));
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      staff: w.conor.id,
      staff_name: "Conor O'Sullivan",
      hotel_slug: 'hotel-killarney',
      time_in: '2026-11-26T10:00:00Z',
      time_out: null,
      hours_worked: null,
      verified_by_face: false,
      location_note: 'Entered by the manager',
      is_approved: true,
      department: { name: 'Housekeeping', slug: 'housekeeping' },
    });
    expect(d.state.staff(w.conor.id)).toMatchObject({ dutyStatus: 'off_duty' });
    expect(d.state.pusherEvents()).toHaveLength(0);
    expect(delivered).toHaveLength(0);
  });

  it('computes gross hours_worked when time_out is given', async () => {
    const { w, call } = await start();
    const res = await call(w.manager.token, 'POST', `${A}/clock-logs/`, body(w, { time_out: '2026-11-26T18:30:00Z' }));
    expect(res.json).toMatchObject({ time_in: '2026-11-26T10:00:00Z', time_out: '2026-11-26T18:30:00Z', hours_worked: '8.50' });
  });

  it('answers DRF field errors for a missing or unknown hotel or staff', async () => {
    const { d, w, call } = await start();
    expect(await call(w.manager.token, 'POST', `${A}/clock-logs/`, {})).toMatchObject({
      status: 400,
      json: { hotel: ['This field is required.'], staff: ['This field is required.'] },
    });
    expect(await call(w.manager.token, 'POST', `${A}/clock-logs/`, { hotel: 1, staff: 999 })).toMatchObject({
      status: 400,
      json: { staff: ['Invalid pk "999" - object does not exist.'] },
    });
    expect((await call(w.manager.token, 'POST', `${A}/clock-logs/`, { hotel: 1, staff: w.conor.id, time_out: 'yesterday' })).json).toEqual({
      time_out: ['Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].'],
    });
    expect(d.state.clockLogs()).toHaveLength(0);
  });
});

describe('GET clock-logs/{id}/: one log, as the CRUD read (§1.3, §3.11)', () => {
  it('answers the log as the list serialises it, with time_out once it is closed in the web app', async () => {
    const { d, w, call, clock } = await start();
    const created = await call(w.manager.token, 'POST', `${A}/clock-logs/`, { hotel: 1, staff: w.conor.id, verified_by_face: false });
    const id = (created.json as { id: number }).id;
    const read = await call(w.manager.token, 'GET', `${A}/clock-logs/${id}/`);
    expect(read.status).toBe(200);
    const listed = await call(w.manager.token, 'GET', `${A}/clock-logs/`);
    expect(read.json).toEqual((listed.json as { results: unknown[] }).results[0]);
    expect(read.json).toMatchObject({ id, staff: w.conor.id, time_out: null });

    clock.advance(30 * 60_000);
    expect(d.webApp.clockOut(w.conor.id).outcome).toBe('clock_out_success');
    expect((await call(w.manager.token, 'GET', `${A}/clock-logs/${id}/`)).json).toMatchObject({ id, time_out: '2026-11-26T10:30:00Z' });
  });

  it('shows someone else’s log only with log.read_all (404 otherwise, as for a log that does not exist); 403 without read_self', async () => {
    const { d, w, call } = await start();
    const created = await call(w.manager.token, 'POST', `${A}/clock-logs/`, { hotel: 1, staff: w.conor.id });
    const id = (created.json as { id: number }).id;
    const notFound = { status: 404, json: { detail: 'No ClockLog matches the given query.' } };
    expect((await call(w.conor.token, 'GET', `${A}/clock-logs/${id}/`)).status).toBe(200); // his own
    expect(await call(w.aoife.token, 'GET', `${A}/clock-logs/${id}/`)).toMatchObject(notFound);
    expect(await call(w.manager.token, 'GET', `${A}/clock-logs/${id + 100}/`)).toMatchObject(notFound);
    expect((await call(null, 'GET', `${A}/clock-logs/${id}/`)).status).toBe(401);
    d.seed.revoke(w.conor.id, 'attendance.log.read_self');
    expect((await call(w.conor.token, 'GET', `${A}/clock-logs/${id}/`)).status).toBe(403);
  });
});

describe('no backdating and UTC-day sessions (§3.3, §3.12, §8.3, §8.5)', () => {
  it('every face endpoint records the server time and ignores client times and ids', async () => {
    const { d, w, clock, call } = await start();
    const past = { timestamp: '2026-11-25T09:00:00Z', occurred_at: '2026-11-25T09:00:00Z', client_event_id: 'e-1', time_in: '2026-11-25T09:00:00Z' };
    await call(w.manager.token, 'POST', `${FM}/face-clock-in/`, { encoding: w.probes.aoife, ...past });
    clock.advance(60_000);
    await call(w.manager.token, 'POST', `${FM}/toggle-break/`, { encoding: w.probes.aoife, ...past });
    clock.advance(60_000);
    await call(w.manager.token, 'POST', `${FM}/confirm-clock-out/`, { encoding: w.probes.aoife, ...past });
    await call(w.manager.token, 'POST', `${FM}/force-clock-in/`, { encoding: w.probes.conor, ...past });
    expect(d.state.clockLogs().map((l) => [l.staffId, l.timeIn, l.breakStart, l.timeOut])).toEqual([
      [w.aoife.id, '2026-11-26T10:00:00Z', '2026-11-26T10:01:00Z', '2026-11-26T10:02:00Z'],
      [w.conor.id, '2026-11-26T10:02:00Z', null, null],
    ]);
  });

  it('a session that began before UTC midnight is invisible after it to every face endpoint and to the day reads', async () => {
    const { d, w, call } = await start({ at: '2026-11-27T00:05:00Z', aoifeShift: { start: '12:00', end: '20:00' } });
    d.seed.clockLog({ staffId: w.conor.id, timeIn: '2026-11-26T23:00:00Z' });
    const noSession = { status: 400, json: { error: 'No active clock-in found' } };
    expect(await call(w.manager.token, 'POST', `${FM}/toggle-break/`, { encoding: w.probes.conor })).toMatchObject(noSession);
    expect(await call(w.manager.token, 'POST', `${FM}/confirm-clock-out/`, { encoding: w.probes.conor })).toMatchObject(noSession);
    // Conor has no shift: the dispatcher asks to confirm an unrostered clock-in instead of offering a clock-out.
    expect((await call(w.manager.token, 'POST', `${FM}/face-clock-in/`, { encoding: w.probes.conor })).json).toMatchObject({ action: 'unrostered_detected' });
    expect((await call(w.manager.token, 'GET', `${A}/clock-logs/department-status/`)).json).toEqual({});
    expect(d.state.staff(w.conor.id)).toMatchObject({ dutyStatus: 'on_duty' });
  });
});

describe('face-status (§1.2)', () => {
  it('answers an account without attendance.face.register_self: a GET passes that gate', async () => {
    const { d, w, call } = await start();
    d.seed.revoke(w.aoife.id, 'attendance.face.register_self');
    expect(await call(w.aoife.token, 'GET', `${FM}/face-status/`)).toMatchObject({ status: 200, json: { has_registered_face: true, face_data: { staff: w.aoife.id } } });
    d.seed.revoke(w.aoife.id, 'attendance.module.view');
    expect((await call(w.aoife.token, 'GET', `${FM}/face-status/`)).status).toBe(403);
  });
});
