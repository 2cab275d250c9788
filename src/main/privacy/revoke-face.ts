/**
 * Revoking a staff member's face: their templates leave this kiosk at once, and HotelMate is told to
 * deactivate the face too; when the server cannot be reached the revocation is remembered (kiosk_meta)
 * and retried after the next reconnect, so going offline never keeps a face alive on the server.
 */
import type { WritableDB } from '../db/database';
import type { Clock } from '../lib/clock';
import type { TemplateStore } from '../face/template-store';
import { type Logger, toLogFormat } from '../logging/logger';

/** What the server said: revoked, or it had no active face for the person (both are final). */
export type ServerRevokeOutcome = 'revoked' | 'not_registered';

export interface RevokeFaceOptions {
  db: WritableDB;
  clock: Clock;
  logger: Logger;
  templates: Pick<TemplateStore, 'remove' | 'list'>;
  /**
   * Asks HotelMate to revoke the person's face (`face-management/revoke-face`). Resolves with the
   * outcome; rejects when the server is unreachable or answers with a transient error.
   */
  revokeOnServer: (staffId: number) => Promise<ServerRevokeOutcome>;
}

export interface RevokeFaceResult {
  staffId: number;
  /** Templates deleted on this kiosk. */
  localTemplatesRemoved: number;
  server: ServerRevokeOutcome | 'queued';
}

export interface FaceRevoker {
  /** Deletes locally (always), then revokes on the server or queues it. Never rejects for a network problem. */
  revoke(staffId: number): Promise<RevokeFaceResult>;
  /** Retries queued server revocations (call after a reconnect). Resolves with how many are still pending. */
  retryPending(): Promise<number>;
  pending(): number[];
}

const META_KEY = 'privacy.pending_face_revocations';

/** Creates the revoker; pending revocations persist across restarts. */
export function createFaceRevoker(options: RevokeFaceOptions): FaceRevoker {
  const log = options.logger.child('privacy');
  const read = options.db.prepare<[string], { value: string }>('SELECT value FROM kiosk_meta WHERE key = ?');
  const write = options.db.prepare<[string, string, string]>(
    'INSERT INTO kiosk_meta (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
  );

  const pending = (): number[] => {
    const raw = read.get(META_KEY)?.value;
    if (!raw) return [];
    try {
      const parsed = JSON.parse(raw) as unknown;
      return Array.isArray(parsed) ? parsed.filter((n): n is number => Number.isInteger(n) && n > 0) : [];
    } catch {
      log.error('pending face revocations record is damaged; starting a new list', {});
      return [];
    }
  };
  const save = (ids: number[]): void => void write.run(META_KEY, JSON.stringify([...new Set(ids)]), options.clock.now().toISOString());

  const tryServer = async (staffId: number): Promise<ServerRevokeOutcome | null> => {
    try {
      return await options.revokeOnServer(staffId);
    } catch (error) {
      log.warn('could not revoke the face on HotelMate; queued for retry', { staffId, error: toLogFormat(error) });
      return null;
    }
  };

  return {
    pending,
    async revoke(staffId) {
      const before = options.templates.list().find((p) => p.staffId === staffId)?.templates ?? 0;
      options.templates.remove(staffId);
      log.info('face templates deleted on this kiosk', { staffId, templates: before });
      const outcome = await tryServer(staffId);
      if (outcome === null) {
        save([...pending(), staffId]);
        return { staffId, localTemplatesRemoved: before, server: 'queued' };
      }
      save(pending().filter((id) => id !== staffId));
      log.info('face revoked on HotelMate', { staffId, outcome });
      return { staffId, localTemplatesRemoved: before, server: outcome };
    },
    async retryPending() {
      const done = new Set<number>();
      for (const staffId of pending()) {
        const outcome = await tryServer(staffId);
        if (outcome === null) continue;
        done.add(staffId);
        log.info('queued face revocation done', { staffId, outcome });
      }
      // Re-read: a revocation queued while this ran must not be lost.
      const still = pending().filter((id) => !done.has(id));
      save(still);
      return still.length;
    },
  };
}
