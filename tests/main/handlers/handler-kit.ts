/**
 * The request handlers as the kiosk registers them, over real parts: a SQLite file, the config
 * file, the secret store, the admin session, the face service (with an analyser that sees
 * nothing), recognition sessions, the event hub and the service lifecycle. A configured kiosk gets
 * the real clock service talking to the HotelMate double on 127.0.0.1. Only the camera, the
 * diagnostics bundle and the exit are small fakes. Every kit is closed after its test.
 */
import path from 'node:path';
import { afterEach } from 'vitest';
import { defaultConfig } from '../../../src/shared/config/schema';
import type { EventChannel, EventPayload, RequestHandlers } from '../../../src/shared/ipc/contract';
import { createAdminSession, type AdminSession } from '../../../src/main/admin/admin-session';
import { createEventHub } from '../../../src/main/channels/event-hub';
import { createIpcRouter, type IpcRouter } from '../../../src/main/channels/router';
import { createConfigHolder, type ConfigHolder } from '../../../src/main/config/config-holder';
import { openDatabase } from '../../../src/main/db/database';
import { createFaceService, type FaceAnalyser, type FaceService } from '../../../src/main/face/face-service';
import type { FaceMatch } from '../../../src/main/face/face-types';
import { createRecognitionSessions, recognitionTtlMs, type RecognitionSessions } from '../../../src/main/face/recognition-sessions';
import { createKioskInfoSource } from '../../../src/main/handlers/kiosk-info';
import { createRequestHandlers } from '../../../src/main/handlers/register';
import type { SetupWizardHandlerDeps } from '../../../src/main/handlers/setup-wizard-handlers';
import { createHotelMateClient } from '../../../src/main/hotelmate/client';
import type { Clock } from '../../../src/main/lib/clock';
import { createKioskServices, type KioskServices, TOKEN_SECRET } from '../../../src/main/lifecycle/kiosk-services';
import { createMemoryLogger } from '../../../src/main/logging/logger';
import { createLeaverWatch, type LeaverWatch } from '../../../src/main/privacy/leavers';
import { createFileSecretStore, plainCipher } from '../../../src/main/secrets/secret-store';
import { createClockService } from '../../../src/main/sync/clock-service';
import { createHotelMateDouble, type HotelMateDouble, type KillarneyWorld } from '../../support/hotelmate-double';
import { makeTempDir } from '../../support/temp-dir';

export interface HandlerKitOptions {
  clock: Clock;
  /** A kiosk set up for the HotelMate double's Killarney hotel (slug, API URL, the kiosk account's token); unconfigured without. */
  hotel?: boolean;
  /** The punch's wait for HotelMate (the kiosk waits 2.5 s). */
  punchConfirmMs?: number;
  /** The camera the handlers see (default: a streaming USB camera that delivers no pictures). */
  camera?: SetupWizardHandlerDeps['camera'];
  /** The face service's analyser (default: one that sees nothing and answers nothing). */
  analyser?: FaceAnalyser;
  /** How long the test punch waits for each part. */
  setupCheckTimeoutMs?: number;
}

export interface HandlerKit {
  handlers: RequestHandlers;
  /** The HotelMate double and its seeded hotel, when the kiosk is set up for it. */
  hotel: { double: HotelMateDouble; world: KillarneyWorld } | null;
  /** The same handlers behind the validating router and the real admin gate. */
  router: IpcRouter;
  logger: ReturnType<typeof createMemoryLogger>;
  config: ConfigHolder;
  admin: AdminSession;
  sessions: RecognitionSessions;
  services: KioskServices;
  face: FaceService;
  leavers: LeaverWatch;
  /** Everything sent to the screens, oldest first. */
  sent: { channel: EventChannel; payload: unknown }[];
  lastSent<E extends EventChannel>(channel: E): EventPayload<E> | undefined;
  /** How often the handlers asked the app to exit. */
  exits(): number;
  /** Opens a recognition session as a face decision for this person would; returns its id. */
  recognise(staffId: number, liveDescriptor?: readonly number[]): string;
  close(): Promise<void>;
}

/** scrypt at a test cost: the PIN rules are the same, the hashing is fast. */
export const TEST_HASH_PARAMS = { N: 1024, r: 8, p: 1 };

const opened: HandlerKit[] = [];
afterEach(async () => {
  while (opened.length > 0) await opened.pop()?.close();
});

export async function createHandlerKit(options: HandlerKitOptions): Promise<HandlerKit> {
  const { clock } = options;
  const dir = makeTempDir('kiosk-handlers-');
  const logger = createMemoryLogger();
  const db = openDatabase({ file: path.join(dir, 'kiosk.db') });
  const secrets = createFileSecretStore(path.join(dir, 'secrets.json'), plainCipher);
  const config = createConfigHolder(defaultConfig(), path.join(dir, 'config.json'), logger);
  config.update({ kiosk: { id: 'kiosk-lobby' } });
  let hotel: HandlerKit['hotel'] = null;
  if (options.hotel) {
    const double = await createHotelMateDouble();
    const world = double.seed.killarney();
    hotel = { double, world };
    config.update({ hotel: { slug: world.hotelSlug, name: 'Killarney' }, api: { baseUrl: double.apiBaseUrl } });
    secrets.set(TOKEN_SECRET, world.manager.token);
  }
  const events = createEventHub(logger);
  const sent: HandlerKit['sent'] = [];
  events.subscribe((channel, payload) => sent.push({ channel, payload }));

  const admin = createAdminSession({
    db,
    clock,
    logger,
    settings: () => config.get().admin,
    savePinHash: (hash) => {
      config.update({ admin: { pinHash: hash } });
    },
    hashParams: TEST_HASH_PARAMS,
  });
  const face = createFaceService({ analyser: options.analyser ?? { analyse: async () => null }, db, secrets, config: () => config.get(), logger, clock });
  const leavers = createLeaverWatch({
    db,
    clock,
    logger,
    enrolled: () => face.templates.list().map((p) => p.staffId),
    revoke: async (staffId) => {
      const before = face.templates.list().find((p) => p.staffId === staffId)?.templates ?? 0;
      face.templates.remove(staffId);
      return { staffId, localTemplatesRemoved: before, server: 'queued' };
    },
  });
  const services = createKioskServices({
    logger,
    config,
    secrets,
    events,
    createClockService: (c, token) =>
      createClockService({
        db,
        client: createHotelMateClient({ baseUrl: c.api.baseUrl, hotelSlug: c.hotel.slug, getToken: () => token, timeoutMs: 3000, logger }),
        clock,
        logger,
        config: c,
        kioskId: c.kiosk.id,
      }),
    createRealtimeService: () => null,
  });
  const sessions = createRecognitionSessions({ clock, ttlMs: () => recognitionTtlMs(config.get().ui.greetingTimeoutSeconds) });
  const info = createKioskInfoSource({ config, hasToken: () => services.apiToken() !== null, problems: () => [], versions: { app: 'test' } });
  let exits = 0;
  const handlers = createRequestHandlers({
    logger,
    clock,
    config,
    events,
    camera: {
      listDevices: async () => [{ id: '/dev/video0', label: 'USB camera', kind: 'v4l2', formats: ['mjpeg'] }],
      status: () => ({ state: 'streaming', deviceId: '/dev/video0', deviceLabel: 'USB camera', message: null, fps: 15, restarts: 0 }),
      onFrame: () => () => undefined,
      ...options.camera,
    },
    face,
    admin,
    sessions,
    services,
    info,
    punchConfirmMs: options.punchConfirmMs,
    signIn: async () => ({ ok: false, error: { code: 'unreachable', message: 'no network in this test' } }),
    revokeFace: async (staffId) => {
      face.templates.remove(staffId);
    },
    leavers,
    hotelmateFor: (target) =>
      createHotelMateClient({ baseUrl: target.apiBaseUrl, hotelSlug: target.hotelSlug, getToken: () => secrets.get(TOKEN_SECRET), timeoutMs: 3000, logger }),
    setupCheckTimeoutMs: options.setupCheckTimeoutMs,
    exportDiagnostics: async () => path.join(dir, 'diagnostics.zip'),
    diagnosticsExtra: () => ({ recentErrors: [], health: { rendererRestarts: 0, watchdogRestarts: 0 } }),
    versions: { app: 'test' },
    forgetKiosk: async () => undefined,
    exit: () => {
      exits += 1;
    },
  });
  await services.rebuild();
  await face.start();

  const kit: HandlerKit = {
    handlers,
    hotel,
    router: createIpcRouter(handlers, logger, (channel) => admin.allows(channel)),
    logger,
    config,
    admin,
    sessions,
    services,
    face,
    leavers,
    sent,
    lastSent<E extends EventChannel>(channel: E) {
      return sent.filter((s) => s.channel === channel).at(-1)?.payload as EventPayload<E> | undefined;
    },
    exits: () => exits,
    recognise(staffId, liveDescriptor = new Array(128).fill(0.01)) {
      const match: FaceMatch = {
        staffId,
        distance: 0.3,
        secondBestDistance: null,
        model: 'faceapi-128',
        liveDescriptor: Float32Array.from(liveDescriptor),
        liveness: null,
        spoofSuspected: false,
      };
      return sessions.open(match);
    },
    async close() {
      await services.stop();
      await face.stop();
      db.close();
      await hotel?.double.close();
    },
  };
  opened.push(kit);
  return kit;
}
