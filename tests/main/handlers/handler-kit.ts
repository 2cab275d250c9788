/**
 * The request handlers as the kiosk registers them, over real parts: a SQLite file, the config
 * file, the secret store, the admin session, the face service (with an analyser that sees
 * nothing), recognition sessions, the event hub and the service lifecycle. A configured kiosk gets
 * the real clock service talking to the HotelMate double on 127.0.0.1. The face service is the real
 * one (tracking, decisions, templates) fed by a scripted analyser: the test says which face is in
 * front of the camera. Only the camera, the analyser, the diagnostics bundle and the exit are small
 * fakes. Every kit is closed after its test.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { afterEach } from 'vitest';
import { defaultConfig } from '../../../src/shared/config/schema';
import { createAuditSnapshots } from '../../../src/main/ledger/audit-snapshots';
import type { EventChannel, EventPayload, RequestHandlers } from '../../../src/shared/ipc/contract';
import { createAdminSession, type AdminSession } from '../../../src/main/admin/admin-session';
import { wireKioskEvents } from '../../../src/main/app/event-wiring';
import type { CameraFrame } from '../../../src/main/camera/camera-service';
import { createEventHub } from '../../../src/main/channels/event-hub';
import { createEmitter, type Subscribe } from '../../../src/main/lib/emitter';
import type { FaceDecision } from '../../../src/main/face/face-types';
import type { CameraStatus, Recognition } from '../../../src/shared/domain/types';
import { createIpcRouter, type IpcRouter } from '../../../src/main/channels/router';
import { createConfigHolder, type ConfigHolder } from '../../../src/main/config/config-holder';
import { openDatabase, type WritableDB } from '../../../src/main/db/database';
import { createFaceService, type FaceAnalyser } from '../../../src/main/face/face-service';
import type { FaceAnalysis } from '../../../src/main/face/pipeline/types';
import { createRecognitionSessions, recognitionTtlMs, type RecognitionSessions } from '../../../src/main/face/recognition-sessions';
import { createKioskInfoSource } from '../../../src/main/handlers/kiosk-info';
import { createRequestHandlers } from '../../../src/main/handlers/register';
import type { SetupWizardHandlerDeps } from '../../../src/main/handlers/setup-wizard-handlers';
import { createHotelMateClient } from '../../../src/main/hotelmate/client';
import { createJobQueue, type JobQueue } from '../../../src/main/jobs/job-queue';
import type { SignIn } from '../../../src/main/handlers/setup-handlers';
import { createCipher } from '../../../src/main/secrets/cipher';
import type { FaceService } from '../../../src/main/face/face-service';
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
  /**
   * A kiosk set up for the HotelMate double's Killarney hotel (slug, API URL, the kiosk account's
   * token); `signed-out`: the double and its hotel exist but the kiosk is not set up; unconfigured without.
   */
  hotel?: boolean | 'signed-out';
  /** How setup signs in (default: refused, as if there were no network). */
  signIn?: SignIn;
  /** How long a punch is held for its undo (the kiosk: UNDO_WINDOW_MS; default 0 here: sent at once). */
  undoWindowMs?: number;
  /** An admin PIN set first, as setup does before signing in (a kiosk with a token refuses a first PIN). */
  adminPin?: string;
  /** The camera the handlers see (default: a streaming USB camera that delivers no pictures). */
  camera?: SetupWizardHandlerDeps['camera'];
  /** Frames with real 640x480 pixels (what an audit snapshot is cut from) instead of 3 bytes. */
  framePixels?: boolean;
  /** The face service's analyser (default: the scripted face of faceInView() and recognise()). */
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
  /** The kiosk database (real SQLite in a temp dir). */
  db: WritableDB;
  admin: AdminSession;
  sessions: RecognitionSessions;
  services: KioskServices;
  /** The outgoing job queue (face registrations and removals), over the same database. */
  jobs: JobQueue;
  face: FaceService;
  leavers: LeaverWatch;
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
  /**
   * Wires the services to the screens as the kiosk does (app/event-wiring: a config change
   * rebuilds the services, a face decision becomes the greeting), with a camera that sends nothing.
   */
  wire(options?: { decisions?: Subscribe<FaceDecision> }): void;
  close(): Promise<void>;
}

/** scrypt at a test cost: the PIN rules are the same, the hashing is fast. */
/**
 * Waits until a saved punch has left the ledger's queue (the screen answers before HotelMate does)
 * and resolves its sync state; throws on a refused punch.
 */
export async function settledState(k: HandlerKit, result: { ok: true; eventId: string } | { ok: false; error: { message: string } }): Promise<string> {
  if (!result.ok) throw new Error(result.error.message);
  return (await k.services.clockService()?.awaitSettled(result.eventId, 10_000)) ?? 'no clock service';
}

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
  let hotelToken: string | null = null;
  if (options.hotel) {
    const double = await createHotelMateDouble();
    const world = double.seed.killarney();
    hotel = { double, world };
    if (options.hotel === true) {
      config.update({ hotel: { slug: world.hotelSlug, name: 'Killarney' }, api: { baseUrl: double.apiBaseUrl } });
      hotelToken = world.manager.token;
    }
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
    firstRunAllowed: () => secrets.get(TOKEN_SECRET) === null,
    hashParams: TEST_HASH_PARAMS,
  });
  if (options.adminPin) {
    const set = await admin.setPin(options.adminPin);
    if (!set.ok) throw new Error(`the kit could not set the admin PIN: ${set.error.code}`);
  }
  if (hotelToken) secrets.set(TOKEN_SECRET, hotelToken);
  let inView: Float32Array | null = null;
  const face = createFaceService({
    analyser: options.analyser ?? { analyse: async () => scriptedAnalysis(inView) },
    db,
    secrets,
    config: () => config.get(),
    logger,
    clock,
  });
  const jobs = createJobQueue({ db, clock, logger, cipher: createCipher(crypto.randomBytes(32)) });
  const snapshots = createAuditSnapshots({ db, key: crypto.randomBytes(32), clock, logger });
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
        undoWindowMs: options.undoWindowMs,
        onPunchSettled: (event) => {
          face.liveTemplates.settled(event.eventId, event.syncState, event.serverAction);
        },
      }),
    createRealtimeService: () => null,
  });
  const sessions = createRecognitionSessions({ clock, ttlMs: () => recognitionTtlMs(config.get().ui.greetingTimeoutSeconds) });
  // As the kiosk's event wiring: a recognition opens a session on its track, the track's end closes it.
  // Once wire() has run, the real event wiring opens the sessions and the greeting names the recognition.
  const recognitions: { staffId: number; recognitionId: string }[] = [];
  let wired = false;
  face.onDecision((decision) => {
    if (wired) return;
    if (decision.kind === 'recognised') recognitions.push({ staffId: decision.match.staffId, recognitionId: sessions.open(decision.match, decision.trackId) });
    if (decision.kind === 'gone') sessions.endTrack(decision.trackId);
  });
  let seq = 0;
  const frames = async (count = 1): Promise<void> => {
    for (let i = 0; i < count; i += 1) {
      const rgb = options.framePixels ? new Uint8Array(640 * 480 * 3).fill(128) : new Uint8Array(3);
      face.submit({ seq: ++seq, width: 640, height: 480, rgb, capturedAt: clock.now().getTime() });
      await face.idle();
    }
  };
  const info = createKioskInfoSource({ config, hasToken: () => services.apiToken() !== null, problems: () => [], versions: { app: 'test' } });
  let exits = 0;
  const unwires: (() => void)[] = [];
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
    snapshots,
    admin,
    sessions,
    services,
    jobs,
    info,
    signIn: options.signIn ?? (async () => ({ ok: false, error: { code: 'unreachable', message: 'no network in this test' } })),
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
    resolveProblem: async () => ({ ok: false, error: { code: 'not_possible', message: 'no problem in this test' } }),
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
    db,
    admin,
    sessions,
    services,
    jobs,
    face,
    leavers,
    sent,
    lastSent<E extends EventChannel>(channel: E) {
      return sent.filter((s) => s.channel === channel).at(-1)?.payload as EventPayload<E> | undefined;
    },
    exits: () => exits,
    async recognise(staffId, descriptor) {
      const own = Float32Array.from(descriptor ?? ownDescriptor(staffId));
      if (!face.templates.list().some((p) => p.staffId === staffId)) face.templates.addTemplate(staffId, own, 'test', 1);
      inView = own;
      const greetings = (): { staffId: number; recognitionId: string }[] =>
        wired
          ? sent.flatMap((s) => (s.channel === 'face:recognised' ? [{ staffId: (s.payload as Recognition).staff.id, recognitionId: (s.payload as Recognition).recognitionId }] : []))
          : recognitions;
      const before = greetings().length;
      for (let i = 0; i < 40; i += 1) {
        await frames();
        const found = greetings().slice(before).find((r) => r.staffId === staffId);
        if (found) return found.recognitionId;
        // The wired greeting waits for the status re-read: give it a moment.
        if (wired) await new Promise((resolve) => setTimeout(resolve, 25));
      }
      throw new Error(`the face service did not recognise staff ${staffId}`);
    },
    faceInView(descriptor) {
      inView = descriptor ? Float32Array.from(descriptor) : null;
    },
    frames,
    wire(wiring = {}) {
      wired = true;
      const unwire = wireKioskEvents({
        logger,
        config,
        events,
        camera: {
          onFrame: createEmitter<CameraFrame>('frames', logger).subscribe,
          onStatus: createEmitter<CameraStatus>('camera status', logger).subscribe,
          setConfig: async () => undefined,
        },
        face: { submit: face.submit, onObservation: face.onObservation, onDecision: wiring.decisions ?? face.onDecision, templates: face.templates, enrolment: face.enrolment },
        admin,
        sessions,
        services,
        info,
        toPreview: (frame, width) => ({ seq: frame.seq, width, height: 1, rgb: new Uint8Array(3), capturedAt: frame.capturedAt }),
      });
      unwires.push(unwire);
    },
    async close() {
      unwires.forEach((unwire) => unwire());
      await jobs.stop();
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
