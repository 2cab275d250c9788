/**
 * The kiosk's MiniFASNet against upstream's PyTorch code (fixture written by
 * scripts/reference/minifasnet_reference.py with Debian's python3-torch and python3-opencv): the
 * converted ONNX nets give upstream's logits within 1e-4 on seeded inputs, the crop corners and
 * OpenCV's bilinear resize are reproduced bit for bit, and on real photos the whole preprocessing
 * (BGR, crop at 2.7 / 4.0, clamp and shift, 80x80 resize, raw 0..255 NCHW) yields upstream's exact
 * 80x80 patches and logits.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { livenessInput, resizeLinearU8, upstreamCropCorners } from '../../../../src/main/face/pipeline/liveness-crop';
import { ANTI_SPOOF_INPUT_SIZE, ANTI_SPOOF_MODELS, loadLivenessNets, softmaxAt, type AntiSpoofNet, type LivenessNets } from '../../../../src/main/face/pipeline/liveness-net';
import { parseUpstreamModelName } from '../../../../scripts/models/minifasnet-vendored';
import { decodeImageFile } from '../../../support/media/photos';
import { SPOOF_DATA_MISSING, spoofDir } from './spoof-data';
import { xorshift32Bytes } from './xorshift32';

const MODELS_DIR = resolve(__dirname, '../../../../models');
const TOLERANCE = 1e-4;

interface Outputs {
  logits: number[];
  softmax: number[];
}
interface Fixture {
  weights: Record<string, string>;
  random: { cases: Array<{ seed: number; outputs: Record<string, Outputs> }> };
  resize: { cases: Array<{ seed: number; height: number; width: number; sha256: string }> };
  crop: { cases: Array<{ imageWidth: number; imageHeight: number; box: [number, number, number, number]; scale: number; corners: [number, number, number, number] }> };
  photos: Array<{
    folder: string;
    file: string;
    width: number;
    height: number;
    decodedSha256: string;
    box: [number, number, number, number];
    crops: Record<string, Outputs & { corners: [number, number, number, number]; patchSha256: string }>;
  }>;
}

const fixture = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'minifasnet-reference.json'), 'utf8')) as Fixture;
const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');
const toBox = ([x, y, width, height]: number[]) => ({ x, y, width, height });

/** The kiosk's net for an upstream file name, checked against the scale upstream's name encodes. */
function netFor(upstreamFile: string): AntiSpoofNet {
  const { architecture, cropScale } = parseUpstreamModelName(upstreamFile);
  const net: AntiSpoofNet = architecture === 'MiniFASNetV2' ? 'v2' : 'v1se';
  expect(ANTI_SPOOF_MODELS[net].cropScale).toBe(cropScale);
  return net;
}

/** HWC BGR uint8 -> NCHW float32, as upstream's ToTensor (no scaling). */
function hwcToNchw(hwc: Uint8Array, size: number): Float32Array {
  const plane = size * size;
  const out = new Float32Array(plane * 3);
  for (let i = 0; i < plane; i++) for (let c = 0; c < 3; c++) out[c * plane + i] = hwc[i * 3 + c];
  return out;
}

function expectClose(actual: ArrayLike<number>, expected: number[], what: string): void {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i] - expected[i]), `${what}[${i}]: ${actual[i]} vs ${expected[i]}`).toBeLessThan(TOLERANCE);
}

describe('MiniFASNet parity with upstream PyTorch', () => {
  let nets: LivenessNets;
  beforeAll(async () => {
    nets = await loadLivenessNets({ modelsDir: MODELS_DIR, hashes: {}, threads: 1 });
  });
  afterAll(async () => {
    await nets?.close();
  });

  it('the fixture was made from the vendored weights', () => {
    const provenance = JSON.parse(readFileSync(resolve(__dirname, '../../../../models/upstream/minifasnet/PROVENANCE.json'), 'utf8')) as { files: Record<string, { sha256: string }> };
    expect(Object.keys(fixture.weights).sort()).toEqual(Object.keys(provenance.files).sort());
    for (const [file, digest] of Object.entries(fixture.weights)) expect(digest, file).toBe(provenance.files[file].sha256);
  });

  it('ONNX logits and softmax equal upstream on seeded 80x80 inputs (within 1e-4)', async () => {
    expect(fixture.random.cases.length).toBeGreaterThanOrEqual(4);
    for (const { seed, outputs } of fixture.random.cases) {
      const input = hwcToNchw(xorshift32Bytes(seed, ANTI_SPOOF_INPUT_SIZE * ANTI_SPOOF_INPUT_SIZE * 3), ANTI_SPOOF_INPUT_SIZE);
      for (const [file, expected] of Object.entries(outputs)) {
        const logits = await nets.logits(netFor(file), input);
        expectClose(logits, expected.logits, `seed ${seed} ${file} logits`);
        expectClose([0, 1, 2].map((k) => softmaxAt(logits, k)), expected.softmax, `seed ${seed} ${file} softmax`);
      }
    }
  });

  it('the 80x80 resize is bit-exact with cv2.resize INTER_LINEAR (halving, odd shrinks, enlargements, identity)', () => {
    for (const { seed, height, width, sha256: expected } of fixture.resize.cases) {
      const image = xorshift32Bytes(seed, height * width * 3);
      const resized = resizeLinearU8(image, width * 3, 3, { x: 0, y: 0, width, height }, 80, 80);
      expect(sha256(resized), `${width}x${height} (seed ${seed})`).toBe(expected);
    }
  });

  it('crop corners equal upstream CropImage._get_new_box (clamped scale, shifted at every edge)', () => {
    for (const c of fixture.crop.cases) {
      const corners = upstreamCropCorners(toBox(c.box), c.scale, c.imageWidth, c.imageHeight);
      expect(corners && [corners.left, corners.top, corners.right, corners.bottom], JSON.stringify(c)).toEqual(c.corners);
    }
  });

  const dir = spoofDir();
  it.skipIf(!dir)(`on real photos the patches are upstream's byte for byte and the logits within 1e-4${dir ? '' : ` (${SPOOF_DATA_MISSING})`}`, async () => {
    expect(fixture.photos.length).toBeGreaterThanOrEqual(6);
    for (const photo of fixture.photos) {
      const name = `${photo.folder}/${photo.file}`;
      const frame = decodeImageFile(join(dir ?? '', photo.folder, photo.file));
      expect([frame.width, frame.height], name).toEqual([photo.width, photo.height]);
      // Both sides decode with the project's ffmpeg; a different build would change the pixels, not the preprocessing.
      expect(sha256(frame.rgb), `${name}: ffmpeg decoded other pixels than when the fixture was made`).toBe(photo.decodedSha256);
      for (const [file, expected] of Object.entries(photo.crops)) {
        const net = netFor(file);
        const input = livenessInput(frame, toBox(photo.box), ANTI_SPOOF_MODELS[net].cropScale, ANTI_SPOOF_INPUT_SIZE);
        if (!input) throw new Error(`${name}: no crop`);
        const { left, top, right, bottom } = input.corners;
        expect([left, top, right, bottom], `${name} ${file} corners`).toEqual(expected.corners);
        expect(sha256(input.patchBgr), `${name} ${file} 80x80 BGR patch`).toBe(expected.patchSha256);
        expectClose(await nets.logits(net, input.tensor), expected.logits, `${name} ${file} logits`);
      }
    }
  });
});
