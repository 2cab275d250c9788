/**
 * The seeded hotel must not change a test's outcome with the hour it runs at: Aoife's default shift
 * covers the double's "now" and stays far from its end (the kiosk offers Clock Out as the big
 * button from 30 minutes before a shift ends), also when a test runs on past UTC midnight.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createHotelMateDouble, createManualClock, type HotelMateDouble } from './index';
import { shiftAwayFromItsEnd } from './seed';

let open: HotelMateDouble | null = null;
afterEach(async () => {
  await open?.close();
  open = null;
});

async function seededAt(at: string) {
  const clock = createManualClock(at);
  open = await createHotelMateDouble({ clock });
  return { double: open, world: open.seed.killarney(), clock };
}

describe("Killarney's default shift for Aoife", () => {
  it.each(['2026-11-26T00:00:00Z', '2026-11-26T10:00:00Z', '2026-11-26T19:59:59Z', '2026-11-26T20:00:00Z', '2026-11-26T23:45:00Z'])(
    'seeded at %s, she clocks in on that shift, which ends at least three hours later',
    async (at) => {
      const { double, world } = await seededAt(at);
      expect(double.webApp.clockIn(world.aoife.id).outcome).toBe('clock_in_success');
      expect(double.state.clockLogs({ staffId: world.aoife.id })[0]).toMatchObject({ isUnrostered: false, rosterShiftId: world.aoifeShiftId });
      const { start, end } = shiftAwayFromItsEnd(new Date(at));
      const endMs = Date.parse(`${at.slice(0, 10)}T${end}:00Z`) + (end < start ? 86_400_000 : 0);
      expect(endMs - Date.parse(at)).toBeGreaterThanOrEqual(3 * 3_600_000);
    },
  );

  it('seeded just before UTC midnight, it still covers her after midnight', async () => {
    const { double, world, clock } = await seededAt('2026-11-26T23:58:30Z');
    clock.advance(2 * 60_000); // 00:00:30 the next day
    expect(double.webApp.clockIn(world.aoife.id).outcome).toBe('clock_in_success');
    expect(double.state.clockLogs({ staffId: world.aoife.id })[0]).toMatchObject({ isUnrostered: false, rosterShiftId: world.aoifeShiftId });
  });
});
