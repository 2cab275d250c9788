/**
 * `npm run bench`: runs every benchmark in bench/ (files named *.bench.ts exporting `run()`), one
 * after another so they do not compete for the 2 cores, and prints their figures. Pass names to run
 * a subset: `npm run bench -- camera ledger`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

async function main(): Promise<void> {
  const dir = path.dirname(new URL(import.meta.url).pathname);
  const wanted = process.argv.slice(2);
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
    .sort();
  console.log(`HotelMate kiosk benchmarks — ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${new Date().toISOString()}`);
  let failed = 0;
  for (const file of files) {
    console.log(`\n=== ${file.replace('.bench.ts', '')}`);
    const started = Date.now();
    try {
      const mod = (await import(pathToFileURL(path.join(dir, file)).href)) as { run?: () => Promise<void> };
      if (typeof mod.run !== 'function') throw new Error(`${file} does not export run()`);
      await mod.run();
    } catch (error) {
      failed += 1;
      console.error(`!!! ${file} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
    console.log(`(${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }
  if (failed > 0) {
    console.error(`\n${failed} benchmark(s) failed`);
    process.exitCode = 1;
  }
}

void main();
