/**
 * Secrets (the API token, the encryption keys) behind one interface. In Electron the cipher is
 * safeStorage (OS keychain / DPAPI / libsecret); plain-Node services and tests pass another cipher.
 * The store itself is a small file in the data folder holding only ciphertext, written durably
 * (temp file, fsync, rename, fsync of the folder) with owner-only permissions.
 *
 * A secrets file that cannot be parsed is never rewritten: it is moved aside
 * (`secrets.json.corrupt-<time>`, for recovery) and the store starts from the values that could be
 * read; one that cannot be read at all (permissions, an I/O error) is left alone and the store
 * refuses writes. Values that do not decrypt with this cipher (another OS user or PC sealed them)
 * are kept: a copy of the file is kept aside before the store writes anything over them (one copy
 * for the same values, however often the kiosk restarts before they are replaced).
 * `health()` says which, for the log and the problem screen.
 */
import fs from 'node:fs';
import path from 'node:path';
import { type DurableFs, copyAside, moveAside, nodeDurableFs, writeFileDurably } from '../lib/durable-file';
import { errorCode, errorMessage } from '../lib/errors';

export interface SecretCipher {
  /** Whether the cipher protects data with an OS-held key. */
  readonly isSecure: boolean;
  encrypt(plain: string): Buffer;
  decrypt(cipher: Buffer): string;
}

export interface SecretStore {
  get(name: string): string | null;
  /** Stores a value durably; throws when it cannot be written (nothing changes then). */
  set(name: string, value: string): void;
  delete(name: string): void;
  readonly isSecure: boolean;
}

/** The state of the secrets file as it was found at start. */
export type SecretFileHealth =
  | { state: 'ok' }
  /** No file yet (a new kiosk, or it was deleted). */
  | { state: 'missing' }
  /** It could not be parsed: moved aside (`movedTo`, null when even that failed) and not rewritten. */
  | { state: 'damaged'; reason: string; movedTo: string | null }
  /**
   * It holds values (`names`) that do not decrypt with this cipher (another OS keyring or user): they
   * read as missing, and a copy of the file was kept (`keptAs`) before anything is written over them.
   */
  | { state: 'undecryptable'; names: string[]; keptAs: string }
  /** It could not be read (permissions, I/O): left alone; the store refuses writes. */
  | { state: 'unavailable'; reason: string };

export interface FileSecretStore extends SecretStore {
  health(): SecretFileHealth;
  /** Names whose value is stored but does not decrypt (another OS keyring, a damaged value). */
  undecryptable(): string[];
}

/** Strict UTF-8: bytes an OS keyring sealed are not text, so they do not pass for a plain value. */
const plainText = new TextDecoder('utf-8', { fatal: true });

/**
 * Development/test cipher (and the fallback when no OS keyring is available): base64 only. Marked
 * insecure so diagnostics can say so. A value an OS keyring sealed earlier does not decrypt here
 * (it throws), so it is kept and named instead of read as a garbled key or token.
 */
export const plainCipher: SecretCipher = {
  isSecure: false,
  encrypt: (plain) => Buffer.from(plain, 'utf8'),
  decrypt: (cipher) => plainText.decode(cipher),
};

/** The store refuses to write because its file could not be read (it would lose what is in it). */
export class SecretStoreUnavailableError extends Error {
  constructor(file: string, reason: string) {
    super(`The secrets file ${file} could not be read (${reason}); it is not rewritten until that is fixed.`);
    this.name = 'SecretStoreUnavailableError';
  }
}

type Loaded = { values: Record<string, string>; health: SecretFileHealth };

function loadSecrets(file: string, now: Date, fsLayer: DurableFs): Loaded {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT') return { values: {}, health: { state: 'missing' } };
    if (code !== 'EISDIR') return { values: {}, health: { state: 'unavailable', reason: `${code ?? 'error'}: ${errorMessage(error)}` } };
    return setAside(file, 'it is a folder, not a file', {}, now, fsLayer);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch (error) {
    return setAside(file, `it is not valid JSON (${errorMessage(error)})`, {}, now, fsLayer);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return setAside(file, 'it does not hold named values', {}, now, fsLayer);
  const values: Record<string, string> = {};
  const bad: string[] = [];
  for (const [name, value] of Object.entries(parsed)) {
    if (typeof value === 'string') values[name] = value;
    else bad.push(name);
  }
  if (bad.length > 0) return setAside(file, `values that are not text: ${bad.join(', ')}`, values, now, fsLayer);
  return { values, health: { state: 'ok' } };
}

/** Moves a damaged file aside; the readable values carry on. When it cannot be moved, nothing is written. */
function setAside(file: string, reason: string, readable: Record<string, string>, now: Date, fsLayer: DurableFs): Loaded {
  try {
    return { values: readable, health: { state: 'damaged', reason, movedTo: moveAside(file, now, fsLayer) } };
  } catch (error) {
    return { values: readable, health: { state: 'unavailable', reason: `${reason}; it could not be moved aside (${errorMessage(error)})` } };
  }
}

function decrypts(cipher: SecretCipher, value: string): boolean {
  try {
    cipher.decrypt(Buffer.from(value, 'base64'));
    return true;
  } catch {
    return false;
  }
}

/**
 * Values this cipher cannot open may still open with the right OS keyring (the user or PC that
 * sealed them): a copy of the file is kept before anything is written over them. When even the copy
 * fails, the store refuses writes, like for a file it cannot read.
 */
function keepUndecryptable(file: string, loaded: Loaded, cipher: SecretCipher, now: Date, fsLayer: DurableFs): Loaded {
  if (loaded.health.state !== 'ok') return loaded;
  const names = Object.entries(loaded.values)
    .filter(([, value]) => !decrypts(cipher, value))
    .map(([name]) => name);
  if (names.length === 0) return loaded;
  try {
    const keptAs = copyKeepingThese(file, names, loaded.values) ?? copyAside(file, now, fsLayer);
    return { values: loaded.values, health: { state: 'undecryptable', names, keptAs } };
  } catch (error) {
    return { values: loaded.values, health: { state: 'unavailable', reason: `values that do not decrypt here (${names.join(', ')}) could not be copied aside (${errorMessage(error)})` } };
  }
}

/**
 * A copy kept at an earlier start that already holds these exact values: the kiosk restarted before
 * anyone replaced them, so it does not keep one more copy per start.
 */
function copyKeepingThese(file: string, names: string[], values: Record<string, string>): string | null {
  const folder = path.dirname(file);
  const prefix = `${path.basename(file)}.corrupt-`;
  let siblings: string[];
  try {
    siblings = fs.readdirSync(folder).filter((name) => name.startsWith(prefix)).sort();
  } catch {
    return null;
  }
  for (const name of siblings) {
    const copy = path.join(folder, name);
    try {
      const kept = JSON.parse(fs.readFileSync(copy, 'utf8')) as Record<string, unknown>;
      if (names.every((n) => kept[n] === values[n])) return copy;
    } catch {
      // not a readable copy (a damaged file moved aside, a folder): look further
    }
  }
  return null;
}

export interface FileSecretStoreOptions {
  /** When (for the name of a damaged file moved aside). */
  now?: Date;
  fs?: DurableFs;
}

/** Opens the secrets file (see the module comment for what happens to a damaged one). */
export function createFileSecretStore(file: string, cipher: SecretCipher, options: FileSecretStoreOptions = {}): FileSecretStore {
  const fsLayer = options.fs ?? nodeDurableFs;
  const now = options.now ?? new Date();
  const loaded = keepUndecryptable(file, loadSecrets(file, now, fsLayer), cipher, now, fsLayer);
  let values = loaded.values;
  const undecryptable = new Set<string>(loaded.health.state === 'undecryptable' ? loaded.health.names : []);

  const write = (next: Record<string, string>): void => {
    if (loaded.health.state === 'unavailable') throw new SecretStoreUnavailableError(file, loaded.health.reason);
    writeFileDurably(file, JSON.stringify(next), { fs: fsLayer });
    values = next;
  };
  return {
    isSecure: cipher.isSecure,
    health: () => loaded.health,
    undecryptable: () => [...undecryptable],
    get(name) {
      const value = values[name];
      if (value === undefined) return null;
      try {
        const plain = cipher.decrypt(Buffer.from(value, 'base64'));
        undecryptable.delete(name);
        return plain;
      } catch {
        undecryptable.add(name);
        return null;
      }
    },
    set(name, value) {
      write({ ...values, [name]: cipher.encrypt(value).toString('base64') });
      undecryptable.delete(name);
    },
    delete(name) {
      if (!(name in values)) return;
      const next = { ...values };
      delete next[name];
      write(next);
    },
  };
}

export function createMemorySecretStore(initial: Record<string, string> = {}): SecretStore {
  const data = new Map(Object.entries(initial));
  return {
    isSecure: false,
    get: (name) => data.get(name) ?? null,
    set: (name, value) => void data.set(name, value),
    delete: (name) => void data.delete(name),
  };
}
