/** Messages between the face worker thread and its client in main (one frame in flight at a time). */
import type { FaceAnalysis } from '../pipeline/types';

/** workerData the client passes to the worker. */
export interface FaceWorkerData {
  modelsDir: string;
  threads?: number;
}

export type ToWorker =
  | { type: 'analyse'; id: number; rgb: Uint8Array; width: number; height: number }
  | { type: 'close' };

export type FromWorker =
  | { type: 'ready'; loadMs: number; problems: string[] }
  | { type: 'init-error'; message: string }
  | { type: 'result'; id: number; analysis: FaceAnalysis }
  | { type: 'analyse-error'; id: number; message: string }
  | { type: 'log'; level: 'debug' | 'info' | 'warn' | 'error'; message: string; fields?: Record<string, unknown> };
