/**
 * The punch as the screen makes it: through a recognition session that expires, on a kiosk that
 * may not be set up, and with the short wait that decides between "done" and "saved offline".
 * Real SQLite, the real clock service and the HotelMate double on 127.0.0.1.
 */
import { describe, expect, it, vi } from 'vitest';
import { clockButtonInfo } from '../../../src/shared/domain/duty-status';
import type { FaceDecision, FaceMatch } from '../../../src/main/face/face-types';
import { createEmitter } from '../../../src/main/lib/emitter';
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

const faceMatch = (staffId: number, live: readonly number[]): FaceMatch => ({
  staffId,
  distance: 0.3,
  secondBestDistance: null,
  model: 'faceapi-128',
  liveDescriptor: Float32Array.from(live),
  liveness: null,
  spoofSuspected: false,
});

function succeeded(result: PunchResult): Extract<PunchResult, { ok: true }> {
  if (!result.ok) throw new Error(`punch refused: ${result.error.code} ${result.error.message}`);
  return result;
}

describe('clock:punch on a kiosk that is not set up', () => {
  it('refuses with not_configured, records nothing, and answers the screens with unconfigured values', async () => {
    const k = await createHandlerKit({ clock: createFakeClock() });
    const recognitionId = k.recognise(7);
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

describe('recognition sessions behind clock:punch', () => {
  it('a recognition expires a minute after the greeting would have closed; a late tap records nothing', async () => {
    const clock = createFakeClock(new Date());
    const { k, world } = await hotelKit({ clock });
    expect(k.config.get().ui.greetingTimeoutSeconds).toBe(15);

    const early = k.recognise(world.aoife.id, world.probes.aoife);
    const late = k.recognise(world.conor.id, world.probes.conor);
    clock.advance(74_000);
    succeeded(await k.handlers['clock:punch']({ recognitionId: early, action: 'clock_in' }));
    clock.advance(2_000); // 76 s after the recognition: past 15 s + 60 s

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

describe('the punch confirm wait', () => {
  it('says done (not saved offline) when HotelMate has the punch within the wait', async () => {
    const { k, double, world } = await hotelKit({ clock: systemClock, punchConfirmMs: 2000 });
    const result = succeeded(await k.handlers['clock:punch']({ recognitionId: k.recognise(world.aoife.id, world.probes.aoife), action: 'clock_in' }));
    expect(result.savedOffline).toBe(false);
    expect(result.duplicate).toBe(false);
    expect(double.state.clockLogs({ staffId: world.aoife.id })).toHaveLength(1);
    expect((await k.handlers['ledger:list']({ limit: 10 }))[0]).toMatchObject({ eventId: result.eventId, syncState: 'synced' });
  });

  it('says "saved offline" when HotelMate is slower than the wait, and the punch still reaches it afterwards', async () => {
    const { k, double, world } = await hotelKit({ clock: systemClock, punchConfirmMs: 300 });
    double.faults.latency(1500, { path: 'face-clock-in' });
    const result = succeeded(await k.handlers['clock:punch']({ recognitionId: k.recognise(world.aoife.id, world.probes.aoife), action: 'clock_in' }));
    expect(result.savedOffline).toBe(true);
    expect(result.status.status).toBe('on_duty');
    // the status line heard about the waiting punch at once
    expect(k.lastSent('app:connection')?.pendingPunches).toBe(1);
    expect(double.state.clockLogs({ staffId: world.aoife.id })).toHaveLength(0);

    expect(await k.services.clockService()?.awaitSettled(result.eventId, 10_000)).toBe('synced');
    expect(double.state.clockLogs({ staffId: world.aoife.id })).toHaveLength(1);
  });

});

describe('the greeting after a change HotelMate never announced', () => {
  it('a break started in the web app (no Pusher event): when she walks up the kiosk offers End Break, and it syncs', async () => {
    const { k, double, world } = await hotelKit({ clock: systemClock, punchConfirmMs: 2000 });
    const decisions = createEmitter<FaceDecision>('decisions', k.logger);
    k.wire({ decisions: decisions.subscribe });
    const aoife = world.aoife.id;
    succeeded(await k.handlers['clock:punch']({ recognitionId: k.recognise(aoife, world.probes.aoife), action: 'clock_in' }));
    expect(double.webApp.startBreak(aoife).outcome).toBe('break_started');
    expect(double.state.pusherEvents().at(-1)).toMatchObject({ delivered: false });
    expect(await k.handlers['clock:getStatus'](aoife)).toMatchObject({ status: 'on_duty' }); // what the kiosk believed

    decisions.emit({ kind: 'recognised', match: faceMatch(aoife, world.probes.aoife), at: Date.now() });
    await vi.waitFor(() => expect(k.lastSent('face:recognised')).toBeDefined(), { timeout: 3000 });
    const greeting = k.lastSent('face:recognised');
    expect(greeting?.status).toMatchObject({ status: 'on_break', freshness: { source: 'live' } });
    const buttons = clockButtonInfo(greeting?.status.status ?? 'off_duty', greeting?.status.breakStartedAt ?? null, new Date());
    expect(buttons.primary.action).toBe('end_break');

    const ended = succeeded(await k.handlers['clock:punch']({ recognitionId: greeting?.recognitionId ?? '', action: 'end_break' }));
    expect(ended).toMatchObject({ savedOffline: false });
    expect(double.state.staff(aoife)?.dutyStatus).toBe('on_duty');
  });
});
