import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger, createMemoryLogger, createRotatingFileSink, escapeLogText, redact } from '../../../src/main/logging/logger';
import { makeTempDir } from '../../support/temp-dir';

describe('logger', () => {
  it('never writes an embedding, an image or a token into a log line', () => {
    const dir = makeTempDir();
    const sink = createRotatingFileSink({ dir });
    const logger = createLogger({ sinks: [sink] }).child('sync');
    const descriptor = Array.from({ length: 128 }, (_, i) => i / 1000 + 0.123456);
    logger.info('sending punch', {
      encoding: descriptor,
      image: 'data:image/jpeg;base64,' + 'A'.repeat(5000),
      token: 'af298867da396ffc3c1b6d7024309d2b278e814e',
      nested: { values: descriptor, buffer: new Float32Array(128) },
      staffId: 42,
    });
    const text = fs.readFileSync(sink.file, 'utf8');
    expect(text).toContain('[kiosk:sync] sending punch');
    expect(text).toContain('"staffId":42');
    expect(text).not.toContain('0.123456');
    expect(text).not.toContain('AAAA');
    expect(text).not.toContain('af298867');
  });

  it('rotates the file when it grows past the limit and keeps a bounded number of files', () => {
    const dir = makeTempDir();
    const logger = createLogger({ sinks: [createRotatingFileSink({ dir, maxBytes: 2000, maxFiles: 3 })] });
    for (let i = 0; i < 200; i += 1) logger.info(`line ${i} ${'x'.repeat(50)}`);
    const files = fs.readdirSync(dir).sort();
    expect(files).toEqual(['kiosk.1.log', 'kiosk.2.log', 'kiosk.log']);
    expect(fs.readFileSync(path.join(dir, 'kiosk.log'), 'utf8')).toContain('line 199');
    for (const f of files) expect(fs.statSync(path.join(dir, f)).size).toBeLessThanOrEqual(2000);
  });

  it('a message cannot forge a log entry: newlines and control characters are escaped, one record stays one line', () => {
    const dir = makeTempDir();
    const sink = createRotatingFileSink({ dir });
    const logger = createLogger({ sinks: [sink] }).child('renderer');
    logger.warn('clicked\n2026-03-01T09:00:00.000Z INFO  [kiosk:admin] admin area unlocked\r\u001b[2J\u2028done', { stack: 'at a\nat b' });
    const lines = fs.readFileSync(sink.file, 'utf8').split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('clicked\\n2026-03-01T09:00:00.000Z INFO  [kiosk:admin] admin area unlocked\\r\\u001b[2J\\u2028done');
    expect(lines[0]).toContain('"stack":"at a\\nat b"');
    expect(escapeLogText('tab\there')).toBe('tab\\there');
    expect(fs.statSync(sink.file).mode & 0o777).toBe(0o600);
  });

  it('keeps short numeric lists and plain fields readable', () => {
    expect(redact({ attempts: [1, 2, 3], message: 'ok', password: 'hunter2' })).toEqual({ attempts: [1, 2, 3], message: 'ok', password: '[redacted]' });
    const logger = createMemoryLogger();
    logger.child('a').child('b').warn('hello');
    expect(logger.records[0]).toMatchObject({ name: 'kiosk:a:b', level: 'warn', message: 'hello' });
  });
});
