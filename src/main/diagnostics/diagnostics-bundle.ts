/**
 * The support bundle (`--diagnostics` and Admin > Diagnostics > Export): one zip with the logs, the
 * config without secrets, versions, cameras, queue and sync figures and recent errors, so facilities
 * can send one file instead of describing the screen. Nothing secret or biometric goes in.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { strToU8, zipSync, type Zippable } from 'fflate';

export interface DiagnosticsBundleInput {
  /** Destination .zip (e.g. on a USB drive). Its folder must exist: a missing drive is an error, not a new folder. */
  outFile: string;
  /** Folder of the rotating log files (kiosk.log, kiosk.1.log...). */
  logDir: string;
  /** The config as loaded; secrets are stripped again here whatever the caller passes. */
  config: unknown;
  versions: Record<string, string>;
  cameras: unknown;
  queueStats: unknown;
  syncStats: unknown;
  recentErrors: readonly string[];
  /** Anything else worth a figure (face stats, relaunch counts, watchdog restarts, realtime). */
  health?: Record<string, unknown>;
  /** Secret values to scrub if they ever leaked into a log line (the API token, for instance). */
  secrets?: readonly string[];
  now: Date;
  /** Upper bound for log bytes in the bundle (newest files first). Default 20 MiB. */
  maxLogBytes?: number;
}

export interface DiagnosticsBundleResult {
  file: string;
  bytes: number;
  entries: string[];
}

const SECRET_KEY = /(token|password|secret|pin|authorization|cookie|apikey|api_key)/i;
const BIOMETRIC_KEY = /(encoding|descriptor|embedding|template|image|photo|jpeg|rgb|pixels)/i;

/** Deep copy of a config-like value with secret and biometric fields replaced by a marker. */
export function stripSecrets(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[…]';
  if (Array.isArray(value)) {
    if (value.length >= 16 && value.every((v) => typeof v === 'number')) return `[${value.length} numbers removed]`;
    return value.map((v) => stripSecrets(v, depth + 1));
  }
  if (ArrayBuffer.isView(value)) return '[binary removed]';
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (SECRET_KEY.test(key)) out[key] = v === null || v === undefined || v === '' ? v : '[set, removed]';
    else if (BIOMETRIC_KEY.test(key) && v !== null && typeof v === 'object') out[key] = '[removed]';
    else out[key] = stripSecrets(v, depth + 1);
  }
  return out;
}

/**
 * Removes what must never leave the kiosk from free text (log lines): the given secret values,
 * `Token <hex>` headers, 40-hex API tokens, scrypt PIN hashes and long runs of numbers (descriptors).
 */
export function scrubText(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 6) out = out.split(secret).join('[secret removed]');
  }
  return out
    .replace(/(Token|Bearer)\s+[A-Za-z0-9._~+/=-]{8,}/g, '$1 [removed]')
    .replace(/\b[0-9a-f]{40}\b/gi, '[token removed]')
    .replace(/scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+/g, '[pin hash removed]')
    .replace(/data:image\/[a-z]+;base64,[A-Za-z0-9+/=]+/g, '[image removed]')
    .replace(/(-?\d+(?:\.\d+)?(?:e-?\d+)?\s*,\s*){15,}-?\d+(?:\.\d+)?(?:e-?\d+)?/gi, '[numbers removed]');
}

/** Facts about the machine that explain most field problems (disk, memory, uptime). */
export function collectSystemInfo(dataDir: string): Record<string, unknown> {
  let disk: Record<string, number> | string;
  try {
    const stats = fs.statfsSync(dataDir);
    disk = { freeBytes: stats.bavail * stats.bsize, totalBytes: stats.blocks * stats.bsize };
  } catch (error) {
    disk = `unavailable: ${(error as Error).message}`;
  }
  return {
    platform: process.platform,
    release: os.release(),
    arch: process.arch,
    cpus: os.cpus().length,
    totalMemoryBytes: os.totalmem(),
    freeMemoryBytes: os.freemem(),
    systemUptimeSeconds: Math.round(os.uptime()),
    processUptimeSeconds: Math.round(process.uptime()),
    dataDirDisk: disk,
  };
}

function logFiles(logDir: string): { name: string; file: string; mtime: number; size: number }[] {
  let names: string[];
  try {
    names = fs.readdirSync(logDir);
  } catch {
    return [];
  }
  return names
    .filter((name) => name.endsWith('.log'))
    .map((name) => {
      const file = path.join(logDir, name);
      const stat = fs.statSync(file);
      return { name, file, mtime: stat.mtimeMs, size: stat.size };
    })
    .sort((a, b) => b.mtime - a.mtime);
}

const json = (value: unknown): Uint8Array => strToU8(`${JSON.stringify(value, null, 2)}\n`);

/**
 * Writes the bundle atomically (temp file then rename). Resolves with the file, its size and the
 * entry names; rejects with a readable Error when the destination folder is missing or not
 * writable (e.g. the USB drive was removed). Nothing is retried.
 */
export async function writeDiagnosticsBundle(input: DiagnosticsBundleInput): Promise<DiagnosticsBundleResult> {
  const dir = path.dirname(input.outFile);
  if (!fs.existsSync(dir)) throw new Error(`Cannot write the diagnostics bundle: the folder ${dir} does not exist (is the USB drive plugged in?)`);
  const secrets = input.secrets ?? [];
  const scrubJson = (value: unknown): Uint8Array => strToU8(scrubText(`${JSON.stringify(stripSecrets(value), null, 2)}\n`, secrets));
  const files: Zippable = {};
  const maxLogBytes = input.maxLogBytes ?? 20 * 1024 * 1024;
  let logBytes = 0;
  const skippedLogs: string[] = [];
  for (const log of logFiles(input.logDir)) {
    if (logBytes + log.size > maxLogBytes) {
      skippedLogs.push(log.name);
      continue;
    }
    try {
      files[`logs/${log.name}`] = strToU8(scrubText(fs.readFileSync(log.file, 'utf8'), secrets));
      logBytes += log.size;
    } catch (error) {
      skippedLogs.push(`${log.name} (${(error as Error).message})`);
    }
  }
  files['config.json'] = scrubJson(input.config);
  files['versions.json'] = json(input.versions);
  files['cameras.json'] = scrubJson(input.cameras);
  files['queue.json'] = scrubJson(input.queueStats);
  files['sync.json'] = scrubJson(input.syncStats);
  files['health.json'] = scrubJson(input.health ?? {});
  files['system.json'] = json(collectSystemInfo(dir));
  files['recent-errors.txt'] = strToU8(scrubText(input.recentErrors.join('\n') + (input.recentErrors.length ? '\n' : ''), secrets));
  files['README.txt'] = strToU8(
    [
      'HotelMate kiosk diagnostics bundle',
      `Created: ${input.now.toISOString()}`,
      '',
      'config.json        configuration with secrets removed (no API token, no PIN hash)',
      'versions.json      app, Electron, Chromium, Node and model versions',
      'cameras.json       cameras the kiosk could see',
      'queue.json         punches waiting for HotelMate, needing review, synced',
      'sync.json          last sync, last error, API connection state',
      'health.json        relaunches, watchdog restarts, face pipeline and realtime figures',
      'system.json        OS, memory, disk space of the data folder',
      'recent-errors.txt  the latest warnings and errors',
      'logs/              the kiosk log files (newest first)',
      skippedLogs.length ? `Logs left out (size limit or unreadable): ${skippedLogs.join(', ')}` : '',
      '',
      'See docs/operations.md for what each figure means and what to do.',
      '',
    ].join('\n'),
  );
  const zipped = zipSync(files, { level: 6, mtime: input.now });
  const temp = `${input.outFile}.${process.pid}.tmp`;
  try {
    await fs.promises.writeFile(temp, zipped);
    await fs.promises.rename(temp, input.outFile);
  } catch (error) {
    await fs.promises.rm(temp, { force: true }).catch(() => undefined);
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOSPC' ? 'the drive is full' : code === 'EACCES' || code === 'EROFS' ? 'the drive is not writable' : (error as Error).message;
    throw new Error(`Cannot write the diagnostics bundle to ${input.outFile}: ${why}`);
  }
  return { file: input.outFile, bytes: zipped.byteLength, entries: Object.keys(files) };
}
