/**
 * The active liveness challenge: a slight turn of the head on cue, verified from the 68 landmarks
 * across the frames of one face track. A live head turned by 15 degrees reads 15 degrees of yaw
 * in the head-pose fit (pipeline/face-geometry.ts) while its outline barely narrows; a photo or a
 * screen turned on its stand reads almost no yaw (the drawn nose stays in the middle of the drawn
 * face: 3 degrees at 30 degrees of turn) and, turned far enough to read any, is squeezed to a
 * fraction of its width. So a turn counts when the yaw moves by `minTurnDeg` towards the side asked
 * for, relative to where the face pointed at the cue, while the face keeps most of its width, and
 * the frames showing it still match the person. The cue is given only once the face is steady (a
 * video of a head turning to and fro has no still moment to start from), and the turn must come
 * within `windowMs`. Blinks are not used: the landmark net does not follow the eyelids (closed eyes
 * read the eye aspect ratio of open ones; bench/liveness.bench.ts prints the measurement).
 * Pure: times are the caller's monotonic milliseconds.
 */
import type { ChallengeAction } from '../../shared/domain/types';
import { median } from './liveness-decision';
import type { Point } from './pipeline/types';

/** Limits of the head-turn challenge (defaults measured in bench/liveness.bench.ts). */
export interface ChallengeLimits {
  /** Time from the cue to the turn. */
  windowMs: number;
  /** Least change of yaw towards the side asked for, in degrees. */
  minTurnDeg: number;
  /** Least width the turned face keeps, as a share of its width at the cue (see faceAspect). */
  minAspectRatio: number;
  /** Consecutive frames that must show the turn. */
  holdFrames: number;
  /** The cue waits for this many consecutive frames ... */
  steadyFrames: number;
  /** ... whose yaw spans at most this many degrees. */
  steadyDeg: number;
  /** Without a steady face this long after the challenge began, it fails (never cued). */
  settleMs: number;
  /** Consecutive frames matching another enrolled person that end the challenge. */
  otherPersonFrames: number;
}

export const DEFAULT_CHALLENGE_LIMITS: ChallengeLimits = {
  windowMs: 3000,
  minTurnDeg: 12,
  minAspectRatio: 0.85,
  holdFrames: 2,
  steadyFrames: 3,
  steadyDeg: 5,
  settleMs: 3000,
  otherPersonFrames: 2,
};

/** One analysed frame of the track, as the challenge needs it. */
export interface ChallengeFrame {
  /** Monotonic milliseconds. */
  at: number;
  /** The head pose of the main face; null when the frame gave no usable landmarks. */
  pose: { yawDeg: number; aspect: number } | null;
  /** The enrolled person this frame's face matches, or null (nobody, not sure, or not matched). */
  staffId: number | null;
}

/** Why a challenge did not pass. */
export type ChallengeFailure = 'timeout' | 'not_steady' | 'other_person';

export type ChallengeState =
  | { phase: 'settling' }
  | { phase: 'asked'; askedAt: number; baselineYawDeg: number }
  | { phase: 'passed'; at: number; turnDeg: number }
  | { phase: 'failed'; reason: ChallengeFailure };

export interface TurnChallenge {
  readonly action: ChallengeAction;
  /** Feeds the next frame of the track; returns the state after it (a settled state never changes). */
  step(frame: ChallengeFrame): ChallengeState;
  state(): ChallengeState;
}

/**
 * How wide the face is against its height: the distance between the outer eye corners (36, 45)
 * over the distance from the top of the nose to the chin (27, 8). A live head turned by 20 degrees
 * keeps 94 % of it; a flat picture turned far enough to read 12 degrees of yaw keeps about 75 %.
 */
export function faceAspect(landmarks: readonly Point[]): number {
  const [a, b, top, chin] = [landmarks[36], landmarks[45], landmarks[27], landmarks[8]];
  if (!a || !b || !top || !chin) return Number.NaN;
  const height = Math.hypot(chin.x - top.x, chin.y - top.y);
  return height > 0 ? Math.hypot(b.x - a.x, b.y - a.y) / height : Number.NaN;
}

/**
 * +1 when the action turns the nose towards the image's right, -1 towards its left. The camera's
 * image is not mirrored: the person's own left is the image's right, where a positive yaw points.
 */
export function yawDirection(action: ChallengeAction): 1 | -1 {
  return action === 'turn_left' ? 1 : -1;
}

/** A random action (left or right), so a replay cannot know it in advance. */
export function chooseAction(random: () => number = Math.random): ChallengeAction {
  return random() < 0.5 ? 'turn_left' : 'turn_right';
}

/**
 * Starts a head-turn challenge for `staffId` at monotonic time `startedAt`. `recent` are the
 * track's frames just before (their steadiness may allow the cue at once).
 */
export function createTurnChallenge(options: {
  action: ChallengeAction;
  staffId: number;
  startedAt: number;
  recent?: readonly ChallengeFrame[];
  limits?: Partial<ChallengeLimits>;
}): TurnChallenge {
  const limits: ChallengeLimits = { ...DEFAULT_CHALLENGE_LIMITS, ...options.limits };
  const direction = yawDirection(options.action);
  const posed: { yawDeg: number; aspect: number }[] = [];
  let state: ChallengeState = { phase: 'settling' };
  let baselineAspect = Number.NaN;
  let held = 0;
  let others = 0;

  /** The cue can be given when the last steadyFrames posed frames agree within steadyDeg. */
  const trySettle = (at: number): void => {
    const last = posed.slice(-limits.steadyFrames);
    if (last.length < limits.steadyFrames) return;
    const yaws = last.map((p) => p.yawDeg);
    if (Math.max(...yaws) - Math.min(...yaws) > limits.steadyDeg) return;
    baselineAspect = median(last.map((p) => p.aspect));
    state = { phase: 'asked', askedAt: at, baselineYawDeg: median(yaws) };
  };

  const step = (frame: ChallengeFrame): ChallengeState => {
    if (state.phase === 'passed' || state.phase === 'failed') return state;
    // Another enrolled person's face on the track: the person being checked is not the one turning.
    others = frame.staffId !== null && frame.staffId !== options.staffId ? others + 1 : 0;
    if (others >= limits.otherPersonFrames) return (state = { phase: 'failed', reason: 'other_person' });
    if (state.phase === 'settling') {
      if (frame.pose) posed.push(frame.pose);
      trySettle(Math.max(frame.at, options.startedAt));
      if (state.phase === 'settling' && frame.at - options.startedAt > limits.settleMs) state = { phase: 'failed', reason: 'not_steady' };
      return state;
    }
    if (frame.at - state.askedAt > limits.windowMs) return (state = { phase: 'failed', reason: 'timeout' });
    const turn = frame.pose ? direction * (frame.pose.yawDeg - state.baselineYawDeg) : Number.NaN;
    const turned =
      frame.pose !== null &&
      frame.staffId === options.staffId &&
      turn >= limits.minTurnDeg &&
      frame.pose.aspect >= limits.minAspectRatio * baselineAspect;
    held = turned ? held + 1 : 0;
    if (held >= limits.holdFrames) state = { phase: 'passed', at: frame.at, turnDeg: turn };
    return state;
  };

  for (const frame of options.recent ?? []) if (frame.pose && frame.at <= options.startedAt) posed.push(frame.pose);
  trySettle(options.startedAt);
  return { action: options.action, step, state: () => state };
}
