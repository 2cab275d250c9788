/// <reference types="vite/client" />
/**
 * Loads MediaPipe's FaceDetector (BlazeFace short range) from files the app itself ships: the
 * tasks-vision wasm and the metadata-attached model built into models/ (no CDN; the renderer's CSP
 * only allows 'self' scripts and wasm). Loaded lazily so the idle screen never waits for it, and
 * its usage statistics are kept in the page (telemetry.ts).
 */
import { FaceDetector } from '@mediapipe/tasks-vision';
import wasmLoaderPath from '@mediapipe/tasks-vision/vision_wasm_internal.js?url';
import wasmBinaryPath from '@mediapipe/tasks-vision/vision_wasm_internal.wasm?url';
import modelAssetPath from '../../../../models/blazeface_short_range_meta.tflite?url';
import type { FramingDetector, PixelBox } from './framing-types';
import { blockMediapipeTelemetry } from './telemetry';

/**
 * Resolves a detector. Inference runs on the CPU delegate by default (XNNPACK in wasm: a few ms for
 * this 128x128 model, and it stays fast on software GL); 'GPU' is tried first only when asked, and
 * falls back to CPU. Image input needs WebGL either way. Rejects when the wasm or the model cannot
 * be loaded. Not retried.
 */
export async function createMediapipeDetector(options: { delegate?: 'GPU' | 'CPU' } = {}): Promise<FramingDetector> {
  // Its usage statistics would be refused by the CSP with a console error: answer them locally.
  blockMediapipeTelemetry();
  const fileset = { wasmLoaderPath, wasmBinaryPath };
  // tasks-vision would fetch() the model, and fetch() refuses file:// (Electron's loadFile): read
  // the bytes with XMLHttpRequest, which works for file:// and http(s) alike.
  const modelAssetBuffer = await readAsset(modelAssetPath);
  const create = (delegate: 'GPU' | 'CPU'): Promise<FaceDetector> =>
    FaceDetector.createFromOptions(fileset, {
      baseOptions: { modelAssetBuffer, delegate },
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

/** Resolves an app asset's bytes (file:// or http(s)); rejects when it is missing or unreadable. */
export function readAsset(url: string): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('GET', url);
    xhr.responseType = 'arraybuffer';
    xhr.onload = () => {
      // file:// answers with status 0.
      if ((xhr.status === 200 || xhr.status === 0) && xhr.response instanceof ArrayBuffer && xhr.response.byteLength > 0) resolve(new Uint8Array(xhr.response));
      else reject(new Error(`cannot read ${url} (status ${xhr.status})`));
    };
    xhr.onerror = () => reject(new Error(`cannot read ${url}`));
    xhr.send();
  });
}
