/**
 * Test/bench helper: decodes the shared real face photos to RGB24 with the bundled ffmpeg, and
 * fails loudly when the photo folder is missing (it must never be skipped silently).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import type { RgbFrame } from '../../../../src/main/face/pipeline/types';

/** The shared photo folder (../shared/data/faces next to the repo, or FACES_DIR). */
export const FACES_DIR = process.env.FACES_DIR ?? resolve(__dirname, '../../../../../shared/data/faces');

export interface LabelledPhoto {
  file: string;
  identity: string;
}

/** The photos listed in labels.csv; throws a clear error when the folder is missing. */
export function listPhotos(): LabelledPhoto[] {
  const labels = join(FACES_DIR, 'labels.csv');
  if (!existsSync(labels)) {
    throw new Error(
      `The shared face photos are missing: expected ${labels} (the ../shared/data/faces folder next to the repo, or set FACES_DIR). ` +
        'These tests need the real photos and cannot run without them.',
    );
  }
  return readFileSync(labels, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [file, identity] = line.split(',');
      return { file, identity };
    });
}

/** Decodes a photo (JPEG, or whatever ffmpeg reads: one "jpg" is really WebP) at its own size to RGB24. */
export function decodePhoto(file: string): RgbFrame {
  const path = join(FACES_DIR, file);
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
  const path = join(FACES_DIR, file);
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
  for (const f of files) args.push('-i', join(FACES_DIR, f));
  args.push('-filter_complex', filterComplex, '-map', '[out]', '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-');
  const rgb = execFileSync(ffmpegInstaller.path, args, { maxBuffer: 64 * 1024 * 1024 });
  if (rgb.length !== width * height * 3) throw new Error(`composeFrame: ${rgb.length} bytes, expected ${width}x${height}x3`);
  return { rgb: new Uint8Array(rgb.buffer, rgb.byteOffset, rgb.length), width, height };
}
