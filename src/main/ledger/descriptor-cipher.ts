/**
 * Encrypts the live face descriptor kept with a queued punch (AES-256-GCM), so a punch can be
 * re-sent with the same encoding after a restart without leaving biometrics readable on disk.
 * The key is the kiosk's biometric template key from the secret store (OS keychain in Electron).
 */
import crypto from 'node:crypto';

export interface DescriptorCipher {
  encrypt(plain: Buffer): Buffer;
  /** Throws when the data was not written with this key or was tampered with. */
  decrypt(sealed: Buffer): Buffer;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** AES-256-GCM with a random IV per value; layout iv|tag|ciphertext. `key` must be 32 bytes. */
export function createDescriptorCipher(key: Uint8Array): DescriptorCipher {
  if (key.byteLength !== 32) throw new Error(`descriptor key must be 32 bytes, got ${key.byteLength}`);
  const keyBuffer = Buffer.from(key);
  return {
    encrypt(plain) {
      const iv = crypto.randomBytes(IV_BYTES);
      const cipher = crypto.createCipheriv('aes-256-gcm', keyBuffer, iv);
      const body = Buffer.concat([cipher.update(plain), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decrypt(sealed) {
      const iv = sealed.subarray(0, IV_BYTES);
      const tag = sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
      const decipher = crypto.createDecipheriv('aes-256-gcm', keyBuffer, iv);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
    },
  };
}

/** Parses a stored key (64 hex chars) or makes a new random one; returns the key and its hex form. */
export function descriptorKeyFromHex(hex: string | null): { key: Buffer; hex: string; created: boolean } {
  if (hex && /^[0-9a-f]{64}$/i.test(hex)) return { key: Buffer.from(hex, 'hex'), hex, created: false };
  const key = crypto.randomBytes(32);
  return { key, hex: key.toString('hex'), created: true };
}
