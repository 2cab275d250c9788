/**
 * The presentation-attack seam: a passive liveness scorer used as a soft signal only. No scorer
 * ships yet, so the default reports null ("unknown"), never a made-up score.
 *
 * Evaluated (2026-11, @vladmandic/human 3.3.6, MIT package): `models/antispoof.json` is a
 * TensorFlow.js graph model (128x128 input, fp16 weights) trained on Kaggle "fake-face-detection",
 * i.e. computer-generated faces, not printed photos or screens; `models/liveness.json` (32x32
 * input) comes from github.com/leokwu/livenessnet, a tutorial-grade net whose training data and
 * licence are undocumented. Neither runs in onnxruntime-node without a custom converter, and no
 * spoof samples exist here to validate either, so shipping one would be a score nobody can vouch for.
 * faceplugin's liveness ONNX was ruled out in docs/face-models.md (template licence, unreliable).
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
