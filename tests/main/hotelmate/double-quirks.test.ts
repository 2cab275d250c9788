/**
 * Documented behaviours of the HotelMate backend that the transcript does not exercise, checked on
 * the double over raw HTTP: the face gate's department rule, Pusher delivery, pagination of
 * clock-logs, the latent 500s, 405/400 answers, ignored fields, and persistence in its SQLite file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createHotelMateDouble, createManualClock, encodingFor, nearby, rawCall, type HotelMateDouble, type KillarneyWorld, type RawAnswer } from '../../support/hotelmate-double';

let double: HotelMateDouble | null = null;
afterEach(async () => {
  await double?.close();
  double = null;
});

const A = '/api/staff/hotel/hotel-killarney/attendance';

function call(d: HotelMateDouble, token: string | null, method: string, p: string, body?: unknown): Promise<RawAnswer> {
  return rawCall(d.url, token, method, p, body);
}

async function start(onPusherEvent?: (c: string, e: string, d: unknown) => void): Promise<{ d: HotelMateDouble; w: KillarneyWorld }> {
  const clock = createManualClock('2026-11-26T10:00:00Z');
  const d = await createHotelMateDouble({ clock, onPusherEvent });
  double = d;
  const w = d.seed.killarney({ aoifeShift: { start: '09:00', end: '17:00' } });
  return { d, w };
}

describe('HotelMate double: documented quirks beyond the transcript', () => {
  it('forwards only the Pusher events the real backend delivers', async () => {
    const seen: string[] = [];
    const { d, w } = await start((channel, event, data) => {
      const action = (data as { payload?: { action?: string } }).payload?.action;
      seen.push(`${channel} ${event}${action ? ` ${action}` : ''}`);
    });
    const tok = w.manager.token;
    await call(d, tok, 'POST', `${A}/face-management/face-clock-in/`, { encoding: w.probes.aoife });
    await call(d, tok, 'POST', `${A}/face-management/toggle-break/`, { encoding: w.probes.aoife });
    await call(d, tok, 'POST', `${A}/face-management/toggle-break/`, { encoding: w.probes.aoife });
    await call(d, tok, 'POST', `${A}/face-management/confirm-clock-out/`, { encoding: w.probes.aoife });
    await call(d, tok, 'POST', `${A}/face-management/force-clock-in/`, { encoding: w.probes.conor });
    expect(seen).toEqual([
      'hotel-killarney.attendance clock_status_updated clock_in',
      'hotel-killarney.attendance clock_status_updated end_break',
      'hotel-killarney.attendance clock_status_updated clock_in',
      'attendance-hotel-killarney-managers unrostered-clockin-request',
    ]);
    expect(d.state.pusherEvents().filter((e) => !e.delivered)).toHaveLength(1);
  });

  it('face gate checks the CALLING account: its department and its active flag', async () => {
    const { d, w } = await start();
    const housekeeping = d.seed.department(w.hotelSlug, 'housekeeping');
    d.seed.setFaceAttendance(w.hotelSlug, true, [housekeeping.id]);
    const denied = await call(d, w.manager.token, 'POST', `${A}/face-management/face-clock-in/`, { encoding: w.probes.conor });
    expect(denied).toMatchObject({ status: 403, json: { error: 'Face attendance not allowed for your department' } });
    const kiosk = d.seed.staff({ hotel: w.hotelSlug, firstName: 'Kiosk', lastName: 'Lobby', access: 'kiosk' });
    const noDept = await call(d, kiosk.token, 'POST', `${A}/face-management/face-clock-in/`, { encoding: w.probes.conor });
    expect(noDept.status).toBe(200);
    d.seed.setStaffActive(kiosk.id, false);
    const inactive = await call(d, kiosk.token, 'POST', `${A}/face-management/face-clock-in/`, { encoding: w.probes.conor });
    expect(inactive).toMatchObject({ status: 403, json: { error: 'Staff member account is inactive' } });
  });

  it('a deactivated person whose face is still active can clock in (the gate ignores the person)', async () => {
    const { d, w } = await start();
    d.seed.setStaffActive(w.aoife.id, false);
    const res = await call(d, w.manager.token, 'POST', `${A}/face-management/face-clock-in/`, { encoding: w.probes.aoife });
    expect(res.status).toBe(201);
  });

  it('ignores unknown fields, validates then ignores force_action', async () => {
    const { d, w } = await start();
    const bad = await call(d, w.manager.token, 'POST', `${A}/face-management/face-clock-in/`, { encoding: w.probes.aoife, force_action: 'fly' });
    expect(bad).toMatchObject({ status: 400, json: { error: 'Validation failed', details: { force_action: ['"fly" is not a valid choice.'] } } });
    const ok = await call(d, w.manager.token, 'POST', `${A}/face-management/face-clock-in/`, {
      encoding: w.probes.aoife,
      force_action: 'clock_out',
      timestamp: '2020-01-01T00:00:00Z',
      confirmation_mode: true,
    });
    expect(ok).toMatchObject({ status: 201, json: { action: 'clock_in_success' } });
    const tooBig = await call(d, w.manager.token, 'POST', `${A}/face-management/face-clock-in/`, { encoding: w.probes.aoife.map(() => 11) });
    expect(tooBig.json).toEqual({ error: 'Validation failed', details: { encoding: ['Encoding values appear invalid (out of expected range)'] } });
  });

  it('clock-logs are paginated by 10 with absolute next links; without read_all only your own', async () => {
    const { d, w } = await start();
    for (let day = 1; day <= 12; day += 1) {
      d.seed.clockLog({ staffId: w.aoife.id, timeIn: `2026-11-${String(day).padStart(2, '0')}T09:00:00Z`, timeOut: `2026-11-${String(day).padStart(2, '0')}T17:00:00Z` });
    }
    d.seed.clockLog({ staffId: w.conor.id, timeIn: '2026-11-20T09:00:00Z', timeOut: '2026-11-20T10:00:00Z' });
    const first = await call(d, w.manager.token, 'GET', `${A}/clock-logs/`);
    const page = first.json as { count: number; next: string; results: { time_in: string }[] };
    expect(page.count).toBe(13);
    expect(page.results).toHaveLength(10);
    expect(page.results[0].time_in).toBe('2026-11-20T09:00:00Z');
    expect(page.next).toBe(`${d.url}${A}/clock-logs/?page=2`);
    const own = await call(d, w.aoife.token, 'GET', `${A}/clock-logs/`);
    expect((own.json as { count: number }).count).toBe(12);
    expect((await call(d, w.manager.token, 'GET', `${A}/clock-logs/?page=3`)).status).toBe(404);
  });

  it('answers the latent 500s after auth, 405 for a wrong method, 400 for broken JSON', async () => {
    const { d, w } = await start();
    expect((await call(d, null, 'GET', `${A}/clock-logs/currently-clocked-in/`)).status).toBe(401);
    const broken = await call(d, w.manager.token, 'GET', `${A}/clock-logs/currently-clocked-in/?hotel_slug=hotel-killarney`);
    expect(broken.status).toBe(500);
    expect(broken.text).toContain('<h1>Server Error (500)</h1>');
    expect((await call(d, w.manager.token, 'GET', `${A}/face-management/audit-logs/?page=abc`)).status).toBe(500);
    expect(await call(d, w.manager.token, 'GET', `${A}/face-management/face-clock-in/`)).toMatchObject({
      status: 405,
      json: { detail: 'Method "GET" not allowed.' },
    });
    expect((await call(d, w.manager.token, 'POST', `${A}/face-management/face-clock-in/`, '{"encoding": [')).status).toBe(400);
    expect((await call(d, w.manager.token, 'GET', '/api/staff/hotel/hotel-killarney/attendance/nothing-here/')).status).toBe(404);
  });

  it('shifts without both bounds are not date-filtered', async () => {
    const { d, w } = await start();
    d.seed.shift({ staffId: w.conor.id, date: '2026-12-01', start: '07:00', end: '15:00' });
    const onlyStart = await call(d, w.manager.token, 'GET', `${A}/shifts/?start=2026-11-26`);
    expect((onlyStart.json as unknown[]).length).toBe(2);
  });

  it('keeps its state in the SQLite file across restarts', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hm-double-'));
    const dbFile = path.join(dir, 'double.sqlite');
    const clock = createManualClock('2026-11-26T10:00:00Z');
    const first = await createHotelMateDouble({ dbFile, clock });
    const w = first.seed.killarney({ aoifeShift: { start: '09:00', end: '17:00' } });
    await call(first, w.manager.token, 'POST', `${A}/face-management/face-clock-in/`, { encoding: w.probes.aoife });
    await first.close();
    double = await createHotelMateDouble({ dbFile, clock });
    const again = await call(double, w.manager.token, 'POST', `${A}/face-management/face-clock-in/`, { encoding: nearby(encodingFor(2), 0.02, 9) });
    expect(again).toMatchObject({ status: 200, json: { action: 'clock_out_options' } });
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
