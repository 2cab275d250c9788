/**
 * Composition of the whole main side from a data folder, a config and the runtime paths: logger,
 * database, secrets, camera, face worker, ledger/sync, realtime, admin, privacy, the request
 * handlers with their validating router, and the event wiring. Plain Node: the Electron shell,
 * `npm run dev:web`, the demo and the end-to-end tests all start the kiosk through this one function.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { type KioskConfig } from '../../shared/config/schema';
import { createAdminSession, type AdminSession } from '../admin/admin-session';
import { createCameraService, type CameraService } from '../camera/camera-service';
import { toPreview } from '../camera/preview';
import { type ConfigHolder, createConfigHolder, redactConfig } from '../config/config-holder';
import { loadConfig } from '../config/config-store';
import { createEventHub, type EventHub } from '../channels/event-hub';
import { createIpcRouter, type IpcRouter } from '../channels/router';
import { createRecognitionSessions, recognitionTtlMs } from '../face/recognition-sessions';
import { createKioskInfoSource, publishKioskInfo } from '../handlers/kiosk-info';
import { createRequestHandlers } from '../handlers/register';
import { type Clock, systemClock } from '../lib/clock';
import { errorMessage } from '../lib/errors';
import { createKioskServices, type KioskServices, TOKEN_SECRET } from '../lifecycle/kiosk-services';
import type { RequestHandlers } from '../../shared/ipc/contract';
import { openDatabase, type WritableDB } from '../db/database';
import { writeDiagnosticsBundle } from '../diagnostics/diagnostics-bundle';
import { createFaceService, type FaceService } from '../face/face-service';
import type { FaceAnalyser } from '../face/face-service';
import { createFaceWorkerClient } from '../face/worker/face-worker-client';
import { createHotelMateClient, type HotelMateClient } from '../hotelmate/client';
import { createFaceRegistrar } from '../jobs/face-registration';
import { createJobQueue, type JobQueue } from '../jobs/job-queue';
import { createDescriptorCipher } from '../ledger/descriptor-cipher';
import {
  type LogLevel,
  type LogSink,
  type Logger,
  createConsoleSink,
  createLogger,
  createRecentErrorsSink,
  createRotatingFileSink,
  toLogFormat,
} from '../logging/logger';
import { defaultDiagnosticsFile } from '../platform/cli-args';
import { createPipelineWatchdog } from '../platform/pipeline-watchdog';
import { forgetKiosk } from '../privacy/forget-kiosk';
import { createLeaverWatch } from '../privacy/leavers';
import { createRetentionScheduler, kioskRetentionTasks } from '../privacy/retention';
import { createFaceRevoker, revokeOnHotelMate } from '../privacy/revoke-face';
import { createRealtimeService } from '../realtime/realtime-service';
import { createCipher } from '../secrets/cipher';
import { migrateCiphertexts } from '../upgrade/ciphertext-migration';
import { loadOrCreateKey, readKey } from '../secrets/keys';
import { type SecretCipher, createFileSecretStore, type SecretStore } from '../secrets/secret-store';
import { type ClockService, createClockService } from '../sync/clock-service';
import { wireKioskEvents } from './event-wiring';
import { signInKioskAccount } from './sign-in';

export interface KioskAppOptions {
  dataDir: string;
  /** Provisioning file merged over <dataDir>/config.json (`--config`, or the file next to the exe). */
  configFile?: string;
  env?: Record<string, string | undefined>;
  /** How secrets are protected: safeStorage in Electron, plain in development and tests. */
  cipher: SecretCipher;
  modelsDir: string;
  ffmpegPath?: string;
  /** better-sqlite3 addon for the running runtime when it is not node_modules' build (Electron). */
  nativeBinding?: string;
  faceWorkerFile?: string;
  versions: Record<string, string>;
  /** Also log to the console at this level (dev, demo); null for file only. */
  consoleLogLevel?: LogLevel | null;
  /** Called when the admin asks to exit (or after "forget this kiosk"). */
  exit: () => void;
  clock?: Clock;
  /** Renderer relaunch counter from the shell, for diagnostics. */
  health?: () => { rendererRestarts: number };
  /** Patch applied over the loaded config at start (demo, tests); saved like an admin change. */
  configPatch?: unknown;
}

export interface KioskApp {
  /** Every request handler and state reader, as the router serves them. */
  handlers: RequestHandlers;
  /** The clock and realtime services of the configured kiosk. */
  services: KioskServices;
  router: IpcRouter;
  events: EventHub;
  logger: Logger;
  config: ConfigHolder;
  secrets: SecretStore;
  db: WritableDB;
  camera: CameraService;
  face: FaceService;
  admin: AdminSession;
  /** The outgoing job queue (face registrations and revocations): summary() and list() for diagnostics and the admin area. */
  jobs: JobQueue;
  logDir: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** An analyser for when the face models cannot be loaded: the kiosk still runs, shows why, and records nothing. */
function unavailableAnalyser(): FaceAnalyser {
  return { analyse: async () => null };
}

/**
 * Builds the kiosk. Resolves once every service object exists; nothing talks to the camera or the
 * network until start(). Problems that stop punching (damaged database, missing models) are logged
 * and put on screen as setup reasons; they never throw from here unless the data folder itself is
 * unusable.
 */
export async function createKioskApp(options: KioskAppOptions): Promise<KioskApp> {
  const clock = options.clock ?? systemClock;
  fs.mkdirSync(options.dataDir, { recursive: true });
  const logDir = path.join(options.dataDir, 'logs');
  const recentErrors = createRecentErrorsSink();
  const sinks: LogSink[] = [createRotatingFileSink({ dir: logDir }), recentErrors];
  if (options.consoleLogLevel) sinks.push(createConsoleSink(options.consoleLogLevel));
  const logger = createLogger({ sinks, level: 'info' });
  const log = logger.child('app');
  const problems: string[] = [];

  const loaded = loadConfig({ dataDir: options.dataDir, configFile: options.configFile, env: options.env });
  for (const issue of loaded.issues) log.warn('config problem', { field: issue.field, reason: issue.message });
  const config = createConfigHolder(loaded.config, loaded.file, logger.child('config'));
  if (loaded.issues.length > 0 && !fs.existsSync(loaded.file)) config.update({});
  if (config.get().kiosk.id === 'kiosk') config.update({ kiosk: { id: `kiosk-${crypto.randomUUID().slice(0, 8)}` } });
  if (options.configPatch !== undefined) {
    const patched = config.update(options.configPatch);
    if (!patched.ok) throw new Error(`Invalid config patch: ${patched.errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`);
  }
  log.info('configuration loaded', { sources: loaded.sources, issues: loaded.issues.length });

  let db: WritableDB;
  try {
    db = openDatabase({ file: path.join(options.dataDir, 'kiosk.db'), logger: logger.child('db'), nativeBinding: options.nativeBinding });
  } catch (error) {
    const message = errorMessage(error);
    log.error('database unavailable: punches are refused', { error: toLogFormat(error) });
    problems.push(message);
    // The screens and the admin area still work from a scratch database so the problem can be
    // shown and diagnostics exported; the ledger is not created, so no punch is ever "saved" here.
    db = openDatabase({ file: ':memory:', logger: logger.child('db') });
  }

  const secrets = createFileSecretStore(path.join(options.dataDir, 'secrets.json'), options.cipher);
  if (!options.cipher.isSecure) log.warn('secrets are stored without OS protection (development/test cipher)');
  const keyOptions = { logger: logger.child('secrets') };
  const punchDescriptorKey = loadOrCreateKey(secrets, 'punchDescriptors', keyOptions);
  const jobPayloadKey = loadOrCreateKey(secrets, 'jobPayloads', keyOptions);
  migrateCiphertexts({
    db,
    keys: { faceTemplates: readKey(secrets, 'faceTemplates'), punchDescriptors: punchDescriptorKey, jobPayloads: jobPayloadKey },
    clock,
    logger,
  });
  const jobs = createJobQueue({ db, clock, logger, cipher: createCipher(jobPayloadKey) });
  const events = createEventHub(logger);

  const camera = createCameraService({ config: config.get().camera, logger, clock, ffmpegPath: options.ffmpegPath });

  let analyser: FaceAnalyser;
  let closeAnalyser = async (): Promise<void> => undefined;
  let restartAnalyser = async (): Promise<void> => undefined;
  try {
    const worker = await createFaceWorkerClient({ modelsDir: options.modelsDir, logger: logger.child('face'), workerFile: options.faceWorkerFile });
    analyser = worker;
    closeAnalyser = () => worker.close();
    restartAnalyser = () => worker.restart();
  } catch (error) {
    log.error('face models could not be loaded', { error: toLogFormat(error) });
    problems.push(`Face recognition is unavailable: ${errorMessage(error)}`);
    analyser = unavailableAnalyser();
  }

  let clockService: ClockService | null = null;
  let client: HotelMateClient | null = null;
  const makeClient = (c: KioskConfig): HotelMateClient =>
    createHotelMateClient({
      baseUrl: c.api.baseUrl,
      hotelSlug: c.hotel.slug,
      getToken: () => secrets.get(TOKEN_SECRET),
      timeoutMs: c.api.timeoutMs,
      logger: logger.child('hotelmate'),
    });

  const registrar = createFaceRegistrar({ jobs, client: () => client, logger, onRegistered: (staffId) => face.templates.markRegistered(staffId) });
  const face = createFaceService({
    analyser,
    db,
    secrets,
    config: () => config.get(),
    logger: logger.child('face'),
    clock,
    onEnrolled: (staffId, descriptor, jpegDataUrl) => registrar.register(staffId, descriptor, jpegDataUrl),
    nameOf: (staffId) => clockService?.staff(staffId)?.name ?? null,
  });

  // Notices a pipeline that stalls without an error (no frames, or faces in view but no answers).
  const watchdog = createPipelineWatchdog({
    clock,
    logger,
    restartCamera: async () => {
      await camera.stop();
      await camera.start();
    },
    restartFace: () => restartAnalyser(),
  });
  const watchdogWiring = [
    camera.onStatus((status) => watchdog.setCameraExpected(status.state === 'streaming' || status.state === 'starting')),
    camera.onFrame(() => {
      watchdog.frameArrived();
      watchdog.frameSubmitted();
    }),
    face.onObservation((observation) => watchdog.observationArrived(observation.hasMainFace)),
    face.onDecision(() => watchdog.decisionArrived()),
  ];
  const health = (): { rendererRestarts: number; watchdogRestarts: number } => {
    const stats = watchdog.stats();
    return { rendererRestarts: options.health?.().rendererRestarts ?? 0, watchdogRestarts: stats.cameraRestarts + stats.faceRestarts };
  };

  const admin = createAdminSession({
    db,
    clock,
    logger,
    settings: () => config.get().admin,
    savePinHash: (hash) => {
      const result = config.update({ admin: { pinHash: hash } });
      if (!result.ok) throw new Error('could not save the PIN');
    },
  });

  const revoker = createFaceRevoker({ jobs, logger, templates: face.templates, revokeOnServer: revokeOnHotelMate(() => client) });
  // The consent promises deletion when a person leaves: HotelMate's word on that removes the face.
  const leavers = createLeaverWatch({
    db,
    clock,
    logger,
    enrolled: () => face.templates.list().map((p) => p.staffId),
    revoke: (staffId) => revoker.revoke(staffId),
    nameOf: (staffId) => clockService?.staff(staffId)?.name ?? null,
  });
  const descriptorCipher = createDescriptorCipher(punchDescriptorKey);

  const retention = createRetentionScheduler({
    clock,
    logger,
    tasks: kioskRetentionTasks({ db, clock, jobs, retention: () => config.get().retention }),
  });

  const services = createKioskServices({
    logger,
    config,
    secrets,
    events,
    createClockService: (c) => {
      if (problems.some((p) => p.includes('database'))) throw new Error(problems.join('; '));
      client = makeClient(c);
      clockService = createClockService({
        db,
        client,
        clock,
        logger: logger.child('clock'),
        config: c,
        kioskId: c.kiosk.id,
        descriptorCipher,
        descriptorFor: (event, live) => face.templates.registeredTemplate(event.staffId) ?? live,
        isEnrolled: (staffId) => face.templates.list().some((p) => p.staffId === staffId),
        onReferenceRefreshed: (report, reference) => {
          if (report.staff !== null) void leavers.checkStaffList(reference.allStaff());
        },
      });
      return clockService;
    },
    createRealtimeService: (c, token, svc) => {
      if (!c.pusher.enabled || !c.pusher.key) return null;
      return createRealtimeService({ config: c, logger: logger.child('realtime'), clock, clockService: svc, token });
    },
    onOnline: () => jobs.resume(),
    onRealtimeEvent: (event) => {
      if (event.type === 'staff_profile_changed') void leavers.onProfileNews(event);
    },
  });
  const sessions = createRecognitionSessions({ clock, ttlMs: () => recognitionTtlMs(config.get().ui.greetingTimeoutSeconds) });
  const info = createKioskInfoSource({ config, hasToken: () => services.apiToken() !== null, problems: () => problems, versions: options.versions });
  let unwire: (() => void) | null = null;

  /** Stops what startKiosk() started: the screens' wiring, the clock and realtime services, face, camera. */
  const stopKiosk = async (): Promise<void> => {
    unwire?.();
    unwire = null;
    await services.stop();
    await face.stop().catch(() => undefined);
    await camera.stop().catch(() => undefined);
  };

  const handlers = createRequestHandlers({
    logger,
    clock,
    config,
    events,
    camera,
    face,
    admin,
    sessions,
    services,
    info,
    signIn: (input) => signInKioskAccount(input, logger, config.get().api.timeoutMs),
    revokeFace: async (staffId) => {
      await revoker.revoke(staffId);
    },
    leavers,
    hotelmateFor: (target) =>
      createHotelMateClient({
        baseUrl: target.apiBaseUrl,
        hotelSlug: target.hotelSlug,
        getToken: () => secrets.get(TOKEN_SECRET),
        timeoutMs: config.get().api.timeoutMs,
        logger: logger.child('hotelmate'),
      }),
    exportDiagnostics: async (dir) => {
      if (!fs.existsSync(dir)) throw new Error('the folder does not exist (is the USB drive plugged in?)');
      const outFile = defaultDiagnosticsFile(dir, config.get().kiosk.id, clock.now());
      const token = secrets.get(TOKEN_SECRET);
      await writeDiagnosticsBundle({
        outFile,
        logDir,
        config: redactConfig(config.get()),
        versions: options.versions,
        cameras: await camera.listDevices().catch(() => []),
        queueStats: (await handlers['diagnostics:get']()).queue,
        syncStats: clockService?.connection() ?? null,
        recentErrors: recentErrors.recent(),
        health: { camera: camera.stats(), face: face.stats(), watchdog: watchdog.stats(), ...health() },
        secrets: token ? [token] : [],
        now: clock.now(),
      });
      return outFile;
    },
    diagnosticsExtra: () => ({
      recentErrors: recentErrors.recent(),
      health: health(),
    }),
    versions: options.versions,
    forgetKiosk: async () => {
      await stopKiosk();
      await forgetKiosk({
        dataDir: options.dataDir,
        logger,
        beforeWipe: async () => {
          await jobs.stop();
          await closeAnalyser();
          db.close();
        },
      });
    },
    exit: options.exit,
  });

  const router = createIpcRouter(handlers, logger, (channel) => admin.allows(channel));
  let idleTimer: NodeJS.Timeout | null = null;

  return {
    handlers,
    services,
    router,
    events,
    logger,
    config,
    secrets,
    db,
    camera,
    face,
    admin,
    jobs,
    logDir,
    async start() {
      unwire = wireKioskEvents({ logger, config, events, camera, face, admin, sessions, services, info, toPreview });
      await services.rebuild();
      await face.start();
      await camera.start();
      publishKioskInfo(events, info);
      log.info('kiosk started', { mode: info.info().mode });
      retention.start();
      jobs.start();
      watchdog.start();
      idleTimer = setInterval(() => admin.checkIdle(), 15_000);
      idleTimer.unref();
    },
    async stop() {
      if (idleTimer) clearInterval(idleTimer);
      retention.stop();
      await jobs.stop();
      watchdog.stop();
      for (const off of watchdogWiring) off();
      await stopKiosk();
      await closeAnalyser();
      try {
        db.close();
      } catch {
        // already closed (forget kiosk)
      }
    },
  };
}
