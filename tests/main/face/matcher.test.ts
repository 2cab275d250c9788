/** 1:N matching: the best and second-best PERSON (not template), agreeing with a brute-force search. */
import { describe, expect, it } from 'vitest';
import { createTemplateIndex, euclidean } from '../../../src/main/face/matcher';

function randomDescriptor(seed: number): Float32Array {
  let s = seed >>> 0 || 1;
  const out = new Float32Array(128);
  for (let i = 0; i < 128; i += 1) {
    s = (s * 1664525 + 1013904223) >>> 0;
    out[i] = (s / 2 ** 32 - 0.5) * 0.3;
  }
  return out;
}

describe('template index', () => {
  it('returns the nearest person and the nearest OTHER person, as a brute-force search does', () => {
    const index = createTemplateIndex(4);
    const templates: { staffId: number; d: Float32Array }[] = [];
    for (let t = 0; t < 500; t += 1) {
      const staffId = 1 + (t % 37);
      const d = randomDescriptor(t + 1);
      templates.push({ staffId, d });
      index.add(t + 1, staffId, d);
    }
    expect(index.size()).toBe(500);
    for (let p = 0; p < 40; p += 1) {
      const probe = randomDescriptor(10_000 + p);
      const perPerson = new Map<number, number>();
      for (const t of templates) perPerson.set(t.staffId, Math.min(perPerson.get(t.staffId) ?? Infinity, euclidean(t.d, probe)));
      const ranked = [...perPerson.entries()].sort((a, b) => a[1] - b[1]);
      const result = index.match(probe);
      expect(result.best?.staffId).toBe(ranked[0][0]);
      expect(result.best?.distance).toBeCloseTo(ranked[0][1], 5);
      expect(result.second?.staffId).toBe(ranked[1][0]);
      expect(result.second?.distance).toBeCloseTo(ranked[1][1], 5);
    }
  });

  it('never reports the same person as its own runner-up', () => {
    const index = createTemplateIndex();
    const a = randomDescriptor(1);
    const nearA = Float32Array.from(a, (v) => v + 0.001);
    index.add(1, 7, a);
    index.add(2, 7, nearA);
    index.add(3, 9, randomDescriptor(2));
    const result = index.match(a);
    expect(result.best).toMatchObject({ staffId: 7, templateId: 1 });
    expect(result.second?.staffId).toBe(9);
  });

  it('excludes people on request, removes a person, and refuses malformed descriptors', () => {
    const index = createTemplateIndex();
    index.add(1, 1, randomDescriptor(1));
    index.add(2, 2, randomDescriptor(2));
    index.add(3, 1, randomDescriptor(3));
    expect(index.match(randomDescriptor(1), { exclude: new Set([1]) }).best?.staffId).toBe(2);
    expect(index.removePerson(1)).toBe(2);
    expect(index.size()).toBe(1);
    expect(index.match(randomDescriptor(1))).toMatchObject({ best: { staffId: 2 }, second: null });
    expect(() => index.add(4, 3, new Float32Array(127))).toThrow(/128/);
    const bad = randomDescriptor(5);
    bad[3] = Number.NaN;
    expect(() => index.match(bad)).toThrow(/finite/);
  });

  it('answers null when nothing is enrolled', () => {
    expect(createTemplateIndex().match(randomDescriptor(1))).toEqual({ best: null, second: null, templatesScanned: 0 });
  });
});
