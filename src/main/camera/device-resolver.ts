/**
 * Which camera the configured device string means right now, and how to ask ffmpeg for it: V4L2
 * nodes from sysfs on Linux, DirectShow / AVFoundation devices from ffmpeg's own listing, or a
 * `file:<path>` source; the capture mode is negotiated once per device and size.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import type { CameraDevice, CameraState } from '../../shared/domain/types';
import { toLogFormat } from '../lib/errors';
import type { Logger } from '../logging/logger';
import { listV4l2Nodes } from './devices';
import { firstLine, NO_CAMERA_MESSAGE, notFoundMessage } from './messages';
import {
  avfoundationInputArgs,
  avfoundationListDevicesArgs,
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

/** Runs ffmpeg with listing arguments and resolves what it printed (it usually exits non-zero). */
export type FfmpegProbe = (args: string[]) => Promise<string>;

/** The configured device found, or why not (`no_device`: nothing connected at all). */
export type Resolution =
  | { ok: true; source: CameraSource }
  | { ok: false; state: Extract<CameraState, 'no_device' | 'unavailable'>; message: string; deviceId: string | null };

export interface DeviceResolverOptions {
  platform: NodeJS.Platform;
  /** Default /sys/class/video4linux. */
  sysfsRoot: string;
  /** Where V4L2 device nodes live, default /dev. */
  devRoot: string;
  probe: FfmpegProbe;
  logger: Logger;
}

export interface DeviceResolver {
  /** Finds the camera `device` ('auto', a device id or file:<path>) names now. Never rejects. */
  resolve(device: string): Promise<Resolution>;
  /** ffmpeg input arguments for `source` at the wanted size and rate. Rejects only when listing fails unexpectedly. */
  inputArgs(source: CameraSource, wanted: Wanted): Promise<string[]>;
  /**
   * Lists cameras: V4L2 capture nodes (with their formats) on Linux, DirectShow / AVFoundation
   * devices via ffmpeg elsewhere, plus `configured` when it is a file camera. Never rejects (logged).
   */
  listDevices(configured: string): Promise<CameraDevice[]>;
  /** Forgets negotiated modes (the device was unplugged or the settings changed). */
  forgetModes(): void;
}

/** Creates the resolver; it keeps only the negotiated modes between calls. */
export function createDeviceResolver(options: DeviceResolverOptions): DeviceResolver {
  const { platform, sysfsRoot, devRoot, probe, logger } = options;
  const negotiated = new Map<string, NegotiatedMode>();

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

  function resolveV4l2(device: string): Resolution {
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

  async function resolvePlatform(device: string): Promise<Resolution> {
    const devices = await listPlatformDevices();
    if (devices.length === 0) return { ok: false, state: 'no_device', deviceId: device === 'auto' ? null : device, message: NO_CAMERA_MESSAGE };
    const pick = device === 'auto' ? devices[0] : devices.find((d) => d.id === device || d.label === device);
    if (!pick) return { ok: false, state: 'unavailable', deviceId: device, message: notFoundMessage(device, devices.map((d) => d.label)) };
    const kind = platform === 'win32' ? 'dshow' : 'avfoundation';
    return { ok: true, source: { kind, device: pick.id, label: pick.label } };
  }

  async function resolveNow(device: string): Promise<Resolution> {
    const file = parseFileDevice(device);
    if (file) {
      if (fs.existsSync(file.path)) return { ok: true, source: file };
      return { ok: false, state: 'unavailable', deviceId: device, message: `Camera file not found: ${file.path}` };
    }
    if (platform === 'linux') return resolveV4l2(device);
    if (platform === 'win32' || platform === 'darwin') return resolvePlatform(device);
    return {
      ok: false,
      state: 'no_device',
      deviceId: null,
      message: `Live cameras are not supported on ${platform}; set the camera to file:<path of a video> for a demo.`,
    };
  }

  async function negotiate(device: string, wanted: Wanted, list: () => Promise<CaptureMode[]>): Promise<NegotiatedMode> {
    const key = `${device}@${wanted.width}x${wanted.height}@${wanted.fps}`;
    const cached = negotiated.get(key);
    if (cached) return cached;
    let modes: CaptureMode[] = [];
    try {
      modes = await list();
    } catch (error) {
      logger.warn('could not list camera formats; using driver defaults', { device, error: toLogFormat(error) });
    }
    const mode = negotiateMode(modes, wanted);
    logger.info('camera mode negotiated', { device, offered: modes.length, format: mode.inputFormat, width: mode.width, height: mode.height, fps: mode.fps });
    if (modes.length > 0) negotiated.set(key, mode);
    return mode;
  }

  return {
    async resolve(device) {
      try {
        return await resolveNow(device);
      } catch (error) {
        return { ok: false, state: 'unavailable', deviceId: device, message: `Could not list cameras: ${firstLine(error)}` };
      }
    },

    async inputArgs(source, wanted) {
      switch (source.kind) {
        case 'file':
          return fileInputArgs(source.path, source.still, wanted.fps);
        case 'avfoundation':
          return avfoundationInputArgs(source.device, wanted);
        case 'v4l2':
          return v4l2InputArgs(source.device, await negotiate(source.device, wanted, () => probe(v4l2ListFormatsArgs(source.device)).then(parseV4l2Formats)));
        case 'dshow':
          return dshowInputArgs(source.device, await negotiate(source.device, wanted, () => probe(dshowListOptionsArgs(source.device)).then(parseDshowOptions)));
      }
    },

    async listDevices(configured) {
      const out: CameraDevice[] = [];
      try {
        if (platform === 'linux') {
          for (const node of listV4l2Nodes(sysfsRoot, devRoot)) {
            let formats: string[] = [];
            try {
              formats = describeModes(parseV4l2Formats(await probe(v4l2ListFormatsArgs(node.path))));
            } catch (error) {
              logger.warn('could not list formats', { device: node.path, error: firstLine(error) });
            }
            out.push({ id: node.path, label: node.label, kind: 'v4l2', formats });
          }
        } else {
          out.push(...(await listPlatformDevices()));
        }
      } catch (error) {
        logger.warn('could not list cameras', { error: toLogFormat(error) });
      }
      const file = parseFileDevice(configured);
      if (file) out.push({ id: file.device, label: file.label, kind: 'file', formats: [] });
      return out;
    },

    forgetModes: () => negotiated.clear(),
  };
}

function describeModes(modes: CaptureMode[]): string[] {
  return [...new Set(modes.map((m) => `${m.format} ${m.width}x${m.height}${m.maxFps ? `@${m.maxFps}` : ''}`))];
}

/** Runs ffmpeg for a listing; resolves stdout+stderr whatever the exit code; rejects if it cannot run or takes > 5 s. */
export function runFfmpegProbe(binary: string, args: string[]): Promise<string> {
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
