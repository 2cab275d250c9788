/**
 * Test/bench helper: the shared spoof and real photos (`HOTELMATE_SPOOF_DIR`, else
 * `../shared/data/spoof` beside the repository) and their labels.csv, for the anti-spoof tests and
 * bench/liveness.bench.ts. Read only; nothing from there is ever copied into the repository.
 */
import fs from 'node:fs';
import path from 'node:path';

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
