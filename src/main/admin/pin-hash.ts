/**
 * The admin PIN is stored only as a salted scrypt hash (`scrypt$N$r$p$salt$hash`, base64 parts), so
 * a copy of the config file does not give the PIN away cheaply; verification is timing-safe.
 */
import crypto from 'node:crypto';

export interface ScryptParams {
  /** CPU/memory cost, a power of two. */
  N: number;
  r: number;
  p: number;
}

/** ~128 MiB and a few hundred ms per check on kiosk hardware (OWASP's scrypt recommendation). */
export const DEFAULT_SCRYPT_PARAMS: ScryptParams = { N: 2 ** 17, r: 8, p: 1 };
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
/** Refuse absurd parameters from a tampered config (a 2^30 cost would freeze the kiosk). */
const MAX_N = 2 ** 20;

function maxmemFor(params: ScryptParams): number {
  return 128 * params.N * params.r * params.p + 32 * 1024 * 1024;
}

function scrypt(pin: string, salt: Buffer, params: ScryptParams, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    crypto.scrypt(pin, salt, length, { N: params.N, r: params.r, p: params.p, maxmem: maxmemFor(params) }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/**
 * Hashes a PIN with a fresh random salt. Resolves to the `scrypt$N$r$p$salt$hash` string; rejects
 * only when scrypt itself fails (e.g. not enough memory for the parameters).
 */
export async function hashPin(pin: string, params: ScryptParams = DEFAULT_SCRYPT_PARAMS): Promise<string> {
  const salt = crypto.randomBytes(SALT_LENGTH);
  const key = await scrypt(pin, salt, params, KEY_LENGTH);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** Parsed hash, or null when the string is not a hash this module wrote (or has unsafe parameters). */
export function parsePinHash(stored: string): { params: ScryptParams; salt: Buffer; key: Buffer } | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [N, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  if (![N, r, p].every((n) => Number.isInteger(n) && n > 0)) return null;
  if (N > MAX_N || (N & (N - 1)) !== 0 || N < 2 || r > 32 || p > 16) return null;
  const salt = Buffer.from(parts[4] ?? '', 'base64');
  const key = Buffer.from(parts[5] ?? '', 'base64');
  if (salt.length < 8 || key.length < 16) return null;
  return { params: { N, r, p }, salt, key };
}

/**
 * Checks a PIN against a stored hash in constant time with respect to the PIN. Resolves false for a
 * wrong PIN or an unreadable/unsafe hash string; never rejects.
 */
export async function verifyPin(pin: string, stored: string): Promise<boolean> {
  const parsed = parsePinHash(stored);
  if (!parsed) return false;
  try {
    const key = await scrypt(pin, parsed.salt, parsed.params, parsed.key.length);
    return crypto.timingSafeEqual(key, parsed.key);
  } catch {
    return false;
  }
}
