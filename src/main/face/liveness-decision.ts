/**
 * Liveness over a face track's frames rather than one frame: the passive score (MiniFASNet's p(real)
 * from the worker) of every frame of the track that matched the person, taken only where the model
 * is trustworthy (a face big enough and not turned away: the pose and size gates), and summarised
 * by its median over the latest frames, so one odd frame neither lets a photo through nor flags a
 * live person. The verdict (live, doubtful, spoof) and the configured mode then say what the kiosk
 * does with a recognition: name the person, name them and flag the punch, ask for a head turn
 * (liveness-challenge.ts), or refuse. Operating points measured in bench/liveness.bench.ts.
 */
import type { LivenessMode } from '../../shared/config/schema';
import type { ChallengeAction } from '../../shared/domain/types';
import { assertNever } from '../lib/assert-never';
import { SPOOF_THRESHOLD } from './anti-spoof';
import type { FaceQuality, LivenessScore } from './pipeline/types';

export type { LivenessMode };

/**
 * A median p(real) at or above this is a live face: no question asked. Live webcam faces sit far
 * above it (median 0.985; the lowest 3-frame median of a live session 0.52); photos and screens
 * the model recognises sit below 0.01. Between 1/3 and this the score is in doubt: mostly live
 * faces in poor conditions and the close-up prints the model half sees.
 */
export const LIVE_THRESHOLD = 0.8;
/** Below this median (SPOOF_THRESHOLD, 1/3) the face is taken for a photo or a screen. */
export { SPOOF_THRESHOLD };
/** Gated, scored frames needed before the passive verdict (as many as agree on a name). */
export const MIN_SCORED_FRAMES = 3;
/** The median is taken over the track's latest frames only (about a second of video). */
export const SCORED_FRAMES_KEPT = 15;

/**
 * Where MiniFASNet's score counts: a face at least 15 % of the frame high, not cut by its border,
 * and turned at most 25 degrees (beyond ~30 degrees live faces are called spoofs 10-20 % of the time).
 */
export const LIVENESS_GATES = { minSize: 0.15, maxYawDeg: 25, maxPitchDeg: 25 } as const;

/** Whether a frame's passive score counts (the pose and size gates). Pure. */
export function countsForLiveness(quality: FaceQuality): boolean {
  return (
    quality.sizeFraction >= LIVENESS_GATES.minSize &&
    !quality.clipped &&
    Math.abs(quality.yawDeg) <= LIVENESS_GATES.maxYawDeg &&
    Math.abs(quality.pitchDeg) <= LIVENESS_GATES.maxPitchDeg
  );
}

/** The medians of the scores the verdict rests on. */
export interface PassiveEvidence {
  /** Median of the combined p(real). */
  real: number;
  /** Medians per net: MiniFASNetV2 (2.7x crop) and MiniFASNetV1SE (4.0x crop). */
  v2: number;
  v1se: number;
  frames: number;
}

/**
 * The passive verdict: `pending` until enough gated frames are scored; `unscored` when the frames
 * carry no score (anti-spoof models unavailable); otherwise live (>= LIVE_THRESHOLD), doubtful, or
 * spoof (< SPOOF_THRESHOLD).
 */
export type PassiveVerdict =
  | { kind: 'pending' }
  | { kind: 'unscored' }
  | { kind: 'live' | 'doubtful' | 'spoof'; evidence: PassiveEvidence };

/** The passive verdict over the gated scores of one person's frames (oldest first). Pure. */
export function passiveVerdict(scores: readonly LivenessScore[], unscoredFrames = 0): PassiveVerdict {
  if (scores.length < MIN_SCORED_FRAMES) return unscoredFrames >= MIN_SCORED_FRAMES && unscoredFrames > scores.length ? { kind: 'unscored' } : { kind: 'pending' };
  const latest = scores.slice(-SCORED_FRAMES_KEPT);
  const evidence: PassiveEvidence = {
    real: median(latest.map((s) => s.real)),
    v2: median(latest.map((s) => s.v2)),
    v1se: median(latest.map((s) => s.v1se)),
    frames: latest.length,
  };
  const kind = evidence.real >= LIVE_THRESHOLD ? 'live' : evidence.real < SPOOF_THRESHOLD ? 'spoof' : 'doubtful';
  return { kind, evidence };
}

/** One frame of a track as the liveness decision keeps it. */
export interface LivenessSample {
  /** The enrolled person the frame matched, or null. */
  staffId: number | null;
  quality: FaceQuality;
  /** The worker's score; null when it gave none (no anti-spoof models). */
  score: LivenessScore | null;
}

/** The frames of one track, for its passive verdict. */
export interface TrackLiveness {
  add(sample: LivenessSample): void;
  /** The verdict over the track's gated frames that matched `staffId`. */
  verdictFor(staffId: number): PassiveVerdict;
  /** The verdict over all the track's gated frames, whoever they matched (a face nobody was named for). */
  verdictOfFace(): PassiveVerdict;
}

interface ScoredFrames {
  scores: LivenessScore[];
  unscored: number;
}

/** Adds a sample's score (when it counts) to a bounded list. */
function addScore(entry: ScoredFrames, sample: LivenessSample): void {
  if (!sample.score) entry.unscored += 1;
  else if (countsForLiveness(sample.quality)) {
    entry.scores.push(sample.score);
    if (entry.scores.length > SCORED_FRAMES_KEPT) entry.scores.shift();
  }
}

/** Keeps a track's samples (a bounded number per person, and for the face as a whole). */
export function createTrackLiveness(): TrackLiveness {
  const byPerson = new Map<number, ScoredFrames>();
  const face: ScoredFrames = { scores: [], unscored: 0 };
  return {
    add(sample) {
      addScore(face, sample);
      if (sample.staffId === null) return;
      const entry = byPerson.get(sample.staffId) ?? { scores: [], unscored: 0 };
      byPerson.set(sample.staffId, entry);
      addScore(entry, sample);
    },
    verdictFor(staffId) {
      const entry = byPerson.get(staffId);
      return entry ? passiveVerdict(entry.scores, entry.unscored) : { kind: 'pending' };
    },
    verdictOfFace: () => passiveVerdict(face.scores, face.unscored),
  };
}

/** What the kiosk does with a recognition, given the mode and the passive verdict. */
export type LivenessStep =
  /** Not enough frames yet: keep the recognition back for the next frames. */
  | { kind: 'wait' }
  /** Name the person; `flagged` sends the punch to a manager's review. */
  | { kind: 'accept'; flagged: boolean }
  /** Ask for a head turn before anyone is named. */
  | { kind: 'challenge' }
  /** No name, no punch (passive mode: a photo or a screen). */
  | { kind: 'refuse' };

/**
 * The policy of each mode (README "Liveness"): `off` names at once; `passive` refuses a spoof and
 * flags a doubtful face; `challenge_when_doubtful` names a live face and asks everyone else (a
 * kiosk without its anti-spoof models asks everyone); `always_challenge` asks every face. Pure.
 */
export function livenessStep(mode: LivenessMode, verdict: PassiveVerdict): LivenessStep {
  if (mode === 'off') return { kind: 'accept', flagged: false };
  if (verdict.kind === 'pending') return { kind: 'wait' };
  switch (mode) {
    case 'passive':
      if (verdict.kind === 'spoof') return { kind: 'refuse' };
      return { kind: 'accept', flagged: verdict.kind === 'doubtful' };
    case 'challenge_when_doubtful':
      return verdict.kind === 'live' ? { kind: 'accept', flagged: false } : { kind: 'challenge' };
    case 'always_challenge':
      return { kind: 'challenge' };
    default:
      return assertNever(mode, 'liveness mode');
  }
}

/** A face that passed the challenge is flagged when the passive model took it for a photo or a screen. */
export function flaggedAfterChallenge(verdict: PassiveVerdict): boolean {
  return verdict.kind === 'spoof';
}

/** How a recognition's liveness was established: what the punch's review note and the log say. */
export interface LivenessCheck {
  mode: LivenessMode;
  verdict: PassiveVerdict['kind'] | 'not_checked';
  passive: PassiveEvidence | null;
  challenge: { action: ChallengeAction; attempt: number; turnDeg: number } | null;
  flagged: boolean;
}

/** What a recognition made with liveness off carries. */
export const NOT_CHECKED: LivenessCheck = { mode: 'off', verdict: 'not_checked', passive: null, challenge: null, flagged: false };

/** The check of an accepted or challenged recognition. Pure. */
export function livenessCheck(mode: LivenessMode, verdict: PassiveVerdict, flagged: boolean, challenge: LivenessCheck['challenge'] = null): LivenessCheck {
  if (mode === 'off') return NOT_CHECKED;
  const kind = verdict.kind === 'pending' ? 'not_checked' : verdict.kind;
  return { mode, verdict: kind, passive: 'evidence' in verdict ? verdict.evidence : null, challenge, flagged };
}

/**
 * Whether the check established a live person in front of the camera: a mode that checks, nothing
 * flagged, and either the passive model called the face live or the person turned their head on
 * cue. What a manager's face approval needs (a recognition made with liveness off, or without
 * the anti-spoof models and no challenge, carries no such proof). Pure.
 */
export function livenessEstablished(check: LivenessCheck | undefined): boolean {
  if (!check || check.mode === 'off' || check.flagged) return false;
  return check.verdict === 'live' || check.challenge !== null;
}

/**
 * The manager's note for a flagged punch (English, like the ledger's other notes), with the scores:
 * "liveness in doubt: p(real) 0.12 (MiniFASNetV2 0.08, V1SE 0.16) over 9 frames; turned the head to
 * the left on cue (18 degrees, attempt 1)". Null for an unflagged check. Pure.
 */
export function reviewNote(check: LivenessCheck): string | null {
  if (!check.flagged) return null;
  const what = check.verdict === 'spoof' ? 'looked like a photo or a screen' : 'liveness in doubt';
  const p = check.passive;
  const scores = p ? `p(real) ${p.real.toFixed(2)} (MiniFASNetV2 ${p.v2.toFixed(2)}, V1SE ${p.v1se.toFixed(2)}) over ${p.frames} frames` : 'no passive score';
  const c = check.challenge;
  const turn = c ? `; turned the head to the ${c.action === 'turn_left' ? 'left' : 'right'} on cue (${Math.round(c.turnDeg)} degrees, attempt ${c.attempt})` : '';
  return `${what}: ${scores}${turn}`;
}

/** The median of some numbers (NaN for none). Pure. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
