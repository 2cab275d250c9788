/**
 * The status a greeting shows is HotelMate's, not a stale one: a break started in the HotelMate web
 * app sends no Pusher event (the backend's start_break trigger fails, hotelmate-api.md §5.1), yet
 * when the person walks up to the kiosk the greeting offers End Break, because the kiosk re-reads
 * the status before showing the buttons. The real renderer in Chromium through the dev/test bridge,
 * the HotelMate double and a real soketi on 127.0.0.1, and a face video from the shared photos.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoWorld, startDemoWorld } from '../support/demo-world';
import { facePhotos, makeFaceVideo, makeSolidImage } from '../support/media/face-video';
import { type KioskHarness, startKioskHarness } from './support/kiosk-harness';

let world: DemoWorld;
let kiosk: KioskHarness;

beforeAll(async () => {
  world = await startDemoWorld({ soketi: true });
  const empty = await makeSolidImage({ size: { width: 640, height: 480 }, color: [40, 44, 52] });
  kiosk = await startKioskHarness({ cameraFile: empty, config: world.kioskConfig(), token: world.token, pin: '2468' });
  await world.enrol(kiosk.app);
  await kiosk.page.getByTestId('board').waitFor({ timeout: 30000 });
  await kiosk.page.waitForFunction(() => document.body.innerText.includes('Online'), undefined, { timeout: 30000 });
});

afterAll(async () => {
  await kiosk?.close();
  await world?.close();
});

describe('fresh status before the buttons (Chromium)', () => {
  it('a break started in the web app, with no Pusher event: the person walks up and the kiosk offers End Break', async () => {
    const aoife = world.people.find((p) => p.identity === 'person-a')!;
    // She clocks in in the web app: HotelMate announces that one, and the board shows her on duty.
    expect(world.double.webApp.clockIn(aoife.staffId).outcome).toBe('clock_in_success');
    await kiosk.page.waitForFunction(() => (document.querySelector('[data-testid="board"]')?.textContent ?? '').includes('Aoife Murphy'), undefined, { timeout: 15000 });

    // Then starts a break in the web app: no event reaches the kiosk.
    const triggers = world.double.state.pusherEvents().length;
    expect(world.double.webApp.startBreak(aoife.staffId).outcome).toBe('break_started');
    expect(world.double.state.pusherEvents().slice(triggers)).toMatchObject([{ delivered: false }]);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(kiosk.app.services.effectiveStatus(aoife.staffId).status).toBe('on_duty'); // what the kiosk last heard

    // She walks up to the kiosk.
    const video = await makeFaceVideo({ photos: [facePhotos({ identity: 'person-a' })[0] as string], secondsEach: 6, fps: 15 });
    await kiosk.app.camera.setDevice(`file:${video}`);
    const primary = kiosk.page.getByTestId('primary-action');
    await primary.waitFor({ timeout: 30000 });
    expect(await kiosk.page.getByTestId('greeting').innerText()).toContain('Aoife');
    expect(await kiosk.page.getByTestId('duty-status').innerText()).toMatch(/On break/i);
    expect(await primary.innerText()).toMatch(/End Break/i);
    expect(await kiosk.page.getByTestId('status-as-of').count()).toBe(0); // HotelMate confirmed it just now
    const detailReads = world.double.state.requests().filter((r) => r.path === `/api/staff/${world.hotelSlug}/${aoife.staffId}/`);
    expect(detailReads.length).toBeGreaterThanOrEqual(1);
    await kiosk.screenshot('fresh-status/end-break-after-web-break');

    await primary.click();
    await kiosk.page.getByTestId('confirmed').waitFor({ timeout: 15000 });
    expect(await kiosk.page.getByRole('heading', { level: 1 }).innerText()).toMatch(/Break ended/);
    await expect.poll(() => world.double.state.staff(aoife.staffId)?.dutyStatus, { timeout: 10000 }).toBe('on_duty');
    expect(kiosk.pageErrors).toEqual([]);
  });
});
