/**
 * The camera: one ffmpeg child process turning a V4L2 / DirectShow / AVFoundation device or a
 * looping file into raw RGB24 frames of the configured size and rate. It owns the status the
 * admin and idle screens show, a bounded queue that drops old frames when consumers lag, and the
 * recovery loop: ffmpeg dying, frames stalling or the device path vanishing all lead to
 * "unavailable", then capped-backoff retries that resume by themselves when the camera is back.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import type { CameraDevice, CameraState, CameraStatus } from '../../shared/domain/types';
import type { Clock } from '../lib/clock';
import { systemClock } from '../lib/clock';
import type { Subscribe } from '../lib/emitter';
import { toLogFormat, type Logger } from '../logging/logger';
import { listV4l2Nodes } from './devices';
import { resolveFfmpegPath } from './ffmpeg-path';
import { DropOldestQueue } from './frame-queue';
import { FrameSplitter } from './frame-splitter';
import {
  avfoundationInputArgs,
  avfoundationListDevicesArgs,
  captureArgs,
  dshowInputArgs,
  dshowListDevicesArgs,
  dshowListOptionsArgs,
  fileInputArgs,
  negotiateMode,
  parseAvfoundationDevices,
  parseDshowDevices,
  parseDshowOptions,
  parseFileDevice,
  parseV4l2Formats,
  v4l2InputArgs,
  v4l2ListFormatsArgs,
  type CameraSource,
  type CaptureMode,
  type NegotiatedMode,
  type Wanted,
} from './sources';

export const NO_CAMERA_MESSAGE = 'No camera found. Plug in a USB camera or choose one in Admin > Setup.';

export interface CameraConfig {
  /** 'auto', a device id from listDevices() (e.g. /dev/video0), or file:<path>. */
  device: string;
  width: number;
  height: number;
  fps: number;
}

/** Runs ffmpeg with listing arguments and resolves what it printed (it usually exits non-zero). */
export type FfmpegProbe = (args: string[]) => Promise<string>;

export interface CameraServiceOptions {
  config: CameraConfig;
  logger: Logger;
  clock?: Clock;
  /** Default: @ffmpeg-installer's binary (see resolveFfmpegPath). */
  ffmpegPath?: string;
  /** Default /sys/class/video4linux. */
  sysfsRoot?: string;
  /** Where V4L2 device nodes live, default /dev. */
  devRoot?: string;
  platform?: NodeJS.Platform;
  /** Replaces the ffmpeg listing runs (tests feed sample outputs through it). */
  probe?: FfmpegProbe;
  /** No frame for this long while running counts as a stall: ffmpeg is killed and restarted. Default 5000. */
  stallTimeoutMs?: number;
  /** How often the device path's presence is checked, and a missing device is looked for. Default 1000. */
  presenceCheckMs?: number;
  /** Retry delays after a failure: initialMs doubling up to maxMs. Default 500..10000. */
  backoff?: { initialMs: number; maxMs: number };
  /** Frames waiting for delivery; older ones are dropped beyond this. Default 2. */
  queueCapacity?: number;
  /** Window over which fps is measured. Default 3000. */
  fpsWindowMs?: number;
}

export interface CameraStats {
  /** Frames handed to listeners. */
  delivered: number;
  /** Frames dropped because listeners were behind. */
  dropped: number;
  queueDepth: number;
  /** Largest queue depth seen (never above the capacity). */
  maxQueueDepth: number;
  queueCapacity: number;
  restarts: number;
  /** The running ffmpeg child's pid (for CPU figures), null when none runs. */
  ffmpegPid: number | null;
}

/** One full-size frame from the camera. Never logged, never sent to the renderer as is. */
export interface CameraFrame {
  seq: number;
  width: number;
  height: number;
  /** Tightly packed RGB24, width*height*3 bytes. */
  rgb: Uint8Array;
  /** Epoch ms when the frame was read from ffmpeg. */
  capturedAt: number;
}

/** The camera: frames for the face worker, status and figures for the screens and diagnostics. */
export interface CameraService {
  start(): Promise<void>;
  stop(): Promise<void>;
  status(): CameraStatus;
  listDevices(): Promise<CameraDevice[]>;
  /** Switch device ('auto', a device id, or file:<path>); restarts the stream. */
  setDevice(device: string): Promise<void>;
  /** Applies a new device/size/rate (e.g. after Admin > Setup saved); restarts the stream only if something changed. */
  setConfig(next: CameraConfig): Promise<void>;
  onFrame: Subscribe<CameraFrame>;
  onStatus: Subscribe<CameraStatus>;
  /** Figures for diagnostics and the benchmark. */
  stats(): CameraStats;
}

type Resolution =
  | { ok: true; source: CameraSource }
  | { ok: false; state: Extract<CameraState, 'no_device' | 'unavailable'>; message: string; deviceId: string | null };

/**
 * Creates the camera service. Nothing runs until start(). All failures (missing ffmpeg, unknown
 * device, device busy or unplugged, corrupt file) end up in status() with a readable message and
 * are retried; none is thrown from start().
 */
export function createCameraService(options: CameraServiceOptions): CameraService {
  const log = options.logger.child('camera');
  const clock = options.clock ?? systemClock;
  const platform = options.platform ?? process.platform;
  const sysfsRoot = options.sysfsRoot ?? '/sys/class/video4linux';
  const devRoot = options.devRoot ?? '/dev';
  const stallTimeoutMs = options.stallTimeoutMs ?? 5000;
  const presenceCheckMs = options.presenceCheckMs ?? 1000;
  const backoff = options.backoff ?? { initialMs: 500, maxMs: 10_000 };
  const fpsWindowMs = options.fpsWindowMs ?? 3000;
  const config: CameraConfig = { ...options.config };
  const queue = new DropOldestQueue<CameraFrame>(options.queueCapacity ?? 2);

  const frameListeners = new Set<(frame: CameraFrame) => void>();
  const statusListeners = new Set<(status: CameraStatus) => void>();

  let current: CameraStatus = { state: 'stopped', deviceId: null, deviceLabel: null, message: null, fps: 0, restarts: 0 };
  let running = false;
  /** Bumped whenever what is running is abandoned (stop, device switch, failure); stale callbacks compare it. */
  let epoch = 0;
  let child: ChildProcess | null = null;
  let source: CameraSource | null = null;
  let failures = 0;
  let restarts = 0;
  let seq = 0;
  let delivered = 0;
  let spawnedAt = 0;
  let lastFrameAt: number | null = null;
  let frameTimes: number[] = [];
  let retryTimer: NodeJS.Timeout | null = null;
  let watchdog: NodeJS.Timeout | null = null;
  let deliverScheduled = false;
  let ffmpegPath: string | null = options.ffmpegPath ?? null;
  const negotiated = new Map<string, NegotiatedMode>();

  const wanted = (): Wanted => ({ width: config.width, height: config.height, fps: config.fps });

  function ffmpeg(): string {
    if (ffmpegPath === null) ffmpegPath = resolveFfmpegPath();
    return ffmpegPath;
  }

  const probe: FfmpegProbe = options.probe ?? ((args) => runProbe(ffmpeg(), args));

  function setStatus(next: Partial<CameraStatus> & { state: CameraState }): void {
    const status: CameraStatus = {
      state: next.state,
      deviceId: next.deviceId !== undefined ? next.deviceId : (source?.device ?? null),
      deviceLabel: next.deviceLabel !== undefined ? next.deviceLabel : (source?.label ?? null),
      message: next.message ?? null,
      fps: next.state === 'streaming' ? (next.fps ?? measuredFps()) : 0,
      restarts,
    };
    const changed =
      status.state !== current.state ||
      status.message !== current.message ||
      status.deviceId !== current.deviceId ||
      status.restarts !== current.restarts;
    const fpsMoved = Math.abs(status.fps - current.fps) >= 0.5;
    if (!changed && !fpsMoved) return;
    current = status;
    if (changed) {
      const fields = { state: status.state, device: status.deviceId, restarts: status.restarts, message: status.message };
      if (status.state === 'unavailable' || status.state === 'no_device') log.warn('camera status', fields);
      else log.info('camera status', fields);
    }
    for (const listener of statusListeners) {
      try {
        listener(status);
      } catch (error) {
        log.error('camera status listener failed', { error: toLogFormat(error) });
      }
    }
  }

  function measuredFps(): number {
    const now = clock.monotonicMs();
    frameTimes = frameTimes.filter((t) => now - t <= fpsWindowMs);
    if (frameTimes.length < 2) return 0;
    const span = (frameTimes[frameTimes.length - 1] - frameTimes[0]) / 1000;
    return span > 0 ? Math.round(((frameTimes.length - 1) / span) * 10) / 10 : 0;
  }

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

  async function resolveSource(): Promise<Resolution> {
    const device = config.device;
    const file = parseFileDevice(device);
    if (file) {
      if (fs.existsSync(file.path)) return { ok: true, source: file };
      return { ok: false, state: 'unavailable', deviceId: device, message: `Camera file not found: ${file.path}` };
    }
    if (platform === 'linux') {
      const nodes = listV4l2Nodes(sysfsRoot, devRoot);
      if (device === 'auto') {
        const first = nodes.find((n) => fs.existsSync(n.path));
        if (!first) return { ok: false, state: 'no_device', deviceId: null, message: NO_CAMERA_MESSAGE };
        return { ok: true, source: { kind: 'v4l2', device: first.path, label: first.label } };
      }
      const known = nodes.find((n) => n.path === device || n.node === device);
      if (known && fs.existsSync(known.path)) return { ok: true, source: { kind: 'v4l2', device: known.path, label: known.label } };
      if (!known && device.startsWith('/') && fs.existsSync(device)) return { ok: true, source: { kind: 'v4l2', device, label: device } };
      if (nodes.length === 0) return { ok: false, state: 'no_device', deviceId: device, message: NO_CAMERA_MESSAGE };
      return { ok: false, state: 'unavailable', deviceId: device, message: notFoundMessage(device, nodes.map((n) => `${n.path} (${n.label})`)) };
    }
    if (platform === 'win32' || platform === 'darwin') {
      const devices = await listPlatformDevices();
      if (devices.length === 0) return { ok: false, state: 'no_device', deviceId: device === 'auto' ? null : device, message: NO_CAMERA_MESSAGE };
      const pick = device === 'auto' ? devices[0] : devices.find((d) => d.id === device || d.label === device);
      if (!pick) return { ok: false, state: 'unavailable', deviceId: device, message: notFoundMessage(device, devices.map((d) => d.label)) };
      const kind = platform === 'win32' ? 'dshow' : 'avfoundation';
      return { ok: true, source: { kind, device: pick.id, label: pick.label } };
    }
    return {
      ok: false,
      state: 'no_device',
      deviceId: null,
      message: `Live cameras are not supported on ${platform}; set the camera to file:<path of a video> for a demo.`,
    };
  }

  async function listPlatformDevices(): Promise<CameraDevice[]> {
    if (platform === 'win32') {
      const names = parseDshowDevices(await probe(dshowListDevicesArgs()));
      return names.map((d) => ({ id: d.name, label: d.name, kind: 'dshow', formats: [] }));
    }
    if (platform === 'darwin') {
      const devices = parseAvfoundationDevices(await probe(avfoundationListDevicesArgs()));
      return devices.map((d) => ({ id: d.index, label: d.name, kind: 'avfoundation', formats: [] }));
    }
    return [];
  }

  async function inputArgsFor(src: CameraSource): Promise<string[]> {
    switch (src.kind) {
      case 'file':
        return fileInputArgs(src.path, src.still, config.fps);
      case 'avfoundation':
        return avfoundationInputArgs(src.device, wanted());
      case 'v4l2':
        return v4l2InputArgs(src.device, await negotiate(src.device, () => probe(v4l2ListFormatsArgs(src.device)).then(parseV4l2Formats)));
      case 'dshow':
        return dshowInputArgs(src.device, await negotiate(src.device, () => probe(dshowListOptionsArgs(src.device)).then(parseDshowOptions)));
    }
  }

  async function negotiate(device: string, list: () => Promise<CaptureMode[]>): Promise<NegotiatedMode> {
    const key = `${device}@${config.width}x${config.height}@${config.fps}`;
    const cached = negotiated.get(key);
    if (cached) return cached;
    let modes: CaptureMode[] = [];
    try {
      modes = await list();
    } catch (error) {
      log.warn('could not list camera formats; using driver defaults', { device, error: toLogFormat(error) });
    }
    const mode = negotiateMode(modes, wanted());
    log.info('camera mode negotiated', { device, offered: modes.length, format: mode.inputFormat, width: mode.width, height: mode.height, fps: mode.fps });
    if (modes.length > 0) negotiated.set(key, mode);
    return mode;
  }

  /** Finds the camera and starts ffmpeg, or sets a waiting status and tries again later. */
  async function connect(isRetry: boolean): Promise<void> {
    const mine = epoch;
    let resolution: Resolution;
    try {
      resolution = await resolveSource();
    } catch (error) {
      resolution = { ok: false, state: 'unavailable', deviceId: config.device, message: `Could not list cameras: ${firstLine(error)}` };
    }
    if (!running || epoch !== mine) return;
    if (!resolution.ok) {
      // A camera that was running and went away stays "unavailable" (it is expected back) rather than
      // turning into "no_device", which is for a kiosk that never had one.
      const state = isRetry ? 'unavailable' : resolution.state;
      const deviceLabel = isRetry ? (source?.label ?? null) : null;
      const deviceId = isRetry ? (source?.device ?? resolution.deviceId) : resolution.deviceId;
      setStatus({ state, deviceId, deviceLabel, message: resolution.message });
      const pollMs = platform === 'linux' || config.device.startsWith('file:') ? presenceCheckMs : Math.max(presenceCheckMs, 3000);
      schedule(pollMs, () => void connect(isRetry));
      return;
    }
    source = resolution.source;
    let args: string[];
    let binary: string;
    try {
      binary = ffmpeg();
      args = captureArgs(await inputArgsFor(resolution.source), wanted());
    } catch (error) {
      fail(`Camera unavailable: ${firstLine(error)}`);
      return;
    }
    if (!running || epoch !== mine) return;
    if (isRetry) restarts += 1;
    spawnCapture(binary, args, resolution.source);
  }

  function spawnCapture(binary: string, args: string[], src: CameraSource): void {
    const mine = epoch;
    const { width, height } = config;
    const splitter = new FrameSplitter(width * height * 3);
    const stderrLines: string[] = [];
    log.debug('starting ffmpeg', { source: src.kind, device: src.device, args: args.join(' ') });
    const proc = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    child = proc;
    spawnedAt = clock.monotonicMs();
    lastFrameAt = null;
    proc.stdout?.on('data', (chunk: Buffer) => {
      if (epoch !== mine) return;
      for (const rgb of splitter.push(chunk)) onFrameBytes(rgb, width, height);
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
      fail(`Camera unavailable: could not run ffmpeg (${binary}): ${error.message}`);
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

  function onFrameBytes(rgb: Uint8Array, width: number, height: number): void {
    const now = clock.monotonicMs();
    lastFrameAt = now;
    frameTimes.push(now);
    if (frameTimes.length > 600) frameTimes.splice(0, frameTimes.length - 600);
    seq += 1;
    queue.push({ seq, width, height, rgb, capturedAt: clock.now().getTime() });
    if (current.state !== 'streaming') {
      failures = 0;
      setStatus({ state: 'streaming', message: null });
    }
    if (!deliverScheduled) {
      deliverScheduled = true;
      setImmediate(deliver);
    }
  }

  function deliver(): void {
    deliverScheduled = false;
    for (let frame = queue.shift(); frame; frame = queue.shift()) {
      delivered += 1;
      for (const listener of frameListeners) {
        try {
          listener(frame);
        } catch (error) {
          log.error('camera frame listener failed', { error: toLogFormat(error) });
        }
      }
    }
  }

  /** Abandons the running ffmpeg (killed), reports why, and retries after a capped backoff. */
  function fail(message: string): void {
    epoch += 1;
    const proc = child;
    child = null;
    if (proc && proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    queue.clear();
    if (!running) return;
    const delay = Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.min(failures, 16));
    failures += 1;
    setStatus({ state: 'unavailable', message: `${message}. Retrying in ${formatSeconds(delay)}.` });
    schedule(delay, () => void connect(true));
  }

  /** Device presence, stalls and fps, checked on one timer while running. */
  function ensureWatchdog(): void {
    if (watchdog) return;
    const period = Math.max(50, Math.min(presenceCheckMs, stallTimeoutMs / 4));
    watchdog = setInterval(() => {
      if (!running || !child || !source) return;
      const devicePath = source.kind === 'file' ? source.path : source.kind === 'v4l2' ? source.device : null;
      if (devicePath !== null && !fs.existsSync(devicePath)) {
        negotiated.clear();
        fail(`Camera disconnected: ${devicePath} is gone; waiting for it to come back`);
        return;
      }
      const since = clock.monotonicMs() - (lastFrameAt ?? spawnedAt);
      if (since > stallTimeoutMs) {
        fail(`Camera unavailable: no frame for ${formatSeconds(since)}`);
        return;
      }
      if (current.state === 'streaming') setStatus({ state: 'streaming', message: null });
    }, period);
    watchdog.unref?.();
  }

  async function stopChild(): Promise<void> {
    epoch += 1;
    clearRetry();
    const proc = child;
    child = null;
    queue.clear();
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

  async function reconfigure(next: CameraConfig): Promise<void> {
    const same = next.device === config.device && next.width === config.width && next.height === config.height && next.fps === config.fps;
    if (same) return;
    log.info('camera settings changed', { device: next.device, width: next.width, height: next.height, fps: next.fps });
    Object.assign(config, { device: next.device, width: next.width, height: next.height, fps: next.fps });
    negotiated.clear();
    if (!running) return;
    await stopChild();
    failures = 0;
    source = null;
    frameTimes = [];
    setStatus({ state: 'starting', deviceId: next.device === 'auto' ? null : next.device, deviceLabel: null, message: null });
    await connect(false);
  }

  return {
    /** Starts capturing. Resolves once the first attempt is under way (not when frames flow); never rejects. */
    async start(): Promise<void> {
      if (running) return;
      running = true;
      failures = 0;
      setStatus({ state: 'starting', deviceId: config.device === 'auto' ? null : config.device, deviceLabel: null, message: null });
      await connect(false);
    },

    /** Stops ffmpeg (SIGTERM, SIGKILL after 1.5 s) and all timers. Resolves when the child has exited. */
    async stop(): Promise<void> {
      running = false;
      if (watchdog) clearInterval(watchdog);
      watchdog = null;
      await stopChild();
      frameTimes = [];
      setStatus({ state: 'stopped', message: null });
    },

    status: () => ({ ...current, fps: current.state === 'streaming' ? measuredFps() : 0 }),

    /**
     * Lists cameras: V4L2 capture nodes (with their formats) on Linux, DirectShow / AVFoundation
     * devices via ffmpeg elsewhere, plus the configured file camera. Resolves an empty list, never
     * rejects, when listing fails (logged).
     */
    async listDevices(): Promise<CameraDevice[]> {
      const out: CameraDevice[] = [];
      try {
        if (platform === 'linux') {
          for (const node of listV4l2Nodes(sysfsRoot, devRoot)) {
            let formats: string[] = [];
            try {
              formats = describeModes(parseV4l2Formats(await probe(v4l2ListFormatsArgs(node.path))));
            } catch (error) {
              log.warn('could not list formats', { device: node.path, error: firstLine(error) });
            }
            out.push({ id: node.path, label: node.label, kind: 'v4l2', formats });
          }
        } else {
          out.push(...(await listPlatformDevices()));
        }
      } catch (error) {
        log.warn('could not list cameras', { error: toLogFormat(error) });
      }
      const file = parseFileDevice(config.device);
      if (file) out.push({ id: file.device, label: file.label, kind: 'file', formats: [] });
      return out;
    },

    /** Switches to another device ('auto', a device id or file:<path>); restarts the stream if running. */
    setDevice: (device: string) => reconfigure({ ...config, device }),

    setConfig: (next: CameraConfig) => reconfigure(next),

    onFrame(listener) {
      frameListeners.add(listener);
      return () => frameListeners.delete(listener);
    },

    onStatus(listener) {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },

    stats: () => ({
      delivered,
      dropped: queue.dropped,
      queueDepth: queue.length,
      maxQueueDepth: queue.maxLength,
      queueCapacity: queue.capacity,
      restarts,
      ffmpegPid: child?.pid ?? null,
    }),
  };
}

function notFoundMessage(device: string, available: string[]): string {
  const list = available.length > 0 ? ` Connected cameras: ${available.join(', ')}.` : '';
  return `Camera "${device}" was not found.${list} Plug it in or choose another in Admin > Setup.`;
}

function describeModes(modes: CaptureMode[]): string[] {
  return [...new Set(modes.map((m) => `${m.format} ${m.width}x${m.height}${m.maxFps ? `@${m.maxFps}` : ''}`))];
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}

function formatSeconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${Math.round(ms / 100) / 10} s`;
}

/** Runs ffmpeg for a listing; resolves stdout+stderr whatever the exit code; rejects if it cannot run or takes > 5 s. */
function runProbe(binary: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const proc = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    let text = '';
    const collect = (chunk: Buffer): void => {
      if (text.length < 200_000) text += chunk.toString('utf8');
    };
    proc.stdout?.on('data', collect);
    proc.stderr?.on('data', collect);
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`ffmpeg ${args.join(' ')} did not finish within 5 s`));
    }, 5000);
    proc.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    proc.on('close', () => {
      clearTimeout(timer);
      resolve(text);
    });
  });
}
