/**
 * The head-turn challenge on landmark sequences: 68 points of a 3D mean face seen by a camera
 * (with landmark noise), run through the kiosk's own head-pose fit, as the face worker reports
 * them. A live head that turns the way it is asked passes; a static photo, a photo turned on cue
 * (flat: its drawn nose never moves against its outline), a replayed video that does not respond
 * to the cue, a blink, a turn the wrong way or too late, and a person swapped in mid-challenge do not.
 */
import { describe, expect, it } from 'vitest';
import { estimateHeadPose } from '../../../src/main/face/pipeline/face-geometry';
import { MEAN_FACE_68 } from '../../../src/main/face/pipeline/mean-face-68';
import type { Point } from '../../../src/main/face/pipeline/types';
import {
  chooseAction,
  createTurnChallenge,
  DEFAULT_CHALLENGE_LIMITS,
  faceAspect,
  yawDirection,
  type ChallengeFrame,
  type ChallengeState,
} from '../../../src/main/face/liveness-challenge';
import type { ChallengeAction } from '../../../src/shared/domain/types';

const IMAGE = { width: 640, height: 480 };
const STAFF = 7;
const FRAME_MS = 70; // about 14 analysed frames a second, as at the kiosk

/** A seeded pseudo-random source (landmark noise must not make a test flaky). */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * The 68 landmarks of a face `yawDeg` turned (positive: nose towards the image's right), 60 cm from
 * the camera. `flat` makes it a photo of a frontal face (every point on one plane) turned as a whole.
 * `eyesClosed` (0..1) brings the eyelids together, as in a blink.
 */
function landmarks(yawDeg: number, options: { flat?: boolean; eyesClosed?: number; noisePx?: number; random?: () => number } = {}): Point[] {
  const t = (-yawDeg * Math.PI) / 180;
  const random = options.random ?? seeded(1);
  const points = MEAN_FACE_68.map(([x, y, z], i) => {
    let py = y;
    if (options.eyesClosed) {
      // Upper lids (37, 38, 43, 44) and lower lids (40, 41, 46, 47) meet at the eye's middle line.
      const pair: Record<number, number> = { 37: 41, 38: 40, 43: 47, 44: 46, 41: 37, 40: 38, 47: 43, 46: 44 };
      const other = pair[i];
      if (other !== undefined) py = y + ((MEAN_FACE_68[other][1] + y) / 2 - y) * options.eyesClosed;
    }
    const depth = options.flat ? 0 : z;
    const X = x * Math.cos(t) + depth * Math.sin(t);
    const Z = -x * Math.sin(t) + depth * Math.cos(t) + 60;
    const noise = options.noisePx ?? 0.8;
    return { x: IMAGE.width / 2 + (IMAGE.width * X) / Z + (random() - 0.5) * 2 * noise, y: IMAGE.height / 2 + (IMAGE.width * py) / Z + (random() - 0.5) * 2 * noise };
  });
  return points;
}

/** A frame as the face service hands it to the challenge: the pipeline's yaw and the face's width. */
function frame(at: number, points: Point[], staffId: number | null = STAFF): ChallengeFrame {
  return { at, pose: { yawDeg: estimateHeadPose(points, IMAGE).yawDeg, aspect: faceAspect(points) }, staffId };
}

/** Plays a sequence of yaws (one per frame) after the cue; returns the final state. */
function play(action: ChallengeAction, yaws: readonly number[], options: { flat?: boolean; staffIds?: (number | null)[]; eyesClosed?: number[] } = {}): ChallengeState {
  const random = seeded(42);
  // The face was still while it was recognised: the cue comes at once.
  const recent = [0, 1, 2].map((i) => frame(i * FRAME_MS, landmarks(0, { random })));
  const challenge = createTurnChallenge({ action, staffId: STAFF, startedAt: 2 * FRAME_MS, recent });
  expect(challenge.state()).toMatchObject({ phase: 'asked' });
  let state = challenge.state();
  yaws.forEach((yaw, i) => {
    const points = landmarks(yaw, { flat: options.flat, eyesClosed: options.eyesClosed?.[i], random });
    state = challenge.step(frame((3 + i) * FRAME_MS, points, options.staffIds ? (options.staffIds[i] ?? null) : STAFF));
  });
  return state;
}

/** A head turning from 0 to `to` degrees over `frames` frames, then holding. */
const turning = (to: number, frames = 6, total = 50): number[] => Array.from({ length: total }, (_, i) => (to * Math.min(i + 1, frames)) / frames);

describe('the head-turn challenge', () => {
  it('passes a live head that turns slightly the way it is asked, to its own left or right', () => {
    // The person's left is the image's right: a positive yaw.
    expect(yawDirection('turn_left')).toBe(1);
    const left = play('turn_left', turning(18));
    expect(left).toMatchObject({ phase: 'passed' });
    expect(left.phase === 'passed' ? left.turnDeg : 0).toBeGreaterThanOrEqual(DEFAULT_CHALLENGE_LIMITS.minTurnDeg);
    expect(play('turn_right', turning(-18))).toMatchObject({ phase: 'passed' });
    // A quick turn well past the mark passes on its way there.
    expect(play('turn_right', turning(-40, 3))).toMatchObject({ phase: 'passed' });
  });

  it('does not pass a turn the wrong way, a turn too small, or a turn after the time is up', () => {
    expect(play('turn_left', turning(-20))).toEqual({ phase: 'failed', reason: 'timeout' });
    expect(play('turn_left', turning(8))).toEqual({ phase: 'failed', reason: 'timeout' });
    const windowFrames = Math.ceil(DEFAULT_CHALLENGE_LIMITS.windowMs / FRAME_MS);
    expect(play('turn_left', [...Array.from({ length: windowFrames + 1 }, () => 0), 20, 20, 20])).toEqual({ phase: 'failed', reason: 'timeout' });
  });

  it('does not pass a static photo', () => {
    expect(play('turn_left', Array.from({ length: 60 }, () => 0), { flat: true })).toEqual({ phase: 'failed', reason: 'timeout' });
  });

  it('does not pass a photo turned on cue, however far (its outline narrows instead of its nose moving)', () => {
    for (const angle of [20, 35, 50, 60, 70]) {
      for (const action of ['turn_left', 'turn_right'] as const) {
        const yaws = turning(yawDirection(action) * angle);
        expect(play(action, yaws, { flat: true }), `photo turned ${angle} degrees for ${action}`).toEqual({ phase: 'failed', reason: 'timeout' });
      }
    }
  });

  it('does not pass a replayed video that does not respond to the cue (a face moving a little on its own)', () => {
    const random = seeded(7);
    const drift = Array.from({ length: 60 }, (_, i) => 3 * Math.sin(i / 5) + (random() - 0.5) * 2);
    expect(play('turn_left', drift)).toEqual({ phase: 'failed', reason: 'timeout' });
    expect(play('turn_right', drift)).toEqual({ phase: 'failed', reason: 'timeout' });
  });

  it('does not take a blink for a turn', () => {
    const blink = [0, 0.5, 1, 1, 0.5, 0];
    const eyes = Array.from({ length: 60 }, (_, i) => blink[i % 12] ?? 0);
    expect(play('turn_left', Array.from({ length: 60 }, () => 0), { eyesClosed: eyes })).toEqual({ phase: 'failed', reason: 'timeout' });
  });

  it('fails when another enrolled person is on the track mid-challenge, and counts only turned frames that still match the person', () => {
    const yaws = turning(20);
    expect(play('turn_left', yaws, { staffIds: [STAFF, STAFF, 99, 99, STAFF, STAFF, STAFF] })).toEqual({ phase: 'failed', reason: 'other_person' });
    // The turned frames match nobody (a stranger's head turning): never passes.
    expect(play('turn_left', yaws, { staffIds: yaws.map(() => null) })).toEqual({ phase: 'failed', reason: 'timeout' });
    // One odd frame (a lookalike's vote) is not a swap.
    expect(play('turn_left', yaws, { staffIds: [STAFF, 99, STAFF, STAFF, STAFF, STAFF, STAFF, STAFF] })).toMatchObject({ phase: 'passed' });
  });

  it('gives the cue only to a steady face: a head swinging to and fro is never asked, and fails', () => {
    const random = seeded(3);
    const swinging = (i: number): number => 25 * Math.sin(i / 1.5);
    const recent = [0, 1, 2].map((i) => frame(i * FRAME_MS, landmarks(swinging(i), { random })));
    const challenge = createTurnChallenge({ action: 'turn_left', staffId: STAFF, startedAt: 2 * FRAME_MS, recent });
    expect(challenge.state()).toEqual({ phase: 'settling' });
    let state = challenge.state();
    for (let i = 3; i < 60 && state.phase === 'settling'; i += 1) state = challenge.step(frame(i * FRAME_MS, landmarks(swinging(i), { random })));
    expect(state).toEqual({ phase: 'failed', reason: 'not_steady' });

    // A person who holds still after a moment is asked then, and the turn is measured from there.
    const settling = createTurnChallenge({ action: 'turn_right', staffId: STAFF, startedAt: 0 });
    settling.step(frame(0, landmarks(10, { random })));
    settling.step(frame(70, landmarks(-5, { random })));
    for (let i = 2; i < 5; i += 1) settling.step(frame(i * FRAME_MS, landmarks(-5, { random })));
    expect(settling.state()).toMatchObject({ phase: 'asked', askedAt: 3 * FRAME_MS, baselineYawDeg: expect.closeTo(-5, 0) });
  });

  it('chooses left or right at random', () => {
    expect(chooseAction(() => 0.2)).toBe('turn_left');
    expect(chooseAction(() => 0.7)).toBe('turn_right');
    const random = seeded(11);
    const picks = Array.from({ length: 200 }, () => chooseAction(random));
    expect(picks.filter((p) => p === 'turn_left').length).toBeGreaterThan(70);
    expect(picks.filter((p) => p === 'turn_right').length).toBeGreaterThan(70);
  });
});
