/**
 * The request handlers as the kiosk registers them, over real parts: a SQLite file, the config
 * file, the secret store, the admin session, the face service (with an analyser that sees
 * nothing), recognition sessions, the event hub and the service lifecycle. A configured kiosk gets
 * the real clock service talking to the HotelMate double on 127.0.0.1. The face service is the real
 * one (tracking, decisions, templates) fed by a scripted analyser: the test says which face is in
 * front of the camera. Only the camera, the analyser, the diagnostics bundle and the exit are small
 * fakes. Every kit is closed after its test.
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
import { createFaceService } from '../../../src/main/face/face-service';
import type { FaceAnalysis } from '../../../src/main/face/pipeline/types';
import { createRecognitionSessions, recognitionTtlMs, type RecognitionSessions } from '../../../src/main/face/recognition-sessions';
import { createKioskInfoSource } from '../../../src/main/handlers/kiosk-info';
import { createRequestHandlers } from '../../../src/main/handlers/register';
import { createHotelMateClient } from '../../../src/main/hotelmate/client';
import type { Clock } from '../../../src/main/lib/clock';
import { createKioskServices, type KioskServices, TOKEN_SECRET } from '../../../src/main/lifecycle/kiosk-services';
import { createMemoryLogger } from '../../../src/main/logging/logger';
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
  /** Everything sent to the screens, oldest first. */
  sent: { channel: EventChannel; payload: unknown }[];
  lastSent<E extends EventChannel>(channel: E): EventPayload<E> | undefined;
  /** How often the handlers asked the app to exit. */
  exits(): number;
  /**
   * Enrols the person (a template equal to `descriptor`, or one of their own), puts their face in
   * front of the camera and feeds frames until the real face service recognises them; resolves the
   * recognition id the screen would get (the session opened as the kiosk's event wiring does).
   */
  recognise(staffId: number, descriptor?: readonly number[]): Promise<string>;
  /** Puts a face (a descriptor) in front of the camera, or nobody (null); frames() shows it. */
  faceInView(descriptor: readonly number[] | null): void;
  /** Feeds `count` camera frames of the face in view to the face service (advance a fake clock between them). */
  frames(count?: number): Promise<void>;
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
  let inView: Float32Array | null = null;
  const face = createFaceService({ analyser: { analyse: async () => scriptedAnalysis(inView) }, db, secrets, config: () => config.get(), logger, clock });
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
  // As the kiosk's event wiring: a recognition opens a session on its track, the track's end closes it.
  const recognitions: { staffId: number; recognitionId: string }[] = [];
  face.onDecision((decision) => {
    if (decision.kind === 'recognised') recognitions.push({ staffId: decision.match.staffId, recognitionId: sessions.open(decision.match, decision.trackId) });
    if (decision.kind === 'gone') sessions.endTrack(decision.trackId);
  });
  let seq = 0;
  const frames = async (count = 1): Promise<void> => {
    for (let i = 0; i < count; i += 1) {
      face.submit({ seq: ++seq, width: 640, height: 480, rgb: new Uint8Array(3), capturedAt: clock.now().getTime() });
      await face.idle();
    }
  };
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
    sent,
    lastSent<E extends EventChannel>(channel: E) {
      return sent.filter((s) => s.channel === channel).at(-1)?.payload as EventPayload<E> | undefined;
    },
    exits: () => exits,
    async recognise(staffId, descriptor) {
      const own = Float32Array.from(descriptor ?? ownDescriptor(staffId));
      if (!face.templates.list().some((p) => p.staffId === staffId)) face.templates.addTemplate(staffId, own, 'test', 1);
      inView = own;
      const before = recognitions.length;
      for (let i = 0; i < 10; i += 1) {
        await frames();
        const found = recognitions.slice(before).find((r) => r.staffId === staffId);
        if (found) return found.recognitionId;
      }
      throw new Error(`the face service did not recognise staff ${staffId}`);
    },
    faceInView(descriptor) {
      inView = descriptor ? Float32Array.from(descriptor) : null;
    },
    frames,
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

/** A descriptor of this person's own, far from everyone else's (one axis each). */
function ownDescriptor(staffId: number): number[] {
  const d = new Array<number>(128).fill(0);
  d[staffId % 128] = 0.6;
  return d;
}

/** What the pipeline would say about a frame with this face well placed in it (or an empty frame). */
function scriptedAnalysis(descriptor: Float32Array | null): FaceAnalysis {
  const timings = { detect: 1, landmarks: 1, crop: 1, descriptor: 1, liveness: 0, total: 4 };
  if (!descriptor) return { width: 640, height: 480, faces: [], mainIndex: -1, quality: null, landmarks: null, descriptor: null, liveness: null, timings };
  return {
    width: 640,
    height: 480,
    faces: [{ box: { x: 0.35, y: 0.25, width: 0.3, height: 0.4 }, score: 0.95 }],
    mainIndex: 0,
    quality: { sizeFraction: 0.4, centreOffset: 0.05, centreOffsetX: 0, centreOffsetY: 0.05, yawDeg: 0, pitchDeg: 0, rollDeg: 0, blur: 120, brightness: 128, clipped: false },
    landmarks: null,
    descriptor: Float32Array.from(descriptor),
    // A live face: the passive check would call it real.
    liveness: { v2: 0.95, v1se: 0.95, real: 0.95 },
    timings,
  };
}
