/** How often the renderer gets a preview: at most `maxFps` a second, whatever the camera's rate, so the preview never costs the face pipeline its frames. */
import type { PreviewFrame } from '../../shared/domain/types';
import type { Clock } from '../lib/clock';
import { systemClock } from '../lib/clock';
import type { ListenerErrorReporter, Subscribe } from '../lib/emitter';
import { toLogFormat } from '../lib/errors';
import type { CameraFrame } from './camera-service';
import { toPreview } from './preview';

export interface PreviewThrottle {
  /** Whether a frame seen at `atMs` (monotonic) is previewed; a yes counts as the last preview. */
  take(atMs: number): boolean;
}

/**
 * Lets through at most `maxFps` frames a second (0: every frame), with 10% slack so a camera
 * running at exactly `maxFps` is not halved by timer jitter.
 */
export function createPreviewThrottle(maxFps: number): PreviewThrottle {
  const minGapMs = maxFps > 0 ? 1000 / maxFps : 0;
  let last = Number.NEGATIVE_INFINITY;
  return {
    take(atMs) {
      if (atMs - last < minGapMs * 0.9) return false;
      last = atMs;
      return true;
    },
  };
}

export interface PreviewStreamOptions {
  /** The camera's frame subscription (CameraService.onFrame). */
  onFrame: Subscribe<CameraFrame>;
  previewWidth: number;
  /** Upper bound on previews per second sent to the renderer (frames beyond it are skipped). */
  maxFps: number;
  clock?: Clock;
  /** Where a failing listener is reported (the preview keeps running either way). */
  reporter?: ListenerErrorReporter;
}

/**
 * Subscribes to camera frames and calls `listener` with downscaled previews, at most `maxFps` per
 * second. Returns the unsubscribe function. A listener that throws does not stop the stream.
 */
export function subscribePreview(options: PreviewStreamOptions, listener: (preview: PreviewFrame) => void): () => void {
  const clock = options.clock ?? systemClock;
  const throttle = createPreviewThrottle(options.maxFps);
  return options.onFrame((frame) => {
    if (!throttle.take(clock.monotonicMs())) return;
    try {
      listener(toPreview(frame, options.previewWidth));
    } catch (error) {
      options.reporter?.error('listener failed', { emitter: 'camera.preview', error: toLogFormat(error) });
    }
  });
}
