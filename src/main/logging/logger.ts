/**
 * One logger for main: named children (`logger.child('sync')`), a rotating file in the app's data
 * folder (owner-only permissions), a redaction step so an embedding, an image or a secret never
 * reaches a log line, and escaping of control characters so no message (the renderer's included)
 * can break a line and forge an entry.
 */
import fs from 'node:fs';
import path from 'node:path';
import { toLogFormat } from '../lib/errors';

export { toLogFormat };

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(name: string): Logger;
}

export interface LogRecord {
  time: string;
  level: LogLevel;
  name: string;
  message: string;
  fields?: Record<string, unknown>;
}

export interface LogSink {
  write(record: LogRecord): void;
}

const SECRET_KEYS = /(token|password|secret|pin|authorization)/i;
const BIOMETRIC_KEYS = /(encoding|descriptor|embedding|template|image|rgb|pixels|frame|jpeg|photo_data)/i;

/**
 * Makes a value safe to log: drops biometric payloads and secrets by key, replaces long numeric
 * arrays and binary buffers (which can only be embeddings or pixels here) with their length.
 */
export function redact(value: unknown, depth = 0): unknown {
  if (value === null || value === undefined) return value;
  if (typeof value === 'string') return value.length > 2000 ? `${value.slice(0, 2000)}…(${value.length} chars)` : value;
  if (typeof value !== 'object') return value;
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return `[binary ${(value as ArrayBuffer).byteLength} bytes]`;
  if (value instanceof Error) return toLogFormat(value);
  if (depth > 4) return '[…]';
  if (Array.isArray(value)) {
    if (value.length >= 16 && value.every((v) => typeof v === 'number')) return `[${value.length} numbers redacted]`;
    return value.slice(0, 50).map((v) => redact(v, depth + 1));
  }
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (BIOMETRIC_KEYS.test(key) && v !== null && typeof v === 'object') out[key] = '[redacted biometric]';
    else if (BIOMETRIC_KEYS.test(key) && typeof v === 'string' && v.length > 200) out[key] = '[redacted biometric]';
    else if (SECRET_KEYS.test(key) && v !== null && v !== undefined && typeof v !== 'boolean') out[key] = '[redacted]';
    else out[key] = redact(v, depth + 1);
  }
  return out;
}

const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const NAMED_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Text made safe for one log line: newlines, carriage returns, tabs and every other control
 * character (and the Unicode line separators) become visible escapes (`\n`, `\u001b`), so a message
 * can never start a line of its own that looks like another entry.
 */
export function escapeLogText(text: string): string {
  return text.replace(CONTROL_CHARACTERS, (char) => NAMED_ESCAPES[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function formatRecord(record: LogRecord): string {
  const fields = record.fields && Object.keys(record.fields).length > 0 ? ` ${JSON.stringify(redact(record.fields))}` : '';
  return `${record.time} ${record.level.toUpperCase().padEnd(5)} [${escapeLogText(record.name)}] ${escapeLogText(record.message)}${escapeLogText(fields)}`;
}

export interface RotatingFileSinkOptions {
  dir: string;
  /** Base file name, default `kiosk.log`. */
  fileName?: string;
  maxBytes?: number;
  maxFiles?: number;
}

/**
 * Appends lines synchronously (a crash must not lose the last lines) and rotates
 * `kiosk.log` -> `kiosk.1.log` ... when the file passes maxBytes.
 */
export function createRotatingFileSink(options: RotatingFileSinkOptions): LogSink & { file: string } {
  const fileName = options.fileName ?? 'kiosk.log';
  const maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
  const maxFiles = options.maxFiles ?? 5;
  fs.mkdirSync(options.dir, { recursive: true, mode: 0o700 });
  const file = path.join(options.dir, fileName);
  const ext = path.extname(fileName);
  const base = fileName.slice(0, fileName.length - ext.length);
  let size = fs.existsSync(file) ? fs.statSync(file).size : 0;
  // Logs name staff and times: owner-only, also for files an older version created.
  for (const existing of fs.readdirSync(options.dir)) {
    try {
      fs.chmodSync(path.join(options.dir, existing), 0o600);
    } catch {
      // A file that vanished or is not ours; the next write creates it owner-only anyway.
    }
  }

  const rotate = (): void => {
    for (let i = maxFiles - 1; i >= 1; i -= 1) {
      const from = i === 1 ? file : path.join(options.dir, `${base}.${i - 1}${ext}`);
      const to = path.join(options.dir, `${base}.${i}${ext}`);
      if (fs.existsSync(from)) fs.renameSync(from, to);
    }
    size = 0;
  };

  return {
    file,
    write(record) {
      const line = `${formatRecord(record)}\n`;
      try {
        if (size + line.length > maxBytes) rotate();
        fs.appendFileSync(file, line, { mode: 0o600 });
        size += Buffer.byteLength(line);
      } catch {
        // A full or read-only disk must not take the kiosk down with it; the console still gets it.
      }
    },
  };
}

export function createConsoleSink(minLevel: LogLevel = 'info'): LogSink {
  return {
    write(record) {
      if (LEVELS[record.level] < LEVELS[minLevel]) return;
      const line = formatRecord(record);
      if (record.level === 'error' || record.level === 'warn') process.stderr.write(`${line}\n`);
      else process.stdout.write(`${line}\n`);
    },
  };
}

/** Keeps the last N warnings and errors for the diagnostics screen and bundle. */
export function createRecentErrorsSink(capacity = 50): LogSink & { recent(): string[] } {
  const lines: string[] = [];
  return {
    write(record) {
      if (LEVELS[record.level] < LEVELS.warn) return;
      lines.push(formatRecord(record));
      if (lines.length > capacity) lines.shift();
    },
    recent: () => [...lines],
  };
}

export interface CreateLoggerOptions {
  sinks: LogSink[];
  level?: LogLevel;
  name?: string;
  now?: () => Date;
}

export function createLogger(options: CreateLoggerOptions): Logger {
  const min = LEVELS[options.level ?? 'info'];
  const now = options.now ?? (() => new Date());
  const make = (name: string): Logger => {
    const log = (level: LogLevel, message: string, fields?: Record<string, unknown>): void => {
      if (LEVELS[level] < min) return;
      const record: LogRecord = { time: now().toISOString(), level, name, message, fields };
      for (const sink of options.sinks) sink.write(record);
    };
    return {
      debug: (m, f) => log('debug', m, f),
      info: (m, f) => log('info', m, f),
      warn: (m, f) => log('warn', m, f),
      error: (m, f) => log('error', m, f),
      child: (child) => make(`${name}:${child}`),
    };
  };
  return make(options.name ?? 'kiosk');
}

/** A logger that remembers records in memory: for tests and for short-lived tools. */
export function createMemoryLogger(): Logger & { records: LogRecord[] } {
  const records: LogRecord[] = [];
  const logger = createLogger({ sinks: [{ write: (r) => records.push(r) }], level: 'debug' });
  return Object.assign(logger, { records });
}
