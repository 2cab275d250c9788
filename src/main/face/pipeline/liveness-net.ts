/**
 * The passive anti-spoof check of the face worker: upstream MiniFASNet's two nets (V2 on a 2.7x
 * face crop, V1SE on a 4.0x crop; converted to ONNX by scripts/models) run with onnxruntime-node on
 * the main face of a frame, giving p(real) per net and upstream's combined score.
 */
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { livenessInput, type IntBox } from './liveness-crop';
import { loadSession } from './onnx-session';
import type { LivenessScore, RgbFrame } from './types';

/** Side of both nets' square input. */
export const ANTI_SPOOF_INPUT_SIZE = 80;

/**
 * The two nets, their ONNX files (written by scripts/models/build-models.ts) and crop scales (from
 * upstream's file names 2.7_80x80_MiniFASNetV2.pth and 4_0_0_80x80_MiniFASNetV1SE.pth).
 */
export const ANTI_SPOOF_MODELS = {
  v2: { file: 'anti-spoof-minifasnet-v2.onnx', cropScale: 2.7 },
  v1se: { file: 'anti-spoof-minifasnet-v1se.onnx', cropScale: 4.0 },
} as const;

export type AntiSpoofNet = keyof typeof ANTI_SPOOF_MODELS;

/** Index of the "real face" class in both nets' 3 logits (0 and 2 are spoof classes). */
const REAL_CLASS = 1;

export interface LivenessNets {
  /** Scores the face in `box` (upstream's integer [x, y, w, h]); resolves null when the box is empty. */
  score(frame: RgbFrame, box: IntBox): Promise<LivenessScore | null>;
  /** One net's 3 logits for a [1, 3, 80, 80] BGR 0..255 input. */
  logits(net: AntiSpoofNet, input: Float32Array): Promise<Float32Array>;
  close(): Promise<void>;
}

/** Softmax probability of class `index` (computed in double precision). */
export function softmaxAt(logits: ArrayLike<number>, index: number): number {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += Math.exp(logits[i] - max);
  return Math.exp(logits[index] - max) / sum;
}

/**
 * Loads both nets from modelsDir (each checked against its sha256 in the manifest when one is
 * given). Rejects with a message naming the file and `npm run models:build` when one is missing
 * or damaged.
 */
export async function loadLivenessNets(options: { modelsDir: string; hashes: Record<string, string>; threads: number }): Promise<LivenessNets> {
  const load = (file: string): Promise<ort.InferenceSession> => loadSession(join(options.modelsDir, file), options.hashes[file], options.threads);
  const sessions: Record<AntiSpoofNet, ort.InferenceSession> = {
    v2: await load(ANTI_SPOOF_MODELS.v2.file),
    v1se: await load(ANTI_SPOOF_MODELS.v1se.file),
  };

  async function logits(net: AntiSpoofNet, input: Float32Array): Promise<Float32Array> {
    const session = sessions[net];
    const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', input, [1, 3, ANTI_SPOOF_INPUT_SIZE, ANTI_SPOOF_INPUT_SIZE]) };
    const result = await session.run(feeds);
    const out = result[session.outputNames[0]];
    const data = new Float32Array(out.data as Float32Array);
    out.dispose?.();
    return data;
  }

  async function realProbability(net: AntiSpoofNet, frame: RgbFrame, box: IntBox): Promise<number | null> {
    const input = livenessInput(frame, box, ANTI_SPOOF_MODELS[net].cropScale, ANTI_SPOOF_INPUT_SIZE);
    return input ? softmaxAt(await logits(net, input.tensor), REAL_CLASS) : null;
  }

  return {
    async score(frame, box) {
      // onnxruntime-node runs the two sessions one after the other even when both are awaited
      // together (measured: the pair takes as long either way, twice one net), but this way the
      // second crop is made on this thread while the first net runs.
      const [v2, v1se] = await Promise.all([realProbability('v2', frame, box), realProbability('v1se', frame, box)]);
      if (v2 === null || v1se === null) return null;
      return { v2, v1se, real: (v2 + v1se) / 2 };
    },
    logits,
    async close() {
      await Promise.all([sessions.v2.release(), sessions.v1se.release()]);
    },
  };
}
