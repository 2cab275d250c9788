/**
 * Composition of the whole main side from a data folder, a config and the runtime paths: logger,
 * database, secrets, camera, face worker, ledger/sync, realtime, admin, privacy, the request
 * handlers with their validating router, and the event wiring. Plain Node: the Electron shell,
 * `npm run dev:web`, the demo and the end-to-end tests all start the kiosk through this one function.
 *
 * Damaged files never crash it and never open a door: a bad config runs on its last good copy, a
 * bad database is set aside and punching is refused (never a new, empty ledger), lost keys make the
 * faces unreadable but keep every punch, and each of these is a problem on screen (./problems.ts).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { type KioskConfig, isInsecureRemoteApi } from '../../shared/config/schema';
import { UNDO_WINDOW_MS } from '../../shared/domain/punch';
import type { ProblemAction, ProblemCode } from '../../shared/domain/problems';
import type { Result } from '../../shared/domain/result';
import { createAdminSession, reconcilePinHash, type AdminSession } from '../admin/admin-session';
import { createCameraService, type CameraService } from '../camera/camera-service';
import { toPreview } from '../camera/preview';
import { type ConfigHolder, UNASSIGNED_KIOSK_ID, createConfigHolder, redactConfig } from '../config/config-holder';
import { type LoadedConfig, loadConfig } from '../config/config-store';
import { createEventHub, type EventHub } from '../channels/event-hub';
import { createIpcRouter, type IpcRouter } from '../channels/router';
import { createRecognitionSessions, recognitionTtlMs } from '../face/recognition-sessions';
import { createKioskInfoSource, publishKioskInfo } from '../handlers/kiosk-info';
import { createRequestHandlers } from '../handlers/register';
import { type Clock, systemClock } from '../lib/clock';
import { type DurableFs, DATA_DIR_MODE, nodeDurableFs } from '../lib/durable-file';
import { errorMessage } from '../lib/errors';
import type { Timers } from '../lib/timers';
import { createKioskServices, type KioskServices, TOKEN_SECRET } from '../lifecycle/kiosk-services';
import type { RequestHandlers } from '../../shared/ipc/contract';
import { BACKUP_FILE, type BackupCopy, type BackupScheduler, META_LAST_RESTORE, type RestoreRecord, createBackupScheduler, restoreDatabase } from '../db/backup';
import { openDatabase, type WritableDB } from '../db/database';
import { type DatabaseFault, type DatabaseGuard, GUARD_FILE, ledgerSequence, openGuardedDatabase } from '../db/database-guard';
import { getMeta, setMeta } from '../db/meta';
import { setAsideTemplates } from '../db/template-set-aside';
import { templateCount } from '../db/templates';
import { writeDiagnosticsBundle } from '../diagnostics/diagnostics-bundle';
import { createFaceService, type FaceService } from '../face/face-service';
import { unreadableTemplateOwners } from '../face/template-store';
import type { FaceAnalyser } from '../face/face-service';
import { createFaceWorkerClient } from '../face/worker/face-worker-client';
import { createHotelMateClient, type HotelMateClient } from '../hotelmate/client';
import { createFaceRegistrar } from '../jobs/face-registration';
import { createJobQueue, type JobQueue } from '../jobs/job-queue';
import { createAuditSnapshots } from '../ledger/audit-snapshots';
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
import { KEY_NAMES, loadOrCreateKey, readKey } from '../secrets/keys';
import { type FileSecretStore, type SecretCipher, createFileSecretStore, type SecretStore } from '../secrets/secret-store';
import { type ClockService, createClockService } from '../sync/clock-service';
import type { ProcessErrorKind } from '../platform/process-guards';
import { wireKioskEvents } from './event-wiring';
import { type ProblemList, createProblemList } from './problems';
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
  /** Bring kiosk.db back from its best copy before opening it (`--restore-backup`). */
  restoreBackup?: boolean;
  /** Restarts the whole kiosk (after a restore from the problem screen); default: `exit`. */
  relaunch?: () => void;
  /** Backup timing and, for tests, a failing copy step, file system or timers. */
  backup?: { firstDelayMs?: number; intervalMs?: number; copy?: BackupCopy; timers?: Timers };
  /** File system for the config, secrets, guard and backup writes (tests inject ENOSPC). */
  fs?: DurableFs;
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
  secrets: FileSecretStore;
  /** The database; an empty one in memory while kiosk.db is refused (see `problems`). */
  db: WritableDB;
  /** What the kiosk found wrong with itself; blocking problems refuse punches. */
  problems: ProblemList;
  /** The periodic backup of kiosk.db; null while kiosk.db is refused. */
  backup: BackupScheduler | null;
  /** Turns an unexpected main-process error into a notice (the process guards call it). */
  reportInternalError(kind: ProcessErrorKind, error: unknown): void;
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

/** The problem shown for each way kiosk.db can be refused. */
const DATABASE_PROBLEMS: Record<DatabaseFault['kind'], ProblemCode> = {
  missing: 'database_missing',
  damaged: 'database_damaged',
  replaced: 'database_replaced',
  behind: 'database_behind',
  too_new: 'database_too_new',
  unavailable: 'database_unavailable',
};

/** Kinds of refusal a restore from a copy can help with (a newer or unreadable file is left alone). */
const RESTORABLE: ReadonlySet<DatabaseFault['kind']> = new Set(['missing', 'damaged', 'replaced', 'behind']);

/** How long after a restore managers are told about it. */
const RESTORE_NOTICE_MS = 7 * 24 * 3600_000;

/** kiosk_meta key of the kiosk id (it wins over the config's copy: it is in every punch). */
const META_KIOSK_ID = 'kiosk.id';

/** The secrets file's state as problems on screen. */
function reportSecrets(secrets: FileSecretStore, cipher: SecretCipher, problems: ProblemList): void {
  const health = secrets.health();
  if (health.state === 'damaged') {
    problems.report(
      'secrets_damaged',
      `secrets.json was damaged (${health.reason}); ${health.movedTo ? `it was moved to ${health.movedTo}` : 'it was kept'} and a new one is used: the kiosk account must sign in again.`,
    );
  } else if (health.state === 'undecryptable') {
    problems.report(
      'secrets_damaged',
      `secrets.json holds values that do not decrypt with this computer's OS keyring (${health.names.join(', ')}): it was written under another user or on another PC. A copy was kept as ${health.keptAs} for support; the kiosk account must sign in again.`,
    );
  } else if (health.state === 'unavailable') {
    problems.report('secrets_unavailable', `secrets.json cannot be read (${health.reason}); it is not rewritten, and nothing secret can be saved until it is fixed.`);
  }
  if (!cipher.isSecure) {
    problems.report(
      'secrets_unprotected',
      'No OS keyring: the encryption keys and the API token are kept in secrets.json as plain base64 (dev:web, tests) or under Chromium\'s fixed built-in key (Linux without a keyring), which anyone can undo; only the file permissions (0600) and disk encryption protect them.',
    );
  }
}

/**
 * Brings the config and the database together at start: the database's PIN hash and kiosk id win
 * (the config's copy is rewritten), a database without them takes the config's, and a kiosk without
 * an id gets one. Returns the config to hold and whether it must be saved.
 */
function reconcileConfig(loaded: LoadedConfig, db: WritableDB | null, clock: Clock, problems: ProblemList, log: Logger): { config: KioskConfig; save: boolean } {
  let config = loaded.config;
  let save = loaded.issues.length > 0 && !fs.existsSync(loaded.file);
  if (db) {
    const pin = reconcilePinHash(db, config.admin.pinHash, clock.now());
    if (pin.updateConfig) {
      config = { ...config, admin: { ...config.admin, pinHash: pin.hash } };
      save = true;
      if (pin.configDamaged) {
        problems.report('config_pin_restored', `${loaded.file} had no usable admin PIN hash although the database has one: the config counts as damaged; the PIN from the database is used and written back.`);
      }
    }
    const storedId = getMeta(db, META_KIOSK_ID);
    if (storedId && storedId !== config.kiosk.id) {
      if (config.kiosk.id !== UNASSIGNED_KIOSK_ID) log.warn('the config names another kiosk id than the database; the database keeps its id', { config: config.kiosk.id, database: storedId });
      config = { ...config, kiosk: { ...config.kiosk, id: storedId } };
      save = true;
    }
  }
  if (config.kiosk.id === UNASSIGNED_KIOSK_ID) {
    config = { ...config, kiosk: { ...config.kiosk, id: `kiosk-${crypto.randomUUID().slice(0, 8)}` } };
    save = true;
  }
  if (db && getMeta(db, META_KIOSK_ID) === null) setMeta(db, META_KIOSK_ID, config.kiosk.id, clock.now());
  return { config, save };
}

/** A restore in the last days, as a notice for managers. */
function reportRecentRestore(db: WritableDB, clock: Clock, problems: ProblemList): void {
  const raw = getMeta(db, META_LAST_RESTORE);
  if (!raw) return;
  try {
    const record = JSON.parse(raw) as RestoreRecord;
    if (clock.now().getTime() - Date.parse(record.at) > RESTORE_NOTICE_MS) return;
    const lost = record.lostPunches > 0 ? ` ${record.lostPunches} punch(es) saved after that copy could not be recovered; check the last hours' attendance in HotelMate.` : ' No punch was lost.';
    problems.report(
      'database_restored',
      `The punch database was restored on ${record.at} from ${record.from}, a copy of ${record.copyTakenAt} (punches up to #${record.ledgerSeq}).${lost} Punches that reached HotelMate after ${record.copyTakenAt} are sent again after a status check: look over that time in HotelMate.`,
    );
  } catch {
    // A record we cannot read is only a missing notice.
  }
}

/**
 * A secret store that gives the face service a throw-away template key and never saves it: used
 * while the real key is lost, so no new key is written over the chance of recovering the old one.
 */
function withEphemeralTemplateKey(secrets: SecretStore): SecretStore {
  const key = crypto.randomBytes(32).toString('hex');
  return {
    isSecure: secrets.isSecure,
    get: (name) => (name === KEY_NAMES.faceTemplates ? key : secrets.get(name)),
    set: (name, value) => {
      if (name !== KEY_NAMES.faceTemplates) secrets.set(name, value);
    },
    delete: (name) => {
      if (name !== KEY_NAMES.faceTemplates) secrets.delete(name);
    },
  };
}

/** A key from the secret store, or a key for this run only when the store cannot save one (the problem is already on screen). */
function keyOrEphemeral(secrets: SecretStore, role: 'punchDescriptors' | 'jobPayloads', log: Logger): Buffer {
  try {
    return loadOrCreateKey(secrets, role, { logger: log });
  } catch (error) {
    log.error('a key could not be stored; data sealed with it this run cannot be opened after a restart', { role, error: toLogFormat(error) });
    return crypto.randomBytes(32);
  }
}

/**
 * Builds the kiosk. Resolves once every service object exists; nothing talks to the camera or the
 * network until start(). Problems that stop punching (damaged database, missing models, lost face
 * keys) are logged and put on screen (`problems`); they never throw from here unless the data folder
 * itself is unusable (the shells then show the start-up problem screen, ./startup-failure.ts).
 */
export async function createKioskApp(options: KioskAppOptions): Promise<KioskApp> {
  const clock = options.clock ?? systemClock;
  const fsLayer = options.fs ?? nodeDurableFs;
  fs.mkdirSync(options.dataDir, { recursive: true, mode: DATA_DIR_MODE });
  const logDir = path.join(options.dataDir, 'logs');
  const recentErrors = createRecentErrorsSink();
  const sinks: LogSink[] = [createRotatingFileSink({ dir: logDir }), recentErrors];
  if (options.consoleLogLevel) sinks.push(createConsoleSink(options.consoleLogLevel));
  const logger = createLogger({ sinks, level: 'info' });
  const log = logger.child('app');
  const problems = createProblemList({ clock, logger });

  const loaded = loadConfig({ dataDir: options.dataDir, configFile: options.configFile, env: options.env, now: clock.now(), fs: fsLayer });
  for (const issue of loaded.issues) log.warn('config problem', { field: issue.field, reason: issue.message });
  if (loaded.damage) {
    problems.report(
      'config_restored',
      `config.json ${loaded.damage.reason}. ${loaded.damage.movedTo ? `It was moved to ${loaded.damage.movedTo}` : 'It could not be moved aside'}; the kiosk runs on ${loaded.damage.restoredFrom === 'last-good' ? 'the last good copy' : 'the defaults (no good copy was kept): setup must be done again'}.`,
    );
  }

  const secrets = createFileSecretStore(path.join(options.dataDir, 'secrets.json'), options.cipher, { now: clock.now(), fs: fsLayer });
  reportSecrets(secrets, options.cipher, problems);

  if (options.restoreBackup) {
    try {
      restoreDatabase({ dataDir: options.dataDir, clock, logger, nativeBinding: options.nativeBinding, fs: fsLayer });
    } catch (error) {
      log.error('--restore-backup: nothing was restored', { error: toLogFormat(error) });
    }
  }
  // A token this OS keyring cannot open still shows the kiosk was set up and signed in.
  const hasStoredToken = (): boolean => secrets.get(TOKEN_SECRET) !== null || secrets.undecryptable().includes(TOKEN_SECRET);
  const opened = openGuardedDatabase({
    dataDir: options.dataDir,
    logger,
    clock,
    nativeBinding: options.nativeBinding,
    hadData: hasStoredToken(),
    fs: fsLayer,
    onGuardTrouble: (reason) =>
      reason === null
        ? problems.clear('database_guard_not_saved')
        : problems.report('database_guard_not_saved', `${GUARD_FILE} could not be updated after a punch (${reason}); the punches are saved in kiosk.db, but a later loss of punches might not be noticed at start until it is written again.`),
  });
  const dbFault: DatabaseFault | null = opened.ok ? null : opened.fault;
  const dbGuard: DatabaseGuard | null = opened.ok ? opened.guard : null;
  // While kiosk.db is refused the screens and the admin area run on an empty database in memory, so
  // the problem can be shown and diagnostics exported; no clock service is built on it (no punch is
  // ever "saved" there).
  const db: WritableDB = opened.ok ? opened.db : openDatabase({ file: ':memory:', logger: logger.child('db') });
  if (dbFault) {
    const moved = dbFault.quarantined.length > 0 ? ` The files were moved aside: ${dbFault.quarantined.join(', ')}.` : '';
    problems.report(DATABASE_PROBLEMS[dbFault.kind], `${dbFault.detail}${moved}`);
  } else {
    reportRecentRestore(db, clock, problems);
  }

  const reconciled = reconcileConfig(loaded, opened.ok ? db : null, clock, problems, log);
  const config = createConfigHolder(reconciled.config, loaded.file, logger.child('config'), { fs: fsLayer });
  if (reconciled.save) {
    const saved = config.update({});
    if (!saved.ok) problems.report('config_not_saved', saved.errors.map((e) => e.message).join('; '));
  }
  if (options.configPatch !== undefined) {
    const patched = config.update(options.configPatch);
    if (!patched.ok) throw new Error(`Invalid config patch: ${patched.errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`);
  }
  log.info('configuration loaded', { sources: loaded.sources, issues: loaded.issues.length });

  const keyLog = logger.child('secrets');
  const punchDescriptorKey = keyOrEphemeral(secrets, 'punchDescriptors', keyLog);
  const jobPayloadKey = keyOrEphemeral(secrets, 'jobPayloads', keyLog);
  migrateCiphertexts({
    db,
    keys: { faceTemplates: readKey(secrets, 'faceTemplates'), punchDescriptors: punchDescriptorKey, jobPayloads: jobPayloadKey },
    clock,
    logger,
  });
  const jobs = createJobQueue({ db, clock, logger, cipher: createCipher(jobPayloadKey) });
  const events = createEventHub(logger);

  // Enrolled faces whose key is lost: nobody can be recognised. The face service then runs on an
  // empty database with a throw-away key, so nothing new is sealed with a key that is not kept.
  // A key that opens none of them (the secrets.json of another installation) is as good as lost.
  const storedTemplates = templateCount(db);
  const templateKey = readKey(secrets, 'faceTemplates');
  const unreadableOwners = storedTemplates > 0 && templateKey ? unreadableTemplateOwners(db, templateKey) : [];
  const templatesLocked = storedTemplates > 0 && (templateKey === null || unreadableOwners.length === storedTemplates);
  if (templatesLocked) {
    const why = {
      ok: templateKey ? 'the face template key in secrets.json opens none of them (a secrets.json of another kiosk or installation?)' : 'the face template key is missing from secrets.json',
      undecryptable: 'their key in secrets.json does not decrypt with this OS keyring',
      missing: 'secrets.json, which holds their key, was lost',
      damaged: 'secrets.json, which holds their key, was damaged',
      unavailable: 'secrets.json, which holds their key, cannot be read',
    }[secrets.health().state];
    problems.report('templates_unreadable', `${storedTemplates} enrolled face template(s) cannot be opened: ${why}. They are kept in the database; punches are kept and still sync.`);
  } else if (unreadableOwners.length > 0) {
    problems.report(
      'templates_partly_unreadable',
      `${unreadableOwners.length} of ${storedTemplates} enrolled face template(s) are damaged and cannot be opened (staff ${[...new Set(unreadableOwners)].join(', ')}); they are kept in the database and not used. Everyone else is recognised; enrol these people again if the kiosk no longer knows them.`,
    );
  }
  const faceDb = templatesLocked ? openDatabase({ file: ':memory:', logger: logger.child('db') }) : db;
  // A secrets file that cannot be read cannot keep a new key either (enrolment is refused below).
  const faceSecrets = templatesLocked || secrets.health().state === 'unavailable' ? withEphemeralTemplateKey(secrets) : secrets;

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
    problems.report('face_models', `Face recognition is unavailable: ${errorMessage(error)}`);
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
    db: faceDb,
    secrets: faceSecrets,
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

  // A kiosk that has data never opens its admin area without a PIN, whatever happened to its files.
  const firstRunAllowed = (): boolean => {
    if (dbFault !== null || hasStoredToken() || storedTemplates > 0 || ledgerSequence(db) > 0) return false;
    const queued = jobs.summary();
    return queued.waiting + queued.running + queued.failed === 0;
  };
  const admin = createAdminSession({
    db,
    clock,
    logger,
    settings: () => config.get().admin,
    savePinHash: (hash) => {
      const result = config.update({ admin: { pinHash: hash } });
      if (!result.ok) throw new Error(`could not save the PIN in the config: ${result.errors.map((e) => e.message).join('; ')}`);
    },
    firstRunAllowed,
  });
  if (!admin.hasPin() && !firstRunAllowed()) {
    problems.report('admin_pin_missing', 'This kiosk has data (a token, faces or punches) but no admin PIN in its database or config: the admin area stays closed. Restore config.json.last-good or the database backup (docs/operations.md).');
  }

  const snapshots = createAuditSnapshots({ db, key: punchDescriptorKey, clock, logger });
  const revoker = createFaceRevoker({ jobs, logger, templates: face.templates, snapshots, revokeOnServer: revokeOnHotelMate(() => client) });
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
      if (dbFault) throw new Error(`the kiosk database is refused (${dbFault.kind}): no ledger is opened`);
      client = makeClient(c);
      clockService = createClockService({
        db,
        client,
        clock,
        logger: logger.child('clock'),
        config: c,
        kioskId: c.kiosk.id,
        descriptorCipher,
        undoWindowMs: UNDO_WINDOW_MS,
        descriptorFor: (event, live) => face.templates.registeredTemplate(event.staffId) ?? live,
        isEnrolled: (staffId) => face.templates.list().some((p) => p.staffId === staffId),
        onPunchSettled: (event) => {
          face.liveTemplates.settled(event.eventId, event.syncState, event.serverAction);
        },
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
  const info = createKioskInfoSource({
    config,
    hasToken: () => services.apiToken() !== null,
    problems: () => problems.list(),
    hasPin: () => admin.status().pinSet,
    versions: options.versions,
  });
  let unwire: (() => void) | null = null;
  problems.onChange(() => publishKioskInfo(events, info));
  const checkApiUrl = (c: KioskConfig): void => {
    if (isInsecureRemoteApi(c.api.baseUrl)) problems.report('insecure_api_url', `api.baseUrl is ${c.api.baseUrl}: plain http to another machine (api.allowInsecureHttp is on). The token and the kiosk account's password cross the network unencrypted; use https:// outside a lab.`);
    else problems.clear('insecure_api_url');
  };
  checkApiUrl(config.get());
  config.onChange((next) => checkApiUrl(next));

  const backup = opened.ok
    ? createBackupScheduler({
        db,
        file: path.join(options.dataDir, BACKUP_FILE),
        clock,
        logger,
        nativeBinding: options.nativeBinding,
        fs: fsLayer,
        ...options.backup,
        onResult: (status) => {
          if (status.lastError) problems.report('backup_failed', `The database backup failed at ${status.lastErrorAt} (${status.lastError}); the previous backup${status.lastBackupAt ? ` of ${status.lastBackupAt}` : ''} is kept.`);
          else problems.clear('backup_failed');
        },
      })
    : null;
  let restarting = false;
  const restartSoon = (): void => {
    if (restarting) return;
    restarting = true;
    // Let the answer reach the screen first.
    setTimeout(() => (options.relaunch ?? options.exit)(), 300).unref();
  };
  const resolveProblem = async (action: ProblemAction): Promise<Result<{ restarting: boolean }, 'not_possible' | 'failed'>> => {
    try {
      if (action === 'restore_backup') {
        if (!dbFault || !RESTORABLE.has(dbFault.kind)) return { ok: false, error: { code: 'not_possible', message: 'The database is not refused for a reason a copy can fix.' } };
        const record = restoreDatabase({ dataDir: options.dataDir, clock, logger, nativeBinding: options.nativeBinding, fs: fsLayer });
        log.warn('database restored from the problem screen; restarting', { from: record.from, ledgerSeq: record.ledgerSeq, lostPunches: record.lostPunches });
      } else {
        if (!templatesLocked || dbFault) return { ok: false, error: { code: 'not_possible', message: 'No unreadable face templates to set aside.' } };
        const result = setAsideTemplates(db, options.dataDir, clock.now(), fsLayer);
        log.warn('unreadable face templates set aside; restarting', result);
      }
    } catch (error) {
      log.error('problem screen action failed', { action, error: toLogFormat(error) });
      return { ok: false, error: { code: 'failed', message: errorMessage(error) } };
    }
    restartSoon();
    return { ok: true, restarting: true };
  };

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
    snapshots,
    services,
    jobs,
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
      storage: {
        secretsProtected: options.cipher.isSecure,
        lastBackupAt: backup?.status().lastBackupAt ?? null,
        lastBackupError: backup?.status().lastError ?? null,
      },
    }),
    resolveProblem,
    versions: options.versions,
    forgetKiosk: async () => {
      await stopKiosk();
      await forgetKiosk({
        dataDir: options.dataDir,
        logger,
        beforeWipe: async () => {
          await backup?.stop();
          dbGuard?.close();
          await jobs.stop();
          await closeAnalyser();
          db.close();
        },
      });
    },
    exit: options.exit,
  });

  // Enrolling while the face key cannot be kept would seal faces nobody can open after a restart.
  const enrolmentRefused = (): boolean => templatesLocked || secrets.health().state === 'unavailable';
  const router = createIpcRouter(handlers, logger, (channel) => admin.allows(channel) && !(channel === 'enrol:start' && enrolmentRefused()));
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
    problems,
    backup,
    camera,
    face,
    admin,
    jobs,
    logDir,
    reportInternalError(kind, error) {
      problems.report('internal_error', `${kind === 'uncaught-exception' ? 'Uncaught exception' : 'Unhandled promise rejection'} in main: ${errorMessage(error).slice(0, 500)} (details in the log).`);
    },
    /** Starts every service; never rejects: a step that fails is logged and shown as a problem, the rest still start. */
    async start() {
      const step = async (name: string, run: () => Promise<void>): Promise<void> => {
        try {
          await run();
        } catch (error) {
          if (name === 'clock and realtime services' && dbFault) {
            log.warn('clock service not started: the database is refused', { kind: dbFault.kind });
            return;
          }
          log.error('start-up step failed', { step: name, error: toLogFormat(error) });
          problems.report('startup_failed', `The kiosk could not start its ${name}: ${errorMessage(error)}`);
        }
      };
      unwire = wireKioskEvents({ logger, config, events, camera, face, admin, sessions, services, info, toPreview });
      await step('clock and realtime services', () => services.rebuild());
      await step('face recognition', () => face.start());
      await step('camera', () => camera.start());
      publishKioskInfo(events, info);
      log.info('kiosk started', { mode: info.info().mode, problems: problems.list().map((p) => p.code) });
      retention.start();
      jobs.start();
      watchdog.start();
      backup?.start();
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
      if (db.open) await backup?.stop({ finalBackup: true });
      dbGuard?.close();
      for (const database of new Set([db, faceDb])) {
        try {
          database.close();
        } catch {
          // already closed (forget kiosk)
        }
      }
    },
  };
}
