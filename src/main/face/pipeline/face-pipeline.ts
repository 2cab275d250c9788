/**
 * The on-device face pipeline: tiny face detector -> main face -> 68 landmarks -> face-api crop ->
 * 128-d descriptor, all face-api.js nets converted to ONNX and run with onnxruntime-node (spinning
 * off), so descriptors match the HotelMate web app's while taking milliseconds instead of 0.3 s;
 * then the passive anti-spoof nets (MiniFASNet) on the same face. Runs inside the face worker
 * thread; plain Node, no electron.
 */
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { Logger } from '../../logging/logger';
import { clipAtImageBorders, cropPadResize, laplacianVariance, meanBrightness, toGrey, type PixelRect } from './image-ops';
import { decodeTinyDetections, dlibAlignedBox, estimateHeadPose, landmarksFromNet, type Box } from './face-geometry';
import { retinaFaceLikeBox } from './liveness-crop';
import { loadLivenessNets, type LivenessNets } from './liveness-net';
import { loadSession, manifestHashes } from './onnx-session';
import type { DetectedFace, FaceAnalysis, FaceQuality, Point, RgbFrame, StageTimings } from './types';

/** Model files in modelsDir (written by scripts/models/build-models.ts). */
export const FACE_MODEL_FILES = {
  detector: 'face-api-tiny-face-detector.onnx',
  landmarks: 'face-api-landmark68.onnx',
  recognition: 'face-api-recognition.onnx',
} as const;

/** Detector input size and score threshold as the HotelMate web app runs face-api.js. */
export const DETECTOR_INPUT_SIZE = 416;
export const DETECTOR_SCORE_THRESHOLD = 0.5;
const LANDMARK_INPUT_SIZE = 112;
/** Laplacian variance of a 64x64 face resample above which a face counts as fully sharp (real photos: 2000-6000). */
const SHARP_REFERENCE = 1500;
/** Side of face-api's descriptor crop. */
export const DESCRIPTOR_INPUT_SIZE = 150;

export interface FacePipelineOptions {
  modelsDir: string;
  logger: Logger;
  /** Intra-op threads per session (default 2: the kiosk has 2 cores). */
  threads?: number;
  /** Faces whose height is below this fraction of the frame are never the main face (default 0.12: about 2 m from a 640x480 webcam; people at the kiosk are 0.25+). */
  minMainFaceFraction?: number;
}

export interface FacePipeline {
  /**
   * Analyses one RGB24 frame. Resolves with every face, the main face's index, quality,
   * landmarks and descriptor (null fields when there is no main face) and per-stage timings.
   * Rejects only when onnxruntime fails; a frame without faces resolves with faces = [].
   */
  analyse(frame: RgbFrame): Promise<FaceAnalysis>;
  /** Runs the recognition net on a 150x150 NHWC RGB (0..255) input; resolves with the 128-d descriptor. */
  runRecognitionNet(input150: Float32Array): Promise<Float32Array>;
  /** Runs the landmark net on a 112x112 NHWC RGB input; resolves with 136 values relative to the square. */
  runLandmarkNet(input112: Float32Array): Promise<Float32Array>;
  /**
   * Problems that do not stop the analysis but leave part of it out, for the screen and the
   * diagnostics (today: the anti-spoof models missing or damaged, so liveness is always null).
   */
  problems(): string[];
  /** Releases the onnxruntime sessions. */
  close(): Promise<void>;
}

/** Euclidean distance between two descriptors (the metric HotelMate uses, threshold 0.6). */
export function euclidean(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`euclidean: length ${a.length} vs ${b.length}`);
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i];
    sum += d * d;
  }
  return Math.sqrt(sum);
}

/**
 * face-api.js's descriptor crop: the dlib aligned box from the eye and mouth centres of the 68
 * landmarks (frame pixels), clipped at the frame border, zero-padded to a centred square and
 * resized bilinearly to 150x150. landmarkCrop is the size of the box the landmarks were found in
 * (face-api caps the aligned box with it). Returns the pixel rect and the NHWC float32 input.
 */
export function descriptorCrop(
  frame: RgbFrame,
  landmarks: Point[],
  landmarkCrop: { width: number; height: number },
): { rect: PixelRect; input: Float32Array } {
  const aligned = dlibAlignedBox(landmarks, landmarkCrop.width, landmarkCrop.height);
  const rect = clipAtImageBorders(aligned, frame.width, frame.height);
  return { rect, input: cropPadResize(frame, rect, DESCRIPTOR_INPUT_SIZE, true) };
}

const now = (): number => performance.now();

/**
 * Loads the three face models and the two anti-spoof nets from modelsDir and returns the pipeline.
 * Rejects with a clear error naming the file when a face model is missing or corrupt (nothing is
 * retried). Missing or damaged anti-spoof nets do not stop it: the error is logged, problems()
 * reports it and every analysis has liveness null.
 */
export async function createFacePipeline(options: FacePipelineOptions): Promise<FacePipeline> {
  const { modelsDir, logger } = options;
  const threads = options.threads ?? 2;
  const minMainFaceFraction = options.minMainFaceFraction ?? 0.12;
  const hashes = manifestHashes(modelsDir, logger);
  const started = now();
  const load = (file: string): Promise<ort.InferenceSession> => loadSession(join(modelsDir, file), hashes[file], threads);
  const detector = await load(FACE_MODEL_FILES.detector);
  const landmarkNet = await load(FACE_MODEL_FILES.landmarks);
  const recognitionNet = await load(FACE_MODEL_FILES.recognition);
  logger.info('face models loaded', { modelsDir, threads, ms: Math.round(now() - started) });
  const problems: string[] = [];
  let livenessNets: LivenessNets | null = null;
  try {
    // One thread: on real crops a second one saves 0.45 ms of the 11.7 ms (p50) the pair takes, for
    // 4 ms more CPU per frame, which the camera, main and the renderer need on 2 cores.
    livenessNets = await loadLivenessNets({ modelsDir, hashes, threads: 1 });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    logger.error('anti-spoof models unavailable: faces are analysed without a liveness score', { error: message });
    problems.push(`Liveness check unavailable (photos and screens are not detected): ${message}`);
  }

  const detectorInput = new Float32Array(DETECTOR_INPUT_SIZE * DETECTOR_INPUT_SIZE * 3);

  async function run(session: ort.InferenceSession, input: Float32Array, size: number): Promise<Float32Array> {
    const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', input, [1, size, size, 3]) };
    const result = await session.run(feeds);
    const out = result[session.outputNames[0]];
    const data = out.data as Float32Array;
    out.dispose?.();
    return data;
  }

  async function detect(frame: RgbFrame): Promise<DetectedFace[]> {
    cropPadResize(frame, { x: 0, y: 0, width: frame.width, height: frame.height }, DETECTOR_INPUT_SIZE, false, detectorInput);
    const grid = await run(detector, detectorInput, DETECTOR_INPUT_SIZE);
    const cells = Math.round(Math.sqrt(grid.length / 25));
    return decodeTinyDetections(grid, cells, DETECTOR_INPUT_SIZE, frame.width, frame.height, DETECTOR_SCORE_THRESHOLD).map((d) => ({
      box: d.box,
      score: d.score,
    }));
  }

  /** Sharpness of a face region on a 64x64 grey resample (cheap, used to rank candidates). */
  function regionSharpness(frame: RgbFrame, box: Box): number {
    const rect = clipAtImageBorders(box, frame.width, frame.height);
    if (rect.width < 4 || rect.height < 4) return 0;
    return laplacianVariance(toGrey(cropPadResize(frame, rect, 64, true), 64 * 64), 64, 64);
  }

  /**
   * Picks the face to act on: big enough, well placed, confident and sharp; -1 when none. Size
   * alone is not trusted (a blurred region or a face in the background can score high and be
   * large): sharpness is measured on a 64x64 resample of each box and compared both to an absolute
   * level and to the sharpest candidate in the frame.
   */
  function chooseMain(frame: RgbFrame, faces: DetectedFace[]): number {
    const candidates: Array<{ i: number; base: number; sharpness: number }> = [];
    faces.forEach((face, i) => {
      const { x, y, width, height } = face.box;
      if (height < minMainFaceFraction) return;
      const cx = x + width / 2;
      const cy = y + height / 2;
      if (cx < 0.05 || cx > 0.95 || cy < 0.05 || cy > 0.95) return; // centre outside the frame's useful area
      const offset = Math.hypot((cx - 0.5) * 2, (cy - 0.5) * 2);
      const pixelBox = { x: x * frame.width, y: y * frame.height, width: width * frame.width, height: height * frame.height };
      candidates.push({ i, base: face.score * Math.sqrt(height) * (1 - 0.4 * Math.min(offset, 1)), sharpness: regionSharpness(frame, pixelBox) });
    });
    if (candidates.length === 0) return -1;
    const sharpest = Math.max(...candidates.map((c) => c.sharpness), 1e-6);
    let best = -1;
    let bestPriority = 0;
    for (const c of candidates) {
      const priority = c.base * Math.min(1, c.sharpness / SHARP_REFERENCE) * (c.sharpness / sharpest);
      if (priority > bestPriority) {
        bestPriority = priority;
        best = c.i;
      }
    }
    return best;
  }

  return {
    async analyse(frame: RgbFrame): Promise<FaceAnalysis> {
      if (!Number.isInteger(frame.width) || !Number.isInteger(frame.height) || frame.width < 16 || frame.height < 16) {
        throw new Error(`analyse: frame size ${frame.width}x${frame.height} is not a valid image (at least 16x16 pixels)`);
      }
      if (frame.rgb.length !== frame.width * frame.height * 3) {
        throw new Error(`analyse: frame is ${frame.rgb.length} bytes, expected ${frame.width}x${frame.height}x3`);
      }
      const t0 = now();
      const faces = await detect(frame);
      const t1 = now();
      const timings: StageTimings = { detect: t1 - t0, landmarks: 0, crop: 0, descriptor: 0, liveness: 0, total: 0 };
      const mainIndex = chooseMain(frame, faces);
      if (mainIndex < 0) {
        timings.total = now() - t0;
        return { width: frame.width, height: frame.height, faces, mainIndex, quality: null, landmarks: null, descriptor: null, liveness: null, timings };
      }
      const rel = faces[mainIndex].box;
      const box = { x: rel.x * frame.width, y: rel.y * frame.height, width: rel.width * frame.width, height: rel.height * frame.height };
      const t2 = now();
      const faceRect = clipAtImageBorders(box, frame.width, frame.height);
      const raw = await run(landmarkNet, cropPadResize(frame, faceRect, LANDMARK_INPUT_SIZE, true), LANDMARK_INPUT_SIZE);
      const landmarks = landmarksFromNet(raw, faceRect.width, faceRect.height, box.x, box.y, LANDMARK_INPUT_SIZE);
      const t3 = now();
      const crop = descriptorCrop(frame, landmarks, faceRect);
      const t4 = now();
      if (crop.rect.width < 8 || crop.rect.height < 8) {
        // Degenerate landmarks (e.g. a detector false positive): no usable face crop, so no main face.
        timings.landmarks = t3 - t2;
        timings.total = now() - t0;
        return { width: frame.width, height: frame.height, faces, mainIndex: -1, quality: null, landmarks: null, descriptor: null, liveness: null, timings };
      }
      const descriptor = await run(recognitionNet, crop.input, DESCRIPTOR_INPUT_SIZE);
      const t5 = now();
      const { yawDeg, pitchDeg, rollDeg } = estimateHeadPose(landmarks, frame);
      const cx = rel.x + rel.width / 2;
      const cy = rel.y + rel.height / 2;
      const quality: FaceQuality = {
        sizeFraction: rel.height,
        centreOffsetX: (cx - 0.5) * 2,
        centreOffsetY: (cy - 0.5) * 2,
        centreOffset: Math.hypot((cx - 0.5) * 2, (cy - 0.5) * 2),
        yawDeg,
        pitchDeg,
        rollDeg,
        blur: laplacianVariance(toGrey(crop.input, DESCRIPTOR_INPUT_SIZE * DESCRIPTOR_INPUT_SIZE), DESCRIPTOR_INPUT_SIZE, DESCRIPTOR_INPUT_SIZE),
        brightness: meanBrightness(frame, faceRect),
        clipped: box.x < 0 || box.y < 0 || box.x + box.width > frame.width || box.y + box.height > frame.height,
      };
      const t6 = now();
      const liveness = livenessNets ? await livenessNets.score(frame, retinaFaceLikeBox(landmarks)) : null;
      timings.liveness = now() - t6;
      timings.landmarks = t3 - t2;
      timings.crop = t4 - t3 + (t6 - t5);
      timings.descriptor = t5 - t4;
      timings.total = now() - t0;
      return { width: frame.width, height: frame.height, faces, mainIndex, quality, landmarks, descriptor: new Float32Array(descriptor), liveness, timings };
    },
    runRecognitionNet: (input150) => run(recognitionNet, input150, DESCRIPTOR_INPUT_SIZE).then((d) => new Float32Array(d)),
    runLandmarkNet: (input112) => run(landmarkNet, input112, LANDMARK_INPUT_SIZE).then((d) => new Float32Array(d)),
    problems: () => [...problems],
    async close(): Promise<void> {
      await Promise.all([detector.release(), landmarkNet.release(), recognitionNet.release(), livenessNets?.close()]);
    },
  };
}
