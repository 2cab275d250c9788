/** The one cipher format: versioned AES-256-GCM whose authenticated data names the purpose and the row. */
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CipherError, SEALED_DESCRIPTOR_BYTES, bindings, createCipher, openDescriptor, sealDescriptor } from '../../../src/main/secrets/cipher';

const key = crypto.randomBytes(32);
const descriptor = Float32Array.from({ length: 128 }, (_, i) => Math.cos(i) * 0.1);

describe('cipher', () => {
  it('seals with a version byte and a fresh nonce, and opens to the same bytes', () => {
    const cipher = createCipher(key);
    const a = cipher.seal(Buffer.from('hello'), bindings.jobPayload('job-1'));
    const b = cipher.seal(Buffer.from('hello'), bindings.jobPayload('job-1'));
    expect(a[0]).toBe(2);
    expect(a.equals(b)).toBe(false);
    expect(a.includes(Buffer.from('hello'))).toBe(false);
    expect(cipher.open(a, bindings.jobPayload('job-1')).toString()).toBe('hello');
  });

  it('a ciphertext does not open in another row, for another purpose, with another key, or when tampered with', () => {
    const cipher = createCipher(key);
    const sealed = sealDescriptor(cipher, descriptor, bindings.faceTemplate(1, 7));
    expect(sealed.length).toBe(SEALED_DESCRIPTOR_BYTES);
    expect(Array.from(openDescriptor(cipher, sealed, bindings.faceTemplate(1, 7)))).toEqual(Array.from(descriptor));
    expect(() => openDescriptor(cipher, sealed, bindings.faceTemplate(2, 7))).toThrow(CipherError); // another row
    expect(() => openDescriptor(cipher, sealed, bindings.faceTemplate(1, 8))).toThrow(CipherError); // another person
    expect(() => cipher.open(sealed, { purpose: 'punch-descriptor', row: '1/staff/7' })).toThrow(CipherError); // another purpose
    expect(() => openDescriptor(createCipher(crypto.randomBytes(32)), sealed, bindings.faceTemplate(1, 7))).toThrow(/wrong key, or moved from another row/);
    const tampered = Buffer.from(sealed);
    tampered[20] = (tampered[20] ?? 0) ^ 1;
    expect(() => openDescriptor(cipher, tampered, bindings.faceTemplate(1, 7))).toThrow(CipherError);
    const otherVersion = Buffer.from(sealed);
    otherVersion[0] = 1;
    expect(() => openDescriptor(cipher, otherVersion, bindings.faceTemplate(1, 7))).toThrow(/not a version-2 ciphertext/);
  });

  it('refuses a key that is not 256 bits', () => {
    expect(() => createCipher(crypto.randomBytes(16))).toThrow(/32 bytes/);
  });
});
