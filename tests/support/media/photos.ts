/**
 * Test/bench helper: decodes the shared real face photos to RGB24 with the bundled ffmpeg (the
 * folder is found by shared-photos.ts, which fails loudly when it is missing).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { basename, join } from 'node:path';
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import type { RgbFrame } from '../../../src/main/face/pipeline/types';
import { facesDir } from './shared-photos';

export type { LabelledPhoto } from './shared-photos';
export { listPhotos } from './shared-photos';

/** Decodes a photo (JPEG, or whatever ffmpeg reads: one "jpg" is really WebP) at its own size to RGB24. */
export function decodePhoto(file: string): RgbFrame {
  return decodeImageFile(join(facesDir(), file));
}

/** Decodes any image file ffmpeg reads at its own size to RGB24 (errors name the file). */
export function decodeImageFile(path: string): RgbFrame {
  const file = basename(path);
  const result = spawnSync(ffmpegInstaller.path, ['-hide_banner', '-i', path, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], {
    maxBuffer: 256 * 1024 * 1024,
  });
  const info = result.stderr.toString();
  const size = /Stream #.*Video: .*?(\d{2,5})x(\d{2,5})/.exec(info);
  if (result.status !== 0 || !size) throw new Error(`${file}: ffmpeg could not decode it: ${info.slice(-300)}`);
  const width = Number(size[1]);
  const height = Number(size[2]);
  const rgb = result.stdout;
  if (rgb.length !== width * height * 3) throw new Error(`${file}: decoded ${rgb.length} bytes, expected ${width}x${height}x3`);
  return { rgb: new Uint8Array(rgb.buffer, rgb.byteOffset, rgb.length), width, height };
}

/** Decodes a photo scaled to fit width x height, letterboxed in black (like a camera frame). */
export function decodePhotoAsFrame(file: string, width = 640, height = 480): RgbFrame {
  const path = join(facesDir(), file);
  const vf = `scale=${width}:${height}:force_original_aspect_ratio=decrease,pad=${width}:${height}:(ow-iw)/2:(oh-ih)/2`;
  const rgb = execFileSync(ffmpegInstaller.path, ['-v', 'error', '-i', path, '-vf', vf, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], {
    maxBuffer: 64 * 1024 * 1024,
  });
  if (rgb.length !== width * height * 3) throw new Error(`${file}: decoded ${rgb.length} bytes, expected ${width}x${height}x3`);
  return { rgb: new Uint8Array(rgb.buffer, rgb.byteOffset, rgb.length), width, height };
}

/**
 * Builds one width x height RGB24 frame from photos with an ffmpeg filter graph whose output pad
 * is [out] (inputs are [0:v], [1:v] ... in the order given).
 */
export function composeFrame(files: string[], filterComplex: string, width = 640, height = 480): RgbFrame {
  const args = ['-v', 'error'];
  for (const f of files) args.push('-i', join(facesDir(), f));
  args.push('-filter_complex', filterComplex, '-map', '[out]', '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-');
  const rgb = execFileSync(ffmpegInstaller.path, args, { maxBuffer: 64 * 1024 * 1024 });
  if (rgb.length !== width * height * 3) throw new Error(`composeFrame: ${rgb.length} bytes, expected ${width}x${height}x3`);
  return { rgb: new Uint8Array(rgb.buffer, rgb.byteOffset, rgb.length), width, height };
}
