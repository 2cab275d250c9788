/**
 * The camera service: the frames, status and figures the rest of main sees. It composes the device
 * resolver (which camera, which ffmpeg arguments), the ffmpeg supervisor (one capture process kept
 * alive, restarted with backoff) and a bounded drop-oldest queue between ffmpeg and the listeners.
 */
import type { CameraDevice, CameraState, CameraStatus } from '../../shared/domain/types';
import type { Clock } from '../lib/clock';
import { systemClock } from '../lib/clock';
import type { Subscribe } from '../lib/emitter';
import type { Logger } from '../logging/logger';
import { createCameraStatus } from './camera-status';
import { createDeviceResolver, runFfmpegProbe, type FfmpegProbe } from './device-resolver';
import { resolveFfmpegPath } from './ffmpeg-path';
import { createFfmpegSupervisor, type LaunchPlan, type PlanRequest, type SupervisorEvent } from './ffmpeg-supervisor';
import { FpsMeter } from './fps-meter';
import { createFrameDelivery, type DeliveryStats } from './frame-delivery';
import { firstLine, formatDuration } from './messages';
import { captureArgs, type CameraSource } from './sources';

export { NO_CAMERA_MESSAGE } from './messages';
export type { FfmpegProbe } from './device-resolver';

export interface CameraConfig {
  /** 'auto', a device id from listDevices() (e.g. /dev/video0), or file:<path>. */
  device: string;
  width: number;
  height: number;
  fps: number;
}

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

export interface CameraStats extends DeliveryStats {
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

/**
 * Creates the camera service. Nothing runs until start(). All failures (missing ffmpeg, unknown
 * device, device busy or unplugged, corrupt file) end up in status() with a readable message and
 * are retried; none is thrown from start().
 */
export function createCameraService(options: CameraServiceOptions): CameraService {
  const log = options.logger.child('camera');
  const clock = options.clock ?? systemClock;
  const platform = options.platform ?? process.platform;
  const presenceCheckMs = options.presenceCheckMs ?? 1000;
  const config: CameraConfig = { ...options.config };
  const delivery = createFrameDelivery<CameraFrame>({ name: 'camera.frame', capacity: options.queueCapacity ?? 2, reporter: log });
  const fps = new FpsMeter(options.fpsWindowMs ?? 3000);
  const status = createCameraStatus(log);
  let ffmpegPath: string | null = options.ffmpegPath ?? null;
  const ffmpeg = (): string => (ffmpegPath ??= resolveFfmpegPath());
  const resolver = createDeviceResolver({
    platform,
    sysfsRoot: options.sysfsRoot ?? '/sys/class/video4linux',
    devRoot: options.devRoot ?? '/dev',
    probe: options.probe ?? ((args) => runFfmpegProbe(ffmpeg(), args)),
    logger: log,
  });

  let source: CameraSource | null = null;
  let running = false;
  let seq = 0;

  /** Sets the status; device fields default to the current source, fps is measured while streaming. */
  function setStatus(next: Partial<CameraStatus> & { state: CameraState }): void {
    status.set({
      state: next.state,
      deviceId: next.deviceId !== undefined ? next.deviceId : (source?.device ?? null),
      deviceLabel: next.deviceLabel !== undefined ? next.deviceLabel : (source?.label ?? null),
      message: next.message ?? null,
      fps: next.state === 'streaming' ? (next.fps ?? fps.fps(clock.monotonicMs())) : 0,
      restarts: supervisor.restarts(),
    });
  }

  /** Finds the camera and builds the ffmpeg command, or says why there is none yet. */
  async function plan({ restart, isCurrent }: PlanRequest): Promise<LaunchPlan> {
    const wanted = { width: config.width, height: config.height, fps: config.fps };
    const resolution = await resolver.resolve(config.device);
    if (!isCurrent()) return { kind: 'wait', retryInMs: 0 };
    if (!resolution.ok) {
      // A camera that was running and went away stays "unavailable" (it is expected back) rather than
      // turning into "no_device", which is for a kiosk that never had one.
      setStatus({
        state: restart ? 'unavailable' : resolution.state,
        deviceId: restart ? (source?.device ?? resolution.deviceId) : resolution.deviceId,
        deviceLabel: restart ? (source?.label ?? null) : null,
        message: resolution.message,
      });
      const pollMs = platform === 'linux' || config.device.startsWith('file:') ? presenceCheckMs : Math.max(presenceCheckMs, 3000);
      return { kind: 'wait', retryInMs: pollMs };
    }
    source = resolution.source;
    try {
      const binary = ffmpeg();
      const args = captureArgs(await resolver.inputArgs(resolution.source, wanted), wanted);
      const devicePath = source.kind === 'file' ? source.path : source.kind === 'v4l2' ? source.device : null;
      return { kind: 'run', command: { binary, args, frameBytes: wanted.width * wanted.height * 3, devicePath } };
    } catch (error) {
      return { kind: 'fail', message: `Camera unavailable: ${firstLine(error)}` };
    }
  }

  function onSupervisor(event: SupervisorEvent): void {
    switch (event.kind) {
      case 'spawned':
        return;
      case 'streaming':
        setStatus({ state: 'streaming', message: null });
        return;
      case 'healthy':
        if (status.current().state === 'streaming') setStatus({ state: 'streaming', message: null }); // refreshes fps
        return;
      case 'failed':
        delivery.clear();
        if (event.unplugged) resolver.forgetModes();
        setStatus({ state: 'unavailable', message: `${event.message}. Retrying in ${formatDuration(event.retryInMs)}.` });
        return;
    }
  }

  function onFrameBytes(rgb: Uint8Array): void {
    fps.tick(clock.monotonicMs());
    seq += 1;
    delivery.push({ seq, width: config.width, height: config.height, rgb, capturedAt: clock.now().getTime() });
  }

  const supervisor = createFfmpegSupervisor({
    clock,
    logger: log,
    stallTimeoutMs: options.stallTimeoutMs ?? 5000,
    presenceCheckMs,
    backoff: options.backoff ?? { initialMs: 500, maxMs: 10_000 },
    plan,
    onFrame: onFrameBytes,
    onEvent: onSupervisor,
  });

  const starting = (device: string): void => setStatus({ state: 'starting', deviceId: device === 'auto' ? null : device, deviceLabel: null, message: null });

  async function reconfigure(next: CameraConfig): Promise<void> {
    const same = next.device === config.device && next.width === config.width && next.height === config.height && next.fps === config.fps;
    if (same) return;
    log.info('camera settings changed', { device: next.device, width: next.width, height: next.height, fps: next.fps });
    Object.assign(config, { device: next.device, width: next.width, height: next.height, fps: next.fps });
    resolver.forgetModes();
    if (!running) return;
    delivery.clear();
    source = null;
    fps.reset();
    starting(next.device);
    await supervisor.restart();
  }

  return {
    /** Starts capturing. Resolves once the first attempt is under way (not when frames flow); never rejects. */
    async start(): Promise<void> {
      if (running) return;
      running = true;
      starting(config.device);
      await supervisor.start();
    },

    /** Stops ffmpeg (SIGTERM, SIGKILL after 1.5 s) and all timers. Resolves when the child has exited. */
    async stop(): Promise<void> {
      running = false;
      await supervisor.stop();
      delivery.clear();
      fps.reset();
      setStatus({ state: 'stopped', message: null });
    },

    status: () => {
      const now = status.current();
      return { ...now, fps: now.state === 'streaming' ? fps.fps(clock.monotonicMs()) : 0 };
    },
    listDevices: () => resolver.listDevices(config.device),
    /** Switches to another device ('auto', a device id or file:<path>); restarts the stream if running. */
    setDevice: (device: string) => reconfigure({ ...config, device }),
    setConfig: (next: CameraConfig) => reconfigure(next),
    onFrame: delivery.onFrame,
    onStatus: status.onChange,
    stats: () => ({ ...delivery.stats(), restarts: supervisor.restarts(), ffmpegPid: supervisor.pid() }),
  };
}
