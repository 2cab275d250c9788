/**
 * The model build step and model loading: outputs and manifest, `--if-stale` rebuilding only when
 * needed, and clear errors (naming the file and the fix) for a missing or corrupt model.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFacePipeline, FACE_MODEL_FILES } from '../../../../src/main/face/pipeline/face-pipeline';
import { ANTI_SPOOF_MODELS } from '../../../../src/main/face/pipeline/liveness-net';
import { createMemoryLogger } from '../../../../src/main/logging/logger';
import { buildModels, MODEL_FILES } from '../../../../scripts/models/build-models';
import { buildRecognitionNet, loadFaceApiWeights } from '../../../../scripts/models/face-api-nets';

const ROOT = resolve(__dirname, '../../../..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const SCRIPT = join(ROOT, 'scripts', 'models', 'build-models.ts');

describe('model build step', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'face-models-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the recognition graph has the layer counts of face-api.js ResNet (29 Conv, 14 Add, 5 Pad ...)', () => {
    const weights = loadFaceApiWeights(join(ROOT, 'node_modules/@vladmandic/face-api/model'), 'face_recognition_model');
    expect(weights.size).toBe(117);
    const ops = buildRecognitionNet(weights).opCounts();
    expect(ops).toMatchObject({ Conv: 29, Relu: 29, Add: 14, AveragePool: 4, Pad: 5, MaxPool: 1, ReduceMean: 1, MatMul: 1 });
  });

  it('writes the five ONNX models (face-api.js and MiniFASNet) and a manifest with their sha256 and sources', async () => {
    const lines: string[] = [];
    const manifest = await buildModels(dir, (l) => lines.push(l));
    const antiSpoofFiles = Object.values(ANTI_SPOOF_MODELS).map((m) => m.file);
    expect(Object.values(MODEL_FILES).sort()).toEqual([...Object.values(FACE_MODEL_FILES), ...antiSpoofFiles].sort());
    for (const file of antiSpoofFiles) expect(manifest.files[file]).toMatchObject({ licence: 'Apache-2.0', source: expect.stringMatching(/^minivision-ai\/Silent-Face-Anti-Spoofing@b6d5f04 resources\/anti_spoof_models\//) });
    for (const file of Object.values(MODEL_FILES)) {
      const entry = manifest.files[file];
      expect(entry, file).toBeDefined();
      const bytes = readFileSync(join(dir, file));
      expect(bytes.length).toBe(entry.bytes);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(entry.sha256);
    }
    expect(manifest.inputsHash).toMatch(/^[0-9a-f]{64}$/);
    expect(lines.join('\n')).toContain('face-api-recognition.onnx');
  }, 60_000);

  it('--if-stale does nothing when up to date and rebuilds a damaged output', () => {
    const run = (): string => execFileSync(TSX, [SCRIPT, '--if-stale', '--out', dir], { cwd: ROOT, encoding: 'utf8' });
    expect(run()).toContain('up to date');
    writeFileSync(join(dir, FACE_MODEL_FILES.landmarks), 'garbage');
    const out = run();
    expect(out).toContain(`rebuilding (${FACE_MODEL_FILES.landmarks} modified)`);
    expect(run()).toContain('up to date');
  }, 90_000);

  it('a missing model rejects with an error naming the file and `npm run models:build`', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'face-models-empty-'));
    try {
      await expect(createFacePipeline({ modelsDir: empty, logger: createMemoryLogger() })).rejects.toThrow(
        new RegExp(`missing: .*${FACE_MODEL_FILES.detector}.*npm run models:build`),
      );
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('a corrupt model rejects with an error naming the file, with or without a manifest', async () => {
    const broken = mkdtempSync(join(tmpdir(), 'face-models-broken-'));
    try {
      for (const file of Object.values(FACE_MODEL_FILES)) copyFileSync(join(dir, file), join(broken, file));
      copyFileSync(join(dir, 'manifest.json'), join(broken, 'manifest.json'));
      const bytes = readFileSync(join(broken, FACE_MODEL_FILES.recognition));
      bytes[bytes.length - 100] ^= 0xff; // one flipped weight byte: only the checksum can tell
      writeFileSync(join(broken, FACE_MODEL_FILES.recognition), bytes);
      await expect(createFacePipeline({ modelsDir: broken, logger: createMemoryLogger() })).rejects.toThrow(
        new RegExp(`corrupt: .*${FACE_MODEL_FILES.recognition}.*npm run models:build`),
      );
      rmSync(join(broken, 'manifest.json'));
      writeFileSync(join(broken, FACE_MODEL_FILES.landmarks), bytes.subarray(0, 5000)); // truncated protobuf
      await expect(createFacePipeline({ modelsDir: broken, logger: createMemoryLogger() })).rejects.toThrow(
        new RegExp(`corrupt or unreadable: .*${FACE_MODEL_FILES.landmarks}.*npm run models:build`),
      );
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  });
});
