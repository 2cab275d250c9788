/**
 * Live hotel status end to end: HotelMate (test double) -> Pusher (real soketi on 127.0.0.1) ->
 * the kiosk's realtime service -> the real renderer in Chromium. The on-duty board and the
 * greeted person's button change when the hotel's events arrive, without polling; and a change
 * HotelMate never announces (a break started in its web app) is still on the greeting, because
 * the kiosk re-reads the person's status before showing the buttons.
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
    const aoife = world.person('person-a');
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
    const aoife = world.person('person-a');
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

  it('a break started in the web app, with no Pusher event: the person walks up and the kiosk offers End Break', async () => {
    const niamh = world.person('person-c');
    // She clocks in in the web app: HotelMate announces that one, and the board shows her on duty.
    expect(world.double.webApp.clockIn(niamh.staffId).outcome).toBe('clock_in_success');
    await kiosk.page.waitForFunction(() => (document.querySelector('[data-testid="board"]')?.textContent ?? '').includes('Niamh Byrne'), undefined, { timeout: 15000 });

    // Then starts a break in the web app: no event reaches the kiosk.
    const triggers = world.double.state.pusherEvents().length;
    expect(world.double.webApp.startBreak(niamh.staffId).outcome).toBe('break_started');
    expect(world.double.state.pusherEvents().slice(triggers)).toMatchObject([{ delivered: false }]);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(kiosk.app.services.effectiveStatus(niamh.staffId).status).toBe('on_duty'); // what the kiosk last heard

    // Nobody in front of the camera, the previous greeting closed; then she walks up.
    await kiosk.app.camera.setDevice(`file:${await makeSolidImage({ size: { width: 640, height: 480 }, color: [40, 44, 52] })}`);
    if ((await kiosk.page.getByTestId('greeting').count()) > 0) await kiosk.page.getByRole('button', { name: 'Cancel' }).click();
    const video = await makeFaceVideo({ photos: [facePhotos({ identity: 'person-c' })[0] as string], secondsEach: 6, fps: 15 });
    await kiosk.app.camera.setDevice(`file:${video}`);
    await kiosk.page.waitForFunction(() => (document.querySelector('[data-testid="greeting"]')?.textContent ?? '').includes('Niamh'), undefined, { timeout: 30000 });
    const primary = kiosk.page.getByTestId('primary-action');
    expect(await kiosk.page.getByTestId('duty-status').innerText()).toMatch(/On break/i);
    expect(await primary.innerText()).toMatch(/End Break/i);
    expect(await kiosk.page.getByTestId('status-as-of').count()).toBe(0); // HotelMate confirmed it just now
    const detailReads = world.double.state.requests().filter((r) => r.path === `/api/staff/${world.hotelSlug}/${niamh.staffId}/`);
    expect(detailReads.length).toBeGreaterThanOrEqual(1);
    await kiosk.screenshot('live-status/end-break-after-web-break');

    await primary.click();
    await kiosk.page.getByTestId('confirmed').waitFor({ timeout: 15000 });
    expect(await kiosk.page.getByRole('heading', { level: 1 }).innerText()).toMatch(/Break ended/);
    // Done ends the punch's undo window at once: it goes to HotelMate.
    await kiosk.page.getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => world.double.state.staff(niamh.staffId)?.dutyStatus, { timeout: 10000 }).toBe('on_duty');
    expect(kiosk.pageErrors).toEqual([]);
  });
});
