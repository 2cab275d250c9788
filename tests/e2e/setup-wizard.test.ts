/**
 * The first-run setup wizard against the real kiosk: every main-side service on a new data folder,
 * the dev/test bridge, the built renderer in Debian's Chromium and the HotelMate double. An
 * installer answers each question (the hotel checked with HotelMate, the kiosk account signed in)
 * and chooses the strict liveness mode; the kiosk runs with it and keeps it in its config file.
 * The look of each step at every screen size, with axe, is in screens-look.test.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoWorld, startDemoWorld } from '../support/demo-world';
import { makeSolidImage } from '../support/media/face-video';
import { axeViolations } from './support/axe';
import { type KioskHarness, startKioskHarness } from './support/kiosk-harness';

let world: DemoWorld;
let kiosk: KioskHarness;

describe('first run: the setup wizard through the bridge (Chromium, real services)', () => {
  beforeAll(async () => {
    world = await startDemoWorld();
    const camera = await makeSolidImage({ size: { width: 640, height: 480 }, color: [40, 44, 52] });
    kiosk = await startKioskHarness({ cameraFile: camera });
  }, 300_000);

  afterAll(async () => {
    await kiosk?.close();
    await world?.close();
  });

  it('an installer chooses the liveness mode; the kiosk keeps it in its config', async () => {
    const { page } = kiosk;
    await page.waitForSelector('[data-testid=wizard]', { timeout: 60_000 });
    expect(kiosk.app.config.get().recognition.liveness).toBe('challenge_when_doubtful');
    /** Next, then wait for the next question (main checked and saved the answer). */
    const next = async (): Promise<void> => {
      const before = await page.textContent('#wizard-question');
      await page.click('[data-testid=wizard-next]');
      await page.waitForFunction((b) => document.querySelector('#wizard-question')?.textContent !== b, before, { timeout: 30_000 });
    };
    await next(); // the language
    await page.fill('[data-testid=wizard] input >> nth=0', '246810');
    await page.fill('[data-testid=wizard] input >> nth=1', '246810');
    await next();
    await page.fill('[data-testid=wizard] input >> nth=0', world.apiBaseUrl);
    await page.fill('[data-testid=wizard] input >> nth=1', world.hotelSlug);
    await next();
    await page.fill('[data-testid=wizard] input >> nth=0', world.kioskAccount.username);
    await page.fill('[data-testid=wizard] input >> nth=1', world.kioskAccount.password);
    await page.click('[data-testid=wizard] button:text-is("Sign in")');
    await page.waitForSelector('[data-testid=signin-result]', { timeout: 30_000 });
    await next();
    await next(); // the time zone
    await next(); // the camera

    expect(await page.textContent('#wizard-question')).toBe('How should the kiosk make sure a real person is in front of it?');
    expect(await page.getAttribute('role=radio[name="Passive, and a small head turn when in doubt (recommended)"]', 'aria-checked')).toBe('true');
    await page.click('role=radio[name="A small head turn at every recognition (strict)"]');
    expect(await axeViolations(page)).toEqual([]);
    await kiosk.screenshot('setup-wizard/liveness');
    await next();

    await page.waitForSelector('[data-testid=test-checks]', { timeout: 60_000 });
    expect(kiosk.app.config.get().recognition.liveness).toBe('always_challenge');
    const file = JSON.parse(fs.readFileSync(path.join(kiosk.dataDir, 'config.json'), 'utf8')) as { recognition?: { liveness?: string } };
    expect(file.recognition?.liveness).toBe('always_challenge');
    expect(kiosk.pageErrors).toEqual([]);
  }, 180_000);
});
