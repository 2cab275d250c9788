/**
 * Deterministic 128-d encodings for tests and the demo, shaped like face-api.js descriptors: two
 * different seeds are ~2.3 apart (a stranger), `nearby(e, 0.03)` is a fresh capture of the same face.
 */

/** Small seeded PRNG (mulberry32) so every run produces the same vectors. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(rand: () => number): number {
  const u = Math.max(rand(), 1e-12);
  const v = rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** A face's "true" encoding for a seed. */
export function encodingFor(seed: number): number[] {
  const rand = prng(seed * 7919 + 17);
  return Array.from({ length: 128 }, () => gaussian(rand) * 0.14);
}

/** Another capture of the same face: `base` moved by exactly `distance` in a seeded random direction. */
export function nearby(base: readonly number[], distance: number, seed = 1): number[] {
  const rand = prng(seed * 104729 + 3);
  const dir = base.map(() => gaussian(rand));
  const norm = Math.sqrt(dir.reduce((s, v) => s + v * v, 0));
  return base.map((v, i) => v + (dir[i] / norm) * distance);
}

/** Euclidean distance, as the backend's `find_best_face_match` computes it. */
export function euclidean(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < a.length; i += 1) {
    const d = a[i] - b[i];
    sum += d * d;
  }
  return Math.sqrt(sum);
}
