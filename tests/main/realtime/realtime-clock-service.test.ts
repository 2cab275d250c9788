/** The realtime service wired to the real ClockService (real SQLite file): what the screen would show. */
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../../src/main/lib/clock';
import type { FaceMatch } from '../../../src/main/face/face-types';
import { openDatabase } from '../../../src/main/db/database';
import { createMemoryLogger } from '../../../src/main/logging/logger';
import { createRealtimeService, type RealtimeService } from '../../../src/main/realtime/realtime-service';
import { createClockService, type ClockService } from '../../../src/main/sync/clock-service';
import { createHotelMateDouble } from '../../support/hotelmate-double';
import { deployedClockStatus } from '../../support/soketi/payloads';
import { startSoketi, type SoketiHandle } from '../../support/soketi/soketi';
import { makeTempDir } from '../../support/temp-dir';
import { recordedEvents } from './fixtures';
import { kioskOnDouble, SLUG, soketiConfig, waitForState } from './helpers';

let soketi: SoketiHandle;
const cleanup: (() => Promise<void>)[] = [];
beforeAll(async () => {
  soketi = await startSoketi();
});
afterAll(async () => {
  await soketi?.stop();
});
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()?.();
});

async function wire(): Promise<{ clockService: ClockService; realtime: RealtimeService }> {
  const logger = createMemoryLogger();
  const config = soketiConfig(soketi);
  const db = openDatabase({ file: path.join(makeTempDir('kiosk-realtime-'), 'kiosk.db') });
  // No HotelMate client: the kiosk is offline from the API, so punches stay pending.
  const clockService = createClockService({ db, client: null, clock: systemClock, logger, config, kioskId: 'lobby' });
  const realtime = createRealtimeService({ config, logger, clock: systemClock, clockService });
  cleanup.push(async () => {
    await realtime.stop();
    await clockService.stop();
    db.close();
  });
  await realtime.start();
  await waitForState(realtime, 'connected');
  await vi.waitFor(() => expect(realtime.stats().catchUps).toBeGreaterThan(0), { timeout: 10000 });
  return { clockService, realtime };
}

const match = (staffId: number): FaceMatch => ({
  staffId,
  distance: 0.3,
  secondBestDistance: null,
  model: 'faceapi-128',
  liveDescriptor: new Float32Array(128).fill(0.01),
  liveness: null,
  spoofSuspected: false,
});

describe('realtime events reach the effective status and the on-duty board', () => {
  it('a clock-in made elsewhere shows the person on duty, and the board lists them', async () => {
    const { clockService } = await wire();
    expect(clockService.effectiveStatus(3).status).toBe('off_duty');
    const conorIn = recordedEvents().find((e) => (e.data.payload as { staff_id?: number } | undefined)?.staff_id === 3)!;
    const boards: unknown[] = [];
    clockService.onBoard((b) => boards.push(b));
    await soketi.trigger(conorIn.channel, conorIn.event, conorIn.data);
    await vi.waitFor(() => expect(clockService.effectiveStatus(3).status).toBe('on_duty'), { timeout: 10000 });
    expect(clockService.board().departments.flatMap((d) => d.entries.map((e) => e.staffId))).toContain(3);
    // Board updates are coalesced (at most one every 250 ms while a backlog drains).
    await vi.waitFor(() => expect(boards.length).toBeGreaterThan(0), { timeout: 2000 });
  });

  it('a late server event does not roll back a punch still pending at this kiosk', async () => {
    const { clockService, realtime } = await wire();
    const [clockIn, , endBreak] = recordedEvents().filter((e) => e.channel === `${SLUG}.attendance`);
    await soketi.trigger(clockIn!.channel, clockIn!.event, clockIn!.data);
    await vi.waitFor(() => expect(clockService.effectiveStatus(2).status).toBe('on_duty'), { timeout: 10000 });

    // Aoife starts a break here while HotelMate is unreachable: the punch is queued.
    const punch = clockService.punch({ staffId: 2, action: 'start_break', match: match(2), flagged: false });
    expect(punch.ok).toBe(true);
    expect(clockService.effectiveStatus(2)).toMatchObject({ status: 'on_break', pendingPunches: 1 });

    // The server then reports her on duty (an event from before it knew of the break).
    const before = realtime.stats().events;
    await soketi.trigger(endBreak!.channel, endBreak!.event, endBreak!.data);
    await vi.waitFor(() => expect(realtime.stats().events).toBe(before + 1), { timeout: 10000 });
    expect(clockService.effectiveStatus(2)).toMatchObject({ status: 'on_break', pendingPunches: 1 });
  });

  it('a forged event stamped years ahead cannot freeze a status: the next status read from HotelMate outranks it', async () => {
    const double = await createHotelMateDouble();
    const world = double.seed.killarney();
    cleanup.push(() => double.close());
    const { clockService, catchUpsDone } = await kioskOnDouble({ soketi, double, world, cleanup });
    expect(double.webApp.clockIn(world.aoife.id).outcome).toBe('clock_in_success');
    // The catch-up after connecting reads the staff list; its answer must land before the forged
    // event, or (being an API answer sent before the event arrived) it rightly outranks it.
    await vi.waitFor(() => expect(catchUpsDone()).toBeGreaterThanOrEqual(1), { timeout: 10000 });

    // Someone who knows the public channel sends "Aoife started a break" dated 2031.
    const forged = deployedClockStatus({ hotelSlug: world.hotelSlug, staffId: world.aoife.id, action: 'start_break', at: '2031-01-01T00:00:00Z' });
    const receivedBefore = Date.now();
    await soketi.trigger(forged.channel, forged.event, forged.data);
    await vi.waitFor(() => expect(clockService.effectiveStatus(world.aoife.id).status).toBe('on_break'), { timeout: 10000 });
    const recorded = clockService.reference.serverStatus(world.aoife.id);
    expect(Date.parse(recorded?.observedAt ?? '')).toBeGreaterThanOrEqual(receivedBefore - 1000);
    expect(Date.parse(recorded?.observedAt ?? '')).toBeLessThanOrEqual(Date.now());

    // She walks up: HotelMate says on duty, and that is what the greeting shows.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const status = await clockService.refreshStatus(world.aoife.id, 1000);
    expect(status).toMatchObject({ status: 'on_duty', freshness: { source: 'live' } });
    expect(clockService.effectiveStatus(world.aoife.id).status).toBe('on_duty');
  });
});
