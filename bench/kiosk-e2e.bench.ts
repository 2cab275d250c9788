/**
 * End-to-end figures through the real renderer in Chromium and the dev/test bridge:
 * - camera frame (ffmpeg) -> preview event received by the renderer: latency and delivered fps;
 * - pusher.trigger() on soketi -> the on-duty board's DOM updated (p50/p95 over 200+ events);
 * - `face:recognised` event received by the renderer -> greeting painted.
 * Needs the built renderer (`npx electron-vite build`) and Debian's Chromium.
 */
import path from 'node:path';
import { deployedClockStatus } from '../tests/support/soketi/payloads';
import { startDemoWorld } from '../tests/support/demo-world';
import { makeFaceVideo, makeSolidImage } from '../tests/support/media/face-video';
import { rendererBuilt, startKioskHarness } from '../tests/e2e/support/kiosk-harness';
import { summary } from './stats';

const EVENTS = 220;

async function previewLatency(): Promise<void> {
  const video = await makeFaceVideo({ secondsEach: 2, fps: 15 });
  const kiosk = await startKioskHarness({ cameraFile: video, config: { hotel: { slug: 'bench-hotel', name: 'Bench' }, api: { baseUrl: 'http://127.0.0.1:9/api' } }, token: 'b'.repeat(40), pin: '246813' });
  try {
    await kiosk.page.waitForSelector('canvas.preview__canvas', { timeout: 30000 });
    // Let the page, the worker and the camera settle before measuring.
    await kiosk.page.waitForTimeout(3000);
    const result = await kiosk.page.evaluate(
      (ms) =>
        new Promise<{ latencies: number[]; frames: number }>((resolve) => {
          const latencies: number[] = [];
          const off = window.kiosk.on('camera:preview', (frame) => latencies.push(Date.now() - frame.capturedAt));
          setTimeout(() => {
            off();
            resolve({ latencies, frames: latencies.length });
          }, ms);
        }),
      10000,
    );
    console.log(`camera frame -> preview received by the renderer (bridge): ${summary(result.latencies)}`);
    console.log(`preview frames delivered: ${(result.frames / 10).toFixed(1)}/s (camera 15 fps requested, preview capped at 15/s)`);
  } finally {
    await kiosk.close();
  }
}

async function triggerToDom(): Promise<void> {
  const world = await startDemoWorld({ soketi: true });
  const empty = await makeSolidImage({ size: { width: 640, height: 480 }, color: [40, 44, 52] });
  const kiosk = await startKioskHarness({ cameraFile: empty, config: world.kioskConfig(), token: world.token, pin: '246813' });
  try {
    await kiosk.page.getByTestId('board').waitFor({ timeout: 30000 });
    await kiosk.page.waitForFunction(() => document.body.innerText.includes('Online'), undefined, { timeout: 30000 });
    await new Promise((r) => setTimeout(r, 2000));
    const person = world.people.find((p) => p.identity === 'person-d')!;
    const name = `${person.firstName} ${person.lastName}`;
    const latencies: number[] = [];
    let at = Date.now();
    for (let i = 0; i < EVENTS; i += 1) {
      const action = i % 2 === 0 ? 'clock_in' : 'clock_out';
      // Install the observer first (and wait until it is in place), then trigger.
      await kiosk.page.evaluate(
        ({ who, present }) => {
          const board = document.querySelector('[data-testid="board"]');
          const check = (): boolean => (board?.textContent ?? '').includes(who) === present;
          (window as unknown as { __boardChanged: Promise<number> }).__boardChanged = new Promise<number>((resolve) => {
            const observer = new MutationObserver(() => {
              if (check()) {
                observer.disconnect();
                resolve(Date.now());
              }
            });
            observer.observe(board ?? document.body, { subtree: true, childList: true, characterData: true });
          });
        },
        { who: name, present: action === 'clock_in' },
      );
      // Events 400 ms apart, like a hotel's: the board is throttled to one update per 250 ms so
      // a backlog does not rescan it per event; a burst is coalesced (see the second figure).
      await new Promise((r) => setTimeout(r, 400));
      at += 1000;
      const event = deployedClockStatus({ hotelSlug: world.hotelSlug, staffId: person.staffId, action, at: new Date(at).toISOString(), firstName: person.firstName, lastName: person.lastName, department: person.departmentName, departmentSlug: person.department });
      const sentAt = Date.now();
      await world.soketi!.trigger(event.channel, event.event, event.data);
      const changedAt = await kiosk.page.evaluate(() =>
        Promise.race([
          (window as unknown as { __boardChanged: Promise<number> }).__boardChanged,
          new Promise<number>((_, reject) => setTimeout(() => reject(new Error('the board did not change within 10 s')), 10000)),
        ]),
      );
      latencies.push(changedAt - sentAt);
    }
    console.log(`pusher.trigger() -> on-duty board updated in the renderer (events 400 ms apart): ${summary(latencies)}`);
    // A burst: 20 events for different people at once; time until the board shows the last one.
    const burstPeople = world.people.slice(0, 4);
    const burstStart = Date.now();
    const last = burstPeople[burstPeople.length - 1]!;
    const burstDone = kiosk.page.waitForFunction((who) => (document.querySelector('[data-testid="board"]')?.textContent ?? '').includes(who), `${last.firstName} ${last.lastName}`, { timeout: 10000 });
    for (let round = 0; round < 5; round += 1) {
      for (const p of burstPeople) {
        at += 10;
        const action = round % 2 === 0 ? 'clock_in' : 'clock_out';
        const e = deployedClockStatus({ hotelSlug: world.hotelSlug, staffId: p.staffId, action: round === 4 ? 'clock_in' : action, at: new Date(at).toISOString(), firstName: p.firstName, lastName: p.lastName, department: p.departmentName, departmentSlug: p.department });
        await world.soketi!.trigger(e.channel, e.event, e.data);
      }
    }
    await burstDone;
    console.log(`burst of 20 events for 4 people -> board shows the final state: ${Date.now() - burstStart} ms`);
  } finally {
    await kiosk.close();
    await world.close();
  }
}

async function greetingPaint(): Promise<void> {
  const empty = await makeSolidImage({ size: { width: 640, height: 480 }, color: [40, 44, 52] });
  const kiosk = await startKioskHarness({ cameraFile: empty, config: { hotel: { slug: 'bench-hotel', name: 'Bench' }, api: { baseUrl: 'http://127.0.0.1:9/api' } }, token: 'b'.repeat(40), pin: '246813' });
  try {
    await kiosk.page.getByTestId('board').waitFor({ timeout: 30000 });
    const samples: number[] = [];
    for (let i = 0; i < 40; i += 1) {
      await kiosk.page.evaluate(() => {
        (window as unknown as { __painted: Promise<number> }).__painted = new Promise<number>((resolve) =>
          window.addEventListener('kiosk:greeting-painted', (e) => resolve((e as CustomEvent<number>).detail), { once: true }),
        );
      });
      kiosk.app.events.emit('face:recognised', {
        recognitionId: `bench-${i}`,
        staff: { id: 1000 + i, name: `Bench Person ${i}`, department: 'Front Office', photoUrl: null },
        status: { staffId: 1000 + i, status: 'off_duty', breakStartedAt: null, pendingPunches: 0, updatedAt: null },
        shift: null,
        distance: 0.3,
        spoofSuspected: false,
        recognisedAt: new Date().toISOString(),
      });
      samples.push(
        await kiosk.page.evaluate(() =>
          Promise.race([
            (window as unknown as { __painted: Promise<number> }).__painted,
            new Promise<number>((_, reject) => setTimeout(() => reject(new Error('no greeting within 10 s')), 10000)),
          ]),
        ),
      );
      // Back to idle the way a person does it: "Cancel" on the greeting.
      await kiosk.page.getByRole('button', { name: 'Cancel' }).click({ timeout: 10000 });
      await kiosk.page.getByTestId('board').waitFor({ timeout: 10000 });
    }
    console.log(`'face:recognised' received by the renderer -> greeting painted: ${summary(samples)}`);
  } finally {
    await kiosk.close();
  }
}

export async function run(): Promise<void> {
  if (!rendererBuilt()) throw new Error(`the renderer is not built: run npx electron-vite build in ${path.resolve(__dirname, '..')}`);
  await previewLatency();
  await triggerToDom();
  await greetingPaint();
}
