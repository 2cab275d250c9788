/** Staff walking up to the kiosk in the end-to-end tests: a person's photo as the camera, the empty picture, waiting for a screen. */
import { expect } from 'vitest';
import { facePhotos, makeFaceVideo } from '../../support/media/face-video';
import type { KioskHarness } from './kiosk-harness';

export interface WalkUp {
  /** Waits until the renderer shows `name` (its `data-screen`). */
  screenIs(name: string, timeout?: number): Promise<unknown>;
  /**
   * Puts a person's photo (as a looping video) in front of the camera. After `leaveCamera`, first
   * waits until the kiosk has seen the previous face leave, so that this is a new visit.
   */
  showFace(identity: string): Promise<void>;
  /** The person leaves the camera (right after each punch, as staff do). */
  leaveCamera(): Promise<void>;
  /** Leaves the camera and waits until the kiosk has seen the face leave and shows the idle screen. */
  walkAway(): Promise<void>;
}

/** How long the kiosk may take to notice that the person left (a loaded machine analyses 1-2 frames a second). */
const LEAVING_TIMEOUT_MS = 40_000;

/** The walk-up helpers for a harness whose empty camera picture is `emptyCamera`. */
export function walkUp(kiosk: () => KioskHarness, emptyCamera: () => string): WalkUp {
  /** True once leaveCamera put the empty picture in front of the camera (the start is empty too). */
  let cameraEmpty = true;
  const screenIs = (name: string, timeout = 30_000): Promise<unknown> =>
    kiosk().page.waitForFunction((n) => document.body.dataset.screen === n, name, { timeout });
  /**
   * Waits until main has ended the track of every face it decided about: only then is the next
   * face a new visit with a greeting of its own. The screen is no proof: the done screen returns to
   * idle at once and the guidance screen after 4 s without a face, both while the face's track
   * goes on (it ends after 3 analysed frames and 0.5 s without the face, face-track.ts); a face
   * shown again before that continues its old, decided track and is never greeted.
   */
  const seenLeaving = async (): Promise<void> => {
    await expect
      .poll(() => kiosk().decidedTracks(), { timeout: LEAVING_TIMEOUT_MS, interval: 100, message: 'the kiosk never saw the face leave (its face track did not end)' })
      .toEqual([]);
  };
  const leaveCamera = async (): Promise<void> => {
    await kiosk().app.camera.setDevice(`file:${emptyCamera()}`);
    cameraEmpty = true;
  };
  return {
    screenIs,
    async showFace(identity) {
      const photo = facePhotos({ identity })[0];
      if (!photo) throw new Error(`no shared photo for ${identity} (is /work/shared/data/faces there?)`);
      const video = await makeFaceVideo({ photos: [photo], secondsEach: 4, fps: 15 });
      if (cameraEmpty) await seenLeaving();
      await kiosk().app.camera.setDevice(`file:${video}`);
      cameraEmpty = false;
    },
    leaveCamera,
    async walkAway() {
      await leaveCamera();
      await seenLeaving();
      await screenIs('idle', LEAVING_TIMEOUT_MS);
    },
  };
}
