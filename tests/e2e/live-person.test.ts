/**
 * The kiosk acts only for the person standing in front of it (issue 11), end to end: the real
 * main-side services, the dev/test bridge, the built renderer in Debian's Chromium, the HotelMate
 * test double, and face videos built from the shared photos that swap people without a face-free
 * gap. Conor is greeted and a stranger takes his place: the greeting is gone within 1.5 s of the
 * swap and Conor's recognition can no longer punch; Aoife takes Conor's place: Aoife is greeted;
 * "Not you?" does not leave Conor unrecognisable; a person who stays after Cancel is offered
 * "Start again"; a used recognition id replayed through the bridge is refused and writes nothing.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PunchResult } from '../../src/shared/domain/punch';
import type { FaceObservation, PreviewFrame } from '../../src/shared/domain/types';
import { type DemoWorld, startDemoWorld } from '../support/demo-world';
import { facePhotos, makeFaceVideo, makeSolidImage, segmentOf } from '../support/media/face-video';
import { type KioskHarness, startKioskHarness } from './support/kiosk-harness';

/** The bound: the greeting is gone this soon after the recognised face left or was replaced. */
const CLEARED_WITHIN_MS = 1500;

let world: DemoWorld;
let kiosk: KioskHarness;
let emptyCamera = '';
/** Camera frames (as previews, with their capture time) where a marked video's segment changed. */
let segmentChanges: { segment: number | null; capturedAt: number }[] = [];
/** When main last analysed a frame with a face in it, and the last frame it analysed at all. */
let faceLastSeenAt = 0;
let lastObservationAt = 0;

interface PageLog {
  screens: { screen: string; at: number }[];
  recognitions: { id: string; name: string; at: number }[];
}

const photoOf = (identity: string): string => {
  const photo = facePhotos({ identity })[0];
  if (!photo) throw new Error(`no shared photo for ${identity} (is /work/shared/data/faces there?)`);
  return photo;
};

const nameOf = (identity: string): string => `${world.person(identity).firstName} ${world.person(identity).lastName}`;

const screenIs = (name: string, timeout = 30_000): Promise<unknown> =>
  kiosk.page.waitForFunction((n) => document.body.dataset.screen === n, name, { timeout });

const greetingFor = (name: string, timeout = 60_000): Promise<unknown> =>
  kiosk.page.waitForFunction(
    (n) => document.body.dataset.screen === 'recognised' && (document.querySelector('[data-testid="greeting"]')?.textContent ?? '').includes(n),
    name,
    { timeout },
  );

/** The videos the tests show: identities one after another, `secondsEach`, looping. */
const VIDEOS = {
  // Seán (a stranger) stays long after Conor (his photo three times: the loop back to Conor is 24 s away).
  conorThenStranger: { identities: ['person-b', 'person-f', 'person-f', 'person-f'], secondsEach: 8 },
  conorThenAoife: { identities: ['person-b', 'person-a', 'person-a', 'person-a'], secondsEach: 8 },
  lobby: { identities: ['person-b', 'person-e'], secondsEach: 8 },
  conor: { identities: ['person-b'], secondsEach: 6 },
  niamh: { identities: ['person-c'], secondsEach: 6 },
  piotr: { identities: ['person-d'], secondsEach: 6 },
} as const;

const makeVideo = (name: keyof typeof VIDEOS): Promise<string> =>
  makeFaceVideo({ photos: VIDEOS[name].identities.map(photoOf), secondsEach: VIDEOS[name].secondsEach, fps: 15, markers: true });

/** Puts a marked face video in front of the camera (built, or taken from the cache, in beforeAll). */
async function showVideo(name: keyof typeof VIDEOS): Promise<void> {
  const video = await makeVideo(name);
  segmentChanges = [];
  await kiosk.app.camera.setDevice(`file:${video}`);
}

/**
 * The person walks away: the camera shows the empty scene until main has analysed a second of
 * frames without a face (its tracker ends a face after 0.5 s), so the next video starts with a
 * new face even when it shows the same person.
 */
async function leaveCamera(): Promise<void> {
  const switchedAt = Date.now();
  await kiosk.app.camera.setDevice(`file:${emptyCamera}`);
  await screenIs('idle', 20_000);
  await expect.poll(() => lastObservationAt > switchedAt && lastObservationAt - Math.max(faceLastSeenAt, switchedAt) >= 1000, { timeout: 20_000, interval: 100 }).toBe(true);
}

async function pageLog(): Promise<PageLog> {
  return kiosk.page.evaluate(() => (window as unknown as { __live: PageLog }).__live);
}

async function clearPageLog(): Promise<void> {
  await kiosk.page.evaluate(() => {
    const log = (window as unknown as { __live: PageLog }).__live;
    log.screens.length = 0;
    log.recognitions.length = 0;
  });
}

/** A punch through the bridge, as a page script (or a compromised renderer) would send it. */
function punchThroughBridge(recognitionId: string, action: 'clock_in' | 'start_break', reason?: string): Promise<PunchResult> {
  return kiosk.page.evaluate(([id, act, why]) => window.kiosk.invoke('clock:punch', { recognitionId: id, action: act, ...(why ? { reason: why } : {}) }), [recognitionId, action, reason] as const);
}

/** The capture time of the first frame of `segment` after `after` (epoch ms). */
function segmentStart(segment: number, after: number): number {
  const change = segmentChanges.find((c) => c.segment === segment && c.capturedAt > after);
  if (!change) throw new Error(`the camera never showed segment ${segment} after ${new Date(after).toISOString()}`);
  return change.capturedAt;
}

beforeAll(async () => {
  // Encoding the videos takes a while on a busy machine: once here, cached for the tests (and later runs).
  for (const name of Object.keys(VIDEOS) as (keyof typeof VIDEOS)[]) await makeVideo(name);
  world = await startDemoWorld();
  emptyCamera = await makeSolidImage({ size: { width: 640, height: 480 }, color: [40, 44, 52] });
  kiosk = await startKioskHarness({ cameraFile: emptyCamera, config: world.kioskConfig(), token: world.token, pin: '246810' });
  await world.enrol(kiosk.app);
  // Which photo the camera shows, from each preview frame (made from the camera frame before analysis).
  let last: number | null = null;
  kiosk.app.events.subscribe((channel, payload) => {
    if (channel === 'face:observation') {
      lastObservationAt = Date.now();
      if ((payload as FaceObservation).hasMainFace) faceLastSeenAt = lastObservationAt;
    }
    if (channel !== 'camera:preview') return;
    const frame = payload as PreviewFrame;
    const segment = segmentOf(frame);
    if (segment !== last) segmentChanges.push({ segment, capturedAt: frame.capturedAt });
    last = segment;
  });
  await screenIs('idle');
  await kiosk.page.waitForFunction(() => document.body.innerText.includes('Online'), undefined, { timeout: 30_000 });
  await kiosk.page.evaluate(() => {
    const log: PageLog = { screens: [], recognitions: [] };
    (window as unknown as { __live: PageLog }).__live = log;
    new MutationObserver(() => {
      const screen = document.body.dataset.screen ?? '';
      if (log.screens.at(-1)?.screen !== screen) log.screens.push({ screen, at: Date.now() });
    }).observe(document.body, { attributes: true, attributeFilter: ['data-screen'] });
    window.kiosk.on('face:recognised', (r) => log.recognitions.push({ id: r.recognitionId, name: r.staff.name, at: Date.now() }));
  });
}, 480_000);

// Whatever a test left in front of the camera walks away before the next one (a test that failed half-way included).
afterEach(async () => {
  if (kiosk) await leaveCamera();
});

afterAll(async () => {
  await kiosk?.close();
  await world?.close();
});

describe('the kiosk acts only for the person in front of it (Chromium, real services)', () => {
  it('Conor is greeted; a stranger takes his place: the greeting is gone within 1.5 s and no punch is possible for Conor', async () => {
    const conor = world.person('person-b');
    await clearPageLog();
    await showVideo('conorThenStranger');
    await greetingFor(nameOf('person-b'));
    const greeted = (await pageLog()).recognitions.find((r) => r.name === nameOf('person-b'));
    if (!greeted) throw new Error('no recognition of Conor reached the page');
    // The stranger steps in (no face-free frame): the greeting must go.
    await kiosk.page.waitForFunction(() => document.body.dataset.screen !== 'recognised', undefined, { timeout: 20_000 });
    const swapAt = segmentStart(1, greeted.at - 10_000);
    const clearedAt = (await pageLog()).screens.find((s) => s.screen !== 'recognised' && s.at > greeted.at)?.at ?? Number.NaN;
    console.log(`[live-person] stranger replaced Conor: greeting cleared ${clearedAt - swapAt} ms after the first frame of the stranger`);
    expect(clearedAt - swapAt).toBeLessThanOrEqual(CLEARED_WITHIN_MS);
    expect(clearedAt).toBeGreaterThan(swapAt);
    // The stranger is told so, and never sees Conor's name.
    await screenIs('unknown', 20_000);
    const seen = await kiosk.page.evaluate(() => ({ screen: document.body.dataset.screen, text: document.body.innerText }));
    expect(seen.screen).toBe('unknown');
    expect(seen.text).not.toContain(conor.lastName);
    // Conor's recognition (say the page held on to it) cannot punch now.
    const refused = await punchThroughBridge(greeted.id, 'clock_in', 'Covering for a colleague');
    expect(refused).toEqual({ ok: false, error: { code: 'face_not_in_view', message: 'Please look at the camera again.' } });
    expect(kiosk.ledgerOf(conor.staffId)).toEqual([]);
    expect(world.double.state.clockLogs({ staffId: conor.staffId })).toHaveLength(0);
    await kiosk.screenshot('live-person/stranger-after-conor');
  });

  it('Aoife takes Conor\'s place: Conor\'s greeting goes and Aoife is greeted, and her punch is hers', async () => {
    const aoife = world.person('person-a');
    const conor = world.person('person-b');
    await clearPageLog();
    await showVideo('conorThenAoife');
    await greetingFor(nameOf('person-b'));
    await greetingFor(nameOf('person-a'), 20_000);
    const log = await pageLog();
    const conorAt = log.recognitions.find((r) => r.name === nameOf('person-b'))?.at ?? 0;
    const swapAt = segmentStart(1, conorAt - 10_000);
    const aoifeAt = log.recognitions.find((r) => r.name === nameOf('person-a'))?.at ?? Number.NaN;
    console.log(`[live-person] Aoife replaced Conor: Aoife's recognition reached the page ${aoifeAt - swapAt} ms after her first frame`);
    expect(await kiosk.page.getByTestId('greeting').innerText()).not.toContain('Conor');
    await kiosk.page.getByTestId('primary-action').click();
    await screenIs('confirmed');
    expect(await kiosk.page.getByTestId('confirmed').innerText()).toContain(`Thank you, ${nameOf('person-a')}`);
    expect(kiosk.ledgerOf(aoife.staffId).map((r) => r.action)).toEqual(['clock_in']);
    expect(kiosk.ledgerOf(conor.staffId)).toEqual([]);
  });

  it('"Not you?" does not leave Conor unrecognisable: after a stranger passes (no face-free frame) he is greeted again', async () => {
    await clearPageLog();
    // Long segments: the tap on "Not you?" comes well before Lucía steps in.
    await showVideo('lobby');
    await greetingFor(nameOf('person-b'));
    const first = (await pageLog()).recognitions.at(-1)?.id;
    await kiosk.page.getByRole('button', { name: 'Not you?' }).click();
    // (The page may be busy for a few seconds on a loaded machine: the idle screen starts the framing guide.)
    await kiosk.page.waitForFunction(() => document.body.dataset.screen !== 'recognised', undefined, { timeout: 20_000 });
    // Conor stays a few seconds more and is not named again; Lucía passes in front; then Conor is
    // back and is recognised again, with a new recognition.
    await greetingFor(nameOf('person-b'), 45_000);
    const again = (await pageLog()).recognitions.filter((r) => r.name === nameOf('person-b')).at(-1)?.id;
    expect(again).toBeDefined();
    expect(again).not.toBe(first);
    const screens = (await pageLog()).screens.map((s) => s.screen);
    expect(screens).toContain('unknown'); // Lucía was told she is not recognised, between the two greetings
    await kiosk.page.getByRole('button', { name: 'Cancel' }).click();
  });

  it('"Not you?" while staying: "not sure who you are", then "Try again" greets the person again', async () => {
    await showVideo('conor');
    await greetingFor(nameOf('person-b'));
    await kiosk.page.getByRole('button', { name: 'Not you?' }).click();
    await screenIs('unknown', 20_000);
    expect(await kiosk.page.getByTestId('unknown').innerText()).toContain('We were not sure who you are.');
    await kiosk.page.getByRole('button', { name: 'Try again' }).click();
    await greetingFor(nameOf('person-b'), 20_000);
    await kiosk.page.getByRole('button', { name: 'Cancel' }).click();
  });

  it('a person who stays after Cancel sees "Start again" (not "Hold still…" for ever) and is greeted again on a tap', async () => {
    await showVideo('niamh');
    await greetingFor(nameOf('person-c'));
    await kiosk.page.getByRole('button', { name: 'Cancel' }).click();
    await kiosk.page.getByTestId('start-again').waitFor({ timeout: 10_000 });
    const text = await kiosk.page.innerText('body');
    expect(text).toContain('Tap “Start again” when you are ready');
    expect(text).not.toContain('Hold still');
    expect(text).not.toContain('Niamh');
    await kiosk.screenshot('live-person/start-again');
    await kiosk.page.getByTestId('start-again').click();
    await greetingFor(nameOf('person-c'), 20_000);
    await kiosk.page.getByRole('button', { name: 'Cancel' }).click();
  });

  it('a used recognition id replayed through the bridge is refused and nothing more is written', async () => {
    const piotr = world.person('person-d');
    await clearPageLog();
    await showVideo('piotr');
    await greetingFor(nameOf('person-d'));
    const id = (await pageLog()).recognitions.at(-1)?.id ?? '';
    await kiosk.page.getByTestId('primary-action').click();
    await screenIs('confirmed');
    await expect.poll(() => world.double.state.clockLogs({ staffId: piotr.staffId }).length, { timeout: 30_000 }).toBe(1);
    // Piotr is still in front of the camera; the id is used up all the same.
    const replay = await punchThroughBridge(id, 'start_break');
    expect(replay).toMatchObject({ ok: false, error: { code: 'recognition_used' } });
    const again = await punchThroughBridge(id, 'clock_in');
    expect(again).toMatchObject({ ok: false, error: { code: 'recognition_used' } });
    expect(kiosk.ledgerOf(piotr.staffId).map((r) => r.action)).toEqual(['clock_in']);
    await new Promise((r) => setTimeout(r, 1000));
    expect(world.double.state.clockLogs({ staffId: piotr.staffId })).toHaveLength(1);
    expect(world.double.state.clockLogs({ staffId: piotr.staffId })[0]?.isOnBreak ?? false).toBe(false);
    await leaveCamera();
    expect(kiosk.pageErrors).toEqual([]);
  });
});
