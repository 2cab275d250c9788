/** Turns the pipeline's quality signals into the one piece of guidance the screen shows, and says whether a frame is good enough to recognise or to enrol from. */
import type { Guidance } from '../../shared/domain/types';
import type { FaceAnalysis, FaceQuality } from './pipeline/types';

/** Limits of the quality gates. Sizes are fractions of the frame height, angles in degrees. */
export interface QualityLimits {
  /** Face box height / frame height below which the person is asked to come closer. */
  minSize: number;
  /** Above this the face fills the frame and the person is asked to step back. */
  maxSize: number;
  /** Centre offset (0 = centred, 1 = at an edge) above which the person is asked to centre. */
  maxCentreOffset: number;
  maxYawDeg: number;
  maxPitchDeg: number;
  /** Mean grey level of the face below which it is too dark / above which too bright. */
  minBrightness: number;
  maxBrightness: number;
  /** Laplacian variance of the descriptor crop below which the frame counts as blurred. */
  minBlur: number;
  /** A second face at least this fraction of the main face's height asks for one person at a time. */
  rivalFaceRatio: number;
}

/** Limits for recognising at the kiosk: permissive enough for ordinary lobby light. */
export const RECOGNITION_LIMITS: QualityLimits = {
  minSize: 0.18,
  maxSize: 0.8,
  maxCentreOffset: 0.55,
  maxYawDeg: 30,
  maxPitchDeg: 30,
  minBrightness: 45,
  maxBrightness: 215,
  minBlur: 15,
  rivalFaceRatio: 0.75,
};

/** Stricter limits for enrolment: a template is only as good as the frame it came from. */
export const ENROLMENT_LIMITS: QualityLimits = {
  minSize: 0.22,
  maxSize: 0.75,
  maxCentreOffset: 0.45,
  maxYawDeg: 25,
  maxPitchDeg: 22,
  minBrightness: 55,
  maxBrightness: 205,
  minBlur: 25,
  rivalFaceRatio: 0.6,
};

/**
 * The guidance for one analysed frame: 'ok' only when a main face passes every gate. The order
 * of the checks is the order in which a person can fix things (one at a time, distance, position,
 * pose, light, stillness). Pure.
 */
export function guidanceFor(analysis: Pick<FaceAnalysis, 'faces' | 'mainIndex' | 'quality'>, limits: QualityLimits = RECOGNITION_LIMITS): Guidance {
  const { faces, mainIndex, quality } = analysis;
  if (mainIndex < 0 || !quality) {
    // Faces were found but none qualified as the main face: almost always because they are small.
    return faces.length > 0 ? 'move_closer' : 'ok';
  }
  const main = faces[mainIndex];
  if (main) {
    const rival = faces.some((face, index) => index !== mainIndex && face.box.height >= main.box.height * limits.rivalFaceRatio);
    if (rival) return 'one_at_a_time';
  }
  return guidanceForQuality(quality, limits);
}

/** The gate checks on the main face's quality alone (see {@link guidanceFor}). Pure. */
export function guidanceForQuality(quality: FaceQuality, limits: QualityLimits = RECOGNITION_LIMITS): Guidance {
  if (quality.sizeFraction > limits.maxSize) return 'step_back';
  if (quality.sizeFraction < limits.minSize) return 'move_closer';
  if (quality.clipped || quality.centreOffset > limits.maxCentreOffset) return 'center_face';
  if (Math.abs(quality.yawDeg) > limits.maxYawDeg || Math.abs(quality.pitchDeg) > limits.maxPitchDeg) return 'face_camera';
  if (quality.brightness < limits.minBrightness) return 'too_dark';
  if (quality.brightness > limits.maxBrightness) return 'too_bright';
  if (quality.blur < limits.minBlur) return 'hold_still';
  return 'ok';
}

/**
 * A 0..1 quality score of a frame that passed the gates, used to rank templates: larger, more
 * frontal, sharper and better lit faces score higher. Pure.
 */
export function qualityScore(quality: FaceQuality): number {
  const size = clamp01((quality.sizeFraction - 0.1) / 0.3);
  const pose = clamp01(1 - (Math.abs(quality.yawDeg) + Math.abs(quality.pitchDeg)) / 60);
  const centre = clamp01(1 - quality.centreOffset);
  const sharp = clamp01(quality.blur / 100);
  const light = clamp01(1 - Math.abs(quality.brightness - 128) / 128);
  return Math.round((0.25 * size + 0.3 * pose + 0.1 * centre + 0.2 * sharp + 0.15 * light) * 1000) / 1000;
}

function clamp01(value: number): number {
  return value < 0 ? 0 : value > 1 ? 1 : value;
}
