/**
 * The camera service with the real ffmpeg: frame size and pixel content from known images, frame
 * rate, a slow consumer, and recovery when ffmpeg dies, frames stall or the device path vanishes.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCameraService, NO_CAMERA_MESSAGE, type CameraServiceOptions, type CameraService } from '../../../src/main/camera/camera-service';
import type { CameraFrame } from '../../../src/main/camera/camera-service';
import type { CameraStatus } from '../../../src/shared/domain/types';
import { createMemoryLogger } from '../../../src/main/logging/logger';
import { fakeLinux } from './fake-linux';
import { gradientPixel, makeFaceVideo, makeGradientImage, makeSolidImage } from '../../support/media/face-video';

const services: CameraService[] = [];
const tempDirs: string[] = [];

afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.stop()));
  tempDirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cam-test-'));
  tempDirs.push(dir);
  return dir;
}

interface Harness {
  camera: CameraService;
  frames: CameraFrame[];
  statuses: CameraStatus[];
  logger: ReturnType<typeof createMemoryLogger>;
}

function harness(config: CameraServiceOptions['config'], extra: Partial<CameraServiceOptions> = {}): Harness {
  const logger = createMemoryLogger();
  const camera = createCameraService({
    config,
    logger,
    stallTimeoutMs: 3000,
    presenceCheckMs: 100,
    backoff: { initialMs: 100, maxMs: 400 },
    ...extra,
  });
  services.push(camera);
  const frames: CameraFrame[] = [];
  const statuses: CameraStatus[] = [];
  camera.onFrame((f) => {
    frames.push(f);
    if (frames.length > 200) frames.shift();
  });
  camera.onStatus((s) => statuses.push(s));
  return { camera, frames, statuses, logger };
}

async function waitFor(what: string, predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

let faceVideo = '';
beforeAll(async () => {
  faceVideo = await makeFaceVideo({ secondsEach: 1, fps: 15, size: { width: 320, height: 240 } });
}, 120_000);

describe('frames from a file camera (real ffmpeg)', () => {
  it('delivers frames of exactly the configured size whose pixels match a known gradient image', async () => {
    const size = { width: 160, height: 120 };
    const image = await makeGradientImage({ size });
    const { camera, frames } = harness({ device: `file:${image}`, width: 160, height: 120, fps: 10 });
    await camera.start();
    await waitFor('3 frames', () => frames.length >= 3);
    expect(camera.status().state).toBe('streaming');
    const frame = frames[2]!;
    expect([frame.width, frame.height, frame.rgb.length]).toEqual([160, 120, 160 * 120 * 3]);
    expect(frames.map((f) => f.seq)).toEqual([...frames.keys()].map((i) => i + 1));
    let worst = 0;
    for (const [x, y] of [[0, 0], [159, 0], [0, 119], [159, 119], [80, 60], [33, 97]] as const) {
      const want = gradientPixel(x, y, size);
      const o = (y * 160 + x) * 3;
      for (let c = 0; c < 3; c += 1) worst = Math.max(worst, Math.abs(frame.rgb[o + c]! - want[c]!));
    }
    expect(worst).toBeLessThanOrEqual(2);
  });

  it('scales a larger source down to the configured size, keeping the picture', async () => {
    const image = await makeGradientImage({ size: { width: 640, height: 480 } });
    const { camera, frames } = harness({ device: `file:${image}`, width: 160, height: 120, fps: 10 });
    await camera.start();
    await waitFor('a frame', () => frames.length >= 1);
    const frame = frames[0]!;
    expect(frame.rgb.length).toBe(160 * 120 * 3);
    const px = (x: number, y: number): number[] => Array.from(frame.rgb.subarray((y * 160 + x) * 3, (y * 160 + x) * 3 + 3));
    const [r1, g1] = px(10, 10);
    const [r2, g2] = px(150, 110);
    expect(r1).toBeLessThan(30);
    expect(r2).toBeGreaterThan(225);
    expect(g1).toBeLessThan(30);
    expect(g2).toBeGreaterThan(225);
  });

  it('letterboxes instead of stretching: a wide solid image gets black bars top and bottom', async () => {
    const image = await makeSolidImage({ size: { width: 320, height: 120 }, color: [200, 40, 90] });
    const { camera, frames } = harness({ device: `file:${image}`, width: 160, height: 120, fps: 10 });
    await camera.start();
    await waitFor('a frame', () => frames.length >= 1);
    const rgb = frames[0]!.rgb;
    const px = (x: number, y: number): number[] => Array.from(rgb.subarray((y * 160 + x) * 3, (y * 160 + x) * 3 + 3));
    expect(px(80, 5)).toEqual([0, 0, 0]);
    const middle = px(80, 60);
    [200, 40, 90].forEach((v, c) => expect(Math.abs(middle[c]! - v)).toBeLessThanOrEqual(3));
  });

  it('runs close to the requested frame rate from a looping face video and reports it', async () => {
    const { camera, frames } = harness({ device: `file:${faceVideo}`, width: 320, height: 240, fps: 15 });
    await camera.start();
    await waitFor('streaming', () => camera.status().state === 'streaming');
    const before = camera.stats().delivered;
    await sleep(3000);
    const perSecond = (camera.stats().delivered - before) / 3;
    expect(perSecond).toBeGreaterThan(7.5);
    expect(perSecond).toBeLessThan(22);
    expect(camera.status().fps).toBeGreaterThan(7.5);
    expect(frames.at(-1)!.rgb.length).toBe(320 * 240 * 3);
  });

  it('bounds the queue under a slow consumer: old frames are dropped, delivered ones stay fresh', async () => {
    const { camera } = harness({ device: `file:${faceVideo}`, width: 80, height: 60, fps: 30 }, { queueCapacity: 2 });
    const seen: { seq: number; ageMs: number }[] = [];
    camera.onFrame((frame) => {
      seen.push({ seq: frame.seq, ageMs: Date.now() - frame.capturedAt });
      const until = Date.now() + 150; // a consumer 5x slower than the camera, blocking the event loop
      while (Date.now() < until) {
        /* busy */
      }
    });
    await camera.start();
    await waitFor('20 slow deliveries', () => seen.length >= 20, 12_000);
    const stats = camera.stats();
    expect(stats.maxQueueDepth).toBeLessThanOrEqual(2);
    expect(stats.dropped).toBeGreaterThan(0);
    // Every frame read was either delivered, dropped or is waiting: nothing piles up elsewhere.
    const lastSeq = seen.at(-1)!.seq;
    expect(stats.delivered + stats.dropped + stats.queueDepth).toBeGreaterThanOrEqual(lastSeq);
    for (let i = 1; i < seen.length; i += 1) expect(seen[i]!.seq).toBeGreaterThan(seen[i - 1]!.seq);
    // With at most 2 queued frames a delivered frame is at most ~2 consumer periods old.
    expect(Math.max(...seen.slice(5).map((s) => s.ageMs))).toBeLessThan(2 * 150 + 250);
  });
});

describe('recovery', () => {
  it('ffmpeg killed (SIGKILL): unavailable with the reason, then streaming again by itself', async () => {
    const { camera, frames, statuses } = harness({ device: `file:${faceVideo}`, width: 160, height: 120, fps: 15 });
    await camera.start();
    await waitFor('streaming', () => camera.status().state === 'streaming');
    const pid = camera.stats().ffmpegPid;
    expect(pid).not.toBeNull();
    process.kill(pid!, 'SIGKILL');
    await waitFor('unavailable', () => camera.status().state === 'unavailable');
    expect(camera.status().message).toMatch(/ffmpeg was stopped by SIGKILL/);
    const seqAtFailure = frames.at(-1)!.seq;
    await waitFor('streaming again', () => camera.status().state === 'streaming');
    await waitFor('new frames', () => frames.at(-1)!.seq > seqAtFailure + 5);
    expect(camera.stats().ffmpegPid).not.toBe(pid);
    expect(camera.status().restarts).toBe(1);
    const states = statuses.map((s) => s.state).filter((s, i, all) => s !== all[i - 1]);
    expect(states).toEqual(['starting', 'streaming', 'unavailable', 'streaming']);
  });

  it('device path vanishes: unavailable, no frames while gone, resumes when it is back', async () => {
    const dir = tempDir();
    const device = path.join(dir, 'camera.mp4');
    fs.copyFileSync(faceVideo, device);
    const { camera, frames, statuses } = harness({ device: `file:${device}`, width: 160, height: 120, fps: 15 });
    await camera.start();
    await waitFor('streaming', () => camera.status().state === 'streaming');

    fs.renameSync(device, path.join(dir, 'unplugged.mp4'));
    await waitFor('unavailable', () => camera.status().state === 'unavailable');
    expect(camera.status().message).toMatch(/disconnected: .*camera\.mp4 is gone/);
    await sleep(200);
    const countWhileGone = camera.stats().delivered;
    await sleep(1000);
    expect(camera.stats().delivered).toBe(countWhileGone);
    expect(camera.status().state).toBe('unavailable');
    expect(camera.stats().ffmpegPid).toBeNull();

    fs.renameSync(path.join(dir, 'unplugged.mp4'), device);
    await waitFor('streaming again', () => camera.status().state === 'streaming');
    await waitFor('frames resume', () => camera.stats().delivered > countWhileGone + 5);
    expect(frames.at(-1)!.rgb.length).toBe(160 * 120 * 3);

    // Deleted for good, then a new file appears at the same path.
    fs.rmSync(device);
    await waitFor('unavailable after delete', () => camera.status().state === 'unavailable');
    fs.copyFileSync(faceVideo, device);
    await waitFor('streaming after re-create', () => camera.status().state === 'streaming');
    expect(camera.status().restarts).toBe(2);
    const states = statuses.map((s) => s.state).filter((s, i, all) => s !== all[i - 1]);
    expect(states).toEqual(['starting', 'streaming', 'unavailable', 'streaming', 'unavailable', 'streaming']);
  });

  it('stall watchdog: a source that opens but never sends a frame is killed and retried', async () => {
    const dir = tempDir();
    const fifo = path.join(dir, 'stuck.mp4');
    execFileSync('mkfifo', [fifo]);
    const { camera } = harness({ device: `file:${fifo}`, width: 160, height: 120, fps: 15 }, { stallTimeoutMs: 600 });
    await camera.start();
    await waitFor('stall detected', () => camera.status().state === 'unavailable', 12_000);
    expect(camera.status().message).toMatch(/no frame for \d/);
    const firstPid = camera.stats().ffmpegPid;
    await waitFor('a restart', () => camera.stats().restarts >= 1 && camera.stats().ffmpegPid !== null && camera.stats().ffmpegPid !== firstPid, 12_000);
  });

  it('a corrupt video file gives "ffmpeg exited with code N: <its error>" and keeps retrying, not crashing', async () => {
    const dir = tempDir();
    const corrupt = path.join(dir, 'corrupt.mp4');
    fs.writeFileSync(corrupt, Buffer.from('this is not a video at all'.repeat(100)));
    const { camera, logger } = harness({ device: `file:${corrupt}`, width: 160, height: 120, fps: 15 });
    await camera.start();
    await waitFor('unavailable', () => camera.status().state === 'unavailable');
    expect(camera.status().message).toMatch(/ffmpeg exited with code \d+: .*corrupt\.mp4: Invalid data/);
    await waitFor('retried', () => camera.status().restarts >= 2);
    expect(logger.records.some((r) => r.level === 'warn' && r.message === 'camera status')).toBe(true);
    // Fix the file: the next retry streams.
    fs.copyFileSync(faceVideo, corrupt);
    await waitFor('streaming once fixed', () => camera.status().state === 'streaming', 10_000);
  });
});

describe('no camera, unknown camera, missing ffmpeg', () => {
  it('auto with nothing plugged in: no_device with the setup hint; a camera appearing is picked up', async () => {
    const linux = fakeLinux(tempDir());
    const { camera } = harness({ device: 'auto', width: 160, height: 120, fps: 15 }, { platform: 'linux', sysfsRoot: linux.sysfs, devRoot: linux.dev });
    await camera.start();
    expect(camera.status()).toMatchObject({ state: 'no_device', message: NO_CAMERA_MESSAGE, deviceId: null });
    // "Plug in" a node: ffmpeg finds it is not a real V4L2 device, which must read as a clear failure.
    linux.plug('video0', 'USB Camera');
    await waitFor('picked up', () => camera.status().state === 'unavailable');
    expect(camera.status()).toMatchObject({ deviceId: path.join(linux.dev, 'video0'), deviceLabel: 'USB Camera' });
    expect(camera.status().message).toMatch(/ffmpeg exited with code \d+: .*video0/);
    // Unplugged again: a camera that was there is "unavailable" (expected back), with the setup hint.
    fs.rmSync(path.join(linux.sysfs, 'video0'), { recursive: true });
    fs.rmSync(path.join(linux.dev, 'video0'));
    await waitFor('no camera message', () => camera.status().message === NO_CAMERA_MESSAGE);
    expect(camera.status().state).toBe('unavailable');
  });

  it('an unknown configured device names itself and what is connected, then a switch to a file works', async () => {
    const linux = fakeLinux(tempDir());
    linux.plug('video0', 'USB Camera');
    const { camera, frames } = harness({ device: '/dev/video7', width: 160, height: 120, fps: 15 }, { platform: 'linux', sysfsRoot: linux.sysfs, devRoot: linux.dev });
    await camera.start();
    expect(camera.status().state).toBe('unavailable');
    expect(camera.status().message).toBe(
      `Camera "/dev/video7" was not found. Connected cameras: ${path.join(linux.dev, 'video0')} (USB Camera). Plug it in or choose another in Admin > Setup.`,
    );
    await camera.setDevice(`file:${faceVideo}`);
    await waitFor('streaming', () => camera.status().state === 'streaming');
    expect(camera.status().deviceId).toBe(`file:${faceVideo}`);
    // A new size from Admin > Setup restarts the stream at that size.
    await camera.setConfig({ device: `file:${faceVideo}`, width: 320, height: 240, fps: 10 });
    const before = camera.stats().delivered;
    await waitFor('frames at the new size', () => camera.stats().delivered > before + 2);
    expect(frames.at(-1)!.rgb.length).toBe(320 * 240 * 3);
    expect(camera.status().restarts).toBe(0);
  });

  it('a missing camera file and a missing ffmpeg binary each give a readable status', async () => {
    const missing = harness({ device: 'file:/nowhere/demo.mp4', width: 160, height: 120, fps: 15 });
    await missing.camera.start();
    expect(missing.camera.status()).toMatchObject({ state: 'unavailable', message: 'Camera file not found: /nowhere/demo.mp4' });

    const noFfmpeg = harness({ device: `file:${faceVideo}`, width: 160, height: 120, fps: 15 }, { ffmpegPath: '/nowhere/ffmpeg' });
    await noFfmpeg.camera.start();
    await waitFor('unavailable', () => noFfmpeg.camera.status().state === 'unavailable');
    expect(noFfmpeg.camera.status().message).toMatch(/could not run ffmpeg \(\/nowhere\/ffmpeg\): .*ENOENT/);
  });

  it('stop() ends ffmpeg and reports stopped; no frames afterwards', async () => {
    const { camera } = harness({ device: `file:${faceVideo}`, width: 160, height: 120, fps: 15 });
    await camera.start();
    await waitFor('streaming', () => camera.status().state === 'streaming');
    const pid = camera.stats().ffmpegPid!;
    await camera.stop();
    expect(camera.status().state).toBe('stopped');
    expect(() => process.kill(pid, 0)).toThrow();
    const count = camera.stats().delivered;
    await sleep(300);
    expect(camera.stats().delivered).toBe(count);
  });
});

describe('listDevices', () => {
  it('Linux: capture nodes from sysfs with formats from ffmpeg, plus the configured file camera', async () => {
    const sysfs = tempDir();
    fs.mkdirSync(path.join(sysfs, 'video0'));
    fs.writeFileSync(path.join(sysfs, 'video0', 'name'), 'HD Webcam\n');
    const probed: string[][] = [];
    const { camera } = harness(
      { device: 'file:/demo/faces.mp4', width: 640, height: 480, fps: 15 },
      {
        platform: 'linux',
        sysfsRoot: sysfs,
        devRoot: '/devx',
        probe: async (args) => {
          probed.push(args);
          return '[video4linux2,v4l2 @ 0x1] Compressed:       mjpeg :          Motion-JPEG : 640x480 1280x720';
        },
      },
    );
    expect(await camera.listDevices()).toEqual([
      { id: '/devx/video0', label: 'HD Webcam', kind: 'v4l2', formats: ['mjpeg 640x480', 'mjpeg 1280x720'] },
      { id: 'file:/demo/faces.mp4', label: 'faces.mp4', kind: 'file', formats: [] },
    ]);
    expect(probed[0]).toEqual(['-hide_banner', '-f', 'v4l2', '-list_formats', 'all', '-i', '/devx/video0']);
  });

  it('Windows and macOS: devices from the ffmpeg listing; an empty listing means no_device', async () => {
    const win = harness(
      { device: 'auto', width: 640, height: 480, fps: 15 },
      { platform: 'win32', probe: async () => '[dshow @ 01] "Integrated Webcam" (video)\n[dshow @ 01] "Mic" (audio)' },
    );
    expect(await win.camera.listDevices()).toEqual([{ id: 'Integrated Webcam', label: 'Integrated Webcam', kind: 'dshow', formats: [] }]);

    const mac = harness(
      { device: 'auto', width: 640, height: 480, fps: 15 },
      { platform: 'darwin', probe: async () => '[AVFoundation indev @ 0x1] AVFoundation video devices:\n[AVFoundation indev @ 0x1] [0] FaceTime HD Camera' },
    );
    expect(await mac.camera.listDevices()).toEqual([{ id: '0', label: 'FaceTime HD Camera', kind: 'avfoundation', formats: [] }]);

    const empty = harness({ device: 'auto', width: 640, height: 480, fps: 15 }, { platform: 'win32', probe: async () => 'dummy: Immediate exit requested' });
    await empty.camera.start();
    expect(empty.camera.status()).toMatchObject({ state: 'no_device', message: NO_CAMERA_MESSAGE });
  });
});
