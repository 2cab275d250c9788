/**
 * Test/bench helper: the shared spoof and real photos (`HOTELMATE_SPOOF_DIR`, else
 * `../shared/data/spoof` beside the repository) and their labels.csv, for the anti-spoof tests and
 * bench/liveness.bench.ts. Read only; nothing from there is ever copied into the repository.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { RgbFrame } from '../../../../src/main/face/pipeline/types';
import { decodeImageFile } from '../../../support/media/photos';

/** One labelled photo of a spoof-data folder. */
export interface SpoofPhoto {
  folder: string;
  file: string;
  path: string;
  label: 'real' | 'spoof';
  /** labels.csv's attack type ('' for real faces, and for real ones the capture note). */
  attackType: string;
}

/** The spoof-data folder, or null when it is not there (callers skip with a message saying so). */
export function spoofDir(): string | null {
  const candidates: string[] = [];
  if (process.env.HOTELMATE_SPOOF_DIR) candidates.push(process.env.HOTELMATE_SPOOF_DIR);
  // Beside the repository, or beside a folder above it (a git worktree under the main checkout's parent).
  for (let dir = path.resolve(__dirname, '../../../..'), i = 0; i < 4; i += 1, dir = path.dirname(dir)) candidates.push(path.join(dir, '..', 'shared', 'data', 'spoof'));
  for (const candidate of candidates) if (fs.existsSync(path.join(candidate, 'README.md'))) return path.resolve(candidate);
  return null;
}

/** Why spoof-data tests are skipped, for the skip message. */
export const SPOOF_DATA_MISSING = 'shared spoof photos missing (../shared/data/spoof beside the repository, or HOTELMATE_SPOOF_DIR): anti-spoof photo checks skipped';

/** Splits one CSV line with RFC 4180 quoting (labels.csv quotes fields that contain commas). */
export function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else field += ch;
  }
  fields.push(field);
  return fields;
}

/** The labelled photos of one folder (labels.csv: file,label,attack_type,...). Throws when the folder is missing. */
export function listSpoofPhotos(folder: string, dir = spoofDir()): SpoofPhoto[] {
  if (!dir) throw new Error(SPOOF_DATA_MISSING);
  const csv = fs.readFileSync(path.join(dir, folder, 'labels.csv'), 'utf8');
  return csv
    .split(/\r?\n/)
    .slice(1)
    .filter((line) => line.trim().length > 0)
    .map((line) => {
      const [file = '', label = '', attackType = ''] = splitCsvLine(line);
      if (label !== 'real' && label !== 'spoof') throw new Error(`${folder}/labels.csv: ${file} has label "${label}"`);
      return { folder, file, path: path.join(dir, folder, file), label, attackType };
    });
}

/** The photo folders of the spoof data (each with labels.csv). */
export function spoofFolders(dir = spoofDir()): string[] {
  if (!dir) throw new Error(SPOOF_DATA_MISSING);
  return fs
    .readdirSync(dir)
    .filter((name) => fs.existsSync(path.join(dir, name, 'labels.csv')))
    .sort();
}

/**
 * The EXIF orientation of a JPEG (1 = as stored, 3 = upside down, 6 = rotate 90 degrees clockwise
 * to view, 8 = 90 counter-clockwise), 1 when it has none. ffmpeg ignores it; OpenCV and cameras'
 * viewers apply it, and upstream's samples are stored sideways with orientation 6.
 */
export function exifOrientation(jpeg: Uint8Array): number {
  const view = new DataView(jpeg.buffer, jpeg.byteOffset, jpeg.byteLength);
  if (jpeg.length < 4 || view.getUint16(0) !== 0xffd8) return 1;
  for (let at = 2; at + 4 <= jpeg.length; ) {
    const marker = view.getUint16(at);
    const length = view.getUint16(at + 2);
    if ((marker & 0xff00) !== 0xff00 || marker === 0xffda) return 1; // not a marker, or image data starts
    const exif = at + 4;
    if (marker === 0xffe1 && new TextDecoder('latin1').decode(jpeg.subarray(exif, exif + 4)) === 'Exif') {
      const tiff = exif + 6;
      const little = view.getUint16(tiff) === 0x4949;
      const ifd = tiff + view.getUint32(tiff + 4, little);
      const entries = view.getUint16(ifd, little);
      for (let i = 0; i < entries; i++) {
        const entry = ifd + 2 + i * 12;
        if (view.getUint16(entry, little) === 0x0112) return view.getUint16(entry + 8, little);
      }
      return 1;
    }
    at += 2 + length;
  }
  return 1;
}

/** Turns an RGB frame by 1, 2 or 3 quarter turns clockwise. */
function rotate(frame: RgbFrame, quarterTurns: 1 | 2 | 3): RgbFrame {
  const { width, height, rgb } = frame;
  const outWidth = quarterTurns === 2 ? width : height;
  const outHeight = quarterTurns === 2 ? height : width;
  const out = new Uint8Array(rgb.length);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const [nx, ny] = quarterTurns === 1 ? [height - 1 - y, x] : quarterTurns === 2 ? [width - 1 - x, height - 1 - y] : [y, width - 1 - x];
      out.set(rgb.subarray((y * width + x) * 3, (y * width + x) * 3 + 3), (ny * outWidth + nx) * 3);
    }
  return { rgb: out, width: outWidth, height: outHeight };
}

/** Decodes a spoof-data photo upright, as a camera would have delivered it (EXIF orientation applied). */
export function decodeUpright(photo: Pick<SpoofPhoto, 'path'>): RgbFrame {
  const frame = decodeImageFile(photo.path);
  const orientation = exifOrientation(fs.readFileSync(photo.path));
  return orientation === 6 ? rotate(frame, 1) : orientation === 3 ? rotate(frame, 2) : orientation === 8 ? rotate(frame, 3) : frame;
}
