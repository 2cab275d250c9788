/// <reference types="vite/client" />
/**
 * Loads MediaPipe's FaceDetector (BlazeFace short range) from files the app itself ships: the
 * tasks-vision wasm and the metadata-attached model built into models/ (no CDN; the renderer's CSP
 * only allows 'self' scripts and wasm). Loaded lazily so the idle screen never waits for it.
 */
import { FaceDetector } from '@mediapipe/tasks-vision';
import wasmLoaderPath from '@mediapipe/tasks-vision/vision_wasm_internal.js?url';
import wasmBinaryPath from '@mediapipe/tasks-vision/vision_wasm_internal.wasm?url';
import modelAssetPath from '../../../../models/blazeface_short_range_meta.tflite?url';
import type { FramingDetector, PixelBox } from './framing-types';

/**
 * Resolves a detector. Inference runs on the CPU delegate by default (XNNPACK in wasm: a few ms for
 * this 128x128 model, and it stays fast on software GL); 'GPU' is tried first only when asked, and
 * falls back to CPU. Image input needs WebGL either way. Rejects when the wasm or the model cannot
 * be loaded. Not retried.
 */
export async function createMediapipeDetector(options: { delegate?: 'GPU' | 'CPU' } = {}): Promise<FramingDetector> {
  const fileset = { wasmLoaderPath, wasmBinaryPath };
  const create = (delegate: 'GPU' | 'CPU'): Promise<FaceDetector> =>
    FaceDetector.createFromOptions(fileset, {
      baseOptions: { modelAssetPath, delegate },
      runningMode: 'VIDEO',
      minDetectionConfidence: 0.5,
    });
  let detector: FaceDetector;
  if (options.delegate === 'GPU') {
    try {
      detector = await create('GPU');
    } catch {
      detector = await create('CPU');
    }
  } else detector = await create('CPU');
  return {
    detect(source: HTMLCanvasElement, timestampMs: number): PixelBox[] {
      const result = detector.detectForVideo(source, timestampMs);
      return result.detections
        .filter((d) => d.boundingBox)
        .map((d) => ({
          x: d.boundingBox?.originX ?? 0,
          y: d.boundingBox?.originY ?? 0,
          width: d.boundingBox?.width ?? 0,
          height: d.boundingBox?.height ?? 0,
          score: d.categories[0]?.score ?? 0,
        }));
    },
    close() {
      detector.close();
    },
  };
}
