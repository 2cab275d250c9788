/**
 * The passive liveness decision over a track's frames: the median of the gated scores of the frames
 * that matched the person, so one odd frame neither lets a photo through nor flags a live person;
 * frames where the model is unreliable (small, cut off, turned away) do not count; and what each
 * mode does with the verdict.
 */
import { describe, expect, it } from 'vitest';
import {
  countsForLiveness,
  createTrackLiveness,
  flaggedAfterChallenge,
  LIVE_THRESHOLD,
  livenessCheck,
  livenessEstablished,
  livenessStep,
  MIN_SCORED_FRAMES,
  passiveVerdict,
  reviewNote,
  SCORED_FRAMES_KEPT,
  SPOOF_THRESHOLD,
  type LivenessMode,
  type PassiveVerdict,
} from '../../../src/main/face/liveness-decision';
import type { FaceQuality, LivenessScore } from '../../../src/main/face/pipeline/types';

const STAFF = 7;
const frontal: FaceQuality = { sizeFraction: 0.4, centreOffset: 0.1, centreOffsetX: 0.1, centreOffsetY: 0, yawDeg: 3, pitchDeg: 5, rollDeg: 1, blur: 200, brightness: 120, clipped: false };
const score = (real: number): LivenessScore => ({ v2: real, v1se: real, real });

/** The verdict of a track that saw these combined scores, frontal, all matching the person. */
function verdictOf(reals: number[], quality: FaceQuality = frontal): PassiveVerdict {
  const track = createTrackLiveness();
  for (const real of reals) track.add({ staffId: STAFF, quality, score: score(real) });
  return track.verdictFor(STAFF);
}

describe('the passive verdict over a track', () => {
  it('waits for enough scored frames, then takes the median', () => {
    expect(verdictOf([0.99, 0.98])).toEqual({ kind: 'pending' });
    expect(verdictOf([0.99, 0.98, 0.97])).toMatchObject({ kind: 'live', evidence: { real: 0.98, frames: MIN_SCORED_FRAMES } });
    expect(verdictOf([0.5, 0.6, 0.55])).toMatchObject({ kind: 'doubtful', evidence: { real: 0.55 } });
    expect(verdictOf([0.001, 0.004, 0.002])).toMatchObject({ kind: 'spoof', evidence: { real: 0.002 } });
  });

  it('one bad frame neither passes a photo nor flags a live person', () => {
    // A print the model sees, with one frame it misjudges (0.97).
    expect(verdictOf([0.001, 0.97, 0.003])).toMatchObject({ kind: 'spoof' });
    // A live face with one frame of closed eyes (0.05).
    expect(verdictOf([0.99, 0.05, 0.98, 0.97])).toMatchObject({ kind: 'live' });
    // Against the single frame the kiosk used to judge by: each of those frames alone is the other verdict.
    expect(passiveVerdict([score(0.97), score(0.97), score(0.97)]).kind).toBe('live');
    expect(passiveVerdict([score(0.05), score(0.05), score(0.05)]).kind).toBe('spoof');
  });

  it('counts only frames where the model is reliable: big enough, not cut off, not turned away', () => {
    expect(countsForLiveness(frontal)).toBe(true);
    expect(countsForLiveness({ ...frontal, sizeFraction: 0.1 })).toBe(false);
    expect(countsForLiveness({ ...frontal, clipped: true })).toBe(false);
    expect(countsForLiveness({ ...frontal, yawDeg: -32 })).toBe(false);
    expect(countsForLiveness({ ...frontal, pitchDeg: 30 })).toBe(false);
    // A live head turned 35 degrees scores low: those frames do not flag it.
    const track = createTrackLiveness();
    for (let i = 0; i < 5; i += 1) track.add({ staffId: STAFF, quality: { ...frontal, yawDeg: 35 }, score: score(0.1) });
    expect(track.verdictFor(STAFF)).toEqual({ kind: 'pending' });
    for (let i = 0; i < 3; i += 1) track.add({ staffId: STAFF, quality: frontal, score: score(0.95) });
    expect(track.verdictFor(STAFF)).toMatchObject({ kind: 'live', evidence: { frames: 3 } });
  });

  it('counts only the frames that matched the person, and only the latest ones', () => {
    const track = createTrackLiveness();
    for (let i = 0; i < 5; i += 1) track.add({ staffId: 99, quality: frontal, score: score(0.99) });
    for (let i = 0; i < 5; i += 1) track.add({ staffId: null, quality: frontal, score: score(0.99) });
    expect(track.verdictFor(STAFF)).toEqual({ kind: 'pending' });
    for (let i = 0; i < SCORED_FRAMES_KEPT; i += 1) track.add({ staffId: STAFF, quality: frontal, score: score(0.01) });
    for (let i = 0; i < SCORED_FRAMES_KEPT; i += 1) track.add({ staffId: STAFF, quality: frontal, score: score(0.99) });
    expect(track.verdictFor(STAFF)).toMatchObject({ kind: 'live', evidence: { frames: SCORED_FRAMES_KEPT } });
  });

  it('is unscored when the frames carry no score (no anti-spoof models)', () => {
    const track = createTrackLiveness();
    for (let i = 0; i < MIN_SCORED_FRAMES; i += 1) track.add({ staffId: STAFF, quality: frontal, score: null });
    expect(track.verdictFor(STAFF)).toEqual({ kind: 'unscored' });
  });

  it('puts the operating points between the distributions (live >= LIVE_THRESHOLD > SPOOF_THRESHOLD)', () => {
    expect(LIVE_THRESHOLD).toBeGreaterThan(SPOOF_THRESHOLD);
    expect(verdictOf([LIVE_THRESHOLD, LIVE_THRESHOLD, LIVE_THRESHOLD]).kind).toBe('live');
    expect(verdictOf([SPOOF_THRESHOLD, SPOOF_THRESHOLD, SPOOF_THRESHOLD]).kind).toBe('doubtful');
  });
});

describe('what each mode does', () => {
  const live = verdictOf([0.99, 0.99, 0.99]);
  const doubtful = verdictOf([0.5, 0.5, 0.5]);
  const spoof = verdictOf([0.01, 0.01, 0.01]);
  const pending: PassiveVerdict = { kind: 'pending' };
  const unscored: PassiveVerdict = { kind: 'unscored' };
  const table = (mode: LivenessMode): string[] => [live, doubtful, spoof, unscored, pending].map((v) => {
    const step = livenessStep(mode, v);
    return step.kind === 'accept' ? (step.flagged ? 'accept+flag' : 'accept') : step.kind;
  });

  it('off names everyone at once; passive refuses a photo and flags a doubt; the challenge modes ask', () => {
    expect(table('off')).toEqual(['accept', 'accept', 'accept', 'accept', 'accept']);
    expect(table('passive')).toEqual(['accept', 'accept+flag', 'refuse', 'accept', 'wait']);
    expect(table('challenge_when_doubtful')).toEqual(['accept', 'challenge', 'challenge', 'challenge', 'wait']);
    expect(table('always_challenge')).toEqual(['challenge', 'challenge', 'challenge', 'challenge', 'wait']);
  });

  it('flags a face that passed the challenge only when the passive model took it for a photo or a screen', () => {
    expect(flaggedAfterChallenge(spoof)).toBe(true);
    expect(flaggedAfterChallenge(doubtful)).toBe(false);
    expect(flaggedAfterChallenge(live)).toBe(false);
  });

  it('writes the manager a note with the scores for a flagged punch only', () => {
    const track = createTrackLiveness();
    for (const [v2, v1se] of [[0.08, 0.16], [0.1, 0.2], [0.05, 0.1]]) track.add({ staffId: STAFF, quality: frontal, score: { v2, v1se, real: (v2 + v1se) / 2 } });
    const verdict = track.verdictFor(STAFF);
    const check = livenessCheck('challenge_when_doubtful', verdict, flaggedAfterChallenge(verdict), { action: 'turn_left', attempt: 2, turnDeg: 17.6 });
    expect(reviewNote(check)).toBe('looked like a photo or a screen: p(real) 0.12 (MiniFASNetV2 0.08, V1SE 0.16) over 3 frames; turned the head to the left on cue (18 degrees, attempt 2)');
    expect(reviewNote(livenessCheck('passive', doubtful, true))).toBe('liveness in doubt: p(real) 0.50 (MiniFASNetV2 0.50, V1SE 0.50) over 3 frames');
    expect(reviewNote(livenessCheck('challenge_when_doubtful', live, false))).toBeNull();
    expect(livenessCheck('off', live, false)).toMatchObject({ mode: 'off', verdict: 'not_checked', passive: null });
  });

  it('counts as a live person (what a manager’s face approval needs) only a live verdict or a head turn on cue, never with liveness off', () => {
    const turned = { action: 'turn_left' as const, attempt: 1, turnDeg: 16 };
    expect(livenessEstablished(livenessCheck('passive', live, false))).toBe(true);
    expect(livenessEstablished(livenessCheck('challenge_when_doubtful', doubtful, flaggedAfterChallenge(doubtful), turned))).toBe(true);
    expect(livenessEstablished(livenessCheck('challenge_when_doubtful', unscored, false, turned))).toBe(true);
    // Named without proof: liveness off, a passive kiosk without its models, a doubt, a photo that turned.
    expect(livenessEstablished(livenessCheck('off', live, false))).toBe(false);
    expect(livenessEstablished(livenessCheck('passive', unscored, false))).toBe(false);
    expect(livenessEstablished(livenessCheck('passive', doubtful, true))).toBe(false);
    expect(livenessEstablished(livenessCheck('challenge_when_doubtful', spoof, flaggedAfterChallenge(spoof), turned))).toBe(false);
    expect(livenessEstablished(undefined)).toBe(false);
  });
});
