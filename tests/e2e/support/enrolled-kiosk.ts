/** The kiosk most end-to-end tests start from: the demo world's kiosk with nobody in front of the camera, everyone enrolled, online on the idle screen. */
import type { DemoWorld } from '../../support/demo-world';
import { makeSolidImage } from '../../support/media/face-video';
import { type KioskHarness, startKioskHarness } from './kiosk-harness';

export interface EnrolledKiosk {
  kiosk: KioskHarness;
  /** The camera picture with nobody in it (what the camera shows at the start). */
  emptyCamera: string;
}

/**
 * Starts the kiosk against `world` (its config, or `config` when given), with the admin PIN `pin`
 * and an empty camera picture, enrols the world's enrolled people, and waits until the idle
 * screen says the kiosk is online.
 */
export async function startEnrolledKiosk(world: DemoWorld, options: { pin: string; config?: Record<string, unknown> }): Promise<EnrolledKiosk> {
  const emptyCamera = await makeSolidImage({ size: { width: 640, height: 480 }, color: [40, 44, 52] });
  const kiosk = await startKioskHarness({ cameraFile: emptyCamera, config: options.config ?? world.kioskConfig(), token: world.token, pin: options.pin });
  await world.enrol(kiosk.app);
  await kiosk.page.waitForFunction(() => document.body.dataset.screen === 'idle', undefined, { timeout: 30_000 });
  await kiosk.page.waitForFunction(() => document.body.innerText.includes('Online'), undefined, { timeout: 30_000 });
  return { kiosk, emptyCamera };
}
