/**
 * Seals the live face descriptor kept with a queued punch, so the punch can be re-sent with the same
 * encoding after a restart without leaving biometrics readable on disk. It uses the kiosk's one
 * cipher format (secrets/cipher.ts) bound to the punch's event id, with the punch descriptor key
 * (`ledger-descriptor-key`, secrets/keys.ts), not the face template key.
 */
import { bindings, createCipher, openDescriptor, sealDescriptor } from '../secrets/cipher';

export interface DescriptorCipher {
  /** Seals a 128-d descriptor for the punch `eventId`. */
  seal(descriptor: Float32Array, eventId: string): Buffer;
  /** Throws CipherError when the value was not sealed with this key for this punch, or was tampered with. */
  open(sealed: Buffer, eventId: string): Float32Array;
}

/** Creates the descriptor cipher over the 32-byte punch descriptor key. */
export function createDescriptorCipher(key: Uint8Array): DescriptorCipher {
  const cipher = createCipher(key);
  return {
    seal: (descriptor, eventId) => sealDescriptor(cipher, descriptor, bindings.punchDescriptor(eventId)),
    open: (sealed, eventId) => openDescriptor(cipher, sealed, bindings.punchDescriptor(eventId)),
  };
}
