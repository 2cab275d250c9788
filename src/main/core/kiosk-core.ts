/**
 * The kiosk's main-side core: wires camera -> face -> recognition sessions -> clock ledger/sync and
 * realtime, and implements every request handler of the IPC contract on top of the capability
 * services. Plain Node: the Electron shell and the dev/test bridge both serve these handlers.
 */
import crypto from 'node:crypto';
import type { KioskConfig } from '../../shared/config/schema';
import { setupReasons } from '../../shared/config/schema';
import type { RequestChannel, RequestHandlers } from '../../shared/ipc/contract';
import type { ConnectionState, EffectiveStatus, KioskInfo, Language, PreviewFrame, Recognition } from '../../shared/domain/types';
import type { AdminSession } from '../admin/admin-session';
import { type ConfigHolder, toPublicConfig } from '../config/config-holder';
import { type Logger, toLogFormat } from '../logging/logger';
import type { SecretStore } from '../secrets/secret-store';
import type { EventHub } from './router';
import type { CameraFrame, CameraService } from '../camera/camera-service';
import type { FaceService } from '../face/face-service';
import type { FaceMatch } from '../face/face-types';
import type { Clock } from '../lib/clock';
import type { RealtimeService } from '../realtime/realtime-service';
import type { ClockService } from '../sync/clock-service';

export type SignInResult =
  | { ok: true; token: string; accountName: string; hotelName: string }
  | { ok: false; error: { code: 'bad_credentials' | 'unreachable' | 'wrong_hotel' | 'bad_response'; message: string } };

export interface KioskCoreDeps {
  logger: Logger;
  clock: Clock;
  config: ConfigHolder;
  secrets: SecretStore;
  events: EventHub;
  camera: CameraService;
  face: FaceService;
  toPreview: (frame: CameraFrame, width: number) => PreviewFrame;
  /** Builds the ledger + sync service for a configured kiosk. */
  createClockService: (config: KioskConfig, token: string) => ClockService;
  /** Builds the realtime service, or null when Pusher is not configured. */
  createRealtimeService: (config: KioskConfig, token: string, clockService: ClockService) => RealtimeService | null;
  admin: AdminSession;
  /** Problems that stop the kiosk from punching (damaged database, missing models), shown on screen. */
  problems?: () => string[];
  /** Called when the API becomes reachable again (retry queued face registrations, revocations). */
  onOnline?: () => void;
  /** Deletes a person's templates locally and revokes the face on HotelMate (or queues that). */
  revokeFace: (staffId: number) => Promise<void>;
  signIn: (input: { apiBaseUrl: string; hotelSlug: string; username: string; password: string }) => Promise<SignInResult>;
  exportDiagnostics: (dir: string) => Promise<string>;
  diagnosticsExtra: () => { recentErrors: string[]; health: { rendererRestarts: number; watchdogRestarts: number } };
  versions: Record<string, string>;
  forgetKiosk: () => Promise<void>;
  exit: () => void;
}

export interface KioskCore {
  handlers: RequestHandlers;
  /** Channels usable without an unlocked admin session. */
  isAllowed(channel: RequestChannel): boolean;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The current clock service (null while the kiosk is not configured). */
  clockService(): ClockService | null;
}

export const TOKEN_SECRET = 'api-token';
/** How long a punch waits for HotelMate before the screen says "saved offline, will sync". */
const PUNCH_CONFIRM_MS = 2500;


interface RecognitionSession {
  staffId: number;
  match: FaceMatch;
  expiresAt: number;
}

const CONSENT_TEXT =
  'I agree that this kiosk stores a mathematical template of my face, encrypted, on this device and registers it with HotelMate, only to record my working time. I can ask a manager to delete it at any time.';

export function createKioskCore(deps: KioskCoreDeps): KioskCore {
  const log = deps.logger.child('core');
  const sessions = new Map<string, RecognitionSession>();
  let clockService: ClockService | null = null;
  let realtime: RealtimeService | null = null;
  let language: Language = deps.config.get().ui.language;
  let unsubscribers: (() => void)[] = [];
  let serviceUnsubscribers: (() => void)[] = [];
  let lastPreviewAt = 0;
  let lastApiState: ConnectionState['api'] = 'unconfigured';
  const startedAt = deps.clock.now().getTime();

  const token = (): string | null => deps.secrets.get(TOKEN_SECRET);

  const info = (): KioskInfo => {
    const config = deps.config.get();
    const reasons = [...(deps.problems?.() ?? []), ...setupReasons(config, token() !== null)];
    return {
      mode: reasons.length === 0 ? 'kiosk' : 'setup',
      setupReasons: reasons,
      hotelName: config.hotel.name || config.hotel.slug || 'HotelMate',
      hotelSlug: config.hotel.slug,
      timeZone: config.hotel.timeZone,
      language,
      showBoard: config.ui.showBoard,
      greetingTimeoutSeconds: config.ui.greetingTimeoutSeconds,
      kioskId: config.kiosk.id,
      versions: deps.versions,
    };
  };

  const connection = (): ConnectionState => {
    const base: ConnectionState = clockService
      ? clockService.connection()
      : { api: 'unconfigured', apiMessage: null, realtime: 'disabled', pendingPunches: 0, needsReview: 0, lastSyncAt: null };
    return { ...base, realtime: realtime ? realtime.state() : 'disabled' };
  };

  const emitConnection = (): void => deps.events.emit('app:connection', connection());

  /** (Re)builds ledger/sync and realtime for the current config and token; stops the old ones. */
  const rebuildServices = async (): Promise<void> => {
    for (const off of serviceUnsubscribers) off();
    serviceUnsubscribers = [];
    await realtime?.stop().catch((error: unknown) => log.warn('realtime stop failed', { error: toLogFormat(error) }));
    await clockService?.stop().catch((error: unknown) => log.warn('clock stop failed', { error: toLogFormat(error) }));
    realtime = null;
    clockService = null;
    const config = deps.config.get();
    const apiToken = token();
    if (!config.hotel.slug || !config.api.baseUrl || !apiToken) {
      log.info('kiosk not configured yet: ledger and sync idle', { reasons: setupReasons(config, apiToken !== null) });
      emitConnection();
      return;
    }
    clockService = deps.createClockService(config, apiToken);
    const svc = clockService;
    serviceUnsubscribers.push(
      svc.onStatus((status) => deps.events.emit('clock:status', status)),
      svc.onConnection((state) => {
        if (state.api === 'online' && lastApiState !== 'online') deps.onOnline?.();
        lastApiState = state.api;
        emitConnection();
      }),
      svc.onBoard((board) => deps.events.emit('board:changed', board)),
    );
    await svc.start();
    realtime = deps.createRealtimeService(config, apiToken, svc);
    if (realtime) {
      serviceUnsubscribers.push(realtime.onState(() => emitConnection()));
      await realtime.start().catch((error: unknown) => log.warn('realtime start failed', { error: toLogFormat(error) }));
    }
    emitConnection();
  };

  /** The clock service's effective status; off duty with nothing known while the kiosk is unconfigured. */
  const effectiveStatus = (staffId: number): EffectiveStatus =>
    clockService?.effectiveStatus(staffId) ?? { staffId, status: 'off_duty', breakStartedAt: null, pendingPunches: 0, updatedAt: null };

  const pruneSessions = (): void => {
    const now = deps.clock.now().getTime();
    for (const [id, session] of sessions) if (session.expiresAt < now) sessions.delete(id);
  };

  const staffSummary = (staffId: number): Recognition['staff'] => {
    const cached = clockService?.staff(staffId);
    if (cached) return cached;
    const enrolled = deps.face.templates.list().find((p) => p.staffId === staffId);
    return { id: staffId, name: enrolled?.name ?? `Staff #${staffId}`, department: null, photoUrl: null };
  };

  const onFrame = (frame: CameraFrame): void => {
    // Preview first (at no more than ~15 fps): the face worker takes ownership of the pixel buffer
    // (it is transferred to the worker thread, not copied), so nothing may read it after submit().
    if (frame.capturedAt - lastPreviewAt >= 1000 / 15 - 5) {
      lastPreviewAt = frame.capturedAt;
      deps.events.emit('camera:preview', deps.toPreview(frame, deps.config.get().camera.previewWidth));
    }
    deps.face.submit(frame);
  };

  const wireStaticServices = (): void => {
    unsubscribers.push(
      deps.camera.onFrame(onFrame),
      deps.camera.onStatus((status) => deps.events.emit('camera:status', status)),
      deps.face.onObservation((observation) => deps.events.emit('face:observation', observation)),
      deps.face.enrolment.onProgress((step) => deps.events.emit('enrol:progress', step)),
      deps.admin.onStatus((status) => deps.events.emit('admin:status', status)),
      deps.face.onDecision((decision) => {
        const at = new Date(decision.at).toISOString();
        if (decision.kind === 'gone') {
          deps.events.emit('face:gone', { at });
          return;
        }
        if (decision.kind === 'unknown') {
          deps.events.emit('face:unknown', { reason: decision.reason, at });
          return;
        }
        pruneSessions();
        const { match } = decision;
        const recognitionId = crypto.randomUUID();
        const ttlMs = (deps.config.get().ui.greetingTimeoutSeconds + 60) * 1000;
        sessions.set(recognitionId, { staffId: match.staffId, match, expiresAt: deps.clock.now().getTime() + ttlMs });
        const status = effectiveStatus(match.staffId);
        deps.events.emit('face:recognised', {
          recognitionId,
          staff: staffSummary(match.staffId),
          status,
          shift: clockService?.todayShift(match.staffId) ?? null,
          distance: match.distance,
          spoofSuspected: match.spoofSuspected,
          recognisedAt: at,
        });
      }),
      deps.config.onChange((next, previous) => {
        deps.events.emit('app:info', info());
        const cameraKey = (c: KioskConfig): string => JSON.stringify([c.camera.device, c.camera.width, c.camera.height, c.camera.fps]);
        if (cameraKey(next) !== cameraKey(previous)) {
          const { device, width, height, fps } = next.camera;
          deps.camera.setConfig({ device, width, height, fps }).catch((error: unknown) => log.warn('camera reconfiguration failed', { error: toLogFormat(error) }));
        }
        const relevant = (c: KioskConfig): string => JSON.stringify([c.hotel.slug, c.api, c.pusher, c.kiosk]);
        if (relevant(next) !== relevant(previous)) {
          rebuildServices().catch((error: unknown) => log.error('service rebuild failed', { error: toLogFormat(error) }));
        }
      }),
    );
  };

  const handlers: RequestHandlers = {
    'app:getInfo': () => info(),
    'app:getConnection': () => connection(),
    'app:setLanguage': (next) => {
      language = next;
      deps.events.emit('app:language', next);
      return { ok: true };
    },
    'log:renderer': (entry) => {
      const rendererLog = deps.logger.child('renderer');
      rendererLog[entry.level](entry.message, entry.stack ? { stack: entry.stack } : undefined);
    },
    'camera:list': () => deps.camera.listDevices(),
    'camera:getStatus': () => deps.camera.status(),
    'face:rejectMatch': (recognitionId) => {
      const session = sessions.get(recognitionId);
      sessions.delete(recognitionId);
      deps.face.rejectCurrent();
      if (session) log.info('recognition rejected by the person ("Not you?")', { staffId: session.staffId, distance: session.match.distance });
      return { ok: true };
    },
    'clock:punch': async (request) => {
      pruneSessions();
      const session = sessions.get(request.recognitionId);
      if (!session) {
        return { ok: false, error: { code: 'expired_recognition', message: 'Please look at the camera again.' } };
      }
      if (!clockService) {
        return { ok: false, error: { code: 'not_configured', message: 'This kiosk is not set up yet. Ask a manager.' } };
      }
      // The clock service checks the action against the effective status and recognises a second
      // tap for the same punch as a duplicate.
      const svc = clockService;
      const result = svc.punch({
        staffId: session.staffId,
        action: request.action,
        reason: request.reason,
        match: session.match,
        flagged: session.match.spoofSuspected,
      });
      if (!result.ok) return result;
      emitConnection();
      if (result.duplicate || result.savedOffline) return result;
      // Believed online: give the sync a moment so the screen can say truthfully whether the punch
      // reached HotelMate or is saved here to sync later (it is durably saved either way).
      const synced = await svc.confirmSynced(result.eventId, PUNCH_CONFIRM_MS);
      return synced ? result : { ...result, savedOffline: true };
    },
    'clock:getStatus': (staffId) => effectiveStatus(staffId),
    'board:get': () => clockService?.board() ?? { departments: [], updatedAt: null },
    'admin:status': () => deps.admin.status(),
    'admin:unlock': (pin) => deps.admin.unlock(pin),
    'admin:lock': () => {
      deps.admin.lock('locked from the admin area');
      return { ok: true };
    },
    'admin:setPin': async (pin) => {
      const result = await deps.admin.setPin(pin);
      if (result.ok) deps.events.emit('app:info', info());
      return result;
    },
    'config:get': () => (toPublicConfig(deps.config.get(), token() !== null)),
    'config:update': (patch) => {
      // The PIN hash and kiosk identity are never set through this channel.
      if ('admin' in patch) return { ok: false, errors: [{ field: 'admin', message: 'use the PIN screen to change the PIN' }] };
      const result = deps.config.update(patch);
      if (!result.ok) return { ok: false, errors: result.errors };
      return { ok: true, config: toPublicConfig(result.config, token() !== null) };
    },
    'setup:signIn': async (input) => {
      const result = await deps.signIn(input);
      if (!result.ok) return result;
      deps.secrets.set(TOKEN_SECRET, result.token);
      const update = deps.config.update({
        hotel: { slug: input.hotelSlug, name: result.hotelName },
        api: { baseUrl: input.apiBaseUrl, accountName: result.accountName },
      });
      if (!update.ok) return { ok: false, error: { code: 'bad_response', message: update.errors.map((e) => `${e.field}: ${e.message}`).join('; ') } };
      // Same config values as before but a new token: rebuild explicitly.
      await rebuildServices();
      deps.events.emit('app:info', info());
      return { ok: true, accountName: result.accountName, hotelName: result.hotelName };
    },
    'admin:cameras': () => (deps.camera.listDevices()),
    'staff:list': () => {
      const enrolled = new Set(deps.face.templates.list().map((p) => p.staffId));
      return (clockService?.staffList() ?? []).map((s) => ({ ...s, enrolled: enrolled.has(s.id) }));
    },
    'enrol:start': ({ staffId }) => (deps.face.enrolment.start(staffId, CONSENT_TEXT, 'admin')),
    'enrol:cancel': () => deps.face.enrolment.cancel(),
    'enrol:list': () => (deps.face.templates.list()),
    'enrol:remove': async (staffId) => {
      await deps.revokeFace(staffId);
      log.info('face templates removed', { staffId });
      return { ok: true };
    },
    'ledger:list': (filter) => (clockService?.ledger(filter) ?? []),
    'ledger:exportCsv': () => ({ csv: clockService?.exportCsv() ?? '' }),
    'diagnostics:get': () => {
      const camera = deps.camera.status();
      const face = deps.face.stats();
      const conn = connection();
      const counts = clockService?.queueStats() ?? null;
      const extra = deps.diagnosticsExtra();
      return {
        versions: deps.versions,
        camera: { state: camera.state, fps: camera.fps, restarts: camera.restarts, device: camera.deviceLabel ?? camera.deviceId },
        face: { analysedFps: face.analysedFps, stageMs: face.stageMs, decisions: face.decisions, workerRestarts: face.workerRestarts },
        queue: {
          pending: conn.pendingPunches,
          needsReview: conn.needsReview,
          synced: counts?.synced ?? 0,
          oldestPendingAt: counts?.oldestPendingAt ?? null,
        },
        sync: { api: conn.api, lastSyncAt: conn.lastSyncAt, lastError: conn.apiMessage },
        realtime: { state: conn.realtime, events: realtime?.stats().events ?? 0, lastEventAt: realtime?.stats().lastEventAt ?? null },
        health: { ...extra.health, uptimeSeconds: Math.round((deps.clock.now().getTime() - startedAt) / 1000) },
        recentErrors: extra.recentErrors,
      };
    },
    'diagnostics:export': async (dir) => {
      try {
        return { ok: true, path: await deps.exportDiagnostics(dir) };
      } catch (error) {
        log.error('diagnostics export failed', { error: toLogFormat(error) });
        return { ok: false, error: { code: 'write_failed', message: `Could not write to ${dir}: ${(error as Error).message}` } };
      }
    },
    'app:forgetKiosk': async () => {
      log.warn('forget this kiosk requested from the admin area');
      await stop();
      await deps.forgetKiosk();
      deps.exit();
      return { ok: true };
    },
    'app:exit': () => {
      log.info('exit requested from the admin area');
      deps.exit();
      return { ok: true };
    },
  };

  async function stop(): Promise<void> {
    for (const off of unsubscribers) off();
    unsubscribers = [];
    for (const off of serviceUnsubscribers) off();
    serviceUnsubscribers = [];
    await realtime?.stop().catch(() => undefined);
    await clockService?.stop().catch(() => undefined);
    await deps.face.stop().catch(() => undefined);
    await deps.camera.stop().catch(() => undefined);
    realtime = null;
    clockService = null;
  }

  return {
    handlers,
    isAllowed: (channel) => deps.admin.allows(channel),
    async start() {
      wireStaticServices();
      await rebuildServices();
      await deps.face.start();
      await deps.camera.start();
      deps.events.emit('app:info', info());
      log.info('kiosk core started', { mode: info().mode });
    },
    stop,
    clockService: () => clockService,
  };
}
