/**
 * Wires the always-running services to the screens: camera frames to the preview and the face
 * service, face observations and decisions (a recognition opens a session bound to its face track,
 * the end of the track closes it and tells the screen which recognition ended; a liveness challenge
 * or failure reaches the screen without a name), enrolment progress
 * and the admin session to the event hub; a config change re-sends the kiosk info, reconfigures
 * the camera and rebuilds the clock and realtime services when their settings changed.
 */
import type { KioskConfig } from '../../shared/config/schema';
import type { EffectiveStatus, PreviewFrame, Recognition } from '../../shared/domain/types';
import type { AdminSession } from '../admin/admin-session';
import type { CameraFrame, CameraService } from '../camera/camera-service';
import type { EventHub } from '../channels/event-hub';
import type { ConfigHolder } from '../config/config-holder';
import type { EnrolmentService } from '../face/enrolment';
import type { FaceService } from '../face/face-service';
import type { FaceMatch } from '../face/face-types';
import type { RecognitionSessions } from '../face/recognition-sessions';
import type { TemplateStore } from '../face/template-store';
import { type KioskInfoSource, publishKioskInfo } from '../handlers/kiosk-info';
import { assertNever } from '../lib/assert-never';
import { toLogFormat } from '../lib/errors';
import type { KioskServices } from '../lifecycle/kiosk-services';
import type { Logger } from '../logging/logger';

/** At most this many preview frames per second go to the screens. */
const PREVIEW_FPS = 15;
/** How long a greeting waits for HotelMate's answer on the person's status before it shows the last known one. */
export const STATUS_REFRESH_BUDGET_MS = 500;
/** From this many liveness failures of one face on, the screen offers to call a manager. */
export const MANAGER_FALLBACK_AFTER = 2;

export interface KioskEventWiringDeps {
  logger: Logger;
  config: ConfigHolder;
  events: EventHub;
  camera: Pick<CameraService, 'onFrame' | 'onStatus' | 'setConfig'>;
  face: Pick<FaceService, 'submit' | 'onObservation' | 'onDecision'> & {
    templates: Pick<TemplateStore, 'list'>;
    enrolment: Pick<EnrolmentService, 'onProgress'>;
  };
  admin: Pick<AdminSession, 'onStatus'>;
  sessions: RecognitionSessions;
  services: Pick<KioskServices, 'clockService' | 'refreshStatus' | 'rebuild'>;
  info: KioskInfoSource;
  toPreview: (frame: CameraFrame, width: number) => PreviewFrame;
}

/** Subscribes everything; returns the function that unsubscribes it all again. */
export function wireKioskEvents(deps: KioskEventWiringDeps): () => void {
  const log = deps.logger.child('wiring');
  let lastPreviewAt = 0;
  let decisionSeq = 0;

  const onFrame = (frame: CameraFrame): void => {
    // Preview first: the face worker takes ownership of the pixel buffer (it is transferred to the
    // worker thread, not copied), so nothing may read it after submit().
    if (frame.capturedAt - lastPreviewAt >= 1000 / PREVIEW_FPS - 5) {
      lastPreviewAt = frame.capturedAt;
      deps.events.emit('camera:preview', deps.toPreview(frame, deps.config.get().camera.previewWidth));
    }
    deps.face.submit(frame);
  };

  /** What the screen shows for a recognised person; the match itself stays in the session. */
  const recognition = (recognitionId: string, match: FaceMatch, at: string, status: EffectiveStatus): Recognition => {
    const clockService = deps.services.clockService();
    const enrolledName = (): string | undefined => deps.face.templates.list().find((p) => p.staffId === match.staffId)?.name;
    return {
      recognitionId,
      staff: clockService?.staff(match.staffId) ?? { id: match.staffId, name: enrolledName() ?? `Staff #${match.staffId}`, department: null, photoUrl: null },
      status,
      shift: clockService?.todayShift(match.staffId) ?? null,
      distance: match.distance,
      spoofSuspected: match.spoofSuspected,
      recognisedAt: at,
    };
  };

  const onConfigChange = (next: KioskConfig, previous: KioskConfig): void => {
    publishKioskInfo(deps.events, deps.info);
    const cameraKey = (c: KioskConfig): string => JSON.stringify([c.camera.device, c.camera.width, c.camera.height, c.camera.fps]);
    if (cameraKey(next) !== cameraKey(previous)) {
      const { device, width, height, fps } = next.camera;
      deps.camera.setConfig({ device, width, height, fps }).catch((error: unknown) => log.warn('camera reconfiguration failed', { error: toLogFormat(error) }));
    }
    const servicesKey = (c: KioskConfig): string => JSON.stringify([c.hotel.slug, c.api, c.pusher, c.kiosk]);
    if (servicesKey(next) !== servicesKey(previous)) {
      deps.services.rebuild().catch((error: unknown) => log.error('service rebuild failed', { error: toLogFormat(error) }));
    }
  };

  const unsubscribers = [
    deps.camera.onFrame(onFrame),
    deps.camera.onStatus((status) => deps.events.emit('camera:status', status)),
    deps.face.onObservation((observation) => deps.events.emit('face:observation', observation)),
    deps.face.enrolment.onProgress((step) => deps.events.emit('enrol:progress', step)),
    deps.admin.onStatus((status) => deps.events.emit('admin:status', status)),
    deps.face.onDecision((decision) => {
      const seq = ++decisionSeq;
      const at = new Date(decision.at).toISOString();
      switch (decision.kind) {
        case 'gone':
          // The face's recognition closes with its track: the screen showing it returns to idle.
          return deps.events.emit('face:gone', { reason: decision.reason, recognitionId: deps.sessions.endTrack(decision.trackId), at });
        case 'unknown':
          return deps.events.emit('face:unknown', { reason: decision.reason, at });
        case 'challenge':
          // No name and no session yet: only the prompt (the recognition waits in the face service).
          return deps.events.emit('face:challenge', { action: decision.action, attempt: decision.attempt, timeoutMs: decision.timeoutMs, at });
        case 'liveness_failed':
          return deps.events.emit('face:livenessFailed', { failures: decision.failures, managerFallback: decision.failures >= MANAGER_FALLBACK_AFTER, at });
        case 'recognised': {
          const recognitionId = deps.sessions.open(decision.match, decision.trackId);
          // The status is re-read first (within the budget); a newer decision meanwhile makes this greeting stale.
          return void deps.services
            .refreshStatus(decision.match.staffId, STATUS_REFRESH_BUDGET_MS)
            .then((status) => {
              if (seq === decisionSeq) deps.events.emit('face:recognised', recognition(recognitionId, decision.match, at, status));
            })
            .catch((error: unknown) => log.warn('greeting dropped: the status could not be read', { staffId: decision.match.staffId, error: toLogFormat(error) }));
        }
        default:
          return assertNever(decision, 'face decision');
      }
    }),
    deps.config.onChange(onConfigChange),
  ];
  return () => {
    for (const off of unsubscribers) off();
  };
}
