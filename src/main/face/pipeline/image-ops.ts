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
  // Value of the padded square at integer (py, px), channel c: zero outside the rect.
  const at = (py: number, px: number, c: number): number => {
    const sy = py - padY;
    const sx = px - padX;
    if (sy < 0 || sx < 0 || sy >= rh || sx >= rw) return 0;
    return rgb[((ry + sy) * fw + (rx + sx)) * 3 + c];
  };
  if (side === size) {
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++) for (let c = 0; c < 3; c++) out[(y * size + x) * 3 + c] = at(y, x, c);
    return out;
  }
  const ratio = side / size;
  const xs0 = new Int32Array(size);
  const xs1 = new Int32Array(size);
  const xf = new Float64Array(size);
  for (let x = 0; x < size; x++) {
    const src = ratio * x;
    xs0[x] = Math.max(0, Math.floor(src));
    xs1[x] = Math.min(side - 1, Math.ceil(src));
    xf[x] = src - xs0[x];
  }
  for (let y = 0; y < size; y++) {
    const srcY = ratio * y;
    const y0 = Math.max(0, Math.floor(srcY));
    const y1 = Math.min(side - 1, Math.ceil(srcY));
    const fy = srcY - y0;
    for (let x = 0; x < size; x++) {
      const x0 = xs0[x];
      const x1 = xs1[x];
      const fx = xf[x];
      for (let c = 0; c < 3; c++) {
        const tl = at(y0, x0, c);
        const tr = at(y0, x1, c);
        const bl = at(y1, x0, c);
        const br = at(y1, x1, c);
        const top = tl + (tr - tl) * fx;
        const bottom = bl + (br - bl) * fx;
        out[(y * size + x) * 3 + c] = top + (bottom - top) * fy;
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
