/**
 * The kiosk's one format for data encrypted at rest (face templates and live template candidates, the
 * live descriptor of a queued punch, a punch's audit snapshot, the payload of a queued job): AES-256-GCM with a random nonce, a version byte, and
 * authenticated data naming the purpose and the row, so a ciphertext copied into another row or
 * used for another purpose fails to decrypt instead of yielding someone else's face.
 *
 * Layout: version (1 byte, 2) | nonce (12) | ciphertext | tag (16).
 * Version 1 (templates, AAD = staff id only) and the unversioned descriptor format are read only by
 * the ciphertext migration (src/main/upgrade/ciphertext-migration.ts).
 */
import crypto from 'node:crypto';

export const CIPHER_VERSION = 2;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** Bytes a sealed value adds to its plaintext. */
export const SEAL_OVERHEAD_BYTES = 1 + NONCE_BYTES + TAG_BYTES;

/** What a ciphertext is for; part of the authenticated data. */
export type CipherPurpose = 'face-template' | 'live-candidate' | 'punch-descriptor' | 'job-payload' | 'audit-snapshot';

/** The purpose and the row a ciphertext belongs to (e.g. a template id, a punch's event id). */
export interface CipherBinding {
  purpose: CipherPurpose;
  row: string;
}

/** The value was not sealed with this key for this purpose and row, or was damaged. */
export class CipherError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CipherError';
  }
}

export interface Cipher {
  seal(plain: Uint8Array, binding: CipherBinding): Buffer;
  /** Throws CipherError when the value is not a version-2 seal of this key, purpose and row. */
  open(sealed: Uint8Array, binding: CipherBinding): Buffer;
}

/** The bindings of the kiosk's ciphertexts: one function per purpose, so the row naming is written once. */
export const bindings = {
  /** A face template: its row and its person (moved to another row or person, it does not open). */
  faceTemplate: (templateId: number, staffId: number): CipherBinding => ({ purpose: 'face-template', row: `${templateId}/staff/${staffId}` }),
  /** A live template candidate: its punch and its person (waiting for the punch to settle). */
  liveCandidate: (eventId: string, staffId: number): CipherBinding => ({ purpose: 'live-candidate', row: `${eventId}/staff/${staffId}` }),
  /** The live descriptor kept with a punch. */
  punchDescriptor: (eventId: string): CipherBinding => ({ purpose: 'punch-descriptor', row: eventId }),
  /** The audit snapshot (JPEG of the face) kept with a punch. */
  auditSnapshot: (eventId: string): CipherBinding => ({ purpose: 'audit-snapshot', row: eventId }),
  /** The payload of a queued job. */
  jobPayload: (jobId: string): CipherBinding => ({ purpose: 'job-payload', row: jobId }),
};

/** The authenticated data of a binding. */
function aad(binding: CipherBinding): Buffer {
  return Buffer.from(`hotelmate-kiosk/v${CIPHER_VERSION}/${binding.purpose}/${binding.row}`, 'utf8');
}

/** Creates the cipher over a 32-byte key (see ./keys.ts). */
export function createCipher(key: Uint8Array): Cipher {
  if (key.byteLength !== 32) throw new Error(`an AES-256 key must be 32 bytes, got ${key.byteLength}`);
  const keyBuffer = Buffer.from(key);
  return {
    seal(plain, binding) {
      const nonce = crypto.randomBytes(NONCE_BYTES);
      const cipher = crypto.createCipheriv('aes-256-gcm', keyBuffer, nonce);
      cipher.setAAD(aad(binding));
      const body = Buffer.concat([cipher.update(plain), cipher.final()]);
      return Buffer.concat([Buffer.from([CIPHER_VERSION]), nonce, body, cipher.getAuthTag()]);
    },
    open(sealed, binding) {
      if (sealed.byteLength < SEAL_OVERHEAD_BYTES || sealed[0] !== CIPHER_VERSION) {
        throw new CipherError(`not a version-${CIPHER_VERSION} ciphertext`);
      }
      const blob = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
      const decipher = crypto.createDecipheriv('aes-256-gcm', keyBuffer, blob.subarray(1, 1 + NONCE_BYTES));
      decipher.setAAD(aad(binding));
      decipher.setAuthTag(blob.subarray(blob.length - TAG_BYTES));
      try {
        return Buffer.concat([decipher.update(blob.subarray(1 + NONCE_BYTES, blob.length - TAG_BYTES)), decipher.final()]);
      } catch {
        throw new CipherError(`the ${binding.purpose} ciphertext does not belong to this key and row (wrong key, or moved from another row)`);
      }
    },
  };
}

/** Length of a face descriptor (face-api.js-compatible 128-d float32). */
export const DESCRIPTOR_FLOATS = 128;
/** Bytes of a sealed descriptor: the fixed size the tables check. */
export const SEALED_DESCRIPTOR_BYTES = DESCRIPTOR_FLOATS * 4 + SEAL_OVERHEAD_BYTES;

/** Seals a 128-d descriptor. */
export function sealDescriptor(cipher: Cipher, descriptor: Float32Array, binding: CipherBinding): Buffer {
  if (descriptor.length !== DESCRIPTOR_FLOATS) throw new Error(`a descriptor has ${DESCRIPTOR_FLOATS} values, got ${descriptor.length}`);
  return cipher.seal(new Uint8Array(descriptor.buffer, descriptor.byteOffset, descriptor.byteLength), binding);
}

/** Opens a sealed 128-d descriptor; throws CipherError when it does not open or has the wrong size. */
export function openDescriptor(cipher: Cipher, sealed: Uint8Array, binding: CipherBinding): Float32Array {
  return descriptorFromBytes(cipher.open(sealed, binding));
}

/** A descriptor from its 512 raw bytes (a copy, aligned). */
export function descriptorFromBytes(plain: Uint8Array): Float32Array {
  if (plain.byteLength !== DESCRIPTOR_FLOATS * 4) throw new CipherError(`a descriptor is ${DESCRIPTOR_FLOATS * 4} bytes, got ${plain.byteLength}`);
  const out = new Float32Array(DESCRIPTOR_FLOATS);
  new Uint8Array(out.buffer).set(plain);
  return out;
}
