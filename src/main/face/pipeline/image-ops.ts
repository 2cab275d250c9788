/**
 * Pure pixel operations that reproduce face-api.js's tensor pre-processing on RGB24 frames
 * (integer crop, pad to square, TensorFlow bilinear resize) plus the cheap quality measures, so the
 * ONNX nets see exactly the inputs face-api.js's nets see.
 */
import type { RgbFrame } from './types';

/** An integer pixel rectangle inside a frame. */
export interface PixelRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** face-api's Box.clipAtImageBorders: clip to the frame, then floor x, y, width and height. */
export function clipAtImageBorders(box: { x: number; y: number; width: number; height: number }, imgWidth: number, imgHeight: number): PixelRect {
  const right = box.x + box.width;
  const bottom = box.y + box.height;
  const x = Math.max(box.x, 0);
  const y = Math.max(box.y, 0);
  const width = Math.min(right - x, imgWidth - x);
  const height = Math.min(bottom - y, imgHeight - y);
  return { x: Math.floor(x), y: Math.floor(y), width: Math.floor(width), height: Math.floor(height) };
}

/**
 * face-api's toBatchTensor on a region: pads the rect to a square with zeros (centred: round(d/2)
 * after and the rest before; not centred: all after), then resizes to size x size with TensorFlow's
 * bilinear resize (alignCorners false, halfPixelCenters false). Returns NHWC float32 RGB 0..255.
 */
export function cropPadResize(frame: RgbFrame, rect: PixelRect, size: number, centred: boolean, out = new Float32Array(size * size * 3)): Float32Array {
  const { rgb, width: fw } = frame;
  const { x: rx, y: ry, width: rw, height: rh } = rect;
  const side = Math.max(rw, rh);
  const diff = Math.abs(rw - rh);
  const append = Math.round(diff * (centred ? 0.5 : 1));
  const prepend = centred ? diff - append : 0;
  const padX = rh > rw ? prepend : 0;
  const padY = rw > rh ? prepend : 0;
  // Source sample positions in the padded square (TF: src = (in/out) * dst, floor and ceil
  // neighbours), mapped to byte offsets in the frame, or -1 where the padding (zeros) is.
  const ratio = side / size;
  const col0 = new Int32Array(size);
  const col1 = new Int32Array(size);
  const fxs = new Float64Array(size);
  const row0 = new Int32Array(size);
  const row1 = new Int32Array(size);
  const fys = new Float64Array(size);
  const colOffset = (p: number): number => {
    const c = p - padX;
    return c >= 0 && c < rw ? (rx + c) * 3 : -1;
  };
  const rowOffset = (p: number): number => {
    const r = p - padY;
    return r >= 0 && r < rh ? (ry + r) * fw * 3 : -1;
  };
  for (let i = 0; i < size; i++) {
    const src = ratio * i;
    const p0 = Math.max(0, Math.floor(src));
    const p1 = Math.min(side - 1, Math.ceil(src));
    col0[i] = colOffset(p0);
    col1[i] = colOffset(p1);
    fxs[i] = src - p0;
    row0[i] = rowOffset(p0);
    row1[i] = rowOffset(p1);
    fys[i] = src - p0;
  }
  let o = 0;
  for (let y = 0; y < size; y++) {
    const r0 = row0[y];
    const r1 = row1[y];
    const fy = fys[y];
    for (let x = 0; x < size; x++) {
      const c0 = col0[x];
      const c1 = col1[x];
      const fx = fxs[x];
      const tlI = r0 >= 0 && c0 >= 0 ? r0 + c0 : -1;
      const trI = r0 >= 0 && c1 >= 0 ? r0 + c1 : -1;
      const blI = r1 >= 0 && c0 >= 0 ? r1 + c0 : -1;
      const brI = r1 >= 0 && c1 >= 0 ? r1 + c1 : -1;
      for (let c = 0; c < 3; c++) {
        const tl = tlI >= 0 ? rgb[tlI + c] : 0;
        const tr = trI >= 0 ? rgb[trI + c] : 0;
        const bl = blI >= 0 ? rgb[blI + c] : 0;
        const br = brI >= 0 ? rgb[brI + c] : 0;
        const top = tl + (tr - tl) * fx;
        const bottom = bl + (br - bl) * fx;
        out[o++] = top + (bottom - top) * fy;
      }
    }
  }
  return out;
}

/** Grey levels (Rec. 601 luma) of an NHWC float RGB square. */
export function toGrey(rgb: Float32Array, pixels: number): Float32Array {
  const grey = new Float32Array(pixels);
  for (let i = 0; i < pixels; i++) grey[i] = 0.299 * rgb[i * 3] + 0.587 * rgb[i * 3 + 1] + 0.114 * rgb[i * 3 + 2];
  return grey;
}

/** Variance of the 4-neighbour Laplacian over the interior of a grey image: low means blurred. */
export function laplacianVariance(grey: Float32Array, width: number, height: number): number {
  let sum = 0;
  let sumSq = 0;
  let n = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      const lap = grey[i - width] + grey[i + width] + grey[i - 1] + grey[i + 1] - 4 * grey[i];
      sum += lap;
      sumSq += lap * lap;
      n += 1;
    }
  }
  if (n === 0) return 0;
  const mean = sum / n;
  return sumSq / n - mean * mean;
}

/** Mean grey level 0..255 of a frame region (sampled every `step` pixels). */
export function meanBrightness(frame: RgbFrame, rect: PixelRect, step = 2): number {
  const { rgb, width } = frame;
  let sum = 0;
  let n = 0;
  for (let y = rect.y; y < rect.y + rect.height; y += step) {
    for (let x = rect.x; x < rect.x + rect.width; x += step) {
      const i = (y * width + x) * 3;
      sum += 0.299 * rgb[i] + 0.587 * rgb[i + 1] + 0.114 * rgb[i + 2];
      n += 1;
    }
  }
  return n === 0 ? 0 : sum / n;
}
