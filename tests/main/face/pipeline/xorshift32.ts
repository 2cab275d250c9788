/**
 * Test helper: the xorshift32 byte stream scripts/reference/minifasnet_reference.py uses for its
 * seeded inputs (the top byte of each 32-bit state), so the parity tests regenerate the exact
 * inputs of the reference outputs instead of storing them.
 */
export function xorshift32Bytes(seed: number, count: number): Uint8Array {
  let x = seed >>> 0;
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x >>> 24;
  }
  return out;
}
