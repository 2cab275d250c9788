/**
 * The way out when the face template key is lost (secrets.json damaged or deleted) and no template
 * can be opened any more: the sealed templates are written to a file beside the database
 * (`face-templates.corrupt-<time>.json`, still encrypted, for the day the key is found) and only
 * then removed from `face_templates` (with the live template candidates sealed with the same key),
 * so staff can enrol again. Consent records stay.
 */
import path from 'node:path';
import { type DurableFs, corruptName, nodeDurableFs, writeFileDurably } from '../lib/durable-file';
import { type WritableDB, transaction } from './database';
import { deleteAllCandidates } from './live-candidates';
import { command, query } from './statements';

interface SetAsideRow {
  id: number;
  staff_id: number;
  descriptor: Buffer;
  source: string;
  quality: number;
  model: string;
  registered_with_server: number;
  created_at: string;
}

const selectEverything = query<[], SetAsideRow>(
  'SELECT id, staff_id, descriptor, source, quality, model, registered_with_server, created_at FROM face_templates ORDER BY id',
);
const deleteEverything = command<[]>('DELETE FROM face_templates');

/**
 * Writes every template (sealed, as stored) to `<dataDir>/face-templates.corrupt-<time>.json`
 * durably, then deletes them in one transaction. Returns the file and how many were set aside;
 * throws (deleting nothing) when the file cannot be written.
 */
export function setAsideTemplates(db: WritableDB, dataDir: string, at: Date, fsLayer: DurableFs = nodeDurableFs): { file: string; count: number } {
  const rows = selectEverything(db).all();
  const file = corruptName(path.join(dataDir, 'face-templates'), at) + '.json';
  const records = rows.map((row) => ({
    id: row.id,
    staffId: row.staff_id,
    sealed: row.descriptor.toString('base64'),
    source: row.source,
    quality: row.quality,
    model: row.model,
    registeredWithServer: row.registered_with_server,
    createdAt: row.created_at,
  }));
  writeFileDurably(file, JSON.stringify({ note: 'face templates sealed with a lost key (secrets/cipher.ts format, bound to id and staffId)', templates: records }), { fs: fsLayer });
  transaction(db, () => {
    deleteEverything(db).run();
    // The waiting live template candidates were sealed with the same lost key: nothing can open them.
    deleteAllCandidates(db);
  });
  return { file, count: rows.length };
}
