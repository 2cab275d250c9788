/**
 * Test media built at test time from the shared face photos with the project's own ffmpeg: a face
 * video (slideshow of stills) to use as the camera in end-to-end tests, still images, and synthetic
 * solid/gradient images whose pixel values tests can check. Results are cached by content.
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { facesDir, listPhotos } from './shared-photos';
import { resolveFfmpegPath } from '../../../src/main/camera/ffmpeg-path';

export interface Size {
  width: number;
  height: number;
}

/** Where generated media is cached (shared by test workers; files are written atomically). */
export { facesDir } from './shared-photos';

export const MEDIA_CACHE_DIR = path.join(os.tmpdir(), 'hotelmate-test-media');

/**
 * Absolute paths of the shared single-person face photos (from labels.csv, multi-face photos
 * excluded unless asked), optionally only those of one identity such as `person-a`.
 */
export function facePhotos(options: { identity?: string; includeMultiFace?: boolean } = {}): string[] {
  const dir = facesDir();
  return listPhotos()
    .filter((row) => (options.includeMultiFace ? true : row.identity !== 'multi-face'))
    .filter((row) => (options.identity ? row.identity === options.identity : true))
    .map((row) => path.join(dir, row.file));
}

export interface FaceVideoOptions {
  /** Photo paths (default: one photo of each person a..f). */
  photos?: string[];
  /** How long each photo is shown (default 2 s). */
  secondsEach?: number;
  /** Frame rate of the video (default 15). */
  fps?: number;
  /** Frame size; photos are scaled to fit and padded with black (default 640x480). */
  size?: Size;
  /** `mp4` (H.264, default) or `mjpeg` (raw Motion-JPEG stream). */
  format?: 'mp4' | 'mjpeg';
  /** Output folder (default MEDIA_CACHE_DIR). */
  dir?: string;
  /**
   * Marks each photo's frames with a solid block of SEGMENT_MARKERS[i] in the top-left corner, so a
   * test can tell from a frame (or its preview) which photo it shows: {@link segmentOf}.
   */
  markers?: boolean;
}

/** The marker colours of makeFaceVideo's segments, in photo order (cycling after six). */
export const SEGMENT_MARKERS: readonly Rgb[] = [
  [255, 0, 0],
  [0, 255, 0],
  [0, 0, 255],
  [255, 255, 0],
  [255, 0, 255],
  [0, 255, 255],
];

/** The marker block's side in video pixels (at 640x480; a preview scales it down). */
const MARKER_PX = 32;

/**
 * Which segment (photo index modulo SEGMENT_MARKERS.length) an RGB24 frame of a marked video
 * shows, from the centre of its marker block; null when the corner carries no marker colour.
 */
export function segmentOf(frame: { width: number; height: number; rgb: Uint8Array }, videoWidth = 640): number | null {
  const at = Math.max(0, Math.floor(((MARKER_PX / 2) * frame.width) / videoWidth));
  const o = (at * frame.width + at) * 3;
  const pixel = [frame.rgb[o] ?? 0, frame.rgb[o + 1] ?? 0, frame.rgb[o + 2] ?? 0];
  let best: number | null = null;
  let bestDistance = 90; // H.264 shifts a solid colour by a few levels, never this far
  for (const [index, colour] of SEGMENT_MARKERS.entries()) {
    const distance = Math.hypot(pixel[0] - colour[0], pixel[1] - colour[1], pixel[2] - colour[2]);
    if (distance < bestDistance) {
      bestDistance = distance;
      best = index;
    }
  }
  return best;
}

/**
 * Builds (or reuses from the cache) a slideshow video of face photos, for use as `file:<path>`
 * camera. Resolves the video's absolute path; rejects with ffmpeg's last stderr lines on failure.
 */
export async function makeFaceVideo(options: FaceVideoOptions = {}): Promise<string> {
  const photos = options.photos ?? defaultPhotos();
  if (photos.length === 0) throw new Error('makeFaceVideo needs at least one photo');
  const secondsEach = options.secondsEach ?? 2;
  const fps = options.fps ?? 15;
  const size = options.size ?? { width: 640, height: 480 };
  const format = options.format ?? 'mp4';
  for (const photo of photos) {
    if (!fs.existsSync(photo)) throw new Error(`Face photo not found: ${photo}`);
  }
  const markers = options.markers ?? false;
  const key = cacheKey({ kind: 'video', photos: photos.map(fileIdentity), secondsEach, fps, size, format, ...(markers ? { markers } : {}) });
  const out = path.join(options.dir ?? MEDIA_CACHE_DIR, `face-video-${key}.${format}`);
  if (fs.existsSync(out)) return out;

  const args: string[] = ['-hide_banner', '-loglevel', 'error', '-y'];
  for (const photo of photos) args.push('-loop', '1', '-framerate', String(fps), '-t', String(secondsEach), '-i', photo);
  const fit = `scale=${size.width}:${size.height}:force_original_aspect_ratio=decrease,pad=${size.width}:${size.height}:(ow-iw)/2:(oh-ih)/2,setsar=1,fps=${fps},format=yuv420p`;
  const marker = (i: number): string => {
    const [r, g, b] = SEGMENT_MARKERS[i % SEGMENT_MARKERS.length] as Rgb;
    const hex = [r, g, b].map((c) => c.toString(16).padStart(2, '0')).join('');
    return `,drawbox=x=0:y=0:w=${MARKER_PX}:h=${MARKER_PX}:color=0x${hex}:t=fill`;
  };
  const chains = photos.map((_, i) => `[${i}:v]${fit}${markers ? marker(i) : ''}[v${i}]`);
  const inputs = photos.map((_, i) => `[v${i}]`).join('');
  args.push('-filter_complex', `${chains.join(';')};${inputs}concat=n=${photos.length}:v=1:a=0[out]`, '-map', '[out]');
  if (format === 'mp4') {
    args.push('-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-g', String(fps), '-pix_fmt', 'yuv420p', '-movflags', '+faststart', '-f', 'mp4');
  } else {
    args.push('-c:v', 'mjpeg', '-q:v', '3', '-pix_fmt', 'yuvj420p', '-f', 'mjpeg');
  }
  await writeAtomically(out, args);
  return out;
}

export interface StillImageOptions {
  /** A source photo (default: the first photo of person-a). */
  photo?: string;
  /** Output size; the photo is scaled to fit and padded with black (default 640x480). */
  size?: Size;
  format?: 'png' | 'jpg';
  dir?: string;
}

/** Builds (or reuses) one face photo fitted to a frame size. Resolves the image path. */
export async function makeStillImage(options: StillImageOptions = {}): Promise<string> {
  const photo = options.photo ?? facePhotos({ identity: 'person-a' })[0];
  if (!photo || !fs.existsSync(photo)) throw new Error(`Face photo not found: ${photo ?? '(none in labels.csv)'}`);
  const size = options.size ?? { width: 640, height: 480 };
  const format = options.format ?? 'png';
  const key = cacheKey({ kind: 'still', photo: fileIdentity(photo), size, format });
  const out = path.join(options.dir ?? MEDIA_CACHE_DIR, `still-${key}.${format}`);
  if (fs.existsSync(out)) return out;
  const fit = `scale=${size.width}:${size.height}:force_original_aspect_ratio=decrease,pad=${size.width}:${size.height}:(ow-iw)/2:(oh-ih)/2,setsar=1`;
  await writeAtomically(out, ['-hide_banner', '-loglevel', 'error', '-y', '-i', photo, '-vf', fit, '-frames:v', '1', '-f', 'image2', ...(format === 'jpg' ? ['-c:v', 'mjpeg', '-q:v', '2'] : ['-c:v', 'png'])]);
  return out;
}

export type Rgb = readonly [number, number, number];

/** Writes a PNG of one solid colour (exact pixel values, lossless). Resolves its path. */
export async function makeSolidImage(options: { size: Size; color: Rgb; dir?: string }): Promise<string> {
  const { size, color } = options;
  const hex = color.map((c) => c.toString(16).padStart(2, '0')).join('');
  const out = path.join(options.dir ?? MEDIA_CACHE_DIR, `solid-${hex}-${size.width}x${size.height}.png`);
  if (fs.existsSync(out)) return out;
  await writeAtomically(out, [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', `color=c=0x${hex}:s=${size.width}x${size.height}:d=1`,
    '-frames:v', '1', '-pix_fmt', 'rgb24', '-f', 'image2', '-c:v', 'png',
  ]);
  return out;
}

/**
 * Writes a lossless PNG whose pixel at (x, y) is `gradientPixel(x, y, size)`: red grows left to
 * right, green grows top to bottom, blue is constant 64. Built from raw RGB bytes, so exact.
 */
export async function makeGradientImage(options: { size: Size; dir?: string }): Promise<string> {
  const { size } = options;
  const out = path.join(options.dir ?? MEDIA_CACHE_DIR, `gradient-${size.width}x${size.height}.png`);
  if (fs.existsSync(out)) return out;
  const raw = Buffer.alloc(size.width * size.height * 3);
  for (let y = 0; y < size.height; y += 1) {
    for (let x = 0; x < size.width; x += 1) {
      const [r, g, b] = gradientPixel(x, y, size);
      const o = (y * size.width + x) * 3;
      raw[o] = r;
      raw[o + 1] = g;
      raw[o + 2] = b;
    }
  }
  await writeAtomically(
    out,
    ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${size.width}x${size.height}`, '-i', 'pipe:0', '-frames:v', '1', '-pix_fmt', 'rgb24', '-f', 'image2', '-c:v', 'png'],
    raw,
  );
  return out;
}

/** The expected RGB value of makeGradientImage's pixel (x, y). */
export function gradientPixel(x: number, y: number, size: Size): Rgb {
  return [Math.round((x * 255) / Math.max(1, size.width - 1)), Math.round((y * 255) / Math.max(1, size.height - 1)), 64];
}

function defaultPhotos(): string[] {
  const all = facePhotos();
  const firstOfEach = new Map<string, string>();
  for (const photo of all) {
    const identity = path.basename(photo).replace(/-\d+\.\w+$/, '');
    if (!firstOfEach.has(identity)) firstOfEach.set(identity, photo);
  }
  return [...firstOfEach.values()];
}

function fileIdentity(file: string): string {
  const stat = fs.statSync(file);
  return `${path.resolve(file)}:${stat.size}:${Math.round(stat.mtimeMs)}`;
}

function cacheKey(value: unknown): string {
  return crypto.createHash('sha1').update(JSON.stringify(value)).digest('hex').slice(0, 16);
}

/** Runs ffmpeg with `args` + a temp output path, then renames it into place (safe across workers). */
async function writeAtomically(out: string, args: string[], stdin?: Buffer): Promise<void> {
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const tmp = `${out}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  try {
    await runFfmpeg([...args, tmp], stdin);
    fs.renameSync(tmp, out);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

function runFfmpeg(args: string[], stdin?: Buffer): Promise<void> {
  const ffmpeg = resolveFfmpegPath();
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpeg, args, { stdio: [stdin ? 'pipe' : 'ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-4000);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`ffmpeg exited with code ${code ?? 'null'} while building test media: ${stderr.trim().split('\n').slice(-3).join(' | ')}`));
    });
    if (stdin && child.stdin) {
      child.stdin.on('error', () => undefined);
      child.stdin.end(stdin);
    }
  });
}
