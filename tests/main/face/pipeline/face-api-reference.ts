/**
 * Test/bench helper: @vladmandic/face-api on TensorFlow.js's wasm backend (its node-wasm build),
 * the reference the ONNX pipeline must match. Test-only: the app never loads TensorFlow.js.
 */
import { dirname, join } from 'node:path';
import type { Point, RgbFrame } from '../../../../src/main/face/pipeline/types';

// The node-wasm build is CommonJS without bundled types for this entry point; keep the surface we use typed here.
interface TfTensor {
  dispose(): void;
}
interface FaceApiResult {
  detection: { score: number; box: { x: number; y: number; width: number; height: number } };
  landmarks: { positions: Array<{ x: number; y: number }> };
  descriptor: Float32Array;
}
interface FaceApiModule {
  tf: {
    setBackend(name: string): Promise<boolean>;
    ready(): Promise<void>;
    getBackend(): string;
    tensor3d(values: Uint8Array | Float32Array | Int32Array, shape: [number, number, number], dtype?: string): TfTensor;
    setWasmPaths?: (path: string) => void;
    engine(): { startScope(): void; endScope(): void };
  };
  nets: {
    faceRecognitionNet: { loadFromDisk(dir: string): Promise<void>; computeFaceDescriptor(input: TfTensor): Promise<Float32Array> };
    faceLandmark68Net: {
      loadFromDisk(dir: string): Promise<void>;
      detectLandmarks(input: TfTensor): Promise<{ relativePositions: Array<{ x: number; y: number }> }>;
    };
    tinyFaceDetector: { loadFromDisk(dir: string): Promise<void> };
  };
  TinyFaceDetectorOptions: new (o: { inputSize: number; scoreThreshold: number }) => unknown;
  detectAllFaces(input: TfTensor, options: unknown): { withFaceLandmarks(): { withFaceDescriptors(): Promise<FaceApiResult[]> } };
}

/** The reference face-api.js, loaded once on the wasm backend with its bundled models. */
export interface FaceApiReference {
  /** Descriptor of a 150x150 NHWC RGB input (no resize happens inside face-api at that size). */
  descriptor150(input: Float32Array): Promise<Float32Array>;
  /** Landmark net output for a 112x112 input, relative to the square (x0, y0, x1, y1 ...). */
  landmarks112(input: Float32Array): Promise<Float32Array>;
  /** face-api's own end to end: tiny detector (416, 0.5) -> 68 landmarks -> descriptor, per face. */
  endToEnd(frame: RgbFrame): Promise<Array<{ score: number; box: { x: number; y: number; width: number; height: number }; landmarks: Point[]; descriptor: Float32Array }>>;
  backend: string;
}

let cached: Promise<FaceApiReference> | null = null;

/** Loads face-api.js on the wasm backend (once per process). */
export function loadFaceApiReference(): Promise<FaceApiReference> {
  cached ??= (async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js') as FaceApiModule;
    const wasmDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
    faceapi.tf.setWasmPaths?.(join(wasmDir, 'dist') + '/');
    await faceapi.tf.setBackend('wasm');
    await faceapi.tf.ready();
    const modelDir = join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
    await faceapi.nets.faceRecognitionNet.loadFromDisk(modelDir);
    await faceapi.nets.faceLandmark68Net.loadFromDisk(modelDir);
    await faceapi.nets.tinyFaceDetector.loadFromDisk(modelDir);
    const { tf } = faceapi;
    return {
      backend: tf.getBackend(),
      async descriptor150(input) {
        const t = tf.tensor3d(input, [150, 150, 3], 'float32');
        try {
          return new Float32Array(await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(t));
        } finally {
          t.dispose();
        }
      },
      async landmarks112(input) {
        const t = tf.tensor3d(input, [112, 112, 3], 'float32');
        try {
          const lm = await faceapi.nets.faceLandmark68Net.detectLandmarks(t);
          const out = new Float32Array(136);
          lm.relativePositions.forEach((p, i) => {
            out[i * 2] = p.x;
            out[i * 2 + 1] = p.y;
          });
          return out;
        } finally {
          t.dispose();
        }
      },
      async endToEnd(frame) {
        const t = tf.tensor3d(Int32Array.from(frame.rgb), [frame.height, frame.width, 3], 'int32');
        try {
          const options = new faceapi.TinyFaceDetectorOptions({ inputSize: 416, scoreThreshold: 0.5 });
          const results = await faceapi.detectAllFaces(t, options).withFaceLandmarks().withFaceDescriptors();
          return results.map((r) => ({
            score: r.detection.score,
            box: { x: r.detection.box.x, y: r.detection.box.y, width: r.detection.box.width, height: r.detection.box.height },
            landmarks: r.landmarks.positions.map((p) => ({ x: p.x, y: p.y })),
            descriptor: new Float32Array(r.descriptor),
          }));
        } finally {
          t.dispose();
        }
      },
    };
  })();
  return cached;
}
