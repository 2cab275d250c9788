/**
 * Queries of `kiosk_meta`: small key/value facts about this kiosk that must survive a restart (the
 * admin PIN lock-out, the ciphertext format). One module, so the upsert is written once.
 */
import type { ReadableDB, WritableDB } from './database';
import { command, query } from './statements';

const selectValue = query<[string], { value: string }>('SELECT value FROM kiosk_meta WHERE key = ?');
const upsertValue = command<[string, string, string]>(
  'INSERT INTO kiosk_meta (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
);
const deleteValue = command<[string]>('DELETE FROM kiosk_meta WHERE key = ?');

/** The stored value, or null when the key was never set. */
export function getMeta(db: ReadableDB, key: string): string | null {
  return selectValue(db).get(key)?.value ?? null;
}

/** Sets a value; `at` is when (wall clock), kept for diagnostics. */
export function setMeta(db: WritableDB, key: string, value: string, at: Date): void {
  upsertValue(db).run(key, value, at.toISOString());
}

export function deleteMeta(db: WritableDB, key: string): void {
  deleteValue(db).run(key);
}
