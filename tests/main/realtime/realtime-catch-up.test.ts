/**
 * The whole loop in main against real parts: the HotelMate double's Pusher events go through soketi
 * to the realtime service and into the real ClockService; a change made while soketi is down (no
 * event reaches the kiosk) is picked up by the catch-up read after the reconnect.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHotelMateDouble } from '../../support/hotelmate-double';
import { startSoketi } from '../../support/soketi/soketi';
import { kioskOnDouble, waitForState } from './helpers';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()?.();
});

describe('HotelMate double -> soketi -> realtime service -> ClockService', () => {
  it('shows a clock-in made at another kiosk live, and a change missed during an outage after the catch-up', async () => {
    const soketi = await startSoketi();
    cleanup.push(() => soketi.stop());
    const forwarded: string[] = [];
    const double = await createHotelMateDouble({
      onPusherEvent: (channel, event, data) => {
        forwarded.push(`${channel} ${event}`);
        soketi.trigger(channel, event, data).catch(() => undefined); // while soketi is down the event is lost, as with Pusher
      },
    });
    cleanup.push(() => double.close());
    const world = double.seed.killarney();

    const { clockService, realtime, catchUpsDone } = await kioskOnDouble({ soketi, double, world, cleanup, startClock: true });
    await vi.waitFor(() => expect(clockService.staff(world.aoife.id)?.name).toBe('Aoife Murphy'), { timeout: 10000 });
    // "connected" is the socket; an event sent before the channels are subscribed is lost (as with
    // Pusher) and the catch-up would show the change instead. The first catch-up runs once they are.
    await vi.waitFor(() => expect(catchUpsDone()).toBeGreaterThan(0), { timeout: 10000 });
    expect(clockService.effectiveStatus(world.aoife.id).status).toBe('off_duty');

    // Another kiosk clocks Aoife in through the API; the backend's Pusher event reaches this kiosk.
    const res = await fetch(`${double.apiBaseUrl}/staff/hotel/${world.hotelSlug}/attendance/face-management/face-clock-in/`, {
      method: 'POST',
      headers: { Authorization: `Token ${world.manager.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ encoding: world.probes.aoife, location_note: 'Back office kiosk' }),
    });
    expect(res.status).toBe(201);
    expect(forwarded).toContain(`${world.hotelSlug}.attendance clock_status_updated`);
    await vi.waitFor(() => expect(clockService.effectiveStatus(world.aoife.id).status).toBe('on_duty'), { timeout: 10000 });
    // Through the event, not a later read: the kiosk counted it.
    await vi.waitFor(() => expect(realtime.stats().events).toBe(1), { timeout: 10000 });

    // Soketi goes down; meanwhile Conor is clocked in on the server (no event can arrive).
    const catchUpsBefore = realtime.stats().catchUps;
    await soketi.stop();
    await vi.waitFor(() => expect(realtime.state()).not.toBe('connected'), { timeout: 10000 });
    double.seed.clockLog({ staffId: world.conor.id, timeIn: new Date() });
    expect(double.state.staff(world.conor.id)?.dutyStatus).toBe('on_duty');
    expect(clockService.effectiveStatus(world.conor.id).status).toBe('off_duty');

    // Soketi comes back: the service reconnects and the catch-up read finds Conor on duty.
    await soketi.restart();
    await waitForState(realtime, 'connected', 30000);
    await vi.waitFor(() => expect(realtime.stats().catchUps).toBeGreaterThan(catchUpsBefore), { timeout: 10000 });
    await vi.waitFor(() => expect(clockService.effectiveStatus(world.conor.id).status).toBe('on_duty'), { timeout: 10000 });
    expect(clockService.board().departments.flatMap((d) => d.entries.map((e) => e.staffId))).toEqual(expect.arrayContaining([world.aoife.id, world.conor.id]));
  }, 90000);
});
