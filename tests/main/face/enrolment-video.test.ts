/**
 * Enrolment from a real camera stream: a face video built from the shared photos, played by the
 * real ffmpeg camera source at its own pace, analysed by the real face worker. A cooperative person
 * (one who turns a little, or one who keeps still) is enrolled with the default captures within 10
 * seconds of video, and is recognised afterwards from a photo the enrolment never saw.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCameraService, type CameraService } from '../../../src/main/camera';
import type { CameraFrame } from '../../../src/main/camera/camera-service';
import type { FaceDecision } from '../../../src/main/face/face-types';
import { createFaceService, type FaceService } from '../../../src/main/face/face-service';
import { createFaceWorkerClient, type FaceWorkerClient } from '../../../src/main/face/worker/face-worker-client';
import { systemClock } from '../../../src/main/lib/clock';
import { createMemoryLogger } from '../../../src/main/logging/logger';
import { createMemorySecretStore } from '../../../src/main/secrets/secret-store';
import type { EnrolmentStep } from '../../../src/shared/domain/enrolment';
import { facePhotos, makeFaceVideo } from '../../support/media/face-video';
import { MODELS_DIR, stillPhotoConfig, tempDatabase } from './face-test-support';

const FPS = 15;
const VIDEO_SECONDS = 10;
let worker: FaceWorkerClient;

beforeAll(async () => {
  worker = await createFaceWorkerClient({ modelsDir: MODELS_DIR, logger: createMemoryLogger(), threads: 1 });
}, 120_000);

afterAll(async () => {
  await worker?.close();
});

/**
 * Plays the video as the camera with an enrolment running from its first frame; resolves the
 * final step and how many seconds of video the camera had delivered by then.
 */
async function enrolFromVideo(face: FaceService, video: string, staffId: number): Promise<{ step: EnrolmentStep; videoSeconds: number }> {
  let lastSeq = 0;
  let doneAtSeq: number | null = null;
  face.enrolment.onProgress((step) => {
    if (step.state !== 'capturing' && doneAtSeq === null) doneAtSeq = lastSeq;
  });
  face.enrolment.start(staffId, 'I consent to my face template being stored on this kiosk.', 'manager:test');
  const camera: CameraService = createCameraService({ config: { device: `file:${video}`, width: 640, height: 480, fps: FPS }, logger: createMemoryLogger() });
  camera.onFrame((frame: CameraFrame) => {
    lastSeq = frame.seq;
    face.submit(frame);
  });
  await camera.start();
  const deadline = Date.now() + 60_000;
  // Stop at the result, or when the camera has played the whole video once more than asked.
  while (Date.now() < deadline && doneAtSeq === null && lastSeq < FPS * VIDEO_SECONDS * 2) await new Promise((r) => setTimeout(r, 50));
  await camera.stop();
  await face.idle();
  return { step: face.enrolment.current(), videoSeconds: (doneAtSeq ?? lastSeq) / FPS };
}

async function kioskFace(): Promise<FaceService> {
  const { db } = tempDatabase();
  const face = createFaceService({
    analyser: worker,
    db,
    secrets: createMemorySecretStore(),
    config: stillPhotoConfig(),
    logger: createMemoryLogger(),
    clock: systemClock,
  });
  await face.start();
  return face;
}

describe('enrolment from a face video through the real camera and worker', () => {
  it('a person who turns a little between shots is enrolled with 5 templates within 10 s of video', async () => {
    const face = await kioskFace();
    // person-a's first seven photos, 10 s in all: each a slightly different head pose.
    const photos = facePhotos({ identity: 'person-a' }).slice(0, 7);
    const video = await makeFaceVideo({ photos, secondsEach: VIDEO_SECONDS / photos.length, fps: FPS });
    const { step, videoSeconds } = await enrolFromVideo(face, video, 11);
    console.log(`[enrolment video] turning person: ${JSON.stringify(step)} after ${videoSeconds.toFixed(1)} s of video`);
    expect(step).toMatchObject({ state: 'done', staffId: 11, templates: 5 });
    expect(videoSeconds).toBeLessThanOrEqual(VIDEO_SECONDS);

    // The photo the enrolment never saw is recognised.
    const check = await makeFaceVideo({ photos: facePhotos({ identity: 'person-a' }).slice(7), secondsEach: 3, fps: FPS });
    const decisions: FaceDecision[] = [];
    face.onDecision((d) => decisions.push(d));
    const camera = createCameraService({ config: { device: `file:${check}`, width: 640, height: 480, fps: FPS }, logger: createMemoryLogger() });
    camera.onFrame((frame: CameraFrame) => face.submit(frame));
    await camera.start();
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && decisions.length === 0) await new Promise((r) => setTimeout(r, 50));
    await camera.stop();
    await face.stop();
    expect(decisions[0]).toMatchObject({ kind: 'recognised', match: { staffId: 11 } });
  }, 120_000);

  it('a person who keeps still (two photos, 5 s each) is enrolled within 10 s of video with the captures there are', async () => {
    const face = await kioskFace();
    const video = await makeFaceVideo({ photos: facePhotos({ identity: 'person-e' }), secondsEach: VIDEO_SECONDS / 2, fps: FPS });
    const { step, videoSeconds } = await enrolFromVideo(face, video, 12);
    console.log(`[enrolment video] still person: ${JSON.stringify(step)} after ${videoSeconds.toFixed(1)} s of video`);
    expect(step).toMatchObject({ state: 'done', staffId: 12 });
    expect(step.state === 'done' ? step.templates : 0).toBeGreaterThanOrEqual(1);
    expect(videoSeconds).toBeLessThanOrEqual(VIDEO_SECONDS);
    await face.stop();
  }, 120_000);
});
