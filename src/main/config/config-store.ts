/**
 * Loads, validates and saves the kiosk configuration. Precedence: `--config` file > the data
 * folder's config.json > defaults, then HOTELMATE_* environment overrides. A bad value never
 * crashes the kiosk: that field falls back to its default, the problem is reported by field name,
 * and the kiosk starts in setup mode.
 *
 * Every save also keeps `config.json.last-good`. A config.json that cannot be read or parsed (not
 * JSON, a folder, unreadable) is never rewritten: it is moved aside to `config.json.corrupt-<time>`
 * and the kiosk runs on the last good copy (which becomes config.json again), or on the defaults
 * when there is none; `LoadedConfig.damage` says which, for the log and the screens.
 */
import fs from 'node:fs';
import path from 'node:path';
import { type ConfigIssue, type KioskConfig, defaultConfig, mergeConfig, parseConfig } from '../../shared/config/schema';
import { errorCode, errorMessage } from '../lib/errors';
import { type DurableFs, moveAside, nodeDurableFs, writeFileDurably } from '../lib/durable-file';

/** What was wrong with config.json at load, and what the kiosk runs on instead. */
export interface ConfigDamage {
  /** Why config.json could not be used ("is not valid JSON (...)", "cannot be read (EISDIR ...)"). */
  reason: string;
  /** Where the damaged file was moved; null when it could not be moved (it is then left as it is). */
  movedTo: string | null;
  /** The last good copy (saved by the last successful write), or the defaults when none was usable. */
  restoredFrom: 'last-good' | 'defaults';
}

export interface LoadedConfig {
  config: KioskConfig;
  /** Problems found; each names the field and the reason. */
  issues: ConfigIssue[];
  /** The file changes are saved to. */
  file: string;
  /** Where the values came from, for diagnostics. */
  sources: string[];
  /** Set when config.json was damaged and moved aside; null otherwise. */
  damage: ConfigDamage | null;
}

export interface LoadConfigOptions {
  dataDir: string;
  /** Explicit `--config` file (fleet provisioning). */
  configFile?: string;
  env?: Record<string, string | undefined>;
  /** When (for the name of a damaged file moved aside). */
  now?: Date;
  /** File system for the repair writes (tests inject failures). */
  fs?: DurableFs;
}

/** Environment overrides: variable -> config path, with a parser. */
const ENV_OVERRIDES: { name: string; path: string[]; parse: (v: string) => unknown }[] = [
  { name: 'HOTELMATE_HOTEL_SLUG', path: ['hotel', 'slug'], parse: (v) => v },
  { name: 'HOTELMATE_HOTEL_NAME', path: ['hotel', 'name'], parse: (v) => v },
  { name: 'HOTELMATE_API_URL', path: ['api', 'baseUrl'], parse: (v) => v },
  { name: 'HOTELMATE_PUSHER_KEY', path: ['pusher', 'key'], parse: (v) => v },
  { name: 'HOTELMATE_PUSHER_CLUSTER', path: ['pusher', 'cluster'], parse: (v) => v },
  { name: 'HOTELMATE_PUSHER_HOST', path: ['pusher', 'host'], parse: (v) => v },
  { name: 'HOTELMATE_PUSHER_PORT', path: ['pusher', 'port'], parse: Number },
  { name: 'HOTELMATE_PUSHER_TLS', path: ['pusher', 'useTLS'], parse: (v) => v === 'true' || v === '1' },
  { name: 'HOTELMATE_PUSHER_ENABLED', path: ['pusher', 'enabled'], parse: (v) => v === 'true' || v === '1' },
  { name: 'HOTELMATE_CAMERA', path: ['camera', 'device'], parse: (v) => v },
  { name: 'HOTELMATE_LANGUAGE', path: ['ui', 'language'], parse: (v) => v },
];

export function configFilePath(dataDir: string): string {
  return path.join(dataDir, 'config.json');
}

/** The last good copy of a data-folder config file, kept by every successful save. */
export function lastGoodPath(file: string): string {
  return `${file}.last-good`;
}

/** U+FEFF at the start of a file saved as "UTF-8 with BOM". */
const BYTE_ORDER_MARK = '\uFEFF';

type ConfigRead = { kind: 'missing' } | { kind: 'ok'; value: Record<string, unknown>; text: string } | { kind: 'damaged'; reason: string };

/** Reads a JSON config file without ever throwing: missing, its settings object, or why it is damaged. */
function readConfigFile(file: string): ConfigRead {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return { kind: 'missing' };
    return { kind: 'damaged', reason: `cannot be read (${errorCode(error) ?? 'error'}: ${errorMessage(error)})` };
  }
  // A byte order mark (Notepad on older Windows saves one) is not damage: the settings after it are read.
  if (text.startsWith(BYTE_ORDER_MARK)) text = text.slice(BYTE_ORDER_MARK.length);
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (error) {
    return { kind: 'damaged', reason: `is not valid JSON (${errorMessage(error)})` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { kind: 'damaged', reason: 'does not hold a settings object' };
  return { kind: 'ok', value: value as Record<string, unknown>, text };
}

/**
 * Reads the data folder's config.json. A damaged one is moved aside (never rewritten) and replaced by
 * the last good copy when there is one.
 */
function readDataConfig(file: string, now: Date, fsLayer: DurableFs, issues: ConfigIssue[]): { raw: unknown; damage: ConfigDamage | null } {
  const read = readConfigFile(file);
  if (read.kind === 'missing') return { raw: {}, damage: null };
  if (read.kind === 'ok') {
    // None yet (an older version), or the copy itself went bad: a damaged config.json later must not fall back to the defaults.
    if (readConfigFile(lastGoodPath(file)).kind !== 'ok') keepLastGood(file, read.text, fsLayer, issues);
    return { raw: read.value, damage: null };
  }
  let movedTo: string | null = null;
  try {
    movedTo = moveAside(file, now, fsLayer);
  } catch (error) {
    issues.push({ field: '(file)', message: `${file} ${read.reason} and could not be moved aside (${errorMessage(error)}); it was left as it is` });
  }
  const lastGood = readConfigFile(lastGoodPath(file));
  const restoredFrom = lastGood.kind === 'ok' ? 'last-good' : 'defaults';
  issues.push({
    field: '(file)',
    message: `${file} ${read.reason}; ${movedTo ? `it was moved to ${movedTo}` : 'it was kept'} and the kiosk runs on ${restoredFrom === 'last-good' ? 'the last good copy' : 'the defaults (no good copy was kept)'}`,
  });
  if (lastGood.kind !== 'ok') return { raw: {}, damage: { reason: read.reason, movedTo, restoredFrom } };
  if (movedTo) {
    try {
      writeFileDurably(file, lastGood.text, { fs: fsLayer });
    } catch (error) {
      issues.push({ field: '(file)', message: `the last good copy could not be written back to ${file} (${errorMessage(error)})` });
    }
  }
  return { raw: lastGood.value, damage: { reason: read.reason, movedTo, restoredFrom } };
}

/** Reads the provisioning file (`--config`, or the one next to the executable): never moved or rewritten, it is not the kiosk's. */
function readProvisioningFile(file: string, issues: ConfigIssue[]): unknown {
  const read = readConfigFile(file);
  if (read.kind === 'ok') return read.value;
  issues.push({ field: '(file)', message: read.kind === 'missing' ? `--config file ${file} does not exist` : `${file} ${read.reason}; using the other settings` });
  return {};
}

function keepLastGood(file: string, text: string, fsLayer: DurableFs, issues: ConfigIssue[]): void {
  try {
    writeFileDurably(lastGoodPath(file), text, { fs: fsLayer });
  } catch (error) {
    issues.push({ field: '(file)', message: `the last good copy of ${file} could not be kept (${errorMessage(error)})` });
  }
}

function setPath(target: Record<string, unknown>, keys: string[], value: unknown): void {
  let node = target;
  for (const key of keys.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1] as string] = value;
}

function deletePath(target: unknown, keys: (string | number)[]): boolean {
  let node = target as Record<string | number, unknown> | undefined;
  for (const key of keys.slice(0, -1)) {
    if (typeof node?.[key] !== 'object' || node[key] === null) return false;
    node = node[key] as Record<string | number, unknown>;
  }
  const last = keys[keys.length - 1];
  if (node === undefined || last === undefined || !(last in node)) return false;
  delete node[last];
  return true;
}

/**
 * Validates input, dropping each offending field (so it takes its default) until the rest is valid.
 * Returns the repaired config and every issue met on the way.
 */
export function validateWithFallback(input: unknown): { config: KioskConfig; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const candidate: unknown = JSON.parse(JSON.stringify(input ?? {})) as unknown;
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const parsed = parseConfig(candidate);
    if (parsed.ok) return { config: parsed.config, issues };
    let removed = false;
    for (const issue of parsed.issues) {
      issues.push(issue);
      const keys = issue.field === '(root)' ? [] : issue.field.split('.');
      if (issue.message.startsWith('unknown setting(s): ')) {
        for (const unknownKey of issue.message.slice('unknown setting(s): '.length).split(', ')) {
          removed = deletePath(candidate, [...keys, unknownKey]) || removed;
        }
      } else if (keys.length > 0) {
        removed = deletePath(candidate, keys) || removed;
      }
    }
    if (!removed) break;
  }
  return { config: defaultConfig(), issues };
}

/** Loads the config (see the module comment for precedence and repair); never throws for a bad file. */
export function loadConfig(options: LoadConfigOptions): LoadedConfig {
  const issues: ConfigIssue[] = [];
  const sources: string[] = ['defaults'];
  const dataFile = configFilePath(options.dataDir);
  const fsLayer = options.fs ?? nodeDurableFs;
  const data = readDataConfig(dataFile, options.now ?? new Date(), fsLayer, issues);
  let raw: unknown = data.raw;
  if (fs.existsSync(dataFile)) sources.push(dataFile);
  if (options.configFile) {
    raw = mergeConfig(raw, readProvisioningFile(options.configFile, issues));
    if (fs.existsSync(options.configFile)) sources.push(options.configFile);
  }
  const env = options.env ?? {};
  const overrides: Record<string, unknown> = {};
  for (const entry of ENV_OVERRIDES) {
    const value = env[entry.name];
    if (value === undefined || value === '') continue;
    setPath(overrides, entry.path, entry.parse(value));
    sources.push(`env:${entry.name}`);
  }
  raw = mergeConfig(raw, overrides);
  const { config, issues: validationIssues } = validateWithFallback(raw);
  return { config, issues: [...issues, ...validationIssues], file: dataFile, sources, damage: data.damage };
}

/**
 * Saves the config durably (temp file, fsync, rename, fsync of the folder), then refreshes the last
 * good copy. Throws when config.json could not be written (nothing changed on disk then). Returns
 * false when only the last good copy could not be refreshed (config.json itself is saved).
 */
export function saveConfig(file: string, config: KioskConfig, fsLayer: DurableFs = nodeDurableFs): boolean {
  const text = `${JSON.stringify(config, null, 2)}\n`;
  writeFileDurably(file, text, { fs: fsLayer });
  try {
    writeFileDurably(lastGoodPath(file), text, { fs: fsLayer });
    return true;
  } catch {
    return false;
  }
}
