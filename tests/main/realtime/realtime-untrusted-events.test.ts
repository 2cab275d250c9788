/**
 * Events a real network and a changing backend can send that must not move anyone's status wrongly:
 * another hotel's events on a channel name both hotels share, events out of order, events the kiosk
 * cannot trust as sent (no time, fields that disagree, a break that starts in the future), an event
 * that lands while a catch-up read is in flight, an event for someone the kiosk does not know, and a
 * storm of reconnects. Asserted as the greeting
 * would show it (the effective status and the button it offers), through soketi on 127.0.0.1, the
 * real ClockService on a SQLite file and, where HotelMate is asked, the HotelMate double.
 */
import { describe, expect, it, vi } from 'vitest';
import type { ClockAction } from '../../../src/shared/domain/types';
import { clockButtonInfo } from '../../../src/shared/domain/duty-status';
import { createMemoryLogger } from '../../../src/main/logging/logger';
import { systemClock } from '../../../src/main/lib/clock';
import type { ClockService } from '../../../src/main/sync/clock-service';
import { createRealtimeService } from '../../../src/main/realtime/realtime-service';
import { createHotelMateDouble, type HotelMateDouble, type KillarneyWorld } from '../../support/hotelmate-double';
import { deployedClockStatus } from '../../support/soketi/payloads';
import { attendanceLog } from './fixtures';
import { kioskOnDouble, offlineKiosk, recordingClockService, SLUG, soketiConfig, soketiPerFile, waitForState } from './helpers';

const env = soketiPerFile();
const cleanup = env.cleanup;

/** The primary button the greeting offers the person now. */
function button(clockService: Pick<ClockService, 'effectiveStatus'>, staffId: number): ClockAction {
  const status = clockService.effectiveStatus(staffId);
  return clockButtonInfo(status.status, status.breakStartedAt, new Date()).primary.action;
}

/**
 * The HotelMate double, its events relayed to soketi, and a kiosk on it that is online and past its
 * first catch-up.
 */
async function onlineKiosk(): Promise<{ double: HotelMateDouble; world: KillarneyWorld } & Awaited<ReturnType<typeof kioskOnDouble>>> {
  const double = await createHotelMateDouble({
    onPusherEvent: (channel, event, data) => void env.soketi.trigger(channel, event, data).catch(() => undefined),
  });
  const world = double.seed.killarney();
  cleanup.push(() => double.close());
  const kiosk = await kioskOnDouble({ soketi: env.soketi, double, world, cleanup, startClock: true });
  await vi.waitFor(() => expect(kiosk.catchUpsDone()).toBeGreaterThanOrEqual(1), { timeout: 10000 });
  await vi.waitFor(() => expect(kiosk.clockService.connection().api).toBe('online'), { timeout: 10000 });
  return { double, world, ...kiosk };
}

/** A flat clock-status event of the customer's spec, stamped `secondsAgo` before now. */
function specClock(staffId: number, action: ClockAction, secondsAgo: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const at = new Date(Date.now() - secondsAgo * 1000).toISOString();
  const status = { clock_in: 'on_duty', end_break: 'on_duty', start_break: 'on_break', clock_out: 'off_duty' }[action];
  return {
    staff_id: staffId,
    duty_status: status,
    action,
    clock_time: at,
    is_on_duty: status !== 'off_duty',
    is_on_break: status === 'on_break',
    current_status: { status, is_on_break: status === 'on_break', ...(status === 'on_break' ? { break_start: at } : {}) },
    ...extra,
  };
}

describe('another hotel on a channel name this hotel shares', () => {
  it('drops the other hotel\'s events (flat payloads name no hotel), logs them, and keeps applying this hotel\'s', async () => {
    const { clockService, realtime, logger } = await offlineKiosk(env.soketi, cleanup);
    await env.soketi.trigger(`hotel-${SLUG}`, 'clock-status-updated', specClock(2, 'clock_in', 60));
    await vi.waitFor(() => expect(button(clockService, 2)).toBe('start_break'), { timeout: 10000 });

    // This hotel's bare channel `hotel-killarney` is hotel "killarney"'s spec channel: its staff #2 clocks out.
    await env.soketi.trigger(SLUG, 'clock-status-updated', specClock(2, 'clock_out', 1));
    // This hotel's spec channel `hotel-hotel-killarney` is hotel "hotel-hotel-killarney"'s bare channel.
    await env.soketi.trigger(`hotel-${SLUG}`, 'attendance_logged', { ...attendanceLog(2, new Date().toISOString()), action: 'clock_out' });
    // An envelope naming another hotel on this hotel's own .attendance channel.
    const elsewhere = deployedClockStatus({ hotelSlug: 'hotel-elsewhere', staffId: 2, action: 'clock_out' });
    await env.soketi.trigger(`${SLUG}.attendance`, elsewhere.event, elsewhere.data);
    // Then this hotel's own clock-out, in the deployed backend's shape: it still applies.
    const own = deployedClockStatus({ hotelSlug: SLUG, staffId: 3, action: 'clock_in' });
    await env.soketi.trigger(own.channel, own.event, own.data);

    await vi.waitFor(() => expect(button(clockService, 3)).toBe('start_break'), { timeout: 10000 });
    expect(button(clockService, 2)).toBe('start_break');
    expect(realtime.stats()).toMatchObject({ events: 2, dropped: 3 });
    const rejected = logger.records.filter((r) => r.message === 'realtime event rejected');
    expect(rejected.map((r) => [r.fields?.channel, r.fields?.event, r.fields?.reason])).toEqual([
      [SLUG, 'clock-status-updated', 'foreign_hotel'],
      [`hotel-${SLUG}`, 'attendance_logged', 'foreign_hotel'],
      [`${SLUG}.attendance`, 'clock_status_updated', 'foreign_hotel'],
    ]);
    expect(rejected[0]?.fields?.detail).toContain('hotel "killarney"');
    expect(JSON.stringify(rejected)).not.toMatch(/Conor|Aoife|O'Sullivan|Murphy/);
    expect(realtime.state()).toBe('connected');
  });
});

describe('events out of order', () => {
  it('an older event after a newer one (either shape) changes nothing; the next newer one applies', async () => {
    const { clockService, realtime } = await offlineKiosk(env.soketi, cleanup);
    const minutesAgo = (m: number): string => new Date(Date.now() - m * 60_000).toISOString();
    await env.soketi.trigger(`hotel-${SLUG}`, 'clock-status-updated', specClock(5, 'clock_in', 30 * 60));
    await env.soketi.trigger(`hotel-${SLUG}`, 'clock-status-updated', specClock(5, 'start_break', 10 * 60));
    await vi.waitFor(() => expect(button(clockService, 5)).toBe('end_break'), { timeout: 10000 });
    const breakStart = clockService.effectiveStatus(5).breakStartedAt;

    // The end of an earlier break, delivered late (deployed envelope, +00:00 and microseconds).
    const late = deployedClockStatus({ hotelSlug: SLUG, staffId: 5, action: 'end_break', at: minutesAgo(20).replace('Z', '123+00:00') });
    await env.soketi.trigger(late.channel, late.event, late.data);
    await env.soketi.trigger(`hotel-${SLUG}`, 'attendance-logged', { ...attendanceLog(5, minutesAgo(25)), action: 'clock_out' });
    await vi.waitFor(() => expect(realtime.stats().events).toBe(4), { timeout: 10000 });
    expect(clockService.effectiveStatus(5)).toMatchObject({ status: 'on_break', breakStartedAt: breakStart });
    expect(button(clockService, 5)).toBe('end_break');

    await env.soketi.trigger(`hotel-${SLUG}`, 'clock-status-updated', specClock(5, 'clock_out', 0));
    await vi.waitFor(() => expect(button(clockService, 5)).toBe('clock_in'), { timeout: 10000 });
  });
});

describe('a status the kiosk cannot trust as sent is re-read, never applied', () => {
  it('no time of its own, fields that disagree, a break starting in the future: HotelMate\'s answer is what the greeting offers', async () => {
    const double = await createHotelMateDouble();
    const world = double.seed.killarney();
    cleanup.push(() => double.close());
    expect(double.webApp.clockIn(world.aoife.id).outcome).toBe('clock_in_success');
    const { clockService, realtime, logger } = await kioskOnDouble({ soketi: env.soketi, double, world, cleanup, startClock: true });
    await vi.waitFor(() => expect(clockService.connection().api).toBe('online'), { timeout: 10000 });
    await vi.waitFor(() => expect(button(clockService, world.aoife.id)).toBe('start_break'), { timeout: 10000 });
    const detail = `/api/staff/${world.hotelSlug}/${world.aoife.id}/`;
    const reads = (): number => double.state.requests().filter((r) => r.path === detail).length;

    const { clock_time: _untimed, ...noTime } = specClock(world.aoife.id, 'clock_out', 0);
    const disagreeing = specClock(world.aoife.id, 'clock_out', 0, { current_status: { status: 'on_duty' } });
    const futureBreak = specClock(world.aoife.id, 'start_break', 0, { current_status: { status: 'on_break', is_on_break: true, break_start: '2031-01-01T00:00:00Z' } });
    // Someone with the app's secret sends "Aoife started a break" dated 2031 (deployed envelope, with her name).
    const forged = deployedClockStatus({ hotelSlug: world.hotelSlug, staffId: world.aoife.id, action: 'start_break', at: '2031-01-01T00:00:00Z' });
    const spec = (payload: Record<string, unknown>): [string, string, Record<string, unknown>] => [`hotel-${world.hotelSlug}`, 'clock-status-updated', payload];
    const doubtful = [spec(noTime), spec(disagreeing), spec(futureBreak), [forged.channel, forged.event, forged.data] as const];
    const doubts: string[] = [];
    for (const [i, [channel, event, payload]] of doubtful.entries()) {
      await env.soketi.trigger(channel, event, payload);
      await vi.waitFor(() => expect(reads()).toBe(i + 1), { timeout: 10000 });
      await vi.waitFor(() => expect(realtime.stats().reReads).toBe(i + 1));
      expect(button(clockService, world.aoife.id)).toBe('start_break');
      const line = logger.records.filter((r) => r.message === 'realtime status not trusted; re-reading it from HotelMate').at(-1);
      expect(line?.fields).toMatchObject({ staffId: world.aoife.id, channel, event });
      doubts.push(String(line?.fields?.doubt));
    }
    expect(doubts).toEqual([
      'the event carries no time of its own, so its order is unknown',
      'current_status.status disagrees with the status off_duty',
      expect.stringMatching(/^the break start is \d+ s ahead of this kiosk's clock$/),
      expect.stringMatching(/^the event time is \d+ s ahead of this kiosk's clock$/),
    ]);
    expect(realtime.stats()).toMatchObject({ events: 4, dropped: 0 });
    expect(JSON.stringify(logger.records.filter((r) => r.message.startsWith('realtime')))).not.toMatch(/Aoife|Murphy/);

    // A break really started in the web app (HotelMate sends no event for it): the next doubtful
    // event's re-read finds it, and End Break is offered.
    expect(double.webApp.startBreak(world.aoife.id).outcome).toBe('break_started');
    await env.soketi.trigger(`hotel-${world.hotelSlug}`, 'clock-status-updated', noTime);
    await vi.waitFor(() => expect(button(clockService, world.aoife.id)).toBe('end_break'), { timeout: 10000 });
  });

  it('while HotelMate cannot be asked, the doubtful event is not applied and the last known status stays', async () => {
    const { clockService, realtime } = await offlineKiosk(env.soketi, cleanup);
    await env.soketi.trigger(`hotel-${SLUG}`, 'clock-status-updated', specClock(7, 'clock_in', 60));
    await vi.waitFor(() => expect(button(clockService, 7)).toBe('start_break'), { timeout: 10000 });
    const { clock_time: _untimed, ...noTime } = specClock(7, 'clock_out', 0);
    await env.soketi.trigger(`hotel-${SLUG}`, 'clock-status-updated', noTime);
    await vi.waitFor(() => expect(realtime.stats().reReads).toBe(1), { timeout: 10000 });
    expect(button(clockService, 7)).toBe('start_break');
  });
});

describe('an event that lands while a catch-up read is in flight', () => {
  it('is not lost to the catch-up\'s older answer: the person is re-read once the catch-up is done', async () => {
    const { double, world, clockService, realtime, catchUpsDone } = await onlineKiosk();
    const staffList = `/api/staff/${world.hotelSlug}/`;
    const listReads = (): number => double.state.requests().filter((r) => r.path === staffList).length;
    await vi.waitFor(() => expect(listReads()).toBeGreaterThanOrEqual(2), { timeout: 10000 }); // the clock's start and the realtime connect
    expect(button(clockService, world.aoife.id)).toBe('clock_in');

    // A roster change starts a catch-up; HotelMate answers the staff list at once, but the answer
    // (Aoife off duty) takes 1.5 s to arrive.
    double.faults.latency(1500, { path: new RegExp(`^${staffList}$`), phase: 'after' });
    const catchUps = catchUpsDone();
    await env.soketi.trigger(`hotel-${world.hotelSlug}`, 'roster-updated', { action: 'updated', roster_id: 1, staff_id: world.aoife.id, timestamp: new Date().toISOString() });
    await vi.waitFor(() => expect(listReads()).toBeGreaterThanOrEqual(3), { timeout: 10000 });

    // Meanwhile Aoife clocks in at another kiosk; the event arrives before the catch-up's answer.
    expect(double.webApp.clockIn(world.aoife.id).outcome).toBe('clock_in_success');
    await vi.waitFor(() => expect(button(clockService, world.aoife.id)).toBe('start_break'), { timeout: 10000 });
    await vi.waitFor(() => expect(catchUpsDone()).toBeGreaterThan(catchUps), { timeout: 10000 });

    await vi.waitFor(() => expect(button(clockService, world.aoife.id)).toBe('start_break'), { timeout: 10000 });
    expect(clockService.effectiveStatus(world.aoife.id).status).toBe('on_duty');
    expect(realtime.stats().reReads).toBe(1);
  });
});

describe('an event for someone the kiosk does not know', () => {
  it('is not applied on its own word: the staff list is read again, which brings in a new hire HotelMate has and never a name it does not', async () => {
    const { double, world, clockService, catchUpsDone, logger } = await onlineKiosk();
    const onBoard = (): number[] => clockService.board().departments.flatMap((d) => d.entries.map((e) => e.staffId));

    // Someone HotelMate has never heard of, named by the event alone.
    const catchUps = catchUpsDone();
    await env.soketi.trigger(`hotel-${world.hotelSlug}`, 'clock-status-updated', specClock(999, 'clock_in', 5, { staff_name: 'Mallory Spoof' }));
    await vi.waitFor(() => expect(catchUpsDone()).toBeGreaterThan(catchUps), { timeout: 10000 });
    expect(clockService.staff(999)).toBeNull();
    expect(onBoard()).not.toContain(999);
    expect(clockService.staffList().map((p) => p.name)).not.toContain('Mallory Spoof');
    expect(logger.records.some((r) => r.message.includes('does not know') && r.fields?.staffId === 999)).toBe(true);

    // A new hire added in HotelMate after the kiosk read its staff list clocks in at another kiosk.
    const hire = double.seed.staff({ hotel: world.hotelSlug, firstName: 'Saoirse', lastName: 'Kelly', department: 'housekeeping' });
    double.seed.face({ staffId: hire.id, encoding: Array.from({ length: 128 }, (_, i) => Math.sin(i + 7) / 10) });
    expect(clockService.staff(hire.id)).toBeNull();
    expect(double.webApp.clockIn(hire.id).outcome).toBe('unrostered_clock_in'); // no shift yet: the unrostered form
    await vi.waitFor(() => expect(clockService.staff(hire.id)?.name).toBe('Saoirse Kelly'), { timeout: 10000 });
    await vi.waitFor(() => expect(button(clockService, hire.id)).toBe('start_break'), { timeout: 10000 });
    expect(onBoard()).toContain(hire.id);
  });
});

describe('a reconnect storm', () => {
  it('runs one catch-up at a time, ends connected, and applies the next event', async () => {
    const clockService = recordingClockService();
    let running = 0;
    let most = 0;
    const slowCatchUp = clockService.catchUp;
    clockService.catchUp = async (reason) => {
      running += 1;
      most = Math.max(most, running);
      try {
        await new Promise((resolve) => setTimeout(resolve, 300));
        await slowCatchUp(reason);
      } finally {
        running -= 1;
      }
    };
    const realtime = createRealtimeService({ config: soketiConfig(env.soketi), logger: createMemoryLogger(), clock: systemClock, clockService, reconnectCheckMs: 200 });
    cleanup.push(() => realtime.stop());
    await realtime.start();
    await waitForState(realtime, 'connected');
    await vi.waitFor(() => expect(clockService.catchUps).toEqual(['reconnect']), { timeout: 10000 });
    const states: string[] = [];
    realtime.onState((state) => states.push(state));
    for (let i = 0; i < 3; i += 1) await env.soketi.restart();
    await vi.waitFor(() => expect(states).toContain('connecting'), { timeout: 10000 });
    await waitForState(realtime, 'connected', 30000);
    await vi.waitFor(() => expect(clockService.catchUps.length).toBeGreaterThanOrEqual(2), { timeout: 15000 });
    await vi.waitFor(() => expect(running).toBe(0), { timeout: 10000 });
    expect(most).toBe(1);
    expect(clockService.catchUps.every((reason) => reason === 'reconnect')).toBe(true);
    expect(clockService.catchUps.length).toBeLessThanOrEqual(5);

    await env.soketi.trigger(`hotel-${SLUG}`, 'clock-status-updated', specClock(11, 'clock_in', 0));
    await vi.waitFor(() => expect(clockService.statuses).toMatchObject([{ staffId: 11, status: 'on_duty' }]), { timeout: 10000 });
    expect(realtime.state()).toBe('connected');
  }, 60000);
});

describe('a flood of doubtful events', () => {
  it('re-reads at most 10 people one by one; the rest come from one catch-up; later events still apply', async () => {
    const clockService = recordingClockService();
    const answered = clockService.refreshStatus;
    const waiting: (() => void)[] = [];
    clockService.refreshStatus = async (staffId, budgetMs) => {
      await new Promise<void>((resolve) => waiting.push(resolve));
      return answered(staffId, budgetMs);
    };
    // A catch-up reads the staff list, shifts and face config: it takes a while, and requests made meanwhile are coalesced.
    const recordCatchUp = clockService.catchUp;
    clockService.catchUp = async (reason) => {
      await recordCatchUp(reason);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    };
    const realtime = createRealtimeService({ config: soketiConfig(env.soketi), logger: createMemoryLogger(), clock: systemClock, clockService });
    cleanup.push(() => realtime.stop());
    await realtime.start();
    await waitForState(realtime, 'connected');
    await vi.waitFor(() => expect(clockService.catchUps).toEqual(['reconnect']), { timeout: 10000 });

    for (let staffId = 100; staffId < 130; staffId += 1) {
      const { clock_time: _untimed, ...noTime } = specClock(staffId, 'clock_in', 0);
      await env.soketi.trigger(`hotel-${SLUG}`, 'clock-status-updated', noTime);
    }
    await vi.waitFor(() => expect(realtime.stats().events).toBe(30), { timeout: 10000 });
    expect(waiting).toHaveLength(10); // person reads in flight
    expect(clockService.catchUps.filter((reason) => reason === 're-read').length).toBeGreaterThanOrEqual(1);
    expect(clockService.catchUps.filter((reason) => reason === 're-read').length).toBeLessThanOrEqual(2);
    expect(clockService.statuses).toEqual([]);

    waiting.splice(0).forEach((resolve) => resolve());
    await env.soketi.trigger(`hotel-${SLUG}`, 'clock-status-updated', specClock(131, 'clock_in', 0));
    await vi.waitFor(() => expect(clockService.statuses).toMatchObject([{ staffId: 131, status: 'on_duty' }]), { timeout: 10000 });
    expect(realtime.stats()).toMatchObject({ reReads: 10, dropped: 0 });
    await vi.waitFor(() => expect(clockService.reReads).toHaveLength(10));
  });
});
