import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scrubText, writeDiagnosticsBundle } from '../../../src/main/diagnostics/diagnostics-bundle';
import { createLogger, createRotatingFileSink } from '../../../src/main/logging/logger';
import { defaultConfig } from '../../../src/shared/config/schema';
import { hashPin } from '../../../src/main/admin/pin-hash';

const TOKEN = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b';

describe('diagnostics bundle', () => {
  let dir: string;
  let logDir: string;
  let usb: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diag-'));
    logDir = path.join(dir, 'logs');
    usb = path.join(dir, 'usb');
    fs.mkdirSync(usb);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('holds logs, config, versions, cameras, queue, sync, health and recent errors, and no token, PIN hash or descriptor', async () => {
    const logger = createLogger({ sinks: [createRotatingFileSink({ dir: logDir })] });
    logger.info('kiosk started', { version: '0.1.0' });
    logger.warn('sync failed', { status: 503 });
    // Leaks the logger's redaction cannot catch: free text in a message.
    logger.error(`request failed with header Authorization: Token ${TOKEN}`);
    const descriptor = Array.from({ length: 128 }, (_, i) => Math.sin(i).toFixed(6));
    logger.error(`face worker dumped ${descriptor.join(', ')}`);
    const pinHash = await hashPin('4321', { N: 1024, r: 8, p: 1 });
    const config = defaultConfig();
    config.hotel.slug = 'hotel-killarney';
    config.admin.pinHash = pinHash;

    const out = path.join(usb, 'bundle.zip');
    const result = await writeDiagnosticsBundle({
      outFile: out,
      logDir,
      config: { ...config, api: { ...config.api, token: TOKEN } },
      versions: { app: '0.1.0', electron: '41.7.1' },
      cameras: [{ id: '/dev/video0', label: 'USB Camera' }],
      queueStats: { pending: 3, needsReview: 1, synced: 120, oldestPendingAt: '2026-03-01T08:00:00Z' },
      syncStats: { api: 'online', lastSyncAt: '2026-03-01T08:59:00Z', lastError: null },
      recentErrors: [`sync failed: Token ${TOKEN} rejected`],
      health: { rendererRestarts: 2, watchdogRestarts: 1, templates: 12, face: { staffId: 7, descriptor: new Float32Array(128) } },
      secrets: [TOKEN],
      now: new Date('2026-03-01T09:00:00Z'),
    });
    expect(result.bytes).toBe(fs.statSync(out).size);

    const entries = unzipSync(new Uint8Array(fs.readFileSync(out)));
    expect(Object.keys(entries).sort()).toEqual(
      ['README.txt', 'cameras.json', 'config.json', 'health.json', 'logs/kiosk.log', 'queue.json', 'recent-errors.txt', 'sync.json', 'system.json', 'versions.json'].sort(),
    );
    const text = (name: string): string => strFromU8(entries[name] as Uint8Array);
    const parsedConfig = JSON.parse(text('config.json')) as typeof config & { api: { token: string } };
    expect(parsedConfig.hotel.slug).toBe('hotel-killarney');
    expect(parsedConfig.admin.pinHash).toBe('[set, removed]');
    expect(parsedConfig.api.token).toBe('[set, removed]');
    expect(JSON.parse(text('queue.json'))).toMatchObject({ pending: 3, needsReview: 1 });
    expect(JSON.parse(text('versions.json'))).toEqual({ app: '0.1.0', electron: '41.7.1' });
    expect(JSON.parse(text('cameras.json'))[0].label).toBe('USB Camera');
    expect(JSON.parse(text('health.json'))).toMatchObject({ rendererRestarts: 2, templates: 12, face: { staffId: 7, descriptor: '[removed]' } });
    expect(text('logs/kiosk.log')).toMatch(/sync failed/);
    expect(text('recent-errors.txt')).toMatch(/sync failed/);
    expect(JSON.parse(text('system.json')).dataDirDisk.freeBytes).toBeGreaterThan(0);

    const everything = Object.values(entries).map((bytes) => strFromU8(bytes)).join('\n');
    expect(everything).not.toContain(TOKEN);
    expect(everything).not.toContain(pinHash);
    expect(everything).not.toContain(pinHash.split('$')[5]);
    expect(everything).not.toContain(descriptor.slice(0, 20).join(', '));
  });

  it('refuses clearly when the USB drive is gone, and leaves no half-written file', async () => {
    const missing = path.join(dir, 'unplugged', 'bundle.zip');
    await expect(
      writeDiagnosticsBundle({ outFile: missing, logDir, config: {}, versions: {}, cameras: [], queueStats: {}, syncStats: {}, recentErrors: [], now: new Date() }),
    ).rejects.toThrow(/does not exist \(is the USB drive plugged in\?\)/);
    expect(fs.existsSync(path.dirname(missing))).toBe(false);
  });

  it('keeps the newest logs within the size limit and says which were left out', async () => {
    fs.mkdirSync(logDir);
    fs.writeFileSync(path.join(logDir, 'kiosk.2.log'), 'old '.repeat(1000));
    fs.utimesSync(path.join(logDir, 'kiosk.2.log'), new Date('2026-01-01'), new Date('2026-01-01'));
    fs.writeFileSync(path.join(logDir, 'kiosk.log'), 'new '.repeat(1000));
    const out = path.join(usb, 'small.zip');
    await writeDiagnosticsBundle({ outFile: out, logDir, config: {}, versions: {}, cameras: [], queueStats: {}, syncStats: {}, recentErrors: [], now: new Date(), maxLogBytes: 5000 });
    const entries = unzipSync(new Uint8Array(fs.readFileSync(out)));
    expect(Object.keys(entries)).toContain('logs/kiosk.log');
    expect(Object.keys(entries)).not.toContain('logs/kiosk.2.log');
    expect(strFromU8(entries['README.txt'] as Uint8Array)).toMatch(/Logs left out.*kiosk\.2\.log/);
  });

  it('scrubs bearer tokens, data URLs and number runs but leaves ordinary figures alone', () => {
    expect(scrubText('Bearer abc.def.ghi123')).toBe('Bearer [removed]');
    expect(scrubText('img data:image/jpeg;base64,/9j/4AAQSkZJRg==')).toBe('img [image removed]');
    expect(scrubText('pending=3, synced=120, fps 14.8')).toBe('pending=3, synced=120, fps 14.8');
  });
});
