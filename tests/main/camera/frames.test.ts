/** Frame splitting across pipe chunks, the drop-oldest queue, the preview downscale and device listing from sysfs. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listV4l2Nodes } from '../../../src/main/camera/devices';
import { DropOldestQueue } from '../../../src/main/camera/frame-queue';
import { FrameSplitter } from '../../../src/main/camera/frame-splitter';
import { subscribePreview, toPreview } from '../../../src/main/camera/preview';
import type { CameraFrame } from '../../../src/main/camera/camera-service';

function stream(frames: number, frameBytes: number): Uint8Array {
  const bytes = new Uint8Array(frames * frameBytes);
  for (let f = 0; f < frames; f += 1) for (let i = 0; i < frameBytes; i += 1) bytes[f * frameBytes + i] = (f * 31 + i) & 0xff;
  return bytes;
}

describe('FrameSplitter', () => {
  it('reassembles exact frames whatever the chunk sizes, including chunks spanning several frames', () => {
    const frameBytes = 12 * 3;
    const all = stream(5, frameBytes);
    const cuts = [1, 7, 35, 36, 37, 100, 140, all.length];
    const splitter = new FrameSplitter(frameBytes);
    const frames: Uint8Array[] = [];
    let start = 0;
    for (const end of cuts) {
      frames.push(...splitter.push(all.subarray(start, end)));
      start = end;
    }
    expect(frames).toHaveLength(5);
    frames.forEach((frame, f) => expect(Array.from(frame)).toEqual(Array.from(all.subarray(f * frameBytes, (f + 1) * frameBytes))));
    expect(splitter.pending()).toBe(0);
  });

  it('keeps a partial frame pending and gives each frame its own buffer', () => {
    const splitter = new FrameSplitter(4);
    const [a] = splitter.push(new Uint8Array([1, 2, 3, 4, 5, 6]));
    expect(splitter.pending()).toBe(2);
    const [b] = splitter.push(new Uint8Array([7, 8]));
    expect(Array.from(a!)).toEqual([1, 2, 3, 4]);
    expect(Array.from(b!)).toEqual([5, 6, 7, 8]);
    splitter.push(new Uint8Array([9]));
    splitter.reset();
    expect(splitter.pending()).toBe(0);
  });
});

describe('DropOldestQueue', () => {
  it('never grows past its capacity and drops the oldest items first', () => {
    const queue = new DropOldestQueue<number>(3);
    for (let i = 1; i <= 10; i += 1) queue.push(i);
    expect(queue.length).toBe(3);
    expect(queue.dropped).toBe(7);
    expect(queue.maxLength).toBe(3);
    expect([queue.shift(), queue.shift(), queue.shift(), queue.shift()]).toEqual([8, 9, 10, undefined]);
  });
});

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
});

describe('listV4l2Nodes (fake sysfs)', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  function fakeSysfs(entries: Record<string, { name?: string; index?: string }>): string {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cam-sysfs-'));
    dirs.push(root);
    for (const [node, files] of Object.entries(entries)) {
      fs.mkdirSync(path.join(root, node));
      if (files.name !== undefined) fs.writeFileSync(path.join(root, node, 'name'), `${files.name}\n`);
      if (files.index !== undefined) fs.writeFileSync(path.join(root, node, 'index'), `${files.index}\n`);
    }
    return root;
  }

  it('lists capture nodes with their names in numeric order, skipping metadata nodes and non-video entries', () => {
    const root = fakeSysfs({
      video10: { name: 'Logitech BRIO', index: '0' },
      video2: { name: 'HD Pro Webcam C920', index: '0' },
      video3: { name: 'HD Pro Webcam C920', index: '1' },
      video4: {},
      'v4l-subdev0': { name: 'sensor' },
    });
    expect(listV4l2Nodes(root, '/devroot')).toEqual([
      { path: path.join('/devroot', 'video2'), node: 'video2', label: 'HD Pro Webcam C920', index: 0 },
      { path: path.join('/devroot', 'video4'), node: 'video4', label: 'video4', index: null },
      { path: path.join('/devroot', 'video10'), node: 'video10', label: 'Logitech BRIO', index: 0 },
    ]);
  });

  it('returns an empty list when there is no video4linux folder at all', () => {
    expect(listV4l2Nodes(path.join(os.tmpdir(), 'definitely-missing-sysfs'), '/dev')).toEqual([]);
  });
});
