/**
 * Registers a face enrolled at this kiosk with HotelMate (`register-face`, image + encoding +
 * consent), or queues it while offline. A queued registration keeps its image and descriptor
 * encrypted (AES-256-GCM, key in the secret store) and is retried when the kiosk is back online.
 */
import type { WritableDB } from '../db/database';
import type { Clock } from '../lib/clock';
import type { HotelMateClient } from '../hotelmate/client';
import { createDescriptorCipher, descriptorKeyFromHex } from '../ledger/descriptor-cipher';
import type { Logger } from '../logging/logger';
import type { SecretStore } from '../secrets/secret-store';

const META_KEY = 'enrol.pending_registrations';
const KEY_SECRET = 'registration-key';

export interface FaceRegistrar {
  register(staffId: number, descriptor: Float32Array, jpegDataUrl: string): Promise<{ registered: boolean; queued: boolean }>;
  /** Sends queued registrations; resolves with how many are still waiting. */
  retryPending(): Promise<number>;
  pending(): number[];
}

export interface FaceRegistrarOptions {
  db: WritableDB;
  logger: Logger;
  clock: Clock;
  /** The current HotelMate client, or null while the kiosk is not configured. */
  client: () => HotelMateClient | null;
  secrets: SecretStore;
}

export function createFaceRegistrar(options: FaceRegistrarOptions): FaceRegistrar {
  const log = options.logger.child('enrol');
  const key = descriptorKeyFromHex(options.secrets.get(KEY_SECRET));
  if (key.created) options.secrets.set(KEY_SECRET, key.hex);
  const cipher = createDescriptorCipher(key.key);
  const read = options.db.prepare<[string], { value: string }>('SELECT value FROM kiosk_meta WHERE key = ?');
  const write = options.db.prepare<[string, string, string]>(
    'INSERT INTO kiosk_meta (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
  );
  const load = (): Record<string, string> => {
    try {
      return JSON.parse(read.get(META_KEY)?.value ?? '{}') as Record<string, string>;
    } catch {
      return {};
    }
  };
  const save = (queue: Record<string, string>): void => {
    write.run(META_KEY, JSON.stringify(queue), options.clock.now().toISOString());
  };

  /** One attempt; 'retry' for transport failures and 5xx, 'failed' for a definite refusal. */
  const send = async (staffId: number, descriptor: number[], image: string): Promise<'registered' | 'retry' | 'failed'> => {
    const client = options.client();
    if (!client) return 'retry';
    const outcome = await client.registerFace({ staff_id: staffId, encoding: descriptor, image, consent_given: true });
    if (outcome.ok) return 'registered';
    if (outcome.kind === 'network' || outcome.kind === 'timeout' || (outcome.kind === 'http' && outcome.status >= 500)) return 'retry';
    log.warn('HotelMate refused the face registration', { staffId, status: 'status' in outcome ? outcome.status : null, reason: outcome.message });
    return 'failed';
  };

  return {
    async register(staffId, descriptor, jpegDataUrl) {
      const encoding = Array.from(descriptor);
      const result = await send(staffId, encoding, jpegDataUrl);
      if (result === 'registered') {
        log.info('face registered with HotelMate', { staffId });
        return { registered: true, queued: false };
      }
      if (result === 'failed') return { registered: false, queued: false };
      const queue = load();
      queue[String(staffId)] = cipher.encrypt(Buffer.from(JSON.stringify({ encoding, image: jpegDataUrl }))).toString('base64');
      save(queue);
      log.info('face registration queued until HotelMate is reachable', { staffId });
      return { registered: false, queued: true };
    },
    async retryPending() {
      const queue = load();
      for (const [staffIdText, sealed] of Object.entries(queue)) {
        let payload: { encoding: number[]; image: string };
        try {
          payload = JSON.parse(cipher.decrypt(Buffer.from(sealed, 'base64')).toString('utf8')) as typeof payload;
        } catch {
          log.error('a queued face registration could not be decrypted and was dropped; enrol the person again', { staffId: staffIdText });
          delete queue[staffIdText];
          continue;
        }
        const result = await send(Number(staffIdText), payload.encoding, payload.image);
        if (result === 'retry') break;
        delete queue[staffIdText];
        if (result === 'registered') log.info('queued face registration sent', { staffId: staffIdText });
      }
      save(queue);
      return Object.keys(queue).length;
    },
    pending: () => Object.keys(load()).map(Number),
  };
}
