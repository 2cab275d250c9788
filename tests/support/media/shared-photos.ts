/**
 * Where the shared real face photos are (`HOTELMATE_FACES_DIR`, else `../shared/data/faces` beside
 * the repository) and what labels.csv says of them. Tests that need them fail with a clear message
 * when they are missing; they are never skipped silently.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface LabelledPhoto {
  /** File name inside the photo folder. */
  file: string;
  /** `person-a` ... `person-f`, or `multi-face` for the group photos. */
  identity: string;
}

/** The shared photo folder; throws a clear Error when the photos are not there. */
export function facesDir(): string {
  const candidates: string[] = [];
  if (process.env.HOTELMATE_FACES_DIR) candidates.push(process.env.HOTELMATE_FACES_DIR);
  candidates.push(path.resolve(__dirname, '../../../../shared/data/faces'));
  let dir = process.cwd();
  for (let i = 0; i < 6; i += 1) {
    candidates.push(path.join(dir, '..', 'shared', 'data', 'faces'));
    dir = path.dirname(dir);
  }
  for (const candidate of candidates) {
    if (fs.existsSync(path.join(candidate, 'labels.csv'))) return path.resolve(candidate);
  }
  throw new Error(
    `The shared face photos are missing (looked for shared/data/faces/labels.csv beside the repo; set HOTELMATE_FACES_DIR). These tests need the real photos. Tried: ${candidates.slice(0, 3).join(', ')}`,
  );
}

/** The photos listed in labels.csv. */
export function listPhotos(): LabelledPhoto[] {
  return fs
    .readFileSync(path.join(facesDir(), 'labels.csv'), 'utf8')
    .split(/\r?\n/)
    .slice(1)
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .map((line) => {
      const [file, identity] = line.split(',');
      return { file: file ?? '', identity: identity ?? '' };
    });
}
