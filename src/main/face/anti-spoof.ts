/**
 * The presentation-attack seam: a passive liveness scorer used as a soft signal only. No scorer
 * ships yet (see the README: the npm candidates are TensorFlow.js graph models or of unclear
 * origin), so the default reports null ("unknown"), never a made-up score.
 */
import type { FaceAnalysis } from './pipeline/types';
import type { RgbImage } from './jpeg';

export interface AntiSpoof {
  readonly name: string;
  /** Resolves 0..1 (higher = more likely a live face) or null when it cannot judge this frame. */
  score(frame: RgbImage, analysis: FaceAnalysis): Promise<number | null>;
}

/** Scores below this count as a suspected photo or screen. */
export const SPOOF_THRESHOLD = 0.5;

/** The default: anti-spoof unavailable, liveness unknown. */
export const noAntiSpoof: AntiSpoof = {
  name: 'none',
  score: async () => null,
};

/** Whether a liveness score flags a presentation attack (null = unknown = not flagged). */
export function isSpoofSuspected(liveness: number | null, threshold = SPOOF_THRESHOLD): boolean {
  return liveness !== null && liveness < threshold;
}
