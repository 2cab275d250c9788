/** Opens a copy of the database written by the kiosk before the jobs table and the one cipher format (see README.md). */
import fs from 'node:fs';
import path from 'node:path';
import { makeTempDir } from '../temp-dir';

/** The descriptors the fixture was written with. */
export function legacyDescriptor(seed: number): Float32Array {
  return Float32Array.from({ length: 128 }, (_, i) => Math.sin(seed * 131 + i * 0.37) * 0.2);
}

/** The keys the old kiosk held for the fixture, by secret-store name. */
export function legacyKeys(): Record<'template-key' | 'registration-key' | 'ledger-descriptor-key', string> {
  return JSON.parse(fs.readFileSync(path.join(__dirname, 'keys-v4.json'), 'utf8')) as Record<'template-key' | 'registration-key' | 'ledger-descriptor-key', string>;
}

/** Copies the fixture into a temp folder (removed after the test); returns the copy's path. */
export function copyLegacyDatabase(): string {
  const file = path.join(makeTempDir('legacy-db-'), 'kiosk.db');
  fs.copyFileSync(path.join(__dirname, 'kiosk-v4.db'), file);
  return file;
}
