/**
 * The admin area's gate: PIN unlock with a persisted lock-out (kiosk_meta, so pulling the plug does
 * not reset the counter), an idle auto-lock, and the channel check the IPC router calls before any
 * admin handler runs.
 */
import { transaction, type WritableDB } from '../db/database';
import { getMeta, setMeta } from '../db/meta';
import type { Logger } from '../logging/logger';
import type { Clock } from '../lib/clock';
import { createEmitter, type Subscribe } from '../lib/emitter';
import type { AdminStatus } from '../../shared/domain/admin';
import type { Result } from '../../shared/domain/result';
import { adminRequests } from '../../shared/ipc/admin.contract';
import type { InvokeChannel } from '../../shared/ipc/contract';
import { DEFAULT_SCRYPT_PARAMS, type ScryptParams, hashPin, verifyPin } from './pin-hash';

export interface AdminSettings {
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
  /** Persists a new PIN hash (the app writes it into config.admin.pinHash and saves the config). */
  savePinHash: (hash: string) => void;
  /** Idle minutes before the admin area locks itself; default 2. */
  idleMinutes?: number;
  /** scrypt cost; tests may pass cheaper parameters. */
  hashParams?: ScryptParams;
}

export type UnlockResult = Result<{ status: AdminStatus }, 'wrong_pin' | 'locked_out' | 'no_pin'>;
export type SetPinResult = Result<object, 'not_allowed'>;

export interface AdminSession {
  status(): AdminStatus;
  /** Resolves ok with the new status, or an error value (wrong PIN, locked out, no PIN yet); never rejects. */
  unlock(pin: string): Promise<UnlockResult>;
  lock(reason?: string): AdminStatus;
  /** Allowed on first setup (no PIN yet) or while unlocked. Resolves an error value otherwise. */
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

  /** The lock-out end, or null. A wall clock set backwards cannot stretch it past one full period. */
  const lockedUntil = (): Date | null => {
    const raw = getMeta(db, META_LOCKED_UNTIL);
    if (!raw) return null;
    const until = new Date(raw);
    const now = clock.now();
    if (Number.isNaN(until.getTime()) || until <= now) return null;
    const longest = new Date(now.getTime() + options.settings().lockoutMinutes * 60_000);
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
    return {
      unlocked: isUnlocked(),
      pinSet: settings.pinHash !== null,
      lockedUntil: until ? until.toISOString() : null,
      attemptsLeft: until ? 0 : Math.max(0, settings.maxAttempts - failedAttempts()),
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

  return {
    status,
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
    unlock(pin) {
      return serialise(async (): Promise<UnlockResult> => {
        const settings = options.settings();
        if (settings.pinHash === null) {
          return { ok: false, error: { code: 'no_pin', message: 'No admin PIN is set yet' } };
        }
        const until = lockedUntil();
        if (until) {
          log.warn('PIN entry refused during lock-out', { lockedUntil: until.toISOString() });
          return { ok: false, error: { code: 'locked_out', message: `Too many wrong PINs. Try again after ${until.toISOString()}` } };
        }
        if (await verifyPin(pin, settings.pinHash)) {
          transaction(db, () => {
            remember(META_FAILED, '0');
            remember(META_LOCKED_UNTIL, '');
          });
          unlockedAt = clock.monotonicMs();
          lastActivity = unlockedAt;
          log.info('admin area unlocked');
          return { ok: true, status: emit() };
        }
        const failures = failedAttempts() + 1;
        if (failures >= settings.maxAttempts) {
          const end = new Date(clock.now().getTime() + settings.lockoutMinutes * 60_000);
          transaction(db, () => {
            remember(META_FAILED, '0');
            remember(META_LOCKED_UNTIL, end.toISOString());
          });
          log.warn('admin PIN locked out after repeated failures', { failures, lockedUntil: end.toISOString() });
          emit();
          return { ok: false, error: { code: 'locked_out', message: `Too many wrong PINs. Try again after ${end.toISOString()}` } };
        }
        remember(META_FAILED, String(failures));
        log.warn('wrong admin PIN', { failures, attemptsLeft: settings.maxAttempts - failures });
        emit();
        return { ok: false, error: { code: 'wrong_pin', message: `Wrong PIN (${settings.maxAttempts - failures} attempts left)` } };
      });
    },
    setPin(pin) {
      return serialise(async (): Promise<SetPinResult> => {
        if (options.settings().pinHash !== null && !isUnlocked()) {
          return { ok: false, error: { code: 'not_allowed', message: 'Unlock the admin area to change the PIN' } };
        }
        const hash = await hashPin(pin, params);
        options.savePinHash(hash);
        log.info('admin PIN set');
        if (isUnlocked()) lastActivity = clock.monotonicMs();
        emit();
        return { ok: true };
      });
    },
    allows(channel) {
      if (!PROTECTED_CHANNELS.has(channel)) return true;
      // First run: no PIN exists yet, so the setup screen must reach setup channels to create one.
      if (options.settings().pinHash === null) return true;
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
