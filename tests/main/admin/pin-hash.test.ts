import { describe, expect, it } from 'vitest';
import { DEFAULT_SCRYPT_PARAMS, hashPin, parsePinHash, verifyPin } from '../../../src/main/admin/pin-hash';

describe('PIN hashing', () => {
  it('stores a salted scrypt hash with the real cost and verifies only the right PIN', async () => {
    const hash = await hashPin('482913');
    expect(hash).toMatch(/^scrypt\$131072\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(hash).not.toContain('482913');
    expect(parsePinHash(hash)?.params).toEqual(DEFAULT_SCRYPT_PARAMS);
    expect(await verifyPin('482913', hash)).toBe(true);
    expect(await verifyPin('482914', hash)).toBe(false);
  });

  it('salts: the same PIN hashes differently each time', async () => {
    const params = { N: 1024, r: 8, p: 1 };
    const [a, b] = await Promise.all([hashPin('135790', params), hashPin('135790', params)]);
    expect(a).not.toBe(b);
    expect(await verifyPin('135790', a)).toBe(true);
    expect(await verifyPin('135790', b)).toBe(true);
  });

  it('refuses malformed or tampered hashes instead of throwing', async () => {
    const good = await hashPin('135790', { N: 1024, r: 8, p: 1 });
    const parts = good.split('$');
    expect(await verifyPin('135790', 'plain-135790')).toBe(false);
    expect(await verifyPin('135790', '')).toBe(false);
    // a cost of 2^30 from a tampered config would freeze the kiosk: refused
    expect(await verifyPin('135790', ['scrypt', 2 ** 30, 8, 1, parts[4], parts[5]].join('$'))).toBe(false);
    // not a power of two
    expect(await verifyPin('135790', ['scrypt', 1000, 8, 1, parts[4], parts[5]].join('$'))).toBe(false);
    // a flipped hash byte
    const key = Buffer.from(parts[5] ?? '', 'base64');
    key[0] = (key[0] ?? 0) ^ 1;
    expect(await verifyPin('135790', [...parts.slice(0, 5), key.toString('base64')].join('$'))).toBe(false);
  });
});
