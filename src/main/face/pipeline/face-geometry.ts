/**
 * face-api.js's box and landmark arithmetic in plain functions: tiny-detector grid decoding and
 * non-max suppression, landmark post-processing, the "dlib" aligned box the descriptor crop uses,
 * and head-pose estimates from the 68 points for the quality gates.
 */
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

/**
 * Head yaw and pitch in degrees estimated from the 68 points: yaw from where the nose tip sits
 * between the jaw sides (0 when centred, +-90 at a profile), pitch from the nose tip's height
 * between the eye line and the mouth relative to a frontal face. Rough, but monotonic: good
 * enough to tell "face the camera" from "looking away".
 */
export function headPose(points: Point[]): { yawDeg: number; pitchDeg: number } {
  const nose = points[30];
  const jawLeft = points[2];
  const jawRight = points[14];
  const left = Math.hypot(nose.x - jawLeft.x, nose.y - jawLeft.y);
  const right = Math.hypot(jawRight.x - nose.x, jawRight.y - nose.y);
  const yawRatio = (left - right) / Math.max(left + right, 1e-6);
  const yawDeg = (Math.asin(Math.max(-1, Math.min(1, yawRatio * 2))) * 180) / Math.PI;
  const eyes = { x: (points[39].x + points[42].x) / 2, y: (points[39].y + points[42].y) / 2 };
  const mouth = centre(points, 48, 68);
  const span = Math.hypot(mouth.x - eyes.x, mouth.y - eyes.y);
  const along = ((nose.x - eyes.x) * (mouth.x - eyes.x) + (nose.y - eyes.y) * (mouth.y - eyes.y)) / Math.max(span * span, 1e-6);
  // On a frontal face the nose tip sits about 57% of the way from the eye line to the mouth centre.
  const pitchRatio = (along - 0.57) / 0.4;
  const pitchDeg = (Math.asin(Math.max(-1, Math.min(1, pitchRatio))) * 180) / Math.PI;
  return { yawDeg, pitchDeg };
}
