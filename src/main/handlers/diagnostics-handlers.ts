/** Diagnostics channels: the figures Admin > Diagnostics shows, and the support bundle written to a USB drive. */
import type { Diagnostics } from '../../shared/domain/diagnostics';
import type { RequestHandlers } from '../../shared/ipc/contract';
import type { CameraService } from '../camera/camera-service';
import type { FaceService } from '../face/face-service';
import type { JobQueue } from '../jobs/job-queue';
import type { Clock } from '../lib/clock';
import { errorMessage, toLogFormat } from '../lib/errors';
import type { KioskServices } from '../lifecycle/kiosk-services';
import type { Logger } from '../logging/logger';
import { toJobQueueSummary } from './queue-handlers';

export interface DiagnosticsHandlerDeps {
  logger: Logger;
  clock: Clock;
  camera: Pick<CameraService, 'status'>;
  face: Pick<FaceService, 'stats'>;
  services: Pick<KioskServices, 'clockService' | 'realtime' | 'connection'>;
  jobs: Pick<JobQueue, 'summary'>;
  versions: Record<string, string>;
  /** Recent error lines, the shell's restart counters and the state of the kiosk's data files. */
  diagnosticsExtra: () => { recentErrors: string[]; health: { rendererRestarts: number; watchdogRestarts: number }; storage?: Diagnostics['storage'] };
  /** Writes the support bundle into a folder and resolves its path; rejects when the folder is unusable. */
  exportDiagnostics: (dir: string) => Promise<string>;
}

export function diagnosticsHandlers(deps: DiagnosticsHandlerDeps): Pick<RequestHandlers, 'diagnostics:get' | 'diagnostics:export'> {
  const log = deps.logger.child('diagnostics');
  const startedAt = deps.clock.now().getTime();
  return {
    'diagnostics:get': (): Diagnostics => {
      const camera = deps.camera.status();
      const face = deps.face.stats();
      const connection = deps.services.connection();
      const counts = deps.services.clockService()?.queueStats() ?? null;
      const realtime = deps.services.realtime()?.stats() ?? null;
      const extra = deps.diagnosticsExtra();
      return {
        versions: deps.versions,
        camera: { state: camera.state, fps: camera.fps, restarts: camera.restarts, device: camera.deviceLabel ?? camera.deviceId },
        face: { analysedFps: face.analysedFps, stageMs: face.stageMs, decisions: face.decisions, workerRestarts: face.workerRestarts },
        queue: {
          pending: connection.pendingPunches,
          needsReview: connection.needsReview,
          synced: counts?.synced ?? 0,
          oldestPendingAt: counts?.oldestPendingAt ?? null,
        },
        jobs: toJobQueueSummary(deps.jobs.summary()),
        sync: { api: connection.api, lastSyncAt: connection.lastSyncAt, lastError: connection.apiMessage },
        realtime: { state: connection.realtime, events: realtime?.events ?? 0, lastEventAt: realtime?.lastEventAt ?? null },
        health: { ...extra.health, uptimeSeconds: Math.round((deps.clock.now().getTime() - startedAt) / 1000) },
        recentErrors: extra.recentErrors,
        storage: extra.storage,
      };
    },
    'diagnostics:export': async (dir) => {
      try {
        return { ok: true, path: await deps.exportDiagnostics(dir) };
      } catch (error) {
        log.error('diagnostics export failed', { error: toLogFormat(error) });
        return { ok: false, error: { code: 'write_failed', message: `Could not write to ${dir}: ${errorMessage(error)}` } };
      }
    },
  };
}
