/**
 * Keeps one ffmpeg capture process alive: spawns it, cuts its stdout into frames, and treats ffmpeg
 * dying, frames stalling or the device path vanishing as a failure: the process is killed and a new
 * one is started after a capped, doubling backoff. What to run is asked anew before every start, so
 * a camera that comes back (or a changed setting) is picked up.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import type { Clock } from '../lib/clock';
import type { Logger } from '../logging/logger';
import { FrameSplitter } from './frame-splitter';
import { firstLine, formatDuration } from './messages';

/** One ffmpeg run that writes raw frames to stdout. */
export interface CaptureCommand {
  binary: string;
  args: string[];
  /** Bytes of one frame on stdout (width * height * 3 for RGB24). */
  frameBytes: number;
  /** A path whose disappearance means the camera was unplugged (a V4L2 node, the file); null when none can be watched. */
  devicePath: string | null;
}

/** What the supervisor should do now. */
export type LaunchPlan =
  | { kind: 'run'; command: CaptureCommand }
  /** Nothing to run yet (no camera): ask again after `retryInMs`. The caller has said why. */
  | { kind: 'wait'; retryInMs: number }
  /** The command could not be built (no ffmpeg binary...): handled like a crash, with backoff. */
  | { kind: 'fail'; message: string };

export interface PlanRequest {
  /** True after a failure (a restart), false for the first start and after settings changed. */
  restart: boolean;
  /** False once this request is outdated (stopped, restarted): the planner must then change nothing. */
  isCurrent(): boolean;
}

export type SupervisorEvent =
  /** ffmpeg was started; `restart` counts as a recovery. */
  | { kind: 'spawned'; restart: boolean; pid: number | null }
  /** The first frame of the running process arrived. */
  | { kind: 'streaming' }
  /** A periodic check found frames flowing and the device present. */
  | { kind: 'healthy' }
  /** The process was abandoned (and killed); a new plan is asked for after `retryInMs`. */
  | { kind: 'failed'; message: string; retryInMs: number; unplugged: boolean };

export interface FfmpegSupervisorOptions {
  clock: Clock;
  logger: Logger;
  /** No frame for this long while running counts as a stall. */
  stallTimeoutMs: number;
  /** How often the device path and the frame flow are checked. */
  presenceCheckMs: number;
  /** Retry delays after failures: initialMs doubling up to maxMs; reset by the first frame. */
  backoff: { initialMs: number; maxMs: number };
  /** Decides what to run; asked at start, after every failure and after restart(). */
  plan(request: PlanRequest): Promise<LaunchPlan>;
  /** Every whole frame, in order (the buffer is the caller's to keep). */
  onFrame(bytes: Uint8Array): void;
  onEvent(event: SupervisorEvent): void;
}

export interface FfmpegSupervisor {
  /** Asks for a plan and runs it. Resolves once the first attempt is under way (not when frames flow); never rejects. */
  start(): Promise<void>;
  /** Stops ffmpeg (SIGTERM, SIGKILL after 1.5 s) and every timer; resolves when the process has exited. */
  stop(): Promise<void>;
  /** Replaces the running process with a freshly planned one, as a first start (no backoff, not a recovery). */
  restart(): Promise<void>;
  /** The running ffmpeg's pid, null when none runs. */
  pid(): number | null;
  /** Processes started again after a failure. */
  restarts(): number;
}

/** Creates the supervisor; nothing runs until start(). */
export function createFfmpegSupervisor(options: FfmpegSupervisorOptions): FfmpegSupervisor {
  const { clock, logger, stallTimeoutMs, presenceCheckMs, backoff } = options;
  let running = false;
  /** Bumped whenever what runs is abandoned (stop, restart, failure); stale callbacks compare it. */
  let epoch = 0;
  let child: ChildProcess | null = null;
  let command: CaptureCommand | null = null;
  let failures = 0;
  let restarts = 0;
  let spawnedAt = 0;
  let lastFrameAt: number | null = null;
  let retryTimer: NodeJS.Timeout | null = null;
  let watchdog: NodeJS.Timeout | null = null;

  function clearRetry(): void {
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = null;
  }

  function schedule(delayMs: number, action: () => void): void {
    clearRetry();
    const mine = epoch;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      if (running && epoch === mine) action();
    }, delayMs);
  }

  /** Asks for a plan and carries it out, unless stopped or restarted meanwhile. */
  async function connect(restart: boolean): Promise<void> {
    const mine = epoch;
    const isCurrent = (): boolean => running && epoch === mine;
    let plan: LaunchPlan;
    try {
      plan = await options.plan({ restart, isCurrent });
    } catch (error) {
      plan = { kind: 'fail', message: `Camera unavailable: ${firstLine(error)}` };
    }
    if (!isCurrent()) return;
    switch (plan.kind) {
      case 'wait':
        schedule(plan.retryInMs, () => void connect(restart));
        return;
      case 'fail':
        fail(plan.message);
        return;
      case 'run':
        if (restart) restarts += 1;
        spawnCapture(plan.command, restart);
        return;
    }
  }

  function spawnCapture(next: CaptureCommand, restart: boolean): void {
    const mine = epoch;
    const splitter = new FrameSplitter(next.frameBytes);
    const stderrLines: string[] = [];
    let streaming = false;
    logger.debug('starting ffmpeg', { args: next.args.join(' ') });
    const proc = spawn(next.binary, next.args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    child = proc;
    command = next;
    spawnedAt = clock.monotonicMs();
    lastFrameAt = null;
    options.onEvent({ kind: 'spawned', restart, pid: proc.pid ?? null });
    proc.stdout?.on('data', (chunk: Buffer) => {
      if (epoch !== mine) return;
      for (const bytes of splitter.push(chunk)) {
        lastFrameAt = clock.monotonicMs();
        if (!streaming) {
          streaming = true;
          failures = 0;
          options.onEvent({ kind: 'streaming' });
        }
        options.onFrame(bytes);
      }
    });
    proc.stderr?.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split(/\r?\n/)) {
        const trimmed = line.trim();
        if (trimmed) stderrLines.push(trimmed);
      }
      if (stderrLines.length > 20) stderrLines.splice(0, stderrLines.length - 20);
    });
    proc.on('error', (error) => {
      if (epoch !== mine) return;
      child = null;
      fail(`Camera unavailable: could not run ffmpeg (${next.binary}): ${error.message}`);
    });
    proc.on('close', (code, signal) => {
      if (child === proc) child = null;
      if (epoch !== mine) return;
      const last = stderrLines[stderrLines.length - 1];
      const how = code !== null ? `ffmpeg exited with code ${code}` : `ffmpeg was stopped by ${signal ?? 'a signal'}`;
      fail(`Camera unavailable: ${how}${last ? `: ${last}` : ''}`);
    });
    ensureWatchdog();
  }

  /** Abandons the running ffmpeg (killed), reports why, and plans again after a capped backoff. */
  function fail(message: string, unplugged = false): void {
    epoch += 1;
    const proc = child;
    child = null;
    if (proc && proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    if (!running) return;
    const delay = Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.min(failures, 16));
    failures += 1;
    options.onEvent({ kind: 'failed', message, retryInMs: delay, unplugged });
    schedule(delay, () => void connect(true));
  }

  /** Device presence and stalls, checked on one timer while running. */
  function ensureWatchdog(): void {
    if (watchdog) return;
    const period = Math.max(50, Math.min(presenceCheckMs, stallTimeoutMs / 4));
    watchdog = setInterval(() => {
      if (!running || !child || !command) return;
      const { devicePath } = command;
      if (devicePath !== null && !fs.existsSync(devicePath)) {
        fail(`Camera disconnected: ${devicePath} is gone; waiting for it to come back`, true);
        return;
      }
      const since = clock.monotonicMs() - (lastFrameAt ?? spawnedAt);
      if (since > stallTimeoutMs) {
        fail(`Camera unavailable: no frame for ${formatDuration(since)}`);
        return;
      }
      options.onEvent({ kind: 'healthy' });
    }, period);
    watchdog.unref?.();
  }

  /** Abandons what runs and waits for the process to exit (SIGTERM, then SIGKILL after 1.5 s). */
  async function stopChild(): Promise<void> {
    epoch += 1;
    clearRetry();
    const proc = child;
    child = null;
    command = null;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => proc.kill('SIGKILL'), 1500);
      proc.once('close', () => {
        clearTimeout(force);
        resolve();
      });
      proc.kill('SIGTERM');
    });
  }

  return {
    async start() {
      if (running) return;
      running = true;
      failures = 0;
      await connect(false);
    },
    async stop() {
      running = false;
      if (watchdog) clearInterval(watchdog);
      watchdog = null;
      await stopChild();
    },
    async restart() {
      if (!running) return;
      await stopChild();
      failures = 0;
      await connect(false);
    },
    pid: () => child?.pid ?? null,
    restarts: () => restarts,
  };
}
