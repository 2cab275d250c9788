/**
 * Follows the main face across analysed frames, so that whatever the kiosk decides about a face
 * (a name, "not recognised", "Not you?") is bound to that face and ends when it leaves or another
 * face takes its place. A frame's main face continues the current track when its box overlaps the
 * track's last box and its descriptor is close to the track's own (a running mean of its frames):
 * the same person moving and blinking stays one track, a different person stepping into the same
 * spot does not. A track is also the unit later multi-frame checks hang off (a liveness decision
 * over its frames, an active challenge such as a blink or a turn): by construction every frame of a
 * track is the same face.
 */
import type { TrackEndReason } from './face-types';
import type { NormalisedBox } from './pipeline/types';

/** How strictly frames are tied into one track. The defaults suit 10-30 analysed frames a second. */
export interface FaceTrackerConfig {
  /** Least box overlap (intersection over union) with the track's last box for a frame to continue it. */
  minIou: number;
  /**
   * Largest euclidean distance between a frame's descriptor and the track's running mean for the
   * frame to continue it. Consecutive frames of one person are far closer than this; different
   * people are 0.64 apart at the closest on the shared photos (0.51 for famous lookalikes, which the
   * decision engine still tells apart: it ends the track's name when the votes change).
   */
  maxDistance: number;
  /** Consecutive frames of a different face, agreeing with each other, that replace the track (a single odd frame does not). */
  confirmFrames: number;
  /** The track has left when its face has not been seen for this long ... */
  lostAfterMs: number;
  /** ... and for at least this many analysed frames (a slow or stalled analyser never ends a track on its own). */
  lostFrames: number;
  /** Weight of a new frame in the track's running mean descriptor (0..1). */
  referenceWeight: number;
  /** A track counts as the face in view (a punch may use it) when its face was seen this recently. */
  presentMs: number;
}

export const DEFAULT_TRACKER_CONFIG: FaceTrackerConfig = {
  minIou: 0.2,
  maxDistance: 0.55,
  confirmFrames: 2,
  lostAfterMs: 500,
  lostFrames: 3,
  referenceWeight: 0.3,
  presentMs: 600,
};

/** The main face of one analysed frame, as the tracker needs it. */
export interface SeenFace {
  box: NormalisedBox;
  /** The face's 128-d descriptor; null when the analyser gave none (then the box alone decides). */
  descriptor: Float32Array | null;
}

/** One face followed across frames, as of one frame (a snapshot). Times are the caller's monotonic milliseconds. */
export interface FaceTrack {
  /** Unique for the tracker's life; a new face, or a renewed one, gets a new id. */
  readonly id: number;
  readonly startedAt: number;
  /** When a frame last showed this face. */
  readonly lastSeenAt: number;
  /** Frames that showed this face. */
  readonly frames: number;
}

/** What one frame did to the tracker. */
export interface TrackStep {
  /** The track that ended at this frame: its face left, or another face took its place. */
  ended: { track: FaceTrack; reason: TrackEndReason } | null;
  /**
   * What this frame's main face is: none (no face), the current track continued, a different face
   * not yet confirmed (pending), or the first frame of a new track (started).
   */
  face: 'none' | 'continued' | 'pending' | 'started';
  /** The current track after this frame, null when there is none. */
  track: FaceTrack | null;
  /** When face is 'started': how many of the frames just before this one (reported as pending) belong to the new track. */
  carried: number;
}

export interface FaceTracker {
  /** Feeds the main face of one analysed frame (null when the frame has none) at monotonic time `at`. */
  observe(face: SeenFace | null, at: number): TrackStep;
  /** The current track, or null. */
  current(): FaceTrack | null;
  /**
   * Gives the current face a new track id (the decision engine found that the face is not the
   * person its track was named for). Returns the ended track and the new one; null without a track.
   */
  renew(at: number): { ended: FaceTrack; track: FaceTrack } | null;
  /** Forgets everything (the service stopped, or enrolment took the camera). Ends no track. */
  reset(): void;
}

interface TrackState {
  track: { id: number; startedAt: number; lastSeenAt: number; frames: number };
  box: NormalisedBox;
  reference: Float32Array | null;
  absentFrames: number;
}

/** Creates a tracker of the main face. */
export function createFaceTracker(config: Partial<FaceTrackerConfig> = {}): FaceTracker {
  const c: FaceTrackerConfig = { ...DEFAULT_TRACKER_CONFIG, ...config };
  let nextId = 1;
  let state: TrackState | null = null;
  /** Frames of a different face, each continuing the one before. */
  let pending: SeenFace[] = [];

  const continues = (face: SeenFace, box: NormalisedBox, reference: Float32Array | null): boolean => {
    if (iou(face.box, box) < c.minIou) return false;
    if (!face.descriptor || !reference) return true;
    return euclidean(face.descriptor, reference) <= c.maxDistance;
  };

  const snapshot = (): FaceTrack | null => (state ? { ...state.track } : null);
  const step = (ended: TrackStep['ended'], face: TrackStep['face'], carried = 0): TrackStep => ({ ended, face, track: snapshot(), carried });

  return {
    observe(face, at) {
      if (state && face && continues(face, state.box, state.reference)) {
        pending = [];
        state.box = face.box;
        state.absentFrames = 0;
        state.track.lastSeenAt = at;
        state.track.frames += 1;
        if (face.descriptor) state.reference = state.reference ? blend(state.reference, face.descriptor, c.referenceWeight) : Float32Array.from(face.descriptor);
        return step(null, 'continued');
      }
      // This frame does not show the tracked face (no face, or a different one).
      let ended: TrackStep['ended'] = null;
      if (state) {
        state.absentFrames += 1;
        if (state.absentFrames >= c.lostFrames && at - state.track.lastSeenAt >= c.lostAfterMs) {
          ended = { track: { ...state.track }, reason: 'left' };
          state = null;
        }
      }
      if (!face) {
        pending = [];
        return step(ended, 'none');
      }
      const last = pending[pending.length - 1];
      if (last && continues(face, last.box, last.descriptor)) pending.push(face);
      else pending = [face];
      // While the tracked face may still be there, a different face for a frame is a wobble.
      if (state && pending.length < c.confirmFrames) return step(ended, 'pending');
      if (state) ended = { track: { ...state.track }, reason: 'replaced' };
      let reference: Float32Array | null = null;
      for (const p of pending) if (p.descriptor) reference = reference ? blend(reference, p.descriptor, c.referenceWeight) : Float32Array.from(p.descriptor);
      const carried = pending.length - 1;
      state = { track: { id: nextId++, startedAt: at, lastSeenAt: at, frames: pending.length }, box: face.box, reference, absentFrames: 0 };
      pending = [];
      return step(ended, 'started', carried);
    },
    current: snapshot,
    renew(at) {
      if (!state) return null;
      const ended = { ...state.track };
      state = { ...state, track: { id: nextId++, startedAt: at, lastSeenAt: ended.lastSeenAt, frames: 0 } };
      pending = [];
      return { ended, track: { ...state.track } };
    },
    reset() {
      state = null;
      pending = [];
    },
  };
}

/** Intersection over union of two boxes (0 = apart, 1 = the same box). Pure. */
export function iou(a: NormalisedBox, b: NormalisedBox): number {
  const x1 = Math.max(a.x, b.x);
  const y1 = Math.max(a.y, b.y);
  const x2 = Math.min(a.x + a.width, b.x + b.width);
  const y2 = Math.min(a.y + a.height, b.y + b.height);
  const inter = Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
  const union = a.width * a.height + b.width * b.height - inter;
  return union > 0 ? inter / union : 0;
}

function euclidean(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i += 1) {
    const d = a[i] - b[i];
    sum += d * d;
  }
  return Math.sqrt(sum);
}

function blend(reference: Float32Array, next: Float32Array, weight: number): Float32Array {
  const out = new Float32Array(reference.length);
  for (let i = 0; i < reference.length; i += 1) out[i] = reference[i] * (1 - weight) + next[i] * weight;
  return out;
}
