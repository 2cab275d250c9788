/**
 * Pure ffmpeg argument builders and output parsers for every camera source the kiosk supports:
 * V4L2 (Linux), DirectShow (Windows), AVFoundation (macOS) and a looping file (demos and tests).
 * Kept free of I/O so each platform's behaviour is unit-tested on sample ffmpeg outputs here.
 */

/** One capture mode a device offers (from ffmpeg's format listing). */
export interface CaptureMode {
  /** ffmpeg's name for the pixel format or codec, e.g. `mjpeg`, `yuyv422`. */
  format: string;
  compressed: boolean;
  width: number;
  height: number;
  /** Highest frame rate offered at this size, when the listing says (DirectShow does). */
  maxFps: number | null;
}

/** What we ask the device for, chosen from its modes. Null fields: let the driver pick. */
export interface NegotiatedMode {
  inputFormat: string | null;
  width: number | null;
  height: number | null;
  fps: number | null;
}

export interface Wanted {
  width: number;
  height: number;
  fps: number;
}

/** Where frames come from, resolved from the configured device string. */
export type CameraSource =
  | { kind: 'v4l2'; device: string; label: string }
  | { kind: 'dshow'; device: string; label: string }
  | { kind: 'avfoundation'; device: string; label: string }
  | { kind: 'file'; device: string; label: string; path: string; still: boolean };

const STILL_EXTENSIONS = /\.(png|jpe?g|bmp|webp|tiff?)$/i;

/** Turns `file:<path>` into a file source (a still image when the extension says so); null otherwise. */
export function parseFileDevice(device: string): Extract<CameraSource, { kind: 'file' }> | null {
  if (!device.startsWith('file:')) return null;
  const filePath = device.slice('file:'.length);
  const label = filePath.split(/[\\/]/).pop() ?? filePath;
  return { kind: 'file', device, label, path: filePath, still: STILL_EXTENSIONS.test(filePath) };
}

// ------------------------------------------------------------------------------------------ V4L2

/**
 * Parses `ffmpeg -f v4l2 -list_formats all -i /dev/videoN` stderr, e.g.
 * `[video4linux2,v4l2 @ 0x..] Compressed:       mjpeg :          Motion-JPEG : 640x480 1280x720`.
 * Stepwise ranges (`{32-1920, 2}x{32-1080, 2}`) become their largest size.
 */
export function parseV4l2Formats(stderr: string): CaptureMode[] {
  const modes: CaptureMode[] = [];
  for (const line of stderr.split(/\r?\n/)) {
    const m = /\]\s*(Raw|Compressed)\s*:\s*(\S+)\s*:\s*[^:]*:\s*(.+)$/.exec(line);
    if (!m) continue;
    const compressed = m[1] === 'Compressed';
    const format = m[2] ?? '';
    const sizes = m[3] ?? '';
    const range = /\{(\d+)-(\d+),\s*\d+\}x\{(\d+)-(\d+),\s*\d+\}/.exec(sizes);
    if (range) {
      modes.push({ format, compressed, width: Number(range[2]), height: Number(range[4]), maxFps: null });
      continue;
    }
    for (const size of sizes.matchAll(/(\d+)x(\d+)/g)) {
      modes.push({ format, compressed, width: Number(size[1]), height: Number(size[2]), maxFps: null });
    }
  }
  return modes;
}

/**
 * Picks the capture mode for the wanted size and rate: the exact size in MJPEG first (USB cameras
 * deliver high rates only compressed), then the exact size raw, then the smallest larger size
 * (MJPEG preferred; ffmpeg scales down), else the largest offered. No modes: driver defaults.
 */
export function negotiateMode(modes: CaptureMode[], wanted: Wanted): NegotiatedMode {
  const none: NegotiatedMode = { inputFormat: null, width: null, height: null, fps: wanted.fps };
  if (modes.length === 0) return none;
  const fpsOk = (m: CaptureMode): boolean => m.maxFps === null || m.maxFps >= wanted.fps;
  const rank = (m: CaptureMode): number => (m.format === 'mjpeg' ? 0 : m.compressed ? 2 : 1);
  const usable = modes.filter((m) => m.format !== 'h264' && m.format !== 'hevc');
  const pool = usable.length > 0 ? usable : modes;
  const exact = pool
    .filter((m) => m.width === wanted.width && m.height === wanted.height)
    .sort((a, b) => Number(fpsOk(b)) - Number(fpsOk(a)) || rank(a) - rank(b));
  const larger = pool
    .filter((m) => m.width >= wanted.width && m.height >= wanted.height)
    .sort((a, b) => Number(fpsOk(b)) - Number(fpsOk(a)) || a.width * a.height - b.width * b.height || rank(a) - rank(b));
  const largest = [...pool].sort((a, b) => b.width * b.height - a.width * a.height || rank(a) - rank(b));
  const pick = exact[0] ?? larger[0] ?? largest[0];
  if (!pick) return none;
  const fps = pick.maxFps !== null ? Math.min(pick.maxFps, wanted.fps) : wanted.fps;
  return { inputFormat: pick.format, width: pick.width, height: pick.height, fps };
}

/** Arguments that make ffmpeg list a V4L2 device's formats (it exits non-zero after listing). */
export function v4l2ListFormatsArgs(device: string): string[] {
  return ['-hide_banner', '-f', 'v4l2', '-list_formats', 'all', '-i', device];
}

/** ffmpeg input arguments for a V4L2 device in the negotiated mode. */
export function v4l2InputArgs(device: string, mode: NegotiatedMode): string[] {
  const args = ['-f', 'v4l2'];
  if (mode.inputFormat) args.push('-input_format', mode.inputFormat);
  if (mode.width && mode.height) args.push('-video_size', `${mode.width}x${mode.height}`);
  if (mode.fps) args.push('-framerate', String(mode.fps));
  args.push('-i', device);
  return args;
}

// ----------------------------------------------------------------------------------- DirectShow

/** Arguments that make ffmpeg list DirectShow devices on stderr. */
export function dshowListDevicesArgs(): string[] {
  return ['-hide_banner', '-list_devices', 'true', '-f', 'dshow', '-i', 'dummy'];
}

/**
 * Parses DirectShow device names from `-list_devices true -f dshow` stderr. Handles the old layout
 * (a "DirectShow video devices" header, then quoted names) and the newer one (`"Name" (video)`).
 * Audio-only devices are left out.
 */
export function parseDshowDevices(stderr: string): { name: string; alternativeName: string | null }[] {
  const out: { name: string; alternativeName: string | null }[] = [];
  let section: 'video' | 'audio' | null = null;
  let last: { name: string; alternativeName: string | null } | null = null;
  for (const line of stderr.split(/\r?\n/)) {
    if (/DirectShow video devices/i.test(line)) {
      section = 'video';
      continue;
    }
    if (/DirectShow audio devices/i.test(line)) {
      section = 'audio';
      continue;
    }
    const alt = /Alternative name\s+"(.*)"/.exec(line);
    if (alt) {
      if (last) last.alternativeName = alt[1] ?? null;
      continue;
    }
    const named = /\]\s+"(.*)"\s*(?:\((video|audio|none)\)|\((video|audio), (video|audio)\))?\s*$/.exec(line);
    if (!named) continue;
    const kinds = [named[2], named[3], named[4]].filter((k): k is string => typeof k === 'string');
    const isVideo = kinds.length > 0 ? kinds.includes('video') : section === 'video';
    if (!isVideo) {
      last = null;
      continue;
    }
    last = { name: named[1] ?? '', alternativeName: null };
    out.push(last);
  }
  return out;
}

/** Arguments that make ffmpeg list one DirectShow device's capture options. */
export function dshowListOptionsArgs(name: string): string[] {
  return ['-hide_banner', '-list_options', 'true', '-f', 'dshow', '-i', `video=${name}`];
}

/**
 * Parses `-list_options true -f dshow` stderr lines such as
 * `  vcodec=mjpeg  min s=1280x720 fps=5 max s=1280x720 fps=30` or `pixel_format=yuyv422 ...`.
 */
export function parseDshowOptions(stderr: string): CaptureMode[] {
  const modes: CaptureMode[] = [];
  for (const line of stderr.split(/\r?\n/)) {
    const m = /(vcodec|pixel_format)=(\S+)\s+min s=\d+x\d+ fps=[\d.]+\s+max s=(\d+)x(\d+) fps=([\d.]+)/.exec(line);
    if (!m) continue;
    const compressed = m[1] === 'vcodec';
    const format = m[2] ?? '';
    const mode = { format, compressed, width: Number(m[3]), height: Number(m[4]), maxFps: Math.floor(Number(m[5])) };
    if (!modes.some((x) => x.format === mode.format && x.width === mode.width && x.height === mode.height && x.maxFps === mode.maxFps)) {
      modes.push(mode);
    }
  }
  return modes;
}

/** ffmpeg input arguments for a DirectShow camera (no shell: the name needs no quoting). */
export function dshowInputArgs(name: string, mode: NegotiatedMode): string[] {
  const args = ['-f', 'dshow', '-rtbufsize', '32M'];
  if (mode.inputFormat) {
    if (mode.inputFormat === 'mjpeg') args.push('-vcodec', 'mjpeg');
    else args.push('-pixel_format', mode.inputFormat);
  }
  if (mode.width && mode.height) args.push('-video_size', `${mode.width}x${mode.height}`);
  if (mode.fps && mode.inputFormat) args.push('-framerate', String(mode.fps));
  args.push('-i', `video=${name}`);
  return args;
}

// --------------------------------------------------------------------------------- AVFoundation

/** Arguments that make ffmpeg list AVFoundation devices on stderr. */
export function avfoundationListDevicesArgs(): string[] {
  return ['-hide_banner', '-f', 'avfoundation', '-list_devices', 'true', '-i', ''];
}

/** Parses `[0] FaceTime HD Camera` lines of the video section; screen capture entries are left out. */
export function parseAvfoundationDevices(stderr: string): { index: string; name: string }[] {
  const out: { index: string; name: string }[] = [];
  let inVideo = false;
  for (const line of stderr.split(/\r?\n/)) {
    if (/AVFoundation video devices/i.test(line)) {
      inVideo = true;
      continue;
    }
    if (/AVFoundation audio devices/i.test(line)) {
      inVideo = false;
      continue;
    }
    const m = /\]\s+\[(\d+)\]\s+(.+?)\s*$/.exec(line);
    if (!inVideo || !m) continue;
    const name = m[2] ?? '';
    if (/^Capture screen/i.test(name)) continue;
    out.push({ index: m[1] ?? '0', name });
  }
  return out;
}

/**
 * ffmpeg input arguments for an AVFoundation camera by index. Most Mac cameras only accept their
 * native rates, so we capture at 30 (or the wanted rate if higher) and let the fps filter thin it.
 */
export function avfoundationInputArgs(index: string, wanted: Wanted): string[] {
  return ['-f', 'avfoundation', '-framerate', String(Math.max(30, wanted.fps)), '-video_size', `${wanted.width}x${wanted.height}`, '-i', `${index}:none`];
}

// ---------------------------------------------------------------------------------------- file

/**
 * ffmpeg input arguments for a file camera: a video looped forever at its own pace (`-re`), or a
 * still image repeated at the wanted rate.
 */
export function fileInputArgs(filePath: string, still: boolean, fps: number): string[] {
  if (still) return ['-re', '-loop', '1', '-framerate', String(fps), '-i', filePath];
  return ['-re', '-stream_loop', '-1', '-i', filePath];
}

// -------------------------------------------------------------------------------------- output

/**
 * ffmpeg output arguments: raw RGB24 frames of exactly width x height (fitted, letterboxed, never
 * stretched) at the wanted rate on stdout; no audio or subtitles.
 */
export function rawOutputArgs(wanted: Wanted): string[] {
  const { width, height, fps } = wanted;
  const filter = `fps=${fps},scale=${width}:${height}:force_original_aspect_ratio=decrease,pad=${width}:${height}:(ow-iw)/2:(oh-ih)/2,setsar=1,format=rgb24`;
  return ['-an', '-sn', '-vf', filter, '-pix_fmt', 'rgb24', '-f', 'rawvideo', 'pipe:1'];
}

/** Full argument list for a capture process: quiet logging, no stdin interaction, input, output. */
export function captureArgs(input: string[], wanted: Wanted): string[] {
  return ['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error', ...input, ...rawOutputArgs(wanted)];
}
