/**
 * The admin area's gate: PIN unlock with escalating, persisted lock-outs (kiosk_meta, so pulling the
 * plug does not reset the counter, and a lock-out does not either: only the right PIN does), an idle
 * auto-lock, and the channel check the IPC router calls before any admin handler runs.
 *
 * The PIN hash lives in the database (kiosk_meta `admin.pin_hash`, which wins) and in the config
 * (a copy). Without any PIN the admin area is open only on a new kiosk (`firstRunAllowed`): once a
 * token, faces or punches exist, a lost PIN never opens it.
 */
import { transaction, type ReadableDB, type WritableDB } from '../db/database';
import { getMeta, setMeta } from '../db/meta';
import { type Logger, toLogFormat } from '../logging/logger';
import type { Clock } from '../lib/clock';
import { createEmitter, type Subscribe } from '../lib/emitter';
import { type AdminStatus, MAX_PIN_DIGITS, MIN_PIN_DIGITS } from '../../shared/domain/admin';
import type { Result } from '../../shared/domain/result';
import { adminRequests } from '../../shared/ipc/admin.contract';
import type { InvokeChannel } from '../../shared/ipc/contract';
import { DEFAULT_SCRYPT_PARAMS, type ScryptParams, hashPin, parsePinHash, verifyPin } from './pin-hash';

export interface AdminSettings {
  /** The config's copy of the PIN hash (the database's copy wins when it has one). */
  pinHash: string | null;
  maxAttempts: number;
  lockoutMinutes: number;
}

export interface AdminSessionOptions {
  db: WritableDB;
  clock: Clock;
  logger: Logger;
  /** The current admin settings (read on every call, so a config change applies at once). */
  settings: () => AdminSettings;
  /**
   * Copies a new PIN hash into the config (the session has already stored it in the database). A
   * failure is logged: the PIN works from the database.
   */
  savePinHash: (hash: string) => void;
  /**
   * Whether a kiosk without any PIN may open its setup channels so the first PIN can be created:
   * only while it has no data (no token, faces, punches, no damaged database).
   */
  firstRunAllowed: () => boolean;
  /** Idle minutes before the admin area locks itself; default 2. */
  idleMinutes?: number;
  /** scrypt cost; tests may pass cheaper parameters. */
  hashParams?: ScryptParams;
}

export type UnlockResult = Result<{ status: AdminStatus }, 'wrong_pin' | 'locked_out' | 'no_pin'>;
export type SetPinResult = Result<object, 'not_allowed' | 'too_short'>;

export interface AdminSession {
  status(): AdminStatus;
  /** Whether a usable PIN hash exists (in the database or the config). */
  hasPin(): boolean;
  /** Resolves ok with the new status, or an error value (wrong PIN, locked out, no PIN yet); never rejects. */
  unlock(pin: string): Promise<UnlockResult>;
  /**
   * A manager approves something on the spot with the PIN (a punch without a face): the same check,
   * counters and lock-outs as `unlock`; `then` says whether the admin area opens as well (to enrol
   * the person next) or stays locked. Never rejects.
   */
  approve(pin: string, then: 'unlock' | 'stay_locked'): Promise<UnlockResult>;
  lock(reason?: string): AdminStatus;
  /** Allowed on first setup (no PIN yet, no data) or while unlocked; MIN_PIN_DIGITS or more. Resolves an error value otherwise. */
  setPin(pin: string): Promise<SetPinResult>;
  isUnlocked(): boolean;
  /** Marks admin activity, postponing the idle lock. */
  touch(): void;
  /** Locks the session if it has been idle too long; call from a timer. Returns whether it locked. */
  checkIdle(): boolean;
  /** The router's gate: may this channel run right now? Counts as activity when it may. */
  allows(channel: InvokeChannel): boolean;
  onStatus: Subscribe<AdminStatus>;
}

/** Admin requests that work while the area is locked (the handler of setPin checks for itself); states are always readable. */
const OPEN_ADMIN_CHANNELS = new Set<string>(['admin:unlock', 'admin:setPin']);
/** Every channel that needs an unlocked admin session. */
export const PROTECTED_CHANNELS: ReadonlySet<string> = new Set(
  Object.keys(adminRequests).filter((name) => !OPEN_ADMIN_CHANNELS.has(name)),
);

const META_FAILED = 'admin.failed_attempts';
const META_LOCKED_UNTIL = 'admin.locked_until';
/** The PIN hash (the database's copy, which wins over the config's). */
export const META_PIN_HASH = 'admin.pin_hash';
/** '1' when the PIN last entered is shorter than MIN_PIN_DIGITS. */
const META_PIN_SHORT = 'admin.pin_short';

/** The longest lock-out, however many wrong PINs came before. */
export const MAX_LOCKOUT_MINUTES = 24 * 60;

/**
 * Minutes of the lock-out that follows the `failures`-th wrong PIN in a row (0 before maxAttempts):
 * `lockoutMinutes` at maxAttempts, doubling with every further wrong PIN, at most a day. The count
 * only goes back to 0 with the right PIN.
 */
export function lockoutMinutesAfter(failures: number, settings: Pick<AdminSettings, 'maxAttempts' | 'lockoutMinutes'>): number {
  if (failures < settings.maxAttempts) return 0;
  const doublings = Math.min(failures - settings.maxAttempts, 20);
  return Math.min(settings.lockoutMinutes * 2 ** doublings, Math.max(MAX_LOCKOUT_MINUTES, settings.lockoutMinutes));
}

/** The hash if it is one this kiosk can check (a `scrypt$...` string with safe parameters), else null. */
export function usablePinHash(hash: string | null | undefined): string | null {
  return hash && parsePinHash(hash) ? hash : null;
}

/** The PIN hash kept in the database, or null. */
export function storedPinHash(db: ReadableDB): string | null {
  return usablePinHash(getMeta(db, META_PIN_HASH));
}

/** What the config's PIN hash must become so it agrees with the database, and what was wrong. */
export interface PinReconciliation {
  /** The hash the kiosk uses (database first, then the config), or null when there is none. */
  hash: string | null;
  /** The config's copy must be rewritten with `hash`. */
  updateConfig: boolean;
  /** The config had no usable hash although the database has one: the config counts as damaged. */
  configDamaged: boolean;
}

/**
 * Brings the two copies of the PIN hash together at start: the database's wins; a database without
 * one (an older kiosk) takes the config's. Writes the database side; the caller rewrites the config.
 */
export function reconcilePinHash(db: WritableDB, configHash: string | null, at: Date): PinReconciliation {
  const fromDb = storedPinHash(db);
  const fromConfig = usablePinHash(configHash);
  if (fromDb) return { hash: fromDb, updateConfig: fromDb !== configHash, configDamaged: fromConfig === null };
  if (fromConfig) setMeta(db, META_PIN_HASH, fromConfig, at);
  return { hash: fromConfig, updateConfig: false, configDamaged: false };
}

/** Creates the admin session; it starts locked. */
export function createAdminSession(options: AdminSessionOptions): AdminSession {
  const { db, clock } = options;
  const log = options.logger.child('admin');
  const idleMs = (options.idleMinutes ?? 2) * 60_000;
  const params = options.hashParams ?? DEFAULT_SCRYPT_PARAMS;
  const statusChanges = createEmitter<AdminStatus>('admin status', log);
  let unlockedAt: number | null = null;
  let lastActivity = 0;
  let queue: Promise<unknown> = Promise.resolve();

  const remember = (key: string, value: string): void => setMeta(db, key, value, clock.now());

  const failedAttempts = (): number => Number(getMeta(db, META_FAILED) ?? '0') || 0;
  /** The hash in force: the database's, else the config's; null when there is no usable one. */
  const pinHash = (): string | null => storedPinHash(db) ?? usablePinHash(options.settings().pinHash);
  /** No PIN and a new kiosk: the setup channels are open so the first PIN can be made. */
  const isFirstRun = (): boolean => pinHash() === null && options.firstRunAllowed();

  /** The lock-out end, or null. A wall clock set backwards cannot stretch it past the current period. */
  const lockedUntil = (): Date | null => {
    const raw = getMeta(db, META_LOCKED_UNTIL);
    if (!raw) return null;
    const until = new Date(raw);
    const now = clock.now();
    if (Number.isNaN(until.getTime()) || until <= now) return null;
    const period = Math.max(lockoutMinutesAfter(failedAttempts(), options.settings()), options.settings().lockoutMinutes);
    const longest = new Date(now.getTime() + period * 60_000);
    return until > longest ? longest : until;
  };

  const isUnlocked = (): boolean => {
    if (unlockedAt === null) return false;
    if (clock.monotonicMs() - lastActivity >= idleMs) return false;
    return true;
  };

  const status = (): AdminStatus => {
    const settings = options.settings();
    const until = lockedUntil();
    const failures = failedAttempts();
    return {
      unlocked: isUnlocked(),
      pinSet: !isFirstRun(),
      lockedUntil: until ? until.toISOString() : null,
      // Past maxAttempts every wrong PIN locks again (for longer): one attempt at a time.
      attemptsLeft: until ? 0 : failures >= settings.maxAttempts ? 1 : settings.maxAttempts - failures,
      pinTooShort: getMeta(db, META_PIN_SHORT) === '1',
    };
  };

  const emit = (): AdminStatus => {
    const current = status();
    statusChanges.emit(current);
    return current;
  };

  const serialise = <T>(task: () => Promise<T>): Promise<T> => {
    // One PIN check at a time, so parallel guesses cannot all run before the first failure counts.
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  };

  const lock = (reason = 'requested'): AdminStatus => {
    if (unlockedAt !== null) log.info('admin area locked', { reason });
    unlockedAt = null;
    return emit();
  };

  /**
   * Checks a PIN against the hash with the lock-out rules (one check at a time); the right PIN
   * clears the failure count and, with `then = 'unlock'`, opens the admin area.
   */
  const checkPin = (pin: string, then: 'unlock' | 'stay_locked'): Promise<UnlockResult> =>
    serialise(async (): Promise<UnlockResult> => {
      const settings = options.settings();
      const hash = pinHash();
      if (hash === null) {
        if (!options.firstRunAllowed()) log.error('admin PIN entry refused: this kiosk has data but its PIN hash is missing from the database and the config');
        return { ok: false, error: { code: 'no_pin', message: 'No admin PIN is set' } };
      }
      const until = lockedUntil();
      if (until) {
        log.warn('PIN entry refused during lock-out', { lockedUntil: until.toISOString() });
        return { ok: false, error: { code: 'locked_out', message: `Too many wrong PINs. Try again after ${until.toISOString()}` } };
      }
      if (await verifyPin(pin, hash)) {
        transaction(db, () => {
          remember(META_FAILED, '0');
          remember(META_LOCKED_UNTIL, '');
          remember(META_PIN_SHORT, pin.length < MIN_PIN_DIGITS ? '1' : '0');
        });
        if (then === 'unlock') {
          unlockedAt = clock.monotonicMs();
          lastActivity = unlockedAt;
          log.info('admin area unlocked');
        } else log.info('manager PIN approved a request on the spot; the admin area stays locked');
        if (pin.length < MIN_PIN_DIGITS) log.warn('the admin PIN is shorter than the required digits; the admin area asks to change it', { minDigits: MIN_PIN_DIGITS });
        return { ok: true, status: emit() };
      }
      const failures = failedAttempts() + 1;
      const minutes = lockoutMinutesAfter(failures, settings);
      if (minutes > 0) {
        const end = new Date(clock.now().getTime() + minutes * 60_000);
        transaction(db, () => {
          remember(META_FAILED, String(failures));
          remember(META_LOCKED_UNTIL, end.toISOString());
        });
        log.warn('admin PIN locked out after repeated failures', { failures, lockoutMinutes: minutes, lockedUntil: end.toISOString() });
        emit();
        return { ok: false, error: { code: 'locked_out', message: `Too many wrong PINs. Try again after ${end.toISOString()}` } };
      }
      remember(META_FAILED, String(failures));
      log.warn('wrong admin PIN', { failures, attemptsLeft: settings.maxAttempts - failures });
      emit();
      return { ok: false, error: { code: 'wrong_pin', message: `Wrong PIN (${settings.maxAttempts - failures} attempts left)` } };
    });

  return {
    status,
    hasPin: () => pinHash() !== null,
    isUnlocked,
    lock,
    touch() {
      if (isUnlocked()) lastActivity = clock.monotonicMs();
    },
    checkIdle() {
      if (unlockedAt !== null && !isUnlocked()) {
        lock('idle');
        return true;
      }
      return false;
    },
    unlock: (pin) => checkPin(pin, 'unlock'),
    approve: (pin, then) => checkPin(pin, then),
    setPin(pin) {
      return serialise(async (): Promise<SetPinResult> => {
        if (!isFirstRun() && !isUnlocked()) {
          return { ok: false, error: { code: 'not_allowed', message: 'Unlock the admin area to change the PIN' } };
        }
        if (!new RegExp(`^\\d{${MIN_PIN_DIGITS},${MAX_PIN_DIGITS}}$`).test(pin)) {
          return { ok: false, error: { code: 'too_short', message: `The PIN needs ${MIN_PIN_DIGITS} to ${MAX_PIN_DIGITS} digits` } };
        }
        const hash = await hashPin(pin, params);
        transaction(db, () => {
          remember(META_PIN_HASH, hash);
          remember(META_PIN_SHORT, '0');
        });
        try {
          options.savePinHash(hash);
        } catch (error) {
          log.error('the new PIN is stored in the database, but its copy in the config could not be saved', { error: toLogFormat(error) });
        }
        log.info('admin PIN set');
        if (isUnlocked()) lastActivity = clock.monotonicMs();
        emit();
        return { ok: true };
      });
    },
    allows(channel) {
      if (!PROTECTED_CHANNELS.has(channel)) return true;
      // First run: no PIN exists yet on a new kiosk, so the setup screen must reach setup channels to create one.
      if (isFirstRun()) return true;
      if (!isUnlocked()) {
        if (unlockedAt !== null) lock('idle');
        log.warn('refused admin request while locked', { channel });
        return false;
      }
      lastActivity = clock.monotonicMs();
      return true;
    },
    onStatus: statusChanges.subscribe,
  };
}
