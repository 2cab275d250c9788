/**
 * The passive anti-spoof check inside the face worker: real photos and camera captures score high,
 * a held print and a phone replay score low, every analysis with a descriptor carries the score and
 * its timing, and missing or damaged anti-spoof models leave the analysis working with liveness
 * null, an error in the log and a problem the kiosk can show.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SPOOF_THRESHOLD } from '../../../../src/main/face/anti-spoof';
import { createFacePipeline, FACE_MODEL_FILES, type FacePipeline } from '../../../../src/main/face/pipeline/face-pipeline';
import { ANTI_SPOOF_MODELS } from '../../../../src/main/face/pipeline/liveness-net';
import type { RgbFrame } from '../../../../src/main/face/pipeline/types';
import { createFaceWorkerClient, type FaceWorkerClient } from '../../../../src/main/face/worker/face-worker-client';
import { createMemoryLogger } from '../../../../src/main/logging/logger';
import { decodeImageFile, decodePhotoAsFrame } from '../../../support/media/photos';
import { emptyFrame } from '../face-test-support';
import { SPOOF_DATA_MISSING, spoofDir } from './spoof-data';

const MODELS_DIR = resolve(__dirname, '../../../../models');
const copy = (f: RgbFrame): RgbFrame => ({ ...f, rgb: f.rgb.slice() });
const dir = spoofDir();
const spoofFrame = (folder: string, file: string): RgbFrame => decodeImageFile(join(dir ?? '', folder, file));

/** A models folder with the face models but the anti-spoof nets missing, or one of them damaged. */
function modelsWithout(damage: 'missing' | 'damaged'): string {
  const out = mkdtempSync(join(tmpdir(), `face-models-${damage}-antispoof-`));
  for (const file of [...Object.values(FACE_MODEL_FILES), 'manifest.json']) copyFileSync(join(MODELS_DIR, file), join(out, file));
  if (damage === 'damaged') {
    for (const { file } of Object.values(ANTI_SPOOF_MODELS)) copyFileSync(join(MODELS_DIR, file), join(out, file));
    const bytes = readFileSync(join(out, ANTI_SPOOF_MODELS.v1se.file));
    bytes[bytes.length - 200] ^= 0xff; // one flipped weight byte: only the checksum can tell
    writeFileSync(join(out, ANTI_SPOOF_MODELS.v1se.file), bytes);
  }
  return out;
}

describe('passive liveness in the face worker', () => {
  let client: FaceWorkerClient;
  beforeAll(async () => {
    client = await createFaceWorkerClient({ modelsDir: MODELS_DIR, logger: createMemoryLogger() });
  }, 120_000);
  afterAll(async () => {
    await client?.close();
  });

  it('the worker reports no problem when every model loads', () => {
    expect(client.problems()).toEqual([]);
  });

  it('a live face in front of a webcam and a real photo score high', async () => {
    const frames = [decodePhotoAsFrame('person-c-3.jpg'), ...(dir ? [spoofFrame('video_lestari15', 'real_f0000.jpg'), spoofFrame('nuaa_imironica', 'real_0002_01_00_01_14.jpg')] : [])];
    for (const frame of frames) {
      const analysis = await client.analyse(copy(frame));
      expect(analysis?.descriptor).toBeInstanceOf(Float32Array);
      expect(analysis?.liveness?.real).toBeGreaterThan(0.9);
      expect(analysis?.liveness?.v2).toBeGreaterThan(SPOOF_THRESHOLD);
      expect(analysis?.liveness?.v1se).toBeGreaterThan(SPOOF_THRESHOLD);
      expect(analysis?.timings.liveness).toBeGreaterThan(0);
      expect(analysis?.timings.total).toBeGreaterThanOrEqual(analysis?.timings.liveness ?? Infinity);
    }
  }, 60_000);

  it.skipIf(!dir)(`a hand-held print and a phone replay score low${dir ? '' : ` (${SPOOF_DATA_MISSING})`}`, async () => {
    for (const [folder, file] of [
      ['nuaa_imironica', 'spoof_0002_01_00_01_166.jpg'],
      ['video_lestari15', 'spoof_f0010.jpg'],
    ]) {
      const analysis = await client.analyse(spoofFrame(folder, file));
      expect(analysis?.descriptor, file).toBeInstanceOf(Float32Array); // recognisable, so it must be judged
      expect(analysis?.liveness?.real, file).toBeLessThan(0.05);
      expect(analysis?.liveness?.real, file).toBeLessThan(SPOOF_THRESHOLD);
    }
  }, 60_000);

  it('a frame without a face has no liveness score and no liveness time', async () => {
    const analysis = await client.analyse(emptyFrame());
    expect(analysis?.mainIndex).toBe(-1);
    expect(analysis?.liveness).toBeNull();
    expect(analysis?.timings.liveness).toBe(0);
  });
});

describe('missing or damaged anti-spoof models', () => {
  let pipeline: FacePipeline | null = null;
  afterAll(async () => {
    await pipeline?.close();
  });

  for (const damage of ['missing', 'damaged'] as const) {
    it(`${damage}: faces are still analysed and recognisable, liveness is null, the log and problems() say why and how to fix it`, async () => {
      const models = modelsWithout(damage);
      const logger = createMemoryLogger();
      try {
        pipeline = await createFacePipeline({ modelsDir: models, logger, threads: 1 });
        const analysis = await pipeline.analyse(decodePhotoAsFrame('person-c-3.jpg'));
        expect(analysis.descriptor).toBeInstanceOf(Float32Array);
        expect(analysis.liveness).toBeNull();
        expect(analysis.timings.liveness).toBeLessThan(1);
        const file = damage === 'missing' ? ANTI_SPOOF_MODELS.v2.file : ANTI_SPOOF_MODELS.v1se.file;
        const fix = new RegExp(`${file.replace(/\./g, '\\.')}.*npm run models:build`);
        expect(pipeline.problems()).toHaveLength(1);
        expect(pipeline.problems()[0]).toMatch(/^Liveness check unavailable/);
        expect(pipeline.problems()[0]).toMatch(fix);
        const logged = logger.records.find((r) => r.level === 'error' && /anti-spoof models unavailable/.test(r.message));
        expect(JSON.stringify(logged?.fields)).toMatch(fix);
      } finally {
        await pipeline?.close();
        pipeline = null;
        rmSync(models, { recursive: true, force: true });
      }
    }, 60_000);
  }

  it('the worker client passes the problem on and keeps analysing', async () => {
    const models = modelsWithout('missing');
    const worker = await createFaceWorkerClient({ modelsDir: models, logger: createMemoryLogger() });
    try {
      expect(worker.problems()).toEqual([expect.stringMatching(/Liveness check unavailable.*anti-spoof-minifasnet-v2\.onnx.*npm run models:build/)]);
      const analysis = await worker.analyse(decodePhotoAsFrame('person-c-3.jpg'));
      expect(analysis?.descriptor).toBeInstanceOf(Float32Array);
      expect(analysis?.liveness).toBeNull();
    } finally {
      await worker.close();
      rmSync(models, { recursive: true, force: true });
    }
  }, 60_000);
});
