/**
 * "Forget this kiosk": wipes every piece of local data (database with punches and face templates,
 * the encrypted secrets file, logs, config, Chromium's storage) so the device can be reused or
 * disposed of. What cannot be deleted right now (a file Windows keeps open) is finished at the next
 * start, before anything opens it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Logger, toLogFormat } from '../logging/logger';

/** Left in the data folder when a wipe could not finish; the next start completes it. */
export const FORGET_PENDING_MARKER = '.forget-pending';

/** Files one of which must be present for a folder to count as kiosk data (guards `--data-dir ~`). */
const KIOSK_SIGNS = ['config.json', 'kiosk.db', 'secrets.json', 'logs', FORGET_PENDING_MARKER];

export interface ForgetKioskOptions {
  dataDir: string;
  logger: Logger;
  /** Stops services and closes the database first, so the files can be deleted. */
  beforeWipe?: () => Promise<void>;
  /** Further locations to delete (e.g. a log folder outside the data folder). */
  extraPaths?: readonly string[];
  /** Deletion primitive; defaults to fs.promises.rm (tests inject a failing one). */
  remove?: (target: string) => Promise<void>;
}

export interface ForgetKioskResult {
  removed: string[];
  /** Entries that could not be deleted now; the marker makes the next start finish them. */
  pending: string[];
}

const defaultRemove = (target: string): Promise<void> => fs.promises.rm(target, { recursive: true, force: true, maxRetries: 3 });

/** Throws when the folder does not look like kiosk data (a filesystem root, the home folder, or no kiosk files). */
export function assertLooksLikeKioskData(dataDir: string): void {
  const resolved = path.resolve(dataDir);
  if (resolved === path.parse(resolved).root) throw new Error(`Refusing to wipe ${resolved}: it is a filesystem root`);
  if (resolved === path.resolve(os.homedir())) throw new Error(`Refusing to wipe ${resolved}: it is the home folder`);
  if (!fs.existsSync(resolved)) return;
  if (!KIOSK_SIGNS.some((name) => fs.existsSync(path.join(resolved, name)))) {
    throw new Error(`Refusing to wipe ${resolved}: it holds no kiosk data (none of ${KIOSK_SIGNS.join(', ')})`);
  }
}

async function wipe(options: ForgetKioskOptions): Promise<ForgetKioskResult> {
  const remove = options.remove ?? defaultRemove;
  const log = options.logger.child('privacy');
  const dataDir = path.resolve(options.dataDir);
  const result: ForgetKioskResult = { removed: [], pending: [] };
  const entries = fs.existsSync(dataDir) ? fs.readdirSync(dataDir).filter((name) => name !== FORGET_PENDING_MARKER) : [];
  const targets = [...entries.map((name) => path.join(dataDir, name)), ...(options.extraPaths ?? [])];
  for (const target of targets) {
    try {
      await remove(target);
      result.removed.push(target);
    } catch (error) {
      result.pending.push(target);
      log.warn('could not delete now; will finish at the next start', { target, error: toLogFormat(error) });
    }
  }
  const marker = path.join(dataDir, FORGET_PENDING_MARKER);
  if (result.pending.length > 0) {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(marker, JSON.stringify({ pending: result.pending }));
  } else {
    await fs.promises.rm(marker, { force: true });
  }
  return result;
}

/**
 * Wipes all local kiosk data. Resolves with what was removed and what is left for the next start;
 * rejects only when the folder does not look like kiosk data (nothing is deleted then) or
 * `beforeWipe` fails. The OS keychain entry of safeStorage is not ours to delete; without the
 * secrets file it protects nothing.
 */
export async function forgetKiosk(options: ForgetKioskOptions): Promise<ForgetKioskResult> {
  assertLooksLikeKioskData(options.dataDir);
  const log = options.logger.child('privacy');
  log.warn('forgetting this kiosk: wiping all local data', { dataDir: options.dataDir });
  await options.beforeWipe?.();
  const result = await wipe(options);
  // The logger may write to a file we just deleted; this line goes to whatever sinks remain.
  log.warn('local data wiped', { removed: result.removed.length, pending: result.pending.length });
  return result;
}

/**
 * Call first thing at start-up, before opening the database or the log file: if a previous wipe
 * could not finish, finish it now. Resolves true when it wiped something, false when there was
 * nothing pending.
 */
export async function completePendingForget(options: Omit<ForgetKioskOptions, 'beforeWipe'>): Promise<boolean> {
  if (!fs.existsSync(path.join(options.dataDir, FORGET_PENDING_MARKER))) return false;
  const result = await wipe(options);
  options.logger.child('privacy').warn('finished a pending "forget this kiosk" wipe', { removed: result.removed.length, stillPending: result.pending.length });
  return true;
}
