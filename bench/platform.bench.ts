/**
 * Platform figures for `npm run bench`: what an admin PIN check costs (scrypt at the shipped cost,
 * the price of guessing), how long writing the diagnostics bundle with a full set of logs takes and
 * how much it compresses, and how long "forget this kiosk" takes on a populated data folder.
 * Run alone with `npx tsx bench/platform.bench.ts`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hashPin, verifyPin } from '../src/main/admin/pin-hash';
import { writeDiagnosticsBundle } from '../src/main/diagnostics/diagnostics-bundle';
import { createMemoryLogger } from '../src/main/logging/logger';
import { forgetKiosk } from '../src/main/privacy/forget-kiosk';
import { summary } from './stats';

async function pinCheck(): Promise<void> {
  const hash = await hashPin('482913');
  const times: number[] = [];
  for (let i = 0; i < 5; i += 1) {
    const started = performance.now();
    await verifyPin(i % 2 ? '482913' : '000000', hash);
    times.push(performance.now() - started);
  }
  const p50 = [...times].sort((a, b) => a - b)[2] as number;
  console.log(`admin PIN check (scrypt N=2^17 r=8 p=1): ${summary(times)}`);
  console.log(`  offline guessing on this CPU, one core: 4-digit PIN space in ${((1e4 * p50) / 3.6e6).toFixed(1)} h, 6-digit in ${((1e6 * p50) / 8.64e7).toFixed(0)} days`);
}

async function bundle(dir: string): Promise<void> {
  const logDir = path.join(dir, 'logs');
  fs.mkdirSync(logDir, { recursive: true });
  const line = '2026-03-01T09:00:00.000Z INFO  [kiosk:sync] punch sent {"eventId":"5b0c5a5e-1111-4d4e-9f00-000000000000","staffId":17,"status":201,"ms":143}\n';
  for (let i = 0; i < 4; i += 1) fs.writeFileSync(path.join(logDir, i === 0 ? 'kiosk.log' : `kiosk.${i}.log`), line.repeat(Math.floor((5 * 1024 * 1024) / line.length)));
  const times: number[] = [];
  let size = 0;
  for (let i = 0; i < 3; i += 1) {
    const started = performance.now();
    const result = await writeDiagnosticsBundle({
      outFile: path.join(dir, `bundle-${i}.zip`),
      logDir,
      config: { hotel: { slug: 'hotel-killarney' } },
      versions: { app: '0.1.0' },
      cameras: [],
      queueStats: { pending: 0 },
      syncStats: { api: 'online' },
      recentErrors: ['x'],
      secrets: ['9f86d081884c7d659a2feaa0c55ad015a3bf4f1b'],
      now: new Date(),
    });
    times.push(performance.now() - started);
    size = result.bytes;
  }
  console.log(`diagnostics bundle with 20 MiB of logs: ${summary(times)}; zip ${(size / 1024).toFixed(0)} KiB (ratio ${((20 * 1024 * 1024) / size).toFixed(0)}:1)`);
}

async function forget(dir: string): Promise<void> {
  const dataDir = path.join(dir, 'data');
  fs.mkdirSync(path.join(dataDir, 'logs'), { recursive: true });
  fs.writeFileSync(path.join(dataDir, 'kiosk.db'), Buffer.alloc(50 * 1024 * 1024, 1));
  fs.writeFileSync(path.join(dataDir, 'config.json'), '{}');
  for (let i = 0; i < 5; i += 1) fs.writeFileSync(path.join(dataDir, 'logs', `kiosk.${i}.log`), Buffer.alloc(5 * 1024 * 1024, 65));
  const started = performance.now();
  await forgetKiosk({ dataDir, logger: createMemoryLogger() });
  console.log(`forget this kiosk (50 MiB database + 25 MiB logs): ${(performance.now() - started).toFixed(1)} ms`);
}

export async function run(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-bench-'));
  console.log(`machine load average ${os.loadavg()[0]?.toFixed(1)} on ${os.cpus().length} cores (figures scale with it)`);
  try {
    await pinCheck();
    await bundle(dir);
    await forget(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(__filename)) void run();
