/**
 * The ffmpeg supervisor with the real ffmpeg and file sources: whole frames from the byte stream,
 * and a new process after ffmpeg dies, stalls or loses its device, with the backoff between tries.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resolveFfmpegPath } from '../../../src/main/camera/ffmpeg-path';
import {
  createFfmpegSupervisor,
  type CaptureCommand,
  type FfmpegSupervisor,
  type LaunchPlan,
  type PlanRequest,
  type SupervisorEvent,
} from '../../../src/main/camera/ffmpeg-supervisor';
import { captureArgs, fileInputArgs } from '../../../src/main/camera/sources';
import { systemClock } from '../../../src/main/lib/clock';
import { createMemoryLogger } from '../../../src/main/logging/logger';
import { gradientPixel, makeFaceVideo, makeGradientImage } from '../../support/media/face-video';

const WIDTH = 160;
const HEIGHT = 120;

const supervisors: FfmpegSupervisor[] = [];
const tempDirs: string[] = [];
afterEach(async () => {
  await Promise.all(supervisors.splice(0).map((s) => s.stop()));
  tempDirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ffmpeg-supervisor-'));
  tempDirs.push(dir);
  return dir;
}

/** The capture command the camera service would build for a file source. */
function fileCommand(file: string, options: { still?: boolean; binary?: string } = {}): CaptureCommand {
  const wanted = { width: WIDTH, height: HEIGHT, fps: 15 };
  return {
    binary: options.binary ?? resolveFfmpegPath(),
    args: captureArgs(fileInputArgs(file, options.still ?? false, wanted.fps), wanted),
    frameBytes: WIDTH * HEIGHT * 3,
    devicePath: file,
  };
}

interface Run {
  supervisor: FfmpegSupervisor;
  events: SupervisorEvent[];
  frames: Uint8Array[];
  requests: boolean[];
  failures(): Extract<SupervisorEvent, { kind: 'failed' }>[];
}

function supervise(plan: (request: PlanRequest) => LaunchPlan, extra: { stallTimeoutMs?: number } = {}): Run {
  const events: SupervisorEvent[] = [];
  const frames: Uint8Array[] = [];
  const requests: boolean[] = [];
  const supervisor = createFfmpegSupervisor({
    clock: systemClock,
    logger: createMemoryLogger(),
    stallTimeoutMs: extra.stallTimeoutMs ?? 3000,
    presenceCheckMs: 100,
    backoff: { initialMs: 100, maxMs: 400 },
    plan: async (request) => {
      requests.push(request.restart);
      return plan(request);
    },
    onFrame: (bytes) => {
      frames.push(bytes);
      if (frames.length > 50) frames.shift();
    },
    onEvent: (event) => events.push(event),
  });
  supervisors.push(supervisor);
  return {
    supervisor,
    events,
    frames,
    requests,
    failures: () => events.filter((e): e is Extract<SupervisorEvent, { kind: 'failed' }> => e.kind === 'failed'),
  };
}

async function waitFor(what: string, predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const kinds = (run: Run): string[] => run.events.map((e) => e.kind).filter((k, i, all) => k !== 'healthy' && k !== all[i - 1]);

let faceVideo = '';
beforeAll(async () => {
  faceVideo = await makeFaceVideo({ secondsEach: 1, fps: 15, size: { width: 320, height: 240 } });
}, 120_000);

describe('ffmpeg supervisor: frames', () => {
  it('cuts stdout into whole frames, each starting at the image’s first pixel', async () => {
    const image = await makeGradientImage({ size: { width: WIDTH, height: HEIGHT } });
    const run = supervise(() => ({ kind: 'run', command: fileCommand(image, { still: true }) }));
    await run.supervisor.start();
    await waitFor('10 frames', () => run.frames.length >= 10);
    expect(run.frames.every((f) => f.length === WIDTH * HEIGHT * 3)).toBe(true);
    for (const frame of run.frames) {
      const [r, g, b] = gradientPixel(0, 0, { width: WIDTH, height: HEIGHT });
      expect(Math.abs(frame[0]! - r) + Math.abs(frame[1]! - g) + Math.abs(frame[2]! - b)).toBeLessThanOrEqual(6);
      const last = gradientPixel(WIDTH - 1, HEIGHT - 1, { width: WIDTH, height: HEIGHT });
      expect(Math.abs(frame[frame.length - 3]! - last[0])).toBeLessThanOrEqual(2);
    }
    expect(kinds(run).slice(0, 2)).toEqual(['spawned', 'streaming']);
    expect(run.events.some((e) => e.kind === 'healthy')).toBe(true);
    expect(run.supervisor.pid()).not.toBeNull();
  });
});

describe('ffmpeg supervisor: recovery', () => {
  it('ffmpeg killed: failed with the reason, planned again as a restart, frames resume from a new process', async () => {
    const run = supervise(() => ({ kind: 'run', command: fileCommand(faceVideo) }));
    await run.supervisor.start();
    await waitFor('streaming', () => run.events.some((e) => e.kind === 'streaming'));
    const pid = run.supervisor.pid()!;
    process.kill(pid, 'SIGKILL');
    await waitFor('a failure', () => run.failures().length === 1);
    expect(run.failures()[0]).toMatchObject({ message: 'Camera unavailable: ffmpeg was stopped by SIGKILL', retryInMs: 100, unplugged: false });
    const framesAtFailure = run.frames.length;
    await waitFor('streaming again', () => kinds(run).length >= 5);
    expect(kinds(run)).toEqual(['spawned', 'streaming', 'failed', 'spawned', 'streaming']);
    expect(run.requests).toEqual([false, true]);
    expect(run.supervisor.restarts()).toBe(1);
    expect(run.supervisor.pid()).not.toBe(pid);
    await waitFor('new frames', () => run.frames.length > framesAtFailure);
  });

  it('the backoff doubles up to its cap while ffmpeg keeps failing, and resets once frames flow', async () => {
    const file = path.join(tempDir(), 'camera.mp4');
    fs.writeFileSync(file, 'not a video'.repeat(100));
    const run = supervise(() => ({ kind: 'run', command: fileCommand(file) }));
    await run.supervisor.start();
    await waitFor('4 failures', () => run.failures().length >= 4);
    expect(run.failures().slice(0, 4).map((f) => f.retryInMs)).toEqual([100, 200, 400, 400]);
    expect(run.failures()[0]?.message).toMatch(/^Camera unavailable: ffmpeg exited with code \d+: .*camera\.mp4: Invalid data/);
    fs.copyFileSync(faceVideo, file);
    await waitFor('streaming', () => run.events.some((e) => e.kind === 'streaming'));
    const failedBefore = run.failures().length;
    process.kill(run.supervisor.pid()!, 'SIGKILL');
    await waitFor('the next failure', () => run.failures().length > failedBefore);
    expect(run.failures().at(-1)?.retryInMs).toBe(100);
  });

  it('a source that opens but sends no frame is a stall: killed and tried again', async () => {
    const fifo = path.join(tempDir(), 'stuck.mp4');
    execFileSync('mkfifo', [fifo]);
    const run = supervise(() => ({ kind: 'run', command: fileCommand(fifo) }), { stallTimeoutMs: 600 });
    await run.supervisor.start();
    await waitFor('a stall', () => run.failures().length >= 1, 12_000);
    expect(run.failures()[0]?.message).toMatch(/^Camera unavailable: no frame for \d/);
    await waitFor('a second process', () => run.requests.length >= 2 && run.supervisor.pid() !== null, 12_000);
  });

  it('the device path vanishing is an unplug: no process while it is gone, a new one when it is back', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'camera.mp4');
    fs.copyFileSync(faceVideo, file);
    // Like the camera service: no process while the device is missing, just a poll.
    const run = supervise(() => (fs.existsSync(file) ? { kind: 'run', command: fileCommand(file) } : { kind: 'wait', retryInMs: 100 }));
    await run.supervisor.start();
    await waitFor('streaming', () => run.events.some((e) => e.kind === 'streaming'));
    fs.renameSync(file, path.join(dir, 'unplugged.mp4'));
    await waitFor('unplugged', () => run.failures().length === 1);
    expect(run.failures()[0]).toMatchObject({ unplugged: true, message: `Camera disconnected: ${file} is gone; waiting for it to come back` });
    await new Promise((r) => setTimeout(r, 500));
    expect(run.supervisor.pid()).toBeNull();
    const frames = run.frames.length;
    expect(run.requests.length).toBeGreaterThan(2); // polled while gone
    expect(run.frames.length).toBe(frames);
    fs.renameSync(path.join(dir, 'unplugged.mp4'), file);
    await waitFor('streaming again', () => run.events.filter((e) => e.kind === 'streaming').length === 2);
    expect(run.supervisor.restarts()).toBe(1);
  });
});

describe('ffmpeg supervisor: plans, stop and restart', () => {
  it('a plan that cannot build the command is a failure with backoff; a missing binary is named', async () => {
    let plans = 0;
    const run = supervise(() => (++plans === 1 ? { kind: 'fail', message: 'Camera unavailable: no ffmpeg for this platform' } : { kind: 'run', command: fileCommand(faceVideo, { binary: '/nowhere/ffmpeg' }) }));
    await run.supervisor.start();
    await waitFor('2 failures', () => run.failures().length >= 2);
    expect(run.failures()[0]).toMatchObject({ message: 'Camera unavailable: no ffmpeg for this platform', retryInMs: 100 });
    expect(run.failures()[1]?.message).toMatch(/^Camera unavailable: could not run ffmpeg \(\/nowhere\/ffmpeg\): .*ENOENT/);
    expect(run.failures()[1]?.retryInMs).toBe(200);
  });

  it('stop() ends ffmpeg and everything after; restart() replaces the process without counting a recovery', async () => {
    const run = supervise(() => ({ kind: 'run', command: fileCommand(faceVideo) }));
    await run.supervisor.start();
    await waitFor('streaming', () => run.events.some((e) => e.kind === 'streaming'));
    const first = run.supervisor.pid()!;
    await run.supervisor.restart();
    await waitFor('streaming again', () => run.events.filter((e) => e.kind === 'streaming').length === 2);
    expect(() => process.kill(first, 0)).toThrow();
    expect(run.supervisor.restarts()).toBe(0);
    expect(run.requests).toEqual([false, false]);
    expect(run.failures()).toEqual([]);

    const second = run.supervisor.pid()!;
    await run.supervisor.stop();
    expect(() => process.kill(second, 0)).toThrow();
    const after = run.events.length;
    const frames = run.frames.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(run.events.length).toBe(after);
    expect(run.frames.length).toBe(frames);
    expect(run.supervisor.pid()).toBeNull();
  });
});
