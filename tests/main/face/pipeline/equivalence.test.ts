/**
 * The converted ONNX nets and the whole ONNX pipeline against @vladmandic/face-api on TensorFlow.js
 * (wasm backend) on the shared real photos: HotelMate matches face-api.js descriptors, so the
 * kiosk's must be numerically the same.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clipAtImageBorders, cropPadResize } from '../../../../src/main/face/pipeline/image-ops';
import { createFacePipeline, descriptorCrop, euclidean, type FacePipeline } from '../../../../src/main/face/pipeline/face-pipeline';
import type { RgbFrame } from '../../../../src/main/face/pipeline/types';
import { createMemoryLogger } from '../../../../src/main/logging/logger';
import { loadFaceApiReference, type FaceApiReference } from './face-api-reference';
import { decodePhoto, listPhotos, type LabelledPhoto } from '../../../support/media/photos';

const MODELS_DIR = resolve(__dirname, '../../../../models');
const SLOW = 240_000;

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('ONNX face nets and pipeline vs face-api.js (TensorFlow.js wasm)', () => {
  let pipeline: FacePipeline;
  let reference: FaceApiReference;
  let photos: Array<LabelledPhoto & { frame: RgbFrame }>;

  beforeAll(async () => {
    photos = listPhotos().map((p) => ({ ...p, frame: decodePhoto(p.file) })); // throws clearly when the folder is missing
    if (!existsSync(join(MODELS_DIR, 'face-api-recognition.onnx'))) throw new Error(`models missing in ${MODELS_DIR}: run npm run models:build`);
    pipeline = await createFacePipeline({ modelsDir: MODELS_DIR, logger: createMemoryLogger() });
    reference = await loadFaceApiReference();
    expect(reference.backend).toBe('wasm');
  }, SLOW);

  afterAll(async () => {
    await pipeline?.close();
  });

  it('uses all 32 shared photos, 30 of them single-face', () => {
    expect(photos.length).toBe(32);
    expect(photos.filter((p) => p.identity !== 'multi-face').length).toBe(30);
  });

  it('recognition net: same 128-d descriptor as face-api.js to 1e-5 per component on identical 150x150 inputs', async () => {
    let worst = 0;
    for (const { file, frame } of photos) {
      const analysis = await pipeline.analyse(frame);
      expect(analysis.landmarks, `${file}: no main face`).not.toBeNull();
      const faceBox = analysis.faces[analysis.mainIndex].box;
      const rect = clipAtImageBorders(
        { x: faceBox.x * frame.width, y: faceBox.y * frame.height, width: faceBox.width * frame.width, height: faceBox.height * frame.height },
        frame.width,
        frame.height,
      );
      const { input } = descriptorCrop(frame, analysis.landmarks ?? [], rect);
      const ours = await pipeline.runRecognitionNet(input);
      const theirs = await reference.descriptor150(input);
      const diff = maxAbsDiff(ours, theirs);
      worst = Math.max(worst, diff);
      expect(diff, file).toBeLessThan(1e-5);
      // A real descriptor, not zeros: face-api descriptors have a norm around 1.
      expect(Math.hypot(...ours), file).toBeGreaterThan(0.5);
    }
    console.log(`recognition net: worst max-abs difference ${worst.toExponential(2)} over ${photos.length} photos`);
  }, SLOW);

  it('landmark net: same 68 points as face-api.js to 1e-5 on identical 112x112 inputs', async () => {
    let worst = 0;
    for (const { file, frame } of photos) {
      const analysis = await pipeline.analyse(frame);
      const b = analysis.faces[analysis.mainIndex].box;
      const rect = clipAtImageBorders({ x: b.x * frame.width, y: b.y * frame.height, width: b.width * frame.width, height: b.height * frame.height }, frame.width, frame.height);
      const input = cropPadResize(frame, rect, 112, true);
      const ours = await pipeline.runLandmarkNet(input);
      const theirs = await reference.landmarks112(input);
      const diff = maxAbsDiff(ours, theirs);
      worst = Math.max(worst, diff);
      expect(diff, file).toBeLessThan(1e-5);
    }
    console.log(`landmark net: worst max-abs difference ${worst.toExponential(2)}`);
  }, SLOW);

  it('whole pipeline (detector, landmarks, crop, descriptor) within 0.05 of face-api.js end to end on every single-face photo', async () => {
    const distances: string[] = [];
    for (const { file, identity, frame } of photos) {
      if (identity === 'multi-face') continue;
      const ours = await pipeline.analyse(frame);
      const theirs = await reference.endToEnd(frame);
      expect(theirs.length, `${file}: face-api found ${theirs.length} faces`).toBe(1);
      expect(ours.faces.length, `${file}: detector found ${ours.faces.length} faces`).toBe(1);
      expect(ours.descriptor, `${file}: no descriptor`).not.toBeNull();
      const d = euclidean(ours.descriptor ?? new Float32Array(128), theirs[0].descriptor);
      distances.push(`${file} ${d.toFixed(5)}`);
      expect(d, file).toBeLessThan(0.05);
      // Same detection score and landmarks too.
      expect(Math.abs(ours.faces[0].score - theirs[0].score), file).toBeLessThan(1e-3);
      const lmErr = Math.max(...(ours.landmarks ?? []).map((p, i) => Math.hypot(p.x - theirs[0].landmarks[i].x, p.y - theirs[0].landmarks[i].y)));
      expect(lmErr, `${file}: landmark error in pixels`).toBeLessThan(1);
    }
    console.log(`end to end distances to face-api.js:\n  ${distances.join('\n  ')}`);
  }, SLOW);

  it('multi-face photos: finds the same faces as face-api.js and the main face descriptor equals one of them', async () => {
    for (const { file, identity, frame } of photos) {
      if (identity !== 'multi-face') continue;
      const ours = await pipeline.analyse(frame);
      const theirs = await reference.endToEnd(frame);
      expect(ours.faces.length, file).toBe(theirs.length);
      expect(ours.faces.length, file).toBeGreaterThan(1);
      expect(ours.mainIndex, file).toBeGreaterThanOrEqual(0);
      const nearest = Math.min(...theirs.map((t) => euclidean(ours.descriptor ?? new Float32Array(128), t.descriptor)));
      expect(nearest, file).toBeLessThan(0.05);
    }
  }, SLOW);
});
