/**
 * What staff notice around a punch, in Chromium against the real services through the dev/test
 * bridge (real face photos as the camera, the HotelMate double): the chime and the animated tick,
 * Undo within the window (nothing reaches HotelMate; the ledger keeps it as cancelled), the punch
 * sent as soon as the done screen is left, "On duty since" on the next greeting and on the board,
 * the reason step kept open while the person types, and the high-contrast theme with no axe violation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoWorld, startDemoWorld } from '../support/demo-world';
import { axeViolations } from './support/axe';
import { startEnrolledKiosk } from './support/enrolled-kiosk';
import type { KioskHarness } from './support/kiosk-harness';
import { walkUp } from './support/walk-up';

let world: DemoWorld;
let kiosk: KioskHarness;
let emptyCamera = '';
const GREETING_SECONDS = 5;

const { screenIs, showFace, walkAway } = walkUp(
  () => kiosk,
  () => emptyCamera,
);

const hotelTime = (iso: string): string =>
  new Intl.DateTimeFormat('en', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'Europe/Dublin' }).format(new Date(iso));

beforeAll(async () => {
  world = await startDemoWorld();
  const config = world.kioskConfig();
  ({ kiosk, emptyCamera } = await startEnrolledKiosk(world, {
    pin: '246813',
    config: { ...config, ui: { ...((config.ui as object | undefined) ?? {}), greetingTimeoutSeconds: GREETING_SECONDS } },
  }));
}, 240_000);

afterAll(async () => {
  await kiosk?.close();
  await world?.close();
});

describe('a punch, as staff notice it', () => {
  it('chime and tick; Undo within the window sends nothing and keeps the punch as cancelled; she is greeted again', async () => {
    const aoife = world.person('person-a');
    await showFace('person-a');
    await screenIs('recognised', 60_000);
    await kiosk.page.getByTestId('primary-action').click();
    await screenIs('confirmed');
    expect(await kiosk.page.evaluate(() => document.body.dataset.punchSounds)).toBe('1');
    expect(await kiosk.page.getByTestId('done-tick').getAttribute('class')).toContain('done__tick--pop');
    expect(await kiosk.page.getByTestId('announce-polite').innerText()).toContain('Undo this punch');
    await kiosk.page.getByRole('button', { name: 'Undo this punch (wrong button)' }).click();
    await screenIs('undone');
    expect(await kiosk.page.getByRole('heading', { level: 1 }).innerText()).toBe('Undone: nothing was recorded');
    expect(kiosk.ledgerOf(aoife.staffId).map((row) => row.syncState)).toEqual(['cancelled']);
    // Main looks at her afresh: she is greeted again, off duty, and can choose again.
    await screenIs('recognised', 30_000);
    expect(await kiosk.page.getByTestId('primary-action').innerText()).toBe('Clock In');
    // Well past the 10 s window, HotelMate never heard of the undone punch.
    await kiosk.page.waitForTimeout(11_000);
    expect(world.double.state.clockLogs({ staffId: aoife.staffId })).toHaveLength(0);
    await walkAway();
  });

  it('leaving the done screen sends the punch at once; the next greeting says since when she is on duty', async () => {
    const aoife = world.person('person-a');
    await showFace('person-a');
    await screenIs('recognised', 60_000);
    await kiosk.page.getByTestId('primary-action').click();
    await screenIs('confirmed');
    const tapped = Date.now();
    await kiosk.page.getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => world.double.state.clockLogs({ staffId: aoife.staffId }).length, { timeout: 8_000, interval: 100 }).toBe(1);
    expect(Date.now() - tapped).toBeLessThan(8_000); // before the 10 s window would have ended by itself
    const clockIn = kiosk.ledgerOf(aoife.staffId).find((row) => row.syncState === 'synced');
    expect(clockIn?.action).toBe('clock_in');
    await walkAway();
    // The on-duty board: since her clock-in.
    const board = kiosk.page.getByTestId('board');
    await expect.poll(() => board.innerText(), { timeout: 10_000 }).toContain('Aoife Murphy');
    expect(await board.innerText()).toContain(hotelTime(clockIn?.occurredAt ?? ''));

    await showFace('person-a');
    await screenIs('recognised', 60_000);
    expect(await kiosk.page.getByTestId('on-duty-since').innerText()).toMatch(
      new RegExp(`^On duty since ${hotelTime(clockIn?.occurredAt ?? '')} – \\d+ (sec|secs|min|mins)$`),
    );
    // Her shift runs all day: Start Break stays the big button, Clock Out the small one.
    expect(await kiosk.page.getByTestId('primary-action').innerText()).toBe('Start Break');
    await walkAway();
  });

  it('the reason step stays open while the person types, past the greeting timeout', async () => {
    const conor = world.person('person-b'); // no shift today
    await showFace('person-b');
    await screenIs('recognised', 60_000);
    await kiosk.page.getByTestId('primary-action').click();
    await screenIs('reason');
    await kiosk.page.getByRole('radio', { name: 'Other reason' }).click();
    await kiosk.page.waitForSelector('[data-testid=keyboard]');
    const keyboard = kiosk.page.getByTestId('keyboard');
    const started = Date.now();
    for (const letter of 'night porter ill'.split('')) {
      await keyboard.getByRole('button', { name: letter === ' ' ? 'Space' : letter, exact: true }).click();
      await kiosk.page.waitForTimeout(600);
    }
    expect(Date.now() - started).toBeGreaterThan(GREETING_SECONDS * 1000 + 2000);
    expect(await kiosk.page.evaluate(() => document.body.dataset.screen)).toBe('reason');
    expect(await kiosk.page.getByTestId('reason-other').locator('input').inputValue()).toBe('night porter ill');
    await kiosk.page.getByRole('button', { name: 'Confirm Clock In' }).click();
    await screenIs('confirmed');
    await kiosk.page.getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => world.double.state.clockLogs({ staffId: conor.staffId }).length, { timeout: 10_000 }).toBe(1);
    await walkAway();
  });

  it('the high-contrast theme: every staff screen passes axe', async () => {
    const result = kiosk.app.config.update({ ui: { highContrast: true } });
    expect(result.ok).toBe(true);
    await kiosk.page.waitForFunction(() => document.documentElement.dataset.theme === 'high-contrast', undefined, { timeout: 10_000 });
    expect(await axeViolations(kiosk.page), 'axe on idle').toEqual([]);
    await kiosk.screenshot('screens/e2e-high-contrast-idle');
    await showFace('person-c');
    await screenIs('recognised', 60_000);
    expect(await axeViolations(kiosk.page), 'axe on the greeting').toEqual([]);
    await kiosk.screenshot('screens/e2e-high-contrast-recognised');
    await kiosk.page.getByTestId('primary-action').click();
    await screenIs('confirmed');
    expect(await axeViolations(kiosk.page), 'axe on the done screen').toEqual([]);
    await kiosk.page.getByRole('button', { name: 'Undo this punch (wrong button)' }).click();
    await screenIs('undone');
    expect(await axeViolations(kiosk.page), 'axe on undone').toEqual([]);
    await walkAway();
  });
});
