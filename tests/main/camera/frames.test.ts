/** Frame splitting across pipe chunks, the drop-oldest queue and device listing from sysfs. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listV4l2Nodes } from '../../../src/main/camera/devices';
import { DropOldestQueue } from '../../../src/main/camera/frame-queue';
import { FrameSplitter } from '../../../src/main/camera/frame-splitter';

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
