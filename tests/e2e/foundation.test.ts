/**
 * Foundation end to end: the real renderer in Chromium, through the dev/test bridge, shows the file
 * camera's frames moving in the preview, and says "camera unavailable" when the camera goes away.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFaceVideo, makeSolidImage } from '../support/media/face-video';
import { type KioskHarness, startKioskHarness } from './support/kiosk-harness';

let kiosk: KioskHarness;

/**
 * A slideshow of plain coloured pictures, one a second: frames that visibly move, with no face in
 * them (faces would take the screen from idle to the face screens, which other tests cover).
 */
async function colourVideo(): Promise<string> {
  const size = { width: 640, height: 480 };
  const colours = [
    [200, 60, 60],
    [60, 180, 90],
    [70, 90, 210],
    [220, 200, 80],
  ] as const;
  const photos = await Promise.all(colours.map((color) => makeSolidImage({ size, color })));
  return makeFaceVideo({ photos, secondsEach: 1, fps: 15 });
}

beforeAll(async () => {
  const video = await colourVideo();
  kiosk = await startKioskHarness({
    cameraFile: video,
    // A configured kiosk whose HotelMate server is down: the idle screen with the preview.
    config: { hotel: { slug: 'hotel-killarney', name: 'Hotel Killarney' }, api: { baseUrl: 'http://127.0.0.1:9/api' } },
    token: 'a'.repeat(40),
    pin: '246813',
  });
});

afterAll(async () => {
  await kiosk?.close();
});

/** A cheap fingerprint of the preview canvas's pixels. */
async function previewFingerprint(): Promise<string> {
  return kiosk.page.evaluate(() => {
    const canvas = document.querySelector<HTMLCanvasElement>('canvas.preview__canvas');
    if (!canvas || canvas.width === 0) return 'none';
    const ctx = canvas.getContext('2d');
    if (!ctx) return 'no-context';
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    let sum = 0;
    let nonBlack = 0;
    for (let i = 0; i < data.length; i += 4 * 7) {
      sum = (sum * 31 + data[i] + data[i + 1] * 3 + data[i + 2] * 7) % 1_000_000_007;
      if (data[i] + data[i + 1] + data[i + 2] > 30) nonBlack += 1;
    }
    return `${canvas.width}x${canvas.height}:${nonBlack}:${sum}`;
  });
}

describe('kiosk foundation in Chromium', () => {
  it('shows the idle screen with the hotel name and moving frames from the file camera', async () => {
    const { page } = kiosk;
    await page.getByText('Hotel Killarney').first().waitFor({ timeout: 30000 });
    // Until the first frame is drawn the canvas is an empty 300x150 element (ffmpeg may take a while
    // to start on a loaded machine): wait for a drawn frame, then every sample must be a picture.
    await page.waitForFunction(() => document.querySelector<HTMLCanvasElement>('canvas.preview__canvas')?.dataset.frameSeq !== undefined, undefined, {
      timeout: 30000,
    });
    const seen = new Set<string>();
    for (let i = 0; i < 12 && seen.size < 3; i += 1) {
      const print = await previewFingerprint();
      expect(print).not.toBe('none');
      expect(Number(print.split(':')[1]), print).toBeGreaterThan(0);
      seen.add(print);
      await page.waitForTimeout(400);
    }
    // The slideshow changes picture every second: at least three different pictures were painted.
    expect(seen.size).toBeGreaterThanOrEqual(3);
    // HotelMate is not reachable at that address: the kiosk says so instead of claiming "Online".
    await page.getByText(/Offline/).first().waitFor({ timeout: 20000 });
    await kiosk.screenshot('foundation/idle-preview-1920x1080');
    expect(kiosk.pageErrors).toEqual([]);
    // The diagnostics figures come from the running services.
    const diagnostics = await kiosk.app.handlers['diagnostics:get']();
    expect(diagnostics.camera.state).toBe('streaming');
    expect(diagnostics.camera.fps).toBeGreaterThan(0);
    expect(diagnostics.queue).toEqual({ pending: 0, needsReview: 0, synced: 0, oldestPendingAt: null });
    expect(diagnostics.sync.api).toBe('offline');
  });

  it('says the camera is unavailable when it goes away, and recovers by itself', async () => {
    const { page, app } = kiosk;
    await app.camera.setDevice('file:/nonexistent/camera.mp4');
    await page.getByText(/camera (is )?unavailable/i).first().waitFor({ timeout: 20000 });
    await kiosk.screenshot('foundation/camera-unavailable');
    const video = await colourVideo();
    await app.camera.setDevice(`file:${video}`);
    await page.waitForFunction(() => !document.body.innerText.match(/camera (is )?unavailable/i), undefined, { timeout: 20000 });
    // The pictures move again (each lasts a second; the camera may still be starting).
    const before = await previewFingerprint();
    await expect.poll(() => previewFingerprint(), { timeout: 10_000, interval: 250 }).not.toBe(before);
  });
});
