/** The decision rule of one face track: agreement over consecutive frames, strict threshold with a margin, open set, a name withdrawn when the face stops matching, "Not you?" and "Start again". */
import { describe, expect, it } from 'vitest';
import { createDecisionEngine, voteFor, type FrameEvidence } from '../../../src/main/face/decision';
import type { MatchResult } from '../../../src/main/face/matcher';

const config = { threshold: 0.48, margin: 0.08, agreeFrames: 3 };
const live = new Float32Array(128).fill(0.01);

function matchOf(staffId: number, distance: number, second: { staffId: number; distance: number } | null = null): MatchResult {
  return { best: { staffId, distance, templateId: staffId * 10 }, second, templatesScanned: 10 };
}

function seen(staffId: number, distance: number, second: { staffId: number; distance: number } | null = null): FrameEvidence {
  return { kind: 'face', descriptor: live, match: matchOf(staffId, distance, second) };
}

describe('voteFor', () => {
  it('accepts only under the threshold and with the margin over the next person', () => {
    expect(voteFor(matchOf(1, 0.3), config)).toEqual({ kind: 'person', staffId: 1 });
    expect(voteFor(matchOf(1, 0.3, { staffId: 2, distance: 0.39 }), config)).toEqual({ kind: 'person', staffId: 1 });
    expect(voteFor(matchOf(1, 0.3, { staffId: 2, distance: 0.37 }), config)).toEqual({ kind: 'unknown', reason: 'ambiguous' });
    // Under HotelMate's 0.6 but not under the stricter local threshold: a stranger, not a match.
    expect(voteFor(matchOf(1, 0.55), config)).toEqual({ kind: 'unknown', reason: 'not_enrolled' });
    expect(voteFor({ best: null, second: null, templatesScanned: 0 }, config)).toEqual({ kind: 'unknown', reason: 'not_enrolled' });
  });
});

describe('decision engine', () => {
  it('names a person only after agreeFrames consecutive agreeing frames, once, with the closest frame\'s distance', () => {
    const engine = createDecisionEngine(config);
    expect(engine.step(seen(7, 0.35), 1)).toBeNull();
    expect(engine.checking()).toBe(true);
    expect(engine.step(seen(7, 0.3), 2)).toBeNull();
    const decision = engine.step(seen(7, 0.33, { staffId: 8, distance: 0.7 }), 3);
    expect(decision).toMatchObject({ kind: 'recognised', at: 3, match: { staffId: 7, distance: 0.3, liveness: null, spoofSuspected: false } });
    expect(engine.checking()).toBe(false);
    expect(engine.step(seen(7, 0.3), 4)).toBeNull();
  });

  it('checks again when a different person replaces the named one', () => {
    const engine = createDecisionEngine(config);
    for (let i = 0; i < 3; i += 1) engine.step(seen(7, 0.3), i);
    expect(engine.checking()).toBe(false);
    engine.step(seen(9, 0.3), 4);
    expect(engine.checking()).toBe(true);
    engine.step(seen(9, 0.3), 5);
    expect(engine.step(seen(9, 0.3), 6)).toMatchObject({ kind: 'recognised', match: { staffId: 9 } });
    expect(engine.checking()).toBe(false);
  });

  it('a frame voting for someone else restarts the agreement', () => {
    const engine = createDecisionEngine(config);
    engine.step(seen(7, 0.3), 1);
    engine.step(seen(7, 0.3), 2);
    expect(engine.step(seen(9, 0.4), 3)).toBeNull();
    expect(engine.step(seen(7, 0.3), 4)).toBeNull();
    expect(engine.step(seen(7, 0.3), 5)).toBeNull();
    expect(engine.step(seen(7, 0.3), 6)).toMatchObject({ kind: 'recognised' });
  });

  it('poor-quality frames (a blink, a turn) neither break nor count towards agreement', () => {
    const engine = createDecisionEngine(config);
    engine.step(seen(7, 0.3), 1);
    engine.step({ kind: 'poor_quality' }, 2);
    engine.step(seen(7, 0.3), 3);
    engine.step({ kind: 'poor_quality' }, 4);
    expect(engine.step(seen(7, 0.3), 5)).toMatchObject({ kind: 'recognised' });
  });

  it('rejects an unknown face after agreeing frames (open set) and reports ambiguity between lookalikes', () => {
    const stranger = createDecisionEngine(config);
    const out = Array.from({ length: 6 }, (_, i) => stranger.step(seen(3, 0.62), i));
    expect(out.slice(0, 5).every((d) => d === null)).toBe(true);
    expect(out[5]).toMatchObject({ kind: 'unknown', reason: 'not_enrolled' });
    expect((out[5] as { liveDescriptor: Float32Array }).liveDescriptor).toHaveLength(128);

    const lookalike = createDecisionEngine(config);
    const last = Array.from({ length: 6 }, (_, i) => lookalike.step(seen(3, 0.4, { staffId: 4, distance: 0.43 }), i)).pop();
    expect(last).toMatchObject({ kind: 'unknown', reason: 'ambiguous' });
  });

  it('keeps the name through "ambiguous" wobbles but withdraws it when the face matches nobody for unknownFrames frames', () => {
    const engine = createDecisionEngine(config);
    for (let i = 0; i < 3; i += 1) engine.step(seen(7, 0.3), i);
    expect(engine.settled()).toBe(true);
    // A lookalike's template comes close for a while: not enough to doubt the name.
    const wobble = Array.from({ length: 8 }, (_, i) => engine.step(seen(7, 0.3, { staffId: 8, distance: 0.33 }), 10 + i));
    expect(wobble.every((d) => d === null)).toBe(true);
    expect(engine.checking()).toBe(false);
    // Five frames that match nobody, then one good frame: still the same person.
    for (let i = 0; i < 5; i += 1) expect(engine.step(seen(3, 0.7), 20 + i)).toBeNull();
    expect(engine.checking()).toBe(true);
    engine.step(seen(7, 0.3), 25);
    // Six in a row: the face in view is not the person named.
    const out = Array.from({ length: 6 }, (_, i) => engine.step(seen(3, 0.7), 30 + i));
    expect(out.slice(0, 5).every((d) => d === null)).toBe(true);
    expect(out[5]).toMatchObject({ kind: 'unknown', reason: 'not_enrolled', at: 35 });
  });

  it('"Not you?" withdraws the name for the rest of the track; "Start again" makes the person recognisable again', () => {
    const engine = createDecisionEngine(config);
    for (let i = 0; i < 3; i += 1) engine.step(seen(7, 0.3), i);
    engine.rejectCurrent();
    expect(engine.settled()).toBe(false);
    const after = Array.from({ length: 6 }, (_, i) => engine.step(seen(7, 0.3), 10 + i));
    expect(after.some((d) => d?.kind === 'recognised')).toBe(false);
    expect(after[5]).toMatchObject({ kind: 'unknown', reason: 'ambiguous' });
    expect(engine.settled()).toBe(true);
    // Someone else on the same track is still named.
    const other = Array.from({ length: 3 }, (_, i) => engine.step(seen(9, 0.3), 20 + i));
    expect(other[2]).toMatchObject({ kind: 'recognised', match: { staffId: 9 } });
    engine.restart();
    expect(engine.settled()).toBe(false);
    engine.step(seen(7, 0.3), 30);
    engine.step(seen(7, 0.3), 31);
    expect(engine.step(seen(7, 0.3), 32)).toMatchObject({ kind: 'recognised', match: { staffId: 7 } });
  });

  it('"Start again" after a verdict decides the same face afresh (a new name, a new "unknown")', () => {
    const engine = createDecisionEngine(config);
    for (let i = 0; i < 3; i += 1) engine.step(seen(7, 0.3), i);
    expect(engine.step(seen(7, 0.3), 3)).toBeNull();
    engine.restart();
    expect(Array.from({ length: 3 }, (_, i) => engine.step(seen(7, 0.3), 10 + i))[2]).toMatchObject({ kind: 'recognised' });
    const stranger = createDecisionEngine(config);
    expect(Array.from({ length: 6 }, (_, i) => stranger.step(seen(3, 0.7), i))[5]).toMatchObject({ kind: 'unknown' });
    expect(stranger.step(seen(3, 0.7), 6)).toBeNull();
    stranger.restart();
    expect(Array.from({ length: 6 }, (_, i) => stranger.step(seen(3, 0.7), 10 + i))[5]).toMatchObject({ kind: 'unknown', reason: 'not_enrolled' });
  });

  it('reports poor quality when a face stays in view but never gives a usable frame', () => {
    const engine = createDecisionEngine({ ...config, poorQualityFrames: 5 });
    const out = Array.from({ length: 8 }, (_, i) => engine.step({ kind: 'poor_quality' }, i));
    expect(out.filter((d) => d !== null)).toEqual([{ kind: 'unknown', reason: 'poor_quality', liveDescriptor: null, at: 4 }]);
  });

  it('leaves liveness to the face service: a name comes unflagged and unchecked', () => {
    const engine = createDecisionEngine(config);
    engine.step(seen(7, 0.3), 1);
    engine.step(seen(7, 0.3), 2);
    const named = engine.step(seen(7, 0.3), 3);
    expect(named).toMatchObject({ kind: 'recognised', match: { liveness: null, spoofSuspected: false, livenessCheck: { mode: 'off', verdict: 'not_checked' } } });
  });
});
