/**
 * The punch as the screen makes it: through a recognition session that expires and is single-use,
 * only for the face in front of the camera, on a kiosk that may not be set up, answered as soon as it
 * is saved, and undone within its undo window. Real SQLite, the real face service, the
 * real clock service and the HotelMate double on 127.0.0.1.
 */
import { describe, expect, it, vi } from 'vitest';
import { clockButtonInfo } from '../../../src/shared/domain/duty-status';
import { systemClock } from '../../../src/main/lib/clock';
import type { PunchResult } from '../../../src/shared/domain/punch';
import { createFakeClock } from '../../support/fake-clock';
import { createHandlerKit, type HandlerKit } from './handler-kit';

/** A kit set up for the HotelMate double's hotel, with its double and seeded world at hand. */
async function hotelKit(options: Omit<Parameters<typeof createHandlerKit>[0], 'hotel'>) {
  const k = await createHandlerKit({ ...options, hotel: true });
  if (!k.hotel) throw new Error('no HotelMate double');
  return { k, ...k.hotel } as { k: HandlerKit } & NonNullable<HandlerKit['hotel']>;
}

function succeeded(result: PunchResult): Extract<PunchResult, { ok: true }> {
  if (!result.ok) throw new Error(`punch refused: ${result.error.code} ${result.error.message}`);
  return result;
}

describe('clock:punch on a kiosk that is not set up', () => {
  it('refuses with not_configured, records nothing, and answers the screens with unconfigured values', async () => {
    const k = await createHandlerKit({ clock: createFakeClock() });
    const recognitionId = await k.recognise(7);
    const result = await k.handlers['clock:punch']({ recognitionId, action: 'clock_in' });
    expect(result).toEqual({ ok: false, error: { code: 'not_configured', message: 'This kiosk is not set up yet. Ask a manager.' } });
    expect(k.services.clockService()).toBeNull();
    expect(await k.handlers['app:connection']()).toMatchObject({ api: 'unconfigured', realtime: 'disabled', pendingPunches: 0 });
    expect(await k.handlers['clock:getStatus'](7)).toEqual({ staffId: 7, status: 'off_duty', breakStartedAt: null, pendingPunches: 0, updatedAt: null });
    expect(await k.handlers['board:onDuty']()).toEqual({ departments: [], updatedAt: null });
    expect(await k.handlers['ledger:list']({ limit: 10 })).toEqual([]);
    const info = await k.handlers['app:info']();
    expect(info.mode).toBe('setup');
    expect(info.setupReasons.length).toBeGreaterThan(0);
  });
});

/** The face in view stays for `ms`: a camera frame every 500 ms (the clock moves with them). */
async function stays(k: HandlerKit, clock: ReturnType<typeof createFakeClock>, ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 500) {
    clock.advance(500);
    await k.frames();
  }
}

describe('recognition sessions behind clock:punch', () => {
  it('a recognition expires a minute after the greeting would have closed, even while the person stays; a late tap records nothing', async () => {
    const clock = createFakeClock(new Date());
    const { k, world } = await hotelKit({ clock });
    expect(k.config.get().ui.greetingTimeoutSeconds).toBe(15);

    const early = await k.recognise(world.aoife.id, world.probes.aoife);
    await stays(k, clock, 74_000);
    succeeded(await k.handlers['clock:punch']({ recognitionId: early, action: 'clock_in' }));

    const late = await k.recognise(world.conor.id, world.probes.conor);
    await stays(k, clock, 76_000); // past 15 s + 60 s
    const refused = await k.handlers['clock:punch']({ recognitionId: late, action: 'clock_in', reason: 'Covering a shift' });
    expect(refused).toEqual({ ok: false, error: { code: 'expired_recognition', message: 'Please look at the camera again.' } });
    expect((await k.handlers['ledger:list']({ limit: 10 })).map((row) => row.staffId)).toEqual([world.aoife.id]);
    expect(k.sessions.find(early)).toBeNull();
  });

  it('an unknown recognition id is refused the same way, before the kiosk state is looked at', async () => {
    const k = await createHandlerKit({ clock: createFakeClock() });
    const result = await k.handlers['clock:punch']({ recognitionId: 'made-up', action: 'clock_out' });
    expect(result).toMatchObject({ ok: false, error: { code: 'expired_recognition' } });
  });
});

describe('a punch only for the face in front of the camera', () => {
  it('refuses a recognition whose face has not been seen for a few hundred ms, and writes nothing', async () => {
    const clock = createFakeClock(new Date());
    const { k, double, world } = await hotelKit({ clock });
    const recognitionId = await k.recognise(world.aoife.id, world.probes.aoife);
    // Aoife stepped away: the camera still delivers frames, without her.
    k.faceInView(null);
    clock.advance(350);
    await k.frames();
    clock.advance(350);
    await k.frames();
    const refused = await k.handlers['clock:punch']({ recognitionId, action: 'clock_in' });
    expect(refused).toEqual({ ok: false, error: { code: 'face_not_in_view', message: 'Please look at the camera again.' } });
    expect(await k.handlers['ledger:list']({ limit: 10 })).toEqual([]);
    expect(double.state.clockLogs({ staffId: world.aoife.id })).toHaveLength(0);
    expect(k.logger.records.some((r) => r.message === 'refused a punch: the recognised face is not the face in view now')).toBe(true);
  });

  it('on a busy machine whose analysis lags behind the camera, a tap waits for the next frame and records the punch of the person still there', async () => {
    const clock = createFakeClock(new Date());
    const { k, world } = await hotelKit({ clock });
    const recognitionId = await k.recognise(world.aoife.id, world.probes.aoife);
    // The next frame is analysed 900 ms later (a frame a second): past the few hundred ms of "in view".
    clock.advance(900);
    const tap = k.handlers['clock:punch']({ recognitionId, action: 'clock_in' });
    await k.frames();
    succeeded(await tap);
    expect((await k.handlers['ledger:list']({ limit: 10 })).map((row) => [row.staffId, row.action])).toEqual([[world.aoife.id, 'clock_in']]);
  });

  it('refuses a recognition whose face was replaced by someone else (no face-free gap), and writes nothing', async () => {
    const clock = createFakeClock(new Date());
    const { k, double, world } = await hotelKit({ clock });
    const recognitionId = await k.recognise(world.conor.id, world.probes.conor);
    // A stranger steps into the same spot: two frames and Conor's track has ended.
    k.faceInView(world.encodings.stranger);
    clock.advance(66);
    await k.frames();
    clock.advance(66);
    await k.frames();
    expect(k.sessions.lookup(recognitionId)).toEqual({ state: 'face_gone' });
    const refused = await k.handlers['clock:punch']({ recognitionId, action: 'clock_in', reason: 'Covering a shift' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'face_not_in_view' } });
    expect(await k.handlers['ledger:list']({ limit: 10 })).toEqual([]);
    expect(double.state.clockLogs({ staffId: world.conor.id })).toHaveLength(0);
  });

  it('a recognition is single-use: replayed through the router after its punch, it is refused and nothing more is written', async () => {
    const { k, double, world } = await hotelKit({ clock: systemClock });
    const recognitionId = await k.recognise(world.aoife.id, world.probes.aoife);
    const first = succeeded((await k.router.dispatch('clock:punch', [{ recognitionId, action: 'clock_in' }])) as PunchResult);
    await k.frames(); // still in front of the camera
    const replay = await k.router.dispatch('clock:punch', [{ recognitionId, action: 'start_break' }]);
    expect(replay).toEqual({ ok: false, error: { code: 'recognition_used', message: 'This recognition was already used. Please look at the camera again.' } });
    const again = await k.router.dispatch('clock:punch', [{ recognitionId, action: 'clock_in' }]);
    expect(again).toMatchObject({ ok: false, error: { code: 'recognition_used' } });
    expect((await k.handlers['ledger:list']({ limit: 10 })).map((r) => r.action)).toEqual(['clock_in']);
    expect(await k.services.clockService()?.awaitSettled(first.eventId, 5000)).toBe('synced');
    expect(double.state.clockLogs({ staffId: world.aoife.id })).toHaveLength(1);
    expect(k.logger.records.filter((r) => r.message === 'refused a punch with a recognition that was already used')).toHaveLength(2);
  });

  it('a punch the clock service refuses (not possible now) does not use the recognition up', async () => {
    const { k, world } = await hotelKit({ clock: systemClock });
    const recognitionId = await k.recognise(world.aoife.id, world.probes.aoife);
    const refused = await k.handlers['clock:punch']({ recognitionId, action: 'end_break' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'not_allowed' } });
    expect(k.sessions.lookup(recognitionId).state).toBe('open');
    succeeded(await k.handlers['clock:punch']({ recognitionId, action: 'clock_in' }));
    expect(k.sessions.lookup(recognitionId).state).toBe('used');
  });

  it('the person recognised again on the same face gets a new recognition; the earlier one is withdrawn', async () => {
    const { k, world } = await hotelKit({ clock: systemClock });
    const first = await k.recognise(world.aoife.id, world.probes.aoife);
    k.handlers['face:startAgain']();
    const second = await k.recognise(world.aoife.id, world.probes.aoife);
    expect(second).not.toBe(first);
    expect(k.sessions.lookup(first)).toEqual({ state: 'withdrawn' });
    expect(await k.handlers['clock:punch']({ recognitionId: first, action: 'clock_in' })).toMatchObject({ ok: false, error: { code: 'unknown_recognition' } });
  });
});

describe('the punch answer: done as soon as the ledger has it', () => {
  it('answers while HotelMate has not answered (not after its answer), and the punch reaches HotelMate behind', async () => {
    const { k, double, world } = await hotelKit({ clock: systemClock });
    // HotelMate holds the clock-in until released: a punch answer that waited for it never comes.
    const release = double.faults.hold({ path: 'face-clock-in' });
    const recognitionId = await k.recognise(world.aoife.id, world.probes.aoife);
    const result = succeeded(await k.handlers['clock:punch']({ recognitionId, action: 'clock_in' }));
    expect(result).toMatchObject({ savedOffline: false, duplicate: false, status: { status: 'on_duty', pendingPunches: 1 } });
    expect(k.lastSent('app:connection')?.pendingPunches).toBe(1);
    expect(double.state.clockLogs({ staffId: world.aoife.id })).toHaveLength(0);
    release();
    expect(await k.services.clockService()?.awaitSettled(result.eventId, 10_000)).toBe('synced');
    expect(double.state.clockLogs({ staffId: world.aoife.id })).toHaveLength(1);
  });

  it('the first punch after the network drops is done at once; it waits on the kiosk and the status line says offline', async () => {
    const { k, double, world } = await hotelKit({ clock: systemClock });
    double.faults.dropConnection({ when: 'before', times: Infinity });
    // Every request is held until after the answer: the punch is done before the kiosk learns it is offline.
    const release = double.faults.hold({ times: Infinity });
    const recognitionId = await k.recognise(world.aoife.id, world.probes.aoife);
    const result = succeeded(await k.handlers['clock:punch']({ recognitionId, action: 'clock_in' }));
    expect(result.status.status).toBe('on_duty');
    release();
    await vi.waitFor(() => expect(k.lastSent('app:connection')).toMatchObject({ api: 'offline', pendingPunches: 1 }), { timeout: 5000 });
    const [row] = await k.handlers['ledger:list']({ limit: 10 });
    expect(row?.eventId).toBe(result.eventId);
    expect(['pending', 'sending']).toContain(row?.syncState);
  });
});

describe('undo within the undo window', () => {
  it('Undo keeps the punch as cancelled and never sends it; the person is off duty again and may clock in anew', async () => {
    const { k, double, world } = await hotelKit({ clock: systemClock, undoWindowMs: 10_000 });
    const aoife = world.aoife.id;
    const result = succeeded(await k.handlers['clock:punch']({ recognitionId: await k.recognise(aoife, world.probes.aoife), action: 'clock_in' }));
    expect(Date.parse(result.undoUntil ?? '') - Date.parse(result.occurredAt)).toBe(10_000);
    const undone = await k.router.dispatch('clock:undo', [result.eventId]);
    expect(undone).toMatchObject({ ok: true, eventId: result.eventId, status: { status: 'off_duty', pendingPunches: 0 } });
    expect(k.lastSent('clock:status')).toMatchObject({ staffId: aoife, status: 'off_duty' });
    expect((await k.handlers['ledger:list']({ limit: 10 }))[0]).toMatchObject({ eventId: result.eventId, syncState: 'cancelled' });
    await k.services.clockService()?.sync.drainOnce();
    expect(double.state.clockLogs({ staffId: aoife })).toHaveLength(0);
    // Undoing twice, or after the window, is refused.
    expect(await k.router.dispatch('clock:undo', [result.eventId])).toMatchObject({ ok: false, error: { code: 'too_late' } });
    // The same action again straight away is a new punch, not a "duplicate" of the undone one.
    k.handlers['face:startAgain']();
    const again = succeeded(await k.handlers['clock:punch']({ recognitionId: await k.recognise(aoife, world.probes.aoife), action: 'clock_in' }));
    expect(again).toMatchObject({ duplicate: false });
    expect(again.eventId).not.toBe(result.eventId);
  });

  it('holds the punch from the sync during the window, sends it once the screen moves on (release), and refuses a late undo', async () => {
    const { k, double, world } = await hotelKit({ clock: systemClock, undoWindowMs: 10_000 });
    const aoife = world.aoife.id;
    const result = succeeded(await k.handlers['clock:punch']({ recognitionId: await k.recognise(aoife, world.probes.aoife), action: 'clock_in' }));
    await k.services.clockService()?.sync.drainOnce();
    expect(double.state.clockLogs({ staffId: aoife })).toHaveLength(0);
    await k.router.dispatch('clock:release', [result.eventId]);
    expect(await k.services.clockService()?.awaitSettled(result.eventId, 5000)).toBe('synced');
    expect(double.state.clockLogs({ staffId: aoife })).toHaveLength(1);
    expect(await k.router.dispatch('clock:undo', [result.eventId])).toMatchObject({ ok: false, error: { code: 'too_late' } });
  });

  it('only the punch on screen can be undone: the next person\'s punch ends the earlier window, and that punch is sent', async () => {
    const { k, double, world } = await hotelKit({ clock: systemClock, undoWindowMs: 10_000 });
    const aoife = succeeded(await k.handlers['clock:punch']({ recognitionId: await k.recognise(world.aoife.id, world.probes.aoife), action: 'clock_in' }));
    k.handlers['face:startAgain']();
    const conor = succeeded(await k.handlers['clock:punch']({ recognitionId: await k.recognise(world.conor.id, world.probes.conor), action: 'clock_in' }));
    expect(conor.undoUntil).toBeDefined();
    // Aoife's done screen is gone: her punch can no longer be undone from this screen, and it goes.
    expect(await k.router.dispatch('clock:undo', [aoife.eventId])).toMatchObject({ ok: false, error: { code: 'too_late' } });
    expect(await k.services.clockService()?.awaitSettled(aoife.eventId, 5000)).toBe('synced');
    expect(double.state.clockLogs({ staffId: world.aoife.id })).toHaveLength(1);
    // Conor's, on screen now, still can.
    expect(await k.router.dispatch('clock:undo', [conor.eventId])).toMatchObject({ ok: true, eventId: conor.eventId });
    await k.services.clockService()?.sync.drainOnce();
    expect(double.state.clockLogs({ staffId: world.conor.id })).toHaveLength(0);
  });

  it('sends the punch by itself when the window is over', async () => {
    const { k, double, world } = await hotelKit({ clock: systemClock, undoWindowMs: 300 });
    const result = succeeded(await k.handlers['clock:punch']({ recognitionId: await k.recognise(world.aoife.id, world.probes.aoife), action: 'clock_in' }));
    expect(await k.services.clockService()?.awaitSettled(result.eventId, 5000)).toBe('synced');
    expect(double.state.clockLogs({ staffId: world.aoife.id })).toHaveLength(1);
    expect(await k.router.dispatch('clock:undo', [result.eventId])).toMatchObject({ ok: false, error: { code: 'too_late' } });
  });
});

describe('the greeting after a change HotelMate never announced', () => {
  it('a break started in the web app (no Pusher event): when she walks up the kiosk offers End Break, and it syncs', async () => {
    const { k, double, world } = await hotelKit({ clock: systemClock });
    k.wire();
    const aoife = world.aoife.id;
    const clockedIn = succeeded(await k.handlers['clock:punch']({ recognitionId: await k.recognise(aoife, world.probes.aoife), action: 'clock_in' }));
    expect(await k.services.clockService()?.awaitSettled(clockedIn.eventId, 5000)).toBe('synced');
    expect(double.webApp.startBreak(aoife).outcome).toBe('break_started');
    expect(double.state.pusherEvents().at(-1)).toMatchObject({ delivered: false });
    expect(await k.handlers['clock:getStatus'](aoife)).toMatchObject({ status: 'on_duty' }); // what the kiosk believed

    // She steps away, then walks up again: a new recognition, greeted with her status re-read.
    await vi.waitFor(() => expect(k.lastSent('face:recognised')).toBeDefined(), { timeout: 3000 });
    const first = k.lastSent('face:recognised')?.recognitionId;
    k.faceInView(null);
    await vi.waitFor(async () => {
      await k.frames();
      expect(k.lastSent('face:gone')).toBeDefined();
    }, { timeout: 5000, interval: 100 });
    k.faceInView(world.probes.aoife);
    await vi.waitFor(async () => {
      await k.frames();
      expect(k.lastSent('face:recognised')?.recognitionId).not.toBe(first);
    }, { timeout: 5000, interval: 100 });
    const greeting = k.lastSent('face:recognised');
    expect(greeting?.status).toMatchObject({ status: 'on_break', freshness: { source: 'live' } });
    const buttons = clockButtonInfo(greeting?.status.status ?? 'off_duty', greeting?.status.breakStartedAt ?? null, new Date());
    expect(buttons.primary.action).toBe('end_break');

    const ended = succeeded(await k.handlers['clock:punch']({ recognitionId: greeting?.recognitionId ?? '', action: 'end_break' }));
    expect(ended).toMatchObject({ savedOffline: false });
    expect(await k.services.clockService()?.awaitSettled(ended.eventId, 5000)).toBe('synced');
    expect(double.state.staff(aoife)?.dutyStatus).toBe('on_duty');
  });
});

describe('liveness review and audit snapshots', () => {
  const PIN = '246813';

  it('with audit snapshots on, a punch keeps an encrypted JPEG of the face, listed and shown to an unlocked manager only', async () => {
    const { k, world } = await hotelKit({ clock: systemClock, adminPin: PIN, framePixels: true });
    k.config.update({ recognition: { auditSnapshots: true } });
    const recognitionId = await k.recognise(world.aoife.id, world.probes.aoife);
    await k.frames(); // the named face in view: its latest frame is the snapshot
    const result = succeeded(await k.handlers['clock:punch']({ recognitionId, action: 'clock_in' }));
    await vi.waitFor(async () => expect((await k.handlers['ledger:list']({ limit: 10 }))[0]).toMatchObject({ eventId: result.eventId, hasSnapshot: true }), { timeout: 5000 });

    // Locked: refused through the router like every manager channel.
    k.admin.lock();
    await expect(k.router.dispatch('ledger:snapshot', [result.eventId])).rejects.toThrow('The admin area is locked');
    expect((await k.handlers['admin:unlock'](PIN)).ok).toBe(true);
    const shown = await k.router.dispatch('ledger:snapshot', [result.eventId]);
    expect(shown).toMatchObject({ dataUrl: expect.stringMatching(/^data:image\/jpeg;base64,\/9j\//) });
    // At rest it is sealed (version 2 of the kiosk's cipher), not a readable JPEG.
    const stored = k.db.prepare('SELECT image FROM audit_snapshots').get() as { image: Buffer };
    expect(stored.image[0]).toBe(2);
    expect(stored.image.includes(Buffer.from([0xff, 0xd8, 0xff]))).toBe(false);
  });

  it('with audit snapshots off (the default) nothing is kept', async () => {
    const { k, world } = await hotelKit({ clock: systemClock, framePixels: true });
    const recognitionId = await k.recognise(world.aoife.id, world.probes.aoife);
    await k.frames();
    const result = succeeded(await k.handlers['clock:punch']({ recognitionId, action: 'clock_in' }));
    expect((await k.handlers['ledger:list']({ limit: 10 }))[0]).toMatchObject({ eventId: result.eventId, hasSnapshot: false, flagged: false, reviewNote: null });
    expect(k.handlers['ledger:snapshot'](result.eventId)).toBeNull();
  });
});
