/**
 * The HotelMate web app as a second client of the double (`double.webApp`): each action runs the
 * web page's real sequence (face-clock-in, then the offered follow-up with the same encoding)
 * through the same backend as the kiosk, so the writes and the Pusher events are the contract's:
 * clock-in delivered, break start dropped (unless the Pusher client encodes datetimes), break end
 * delivered, clock-out none.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createHotelMateDouble, createManualClock, type HotelMateDouble, type KillarneyWorld, type ManualClock } from '../../support/hotelmate-double';

let double: HotelMateDouble | null = null;
afterEach(async () => {
  await double?.close();
  double = null;
});

interface Setup {
  d: HotelMateDouble;
  w: KillarneyWorld;
  clock: ManualClock;
  /** Delivered events as `event:action` (or `event:type` for the managers' channel). */
  delivered: string[];
}

async function start(options: { pusherEncodesDatetimes?: boolean } = {}): Promise<Setup> {
  const clock = createManualClock('2026-11-26T10:00:00Z');
  const delivered: string[] = [];
  const d = await createHotelMateDouble({
    clock,
    pusherEncodesDatetimes: options.pusherEncodesDatetimes,
    onPusherEvent: (_channel, event, data) => {
      const d = data as { payload?: { action?: string }; type?: string };
      delivered.push(`${event}:${d.payload?.action ?? d.type}`);
    },
  });
  double = d;
  return { d, w: d.seed.killarney({ aoifeShift: { start: '09:00', end: '17:00' } }), clock, delivered };
}

describe('the web app as a second client', () => {
  it('clocks a rostered person in with one face-clock-in, announced over Pusher, without any HTTP request to the kiosk\'s log', async () => {
    const { d, w, delivered } = await start();
    const result = d.webApp.clockIn(w.aoife.id);
    expect(result.outcome).toBe('clock_in_success');
    expect(result.steps.map((s) => [s.path, s.status])).toEqual([['/api/staff/hotel/hotel-killarney/attendance/face-management/face-clock-in/', 201]]);
    expect(d.state.clockLogs({ staffId: w.aoife.id })).toEqual([expect.objectContaining({ timeIn: '2026-11-26T10:00:00Z', timeOut: null, isUnrostered: false })]);
    expect(delivered).toEqual(['clock_status_updated:clock_in']);
    expect(d.state.requests()).toEqual([]);
  });

  it('confirms an unrostered clock-in through confirmation_endpoint with the typed reason', async () => {
    const { d, w, delivered } = await start();
    const result = d.webApp.clockIn(w.conor.id, { reason: 'Covering a sick call' });
    expect(result.outcome).toBe('unrostered_clock_in');
    expect(result.steps.map((s) => s.path)).toEqual([
      '/api/staff/hotel/hotel-killarney/attendance/face-management/face-clock-in/',
      '/api/staff/hotel/hotel-killarney/attendance/face-management/force-clock-in/',
    ]);
    expect(d.state.clockLogs({ staffId: w.conor.id })).toEqual([expect.objectContaining({ isUnrostered: true, isApproved: false })]);
    expect(d.state.auditActions().at(-1)).toEqual({ staffId: w.conor.id, action: 'FORCED_CLOCK_IN', reason: 'Covering a sick call' });
    expect(delivered).toEqual(['clock_status_updated:clock_in', 'unrostered-clockin-request:unrostered_clockin_request']);
  });

  it('starts a break with no clock_status_updated delivered, and ends it with one', async () => {
    const { d, w, clock, delivered } = await start();
    d.webApp.clockIn(w.aoife.id);
    clock.advance(30 * 60_000);
    const started = d.webApp.startBreak(w.aoife.id);
    expect(started.outcome).toBe('break_started');
    expect(started.steps.map((s) => (s.body as { action: string }).action)).toEqual(['clock_out_options', 'break_started']);
    expect(d.state.staff(w.aoife.id)).toMatchObject({ dutyStatus: 'on_break' });
    expect(d.state.pusherEvents().at(-1)).toMatchObject({ delivered: false });
    clock.advance(10 * 60_000);
    const ended = d.webApp.endBreak(w.aoife.id);
    expect(ended.outcome).toBe('break_ended');
    expect(d.state.clockLogs({ staffId: w.aoife.id })[0].totalBreakMinutes).toBe(10);
    expect(delivered).toEqual(['clock_status_updated:clock_in', 'clock_status_updated:end_break']);
  });

  it('delivers the break start when the Pusher client encodes datetimes', async () => {
    const { d, w, delivered } = await start({ pusherEncodesDatetimes: true });
    d.webApp.clockIn(w.aoife.id);
    d.webApp.startBreak(w.aoife.id);
    expect(delivered).toEqual(['clock_status_updated:clock_in', 'clock_status_updated:start_break']);
  });

  it('clocks out through confirm-clock-out, which sends no Pusher event', async () => {
    const { d, w, clock, delivered } = await start();
    d.webApp.clockIn(w.aoife.id);
    clock.advance(8 * 3_600_000);
    const out = d.webApp.clockOut(w.aoife.id);
    expect(out.outcome).toBe('clock_out_success');
    expect(d.state.clockLogs({ staffId: w.aoife.id })[0].timeOut).toBe('2026-11-26T18:00:00Z');
    expect(d.state.staff(w.aoife.id)).toMatchObject({ dutyStatus: 'off_duty' });
    expect(delivered).toEqual(['clock_status_updated:clock_in']);
  });

  it('cannot clock out during a break: the page offers only Resume Shift, so nothing is written', async () => {
    const { d, w } = await start();
    d.webApp.clockIn(w.aoife.id);
    d.webApp.startBreak(w.aoife.id);
    const out = d.webApp.clockOut(w.aoife.id);
    expect(out.outcome).toBe('clock_out_options');
    expect(out.steps).toHaveLength(1);
    expect(d.state.clockLogs({ staffId: w.aoife.id })[0]).toMatchObject({ timeOut: null, isOnBreak: true });
  });

  it('a break start for a rostered person who is not clocked in becomes a clock-in (the state check writes it)', async () => {
    const { d, w } = await start();
    const result = d.webApp.startBreak(w.aoife.id);
    expect(result.outcome).toBe('clock_in_success');
    expect(d.state.clockLogs({ staffId: w.aoife.id })).toEqual([expect.objectContaining({ isOnBreak: false, timeOut: null })]);
  });

  it('a break start for an unrostered person who is not clocked in stops at the prompt and writes nothing', async () => {
    const { d, w } = await start();
    expect(d.webApp.startBreak(w.conor.id).outcome).toBe('unrostered_detected');
    expect(d.state.clockLogs()).toEqual([]);
  });

  it('acts with the signed-in account: the face gate applies to that account, not to the person', async () => {
    const { d, w } = await start();
    const front = d.seed.department(w.hotelSlug, 'front_office');
    d.seed.setFaceAttendance(w.hotelSlug, true, [front.id]);
    const denied = d.webApp.clockIn(w.aoife.id, { signedInAs: w.conor.id });
    expect(denied.outcome).toBe('error');
    expect(denied.steps[0]).toMatchObject({ status: 403, body: { error: 'Face attendance not allowed for your department' } });
    expect(d.webApp.clockIn(w.aoife.id, { signedInAs: w.niamh.id }).outcome).toBe('clock_in_success');
  });

  it('refuses to act for a person without an active face, as the face page could not identify them', async () => {
    const { d, w } = await start();
    expect(() => d.webApp.clockIn(w.niamh.id)).toThrow(/no active face/);
  });
});
