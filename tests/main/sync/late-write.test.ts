/**
 * A write HotelMate carries out after the kiosk stopped waiting for its answer (a slow database, a
 * dyno waking up), through the real ClockService, a real SQLite ledger and the HotelMate double on
 * 127.0.0.1. HotelMate's break toggle is blind and it has no idempotency key: had the kiosk read the
 * state again while the first toggle was still running, it would have seen no break, toggled again,
 * and the two toggles together would have ended the break it meant to start.
 */
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_SYNC_OPTIONS } from '../../../src/main/sync/sync-engine';
import { createHarness, type Harness } from './harness';

const LATE_WRITE_MS = DEFAULT_SYNC_OPTIONS.lateWriteMs;

/** Aoife clocked in (synced) and her break start waiting behind a toggle that got no answer in time (300 ms) but runs at HotelMate after 1 s. */
async function breakStartTimedOut(): Promise<{ h: Harness; eventId: string; toggles: () => number }> {
  const h = await createHarness({ timeoutMs: 300, sync: { lateWriteMs: LATE_WRITE_MS } });
  const aoife = h.world.aoife.id;
  h.punch(aoife, 'clock_in', h.world.probes.aoife);
  await h.sync();
  expect(h.double.state.staff(aoife)?.dutyStatus).toBe('on_duty');
  h.clock.advance(3_600_000);
  h.double.faults.latency(1000, { path: 'toggle-break' });
  const punched = h.punch(aoife, 'start_break', h.world.probes.aoife);
  if (!punched.ok) throw new Error('punch refused');
  await h.sync();
  expect(h.service.ledger({ limit: 1 })[0]).toMatchObject({ eventId: punched.eventId, syncState: 'pending', attempts: 1 });
  const toggles = (): number => h.double.state.requests().filter((r) => r.path.includes('toggle-break')).length;
  expect(toggles()).toBe(1);
  return { h, eventId: punched.eventId, toggles };
}

/** HotelMate carries the first toggle out late; once the wait is over the kiosk reads the state, finds the break on, and sends nothing more. */
async function lateToggleLandsThenOneRead({ h, eventId, toggles }: Awaited<ReturnType<typeof breakStartTimedOut>>): Promise<void> {
  const aoife = h.world.aoife.id;
  await vi.waitFor(() => expect(h.double.state.staff(aoife)?.dutyStatus).toBe('on_break'), { timeout: 5000 });
  h.clock.advance(LATE_WRITE_MS);
  await h.sync();
  expect(h.service.ledger({ limit: 1 })[0]).toMatchObject({ eventId, syncState: 'synced' });
  expect(toggles()).toBe(1);
  expect(h.double.state.staff(aoife)?.dutyStatus).toBe('on_break');
}

describe('sync: a write HotelMate carries out after the kiosk stopped waiting', () => {
  it('the kiosk neither reads nor toggles again until it can no longer change: one toggle, and the break is on', async () => {
    const timedOut = await breakStartTimedOut();
    const { h, eventId, toggles } = timedOut;
    const aoife = h.world.aoife.id;

    // The next sync rounds, and a probe that makes every waiting punch due, send nothing.
    await h.sync();
    h.service.ledgerStore.expedite();
    await h.sync();
    expect(toggles()).toBe(1);
    const waiting = h.service.ledger({ limit: 1 })[0];
    expect(waiting).toMatchObject({ eventId, syncState: 'pending', attempts: 1 });
    expect(waiting?.lastError).toMatch(/toggle-break: timeout.*asked again once it can no longer be carrying that write out/);
    // The person's status on the kiosk is as punched meanwhile.
    expect(h.service.effectiveStatus(aoife).status).toBe('on_break');

    await lateToggleLandsThenOneRead(timedOut);
  });

  it('a restart of the kiosk during the wait keeps it: the wait is saved with the punch', async () => {
    const timedOut = await breakStartTimedOut();
    const { h, eventId, toggles } = timedOut;

    // The kiosk restarts at once (a power cut, the watchdog) and its first probe makes every waiting punch due.
    h.restart();
    h.service.ledgerStore.expedite();
    await h.sync();
    expect(toggles()).toBe(1);
    expect(h.service.ledger({ limit: 1 })[0]).toMatchObject({ eventId, syncState: 'pending', attempts: 1 });

    await lateToggleLandsThenOneRead(timedOut);
  });

  it('a toggle HotelMate never carried out is sent once after the wait', async () => {
    const { h, eventId, toggles } = await breakStartTimedOut();
    const aoife = h.world.aoife.id;
    // This time the late toggle failed at HotelMate (its worker was killed): wait for it to have run, then undo it there.
    await vi.waitFor(() => expect(h.double.state.staff(aoife)?.dutyStatus).toBe('on_break'), { timeout: 5000 });
    expect(h.double.webApp.endBreak(aoife).outcome).toBe('break_ended');
    h.clock.advance(LATE_WRITE_MS);
    await h.sync();
    expect(h.service.ledger({ limit: 1 })[0]).toMatchObject({ eventId, syncState: 'synced' });
    expect(toggles()).toBe(2);
    expect(h.double.state.staff(aoife)?.dutyStatus).toBe('on_break');
  });
});
