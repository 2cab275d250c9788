/**
 * The HotelMate client against the HotelMate double over real HTTP on 127.0.0.1: every method, each
 * dispatcher branch, the documented error answers, UTC-day and roster quirks, and the transport
 * failures sync must survive (timeouts, dropped connections, 500 after a write, malformed bodies).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHotelMateClient, type HotelMateClient } from '../../../src/main/hotelmate/client';
import { createMemoryLogger } from '../../../src/main/logging/logger';
import {
  createHotelMateDouble,
  createManualClock,
  encodingFor,
  nearby,
  type HotelMateDouble,
  type KillarneyWorld,
  type ManualClock,
} from '../../support/hotelmate-double';

const TINY_JPEG = `data:image/jpeg;base64,${Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex').toString('base64')}`;

let double: HotelMateDouble;
let world: KillarneyWorld;
let clock: ManualClock;
let logger: ReturnType<typeof createMemoryLogger>;
let client: HotelMateClient;

function clientFor(token: string | null, timeoutMs = 3000, baseUrl = double.apiBaseUrl, hotelSlug = world.hotelSlug): HotelMateClient {
  return createHotelMateClient({ baseUrl, hotelSlug, getToken: () => token, timeoutMs, logger });
}

beforeEach(async () => {
  clock = createManualClock('2026-11-26T10:00:00.250Z');
  double = await createHotelMateDouble({ clock });
  world = double.seed.killarney({ aoifeShift: { start: '09:00', end: '17:00' } });
  logger = createMemoryLogger();
  client = clientFor(world.manager.token);
});

afterEach(async () => {
  await double.close();
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('sign-in and configuration', () => {
  it('login returns the account token; bad credentials are a 401 with the server message', async () => {
    const ok = await client.login('siobhan.kelly', 'KioskTest123!');
    expect(ok.ok && ok.data.token).toBe(world.manager.token);
    expect(ok.ok && ok.data.hotel_slug).toBe('hotel-killarney');

    const bad = await client.login('siobhan.kelly', 'wrong');
    expect(bad).toMatchObject({ ok: false, kind: 'http', status: 401, message: 'Invalid username or password' });
  });

  it('faceConfig reads the public settings without a token, and reflects the admin switch', async () => {
    const anonymous = clientFor(null);
    const on = await anonymous.faceConfig();
    expect(on.ok && on.data.face_recognition_config.face_attendance_enabled).toBe(true);
    double.seed.setFaceAttendance(world.hotelSlug, false);
    const off = await anonymous.faceConfig();
    expect(off.ok && off.data.face_recognition_config.face_attendance_enabled).toBe(false);
  });
});

describe('face-clock-in dispatcher and follow-ups', () => {
  it('rostered clock-in (201), then options without a write, then clock-out; a replayed clock-out is 400', async () => {
    const first = await client.faceClockIn({ encoding: world.probes.aoife, location_note: 'Lobby kiosk', is_kiosk_mode: true });
    if (!first.ok || first.data.action !== 'clock_in_success') throw new Error(JSON.stringify(first));
    expect(first.status).toBe(201);
    expect(first.data.staff.id).toBe(world.aoife.id);
    expect(first.data.clock_log.time_in).toMatch(/Z$/);
    expect(first.data.shift_info?.start_time).toBe('09:00');
    expect(double.state.clockLogs({ staffId: world.aoife.id })).toHaveLength(1);

    clock.advance(2 * 3_600_000);
    const again = await client.faceClockIn({ encoding: world.probes.aoife });
    if (!again.ok || again.data.action !== 'clock_out_options') throw new Error(JSON.stringify(again));
    expect(again.status).toBe(200);
    expect(again.data.available_actions.map((a) => a.action)).toEqual(['clock_out', 'start_break']);
    expect(again.data.session_info.clock_in_time).toMatch(/\+00:00$/);
    expect(again.data.session_info.duration_hours).toBe(2);
    expect(double.state.clockLogs({ staffId: world.aoife.id })).toHaveLength(1);

    const out = await client.confirmClockOut({ encoding: world.probes.aoife });
    if (!out.ok) throw new Error(JSON.stringify(out));
    expect(out.data.clock_log.hours_worked).toBe('2.00');
    expect(double.state.staff(world.aoife.id)?.dutyStatus).toBe('off_duty');

    const replay = await client.confirmClockOut({ encoding: world.probes.aoife });
    expect(replay).toMatchObject({ ok: false, kind: 'http', status: 400, message: 'No active clock-in found' });
  });

  it('toggle-break is blind: start, options offer only resume_shift, end; minutes are counted', async () => {
    await client.faceClockIn({ encoding: world.probes.aoife });
    const start = await client.toggleBreak({ encoding: world.probes.aoife });
    expect(start.ok && start.data.action).toBe('break_started');
    clock.advance(12 * 60_000 + 30_000);
    const options = await client.faceClockIn({ encoding: world.probes.aoife });
    if (!options.ok || options.data.action !== 'clock_out_options') throw new Error(JSON.stringify(options));
    expect(options.data.session_info.is_on_break).toBe(true);
    expect(options.data.available_actions).toEqual([expect.objectContaining({ action: 'resume_shift', primary: true })]);
    expect(options.data.available_actions[0].description).toBe('End break and resume working (13.0min break)');

    const end = await client.toggleBreak({ encoding: world.probes.aoife });
    if (!end.ok || end.data.action !== 'break_ended') throw new Error(JSON.stringify(end));
    expect(end.data.break_info.break_duration_minutes).toBe(12);
    expect(end.data.break_info.total_break_minutes).toBe(12);

    // A replay of the same "end break" flips the state back: the reason sync must check state first.
    const replay = await client.toggleBreak({ encoding: world.probes.aoife });
    expect(replay.ok && replay.data.action).toBe('break_started');
  });

  it('unrostered: a prompt with a confirmation_endpoint without /api and no write; force-clock-in writes; a replay is 400', async () => {
    const prompt = await client.faceClockIn({ encoding: world.probes.conor });
    if (!prompt.ok || prompt.data.action !== 'unrostered_detected') throw new Error(JSON.stringify(prompt));
    expect(prompt.data.confirmation_endpoint).toBe('/staff/hotel/hotel-killarney/attendance/face-management/force-clock-in/');
    expect(double.state.clockLogs({ staffId: world.conor.id })).toHaveLength(0);

    const forced = await client.forceClockIn({ encoding: world.probes.conor, reason: 'Covering a sick call' });
    if (!forced.ok) throw new Error(JSON.stringify(forced));
    expect(forced.status).toBe(201);
    expect(forced.data.clock_log.is_unrostered).toBe(true);
    expect(forced.data.clock_log.is_approved).toBe(false);
    expect(double.state.auditActions()).toContainEqual({ staffId: world.conor.id, action: 'FORCED_CLOCK_IN', reason: 'Covering a sick call' });

    const replay = await client.forceClockIn({ encoding: world.probes.conor });
    expect(replay).toMatchObject({ ok: false, kind: 'http', status: 400 });
    expect(!replay.ok && replay.message).toBe('Staff already clocked in: Conor is already clocked in since 2026-11-26 10:00:00.250000+00:00');
    expect(double.state.clockLogs({ staffId: world.conor.id })).toHaveLength(1);
  });

  it('accepts and ignores client_event_id and occurred_at: the server records its own time', async () => {
    const res = await client.faceClockIn({
      encoding: world.probes.aoife,
      client_event_id: '01937f6e-0000-7000-8000-000000000001',
      occurred_at: '2026-11-26T09:30:00.000Z',
    });
    expect(res.ok && res.status).toBe(201);
    expect(double.state.clockLogs({ staffId: world.aoife.id })[0].timeIn).toBe('2026-11-26T10:00:00.250000Z');
  });

  it('an unknown face is 404 "Face not recognized"; a hotel without active faces answers 500', async () => {
    const stranger = await client.faceClockIn({ encoding: world.encodings.stranger });
    expect(stranger).toMatchObject({ ok: false, kind: 'http', status: 404 });
    expect(!stranger.ok && stranger.message).toBe('Face not recognized: No matching face found or confidence too low');

    const clockOut = await client.confirmClockOut({ encoding: world.encodings.stranger });
    expect(!clockOut.ok && clockOut.kind === 'http' && clockOut.body).toEqual({ error: 'Face not recognized', confidence_score: expect.any(Number) });

    await client.revokeFace({ staff_id: world.aoife.id, reason: 'left' });
    await client.revokeFace({ staff_id: world.conor.id });
    const none = await client.faceClockIn({ encoding: world.probes.aoife });
    expect(none).toMatchObject({ ok: false, kind: 'http', status: 500, message: 'HTTP 500 (server error)' });
  });

  it('matches at the inclusive 0.6 threshold and not beyond', async () => {
    const edge = await client.faceClockIn({ encoding: nearby(world.encodings.aoife, 0.599, 5) });
    expect(edge.ok && edge.data.staff.id).toBe(world.aoife.id);
    const beyond = await client.faceClockIn({ encoding: nearby(world.encodings.aoife, 0.61, 5) });
    expect(beyond).toMatchObject({ ok: false, status: 404 });
  });

  it('rejects a wrong-length encoding with the serializer message (400) before matching', async () => {
    const res = await client.faceClockIn({ encoding: world.probes.aoife.slice(0, 127) });
    expect(res).toMatchObject({ ok: false, kind: 'http', status: 400, message: 'Validation failed' });
    expect(!res.ok && res.kind === 'http' && res.body).toEqual({
      error: 'Validation failed',
      details: { encoding: ['Encoding must be exactly 128 dimensions'] },
    });
    const toggle = await client.toggleBreak({ encoding: [1, 2, 3] });
    expect(!toggle.ok && toggle.message).toBe('A 128-length descriptor array is required.');
  });
});

describe('UTC day and roster quirks', () => {
  it('no grace window: one minute before the shift is unrostered, at the start it is rostered', async () => {
    clock.set('2026-11-26T08:59:00Z');
    const early = await client.faceClockIn({ encoding: world.probes.aoife });
    expect(early.ok && early.data.action).toBe('unrostered_detected');
    clock.set('2026-11-26T09:00:00Z');
    const onTime = await client.faceClockIn({ encoding: world.probes.aoife });
    expect(onTime.ok && onTime.data.action).toBe('clock_in_success');
  });

  it("picks the earliest-starting of overlapping shifts, yesterday's overnight shift included", async () => {
    double.seed.face({ staffId: world.niamh.id, encoding: encodingFor(4) });
    double.seed.shift({ staffId: world.niamh.id, date: '2026-11-26', start: '09:30', end: '11:00' });
    const early = double.seed.shift({ staffId: world.niamh.id, date: '2026-11-26', start: '08:00', end: '12:00' });
    const res = await client.faceClockIn({ encoding: nearby(encodingFor(4), 0.05) });
    if (!res.ok || res.data.action !== 'clock_in_success') throw new Error(JSON.stringify(res));
    expect(res.data.shift_info?.id).toBe(early.id);

    await client.confirmClockOut({ encoding: nearby(encodingFor(4), 0.05) });
    // An overnight shift from yesterday (UTC) that still covers now starts earlier still.
    const overnight = double.seed.shift({ staffId: world.niamh.id, date: '2026-11-25', start: '20:00', end: '10:30' });
    clock.advance(5 * 60_000);
    const res2 = await client.faceClockIn({ encoding: nearby(encodingFor(4), 0.05) });
    expect(res2.ok && res2.data.action === 'clock_in_success' && res2.data.shift_info?.id).toBe(overnight.id);
  });

  it('a session that began before UTC midnight is invisible after it: no clock-out, and a second open log', async () => {
    double.seed.shift({ staffId: world.conor.id, date: '2026-11-26', start: '22:00', end: '06:00' });
    clock.set('2026-11-26T23:50:00Z');
    const inRes = await client.faceClockIn({ encoding: world.probes.conor });
    expect(inRes.ok && inRes.data.action).toBe('clock_in_success');

    clock.set('2026-11-27T00:10:00Z');
    const out = await client.confirmClockOut({ encoding: world.probes.conor });
    expect(out).toMatchObject({ ok: false, status: 400, message: 'No active clock-in found' });
    const again = await client.faceClockIn({ encoding: world.probes.conor });
    expect(again.ok && again.data.action).toBe('clock_in_success'); // yesterday's overnight shift still matches
    const open = double.state.clockLogs({ staffId: world.conor.id }).filter((l) => l.timeOut === null);
    expect(open).toHaveLength(2);
  });
});

describe('clockLog: one log by id', () => {
  it('reads a manual log open, then closed; 404 for one the account may not see or that does not exist', async () => {
    const created = await client.createClockLog({ hotel: 1, staff: world.conor.id, location_note: 'Lobby kiosk | no face', verified_by_face: false });
    if (!created.ok) throw new Error(created.message);
    const open = await client.clockLog(created.data.id);
    expect(open).toMatchObject({ ok: true, status: 200, data: { id: created.data.id, staff: world.conor.id, time_out: null, location_note: 'Lobby kiosk | no face' } });

    clock.advance(60_000);
    expect(double.webApp.clockOut(world.conor.id).outcome).toBe('clock_out_success');
    const closed = await client.clockLog(created.data.id);
    expect(closed.ok && closed.data.time_out).toBe('2026-11-26T10:01:00.250000Z');

    expect(await clientFor(world.aoife.token).clockLog(created.data.id)).toMatchObject({ ok: false, kind: 'http', status: 404 });
    expect(await client.clockLog(created.data.id + 1)).toMatchObject({ ok: false, kind: 'http', status: 404, body: { detail: 'No ClockLog matches the given query.' } });
  });
});

describe('permissions', () => {
  it('401 for a bad or missing token, 401 for a token the double was told to reject', async () => {
    const noToken = await clientFor(null).myStatus();
    expect(noToken).toMatchObject({ ok: false, kind: 'http', status: 401, message: 'Authentication credentials were not provided.' });
    const badToken = await clientFor('0'.repeat(40)).myStatus();
    expect(badToken).toMatchObject({ ok: false, kind: 'http', status: 401, message: 'Invalid token.' });
    double.faults.rejectToken(world.manager.token);
    const rejected = await client.faceClockIn({ encoding: world.probes.aoife });
    expect(rejected).toMatchObject({ ok: false, kind: 'http', status: 401 });
    expect(double.state.clockLogs()).toHaveLength(0);
    double.faults.acceptToken(world.manager.token);
    expect((await client.myStatus()).ok).toBe(true);
  });

  it('403 when face attendance is disabled (error body), or the account lacks a capability (detail body)', async () => {
    double.seed.setFaceAttendance(world.hotelSlug, false);
    const disabled = await client.faceClockIn({ encoding: world.probes.aoife });
    expect(disabled).toMatchObject({
      ok: false,
      kind: 'http',
      status: 403,
      message: 'Face attendance is not enabled for this hotel. Please use the regular clock-in method.',
    });
    const regular = clientFor(world.aoife.token);
    const faces = await regular.listFaces();
    expect(faces).toMatchObject({ ok: false, status: 403, message: 'You do not have permission to read attendance face data.' });
    const staff = await regular.allStaff();
    expect(staff).toMatchObject({ ok: false, status: 403 });
  });

  it('403 when the token belongs to another hotel', async () => {
    double.seed.hotel({ slug: 'hotel-cork', faceAttendanceEnabled: true });
    const other = double.seed.staff({ hotel: 'hotel-cork', firstName: 'Pat', lastName: 'Walsh', access: 'kiosk' });
    const res = await clientFor(other.token).faceClockIn({ encoding: world.probes.aoife });
    expect(res).toMatchObject({ ok: false, status: 403, message: 'You can only access resources from your hotel.' });
  });
});

describe('transport failures', () => {
  it('a slow answer is a timeout; the write still happens on the server (a lost response)', async () => {
    double.faults.latency(600, { path: 'face-clock-in' });
    const res = await clientFor(world.manager.token, 200).faceClockIn({ encoding: world.probes.aoife });
    expect(res).toEqual({ ok: false, kind: 'timeout', message: 'no answer within 200 ms' });
    await sleep(700);
    expect(double.state.clockLogs({ staffId: world.aoife.id })).toHaveLength(1);
  });

  it('a connection dropped before the handler is a network error and writes nothing', async () => {
    double.faults.dropConnection({ when: 'before', path: 'face-clock-in' });
    const res = await client.faceClockIn({ encoding: world.probes.aoife });
    expect(res.ok === false && res.kind).toBe('network');
    expect(double.state.clockLogs()).toHaveLength(0);
    expect(double.state.requests().at(-1)).toMatchObject({ status: 0, fault: 'drop_before' });
  });

  it('a connection dropped after the write is a network error, and the replay sees the session', async () => {
    double.faults.dropConnection({ when: 'after', path: 'face-clock-in' });
    const res = await client.faceClockIn({ encoding: world.probes.aoife });
    expect(res.ok === false && res.kind).toBe('network');
    expect(double.state.clockLogs({ staffId: world.aoife.id })).toHaveLength(1);
    const replay = await client.faceClockIn({ encoding: world.probes.aoife });
    expect(replay.ok && replay.data.action).toBe('clock_out_options');
  });

  it('500 after the write is an http 500, and the write persisted', async () => {
    double.faults.failAfterWrite({ path: 'toggle-break' });
    await client.faceClockIn({ encoding: world.probes.aoife });
    const res = await client.toggleBreak({ encoding: world.probes.aoife });
    expect(res).toMatchObject({ ok: false, kind: 'http', status: 500 });
    expect(double.state.staff(world.aoife.id)?.dutyStatus).toBe('on_break');
  });

  it('a token that cannot be read is a network-kind failure and nothing is sent', async () => {
    double.state.clearRequests();
    const broken = createHotelMateClient({
      baseUrl: double.apiBaseUrl,
      hotelSlug: world.hotelSlug,
      getToken: () => Promise.reject(new Error('secret store locked')),
      timeoutMs: 2000,
      logger,
    });
    const res = await broken.faceClockIn({ encoding: world.probes.aoife });
    expect(res).toEqual({ ok: false, kind: 'network', message: 'could not read the API token: secret store locked' });
    expect(double.state.requests()).toHaveLength(0);
  });

  it('a connection refused is a network error', async () => {
    const url = double.apiBaseUrl;
    await double.close();
    const res = await clientFor(world.manager.token, 2000, url).myStatus();
    expect(res.ok === false && res.kind).toBe('network');
    double = await createHotelMateDouble(); // for afterEach
  });

  it('a truncated body is a bad_response naming the endpoint, logged, and not a crash', async () => {
    double.faults.malformedBody({ path: 'face-clock-in' });
    const res = await client.faceClockIn({ encoding: world.probes.aoife });
    expect(res).toMatchObject({ ok: false, kind: 'bad_response', status: 201 });
    expect(!res.ok && res.message).toMatch(/^face-clock-in: response is not JSON/);
    expect(logger.records.some((r) => r.level === 'warn' && r.fields?.endpoint === 'face-clock-in')).toBe(true);
  });

  it('a JSON body of the wrong shape is a bad_response with the first issue', async () => {
    double.faults.malformedBody({ path: 'face-clock-in', body: '{"action":"clock_in_success","message":"x"}' });
    const partial = await client.faceClockIn({ encoding: world.probes.aoife });
    expect(!partial.ok && partial.kind).toBe('bad_response');
    expect(!partial.ok && partial.message).toMatch(/^face-clock-in: unexpected response shape at staff/);

    double.faults.malformedBody({ path: 'face-clock-in', body: '{"action":"teleport"}' });
    const unknown = await client.faceClockIn({ encoding: world.probes.aoife });
    expect(!unknown.ok && unknown.message).toMatch(/^face-clock-in: unexpected response shape at action/);

    double.faults.malformedBody({ path: 'department-status', body: '[1,2,3]' });
    const board = await client.departmentStatus();
    expect(!board.ok && board.kind).toBe('bad_response');
  });

  it('an HTML error page is an http error with a readable message', async () => {
    const res = await createHotelMateClient({
      baseUrl: double.apiBaseUrl,
      hotelSlug: world.hotelSlug,
      getToken: () => world.manager.token,
      timeoutMs: 2000,
      logger,
    }).faceConfig();
    expect(res.ok).toBe(true);
    const missing = await clientFor(null, 2000, double.apiBaseUrl, 'no-such-hotel').faceConfig();
    expect(missing).toMatchObject({ ok: false, kind: 'http', status: 404, message: 'Not found.' });
  });

  it('never logs the token or an encoding', async () => {
    await client.login('siobhan.kelly', 'KioskTest123!');
    double.faults.malformedBody({ path: 'face-clock-in' });
    await client.faceClockIn({ encoding: world.probes.aoife });
    await client.faceClockIn({ encoding: world.encodings.stranger });
    const text = JSON.stringify(logger.records);
    expect(text).not.toContain(world.manager.token);
    expect(text).not.toContain('KioskTest123!');
    expect(text).not.toContain(String(world.probes.aoife[0]));
  });
});

describe('reference data', () => {
  it('allStaff follows the staff list pagination (page_size=100) past 20 and 100 staff', async () => {
    for (let i = 0; i < 226; i += 1) {
      double.seed.staff({ hotel: world.hotelSlug, firstName: `Temp${i}`, lastName: 'Worker', department: i % 2 ? 'housekeeping' : 'front_office' });
    }
    double.state.clearRequests();
    const res = await client.allStaff();
    if (!res.ok) throw new Error(JSON.stringify(res));
    expect(res.data).toHaveLength(230);
    expect(new Set(res.data.map((s) => s.id)).size).toBe(230);
    const pages = double.state.requests().filter((r) => r.path === '/api/staff/hotel-killarney/');
    expect(pages.map((r) => r.query)).toEqual(['?page=1&page_size=100', '?page=2&page_size=100', '?page=3&page_size=100']);
  });

  it('the raw staff list pages by 20 by default and caps page_size at 100', async () => {
    for (let i = 0; i < 146; i += 1) double.seed.staff({ hotel: world.hotelSlug, firstName: `T${i}`, lastName: 'W' });
    const get = async (q: string): Promise<{ count: number; next: string | null; results: unknown[] }> =>
      (await (await fetch(`${double.apiBaseUrl}/staff/hotel-killarney/${q}`, { headers: { Authorization: `Token ${world.manager.token}` } })).json()) as {
        count: number;
        next: string | null;
        results: unknown[];
      };
    const first = await get('');
    expect(first.count).toBe(150);
    expect(first.results).toHaveLength(20);
    expect(first.next).toBe(`${double.url}/api/staff/hotel-killarney/?page=2`);
    expect((await get('?page_size=500')).results).toHaveLength(100);
  });

  it('a failing page fails allStaff as a whole', async () => {
    for (let i = 0; i < 120; i += 1) double.seed.staff({ hotel: world.hotelSlug, firstName: `T${i}`, lastName: 'W' });
    double.faults.failAfterWrite({ path: /^\/api\/staff\/hotel-killarney\/$/, times: 1 });
    const res = await client.allStaff();
    expect(res).toMatchObject({ ok: false, kind: 'http', status: 500 });
  });

  it('staffDetail returns duty status; an unknown id is 404', async () => {
    await client.faceClockIn({ encoding: world.probes.aoife });
    await client.toggleBreak({ encoding: world.probes.aoife });
    const res = await client.staffDetail(world.aoife.id);
    if (!res.ok) throw new Error(JSON.stringify(res));
    expect(res.data.duty_status).toBe('on_break');
    expect(res.data.current_status?.break_start).toMatch(/Z$/);
    const missing = await client.staffDetail(9999);
    expect(missing).toMatchObject({ ok: false, kind: 'http', status: 404 });
  });

  it('shifts is a plain list filtered by date only when both bounds are given', async () => {
    double.seed.shift({ staffId: world.conor.id, date: '2026-11-27', start: '07:00', end: '15:00' });
    const today = await client.shifts('2026-11-26', '2026-11-26');
    expect(today.ok && today.data.map((s) => s.staff)).toEqual([world.aoife.id]);
    const both = await client.shifts('2026-11-26', '2026-11-27');
    expect(both.ok && both.data).toHaveLength(2);
  });

  it('departmentStatus and myStatus reflect the clock', async () => {
    await client.faceClockIn({ encoding: world.probes.aoife });
    await client.faceClockIn({ encoding: world.probes.conor });
    await client.forceClockIn({ encoding: world.probes.conor });
    const board = await client.departmentStatus();
    if (!board.ok) throw new Error(JSON.stringify(board));
    expect(Object.keys(board.data).sort()).toEqual(['front_office', 'housekeeping']);
    expect(board.data.housekeeping.unrostered[0]).toMatchObject({ staff_id: world.conor.id, needs_approval: true });

    expect((await client.myStatus()).ok && (await client.myStatus())).toMatchObject({ data: { status: 'not_clocked_in' } });
    const mine = await clientFor(world.aoife.token).myStatus();
    expect(mine.ok && mine.data).toEqual({ status: 'clocked_in', since: '2026-11-26T10:00:00.250000Z' });
  });

  it('registerFace replaces a face, listFaces shows it, revokeFace deactivates it (400 when already revoked)', async () => {
    const reg = await client.registerFace({ image: TINY_JPEG, encoding: encodingFor(4), staff_id: world.niamh.id, consent_given: true });
    if (!reg.ok) throw new Error(JSON.stringify(reg));
    expect(reg.status).toBe(201);
    expect(reg.data.face_data.created_at).toMatch(/\+00:00$/);
    const list = await client.listFaces();
    expect(list.ok && list.data.faces.map((f) => f.staff).sort()).toEqual([world.aoife.id, world.conor.id, world.niamh.id].sort());
    const badImage = await client.registerFace({ image: 'not-an-image', encoding: encodingFor(4), staff_id: world.niamh.id });
    expect(badImage).toMatchObject({ ok: false, status: 400 });

    const revoked = await client.revokeFace({ staff_id: world.niamh.id, reason: 'test' });
    expect(revoked.ok && revoked.data.staff_id).toBe(world.niamh.id);
    const again = await client.revokeFace({ staff_id: world.niamh.id });
    expect(again).toMatchObject({ ok: false, kind: 'http', status: 400 });
    const selfOnly = await clientFor(world.aoife.token).registerFace({ image: TINY_JPEG, encoding: encodingFor(9), staff_id: world.conor.id });
    expect(selfOnly).toMatchObject({ ok: false, status: 403, message: 'You can only register your own face.' });
  });
});
