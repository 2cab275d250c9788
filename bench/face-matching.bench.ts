/** 1:N matching figures: probe time against 10k and 100k templates (contiguous Float32Array vs a naive per-template array), and the start-up cost of decrypting templates from SQLite. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../src/main/db/database';
import { createTemplateIndex, DESCRIPTOR_LENGTH } from '../src/main/face/matcher';
import { createTemplateStore } from '../src/main/face/template-store';
import { createMemoryLogger } from '../src/main/logging/logger';
import { createMemorySecretStore } from '../src/main/secrets/secret-store';
import { systemClock } from '../src/main/lib/clock';
import { percentile, summary } from './stats';

/** Deterministic pseudo-random descriptors with face-api-like scale (components ~ N(0, 0.09)). */
function descriptors(count: number, seed: number): Float32Array[] {
  let s = seed >>> 0;
  const next = (): number => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  return Array.from({ length: count }, () => {
    const d = new Float32Array(DESCRIPTOR_LENGTH);
    for (let i = 0; i < DESCRIPTOR_LENGTH; i += 1) d[i] = (next() + next() + next() - 1.5) * 0.18;
    return d;
  });
}

function naiveMatch(templates: { staffId: number; d: Float32Array }[], probe: Float32Array): number {
  let best = Infinity;
  let who = -1;
  for (const t of templates) {
    let sum = 0;
    for (let i = 0; i < DESCRIPTOR_LENGTH; i += 1) sum += (t.d[i] - probe[i]) ** 2;
    const d = Math.sqrt(sum);
    if (d < best) {
      best = d;
      who = t.staffId;
    }
  }
  return who;
}

export async function run(): Promise<void> {
  const probes = descriptors(60, 99);
  for (const size of [10_000, 100_000]) {
    const all = descriptors(size, size);
    const index = createTemplateIndex(size);
    all.forEach((d, i) => index.add(i + 1, 1 + Math.floor(i / 5), d));
    const runs = size >= 100_000 ? 30 : 60;
    for (let i = 0; i < 5; i += 1) index.match(probes[i]);
    const fast: number[] = [];
    for (let i = 0; i < runs; i += 1) {
      const t0 = performance.now();
      index.match(probes[i % probes.length]);
      fast.push(performance.now() - t0);
    }
    const naive = all.map((d, i) => ({ staffId: 1 + Math.floor(i / 5), d }));
    for (let i = 0; i < 3; i += 1) naiveMatch(naive, probes[i]);
    const slow: number[] = [];
    for (let i = 0; i < Math.min(runs, 20); i += 1) {
      const t0 = performance.now();
      naiveMatch(naive, probes[i % probes.length]);
      slow.push(performance.now() - t0);
    }
    console.log(`1:N ${size.toLocaleString('en')} templates (${size / 5} people x 5), best + second-best person: ${summary(fast)}`);
    console.log(`   naive per-template arrays with sqrt, top-1 only: ${summary(slow)}; contiguous is ${(percentile(slow, 50) / percentile(fast, 50)).toFixed(1)}x faster (p50)`);
  }

  // Start-up: decrypt (AES-256-GCM) and index 10,000 templates from a real SQLite file.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-face-'));
  try {
    const file = path.join(dir, 'kiosk.sqlite');
    const secrets = createMemorySecretStore();
    const logger = createMemoryLogger();
    const db = openDatabase({ file });
    const store = createTemplateStore({ db, secrets, logger, clock: systemClock });
    const all = descriptors(10_000, 7);
    const t0 = performance.now();
    db.transaction(() => all.forEach((d, i) => store.addTemplate(1 + Math.floor(i / 5), d, 'bench', 0.9)))();
    const insertMs = performance.now() - t0;
    db.close();
    const db2 = openDatabase({ file });
    const t1 = performance.now();
    const loaded = createTemplateStore({ db: db2, secrets, logger, clock: systemClock });
    const loadMs = performance.now() - t1;
    console.log(`templates at rest: encrypt+insert 10,000 in ${insertMs.toFixed(0)} ms; open = decrypt+index ${loaded.count().toLocaleString('en')} in ${loadMs.toFixed(0)} ms (${((loadMs * 1000) / loaded.count()).toFixed(1)} µs each)`);
    db2.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (typeof __filename !== 'undefined' && process.argv[1] && path.resolve(process.argv[1]) === path.resolve(__filename)) {
  run().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
