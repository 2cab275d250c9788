/** Encodes one RGB frame (or the region around a face) as JPEG through the shipped ffmpeg, only for HotelMate's register-face upload; the image is never written to disk or logged. */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import type { NormalisedBox } from './pipeline/types';

export interface RgbImage {
  rgb: Uint8Array;
  width: number;
  height: number;
}

/** The ffmpeg binary of @ffmpeg-installer, for callers that were not given a path. */
export function defaultFfmpegPath(): string {
  const requireHere = createRequire(__filename);
  return (requireHere('@ffmpeg-installer/ffmpeg') as { path: string }).path;
}

/**
 * Crops a square around a face box (scaled by `scale`, clipped at the border). Pure. The crop keeps
 * the head and some context, like the photo HotelMate's web app uploads, without the rest of the lobby.
 */
export function cropAroundFace(image: RgbImage, box: NormalisedBox, scale = 2): RgbImage {
  if (image.rgb.length !== image.width * image.height * 3) throw new Error('cropAroundFace: the pixel buffer does not match width x height x 3 (detached?)');
  const cx = (box.x + box.width / 2) * image.width;
  const cy = (box.y + box.height / 2) * image.height;
  const side = Math.max(box.width * image.width, box.height * image.height) * scale;
  const x0 = Math.max(0, Math.floor(cx - side / 2));
  const y0 = Math.max(0, Math.floor(cy - side / 2));
  const x1 = Math.min(image.width, Math.ceil(cx + side / 2));
  const y1 = Math.min(image.height, Math.ceil(cy + side / 2));
  // Even sizes keep every ffmpeg pixel format happy.
  const width = Math.max(2, (x1 - x0) & ~1);
  const height = Math.max(2, (y1 - y0) & ~1);
  const out = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y += 1) {
    const from = ((y0 + y) * image.width + x0) * 3;
    out.set(image.rgb.subarray(from, from + width * 3), y * width * 3);
  }
  return { rgb: out, width, height };
}

/**
 * Resolves the JPEG bytes of the image. Rejects (with ffmpeg's last stderr line) when ffmpeg is
 * missing or fails, or after `timeoutMs`. Not retried.
 */
export function encodeJpeg(image: RgbImage, options: { ffmpegPath?: string; quality?: number; timeoutMs?: number } = {}): Promise<Buffer> {
  const ffmpeg = options.ffmpegPath ?? defaultFfmpegPath();
  if (image.rgb.length !== image.width * image.height * 3) return Promise.reject(new Error('encodeJpeg: the pixel buffer does not match width x height x 3'));
  return new Promise((resolve, reject) => {
    const child = spawn(
      ffmpeg,
      ['-hide_banner', '-loglevel', 'error', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${image.width}x${image.height}`, '-i', 'pipe:0',
        '-frames:v', '1', '-q:v', String(options.quality ?? 3), '-f', 'image2pipe', '-c:v', 'mjpeg', 'pipe:1'],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    const chunks: Buffer[] = [];
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('encodeJpeg: ffmpeg timed out'));
    }, options.timeoutMs ?? 10000);
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-500);
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`encodeJpeg: cannot run ffmpeg (${error.message})`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const jpeg = Buffer.concat(chunks);
      if (code === 0 && jpeg.length > 4 && jpeg[0] === 0xff && jpeg[1] === 0xd8) resolve(jpeg);
      else reject(new Error(`encodeJpeg: ffmpeg exited with ${code}: ${stderr.trim().split('\n').pop() ?? ''}`));
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(Buffer.from(image.rgb.buffer, image.rgb.byteOffset, image.rgb.byteLength));
  });
}

/** The data URL form HotelMate's register-face endpoint takes. */
export function toJpegDataUrl(jpeg: Buffer): string {
  return `data:image/jpeg;base64,${jpeg.toString('base64')}`;
}
