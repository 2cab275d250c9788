/**
 * Face pipeline benchmark: per-stage latency (p50/p95) on 640x480 frames built from the shared
 * photos, frame-to-analysis latency and sustained analysed frames/s through the worker fed at
 * camera rate, CPU use, RSS with the models loaded, and the ONNX descriptor time against
 * face-api.js on TensorFlow.js (wasm) measured in the same run.
 *
 * Run alone: npx tsx bench/face-pipeline.bench.ts
 */
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { createFacePipeline } from '../src/main/face/pipeline/face-pipeline';
import type { RgbFrame, StageTimings } from '../src/main/face/pipeline/types';
import { createFaceWorkerClient } from '../src/main/face/worker/face-worker-client';
import { createMemoryLogger } from '../src/main/logging/logger';
import { loadFaceApiReference } from '../tests/main/face/pipeline/face-api-reference';
import { decodePhotoAsFrame, listPhotos } from '../tests/support/media/photos';
import { percentile } from './stats';

const MODELS_DIR = resolve(__dirname, '..', 'models');
const CAMERA_FPS = 30;
const SUSTAINED_SECONDS = 10;

const ms = (v: number): string => `${v.toFixed(1)} ms`;
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const sleep = (t: number): Promise<void> => new Promise((r) => setTimeout(r, t));

/** Runs the benchmark and prints its figures (and whether each target is met). */
export async function run(): Promise<void> {
  console.log('\n== face pipeline (ONNX face-api.js nets, onnxruntime-node, spinning off) ==');
  console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' / ')} (figures are only comparable at a low load)`);
  const frames: RgbFrame[] = listPhotos()
    .filter((p) => p.identity !== 'multi-face')
    .map((p) => decodePhotoAsFrame(p.file, 640, 480));
  const rssBefore = process.memoryUsage().rss;

  // 1. Through the worker (first, so RSS counts only what the app loads: the worker and its models), fed at camera rate: sustained analysed frames/s, frame-to-analysis latency, CPU, RSS.
  const client = await createFaceWorkerClient({ modelsDir: MODELS_DIR, logger: createMemoryLogger() });
  const rssWorker = process.memoryUsage().rss;
  const latencies: number[] = [];
  let analysed = 0;
  let offered = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const inflight: Array<Promise<void>> = [];
  while (performance.now() - t0 < SUSTAINED_SECONDS * 1000) {
    const f = frames[offered % frames.length];
    offered += 1;
    const submitted = performance.now();
    const p = client.analyse({ ...f, rgb: f.rgb.slice() });
    inflight.push(
      p.then((a) => {
        if (!a) return;
        analysed += 1;
        if (a.mainIndex >= 0) latencies.push(performance.now() - submitted);
      }),
    );
    await sleep(1000 / CAMERA_FPS);
  }
  await Promise.all(inflight);
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const rssPeak = process.memoryUsage().rss;
  await client.close();
  const fps = analysed / wall;
  const cpuCores = (cpu.user + cpu.system) / 1e6 / wall;
  const p95 = percentile(latencies, 95);
  console.log(`worker at ${CAMERA_FPS} fps offered for ${wall.toFixed(1)} s: ${analysed}/${offered} frames analysed (${fps.toFixed(1)} analysed frames/s), rest dropped`);
  console.log(`  frame-to-analysis (face in view) p50 ${ms(percentile(latencies, 50))}  p95 ${ms(p95)}  (matching adds ~3 ms per 10k templates)`);
  console.log(`  CPU: ${(cpuCores * 100).toFixed(0)}% of one core (${((cpuCores / 2) * 100).toFixed(0)}% of the 2 cores), process total incl. worker; ${((cpu.user + cpu.system) / 1000 / Math.max(analysed, 1)).toFixed(0)} ms CPU per analysed frame`);
  console.log(`  RSS: ${mb(rssBefore)} before models (decoded test frames included), ${mb(rssWorker)} with the worker and its models loaded, ${mb(rssPeak)} at the end of the worker run`);

  // 2. In-process per-stage latency.
  const pipeline = await createFacePipeline({ modelsDir: MODELS_DIR, logger: createMemoryLogger() });
  for (const f of frames.slice(0, 5)) await pipeline.analyse(f); // warm-up
  const stages: Record<keyof StageTimings, number[]> = { detect: [], landmarks: [], crop: [], descriptor: [], liveness: [], total: [] };
  let withFace = 0;
  const cpuStages0 = process.cpuUsage();
  for (let pass = 0; pass < 3; pass++) {
    for (const f of frames) {
      const a = await pipeline.analyse(f);
      if (a.mainIndex < 0) continue;
      withFace += 1;
      for (const k of Object.keys(stages) as Array<keyof StageTimings>) stages[k].push(a.timings[k]);
    }
  }
  console.log(`frames: ${frames.length} single-face photos letterboxed to 640x480, 3 passes; main face found in ${withFace}/${frames.length * 3}`);
  for (const k of Object.keys(stages) as Array<keyof StageTimings>) {
    console.log(`  stage ${k.padEnd(10)} p50 ${ms(percentile(stages[k], 50)).padStart(9)}   p95 ${ms(percentile(stages[k], 95)).padStart(9)}`);
  }
  const cpuStages = process.cpuUsage(cpuStages0);
  const cpuPerFrame = (cpuStages.user + cpuStages.system) / 1000 / (frames.length * 3);
  console.log(
    `  CPU time ${cpuPerFrame.toFixed(1)} ms per analysed frame (all threads): the 2 cores could sustain about ${((2 * 1000) / cpuPerFrame).toFixed(0)} frames/s if nothing else ran`,
  );

  // 3. ONNX descriptor vs face-api.js on TensorFlow.js wasm, identical 150x150 inputs.
  const crops: Float32Array[] = [];
  for (const f of frames.slice(0, 10)) {
    const a = await pipeline.analyse(f);
    if (a.landmarks) {
      const { descriptorCrop } = await import('../src/main/face/pipeline/face-pipeline');
      const b = a.faces[a.mainIndex].box;
      crops.push(descriptorCrop(f, a.landmarks, { width: Math.floor(b.width * f.width), height: Math.floor(b.height * f.height) }).input);
    }
  }
  const onnxTimes: number[] = [];
  for (let i = 0; i < 3; i++) {
    for (const c of crops) {
      const t = performance.now();
      await pipeline.runRecognitionNet(c);
      onnxTimes.push(performance.now() - t);
    }
  }
  await pipeline.close();

  // 4. face-api.js reference (loaded last so its memory does not count above).
  const ref = await loadFaceApiReference();
  for (const c of crops.slice(0, 2)) await ref.descriptor150(c); // warm-up
  const tfTimes: number[] = [];
  for (const c of crops) {
    const t = performance.now();
    await ref.descriptor150(c);
    tfTimes.push(performance.now() - t);
  }
  const onnxMed = percentile(onnxTimes, 50);
  const tfMed = percentile(tfTimes, 50);
  console.log(`descriptor (150x150 -> 128-d), median of ${crops.length} crops: ONNX ${ms(onnxMed)}, face-api.js on TensorFlow.js ${ref.backend} ${ms(tfMed)}: ONNX is ${(tfMed / onnxMed).toFixed(1)}x faster (ratio ONNX/tfjs ${(onnxMed / tfMed).toFixed(3)})`);

  const verdict = (ok: boolean): string => (ok ? 'OK' : 'MISSED');
  console.log(`targets: frame-to-analysis p95 < 150 ms: ${verdict(p95 < 150)} (${ms(p95)}); >= 10 analysed frames/s: ${verdict(fps >= 10)} (${fps.toFixed(1)}); RSS < 400 MB: ${verdict(rssPeak < 400 * 1024 * 1024)} (${mb(rssPeak)})`);
}

if (require.main === module) {
  run().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
