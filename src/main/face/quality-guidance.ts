/**
 * Turns the pipeline's quality signals into the one piece of guidance the screen shows, says whether
 * a frame may be matched at all, and whether it is good enough to enrol from. The limits were
 * measured on the shared photos under simulated camera conditions (bench/face-recognition.bench.ts):
 * at the kiosk most gates only guide, because the frames they flag still matched their own person and
 * never anyone else; a frame is kept from matching only when another face competes with it or the
 * head is turned too far for the landmarks to be trusted.
 */
import type { Guidance } from '../../shared/domain/types';
import type { FaceAnalysis, FaceQuality } from './pipeline/types';

/** Limits of the quality gates. Sizes are fractions of the frame height, angles in degrees (see FaceQuality). */
export interface QualityLimits {
  /** Face box height / frame height below which the person is asked to come closer. */
  minSize: number;
  /** Above this the face fills the frame and the person is asked to step back. */
  maxSize: number;
  /** Centre offset (0 = centred, 1 = at an edge) above which the person is asked to centre. */
  maxCentreOffset: number;
  maxYawDeg: number;
  maxPitchDeg: number;
  /** Head tilt: the descriptor crop is not rotated, so a tilted head matches worse. */
  maxRollDeg: number;
  /** Mean grey level of the face below which it is too dark / above which too bright. */
  minBrightness: number;
  maxBrightness: number;
  /** Laplacian variance of the descriptor crop below which the frame counts as blurred. */
  minBlur: number;
  /** A second face at least this fraction of the main face's height asks for one person at a time. */
  rivalFaceRatio: number;
}

/**
 * Guidance at the kiosk. These limits choose the hint on screen; apart from a rival face they do not
 * keep a frame from matching (see {@link assessFrame}). Measured on 549 frames (the shared photos
 * under 19 simulated camera conditions, leave-one-out): of the frames each gate flags, those that
 * would have matched their own person were size 11 of 12, centring 66 of 69, pose 6 of 9, light 27
 * of 30, blur 40 of 58, and none would have matched anyone else. Refusing them all cost 29 % of the
 * own-person matches.
 */
export const RECOGNITION_LIMITS: QualityLimits = {
  minSize: 0.15,
  maxSize: 0.8,
  maxCentreOffset: 0.55,
  maxYawDeg: 25,
  maxPitchDeg: 25,
  maxRollDeg: 20,
  minBrightness: 30,
  maxBrightness: 230,
  minBlur: 15,
  rivalFaceRatio: 0.75,
};

/**
 * Limits for enrolment captures: a template is only as good as the frame it came from. Measured as
 * above, a frame each gate refuses would, as a person's only template, have recognised this share of
 * their other photos (frames it accepts in brackets): blur (Laplacian variance under 25) 51 % (86 %),
 * pose, mostly a head tilted 15 degrees or more, 58 % (82 %), light (under 30 or over 230) 70 % (81 %),
 * a face cut by the frame's border 76 % (80 %), under 0.15 of the frame 76 % (80 %). Where the face
 * sits in the frame made no difference, so centring only refuses a face cut by the border. Enrolment
 * refuses a frame by waiting for a better one while guiding the person, never by failing.
 */
export const ENROLMENT_LIMITS: QualityLimits = {
  minSize: 0.15,
  maxSize: 0.8,
  maxCentreOffset: 1,
  maxYawDeg: 25,
  maxPitchDeg: 25,
  maxRollDeg: 15,
  minBrightness: 30,
  maxBrightness: 230,
  minBlur: 25,
  rivalFaceRatio: 0.6,
};

/**
 * Beyond these angles the 68 landmarks (and with them the descriptor crop) are not trustworthy:
 * such frames are not matched at all. The shared photos never come near (the most turned face, in
 * a group photo, reads 25 degrees).
 */
export const MATCH_POSE_LIMITS = { maxYawDeg: 45, maxPitchDeg: 40 } as const;

/** What one analysed frame means at the kiosk: what to tell the person, and whether its descriptor may be matched. */
export interface FrameAssessment {
  guidance: Guidance;
  /**
   * True when the frame has a main face whose descriptor may be matched. A matchable frame with
   * guidance other than 'ok' is still being guided: a confident match counts, a miss does not mean
   * "not recognised".
   */
  matchable: boolean;
}

/**
 * Assesses one frame for recognition: the guidance of {@link guidanceFor}, and whether to match it.
 * Only a competing face of similar size (who is clocking?) or an extreme head pose keeps a frame
 * from being matched. Pure.
 */
export function assessFrame(analysis: Pick<FaceAnalysis, 'faces' | 'mainIndex' | 'quality' | 'descriptor'>, limits: QualityLimits = RECOGNITION_LIMITS): FrameAssessment {
  const guidance = guidanceFor(analysis, limits);
  const { quality } = analysis;
  const matchable =
    quality !== null &&
    analysis.descriptor !== null &&
    analysis.mainIndex >= 0 &&
    !hasRivalFace(analysis, limits) &&
    Math.abs(quality.yawDeg) <= MATCH_POSE_LIMITS.maxYawDeg &&
    Math.abs(quality.pitchDeg) <= MATCH_POSE_LIMITS.maxPitchDeg;
  return { guidance, matchable };
}

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
  if (hasRivalFace(analysis, limits)) return 'one_at_a_time';
  return guidanceForQuality(quality, limits);
}

/** The gate checks on the main face's quality alone (see {@link guidanceFor}). Pure. */
export function guidanceForQuality(quality: FaceQuality, limits: QualityLimits = RECOGNITION_LIMITS): Guidance {
  if (quality.sizeFraction > limits.maxSize) return 'step_back';
  if (quality.sizeFraction < limits.minSize) return 'move_closer';
  if (quality.clipped || quality.centreOffset > limits.maxCentreOffset) return 'center_face';
  if (Math.abs(quality.yawDeg) > limits.maxYawDeg || Math.abs(quality.pitchDeg) > limits.maxPitchDeg || Math.abs(quality.rollDeg) > limits.maxRollDeg) {
    return 'face_camera';
  }
  if (quality.brightness < limits.minBrightness) return 'too_dark';
  if (quality.brightness > limits.maxBrightness) return 'too_bright';
  if (quality.blur < limits.minBlur) return 'hold_still';
  return 'ok';
}

function hasRivalFace(analysis: Pick<FaceAnalysis, 'faces' | 'mainIndex'>, limits: QualityLimits): boolean {
  const main = analysis.faces[analysis.mainIndex];
  if (!main) return false;
  return analysis.faces.some((face, index) => index !== analysis.mainIndex && face.box.height >= main.box.height * limits.rivalFaceRatio);
}

/**
 * A 0..1 quality score of a frame that passed the gates, used to rank templates: larger, more
 * frontal, sharper and better lit faces score higher. Pure.
 */
export function qualityScore(quality: FaceQuality): number {
  const size = clamp01((quality.sizeFraction - 0.1) / 0.3);
  const pose = clamp01(1 - (Math.abs(quality.yawDeg) + Math.abs(quality.pitchDeg) + Math.abs(quality.rollDeg)) / 45);
  const centre = clamp01(1 - quality.centreOffset);
  const sharp = clamp01(quality.blur / 100);
  const light = clamp01(1 - Math.abs(quality.brightness - 128) / 128);
  return Math.round((0.25 * size + 0.3 * pose + 0.1 * centre + 0.2 * sharp + 0.15 * light) * 1000) / 1000;
}

function clamp01(value: number): number {
  return value < 0 ? 0 : value > 1 ? 1 : value;
}
