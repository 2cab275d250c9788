/**
 * The single-frame operating point of the passive liveness score. The score itself comes from the
 * face worker, which runs upstream MiniFASNet's two nets on the main face of every frame with a
 * descriptor (pipeline/liveness-net.ts, `FaceAnalysis.liveness`); when the worker has no anti-spoof
 * models it is null ("unknown"), never a made-up value. Decisions are made over a track's frames
 * (liveness-decision.ts); one frame's score only chooses the guidance on screen.
 */

/**
 * A frame whose combined p(real) is below this is a suspected photo or screen: one in three, the
 * probability MiniFASNet's 3-class softmax gives "real" when it has no evidence either way, and
 * the lowest value at which upstream's own rule (the real class wins the summed softmax) can still
 * call a face real. The score distributions are far apart (attacks the model recognises sit below
 * 0.01, live webcam faces mostly above 0.9); what falls between is mostly live faces in unusual
 * conditions (very close, eyes closed) and attacks the model does not see at all (close-up prints
 * without an edge, worn masks, spread up to 1.0). Measured per folder and attack type by
 * bench/liveness.bench.ts.
 */
export const SPOOF_THRESHOLD = 1 / 3;

/** Whether a liveness score flags a presentation attack (null = unknown = not flagged). */
export function isSpoofSuspected(liveness: number | null, threshold = SPOOF_THRESHOLD): boolean {
  return liveness !== null && liveness < threshold;
}
