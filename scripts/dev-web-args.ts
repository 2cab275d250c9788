/**
 * The command line of `npm run dev:web` (scripts/dev-web.ts), kept apart so it is testable. The
 * kiosk data folder (database, keys, later the API token) defaults to ~/.hotelmate-kiosk-dev,
 * outside the repository, so nothing secret can be committed by accident.
 */
import os from 'node:os';
import path from 'node:path';

/** Folder name of the default development data folder, in the user's home. */
export const DEV_DATA_DIR_NAME = '.hotelmate-kiosk-dev';

export const DEV_WEB_USAGE = `Usage: npm run dev:web -- [options]

  --data-dir <dir>     kiosk data folder (default ~/${DEV_DATA_DIR_NAME}, or HOTELMATE_DATA_DIR)
  --camera <device>    camera for this run, e.g. file:/path/video.mp4 or /dev/video0
  --port <n>           port of the page and bridge on 127.0.0.1 (default: a free one)
  --restore-backup     bring the punch database back from its best copy (the backup, or a copy
                       set aside as damaged) before starting; see docs/operations.md
  --help               this text

Ctrl+C stops it; the data folder is kept for the next run (delete it to start over).`;

export interface DevWebArgs {
  dataDir: string;
  camera?: string;
  port: number;
  /** Restore kiosk.db from its best copy before starting. */
  restoreBackup: boolean;
  help: boolean;
}

/** The value of `--name value` or `--name=value`, or undefined. */
function flag(argv: readonly string[], name: string): string | undefined {
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    if (arg === name) return argv[i + 1];
    if (arg.startsWith(`${name}=`)) return arg.slice(name.length + 1);
  }
  return undefined;
}

/**
 * Parses dev:web's arguments. Data folder: `--data-dir` > `HOTELMATE_DATA_DIR` > `~/.hotelmate-kiosk-dev`.
 * Throws a readable Error for a port that is not a number from 0 to 65535.
 */
export function parseDevWebArgs(argv: readonly string[], env: Record<string, string | undefined> = process.env, home: string = os.homedir()): DevWebArgs {
  const dataDir = path.resolve(flag(argv, '--data-dir') ?? env.HOTELMATE_DATA_DIR ?? path.join(home, DEV_DATA_DIR_NAME));
  const portText = flag(argv, '--port') ?? '0';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a number from 0 to 65535, not "${portText}"`);
  return { dataDir, camera: flag(argv, '--camera'), port, restoreBackup: argv.includes('--restore-backup'), help: argv.includes('--help') || argv.includes('-h') };
}

/** True when `dir` is inside `repoRoot` (where a data folder would risk being committed). */
export function isInside(dir: string, repoRoot: string): boolean {
  const rel = path.relative(repoRoot, dir);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
