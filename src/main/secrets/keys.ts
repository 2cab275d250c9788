/**
 * The kiosk's encryption keys: their names in the SecretStore (so the OS keychain protects them) and
 * the one place a key is created. Each purpose has its own random 256-bit key, stored as 64 hex
 * characters; the format they encrypt is ./cipher.ts.
 */
import crypto from 'node:crypto';
import type { Logger } from '../logging/logger';
import type { SecretStore } from './secret-store';

/** SecretStore names of the keys, by what they protect. */
export const KEY_NAMES = {
  /** Face templates in `face_templates`. */
  faceTemplates: 'template-key',
  /** The live descriptor kept with a queued punch (`ledger_events.descriptor`). */
  punchDescriptors: 'ledger-descriptor-key',
  /** Payloads of queued jobs (`jobs.payload`); named after its first use, queued face registrations. */
  jobPayloads: 'registration-key',
} as const;

export type KeyRole = keyof typeof KEY_NAMES;

const KEY_LABELS: Record<KeyRole, string> = {
  faceTemplates: 'face template key',
  punchDescriptors: 'punch descriptor key',
  jobPayloads: 'job payload key',
};

const HEX_KEY = /^[0-9a-f]{64}$/i;

/** The stored key, or null when it is missing or not a 256-bit hex key. */
export function readKey(secrets: SecretStore, role: KeyRole): Buffer | null {
  const stored = secrets.get(KEY_NAMES[role]);
  return stored && HEX_KEY.test(stored) ? Buffer.from(stored, 'hex') : null;
}

export interface LoadKeyOptions {
  logger?: Logger;
  /**
   * Data already encrypted with this key. When there is some and the key is missing, no new key is
   * made (it could never open that data): loading throws and the data stays untouched.
   */
  existing?: { count: number; what: string; remedy: string };
}

/**
 * Returns the key, creating and storing a new random one when none is stored. Throws when the key is
 * missing but `existing` data needs it.
 */
export function loadOrCreateKey(secrets: SecretStore, role: KeyRole, options: LoadKeyOptions = {}): Buffer {
  const stored = readKey(secrets, role);
  if (stored) return stored;
  const existing = options.existing;
  if (existing && existing.count > 0) {
    throw new Error(
      `The ${KEY_LABELS[role]} is missing from the secret store (${KEY_NAMES[role]}) but ${existing.count} encrypted ${existing.what} exist; they were left untouched. ${existing.remedy}`,
    );
  }
  const key = crypto.randomBytes(32);
  secrets.set(KEY_NAMES[role], key.toString('hex'));
  options.logger?.info(`generated a new ${KEY_LABELS[role]}`, { name: KEY_NAMES[role] });
  return key;
}
