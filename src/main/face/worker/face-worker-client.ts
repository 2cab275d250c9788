/**
 * Main's handle on the face worker thread: hands it one frame at a time (transferring the pixels),
 * drops frames while it is busy instead of queueing them, and restarts it when it crashes, counting
 * the crashes, so the camera and the UI never wait on inference.
 *
 * Which file runs in the worker: the built app has out/main/face-worker.js next to the bundled
 * client (electron-vite's second main entry), and that is used when present. From source (tsx,
 * vitest) the client finds src/main/face/worker/face-worker.ts and starts it through a two-line
 * eval shim that registers tsx's CommonJS hook (`tsx/cjs/api`) inside the worker. Pass workerFile
 * to override either.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { createEmitter } from '../../lib/emitter';
import type { Logger } from '../../logging/logger';
import type { FaceAnalysis, RgbFrame } from '../pipeline/types';
import type { FaceWorkerData, FromWorker, ToWorker } from './protocol';

export interface FaceWorkerClientOptions {
  modelsDir: string;
  logger: Logger;
  /** The worker entry (.js, or .ts run through tsx); default: face-worker.js or face-worker.ts next to this module. */
  workerFile?: string;
  /** Intra-op threads for onnxruntime in the worker (default 2). */
  threads?: number;
  /**
   * Transfer each frame's pixel buffer to the worker instead of copying it (default true). The
   * caller's frame.rgb is then detached (length 0) after analyse(): do not reuse it.
   */
  transferFrames?: boolean;
  /** Max time to wait for the worker to load its models (default 60 s). */
  startTimeoutMs?: number;
}

export interface FaceWorkerStats {
  analysed: number;
  dropped: number;
  crashes: number;
  restarts: number;
}

export interface FaceWorkerClient {
  /**
   * Analyses a frame in the worker. Resolves null at once (the frame is dropped, not queued) when
   * the worker is busy, restarting or closed, or when it crashed during this frame; resolves the
   * analysis otherwise. Rejects when the worker reports the frame itself is bad (e.g. wrong size).
   */
  analyse(frame: RgbFrame): Promise<FaceAnalysis | null>;
  /** True while a frame is being analysed (or the worker is starting). */
  busy(): boolean;
  /** Terminates the worker and starts a fresh one; resolves when it is ready, rejects if it cannot load. */
  restart(): Promise<void>;
  /** Terminates the worker for good. */
  close(): Promise<void>;
  stats(): FaceWorkerStats;
  /**
   * What the worker reported it cannot do although it analyses (e.g. "Liveness check unavailable:
   * ... anti-spoof-minifasnet-v2.onnx ... npm run models:build"), as of its last start.
   */
  problems(): string[];
  /** Called after each crash (before the automatic restart); returns the unsubscribe function. */
  onCrash(listener: (info: { error: string; crashes: number }) => void): () => void;
}

/** Finds the worker entry: the built .js when present, else the .ts source. */
export function defaultWorkerFile(): string {
  const built = join(__dirname, 'face-worker.js');
  if (existsSync(built)) return built;
  const source = join(__dirname, 'face-worker.ts');
  if (existsSync(source)) return source;
  throw new Error(`face worker entry not found next to ${__dirname} (expected face-worker.js or face-worker.ts)`);
}

function spawn(file: string, data: FaceWorkerData): Worker {
  if (file.endsWith('.ts')) {
    const shim = `require('tsx/cjs/api').register(); require(${JSON.stringify(file)});`;
    return new Worker(shim, { eval: true, workerData: data });
  }
  return new Worker(file, { workerData: data });
}

interface Pending {
  id: number;
  resolve: (a: FaceAnalysis | null) => void;
  reject: (e: Error) => void;
}

/**
 * Starts the face worker and resolves once its models are loaded. Rejects with the worker's own
 * message when it cannot load (e.g. a missing model: "... run `npm run models:build` ...").
 * After a crash the worker is restarted automatically (immediately, then with a growing delay up
 * to 30 s while it keeps crashing).
 */
export async function createFaceWorkerClient(options: FaceWorkerClientOptions): Promise<FaceWorkerClient> {
  const logger = options.logger.child('face-worker');
  const file = options.workerFile ?? defaultWorkerFile();
  const data: FaceWorkerData = { modelsDir: options.modelsDir, threads: options.threads };
  const transfer = options.transferFrames ?? true;
  const startTimeoutMs = options.startTimeoutMs ?? 60_000;
  const crashes = createEmitter<{ error: string; crashes: number }>('face worker crash', logger);
  const stats: FaceWorkerStats = { analysed: 0, dropped: 0, crashes: 0, restarts: 0 };

  let worker: Worker | null = null;
  let ready = false;
  let closed = false;
  let pending: Pending | null = null;
  let nextId = 1;
  let restartTimer: NodeJS.Timeout | null = null;
  let recentCrashes: number[] = [];
  let problems: string[] = [];

  /**
   * Stops a worker gracefully: it finishes the frame in flight and releases its models, then exits.
   * Only a worker that does not exit in time is terminated (terminating mid-inference can crash).
   */
  async function stopWorker(w: Worker): Promise<void> {
    const exited = new Promise<'exited'>((resolve) => w.once('exit', () => resolve('exited')));
    w.postMessage({ type: 'close' } satisfies ToWorker);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), 5000);
    });
    const outcome = await Promise.race([exited, timeout]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      logger.warn('face worker did not stop in time; terminating it');
      await w.terminate();
    }
  }

  function settlePending(value: FaceAnalysis | null): void {
    const p = pending;
    pending = null;
    p?.resolve(value);
  }

  function start(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const w = spawn(file, data);
      worker = w;
      ready = false;
      let settled = false;
      const timer = setTimeout(() => {
        if (settled) return;
        settled = true;
        void w.terminate();
        reject(new Error(`face worker did not load its models within ${startTimeoutMs} ms`));
      }, startTimeoutMs);
      const finishStart = (error?: Error): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) reject(error);
        else resolve();
      };
      w.on('message', (message: FromWorker) => {
        if (worker !== w) return;
        switch (message.type) {
          case 'ready':
            ready = true;
            problems = message.problems;
            logger.info('face worker ready', { loadMs: message.loadMs, problems: problems.length });
            finishStart();
            break;
          case 'init-error':
            logger.error('face worker could not load the face models', { error: message.message });
            void w.terminate();
            finishStart(new Error(message.message));
            break;
          case 'result':
            if (pending?.id === message.id) {
              stats.analysed += 1;
              const { analysis } = message;
              settlePending(analysis);
            }
            break;
          case 'analyse-error':
            if (pending?.id === message.id) {
              const p = pending;
              pending = null;
              logger.warn('face worker rejected a frame', { error: message.message });
              p.reject(new Error(message.message));
            }
            break;
          case 'log':
            logger[message.level](message.message, message.fields);
            break;
        }
      });
      w.on('error', (error) => {
        if (worker !== w) return;
        onWorkerDown(w, `error: ${error.message}`);
        finishStart(new Error(`face worker failed to start: ${error.message}`));
      });
      w.on('exit', (code) => {
        if (worker !== w) return;
        onWorkerDown(w, `exited with code ${code}`);
        finishStart(new Error(`face worker exited with code ${code} while starting`));
      });
    });
  }

  /** A worker died unexpectedly: count it, report it, drop its frame and schedule a restart. */
  function onWorkerDown(w: Worker, reason: string): void {
    if (worker !== w || closed) return;
    const wasReady = ready;
    worker = null;
    ready = false;
    settlePending(null);
    if (!wasReady) return; // a start failure is reported to whoever awaited start()
    stats.crashes += 1;
    logger.error('face worker crashed; restarting it', { reason, crashes: stats.crashes });
    crashes.emit({ error: reason, crashes: stats.crashes });
    scheduleRestart();
  }

  function scheduleRestart(): void {
    if (closed || restartTimer) return;
    const now = Date.now();
    recentCrashes = recentCrashes.filter((t) => now - t < 60_000);
    recentCrashes.push(now);
    const delay = recentCrashes.length <= 1 ? 0 : Math.min(30_000, 500 * 2 ** (recentCrashes.length - 2));
    restartTimer = setTimeout(() => {
      restartTimer = null;
      if (closed) return;
      stats.restarts += 1;
      start().catch((error: unknown) => {
        logger.error('face worker restart failed; will retry', { error: error instanceof Error ? error.message : String(error) });
        recentCrashes.push(Date.now());
        scheduleRestart();
      });
    }, delay);
    restartTimer.unref?.();
  }

  await start();

  return {
    analyse(frame: RgbFrame): Promise<FaceAnalysis | null> {
      if (closed || !ready || !worker || pending) {
        stats.dropped += 1;
        return Promise.resolve(null);
      }
      const { rgb, width, height } = frame;
      const wholeBuffer = rgb.byteOffset === 0 && rgb.byteLength === rgb.buffer.byteLength && rgb.buffer instanceof ArrayBuffer;
      const pixels = transfer && wholeBuffer ? rgb : rgb.slice();
      const id = nextId++;
      const message: ToWorker = { type: 'analyse', id, rgb: pixels, width, height };
      return new Promise<FaceAnalysis | null>((resolve, reject) => {
        pending = { id, resolve, reject };
        worker?.postMessage(message, [pixels.buffer as ArrayBuffer]);
      });
    },
    busy: () => !ready || pending !== null,
    async restart(): Promise<void> {
      if (closed) throw new Error('face worker client is closed');
      const old = worker;
      worker = null;
      ready = false;
      settlePending(null);
      if (old) await stopWorker(old);
      stats.restarts += 1;
      await start();
    },
    async close(): Promise<void> {
      closed = true;
      if (restartTimer) clearTimeout(restartTimer);
      restartTimer = null;
      const old = worker;
      worker = null;
      ready = false;
      settlePending(null);
      if (old) await stopWorker(old);
    },
    stats: () => ({ ...stats }),
    problems: () => [...problems],
    onCrash: crashes.subscribe,
  };
}
