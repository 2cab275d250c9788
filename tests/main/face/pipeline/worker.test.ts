/**
 * The face worker thread through its client: real models, real photos. Frames are transferred,
 * dropped (not queued) while busy, bad frames get a clear error, and a crashed worker is counted,
 * reported and restarted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFacePipeline, euclidean } from '../../../../src/main/face/pipeline/face-pipeline';
import type { RgbFrame } from '../../../../src/main/face/pipeline/types';
import { createFaceWorkerClient, type FaceWorkerClient } from '../../../../src/main/face/worker/face-worker-client';
import { createMemoryLogger } from '../../../../src/main/logging/logger';
import { decodePhotoAsFrame } from '../../../support/media/photos';

const MODELS_DIR = resolve(__dirname, '../../../../models');
const copyFrame = (f: RgbFrame): RgbFrame => ({ ...f, rgb: f.rgb.slice() });

describe('face worker client', () => {
  let client: FaceWorkerClient;
  let frame: RgbFrame;
  const logger = createMemoryLogger();

  beforeAll(async () => {
    frame = decodePhotoAsFrame('person-b-1.jpg');
    client = await createFaceWorkerClient({ modelsDir: MODELS_DIR, logger });
  }, 120_000);
  afterAll(async () => {
    await client?.close();
  });

  it('analyses a 640x480 frame in the worker with the same result as the in-process pipeline', async () => {
    const viaWorker = await client.analyse(copyFrame(frame));
    expect(viaWorker).not.toBeNull();
    expect(viaWorker?.mainIndex).toBe(0);
    expect(viaWorker?.descriptor).toBeInstanceOf(Float32Array);
    const pipeline = await createFacePipeline({ modelsDir: MODELS_DIR, logger: createMemoryLogger() });
    try {
      const local = await pipeline.analyse(copyFrame(frame));
      expect(euclidean(viaWorker?.descriptor ?? [], local.descriptor ?? [])).toBeLessThan(1e-6);
      expect(viaWorker?.landmarks).toHaveLength(68);
      expect(viaWorker?.quality?.sizeFraction).toBeGreaterThan(0.2);
    } finally {
      await pipeline.close();
    }
  }, 60_000);

  it('transfers the frame buffer instead of copying it (the caller’s view is detached)', async () => {
    const f = copyFrame(frame);
    const pending = client.analyse(f);
    expect(f.rgb.byteLength).toBe(0);
    expect(await pending).not.toBeNull();
  });

  it('drops frames while busy instead of queueing them', async () => {
    const first = client.analyse(copyFrame(frame));
    expect(client.busy()).toBe(true);
    const before = client.stats().dropped;
    const second = client.analyse(copyFrame(frame));
    const third = client.analyse(copyFrame(frame));
    expect(await second).toBeNull();
    expect(await third).toBeNull();
    expect(client.stats().dropped).toBe(before + 2);
    expect(await first).not.toBeNull();
    expect(client.busy()).toBe(false);
  });

  it('a malformed frame is rejected with a clear message and the worker keeps working', async () => {
    await expect(client.analyse({ rgb: new Uint8Array(100), width: 640, height: 480 })).rejects.toThrow(/expected 640x480x3/);
    await expect(client.analyse({ rgb: new Uint8Array(0), width: 0, height: 0 })).rejects.toThrow(/not a valid image/);
    expect(await client.analyse(copyFrame(frame))).not.toBeNull();
  });

  it('restart() gives a fresh worker that still analyses', async () => {
    await client.restart();
    expect((await client.analyse(copyFrame(frame)))?.descriptor).toBeInstanceOf(Float32Array);
  }, 60_000);

  it('a missing model makes start-up reject with the file name and the fix', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'face-worker-nomodels-'));
    try {
      await expect(createFaceWorkerClient({ modelsDir: empty, logger: createMemoryLogger() })).rejects.toThrow(/face-api-tiny-face-detector\.onnx.*npm run models:build/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  }, 60_000);

  it('a crashed worker is reported, counted and restarted automatically', async () => {
    const crashLogger = createMemoryLogger();
    const crashing = await createFaceWorkerClient({
      modelsDir: MODELS_DIR,
      logger: crashLogger,
      workerFile: join(__dirname, 'fixtures', 'crashing-face-worker.ts'),
    });
    try {
      const crashes: number[] = [];
      crashing.onCrash((info) => crashes.push(info.crashes));
      expect(await crashing.analyse(copyFrame(frame))).toBeNull(); // the frame in flight is dropped
      expect(crashes).toEqual([1]);
      expect(crashing.stats().crashes).toBe(1);
      expect(crashLogger.records.some((r) => r.level === 'error' && /crashed/.test(r.message))).toBe(true);
      const deadline = Date.now() + 20_000;
      while (crashing.busy() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(crashing.busy()).toBe(false); // restarted and ready again
      expect(crashing.stats().restarts).toBe(1);
    } finally {
      await crashing.close();
    }
  }, 60_000);
});
