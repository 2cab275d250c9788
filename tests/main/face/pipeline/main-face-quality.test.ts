/**
 * Which face the kiosk acts on and the quality signals the guidance is built from, on 640x480
 * frames composed from the real photos with ffmpeg (blur, darkening, mirroring, placement).
 */
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFacePipeline, euclidean, type FacePipeline } from '../../../../src/main/face/pipeline/face-pipeline';
import type { FaceAnalysis } from '../../../../src/main/face/pipeline/types';
import { createMemoryLogger } from '../../../../src/main/logging/logger';
import { composeFrame, listPhotos } from '../../../support/media/photos';

const MODELS_DIR = resolve(__dirname, '../../../../models');
const BG = 'color=black:s=640x480[bg]';

describe('main face choice and quality signals', () => {
  let pipeline: FacePipeline;
  const analyse = (files: string[], graph: string): Promise<FaceAnalysis> => pipeline.analyse(composeFrame(files, graph));
  const centred = (file: string, extra = '', h = 300): Promise<FaceAnalysis> =>
    analyse([file], `${BG};[0:v]scale=-1:${h}${extra}[f];[bg][f]overlay=(W-w)/2:(H-h)/2[out]`);

  beforeAll(async () => {
    listPhotos(); // fails clearly when the shared photos are missing
    pipeline = await createFacePipeline({ modelsDir: MODELS_DIR, logger: createMemoryLogger() });
  }, 60_000);
  afterAll(async () => {
    await pipeline?.close();
  });

  it('a large blurred face does not win over a smaller sharp one', async () => {
    const graph = `${BG};[0:v]scale=-1:460,crop=300:460,boxblur=2[big];[1:v]scale=-1:200[small];[bg][big]overlay=0:10[t];[t][small]overlay=420:140[out]`;
    const a = await analyse(['person-c-1.jpg', 'person-b-1.jpg'], graph);
    expect(a.faces.length).toBe(2);
    const big = a.faces.findIndex((f) => f.box.x < 0.5);
    const small = a.faces.findIndex((f) => f.box.x > 0.5);
    expect(a.faces[big].box.height).toBeGreaterThan(a.faces[small].box.height * 1.5); // the blurred one is much larger
    expect(a.mainIndex).toBe(small);
    // The descriptor belongs to the sharp face (person b), not to the blurred one (person c).
    const alone = await centred('person-b-1.jpg', '', 200);
    expect(euclidean(a.descriptor ?? [], alone.descriptor ?? [])).toBeLessThan(0.25);
  }, 60_000);

  it('with two sharp faces the larger, central one is the main face', async () => {
    const graph = `${BG};[0:v]scale=-1:380[big];[1:v]scale=-1:150[small];[bg][big]overlay=(W-w)/2:50[t];[t][small]overlay=0:0[out]`;
    const a = await analyse(['person-b-1.jpg', 'person-c-1.jpg'], graph);
    expect(a.faces.length).toBe(2);
    const biggest = a.faces.reduce((best, f, i) => (f.box.height > a.faces[best].box.height ? i : best), 0);
    expect(a.mainIndex).toBe(biggest);
  }, 60_000);

  it('a distant crowd (all faces small) has no main face and no descriptor', async () => {
    const a = await analyse(['selfie-many-people.jpg'], `${BG};[0:v]scale=180:-1[f];[bg][f]overlay=20:20[out]`);
    expect(a.faces.length).toBeGreaterThanOrEqual(1);
    expect(a.mainIndex).toBe(-1);
    expect(a.descriptor).toBeNull();
    expect(a.quality).toBeNull();
  }, 60_000);

  it('an empty frame has no faces', async () => {
    const a = await pipeline.analyse({ rgb: new Uint8Array(640 * 480 * 3).fill(90), width: 640, height: 480 });
    expect(a.faces).toEqual([]);
    expect(a.mainIndex).toBe(-1);
    expect(a.timings.detect).toBeGreaterThan(0);
  });

  it('blur, brightness, size, position and yaw move the way the guidance needs', async () => {
    const sharp = await centred('person-c-2.jpg');
    const blurred = await centred('person-c-2.jpg', ',boxblur=3');
    const dark = await centred('person-c-2.jpg', ',eq=brightness=-0.35');
    const mirrored = await centred('person-c-2.jpg', ',hflip');
    const small = await centred('person-c-2.jpg', '', 150);
    const left = await analyse(['person-c-2.jpg'], `${BG};[0:v]scale=-1:300[f];[bg][f]overlay=0:(H-h)/2[out]`);
    for (const a of [sharp, blurred, dark, mirrored, small, left]) expect(a.quality).not.toBeNull();
    const q = (a: FaceAnalysis) => a.quality ?? (undefined as never);
    expect(q(blurred).blur).toBeLessThan(q(sharp).blur / 2);
    expect(q(dark).brightness).toBeLessThan(q(sharp).brightness - 40);
    expect(q(small).sizeFraction).toBeLessThan(q(sharp).sizeFraction * 0.7);
    expect(q(left).centreOffsetX).toBeLessThan(-0.2);
    expect(Math.abs(q(sharp).centreOffsetX)).toBeLessThan(0.2);
    // person-c-2 looks to one side (about 8 degrees): mirroring flips the sign of the yaw estimate.
    expect(Math.abs(q(sharp).yawDeg)).toBeGreaterThan(5);
    expect(Math.sign(q(mirrored).yawDeg)).toBe(-Math.sign(q(sharp).yawDeg));
    expect(Math.abs(q(mirrored).yawDeg + q(sharp).yawDeg)).toBeLessThan(3);
    expect(Math.abs(q(sharp).pitchDeg)).toBeLessThan(25);
  }, 60_000);

  it('frontal photos score a smaller yaw than a clearly turned face', async () => {
    const frontal = await centred('person-b-1.jpg');
    const turned = await centred('person-c-2.jpg');
    expect(Math.abs(frontal.quality?.yawDeg ?? 99)).toBeLessThan(Math.abs(turned.quality?.yawDeg ?? 0));
  }, 60_000);
});
