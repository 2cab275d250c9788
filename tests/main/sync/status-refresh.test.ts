/**
 * The status a greeting shows: re-read from HotelMate (staff detail) within a short budget when
 * online, the last known one with the time it rests on otherwise, and the 60 s poll as the backstop
 * for the events HotelMate never sends (a break started or a clock-out confirmed in the web app).
 * Real ClockService, real SQLite, the HotelMate double on 127.0.0.1 acting as the web app too.
 */
import { describe, expect, it, vi } from 'vitest';
import { clockButtonInfo } from '../../../src/shared/domain/duty-status';
import type { EffectiveStatus } from '../../../src/shared/domain/types';
import { createHarness, type Harness } from './harness';

/** Requests to a person's staff detail (`/api/staff/<slug>/<id>/`). */
const detailReads = (h: Harness, staffId: number): number =>
  h.double.state.requests().filter((r) => r.path === `/api/staff/${h.world.hotelSlug}/${staffId}/`).length;

/** Aoife clocked in at this kiosk (synced), then starts a break in the web app: HotelMate sends no event for it. */
async function onBreakInTheWebApp(h: Harness): Promise<void> {
  h.punch(h.world.aoife.id, 'clock_in', h.world.probes.aoife);
  await h.sync();
  expect(h.double.webApp.startBreak(h.world.aoife.id).outcome).toBe('break_started');
  expect(h.double.state.pusherEvents().at(-1)).toMatchObject({ delivered: false });
  expect(h.service.effectiveStatus(h.world.aoife.id).status).toBe('on_duty'); // what the kiosk believed
}

describe('the status re-read before the buttons', () => {
  it('a break started in the web app without a Pusher event: the re-read says on a break, and End Break is offered', async () => {
    const h = await createHarness();
    await onBreakInTheWebApp(h);
    const status = await h.service.refreshStatus(h.world.aoife.id, 500);
    expect(status).toMatchObject({ status: 'on_break', freshness: { source: 'live' } });
    expect(status.breakStartedAt).not.toBeNull();
    expect(clockButtonInfo(status.status, status.breakStartedAt, h.clock.now()).primary.action).toBe('end_break');
    expect(detailReads(h, h.world.aoife.id)).toBe(1);
    // Recorded: the next screens show it too.
    expect(h.service.effectiveStatus(h.world.aoife.id).status).toBe('on_break');
  });

  it('when HotelMate is slower than the budget: the last known status "as of" its time, then the late answer reaches the screens', async () => {
    const h = await createHarness();
    await onBreakInTheWebApp(h);
    const known = h.service.effectiveStatus(h.world.aoife.id);
    const heard: EffectiveStatus[] = [];
    h.service.onStatus((status) => heard.push(status));
    // HotelMate holds the read until released: a refresh that waited for it would never answer.
    const release = h.double.faults.hold({ path: `/api/staff/${h.world.hotelSlug}/${h.world.aoife.id}/` });

    const status = await h.service.refreshStatus(h.world.aoife.id, 100);
    expect(status).toMatchObject({ status: 'on_duty', freshness: { source: 'cached', asOf: known.updatedAt } });
    expect(known.updatedAt).not.toBeNull();
    expect(heard).toEqual([]);
    release();

    await vi.waitFor(() => expect(heard.at(-1)).toMatchObject({ staffId: h.world.aoife.id, status: 'on_break' }), { timeout: 3000 });
  });

  it('offline: the last known status at once, without asking HotelMate', async () => {
    const h = await createHarness();
    await onBreakInTheWebApp(h);
    h.double.faults.dropConnection({ when: 'before', times: Infinity });
    h.punch(h.world.conor.id, 'clock_in', h.world.probes.conor, 'Cover');
    await h.sync();
    expect(h.service.connection().api).toBe('offline');
    const status = await h.service.refreshStatus(h.world.aoife.id, 500);
    expect(status).toMatchObject({ status: 'on_duty', freshness: { source: 'cached' } });
    expect(detailReads(h, h.world.aoife.id)).toBe(0);
  });

  it('a punch still waiting at this kiosk stays on top of what HotelMate says', async () => {
    const h = await createHarness();
    h.double.faults.latency(2_000, { path: 'face-clock-in' });
    h.punch(h.world.aoife.id, 'clock_in', h.world.probes.aoife);
    const status = await h.service.refreshStatus(h.world.aoife.id, 500);
    expect(status).toMatchObject({ status: 'on_duty', pendingPunches: 1, freshness: { source: 'live' } });
  });
});

describe('the 60 s status poll', () => {
  it('catches a break started in the web app without any event, and tells the screens', async () => {
    const h = await createHarness({ statusPollMs: 100 });
    h.punch(h.world.aoife.id, 'clock_in', h.world.probes.aoife);
    await h.sync();
    const heard: EffectiveStatus[] = [];
    h.service.onStatus((status) => heard.push(status));
    await h.service.start();
    // After the catch-up at start, only the poll can learn what happens next.
    await vi.waitFor(() => expect(h.logger.records.some((r) => r.message === 'reference data refreshed')).toBe(true));
    h.double.webApp.startBreak(h.world.aoife.id);
    await vi.waitFor(() => expect(heard.some((s) => s.staffId === h.world.aoife.id && s.status === 'on_break')).toBe(true), { timeout: 5000 });
    expect(h.service.effectiveStatus(h.world.aoife.id).status).toBe('on_break');
  });

  it('does not poll while offline', async () => {
    const h = await createHarness({ statusPollMs: 50, sync: { probeIntervalMs: 3_600_000 } });
    h.double.faults.dropConnection({ when: 'before', times: Infinity });
    h.punch(h.world.conor.id, 'clock_in', h.world.probes.conor, 'Cover');
    await h.sync();
    expect(h.service.connection().api).toBe('offline');
    const staffListReads = (): number => h.double.state.requests().filter((r) => r.path === `/api/staff/${h.world.hotelSlug}/`).length;
    await h.service.start();
    await vi.waitFor(() => expect(staffListReads()).toBe(1)); // the catch-up at start (its request is dropped)
    const before = staffListReads();
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(staffListReads()).toBe(before);
  });
});
