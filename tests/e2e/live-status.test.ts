/**
 * Live hotel status end to end: HotelMate (test double) -> Pusher (real soketi on 127.0.0.1) ->
 * the kiosk's realtime service -> the real renderer in Chromium. The on-duty board and the
 * greeted person's button change when the hotel's events arrive, without polling.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHotelMateClient } from '../../src/main/hotelmate/client';
import { createMemoryLogger } from '../../src/main/logging/logger';
import { type DemoWorld, photoDescriptor, startDemoWorld } from '../support/demo-world';
import { facePhotos, makeFaceVideo, makeSolidImage } from '../support/media/face-video';
import { specClockStatus } from '../support/soketi/payloads';
import { type KioskHarness, startKioskHarness } from './support/kiosk-harness';

let world: DemoWorld;
let kiosk: KioskHarness;

beforeAll(async () => {
  world = await startDemoWorld({ soketi: true });
  const empty = await makeSolidImage({ size: { width: 640, height: 480 }, color: [40, 44, 52] });
  kiosk = await startKioskHarness({ cameraFile: empty, config: world.kioskConfig(), token: world.token, pin: '246813' });
  await world.enrol(kiosk.app);
  await kiosk.page.getByTestId('board').waitFor({ timeout: 30000 });
  await kiosk.page.waitForFunction(() => document.body.innerText.includes('Online'), undefined, { timeout: 30000 });
});

afterAll(async () => {
  await kiosk?.close();
  await world?.close();
});

describe('live hotel status in Chromium', () => {
  it('shows a clock-in made at another kiosk on the on-duty board, by department', async () => {
    const aoife = world.people.find((p) => p.identity === 'person-a')!;
    const board = kiosk.page.getByTestId('board');
    expect(await board.innerText()).not.toContain('Aoife Murphy');
    // Another kiosk (same hotel, same API) clocks Aoife in; the backend announces it over Pusher.
    const otherKiosk = createHotelMateClient({ baseUrl: world.apiBaseUrl, hotelSlug: world.hotelSlug, getToken: () => world.token, timeoutMs: 5000, logger: createMemoryLogger() });
    const answer = await otherKiosk.faceClockIn({ encoding: Array.from(await photoDescriptor(aoife.photos[1] as string)), is_kiosk_mode: true });
    expect(answer.ok && answer.data.action).toBe('clock_in_success');
    await kiosk.page.waitForFunction(() => {
      const text = document.querySelector('[data-testid="board"]')?.textContent ?? '';
      return text.includes('Front Office') && text.includes('Aoife Murphy');
    }, undefined, { timeout: 15000 });
    await kiosk.screenshot('live-status/board-after-remote-clock-in');
  });

  it('changes the greeted person\'s button when the hotel reports a break started elsewhere', async () => {
    const aoife = world.people.find((p) => p.identity === 'person-a')!;
    const video = await makeFaceVideo({ photos: [facePhotos({ identity: 'person-a' })[0] as string], secondsEach: 4, fps: 15 });
    await kiosk.app.camera.setDevice(`file:${video}`);
    const primary = kiosk.page.getByTestId('primary-action');
    await primary.waitFor({ timeout: 30000 });
    expect(await kiosk.page.getByTestId('greeting').innerText()).toContain('Aoife');
    await expect.poll(() => primary.innerText(), { timeout: 10000 }).toMatch(/Start Break/i);
    // The customer-spec event (flat payload on hotel-<slug>), as a backend that honours the spec sends it.
    const event = specClockStatus({ hotelSlug: world.hotelSlug, staffId: aoife.staffId, action: 'start_break', firstName: 'Aoife', lastName: 'Murphy' });
    await world.soketi!.trigger(event.channel, event.event, event.data);
    await expect.poll(() => primary.innerText(), { timeout: 10000 }).toMatch(/End Break/i);
    await kiosk.screenshot('live-status/button-after-remote-break');
  });
});
