/**
 * The presentation-attack seam of the face service: a passive liveness score per frame, used as a
 * soft signal. The score comes from the face worker, which runs upstream MiniFASNet's two nets on
 * the main face of every frame with a descriptor (pipeline/liveness-net.ts); this module reads it
 * and holds the single-frame operating point. When the worker has no anti-spoof models the score
 * is null ("unknown"), never a made-up value.
 */
import type { FaceAnalysis } from './pipeline/types';
import type { RgbImage } from './jpeg';

export interface AntiSpoof {
  readonly name: string;
  /** Whether score() reads the frame's pixels (the face service then keeps a copy of them). */
  readonly needsPixels: boolean;
  /** Resolves 0..1 (higher = more likely a live face) or null when it cannot judge this frame. */
  score(frame: RgbImage, analysis: FaceAnalysis): Promise<number | null>;
}

/**
 * A frame whose combined p(real) is below this is a suspected photo or screen: one in three, the
 * probability MiniFASNet's 3-class softmax gives "real" when it has no evidence either way, and
 * the lowest value at which upstream's own rule (the real class wins the summed softmax) can still
 * call a face real. The score distributions are far apart (attacks the model recognises sit below
 * 0.01, live webcam faces mostly above 0.9); what falls between is mostly live faces in unusual
 * conditions (very close, eyes closed) and attacks the model does not see at all (close-up prints
 * without an edge, worn masks, spread up to 1.0), so a higher threshold would flag more staff while
 * catching few more attacks. Measured per folder and attack type by bench/liveness.bench.ts.
 */
export const SPOOF_THRESHOLD = 1 / 3;

/** The default scorer: the face worker's MiniFASNet score (upstream's mean of both nets), null when it has none. */
export const passiveAntiSpoof: AntiSpoof = {
  name: 'minifasnet',
  needsPixels: false,
  score: async (_frame, analysis) => analysis.liveness?.real ?? null,
};

/** Anti-spoof unavailable: liveness unknown. */
export const noAntiSpoof: AntiSpoof = {
  name: 'none',
  needsPixels: false,
  score: async () => null,
};

/** Whether a liveness score flags a presentation attack (null = unknown = not flagged). */
export function isSpoofSuspected(liveness: number | null, threshold = SPOOF_THRESHOLD): boolean {
  return liveness !== null && liveness < threshold;
}
