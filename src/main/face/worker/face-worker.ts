/**
 * The face worker thread's entry: loads the ONNX face pipeline once and analyses the frames the
 * client posts, one at a time, so inference never blocks main's event loop. electron-vite builds
 * it as out/main/face-worker.js; under tsx/vitest the client starts this .ts source through tsx's
 * CommonJS hook (see face-worker-client.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Logger } from '../../logging/logger';
import { createFacePipeline, type FacePipeline } from '../pipeline/face-pipeline';
import type { FaceWorkerData, FromWorker, ToWorker } from './protocol';

function post(message: FromWorker, transfer: ArrayBuffer[] = []): void {
  parentPort?.postMessage(message, transfer);
}

/** A logger that forwards records to the client, which writes them with main's logger. */
function forwardingLogger(): Logger {
  const make = (): Logger => ({
    debug: (message, fields) => post({ type: 'log', level: 'debug', message, fields }),
    info: (message, fields) => post({ type: 'log', level: 'info', message, fields }),
    warn: (message, fields) => post({ type: 'log', level: 'warn', message, fields }),
    error: (message, fields) => post({ type: 'log', level: 'error', message, fields }),
    child: () => make(),
  });
  return make();
}

async function main(): Promise<void> {
  if (!parentPort) throw new Error('face-worker must run as a worker thread');
  const data = workerData as FaceWorkerData;
  const started = performance.now();
  let pipeline: FacePipeline;
  try {
    pipeline = await createFacePipeline({ modelsDir: data.modelsDir, threads: data.threads, logger: forwardingLogger() });
  } catch (error) {
    post({ type: 'init-error', message: error instanceof Error ? error.message : String(error) });
    return;
  }
  // The analysis in flight, so that closing waits for it: releasing onnxruntime's sessions while a
  // run is going (or terminating the thread mid-run) can take the whole process down.
  let inFlight: Promise<unknown> = Promise.resolve();
  parentPort.on('message', (message: ToWorker) => {
    if (message.type === 'close') {
      void inFlight.finally(() => pipeline.close().finally(() => parentPort?.close()));
      return;
    }
    const { id, rgb, width, height } = message;
    inFlight = pipeline.analyse({ rgb, width, height }).then(
      (analysis) => post({ type: 'result', id, analysis }, analysis.descriptor ? [analysis.descriptor.buffer as ArrayBuffer] : []),
      (error: unknown) => post({ type: 'analyse-error', id, message: error instanceof Error ? error.message : String(error) }),
    );
  });
  post({ type: 'ready', loadMs: Math.round(performance.now() - started), problems: pipeline.problems() });
}

void main();
