/**
 * The face tests' and benchmarks' real-photo fixtures, free of any test-runner import so that the
 * benchmarks can use them: the real ONNX pipeline, its analyses of the shared photos, an analyser
 * that replays them, a hand-driven clock and an empty frame.
 */
import path from 'node:path';
import { createFacePipeline, type FacePipeline } from '../../../src/main/face/pipeline/face-pipeline';
import type { FaceAnalysis, RgbFrame } from '../../../src/main/face/pipeline/types';
import { createMemoryLogger } from '../../../src/main/logging/logger';
import { defaultConfig, type KioskConfig } from '../../../src/shared/config/schema';
import { decodePhotoAsFrame, listPhotos, type LabelledPhoto } from '../../support/media/photos';
import { createFakeClock, type FakeClock } from '../../support/fake-clock';

export const MODELS_DIR = path.resolve(__dirname, '../../../models');

/** The shared hand-driven clock (tests/support/fake-clock.ts), started at a fixed morning. */
export type ManualClock = FakeClock;

export function manualClock(start = Date.parse('2026-11-27T09:00:00Z')): ManualClock {
  return createFakeClock(new Date(start));
}

export interface AnalysedPhoto extends LabelledPhoto {
  frame: RgbFrame;
  analysis: FaceAnalysis;
}

let pipelinePromise: Promise<FacePipeline> | null = null;

/** The real ONNX face pipeline (models/ must have been built by scripts/models/build-models.ts). */
export function realPipeline(): Promise<FacePipeline> {
  pipelinePromise ??= createFacePipeline({ modelsDir: MODELS_DIR, logger: createMemoryLogger(), threads: 1 });
  return pipelinePromise;
}

/** Decodes every shared photo as a 640x480 camera-like frame and analyses it with the real pipeline. */
export async function analysePhotos(): Promise<AnalysedPhoto[]> {
  const pipeline = await realPipeline();
  const out: AnalysedPhoto[] = [];
  for (const photo of listPhotos()) {
    const frame = decodePhotoAsFrame(photo.file);
    out.push({ ...photo, frame, analysis: await pipeline.analyse(frame) });
  }
  return out;
}

/**
 * An analyser that answers frames it has already seen from the real pipeline's earlier result
 * (the same bytes give the same analysis), so a frame can be shown several times cheaply.
 */
export function replayingAnalyser(known: AnalysedPhoto[], pipeline?: FacePipeline): { analyse(frame: RgbFrame): Promise<FaceAnalysis | null>; calls: number } {
  const byFrame = new Map<Uint8Array, FaceAnalysis>(known.map((p) => [p.frame.rgb, p.analysis]));
  const analyser = {
    calls: 0,
    async analyse(frame: RgbFrame): Promise<FaceAnalysis | null> {
      analyser.calls += 1;
      const hit = byFrame.get(frame.rgb);
      if (hit) return hit;
      if (!pipeline) throw new Error('frame not analysed before');
      const analysis = await pipeline.analyse(frame);
      byFrame.set(frame.rgb, analysis);
      return analysis;
    },
  };
  return analyser;
}

/** A black 640x480 frame: no face. */
export function emptyFrame(): RgbFrame {
  return { rgb: new Uint8Array(640 * 480 * 3), width: 640, height: 480 };
}

/**
 * The default config with liveness off: still photos (and videos made of them) are what the
 * liveness check exists to refuse, so the tests of tracking, recognition and enrolment that show
 * them turn it off, as the demo does. Liveness itself: anti-spoof.test.ts and liveness-*.test.ts.
 */
export function stillPhotoConfig(): KioskConfig {
  const config = defaultConfig();
  return { ...config, recognition: { ...config.recognition, liveness: 'off' } };
}
