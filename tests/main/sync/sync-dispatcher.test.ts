import { describe, expect, it } from 'vitest';
import { createHarness } from './harness';

describe('sync: the face-clock-in dispatcher branches', () => {
  it('201 clock_in_success: a rostered clock-in is one request', async () => {
    const h = await createHarness();
    h.punch(h.world.aoife.id, 'clock_in', h.world.probes.aoife);
    await h.sync();
    expect(h.endpoints()).toEqual(['face-clock-in']);
    const [log] = h.double.state.clockLogs({ staffId: h.world.aoife.id });
    expect(log).toMatchObject({ isUnrostered: false, rosterShiftId: h.world.aoifeShiftId });
    expect(h.service.ledger({ limit: 1 })[0]?.syncState).toBe('synced');
  });

  it('200 unrostered_detected: follows up with force-clock-in carrying the punch reason', async () => {
    const h = await createHarness();
    h.punch(h.world.conor.id, 'clock_in', h.world.probes.conor, 'Covering for a sick colleague');
    await h.sync();
    expect(h.endpoints()).toEqual(['face-clock-in', 'force-clock-in']);
    const [log] = h.double.state.clockLogs({ staffId: h.world.conor.id });
    expect(log).toMatchObject({ isUnrostered: true, isApproved: false });
    expect(h.double.state.auditActions()).toContainEqual({ staffId: h.world.conor.id, action: 'FORCED_CLOCK_IN', reason: 'Covering for a sick colleague' });
  });

  it('unrostered without a reason sends the default reason', async () => {
    const h = await createHarness();
    h.punch(h.world.conor.id, 'clock_in', h.world.probes.conor);
    await h.sync();
    expect(h.double.state.auditActions().at(-1)?.reason).toBe('Unrostered clock-in confirmed at the kiosk');
  });

  it('200 clock_out_options for a clock-in: the server already has it, marked synced without a second write', async () => {
    const h = await createHarness();
    h.double.seed.clockLog({ staffId: h.world.aoife.id, timeIn: new Date(h.clock.now().getTime() - 30 * 60_000) });
    h.punch(h.world.aoife.id, 'clock_in', h.world.probes.aoife);
    await h.sync();
    expect(h.endpoints()).toEqual(['face-clock-in']);
    expect(h.double.state.clockLogs({ staffId: h.world.aoife.id })).toHaveLength(1);
    expect(h.service.ledger({ limit: 1 })[0]).toMatchObject({ syncState: 'synced' });
  });

  it('200 clock_out_options on a break: end_break toggles once, a start_break already reflected is not toggled', async () => {
    const h = await createHarness();
    h.double.seed.clockLog({
      staffId: h.world.aoife.id,
      timeIn: new Date(h.clock.now().getTime() - 3 * 3_600_000),
      isOnBreak: true,
      breakStart: new Date(h.clock.now().getTime() - 10 * 60_000),
    });
    // the kiosk's cache still thinks she is on duty: her start_break is "already reflected"
    h.service.applyServerStatus({ staffId: h.world.aoife.id, status: 'on_duty', breakStartedAt: null, observedAt: h.clock.now().toISOString(), source: 'poll' });
    h.clock.advance(1000);
    h.punch(h.world.aoife.id, 'start_break', h.world.probes.aoife);
    await h.sync();
    expect(h.endpoints()).toEqual(['face-clock-in']);
    expect(h.double.state.staff(h.world.aoife.id)?.dutyStatus).toBe('on_break');
    h.punch(h.world.aoife.id, 'end_break', h.world.probes.aoife);
    await h.sync();
    expect(h.endpoints()).toEqual(['face-clock-in', 'face-clock-in', 'toggle-break']);
    expect(h.double.state.staff(h.world.aoife.id)?.dutyStatus).toBe('on_duty');
  });

  it('404 face not recognised: needs review with the server message, nothing else sent', async () => {
    const h = await createHarness();
    h.punch(h.world.aoife.id, 'clock_in', h.world.encodings.stranger);
    await h.sync();
    expect(h.endpoints()).toEqual(['face-clock-in']);
    const [row] = h.service.ledger({ limit: 1 });
    expect(row).toMatchObject({ syncState: 'needs_review' });
    expect(row?.lastError).toMatch(/did not recognise the face.*Face not recognized/);
    expect(h.service.connection().needsReview).toBe(1);
  });

  it('the server matches another person: needs review, nothing more sent', async () => {
    const h = await createHarness();
    h.double.seed.clockLog({ staffId: h.world.conor.id, timeIn: new Date(h.clock.now().getTime() - 3_600_000) });
    // the kiosk decided Aoife, but the encoding it sends is Conor's: the server answers for Conor
    h.punch(h.world.aoife.id, 'clock_in', h.world.probes.conor);
    await h.sync();
    expect(h.endpoints()).toEqual(['face-clock-in']);
    const [row] = h.service.ledger({ limit: 1 });
    expect(row?.syncState).toBe('needs_review');
    expect(row?.lastError).toMatch(new RegExp(`staff #${h.world.conor.id}.*not to staff #${h.world.aoife.id}`));
    expect(h.double.state.clockLogs({ staffId: h.world.aoife.id })).toHaveLength(0);
    expect(h.double.state.clockLogs({ staffId: h.world.conor.id })[0]?.timeOut).toBeNull();
  });

  it('a clock-out the server already reflects (no open session) is synced without a write', async () => {
    const h = await createHarness();
    h.service.applyServerStatus({ staffId: h.world.conor.id, status: 'on_duty', breakStartedAt: null, observedAt: h.clock.now().toISOString(), source: 'poll' });
    h.clock.advance(1000);
    h.punch(h.world.conor.id, 'clock_out', h.world.probes.conor);
    await h.sync();
    expect(h.endpoints()).toEqual(['face-clock-in']);
    expect(h.service.ledger({ limit: 1 })[0]?.syncState).toBe('synced');
  });

  it('does not close a session that started after the punch (a newer session from elsewhere)', async () => {
    const h = await createHarness();
    h.service.applyServerStatus({ staffId: h.world.aoife.id, status: 'on_duty', breakStartedAt: null, observedAt: h.clock.now().toISOString(), source: 'poll' });
    h.clock.advance(1000);
    h.double.faults.dropConnection({ when: 'before', times: Infinity });
    h.punch(h.world.aoife.id, 'clock_out', h.world.probes.aoife);
    h.clock.advance(3 * 3_600_000);
    h.double.seed.clockLog({ staffId: h.world.aoife.id, timeIn: h.clock.now() }); // she clocked in on the web app later
    h.double.faults.clear();
    h.clock.advance(60_000);
    await h.sync();
    expect(h.endpoints().filter((e) => e === 'confirm-clock-out')).toHaveLength(0);
    expect(h.double.state.clockLogs({ staffId: h.world.aoife.id })[0]?.timeOut).toBeNull();
    expect(h.service.ledger({ limit: 1 })[0]?.lastError).toMatch(/will not close a newer session/);
  });
});

describe('sync: lost responses and server errors', () => {
  it('replays a clock-in whose response was lost without clocking in twice', async () => {
    const h = await createHarness();
    h.double.faults.dropConnection({ when: 'after', path: 'face-clock-in' });
    h.punch(h.world.aoife.id, 'clock_in', h.world.probes.aoife);
    await h.sync();
    expect(h.service.ledger({ limit: 1 })[0]).toMatchObject({ syncState: 'pending', attempts: 1 });
    expect(h.service.connection().api).toBe('offline');
    await h.sync();
    expect(h.service.ledger({ limit: 1 })[0]).toMatchObject({ syncState: 'synced', attempts: 2 });
    expect(h.double.state.clockLogs({ staffId: h.world.aoife.id })).toHaveLength(1);
  });

  it('replays a break start whose response was lost without flipping the break back', async () => {
    const h = await createHarness();
    h.punch(h.world.aoife.id, 'clock_in', h.world.probes.aoife);
    await h.sync();
    h.double.faults.dropConnection({ when: 'after', path: 'toggle-break' });
    h.clock.advance(60_000);
    h.punch(h.world.aoife.id, 'start_break', h.world.probes.aoife);
    await h.sync();
    expect(h.double.state.staff(h.world.aoife.id)?.dutyStatus).toBe('on_break');
    await h.sync();
    expect(h.service.ledger({ limit: 1 })[0]?.syncState).toBe('synced');
    expect(h.double.state.staff(h.world.aoife.id)?.dutyStatus).toBe('on_break');
    expect(h.endpoints().filter((e) => e === 'toggle-break')).toHaveLength(1);
  });

  it('replays an end of break whose response was lost without starting a new break', async () => {
    const h = await createHarness();
    h.punch(h.world.aoife.id, 'clock_in', h.world.probes.aoife);
    h.clock.advance(60_000);
    h.punch(h.world.aoife.id, 'start_break', h.world.probes.aoife);
    await h.sync();
    await h.sync();
    h.double.faults.failAfterWrite({ path: 'toggle-break' });
    h.clock.advance(60_000);
    h.punch(h.world.aoife.id, 'end_break', h.world.probes.aoife);
    await h.sync();
    expect(h.service.ledger({ limit: 1 })[0]?.lastError).toMatch(/HTTP 500.*re-read/);
    await h.sync();
    expect(h.service.ledger({ limit: 1 })[0]?.syncState).toBe('synced');
    expect(h.double.state.staff(h.world.aoife.id)?.dutyStatus).toBe('on_duty');
    expect(h.endpoints().filter((e) => e === 'toggle-break')).toHaveLength(2);
  });

  it('500 after force-clock-in wrote: the retry sees the session and does not create a second one', async () => {
    const h = await createHarness();
    h.double.faults.failAfterWrite({ path: 'force-clock-in' });
    h.punch(h.world.conor.id, 'clock_in', h.world.probes.conor, 'Extra cover');
    await h.sync();
    expect(h.service.ledger({ limit: 1 })[0]?.syncState).toBe('pending');
    await h.sync();
    expect(h.service.ledger({ limit: 1 })[0]?.syncState).toBe('synced');
    expect(h.double.state.clockLogs({ staffId: h.world.conor.id })).toHaveLength(1);
    expect(h.endpoints()).toEqual(['face-clock-in', 'force-clock-in', 'face-clock-in']);
  });

  it('500 after confirm-clock-out wrote: the retry reads the status first and never opens a new session', async () => {
    const h = await createHarness();
    h.punch(h.world.aoife.id, 'clock_in', h.world.probes.aoife);
    await h.sync();
    h.double.faults.failAfterWrite({ path: 'confirm-clock-out' });
    h.clock.advance(3_600_000);
    h.punch(h.world.aoife.id, 'clock_out', h.world.probes.aoife);
    await h.sync();
    await h.sync();
    expect(h.service.ledger({ limit: 1 })[0]?.syncState).toBe('synced');
    // Aoife is rostered all day: a second face-clock-in would have opened a new session
    const logs = h.double.state.clockLogs({ staffId: h.world.aoife.id });
    expect(logs).toHaveLength(1);
    expect(logs[0]?.timeOut).not.toBeNull();
    expect(h.endpoints().slice(-2)).toEqual(['confirm-clock-out', 'staff-detail']);
  });

  it('a malformed answer leaves the punch pending with a readable reason, then it syncs', async () => {
    const h = await createHarness();
    h.double.faults.malformedBody({ path: 'face-clock-in' });
    h.punch(h.world.aoife.id, 'clock_in', h.world.probes.aoife);
    await h.sync();
    const [row] = h.service.ledger({ limit: 1 });
    expect(row?.syncState).toBe('pending');
    expect(row?.lastError).toMatch(/face-clock-in: response is not JSON/);
    await h.sync();
    expect(h.service.ledger({ limit: 1 })[0]?.syncState).toBe('synced');
    expect(h.double.state.clockLogs({ staffId: h.world.aoife.id })).toHaveLength(1);
  });

  it('never parks a punch: a server that keeps failing leaves it waiting with its attempts counted, and it syncs once the server recovers', async () => {
    const h = await createHarness();
    h.double.faults.failAfterWrite({ path: 'face-clock-in', times: 40 });
    h.punch(h.world.aoife.id, 'clock_in', h.world.probes.aoife);
    for (let i = 0; i < 40; i += 1) await h.sync();
    const [row] = h.service.ledger({ limit: 1 });
    expect(row).toMatchObject({ syncState: 'pending', attempts: 40 });
    expect(row?.lastError).toMatch(/HTTP 500/);
    await h.sync();
    expect(h.service.ledger({ limit: 1 })[0]).toMatchObject({ syncState: 'synced' });
    expect(h.double.state.clockLogs({ staffId: h.world.aoife.id })).toHaveLength(1); // the first attempt's write, never a second
  });
});

describe('sync: 401/403 pause and the UTC day boundary', () => {
  it('401 pauses syncing with a clear status and keeps the punch; resume sends it', async () => {
    const h = await createHarness();
    h.double.faults.rejectToken(h.world.manager.token);
    h.punch(h.world.aoife.id, 'clock_in', h.world.probes.aoife);
    await h.sync();
    expect(h.service.connection()).toMatchObject({ api: 'paused', pendingPunches: 1 });
    expect(h.service.connection().apiMessage).toMatch(/401.*Invalid token/);
    expect(h.service.ledger({ limit: 1 })[0]).toMatchObject({ syncState: 'pending', attempts: 0 });
    await h.sync(); // still paused: nothing sent
    expect(h.endpoints()).toEqual(['face-clock-in']);
    h.double.faults.acceptToken(h.world.manager.token);
    h.service.sync.resume();
    await h.sync();
    expect(h.service.connection()).toMatchObject({ api: 'online', pendingPunches: 0 });
    expect(h.double.state.clockLogs({ staffId: h.world.aoife.id })).toHaveLength(1);
  });

  it('403 face attendance disabled pauses with the server message', async () => {
    const h = await createHarness();
    h.double.seed.setFaceAttendance(h.world.hotelSlug, false);
    h.punch(h.world.aoife.id, 'clock_in', h.world.probes.aoife);
    await h.sync();
    expect(h.service.connection().api).toBe('paused');
    expect(h.service.connection().apiMessage).toMatch(/403.*Face attendance is not enabled/);
    h.double.seed.setFaceAttendance(h.world.hotelSlug, true);
    h.service.sync.resume();
    await h.sync();
    expect(h.service.ledger({ limit: 1 })[0]?.syncState).toBe('synced');
  });

  it('a clock-out after UTC midnight of a session opened the day before goes to review, not to a new session', async () => {
    const h = await createHarness({ start: '2026-05-11T22:30:00Z', aoifeShift: { start: '22:00', end: '23:59' } });
    h.punch(h.world.aoife.id, 'clock_in', h.world.probes.aoife);
    await h.sync();
    expect(h.double.state.clockLogs({ staffId: h.world.aoife.id })).toHaveLength(1);
    h.clock.set('2026-05-12T00:40:00Z');
    h.punch(h.world.aoife.id, 'clock_out', h.world.probes.aoife);
    await h.sync();
    const [row] = h.service.ledger({ limit: 1 });
    expect(row?.syncState).toBe('needs_review');
    expect(row?.lastError).toMatch(/started on 2026-05-11 \(UTC\).*A manager must close it/);
    const logs = h.double.state.clockLogs({ staffId: h.world.aoife.id });
    expect(logs).toHaveLength(1);
    expect(logs[0]?.timeOut).toBeNull();
    // the manager sees the review; the screen shows her clocked out (HotelMate sees no session today)
    expect(h.service.connection().needsReview).toBe(1);
    expect(h.service.effectiveStatus(h.world.aoife.id).status).toBe('off_duty');
  });
});
