/**
 * Camera figures for `npm run bench`: frames/s delivered vs requested at 640x480 from a looping
 * face video, the ffmpeg child's CPU (from /proc/<pid>/stat where available) and main's own CPU
 * for reading frames, and the time toPreview takes to turn a 640x480 frame into a 320x240 preview.
 * Run alone with `npx tsx bench/camera.bench.ts`.
 */
import fs from 'node:fs';
import os from 'node:os';
import { createCameraService } from '../src/main/camera/camera-service';
import { toPreview } from '../src/main/camera/preview';
import type { CameraFrame } from '../src/main/camera/camera-service';
import { createMemoryLogger } from '../src/main/logging/logger';
import { makeFaceVideo } from '../tests/support/media/face-video';

const MEASURE_MS = 5000;
/** Linux's USER_HZ; /proc/<pid>/stat counts CPU time in these ticks. */
const CLOCK_TICKS = 100;

/** CPU seconds (user + system) used so far by a process, or null where /proc is not available. */
function processCpuSeconds(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the ")" of the command name: state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

interface Throughput {
  requestedFps: number;
  deliveredFps: number;
  ratio: number;
  ffmpegCpuPercent: number | null;
  mainCpuPercent: number;
}

async function measureThroughput(video: string, fps: number): Promise<Throughput> {
  const camera = createCameraService({ config: { device: `file:${video}`, width: 640, height: 480, fps }, logger: createMemoryLogger() });
  try {
    await camera.start();
    const startedAt = Date.now();
    while (camera.status().state !== 'streaming') {
      if (Date.now() - startedAt > 15_000) throw new Error(`camera did not stream: ${camera.status().message ?? camera.status().state}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    await new Promise((r) => setTimeout(r, 1000)); // settle
    const pid = camera.stats().ffmpegPid;
    const cpu0 = pid !== null ? processCpuSeconds(pid) : null;
    const main0 = process.cpuUsage();
    const frames0 = camera.stats().delivered;
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, MEASURE_MS));
    const seconds = (performance.now() - t0) / 1000;
    const delivered = camera.stats().delivered - frames0;
    const cpu1 = pid !== null ? processCpuSeconds(pid) : null;
    const main = process.cpuUsage(main0);
    const deliveredFps = delivered / seconds;
    return {
      requestedFps: fps,
      deliveredFps,
      ratio: deliveredFps / fps,
      ffmpegCpuPercent: cpu0 !== null && cpu1 !== null ? ((cpu1 - cpu0) / seconds) * 100 : null,
      mainCpuPercent: ((main.user + main.system) / 1e6 / seconds) * 100,
    };
  } finally {
    await camera.stop();
  }
}

function measurePreview(iterations: number): { medianMs: number; p95Ms: number; cpuMsPerCall: number } {
  const rgb = new Uint8Array(640 * 480 * 3);
  for (let i = 0; i < rgb.length; i += 1) rgb[i] = (i * 2654435761) >>> 24;
  const frame: CameraFrame = { seq: 1, width: 640, height: 480, rgb, capturedAt: Date.now() };
  for (let i = 0; i < 50; i += 1) toPreview(frame, 320); // warm up the JIT
  const times: number[] = [];
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < iterations; i += 1) {
    const t = performance.now();
    toPreview(frame, 320);
    times.push(performance.now() - t);
  }
  const cpu = process.cpuUsage(cpu0);
  times.sort((a, b) => a - b);
  return {
    medianMs: times[Math.floor(times.length / 2)] ?? 0,
    p95Ms: times[Math.floor(times.length * 0.95)] ?? 0,
    cpuMsPerCall: (cpu.user + cpu.system) / 1000 / iterations,
  };
}

/** CPU ms a fixed integer loop takes here, to put the toPreview figure in proportion on slow or shared machines. */
function referenceLoopCpuMs(): number {
  const cpu0 = process.cpuUsage();
  let sum = 0;
  for (let i = 0; i < 1e8; i += 1) sum += i;
  const cpu = process.cpuUsage(cpu0);
  if (sum < 0) console.log(sum); // keeps the loop from being optimised away
  return (cpu.user + cpu.system) / 1000;
}

/** Prints the camera figures (throughput at 15 and 30 fps, CPU, toPreview time). */
export async function run(): Promise<void> {
  console.log('camera: building a 640x480 @ 30 fps face video from the shared photos...');
  const video = await makeFaceVideo({ fps: 30, secondsEach: 1, size: { width: 640, height: 480 } });
  const rows: Throughput[] = [];
  for (const fps of [15, 30]) rows.push(await measureThroughput(video, fps));
  console.log(`camera: file source 640x480 RGB24, ${MEASURE_MS / 1000} s per rate`);
  console.log('  requested fps | delivered fps | delivered/requested | ffmpeg CPU (% of a core) | main CPU (% of a core)');
  for (const r of rows) {
    const ffmpegCpu = r.ffmpegCpuPercent === null ? 'n/a' : r.ffmpegCpuPercent.toFixed(1);
    console.log(
      `  ${String(r.requestedFps).padStart(13)} | ${r.deliveredFps.toFixed(1).padStart(13)} | ${r.ratio.toFixed(2).padStart(19)} | ${ffmpegCpu.padStart(24)} | ${r.mainCpuPercent.toFixed(1).padStart(22)}`,
    );
  }
  const preview = measurePreview(500);
  console.log(
    `camera: toPreview 640x480 -> 320x240 (box filter): median ${preview.medianMs.toFixed(3)} ms, p95 ${preview.p95Ms.toFixed(3)} ms wall, ${preview.cpuMsPerCall.toFixed(3)} ms CPU per call (target < 1 ms)`,
  );
  const reference = referenceLoopCpuMs();
  console.log(`camera: CPU speed reference: 1e8 integer adds took ${reference.toFixed(0)} ms CPU here (to compare the toPreview figure across machines)`);
  const [load1] = os.loadavg();
  console.log(`camera: machine load average ${load1?.toFixed(1)} on ${os.cpus().length} cores (wall-clock figures inflate when load exceeds the core count)`);
}

if (process.argv[1] && /camera\.bench\.ts$/.test(process.argv[1])) {
  run().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
