/**
 * face-api.js's box and landmark arithmetic in plain functions: tiny-detector grid decoding and
 * non-max suppression, landmark post-processing, the "dlib" aligned box the descriptor crop uses;
 * and the head pose (yaw, pitch, roll) for the quality gates and enrolment, from a perspective-n-point
 * fit of a 3D mean face to the 68 points.
 */
import { MEAN_FACE_68 } from './mean-face-68';
import type { Point } from './types';

/** A box in pixels (fractional). */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The tiny face detector's anchors (face-api src/tinyFaceDetector/const.ts). */
export const TINY_ANCHORS: ReadonlyArray<{ x: number; y: number }> = [
  { x: 1.603231, y: 2.094468 },
  { x: 6.041143, y: 7.080126 },
  { x: 2.882459, y: 3.518061 },
  { x: 4.266906, y: 5.178857 },
  { x: 9.041765, y: 10.66308 },
];
const TINY_IOU_THRESHOLD = 0.4;

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

function iou(a: Box, b: Box): number {
  const w = Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x));
  const h = Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));
  const inter = w * h;
  return inter / (a.width * a.height + b.width * b.height - inter);
}

/** Greedy non-max suppression by descending score; returns the kept indices (best first). */
export function nonMaxSuppression(boxes: Box[], scores: number[], iouThreshold: number): number[] {
  let order = scores.map((s, i) => ({ s, i })).sort((a, b) => a.s - b.s).map((e) => e.i);
  const pick: number[] = [];
  while (order.length > 0) {
    const current = order.pop() as number;
    pick.push(current);
    order = order.filter((idx) => iou(boxes[current], boxes[idx]) <= iouThreshold);
  }
  return pick;
}

/**
 * Decodes the tiny detector's NCHW grid [25, cells, cells] into face boxes relative to the image
 * (0..1), as face-api's TinyYolov2Base.extractBoxes + NMS do for an image of imgWidth x imgHeight.
 */
export function decodeTinyDetections(
  grid: Float32Array,
  cells: number,
  inputSize: number,
  imgWidth: number,
  imgHeight: number,
  scoreThreshold: number,
): Array<{ box: Box; score: number }> {
  const scale = inputSize / Math.max(imgWidth, imgHeight);
  const reshapedW = Math.round(imgWidth * scale);
  const reshapedH = Math.round(imgHeight * scale);
  const side = Math.max(reshapedW, reshapedH);
  const corrX = side / reshapedW;
  const corrY = side / reshapedH;
  const plane = cells * cells;
  const boxes: Box[] = [];
  const scores: number[] = [];
  for (let row = 0; row < cells; row++) {
    for (let col = 0; col < cells; col++) {
      for (let a = 0; a < TINY_ANCHORS.length; a++) {
        const at = (k: number): number => grid[(a * 5 + k) * plane + row * cells + col];
        const score = sigmoid(at(4));
        if (score <= scoreThreshold) continue;
        const ctX = ((col + sigmoid(at(0))) / cells) * corrX;
        const ctY = ((row + sigmoid(at(1))) / cells) * corrY;
        const w = ((Math.exp(at(2)) * TINY_ANCHORS[a].x) / cells) * corrX;
        const h = ((Math.exp(at(3)) * TINY_ANCHORS[a].y) / cells) * corrY;
        boxes.push({ x: ctX - w / 2, y: ctY - h / 2, width: w, height: h });
        scores.push(score);
      }
    }
  }
  return nonMaxSuppression(boxes, scores, TINY_IOU_THRESHOLD).map((i) => ({ box: boxes[i], score: scores[i] }));
}

/**
 * face-api's FaceLandmark68NetBase.postProcess + FaceLandmarks constructor: raw net output
 * (136 values relative to the padded 112 square) -> 68 points in pixels of the crop, shifted.
 */
export function landmarksFromNet(raw: Float32Array, cropWidth: number, cropHeight: number, shiftX: number, shiftY: number, inputSize = 112): Point[] {
  const scale = inputSize / Math.max(cropWidth, cropHeight);
  const w = cropWidth * scale;
  const h = cropHeight * scale;
  const padX = w < h ? Math.abs(w - h) / 2 : 0;
  const padY = h < w ? Math.abs(w - h) / 2 : 0;
  const points: Point[] = [];
  for (let i = 0; i < 68; i++) {
    const rx = (raw[i * 2] * inputSize - padX) / w;
    const ry = (raw[i * 2 + 1] * inputSize - padY) / h;
    points.push({ x: rx * cropWidth + shiftX, y: ry * cropHeight + shiftY });
  }
  return points;
}

function centre(points: Point[], from: number, to: number): Point {
  let x = 0;
  let y = 0;
  for (let i = from; i < to; i++) {
    x += points[i].x;
    y += points[i].y;
  }
  return { x: x / (to - from), y: y / (to - from) };
}

/**
 * face-api's FaceLandmarks.alignDlib: the box around the eye and mouth centres (relX 0.5,
 * relY 0.43, relScale 0.45). cropWidth/cropHeight are the landmark crop's size, which face-api
 * uses as the landmarks' image size when capping the box.
 */
export function dlibAlignedBox(points: Point[], cropWidth: number, cropHeight: number): Box {
  const leftEye = centre(points, 36, 42);
  const rightEye = centre(points, 42, 48);
  const mouth = centre(points, 48, 68);
  const dist = (p: Point): number => Math.hypot(mouth.x - p.x, mouth.y - p.y);
  const eyeToMouth = (dist(leftEye) + dist(rightEye)) / 2;
  const size = Math.floor(eyeToMouth / 0.45);
  const ref = { x: (leftEye.x + rightEye.x + mouth.x) / 3, y: (leftEye.y + rightEye.y + mouth.y) / 3 };
  const x = Math.floor(Math.max(0, ref.x - 0.5 * size));
  const y = Math.floor(Math.max(0, ref.y - 0.43 * size));
  return { x, y, width: Math.min(size, cropWidth + x), height: Math.min(size, cropHeight + y) };
}


/** Head pose relative to the camera's line of sight to the head, in degrees. */
export interface HeadPose {
  /** Turn left/right: 0 = facing the camera, positive = nose towards the image's right. */
  yawDeg: number;
  /** Nod: 0 = level, positive = looking down. */
  pitchDeg: number;
  /** Tilt: 0 = upright, positive = the top of the head leans towards the image's right (clockwise as seen). */
  rollDeg: number;
  /** Root-mean-square distance between the landmarks and the fitted model, in centimetres on the face. */
  fitErrorCm: number;
}

/** What {@link estimateHeadPose} answers for landmarks it cannot fit (not 68 finite, distinct points): a pose no gate accepts. */
export const UNFITTABLE_POSE: Readonly<HeadPose> = { yawDeg: 90, pitchDeg: 0, rollDeg: 0, fitErrorCm: Number.POSITIVE_INFINITY };

type Mat3 = Float64Array; // row-major 3x3

const MODEL_X = Float64Array.from(MEAN_FACE_68, (p) => p[0]);
const MODEL_Y = Float64Array.from(MEAN_FACE_68, (p) => p[1]);
const MODEL_Z = Float64Array.from(MEAN_FACE_68, (p) => p[2]);
const DEG = 180 / Math.PI;
/**
 * Landmark weights. The sides of the jaw line (0-4, 12-16) lie on the face's outline, which slides
 * round the head as it turns instead of staying on one spot of the skin: they count half.
 */
const POSE_WEIGHTS = Float64Array.from({ length: 68 }, (_, i) => (i <= 4 || (i >= 12 && i <= 16) ? 0.5 : 1));
/** Residual (cm on the face) beyond which a landmark's weight falls off (Huber): one bad point cannot swing the pose. */
const ROBUST_CM = 0.6;
const MAX_ITERATIONS = 12;

/**
 * Head yaw, pitch and roll from the 68 landmarks (frame pixels) by a perspective-n-point fit of
 * a 3D mean face ({@link MEAN_FACE_68}) with a pinhole camera (focal length = image width,
 * principal point at the image centre): a scaled-orthographic start, then Levenberg-Marquardt on
 * the robust (Huber) reprojection error over rotation and translation. The angles are relative
 * to the line of sight from the camera to the head, so a person at the edge of the frame who
 * looks at the camera reads 0: that is what the descriptor sees. About 0.15 ms. Pure.
 */
export function estimateHeadPose(points: readonly Point[], image: { width: number; height: number }): HeadPose {
  if (points.length !== 68 || !points.every((p) => Number.isFinite(p.x) && Number.isFinite(p.y))) return { ...UNFITTABLE_POSE };
  const focal = image.width;
  const cx = image.width / 2;
  const cy = image.height / 2;
  const weights = POSE_WEIGHTS;

  const start = scaledOrthographicStart(points, weights, focal, cx, cy);
  if (!start) return { ...UNFITTABLE_POSE };
  let { rotation, translation } = start;
  const robust = new Float64Array(68);
  let lambda = 1e-3;
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration += 1) {
    updateRobustWeights(points, rotation, translation, focal, cx, cy, robust);
    const cost = reprojectionCost(points, weights, robust, rotation, translation, focal, cx, cy);
    const { hessian, gradient } = normalEquations(points, weights, robust, rotation, translation, focal, cx, cy);
    let nextCost = Number.POSITIVE_INFINITY;
    for (let attempt = 0; attempt < 8; attempt += 1) {
      const damped = Float64Array.from(hessian);
      for (let i = 0; i < 6; i += 1) damped[i * 7] += lambda * hessian[i * 7] + 1e-12;
      const step = solveLinear6(damped, gradient.map((g) => -g));
      if (!step) break;
      const nextRotation = multiply3(rodrigues(step[0], step[1], step[2]), rotation);
      const nextTranslation = Float64Array.of(translation[0] + step[3], translation[1] + step[4], translation[2] + step[5]);
      if (nextTranslation[2] > 0) nextCost = reprojectionCost(points, weights, robust, nextRotation, nextTranslation, focal, cx, cy);
      if (nextCost < cost) {
        rotation = nextRotation;
        translation = nextTranslation;
        lambda = Math.max(lambda / 10, 1e-9);
        break;
      }
      lambda *= 10;
    }
    // Stop when no step helps or the fit has settled (a relative gain below one part in a million).
    if (!(nextCost < cost) || cost - nextCost < cost * 1e-6) break;
  }

  // Relative to the line of sight: undo the rotation that turns the optical axis towards the head.
  const centre = translation; // the model's origin is the mean of its points
  const relative = multiply3(transpose3(rotationBetween(0, 0, 1, centre[0], centre[1], centre[2])), rotation);
  const pitch = Math.asin(clamp(-relative[5], -1, 1));
  const yaw = Math.atan2(relative[2], relative[8]);
  const roll = Math.atan2(relative[3], relative[4]);
  const rmsPx = Math.sqrt(reprojectionCost(points, weights, new Float64Array(68).fill(1), rotation, translation, focal, cx, cy) / sum(weights));
  return { yawDeg: -yaw * DEG, pitchDeg: pitch * DEG, rollDeg: roll * DEG, fitErrorCm: (rmsPx * translation[2]) / focal };
}

/**
 * Weak-perspective start: the affine camera that best maps the model onto the landmarks, its two
 * rows made orthonormal (the nearest rotation), the depth from its scale. Null for degenerate input.
 */
function scaledOrthographicStart(
  points: readonly Point[],
  weights: Float64Array,
  focal: number,
  cx: number,
  cy: number,
): { rotation: Mat3; translation: Float64Array } | null {
  const total = sum(weights);
  let ux = 0;
  let uy = 0;
  let mx = 0;
  let my = 0;
  let mz = 0;
  for (let i = 0; i < 68; i += 1) {
    const w = weights[i] / total;
    ux += w * points[i].x;
    uy += w * points[i].y;
    mx += w * MODEL_X[i];
    my += w * MODEL_Y[i];
    mz += w * MODEL_Z[i];
  }
  const a = new Float64Array(9); // sum w dX dX^T
  const b = new Float64Array(6); // sum w du dX^T (2x3)
  for (let i = 0; i < 68; i += 1) {
    const w = weights[i];
    const d = [MODEL_X[i] - mx, MODEL_Y[i] - my, MODEL_Z[i] - mz];
    const du = points[i].x - ux;
    const dv = points[i].y - uy;
    for (let r = 0; r < 3; r += 1) {
      for (let c = 0; c < 3; c += 1) a[r * 3 + c] += w * d[r] * d[c];
      b[r] += w * du * d[r];
      b[3 + r] += w * dv * d[r];
    }
  }
  const inverse = invert3(a);
  if (!inverse) return null;
  const row1 = [0, 1, 2].map((c) => b[0] * inverse[c] + b[1] * inverse[3 + c] + b[2] * inverse[6 + c]);
  const row2 = [0, 1, 2].map((c) => b[3] * inverse[c] + b[4] * inverse[3 + c] + b[5] * inverse[6 + c]);
  const s1 = Math.hypot(row1[0], row1[1], row1[2]);
  const s2 = Math.hypot(row2[0], row2[1], row2[2]);
  if (!(s1 > 1e-9 && s2 > 1e-9)) return null;
  const n1 = row1.map((v) => v / s1);
  const n2 = row2.map((v) => v / s2);
  const plus = normalise([n1[0] + n2[0], n1[1] + n2[1], n1[2] + n2[2]]);
  const minus = normalise([n1[0] - n2[0], n1[1] - n2[1], n1[2] - n2[2]]);
  if (!plus || !minus) return null;
  const e1 = [0, 1, 2].map((k) => (plus[k] + minus[k]) / Math.SQRT2);
  const e2 = [0, 1, 2].map((k) => (plus[k] - minus[k]) / Math.SQRT2);
  const e3 = [e1[1] * e2[2] - e1[2] * e2[1], e1[2] * e2[0] - e1[0] * e2[2], e1[0] * e2[1] - e1[1] * e2[0]];
  const rotation = Float64Array.of(e1[0], e1[1], e1[2], e2[0], e2[1], e2[2], e3[0], e3[1], e3[2]);
  const depth = focal / ((s1 + s2) / 2);
  // Place the rotated model so that its weighted centre projects onto the landmarks' centre at that depth.
  const rc = [0, 1, 2].map((r) => rotation[r * 3] * mx + rotation[r * 3 + 1] * my + rotation[r * 3 + 2] * mz);
  const translation = Float64Array.of(((ux - cx) * depth) / focal - rc[0], ((uy - cy) * depth) / focal - rc[1], depth - rc[2]);
  return { rotation, translation };
}

/** Camera coordinates of model point i. */
function transform(rotation: Mat3, translation: Float64Array, i: number): [number, number, number] {
  const x = MODEL_X[i];
  const y = MODEL_Y[i];
  const z = MODEL_Z[i];
  return [
    rotation[0] * x + rotation[1] * y + rotation[2] * z + translation[0],
    rotation[3] * x + rotation[4] * y + rotation[5] * z + translation[1],
    rotation[6] * x + rotation[7] * y + rotation[8] * z + translation[2],
  ];
}

function reprojectionCost(points: readonly Point[], weights: Float64Array, robust: Float64Array, rotation: Mat3, translation: Float64Array, focal: number, cx: number, cy: number): number {
  let cost = 0;
  for (let i = 0; i < 68; i += 1) {
    const [x, y, z] = transform(rotation, translation, i);
    const du = (focal * x) / z + cx - points[i].x;
    const dv = (focal * y) / z + cy - points[i].y;
    cost += weights[i] * robust[i] * (du * du + dv * dv);
  }
  return cost;
}

/** Huber weights: points whose residual exceeds {@link ROBUST_CM} (in pixels at the head's depth) count less. */
function updateRobustWeights(points: readonly Point[], rotation: Mat3, translation: Float64Array, focal: number, cx: number, cy: number, out: Float64Array): void {
  const thresholdPx = (ROBUST_CM * focal) / translation[2];
  for (let i = 0; i < 68; i += 1) {
    const [x, y, z] = transform(rotation, translation, i);
    const residual = Math.hypot((focal * x) / z + cx - points[i].x, (focal * y) / z + cy - points[i].y);
    out[i] = residual <= thresholdPx ? 1 : thresholdPx / residual;
  }
}

/**
 * Gauss-Newton normal equations for a left-multiplied rotation increment (omega) and a
 * translation increment: J^T W J and J^T W r over the 136 residuals.
 */
function normalEquations(
  points: readonly Point[],
  weights: Float64Array,
  robust: Float64Array,
  rotation: Mat3,
  translation: Float64Array,
  focal: number,
  cx: number,
  cy: number,
): { hessian: Float64Array; gradient: number[] } {
  const hessian = new Float64Array(36);
  const gradient = [0, 0, 0, 0, 0, 0];
  const ju = [0, 0, 0, 0, 0, 0];
  const jv = [0, 0, 0, 0, 0, 0];
  for (let i = 0; i < 68; i += 1) {
    const w = weights[i] * robust[i];
    const [x, y, z] = transform(rotation, translation, i);
    const rx = x - translation[0];
    const ry = y - translation[1];
    const rz = z - translation[2];
    const ru = (focal * x) / z + cx - points[i].x;
    const rv = (focal * y) / z + cy - points[i].y;
    // d(projection)/d(camera point)
    const uX = focal / z;
    const uZ = (-focal * x) / (z * z);
    const vY = focal / z;
    const vZ = (-focal * y) / (z * z);
    // d(camera point)/d(omega) = -[R X]x: columns for omega x, y, z
    // dP/dwx = (0, -rz, ry), dP/dwy = (rz, 0, -rx), dP/dwz = (-ry, rx, 0)
    ju[0] = uZ * ry;
    ju[1] = uX * rz - uZ * rx;
    ju[2] = -uX * ry;
    ju[3] = uX;
    ju[4] = 0;
    ju[5] = uZ;
    jv[0] = -vY * rz + vZ * ry;
    jv[1] = -vZ * rx;
    jv[2] = vY * rx;
    jv[3] = 0;
    jv[4] = vY;
    jv[5] = vZ;
    for (let r = 0; r < 6; r += 1) {
      gradient[r] += w * (ju[r] * ru + jv[r] * rv);
      for (let c = 0; c < 6; c += 1) hessian[r * 6 + c] += w * (ju[r] * ju[c] + jv[r] * jv[c]);
    }
  }
  return { hessian, gradient };
}

/** Solves the 6x6 system a x = b by Gaussian elimination with partial pivoting; null when singular. */
function solveLinear6(a: Float64Array, b: number[]): number[] | null {
  const m = Float64Array.from(a);
  const x = [...b];
  for (let col = 0; col < 6; col += 1) {
    let pivot = col;
    for (let r = col + 1; r < 6; r += 1) if (Math.abs(m[r * 6 + col]) > Math.abs(m[pivot * 6 + col])) pivot = r;
    if (Math.abs(m[pivot * 6 + col]) < 1e-12) return null;
    if (pivot !== col) {
      for (let c = 0; c < 6; c += 1) [m[col * 6 + c], m[pivot * 6 + c]] = [m[pivot * 6 + c], m[col * 6 + c]];
      [x[col], x[pivot]] = [x[pivot], x[col]];
    }
    for (let r = col + 1; r < 6; r += 1) {
      const factor = m[r * 6 + col] / m[col * 6 + col];
      for (let c = col; c < 6; c += 1) m[r * 6 + c] -= factor * m[col * 6 + c];
      x[r] -= factor * x[col];
    }
  }
  for (let r = 5; r >= 0; r -= 1) {
    let acc = x[r];
    for (let c = r + 1; c < 6; c += 1) acc -= m[r * 6 + c] * x[c];
    x[r] = acc / m[r * 6 + r];
  }
  return x;
}

/** The rotation matrix of the rotation vector (wx, wy, wz) (Rodrigues). */
function rodrigues(wx: number, wy: number, wz: number): Mat3 {
  const angle = Math.hypot(wx, wy, wz);
  if (angle < 1e-12) return Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1);
  const kx = wx / angle;
  const ky = wy / angle;
  const kz = wz / angle;
  const s = Math.sin(angle);
  const c = 1 - Math.cos(angle);
  return Float64Array.of(
    1 - c * (ky * ky + kz * kz), -s * kz + c * kx * ky, s * ky + c * kx * kz,
    s * kz + c * kx * ky, 1 - c * (kx * kx + kz * kz), -s * kx + c * ky * kz,
    -s * ky + c * kx * kz, s * kx + c * ky * kz, 1 - c * (kx * kx + ky * ky),
  );
}

/** The smallest rotation taking direction a onto direction b. */
function rotationBetween(ax: number, ay: number, az: number, bx: number, by: number, bz: number): Mat3 {
  const na = Math.hypot(ax, ay, az);
  const nb = Math.hypot(bx, by, bz);
  const cross = [(ay * bz - az * by) / (na * nb), (az * bx - ax * bz) / (na * nb), (ax * by - ay * bx) / (na * nb)];
  const sine = Math.hypot(cross[0], cross[1], cross[2]);
  const cosine = (ax * bx + ay * by + az * bz) / (na * nb);
  if (sine < 1e-12) return Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1);
  const angle = Math.atan2(sine, cosine);
  return rodrigues((cross[0] / sine) * angle, (cross[1] / sine) * angle, (cross[2] / sine) * angle);
}

function multiply3(a: Mat3, b: Mat3): Mat3 {
  const out = new Float64Array(9);
  for (let r = 0; r < 3; r += 1) for (let c = 0; c < 3; c += 1) out[r * 3 + c] = a[r * 3] * b[c] + a[r * 3 + 1] * b[3 + c] + a[r * 3 + 2] * b[6 + c];
  return out;
}

function transpose3(a: Mat3): Mat3 {
  return Float64Array.of(a[0], a[3], a[6], a[1], a[4], a[7], a[2], a[5], a[8]);
}

function invert3(a: Mat3): Mat3 | null {
  const det = a[0] * (a[4] * a[8] - a[5] * a[7]) - a[1] * (a[3] * a[8] - a[5] * a[6]) + a[2] * (a[3] * a[7] - a[4] * a[6]);
  if (!(Math.abs(det) > 1e-12)) return null;
  return Float64Array.of(
    (a[4] * a[8] - a[5] * a[7]) / det, (a[2] * a[7] - a[1] * a[8]) / det, (a[1] * a[5] - a[2] * a[4]) / det,
    (a[5] * a[6] - a[3] * a[8]) / det, (a[0] * a[8] - a[2] * a[6]) / det, (a[2] * a[3] - a[0] * a[5]) / det,
    (a[3] * a[7] - a[4] * a[6]) / det, (a[1] * a[6] - a[0] * a[7]) / det, (a[0] * a[4] - a[1] * a[3]) / det,
  );
}

function normalise(v: number[]): number[] | null {
  const n = Math.hypot(v[0], v[1], v[2]);
  return n > 1e-12 ? v.map((x) => x / n) : null;
}

function sum(values: Float64Array): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

function clamp(value: number, min: number, max: number): number {
  return value < min ? min : value > max ? max : value;
}
