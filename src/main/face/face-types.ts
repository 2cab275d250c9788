/** What the face capability tells the rest of main: a match, a decision about the face in view, and its figures. */
import type { ChallengeAction } from '../../shared/domain/types';
import type { ChallengeFailure } from './liveness-challenge';
import type { LivenessCheck } from './liveness-decision';

/** A recognised person and the evidence for it. */
export interface FaceMatch {
  staffId: number;
  /** Euclidean distance of the live descriptor to the person's best template. */
  distance: number;
  secondBestDistance: number | null;
  model: string;
  /** The live 128-d descriptor of the deciding frame (stays in main). */
  liveDescriptor: Float32Array;
  /** Median passive p(real) over the track's frames (0..1, higher = more likely live); null when liveness is off or unscored. */
  liveness: number | null;
  /** The liveness check left a doubt: the punch is flagged for a manager's review (with `livenessCheck`'s scores). */
  spoofSuspected: boolean;
  /** How liveness was established (mode, passive scores, challenge); absent when it was not checked. */
  livenessCheck?: LivenessCheck;
}

/**
 * How sure the kiosk is that the face in view is a live person (face-service's liveDescriptorInView):
 * `live` when the passive model called the face's own frames live and no liveness check failed on
 * it; `in_doubt` when it did not (a doubtful or spoof-like median, too few scored frames, a failed
 * challenge); `not_checked` when liveness is off or the anti-spoof models are unavailable.
 */
export type InViewLiveness = 'live' | 'in_doubt' | 'not_checked';

/** The face in view now (recognised or not) with its liveness verdict. Stays in main. */
export interface FaceInView {
  descriptor: Float32Array;
  liveness: InViewLiveness;
}

/** The open-set verdict about one face track (decision.ts). */
export type FaceVerdict =
  | { kind: 'recognised'; match: FaceMatch; at: number }
  | { kind: 'unknown'; reason: 'not_enrolled' | 'ambiguous' | 'poor_quality'; liveDescriptor: Float32Array | null; at: number };

/** Why a face track ended: its face left the frame, or another face took its place. */
export type TrackEndReason = 'left' | 'replaced';

/**
 * What the face service tells the rest of main about the face in view, each bound to the face
 * track it concerns: a verdict, or the end of the track (anything decided on it ends with it).
 */
export type FaceDecision =
  | (FaceVerdict & { trackId: number })
  | { kind: 'gone'; trackId: number; reason: TrackEndReason; at: number }
  /** The face on the track must turn its head before it is named (its recognition is held back meanwhile). */
  | { kind: 'challenge'; trackId: number; action: ChallengeAction; attempt: number; timeoutMs: number; at: number }
  /** The face on the track was not confirmed live: `spoof` (passive mode) or how its challenge failed. No name, no punch. */
  | { kind: 'liveness_failed'; trackId: number; reason: 'spoof' | ChallengeFailure; failures: number; at: number };

/** Figures for diagnostics. */
export interface FaceStats {
  analysedFps: number;
  /** Median ms per stage over the recent window (detect, landmarks, crop, descriptor, match...). */
  stageMs: Record<string, number>;
  decisions: number;
  workerRestarts: number;
  droppedFrames: number;
}
