/**
 * MiniFASNet's input, made exactly as upstream Silent-Face-Anti-Spoofing makes it: a face box in
 * upstream's integer [x, y, w, h] form (built from our 68 landmarks to match the RetinaFace box
 * upstream was trained with), the crop around it (CropImage._get_new_box: side x scale, clamped,
 * shifted back inside, corners truncated), OpenCV's cv2.resize INTER_LINEAR on uint8 bit for bit,
 * BGR channel order, raw 0..255 values, NCHW. Getting any of these wrong costs accuracy (measured
 * on the shared spoof photos: RGB instead of BGR let 40 % of spoofs pass instead of 9 %).
 */
import type { Point, RgbFrame } from './types';

/** A box in upstream's integer form: left, top, width, height (may reach outside the frame). */
export interface IntBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Inclusive pixel corners of a crop, as upstream's _get_new_box returns them. */
export interface CropCorners {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/**
 * How far a RetinaFace box reaches above the 68 landmarks (eyebrows), as a fraction of the
 * landmarks' height. Measured on person-a-8 of the shared photos, the one photo with a published
 * RetinaFace result (deepface's img1.jpg: box 155,81-434,443): RetinaFace's sides and bottom sit on
 * the landmarks' extremes (within 2 % of their size) and its top 0.29 of their height above them.
 */
export const RETINAFACE_FOREHEAD = 0.29;

/**
 * The RetinaFace-like face box of a face from its 68 landmarks: the landmarks' horizontal extent,
 * from RETINAFACE_FOREHEAD of their height above the eyebrows down to the chin, in upstream's
 * integer form (int(left), int(top), int(right - left + 1), int(bottom - top + 1)). The landmarks
 * give it a stable size relative to the face (their width is 2.2-2.5 eye distances on every
 * shared photo), where the tiny detector's own box varies from 1.06 to 1.65 times that width.
 */
export function retinaFaceLikeBox(landmarks: readonly Point[]): IntBox {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const p of landmarks) {
    if (p.x < minX) minX = p.x;
    if (p.x > maxX) maxX = p.x;
    if (p.y < minY) minY = p.y;
    if (p.y > maxY) maxY = p.y;
  }
  const top = minY - RETINAFACE_FOREHEAD * (maxY - minY);
  return { x: Math.trunc(minX), y: Math.trunc(top), width: Math.trunc(maxX - minX + 1), height: Math.trunc(maxY - top + 1) };
}

/**
 * Upstream's CropImage._get_new_box: the crop of side box x scale centred on the box (scale
 * lowered so the crop fits the image), shifted back inside the image, corners truncated to
 * integers (inclusive). Returns null for an empty box (upstream would divide by zero).
 */
export function upstreamCropCorners(box: IntBox, scale: number, imageWidth: number, imageHeight: number): CropCorners | null {
  if (box.width <= 0 || box.height <= 0 || imageWidth < 2 || imageHeight < 2) return null;
  const s = Math.min((imageHeight - 1) / box.height, Math.min((imageWidth - 1) / box.width, scale));
  const newWidth = box.width * s;
  const newHeight = box.height * s;
  const centreX = box.width / 2 + box.x;
  const centreY = box.height / 2 + box.y;
  let left = centreX - newWidth / 2;
  let top = centreY - newHeight / 2;
  let right = centreX + newWidth / 2;
  let bottom = centreY + newHeight / 2;
  if (left < 0) {
    right -= left;
    left = 0;
  }
  if (top < 0) {
    bottom -= top;
    top = 0;
  }
  if (right > imageWidth - 1) {
    left -= right - imageWidth + 1;
    right = imageWidth - 1;
  }
  if (bottom > imageHeight - 1) {
    top -= bottom - imageHeight + 1;
    bottom = imageHeight - 1;
  }
  return { left: Math.trunc(left), top: Math.trunc(top), right: Math.trunc(right), bottom: Math.trunc(bottom) };
}

const COEF_BITS = 11;
const COEF_SCALE = 1 << COEF_BITS;

/** cvRound: round half to even, as OpenCV's saturate_cast<short>(float) does. */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** One axis of OpenCV's INTER_LINEAR tables: source index and the two fixed-point weights per output pixel. */
function linearTable(srcSize: number, dstSize: number, clampEdges: boolean): { index: Int32Array; w0: Int32Array; w1: Int32Array } {
  const scale = 1 / (dstSize / srcSize); // OpenCV: scale = 1. / inv_scale, inv_scale = dsize / ssize (doubles)
  const index = new Int32Array(dstSize);
  const w0 = new Int32Array(dstSize);
  const w1 = new Int32Array(dstSize);
  for (let d = 0; d < dstSize; d++) {
    let f = Math.fround((d + 0.5) * scale - 0.5);
    let s = Math.floor(f);
    f = Math.fround(f - s);
    // Columns are clamped with a zero weight at the edges; rows keep their weights and clip the row index.
    if (clampEdges && s < 0) {
      f = 0;
      s = 0;
    }
    if (clampEdges && s >= srcSize - 1) {
      f = 0;
      s = srcSize - 1;
    }
    index[d] = s;
    w0[d] = roundHalfEven(Math.fround(1 - f) * COEF_SCALE);
    w1[d] = roundHalfEven(f * COEF_SCALE);
  }
  return { index, w0, w1 };
}

/**
 * cv2.resize(src, (dstWidth, dstHeight)) with the default INTER_LINEAR on 8-bit pixels, bit-exact
 * with OpenCV's fixed-point implementation (11-bit weights; rows combined as
 * ((b0 * (S0 >> 4)) >> 16) + ((b1 * (S1 >> 4)) >> 16) + 2 >> 2). (OpenCV switches to INTER_AREA's
 * 2x2 mean when both axes shrink by exactly 2; this arithmetic gives the same bytes there, which
 * the parity test checks on a 160x160 source.) The source is `region` of `pixels` (rows of
 * `stride` bytes, `channels` per pixel); the result is dstWidth x dstHeight x channels in the same
 * channel order.
 */
export function resizeLinearU8(
  pixels: Uint8Array,
  stride: number,
  channels: number,
  region: { x: number; y: number; width: number; height: number },
  dstWidth: number,
  dstHeight: number,
): Uint8Array {
  const { x: x0, y: y0, width: sw, height: sh } = region;
  const out = new Uint8Array(dstWidth * dstHeight * channels);
  const cols = linearTable(sw, dstWidth, true);
  const rows = linearTable(sh, dstHeight, false);
  const rowWidth = dstWidth * channels;
  // Byte offset of each output column's left source pixel within a row of the region.
  const colOffset = new Int32Array(dstWidth);
  for (let dx = 0; dx < dstWidth; dx++) colOffset[dx] = (x0 + cols.index[dx]) * channels;
  const passes: Array<Int32Array | undefined> = new Array(sh);
  /** The horizontal pass of one source row (clipped into the region): value x 2048 per output column and channel. */
  const horizontal = (sy: number): Int32Array => {
    const y = Math.min(Math.max(sy, 0), sh - 1);
    const cached = passes[y];
    if (cached) return cached;
    const row = new Int32Array(rowWidth);
    const base = (y0 + y) * stride;
    for (let dx = 0; dx < dstWidth; dx++) {
      const p = base + colOffset[dx];
      const a0 = cols.w0[dx];
      const a1 = cols.w1[dx];
      for (let c = 0; c < channels; c++) row[dx * channels + c] = pixels[p + c] * a0 + (a1 === 0 ? 0 : pixels[p + channels + c] * a1);
    }
    passes[y] = row;
    return row;
  };
  for (let dy = 0; dy < dstHeight; dy++) {
    const s0 = horizontal(rows.index[dy]);
    const s1 = horizontal(rows.index[dy] + 1);
    const b0 = rows.w0[dy];
    const b1 = rows.w1[dy];
    const base = dy * rowWidth;
    for (let i = 0; i < rowWidth; i++) out[base + i] = (((b0 * (s0[i] >> 4)) >> 16) + ((b1 * (s1[i] >> 4)) >> 16) + 2) >> 2;
  }
  return out;
}

/** One model's input: the crop used, the 80x80 BGR patch (HWC uint8) and the NCHW float tensor. */
export interface LivenessInput {
  corners: CropCorners;
  patchBgr: Uint8Array;
  tensor: Float32Array;
}

/**
 * Builds one MiniFASNet input from an RGB frame: upstream's crop of `box` at `scale`, resized to
 * size x size as cv2.resize does on the BGR image, as a [1, 3, size, size] BGR 0..255 tensor.
 * Returns null when the box is empty.
 */
export function livenessInput(frame: RgbFrame, box: IntBox, scale: number, size: number): LivenessInput | null {
  const corners = upstreamCropCorners(box, scale, frame.width, frame.height);
  if (!corners) return null;
  const region = { x: corners.left, y: corners.top, width: corners.right - corners.left + 1, height: corners.bottom - corners.top + 1 };
  // Resizing is per channel, so resizing RGB and then swapping to BGR equals upstream's order.
  const rgb = resizeLinearU8(frame.rgb, frame.width * 3, 3, region, size, size);
  const plane = size * size;
  const patchBgr = new Uint8Array(plane * 3);
  const tensor = new Float32Array(plane * 3);
  for (let i = 0; i < plane; i++) {
    const r = rgb[i * 3];
    const g = rgb[i * 3 + 1];
    const b = rgb[i * 3 + 2];
    patchBgr[i * 3] = b;
    patchBgr[i * 3 + 1] = g;
    patchBgr[i * 3 + 2] = r;
    tensor[i] = b;
    tensor[plane + i] = g;
    tensor[2 * plane + i] = r;
  }
  return { corners, patchBgr, tensor };
}
