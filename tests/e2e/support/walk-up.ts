/** Staff walking up to the kiosk in the end-to-end tests: a person's photo as the camera, the empty picture, waiting for a screen. */
import { facePhotos, makeFaceVideo } from '../../support/media/face-video';
import type { KioskHarness } from './kiosk-harness';

export interface WalkUp {
  /** Waits until the renderer shows `name` (its `data-screen`). */
  screenIs(name: string, timeout?: number): Promise<unknown>;
  /** Puts a person's photo (as a looping video) in front of the camera. */
  showFace(identity: string): Promise<void>;
  /** The person leaves the camera (right after each punch, as staff do). */
  leaveCamera(): Promise<void>;
  /** Leaves the camera and waits for the idle screen. */
  walkAway(): Promise<void>;
}

/** The walk-up helpers for a harness whose empty camera picture is `emptyCamera`. */
export function walkUp(kiosk: () => KioskHarness, emptyCamera: () => string): WalkUp {
  const screenIs = (name: string, timeout = 30_000): Promise<unknown> =>
    kiosk().page.waitForFunction((n) => document.body.dataset.screen === n, name, { timeout });
  const leaveCamera = async (): Promise<void> => {
    await kiosk().app.camera.setDevice(`file:${emptyCamera()}`);
  };
  return {
    screenIs,
    async showFace(identity) {
      const photo = facePhotos({ identity })[0];
      if (!photo) throw new Error(`no shared photo for ${identity} (is /work/shared/data/faces there?)`);
      const video = await makeFaceVideo({ photos: [photo], secondsEach: 4, fps: 15 });
      await kiosk().app.camera.setDevice(`file:${video}`);
    },
    leaveCamera,
    async walkAway() {
      await leaveCamera();
      await screenIs('idle', 40_000);
    },
  };
}
