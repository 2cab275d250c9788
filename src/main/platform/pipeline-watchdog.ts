/**
 * Notices a stuck capture/recognition pipeline that no error announced: the camera claims to stream
 * but no frame arrives, frames go to the face worker but nothing comes back, or a face has been in
 * view for a long time without any decision. It restarts only the stuck part, with a cool-down, and
 * counts restarts for the diagnostics screen. Time comes from the injected clock.
 */
import type { Clock } from '../lib/clock';
import { type Logger, toLogFormat } from '../logging/logger';

export type WatchedPart = 'camera' | 'face';

export interface PipelineWatchdogOptions {
  clock: Clock;
  logger: Logger;
  restartCamera: () => Promise<void>;
  restartFace: () => Promise<void>;
  /** No frame for this long while the camera should stream: restart the camera. Default 10 s. */
  frameStallMs?: number;
  /** Frames submitted but no observation back for this long: restart the face worker. Default 10 s. */
  analysisStallMs?: number;
  /** A face continuously in view this long without any decision: restart the face worker. Default 20 s. */
  decisionStallMs?: number;
  /** Minimum gap between two restarts of the same part. Default 60 s. */
  cooldownMs?: number;
  onRestart?: (part: WatchedPart, reason: string) => void;
}

export interface PipelineWatchdogStats {
  cameraRestarts: number;
  faceRestarts: number;
  lastRestart: { part: WatchedPart; reason: string; at: string } | null;
}

export interface PipelineWatchdog {
  /** The camera is (or is no longer) supposed to deliver frames (status streaming/starting). */
  setCameraExpected(expected: boolean): void;
  frameArrived(): void;
  frameSubmitted(): void;
  observationArrived(hasFace: boolean): void;
  decisionArrived(): void;
  /** Looks for a stall now and restarts what is stuck; resolves when the restart finished. Never rejects. */
  check(): Promise<WatchedPart[]>;
  /** Checks every `intervalMs` (default 2 s) until stop(). */
  start(intervalMs?: number): void;
  stop(): void;
  stats(): PipelineWatchdogStats;
}

/** Creates the watchdog; it watches nothing until the camera is expected to stream. */
export function createPipelineWatchdog(options: PipelineWatchdogOptions): PipelineWatchdog {
  const log = options.logger.child('watchdog');
  const now = (): number => options.clock.monotonicMs();
  const frameStall = options.frameStallMs ?? 10_000;
  const analysisStall = options.analysisStallMs ?? 10_000;
  const decisionStall = options.decisionStallMs ?? 20_000;
  const cooldown = options.cooldownMs ?? 60_000;
  let cameraExpected = false;
  let lastFrame = now();
  let oldestUnanswered: number | null = null;
  let faceSince: number | null = null;
  /** A decision was made for the face now in view: a person reading the screen is not a stall. */
  let decidedForThisFace = false;
  let lastDecision = now();
  const lastRestartAt: Record<WatchedPart, number> = { camera: -Infinity, face: -Infinity };
  const stats: PipelineWatchdogStats = { cameraRestarts: 0, faceRestarts: 0, lastRestart: null };
  let timer: NodeJS.Timeout | null = null;
  let checking = false;

  const restart = async (part: WatchedPart, reason: string): Promise<boolean> => {
    if (now() - lastRestartAt[part] < cooldown) return false;
    lastRestartAt[part] = now();
    if (part === 'camera') stats.cameraRestarts += 1;
    else stats.faceRestarts += 1;
    stats.lastRestart = { part, reason, at: options.clock.now().toISOString() };
    log.warn('pipeline stalled: restarting', { part, reason });
    options.onRestart?.(part, reason);
    try {
      await (part === 'camera' ? options.restartCamera() : options.restartFace());
    } catch (error) {
      log.error('restart failed; will try again after the cool-down', { part, error: toLogFormat(error) });
    }
    // Give the restarted part a fresh start before judging it again.
    if (part === 'camera') lastFrame = now();
    else {
      oldestUnanswered = null;
      faceSince = null;
      lastDecision = now();
    }
    return true;
  };

  const check = async (): Promise<WatchedPart[]> => {
    const restarted: WatchedPart[] = [];
    const t = now();
    if (cameraExpected && t - lastFrame >= frameStall) {
      if (await restart('camera', `no frame for ${Math.round((t - lastFrame) / 1000)} s while the camera should stream`)) restarted.push('camera');
    }
    if (oldestUnanswered !== null && t - oldestUnanswered >= analysisStall) {
      if (await restart('face', `no analysis result for ${Math.round((t - oldestUnanswered) / 1000)} s`)) restarted.push('face');
    } else if (faceSince !== null && t - Math.max(faceSince, lastDecision) >= decisionStall) {
      if (await restart('face', `a face in view for ${Math.round((t - faceSince) / 1000)} s without a decision`)) restarted.push('face');
    }
    return restarted;
  };

  return {
    setCameraExpected(expected) {
      if (expected && !cameraExpected) lastFrame = now();
      cameraExpected = expected;
    },
    frameArrived() {
      lastFrame = now();
    },
    frameSubmitted() {
      if (oldestUnanswered === null) oldestUnanswered = now();
    },
    observationArrived(hasFace) {
      oldestUnanswered = null;
      if (hasFace) {
        if (!decidedForThisFace) faceSince ??= now();
      } else {
        faceSince = null;
        decidedForThisFace = false;
      }
    },
    decisionArrived() {
      lastDecision = now();
      faceSince = null;
      decidedForThisFace = true;
    },
    check,
    start(intervalMs = 2_000) {
      if (timer) return;
      timer = setInterval(() => {
        if (checking) return;
        checking = true;
        void check().finally(() => {
          checking = false;
        });
      }, intervalMs);
      timer.unref?.();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
    stats: () => ({ ...stats, lastRestart: stats.lastRestart ? { ...stats.lastRestart } : null }),
  };
}
