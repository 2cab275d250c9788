/**
 * The renderer's live preview: a full camera frame downscaled with a box filter (each output pixel
 * is the mean of the source pixels it covers), aspect ratio kept. Pure and allocation-light because
 * it runs for every previewed frame on main's event loop.
 */
import type { PreviewFrame } from '../../shared/domain/types';
import type { CameraFrame, Clock, Subscribe } from '../core/services';
import { systemClock } from '../core/services';

/**
 * Downscales an RGB24 frame to `previewWidth` wide (height follows the aspect ratio). A frame that
 * is already that narrow or narrower is copied unchanged. Throws when the frame's buffer does not
 * hold width*height*3 bytes.
 */
export function toPreview(frame: CameraFrame, previewWidth: number): PreviewFrame {
  const { width: sw, height: sh, rgb } = frame;
  if (rgb.length !== sw * sh * 3) throw new Error(`Frame ${frame.seq} has ${rgb.length} bytes, expected ${sw * sh * 3}`);
  const pw = Math.max(1, Math.min(Math.floor(previewWidth), sw));
  const ph = Math.max(1, Math.round((sh * pw) / sw));
  if (pw === sw && ph === sh) return { seq: frame.seq, width: sw, height: sh, rgb: rgb.slice(), capturedAt: frame.capturedAt };

  const x0 = new Int32Array(pw);
  const x1 = new Int32Array(pw);
  for (let ox = 0; ox < pw; ox += 1) {
    const a = Math.floor((ox * sw) / pw);
    x0[ox] = a;
    x1[ox] = Math.max(a + 1, Math.floor(((ox + 1) * sw) / pw));
  }
  const out = new Uint8Array(pw * ph * 3);
  const acc = new Uint32Array(pw * 3);
  for (let oy = 0; oy < ph; oy += 1) {
    const y0 = Math.floor((oy * sh) / ph);
    const y1 = Math.max(y0 + 1, Math.floor(((oy + 1) * sh) / ph));
    acc.fill(0);
    for (let y = y0; y < y1; y += 1) {
      const row = y * sw * 3;
      for (let ox = 0; ox < pw; ox += 1) {
        let r = 0;
        let g = 0;
        let b = 0;
        const end = row + x1[ox] * 3;
        for (let i = row + x0[ox] * 3; i < end; i += 3) {
          r += rgb[i];
          g += rgb[i + 1];
          b += rgb[i + 2];
        }
        const k = ox * 3;
        acc[k] = acc[k] + r;
        acc[k + 1] = acc[k + 1] + g;
        acc[k + 2] = acc[k + 2] + b;
      }
    }
    const rows = y1 - y0;
    const base = oy * pw * 3;
    for (let ox = 0; ox < pw; ox += 1) {
      const n = rows * (x1[ox] - x0[ox]);
      const half = n >> 1;
      const k = ox * 3;
      out[base + k] = ((acc[k] + half) / n) | 0;
      out[base + k + 1] = ((acc[k + 1] + half) / n) | 0;
      out[base + k + 2] = ((acc[k + 2] + half) / n) | 0;
    }
  }
  return { seq: frame.seq, width: pw, height: ph, rgb: out, capturedAt: frame.capturedAt };
}

export interface PreviewStreamOptions {
  /** The camera's frame subscription (CameraService.onFrame). */
  onFrame: Subscribe<CameraFrame>;
  previewWidth: number;
  /** Upper bound on previews per second sent to the renderer (frames beyond it are skipped). */
  maxFps: number;
  clock?: Clock;
}

/**
 * Subscribes to camera frames and calls `listener` with downscaled previews, at most `maxFps` per
 * second. Returns the unsubscribe function. A listener that throws does not stop the stream.
 */
export function subscribePreview(options: PreviewStreamOptions, listener: (preview: PreviewFrame) => void): () => void {
  const clock = options.clock ?? systemClock;
  const minGapMs = options.maxFps > 0 ? 1000 / options.maxFps : 0;
  let last = Number.NEGATIVE_INFINITY;
  return options.onFrame((frame) => {
    const now = clock.monotonicMs();
    // 10% slack so a camera at exactly maxFps is not halved by timer jitter.
    if (now - last < minGapMs * 0.9) return;
    last = now;
    try {
      listener(toPreview(frame, options.previewWidth));
    } catch {
      // The renderer side is best effort; the camera keeps running.
    }
  });
}
