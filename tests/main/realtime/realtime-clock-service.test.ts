/** The realtime service wired to the real ClockService (real SQLite file): what the screen would show. */
import { describe, expect, it, vi } from 'vitest';
import type { FaceMatch } from '../../../src/main/face/face-types';
import { recordedEvents } from './fixtures';
import { offlineKiosk, SLUG, soketiPerFile } from './helpers';

const env = soketiPerFile();
const cleanup = env.cleanup;

const wire = (): ReturnType<typeof offlineKiosk> => offlineKiosk(env.soketi, cleanup);

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
    await env.soketi.trigger(conorIn.channel, conorIn.event, conorIn.data);
    await vi.waitFor(() => expect(clockService.effectiveStatus(3).status).toBe('on_duty'), { timeout: 10000 });
    expect(clockService.board().departments.flatMap((d) => d.entries.map((e) => e.staffId))).toContain(3);
    // Board updates are coalesced (at most one every 250 ms while a backlog drains).
    await vi.waitFor(() => expect(boards.length).toBeGreaterThan(0), { timeout: 10000 });
  });

  it('a late server event does not roll back a punch still pending at this kiosk', async () => {
    const { clockService, realtime } = await wire();
    const [clockIn, , endBreak] = recordedEvents().filter((e) => e.channel === `${SLUG}.attendance`);
    await env.soketi.trigger(clockIn!.channel, clockIn!.event, clockIn!.data);
    await vi.waitFor(() => expect(clockService.effectiveStatus(2).status).toBe('on_duty'), { timeout: 10000 });

    // Aoife starts a break here while HotelMate is unreachable: the punch is queued.
    const punch = clockService.punch({ staffId: 2, action: 'start_break', match: match(2), flagged: false });
    expect(punch.ok).toBe(true);
    expect(clockService.effectiveStatus(2)).toMatchObject({ status: 'on_break', pendingPunches: 1 });

    // The server then reports her on duty (an event from before it knew of the break).
    const before = realtime.stats().events;
    await env.soketi.trigger(endBreak!.channel, endBreak!.event, endBreak!.data);
    await vi.waitFor(() => expect(realtime.stats().events).toBe(before + 1), { timeout: 10000 });
    expect(clockService.effectiveStatus(2)).toMatchObject({ status: 'on_break', pendingPunches: 1 });
  });
});
