/**
 * Loads, validates and saves the kiosk configuration. Precedence: `--config` file > the data
 * folder's config.json > defaults, then HOTELMATE_* environment overrides. A bad value never
 * crashes the kiosk: that field falls back to its default, the problem is reported by field name,
 * and the kiosk starts in setup mode.
 */
import fs from 'node:fs';
import path from 'node:path';
import { type ConfigIssue, type KioskConfig, defaultConfig, mergeConfig, parseConfig } from '../../shared/config/schema';

export interface LoadedConfig {
  config: KioskConfig;
  /** Problems found; each names the field and the reason. */
  issues: ConfigIssue[];
  /** The file changes are saved to. */
  file: string;
  /** Where the values came from, for diagnostics. */
  sources: string[];
}

export interface LoadConfigOptions {
  dataDir: string;
  /** Explicit `--config` file (fleet provisioning). */
  configFile?: string;
  env?: Record<string, string | undefined>;
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

function readJsonFile(file: string, issues: ConfigIssue[]): unknown {
  if (!fs.existsSync(file)) return {};
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  } catch (error) {
    issues.push({ field: '(file)', message: `${file} is not valid JSON (${(error as Error).message}); using defaults` });
    return {};
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

export function loadConfig(options: LoadConfigOptions): LoadedConfig {
  const issues: ConfigIssue[] = [];
  const sources: string[] = ['defaults'];
  const dataFile = configFilePath(options.dataDir);
  let raw: unknown = readJsonFile(dataFile, issues);
  if (fs.existsSync(dataFile)) sources.push(dataFile);
  if (options.configFile) {
    if (!fs.existsSync(options.configFile)) {
      issues.push({ field: '(file)', message: `--config file ${options.configFile} does not exist` });
    } else {
      raw = mergeConfig(raw, readJsonFile(options.configFile, issues));
      sources.push(options.configFile);
    }
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
  return { config, issues: [...issues, ...validationIssues], file: dataFile, sources };
}

/** Writes the config atomically (temp file, fsync, rename) so a power cut never leaves half a file. */
export function saveConfig(file: string, config: KioskConfig): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(temp, 'w', 0o600);
  try {
    fs.writeSync(fd, `${JSON.stringify(config, null, 2)}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, file);
}
