/**
 * The one way main writes a small file it must not lose (config, secrets, the database guard, the
 * backup's final rename): write a temporary file, fsync it, rename it over the target, fsync the
 * folder, so a power cut leaves either the old file or the new one, never half of either. The file
 * system is a dependency (`DurableFs`) so tests can make any step fail (ENOSPC, EIO) without root.
 */
import fs from 'node:fs';
import path from 'node:path';

/** The file-system calls a durable write uses; `nodeDurableFs` is the real one. */
export interface DurableFs {
  openSync(file: string, flags: string, mode?: number): number;
  writeSync(fd: number, data: Uint8Array): number;
  fsyncSync(fd: number): void;
  closeSync(fd: number): void;
  renameSync(from: string, to: string): void;
  unlinkSync(file: string): void;
  mkdirSync(dir: string, options: { recursive: true; mode?: number }): unknown;
  chmodSync(file: string, mode: number): void;
}

export const nodeDurableFs: DurableFs = {
  openSync: (file, flags, mode) => fs.openSync(file, flags, mode),
  writeSync: (fd, data) => fs.writeSync(fd, data),
  fsyncSync: (fd) => fs.fsyncSync(fd),
  closeSync: (fd) => fs.closeSync(fd),
  renameSync: (from, to) => fs.renameSync(from, to),
  unlinkSync: (file) => fs.unlinkSync(file),
  mkdirSync: (dir, options) => fs.mkdirSync(dir, options),
  chmodSync: (file, mode) => fs.chmodSync(file, mode),
};

/** Permissions of every data file the kiosk writes: owner read/write only. */
export const DATA_FILE_MODE = 0o600;
/** Permissions of the data folder: owner only. */
export const DATA_DIR_MODE = 0o700;

let tempCounter = 0;

/**
 * Makes a folder's entries (a rename, a new file) durable. Windows cannot open a folder for fsync
 * and NTFS journals renames itself, so there this is a no-op; elsewhere a failure is thrown.
 */
export function fsyncDirectory(dir: string, fsLayer: DurableFs = nodeDurableFs): void {
  if (process.platform === 'win32') return;
  const fd = fsLayer.openSync(dir, 'r');
  try {
    fsLayer.fsyncSync(fd);
  } finally {
    fsLayer.closeSync(fd);
  }
}

export interface DurableWriteOptions {
  /** File mode of the new file (default 0600). */
  mode?: number;
  fs?: DurableFs;
}

/**
 * Replaces `file` with `data` durably (temp file + fsync + rename + fsync of the folder). Throws the
 * underlying error (ENOSPC, EACCES, EISDIR...) when any step fails; the temporary file is removed
 * then and the previous content of `file` is untouched.
 */
export function writeFileDurably(file: string, data: string | Uint8Array, options: DurableWriteOptions = {}): void {
  const fsLayer = options.fs ?? nodeDurableFs;
  const mode = options.mode ?? DATA_FILE_MODE;
  const dir = path.dirname(file);
  fsLayer.mkdirSync(dir, { recursive: true, mode: DATA_DIR_MODE });
  tempCounter += 1;
  const temp = `${file}.${process.pid}-${tempCounter}.tmp`;
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let created = false;
  try {
    const fd = fsLayer.openSync(temp, 'wx', mode);
    created = true;
    try {
      let written = 0;
      while (written < bytes.byteLength) written += fsLayer.writeSync(fd, bytes.subarray(written));
      fsLayer.fsyncSync(fd);
    } finally {
      fsLayer.closeSync(fd);
    }
    // The mode given to open() is filtered by the umask; the data files are owner-only regardless.
    fsLayer.chmodSync(temp, mode);
    fsLayer.renameSync(temp, file);
    created = false;
    fsyncDirectory(dir, fsLayer);
  } catch (error) {
    if (created) {
      try {
        fsLayer.unlinkSync(temp);
      } catch {
        // Nothing more to do: the error that matters is the one thrown below.
      }
    }
    throw error;
  }
}

/**
 * The name a damaged file is moved to: `<file>.corrupt-<UTC stamp>` (`config.json.corrupt-2026-03-01T09-00-00-000Z`).
 * A SQLite database's `-wal`/`-shm` companions get the same stamp before their suffix, so SQLite
 * still finds them when the moved file is opened for recovery.
 */
export function corruptName(file: string, at: Date): string {
  return `${file}.corrupt-${at.toISOString().replace(/[:.]/g, '-')}`;
}

/**
 * Moves a damaged file (or folder) aside to `corruptName(file, at)` (with a counter when that name is
 * taken) and makes the move durable. Returns the new path. Throws when the rename fails.
 */
export function moveAside(file: string, at: Date, fsLayer: DurableFs = nodeDurableFs): string {
  const target = freeCorruptName(file, at);
  fsLayer.renameSync(file, target);
  fsyncDirectory(path.dirname(file), fsLayer);
  return target;
}

/**
 * Keeps a durable copy of a file the kiosk goes on using, under `corruptName(file, at)` (with a
 * counter when that name is taken), before it writes over parts of it. Returns the copy's path;
 * throws when the copy could not be written (nothing is left behind then).
 */
export function copyAside(file: string, at: Date, fsLayer: DurableFs = nodeDurableFs): string {
  const target = freeCorruptName(file, at);
  writeFileDurably(target, fs.readFileSync(file), { fs: fsLayer });
  return target;
}

function freeCorruptName(file: string, at: Date): string {
  const base = corruptName(file, at);
  let target = base;
  for (let n = 2; fs.existsSync(target); n += 1) target = `${base}-${n}`;
  return target;
}

/** Sets owner-only permissions on an existing file; false when it does not exist or cannot be changed (reported by the caller). */
export function restrictToOwner(file: string, fsLayer: DurableFs = nodeDurableFs): boolean {
  try {
    fsLayer.chmodSync(file, DATA_FILE_MODE);
    return true;
  } catch {
    return false;
  }
}

/**
 * Makes an already written temporary file (e.g. one SQLite wrote) the durable `target`: fsync it,
 * owner-only permissions, rename over `target`, fsync the folder. Throws when a step fails; the
 * temporary file is removed then and `target` keeps its previous content.
 */
export function commitFileDurably(temp: string, target: string, fsLayer: DurableFs = nodeDurableFs): void {
  try {
    const fd = fsLayer.openSync(temp, 'r+');
    try {
      fsLayer.fsyncSync(fd);
    } finally {
      fsLayer.closeSync(fd);
    }
    fsLayer.chmodSync(temp, DATA_FILE_MODE);
    fsLayer.renameSync(temp, target);
  } catch (error) {
    try {
      fsLayer.unlinkSync(temp);
    } catch {
      // The error that matters is the one thrown below.
    }
    throw error;
  }
  fsyncDirectory(path.dirname(target), fsLayer);
}
