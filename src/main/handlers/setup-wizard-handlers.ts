/**
 * The setup wizard's channels: `setup:checkHotel` asks HotelMate's public face settings whether the
 * address answers and knows the hotel, before anyone types a password; `setup:testPunch` is the
 * dry run at the end. The test punch checks, in order, each part a real punch needs, and writes
 * nothing anywhere (no ledger row, no HotelMate request that changes anything):
 * - camera: the camera streams and a new picture arrives;
 * - faceModels: the face models analyse that picture (and whether a face was in view);
 * - hotelmate: HotelMate answers at the configured address and knows the hotel (`GET face-config`);
 * - faceAttendance: face attendance is turned on for the hotel (every face punch is refused otherwise);
 * - account: the kiosk account's token is accepted (`GET clock-logs/status/`, a read);
 * - pusher: live updates are connected (skipped when they are off).
 */
import type { Result } from '../../shared/domain/result';
import type { HotelCheck, HotelCheckErrorCode, SetupCheck, TestPunchReport } from '../../shared/domain/setup';
import type { RequestHandlers } from '../../shared/ipc/contract';
import type { CameraService } from '../camera/camera-service';
import type { ConfigHolder } from '../config/config-holder';
import type { FaceService } from '../face/face-service';
import type { ApiFailure, HotelMateClient } from '../hotelmate/client';
import type { Clock } from '../lib/clock';
import type { Subscribe } from '../lib/emitter';
import type { KioskServices } from '../lifecycle/kiosk-services';
import type { Logger } from '../logging/logger';

/** Where a HotelMate client should talk to. */
export interface HotelTarget {
  apiBaseUrl: string;
  hotelSlug: string;
}

export interface SetupWizardHandlerDeps {
  config: ConfigHolder;
  clock: Clock;
  logger: Logger;
  camera: Pick<CameraService, 'status' | 'onFrame'>;
  face: Pick<FaceService, 'onObservation'>;
  services: Pick<KioskServices, 'apiToken' | 'realtime'>;
  /** A client for a hotel: `faceConfig` needs no token, `myStatus` sends the kiosk account's. */
  hotelmateFor: (target: HotelTarget) => Pick<HotelMateClient, 'faceConfig' | 'myStatus'>;
  /** How long the test punch waits for a picture, an analysis or Pusher (default 6000 ms). */
  setupCheckTimeoutMs?: number;
}

type SetupWizardChannels = 'setup:checkHotel' | 'setup:testPunch';

/** Resolves with the first value `subscribe` delivers that `accept`s, or null after `timeoutMs`. */
function nextValue<T>(subscribe: Subscribe<T>, accept: (value: T) => boolean, timeoutMs: number): Promise<T | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      off();
      resolve(null);
    }, timeoutMs);
    const off = subscribe((value) => {
      if (!accept(value)) return;
      clearTimeout(timer);
      off();
      resolve(value);
    });
  });
}

/** A failed HotelMate call as the hotel check reports it. */
function hotelFailure(failure: ApiFailure): HotelCheckErrorCode {
  if (failure.kind === 'network' || failure.kind === 'timeout') return 'unreachable';
  if (failure.kind === 'http' && failure.status === 404) return 'not_found';
  return 'bad_response';
}

export function setupWizardHandlers(deps: SetupWizardHandlerDeps): Pick<RequestHandlers, SetupWizardChannels> {
  const log = deps.logger.child('setup');
  const waitMs = deps.setupCheckTimeoutMs ?? 6000;

  const checkHotel = async (
    target: HotelTarget,
    client: Pick<HotelMateClient, 'faceConfig'> = deps.hotelmateFor(target),
  ): Promise<Result<HotelCheck, HotelCheckErrorCode>> => {
    const outcome = await client.faceConfig();
    if (outcome.ok) return { ok: true, faceAttendanceEnabled: outcome.data.face_recognition_config.face_attendance_enabled };
    const code = hotelFailure(outcome);
    log.info('hotel check failed', { code, kind: outcome.kind, reason: outcome.message });
    return { ok: false, error: { code, message: outcome.message } };
  };

  /** Camera, then the face models on the camera's next picture. */
  const cameraAndFace = async (): Promise<SetupCheck[]> => {
    const state = deps.camera.status().state;
    if (state !== 'streaming' && state !== 'starting') {
      return [
        { id: 'camera', result: 'failed', code: state },
        { id: 'faceModels', result: 'skipped', code: 'no_camera' },
      ];
    }
    const analysed = nextValue(deps.face.onObservation, () => true, waitMs);
    const frame = await nextValue(deps.camera.onFrame, () => true, waitMs);
    if (!frame) {
      return [
        { id: 'camera', result: 'failed', code: 'no_pictures' },
        { id: 'faceModels', result: 'skipped', code: 'no_camera' },
      ];
    }
    const observation = await analysed;
    return [
      { id: 'camera', result: 'ok', code: 'pictures' },
      observation
        ? { id: 'faceModels', result: 'ok', code: observation.hasMainFace ? 'face_found' : 'no_face' }
        : { id: 'faceModels', result: 'failed', code: 'no_answer' },
    ];
  };

  /** HotelMate, face attendance and the kiosk account. */
  const hotelmate = async (): Promise<SetupCheck[]> => {
    const config = deps.config.get();
    if (!config.api.baseUrl || !config.hotel.slug) {
      return ['hotelmate', 'faceAttendance', 'account'].map((id) => ({ id: id as SetupCheck['id'], result: 'skipped', code: 'not_configured' }));
    }
    const target = { apiBaseUrl: config.api.baseUrl, hotelSlug: config.hotel.slug };
    const client = deps.hotelmateFor(target);
    const hotel = await checkHotel(target, client);
    if (!hotel.ok) {
      return [
        { id: 'hotelmate', result: 'failed', code: hotel.error.code },
        { id: 'faceAttendance', result: 'skipped', code: 'no_hotelmate' },
        { id: 'account', result: 'skipped', code: 'no_hotelmate' },
      ];
    }
    const checks: SetupCheck[] = [
      { id: 'hotelmate', result: 'ok', code: 'reachable' },
      { id: 'faceAttendance', result: hotel.faceAttendanceEnabled ? 'ok' : 'failed', code: hotel.faceAttendanceEnabled ? 'enabled' : 'disabled' },
    ];
    if (deps.services.apiToken() === null) return [...checks, { id: 'account', result: 'skipped', code: 'not_signed_in' }];
    const status = await client.myStatus();
    if (status.ok) return [...checks, { id: 'account', result: 'ok', code: 'accepted' }];
    const refused = status.kind === 'http' && (status.status === 401 || status.status === 403);
    log.info('test punch: the kiosk account check failed', { kind: status.kind, reason: status.message });
    return [...checks, { id: 'account', result: 'failed', code: refused ? 'refused' : hotelFailure(status) }];
  };

  const pusher = async (): Promise<SetupCheck> => {
    const config = deps.config.get();
    if (!config.pusher.enabled) return { id: 'pusher', result: 'skipped', code: 'off' };
    const realtime = deps.services.realtime();
    if (!realtime) return { id: 'pusher', result: 'failed', code: 'not_configured' };
    if (realtime.state() === 'connected') return { id: 'pusher', result: 'ok', code: 'connected' };
    const reached = await nextValue(realtime.onState, (state) => state === 'connected', waitMs);
    return reached ? { id: 'pusher', result: 'ok', code: 'connected' } : { id: 'pusher', result: 'failed', code: realtime.state() };
  };

  return {
    'setup:checkHotel': (target) => checkHotel(target),
    'setup:testPunch': async () => {
      const [camera, server, live] = await Promise.all([cameraAndFace(), hotelmate(), pusher()]);
      const checks = [...camera, ...server, live];
      const report: TestPunchReport = { ok: checks.every((c) => c.result !== 'failed'), checks, at: deps.clock.now().toISOString() };
      log.info('test punch', { ok: report.ok, checks: checks.map((c) => `${c.id}:${c.result}:${c.code}`).join(' ') });
      return report;
    },
  };
}
