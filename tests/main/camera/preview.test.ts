/** The preview the renderer gets: the box-filter downscale, and the throttle that caps how many previews a second go out. */
import { describe, expect, it } from 'vitest';
import type { CameraFrame } from '../../../src/main/camera/camera-service';
import { toPreview } from '../../../src/main/camera/preview';
import { createPreviewThrottle, subscribePreview } from '../../../src/main/camera/preview-throttle';
import { createMemoryLogger } from '../../../src/main/logging/logger';

function frameOf(width: number, height: number, pixel: (x: number, y: number) => [number, number, number]): CameraFrame {
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y += 1)
    for (let x = 0; x < width; x += 1) rgb.set(pixel(x, y), (y * width + x) * 3);
  return { seq: 7, width, height, rgb, capturedAt: 1234 };
}

describe('toPreview', () => {
  it('halves 640x480 to 320x240 by averaging each 2x2 block', () => {
    const frame = frameOf(640, 480, (x, y) => [x % 2 === 0 ? 100 : 200, y % 2 === 0 ? 0 : 50, 77]);
    const preview = toPreview(frame, 320);
    expect([preview.width, preview.height, preview.rgb.length]).toEqual([320, 240, 320 * 240 * 3]);
    expect(Array.from(preview.rgb.subarray(0, 3))).toEqual([150, 25, 77]);
    expect(Array.from(preview.rgb.subarray(preview.rgb.length - 3))).toEqual([150, 25, 77]);
    expect([preview.seq, preview.capturedAt]).toEqual([7, 1234]);
  });

  it('keeps the aspect ratio for non-integer factors and keeps left/right halves apart', () => {
    const frame = frameOf(1280, 720, (x) => (x < 640 ? [255, 0, 0] : [0, 0, 255]));
    const preview = toPreview(frame, 300);
    expect([preview.width, preview.height]).toEqual([300, 169]);
    const at = (x: number, y: number): number[] => Array.from(preview.rgb.subarray((y * 300 + x) * 3, (y * 300 + x) * 3 + 3));
    expect(at(10, 80)).toEqual([255, 0, 0]);
    expect(at(290, 80)).toEqual([0, 0, 255]);
  });

  it('copies a frame that is already small enough, and refuses a frame with the wrong byte count', () => {
    const small = frameOf(160, 120, () => [1, 2, 3]);
    const same = toPreview(small, 320);
    expect([same.width, same.height]).toEqual([160, 120]);
    expect(same.rgb).not.toBe(small.rgb);
    expect(() => toPreview({ ...small, rgb: new Uint8Array(10) }, 80)).toThrow(/10 bytes, expected 57600/);
  });

  it('matches a naive box-filter reference on random pixels, for whole and fractional factors', () => {
    let seed = 42;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) >> 16) & 0xff;
    const frame = frameOf(480, 360, () => [random(), random(), random()]);
    for (const previewWidth of [160, 250]) {
      const preview = toPreview(frame, previewWidth);
      const { width: pw, height: ph } = preview;
      for (const [ox, oy] of [[0, 0], [pw - 1, ph - 1], [37, 21], [pw >> 1, ph >> 1]] as const) {
        const xs = [Math.floor((ox * 480) / pw), Math.max(Math.floor((ox * 480) / pw) + 1, Math.floor(((ox + 1) * 480) / pw))];
        const ys = [Math.floor((oy * 360) / ph), Math.max(Math.floor((oy * 360) / ph) + 1, Math.floor(((oy + 1) * 360) / ph))];
        for (let c = 0; c < 3; c += 1) {
          let sum = 0;
          for (let y = ys[0]!; y < ys[1]!; y += 1) for (let x = xs[0]!; x < xs[1]!; x += 1) sum += frame.rgb[(y * 480 + x) * 3 + c]!;
          const mean = sum / ((xs[1]! - xs[0]!) * (ys[1]! - ys[0]!));
          expect(Math.abs(preview.rgb[(oy * pw + ox) * 3 + c]! - mean)).toBeLessThanOrEqual(0.5 + 1e-9);
        }
      }
    }
  });

  it('gives the same 2x2 means whether the buffer is word-aligned (fast path) or not', () => {
    let seed = 7;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) >> 16) & 0xff;
    const aligned = frameOf(640, 480, () => [random(), random(), random()]);
    const backing = new Uint8Array(aligned.rgb.length + 1);
    backing.set(aligned.rgb, 1);
    const unaligned = { ...aligned, rgb: backing.subarray(1) };
    const fast = toPreview(aligned, 320);
    const slow = toPreview(unaligned, 320);
    expect(Buffer.from(fast.rgb).equals(Buffer.from(slow.rgb))).toBe(true);
    const [p, q] = [0, 640 * 3];
    expect(fast.rgb[0]).toBe((aligned.rgb[p]! + aligned.rgb[p + 3]! + aligned.rgb[q]! + aligned.rgb[q + 3]! + 2) >> 2);
  });
});

describe('preview throttle', () => {
  it('subscribePreview throttles to the preview rate', () => {
    let emit: (frame: CameraFrame) => void = () => undefined;
    let now = 0;
    const got: number[] = [];
    const off = subscribePreview(
      { onFrame: (l) => ((emit = l), () => undefined), previewWidth: 80, maxFps: 10, clock: { now: () => new Date(now), monotonicMs: () => now } },
      (p) => got.push(p.width),
    );
    for (let i = 0; i < 30; i += 1) {
      now = i * 33; // 30 fps camera for ~1 s
      emit(frameOf(160, 120, () => [0, 0, 0]));
    }
    expect(got.length).toBeGreaterThanOrEqual(9);
    expect(got.length).toBeLessThanOrEqual(11);
    expect(got[0]).toBe(80);
    off();
  });

  it('createPreviewThrottle lets a camera at exactly the preview rate through, and 0 means every frame', () => {
    const at15 = createPreviewThrottle(15);
    const taken = Array.from({ length: 30 }, (_, i) => at15.take(i * (1000 / 15) + (i % 2 === 0 ? 3 : -3))); // 15 fps with jitter
    expect(taken.every(Boolean)).toBe(true);
    const every = createPreviewThrottle(0);
    expect([0, 0, 1].map((t) => every.take(t))).toEqual([true, true, true]);
  });

  it('a preview listener that throws is reported and the previews keep coming', () => {
    let emit: (frame: CameraFrame) => void = () => undefined;
    let now = 0;
    const logger = createMemoryLogger();
    let calls = 0;
    subscribePreview(
      { onFrame: (l) => ((emit = l), () => undefined), previewWidth: 80, maxFps: 10, clock: { now: () => new Date(now), monotonicMs: () => now }, reporter: logger },
      () => {
        calls += 1;
        throw new Error('renderer gone');
      },
    );
    for (let i = 0; i < 3; i += 1) {
      now = i * 200;
      emit(frameOf(160, 120, () => [0, 0, 0]));
    }
    expect(calls).toBe(3);
    expect(logger.records.filter((r) => r.message === 'listener failed' && r.fields?.emitter === 'camera.preview')).toHaveLength(3);
  });
});
