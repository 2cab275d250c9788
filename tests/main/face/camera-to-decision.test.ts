/**
 * Camera to decision: a video built from the shared photos, played through the real ffmpeg camera
 * source, analysed by the real face worker, yields the right person within the configured number
 * of analysed frames, and switches to the next person when the face changes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCameraService, type CameraService } from '../../../src/main/camera';
import type { CameraFrame } from '../../../src/main/camera/camera-service';
import type { FaceDecision } from '../../../src/main/face/face-types';
import { createFaceService } from '../../../src/main/face/face-service';
import { createFaceWorkerClient, type FaceWorkerClient } from '../../../src/main/face/worker/face-worker-client';
import { createMemoryLogger } from '../../../src/main/logging/logger';
import { createMemorySecretStore } from '../../../src/main/secrets/secret-store';
import type { FaceObservation } from '../../../src/shared/domain/types';
import { facePhotos, makeFaceVideo } from '../../support/media/face-video';
import { MODELS_DIR, realPipeline, stillPhotoConfig, tempDatabase } from './face-test-support';
import { decodePhotoAsFrame } from '../../support/media/photos';

let worker: FaceWorkerClient;
let camera: CameraService | null = null;

beforeAll(async () => {
  worker = await createFaceWorkerClient({ modelsDir: MODELS_DIR, logger: createMemoryLogger(), threads: 1 });
}, 120_000);

afterAll(async () => {
  await camera?.stop();
  await worker?.close();
  await (await realPipeline()).close();
});

describe('camera to decision', () => {
  it('names person B, then person C when the face changes, each within agreeFrames analysed frames', async () => {
    const config = stillPhotoConfig();
    const pipeline = await realPipeline();
    const { db } = tempDatabase();
    const face = createFaceService({ analyser: worker, db, secrets: createMemorySecretStore(), config, logger: createMemoryLogger(), clock: { now: () => new Date(), monotonicMs: () => performance.now() } });
    // Enrol B and C from their first photo; the video shows other photos of them.
    for (const [staffId, file] of [[2, 'person-b-1.jpg'], [3, 'person-c-1.jpg']] as const) {
      const analysis = await pipeline.analyse(decodePhotoAsFrame(file));
      face.templates.addTemplate(staffId, analysis.descriptor as Float32Array, 'test', 1);
    }
    const video = await makeFaceVideo({ photos: [...facePhotos({ identity: 'person-b' }).filter((p) => p.endsWith('-3.jpg')), ...facePhotos({ identity: 'person-c' }).filter((p) => p.endsWith('-6.jpg'))], secondsEach: 6, fps: 15 });

    const decisions: { decision: FaceDecision; analysedBefore: number }[] = [];
    const observations: FaceObservation[] = [];
    face.onObservation((o) => observations.push(o));
    face.onDecision((decision) => decisions.push({ decision, analysedBefore: observations.length }));
    await face.start();
    camera = createCameraService({ config: { device: `file:${video}`, width: 640, height: 480, fps: 15 }, logger: createMemoryLogger() });
    // The worker takes the pixels: hand it the camera's frame (the camera does not reuse it).
    camera.onFrame((frame: CameraFrame) => face.submit(frame));
    await camera.start();

    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && !decisions.some((d) => d.decision.kind === 'recognised' && d.decision.match.staffId === 3)) {
      await new Promise((r) => setTimeout(r, 100));
    }
    await camera.stop();
    await face.stop();

    const named = decisions.filter((d) => d.decision.kind === 'recognised');
    expect(named.map((d) => (d.decision.kind === 'recognised' ? d.decision.match.staffId : 0)).slice(0, 2)).toEqual([2, 3]);
    // Person B: the very first analysed frames agree.
    expect(named[0].analysedBefore).toBeLessThanOrEqual(config.recognition.agreeFrames + 1);
    // Person C: counted from the first analysed frame that no longer agrees with B.
    const firstOfC = observations.findIndex((o, i) => i >= named[0].analysedBefore && o.checking);
    expect(firstOfC).toBeGreaterThanOrEqual(0);
    expect(named[1].analysedBefore - firstOfC).toBeLessThanOrEqual(config.recognition.agreeFrames + 1);
    expect(decisions.some((d) => d.decision.kind === 'recognised' && ![2, 3].includes(d.decision.match.staffId))).toBe(false);
    const stats = face.stats();
    console.log(`[camera-to-decision] analysed ${observations.length} frames at ${stats.analysedFps} fps, dropped ${stats.droppedFrames}, stage medians ${JSON.stringify(stats.stageMs)}`);
  }, 120_000);
});
