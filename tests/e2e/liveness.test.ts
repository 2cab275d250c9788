/**
 * Liveness end to end (issue 13): the real main-side services with the default liveness mode (the
 * passive check, and a head turn when in doubt), the dev/test bridge, the built renderer in
 * Debian's Chromium and the HotelMate double. The camera is one of the shared videos of the same
 * person (../shared/data/spoof/video_lestari15): a phone replaying their face in front of the
 * webcam is never greeted by name; the person themself, live in front of the same webcam, is.
 * With `always_challenge` the same live person is asked for the head turn before any greeting; the
 * live video holds the head still (its yaw stays within 1-4 degrees, measured with the kiosk's
 * pipeline at 10 frames a second), so it shows the failure. No shared video turns the head on cue,
 * so the greeting after a turn is proven in the unit tests only (tests/main/face/liveness-flow.test.ts).
 * The person is enrolled from a frame of the live video, under the demo duty manager's id: live,
 * her face approves a colleague's Clock without face ("Approve as <name>"); her face replayed on a
 * phone is never named, so it is never offered as an approver.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FaceObservation } from '../../src/shared/domain/types';
import { createFacePipeline } from '../../src/main/face/pipeline/face-pipeline';
import { createMemoryLogger } from '../../src/main/logging/logger';
import { type DemoWorld, startDemoWorld } from '../support/demo-world';
import { decodeImageFile } from '../support/media/photos';
import { makeSolidImage } from '../support/media/face-video';
import { spoofDir, SPOOF_DATA_MISSING } from '../main/face/pipeline/spoof-data';
import { axeViolations } from './support/axe';
import { type KioskHarness, startKioskHarness } from './support/kiosk-harness';

const videos = (() => {
  const dir = spoofDir();
  return dir ? path.join(dir, 'video_lestari15') : null;
})();

let world: DemoWorld;
let kiosk: KioskHarness;
let emptyCamera = '';
let name = '';
let faceLastSeenAt = 0;
let lastObservationAt = 0;

interface PageLog {
  screens: string[];
  names: string[];
  texts: string[];
}

async function pageLog(): Promise<PageLog> {
  return kiosk.page.evaluate(() => (window as unknown as { __live: PageLog }).__live);
}

/** The punches in the kiosk's ledger, newest first. */
function punches(): unknown[] {
  return kiosk.app.services.clockService()?.ledger({ limit: 10 }) ?? [];
}

async function clearPageLog(): Promise<void> {
  await kiosk.page.evaluate(() => {
    const log = (window as unknown as { __live: PageLog }).__live;
    log.screens.length = 0;
    log.names.length = 0;
    log.texts.length = 0;
  });
}

/** Nobody in front of the camera until a second of analysed frames without a face has ended the face's track. */
async function walkedAway(): Promise<void> {
  const switchedAt = Date.now();
  await kiosk.app.camera.setDevice(`file:${emptyCamera}`);
  await expect.poll(() => lastObservationAt > switchedAt && lastObservationAt - Math.max(faceLastSeenAt, switchedAt) >= 1000, { timeout: 30_000, interval: 100 }).toBe(true);
}

describe.skipIf(!videos)(`liveness in front of the real kiosk (Chromium, real services)${videos ? '' : ` (${SPOOF_DATA_MISSING})`}`, () => {
  beforeAll(async () => {
    world = await startDemoWorld();
    emptyCamera = await makeSolidImage({ size: { width: 640, height: 480 }, color: [40, 44, 52] });
    // The demo world turns liveness off for its still-photo videos; this kiosk keeps the default.
    const config = { ...world.kioskConfig(), recognition: { liveness: 'challenge_when_doubtful' } };
    kiosk = await startKioskHarness({ cameraFile: emptyCamera, config, token: world.token, pin: '246812' });
    // The person of the videos stands in for Niamh, the duty manager (she may approve a punch without a face).
    const person = world.person('person-c');
    name = `${person.firstName} ${person.lastName}`;
    const frame = path.join(videos ?? '', 'real_f0000.jpg');
    if (!fs.existsSync(frame)) throw new Error(`missing ${frame}`);
    const pipeline = await createFacePipeline({ modelsDir: path.resolve(__dirname, '../../models'), logger: createMemoryLogger(), threads: 1 });
    const enrolment = await pipeline.analyse(decodeImageFile(frame));
    await pipeline.close();
    if (!enrolment.descriptor) throw new Error(`no face found in ${frame}`);
    kiosk.app.face.templates.addTemplate(person.staffId, enrolment.descriptor, 'e2e', 1);
    kiosk.app.events.subscribe((channel, payload) => {
      if (channel !== 'face:observation') return;
      lastObservationAt = Date.now();
      if ((payload as FaceObservation).hasMainFace) faceLastSeenAt = lastObservationAt;
    });
    await kiosk.page.waitForFunction(() => document.body.dataset.screen === 'idle', undefined, { timeout: 60_000 });
    await kiosk.page.evaluate(() => {
      const log: PageLog = { screens: [], names: [], texts: [] };
      (window as unknown as { __live: PageLog }).__live = log;
      new MutationObserver(() => {
        const screen = document.body.dataset.screen ?? '';
        if (log.screens.at(-1) !== screen) log.screens.push(screen);
        log.texts.push(document.body.innerText);
        if (log.texts.length > 200) log.texts.shift();
      }).observe(document.body, { attributes: true, childList: true, subtree: true, characterData: true });
      window.kiosk.on('face:recognised', (r) => log.names.push(r.staff.name));
    });
  }, 300_000);

  // The person walks away between the tests: a second of analysed frames without a face ends the track.
  afterEach(() => walkedAway());

  afterAll(async () => {
    await kiosk?.close();
    await world?.close();
  });

  it('a phone replaying the person’s face is never greeted by name, and nothing is punched', async () => {
    await clearPageLog();
    await kiosk.app.camera.setDevice(`file:${path.join(videos ?? '', 'fake.mp4')}`);
    // The replay loops in front of the camera for 25 s (about ten plays of the clip).
    const until = Date.now() + 25_000;
    while (Date.now() < until) {
      const log = await pageLog();
      expect(log.names).toEqual([]);
      expect(log.screens).not.toContain('recognised');
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const log = await pageLog();
    console.log(`[liveness] replay: screens ${log.screens.join(' > ')}`);
    expect(log.texts.some((text) => text.includes(name))).toBe(false);
    // The kiosk did see the face, and told the person something other than a name.
    expect(faceLastSeenAt).toBeGreaterThan(until - 25_000);
    expect(log.screens.some((s) => s === 'challenge' || s === 'notConfirmed' || s === 'guidance')).toBe(true);
    expect(punches()).toEqual([]);
    await kiosk.screenshot('liveness/replay');
  }, 90_000);

  it('the person themself, live in front of the same webcam, is greeted by name', async () => {
    await clearPageLog();
    await kiosk.app.camera.setDevice(`file:${path.join(videos ?? '', 'real.mp4')}`);
    await kiosk.page.waitForFunction(
      (n) => document.body.dataset.screen === 'recognised' && (document.querySelector('[data-testid="greeting"]')?.textContent ?? '').includes(n),
      name,
      { timeout: 60_000 },
    );
    console.log(`[liveness] live: screens ${(await pageLog()).screens.join(' > ')}`);
    await kiosk.screenshot('liveness/live');
  }, 90_000);

  // The test before shows this video is greeted in the default mode: its passive score is not in
  // doubt (a doubtful face is asked to turn, and this video cannot). The strict mode asks anyway.
  it('with always_challenge the same live person is asked to turn their head first; not turning shows the failure and punches nothing', async () => {
    expect(kiosk.app.config.update({ recognition: { liveness: 'always_challenge' } }).ok).toBe(true);
    try {
      await clearPageLog();
      await kiosk.app.camera.setDevice(`file:${path.join(videos ?? '', 'real.mp4')}`);
      await kiosk.page.waitForFunction(() => document.body.dataset.screen === 'challenge', undefined, { timeout: 60_000 });
      expect(await kiosk.page.textContent('body')).toMatch(/Please turn your head slightly to your (left|right)/);
      await kiosk.screenshot('liveness/always-challenge-asked');
      // The head stays still: after the 3 s to turn, the failure screen, with no name.
      await kiosk.page.waitForFunction(() => document.body.dataset.screen === 'notConfirmed', undefined, { timeout: 30_000 });
      expect(await kiosk.page.textContent('body')).toContain('That did not work this time');
      await kiosk.screenshot('liveness/always-challenge-not-confirmed');
      const log = await pageLog();
      console.log(`[liveness] always_challenge, live: screens ${log.screens.join(' > ')}`);
      expect(log.screens).not.toContain('recognised');
      expect(log.screens.indexOf('challenge')).toBeLessThan(log.screens.indexOf('notConfirmed'));
      expect(log.names).toEqual([]);
      expect(log.texts.some((text) => text.includes(name))).toBe(false);
      expect(punches()).toEqual([]);
    } finally {
      kiosk.app.config.update({ recognition: { liveness: 'challenge_when_doubtful' } });
    }
  }, 90_000);

  // Last: it writes the only punch of this file.
  it('Clock without face: the live duty manager approves by looking at the camera; her face replayed on a phone is never offered', async () => {
    const aoife = world.person('person-a');
    const manager = world.person('person-c');
    const { page } = kiosk;
    // The camera goes down: the idle screen offers Clock without face; Aoife picks her name.
    await kiosk.app.camera.setDevice('file:/nonexistent/camera.mp4');
    await page.getByTestId('camera-down').getByTestId('clock-without-face').click({ timeout: 30_000 });
    await page.waitForFunction(() => document.body.dataset.screen === 'manual');
    await page.getByTestId('manual-people').getByRole('button', { name: /Aoife Murphy/ }).click();
    await page.getByTestId('manual-action-clock_in').click();
    await page.getByRole('button', { name: 'Next', exact: true }).last().click();
    await page.getByText('Clock In for Aoife Murphy').waitFor();

    // The phone replay of the manager's face is in front of the camera for 12 s: no name, no approver.
    await kiosk.app.camera.setDevice(`file:${path.join(videos ?? '', 'fake.mp4')}`);
    const until = Date.now() + 12_000;
    while (Date.now() < until) {
      expect(await page.getByTestId('manual-approve-as').count()).toBe(0);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect((await pageLog()).names).toEqual([]);

    // The phone is taken away (a second without a face ends its track); the manager herself steps
    // in: her live face is recognised and offered.
    await walkedAway();
    await page.getByTestId('manual').dispatchEvent('pointerdown');
    await kiosk.app.camera.setDevice(`file:${path.join(videos ?? '', 'real.mp4')}`);
    const approveAs = page.getByRole('button', { name: `Approve as ${name}` });
    await approveAs.waitFor({ timeout: 60_000 });
    await kiosk.screenshot('liveness/manager-approves');
    expect(await axeViolations(page), 'axe on the approval step').toEqual([]);
    expect(punches()).toEqual([]);
    await approveAs.click();

    await page.getByTestId('confirmed').waitFor();
    expect(await page.getByTestId('confirmed').innerText()).toMatch(/Clocked in at/);
    // The kiosk has no face of Aoife; a face approval never opens the admin area.
    expect(await page.getByTestId('manual-enrol-offer').innerText()).toContain('Enrolling needs the manager PIN');
    expect(kiosk.app.admin.isUnlocked()).toBe(false);
    expect(punches()).toMatchObject([{ staffId: aoife.staffId, action: 'clock_in', manual: { approver: 'manager_face', manager: { staffId: manager.staffId, name } } }]);
  }, 150_000);
});
