/** The face pipeline's output types, shared by the worker, its client and the matching/decision code. */

/** One RGB24 frame handed to the pipeline (tightly packed, width*height*3 bytes). */
export interface RgbFrame {
  rgb: Uint8Array;
  width: number;
  height: number;
}

/** A face box normalised to the frame (0..1 on both axes, origin top-left). */
export interface NormalisedBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** One detected face. */
export interface DetectedFace {
  box: NormalisedBox;
  /** Detector confidence 0..1. */
  score: number;
}

/** A point in frame pixels. */
export interface Point {
  x: number;
  y: number;
}

/** Quality signals of the main face, used by the decision code to gate and to produce guidance. */
export interface FaceQuality {
  /** Face box height divided by frame height (0..1). */
  sizeFraction: number;
  /** Distance of the face box centre from the frame centre, in units of half the frame (0 = centred, 1 = at an edge). */
  centreOffset: number;
  /** Signed horizontal offset of the face centre, -1 (left edge) .. 1 (right edge). */
  centreOffsetX: number;
  /** Signed vertical offset of the face centre, -1 (top edge) .. 1 (bottom edge). */
  centreOffsetY: number;
  /** Head yaw in degrees (a 3D mean face fitted to the 68 landmarks, relative to the line of sight): 0 = facing the camera, positive = nose towards the image's right. */
  yawDeg: number;
  /** Head pitch in degrees (same fit): 0 = level, positive = looking down. */
  pitchDeg: number;
  /** Head roll in degrees (same fit): 0 = upright, positive = the top of the head leans towards the image's right. */
  rollDeg: number;
  /** Variance of the Laplacian of the grey 150x150 descriptor crop: low = blurred (sharp photos at 640x480: about 80-900; a 3 px box blur halves it or more). */
  blur: number;
  /** Mean grey level of the face region 0..255. */
  brightness: number;
  /** Whether the face touches the frame border (partly outside). */
  clipped: boolean;
}

/** Per-stage timings of one analysis, in milliseconds. */
export interface StageTimings {
  detect: number;
  landmarks: number;
  crop: number;
  descriptor: number;
  /** Both passive anti-spoof nets (crops + inference); 0 when they did not run. */
  liveness: number;
  total: number;
}

/**
 * Passive liveness of the main face from upstream MiniFASNet's two nets: the softmax probability
 * of class 1 ("real face") of each, and upstream's combined rule (the mean of both softmaxes).
 * A soft signal: see docs/threat-model.md for what it catches and what it misses.
 */
export interface LivenessScore {
  /** p(real) of MiniFASNetV2 on its 2.7x face crop, 0..1. */
  v2: number;
  /** p(real) of MiniFASNetV1SE on its 4.0x face crop, 0..1. */
  v1se: number;
  /** The mean of both, 0..1: upstream's rule (it calls a face real when this class wins the summed softmax). */
  real: number;
}

/** The result of analysing one frame. */
export interface FaceAnalysis {
  width: number;
  height: number;
  /** Every face the detector found (score >= its threshold), in detector order. */
  faces: DetectedFace[];
  /** Index into faces of the face the kiosk acts on, or -1 when none qualifies. */
  mainIndex: number;
  /** Quality of the main face; null when mainIndex is -1. */
  quality: FaceQuality | null;
  /** The 68 landmarks of the main face in frame pixels; null when mainIndex is -1. */
  landmarks: Point[] | null;
  /** face-api.js-compatible 128-d descriptor of the main face; null when mainIndex is -1. */
  descriptor: Float32Array | null;
  /** Passive liveness of the main face, scored on every frame with a descriptor; null without a descriptor or when the anti-spoof models are unavailable. */
  liveness: LivenessScore | null;
  timings: StageTimings;
}
