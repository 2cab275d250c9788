/**
 * Passive liveness benchmark (MiniFASNet in the face pipeline, single frame): the score
 * distributions per folder and attack type of ../shared/data/spoof, APCER (attacks passed) and
 * BPCER (real faces flagged) at the operating point, the false-alarm rate on the real photos of
 * ../shared/data/faces, the extra time per frame, and the box-geometry measurement behind the
 * choice of the RetinaFace-like crop box; then the whole decision over an attempt's frames
 * (liveness-decision.ts: the median of the gated frames, and what each mode does with it).
 *
 * Run alone: npx tsx bench/liveness.bench.ts (add --timing for the worker latency figures only)
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SPOOF_THRESHOLD } from '../src/main/face/anti-spoof';
import { createFacePipeline, FACE_MODEL_FILES } from '../src/main/face/pipeline/face-pipeline';
import { retinaFaceLikeBox, type IntBox } from '../src/main/face/pipeline/liveness-crop';
import { loadLivenessNets } from '../src/main/face/pipeline/liveness-net';
import type { FaceAnalysis, LivenessScore, Point, RgbFrame } from '../src/main/face/pipeline/types';
import { countsForLiveness, createTrackLiveness, livenessStep, MIN_SCORED_FRAMES, passiveVerdict } from '../src/main/face/liveness-decision';
import { createTurnChallenge } from '../src/main/face/liveness-challenge';
import { createFaceWorkerClient } from '../src/main/face/worker/face-worker-client';
import { createMemoryLogger } from '../src/main/logging/logger';
import { decodePhoto, decodePhotoAsFrame, listPhotos } from '../tests/support/media/photos';
import { decodeUpright, listSpoofPhotos, SPOOF_DATA_MISSING, spoofDir, spoofFolders } from '../tests/main/face/pipeline/spoof-data';
import { percentile } from './stats';

const MODELS_DIR = resolve(__dirname, '..', 'models');
/** Published RetinaFace (ResNet-50) result on deepface's img1.jpg = person-a-8.jpg: box x1, y1, x2, y2. */
const RETINAFACE_REFERENCE = { file: 'person-a-8.jpg', box: [155, 81, 434, 443] as const };

interface Sample {
  group: string;
  label: 'real' | 'spoof';
  /** Scores with the kiosk's box (from the landmarks) and with the tiny detector's own box; null when no face was recognisable. */
  landmarks: number | null;
  detector: number | null;
  v2: number | null;
  v1se: number | null;
  livenessMs: number;
  totalMs: number;
  /** A 640x480 frame, like the kiosk's camera (timings are quoted for these only). */
  cameraSized: boolean;
  /** The capture the frame belongs to (frames of one session or video), for the whole decision. */
  capture: string;
  /** The worker's score, and whether the pose and size gates let it count. */
  score: LivenessScore;
  gated: boolean;
}

/** Frames in one attempt at the kiosk: about a second of analysed video (agreeFrames is 3, the median keeps 15). */
const ATTEMPT_FRAMES = 5;

/** The folders whose files are frames of longer captures, and the frame number in their names (other folders hold single photos). */
const FRAME_NUMBER: Record<string, RegExp> = { nuaa_imironica: /_\d+$/, video_lestari15: /_f\d+$/ };

/** The capture of a file: its name without the frame number (`real_0001_00_00_01_127` -> `real_0001_00_00_01`, `real_f0003` -> `real`), or the photo itself. */
function captureOf(folder: string, file: string): string {
  const name = file.replace(/\.[a-z]+$/i, '');
  const frame = FRAME_NUMBER[folder];
  return `${folder}/${frame ? name.replace(frame, '') : name}`;
}

/**
 * The attempts of a group: consecutive frames of one capture, ATTEMPT_FRAMES at a time. A single
 * photo is one attempt of that frame held still (repeated MIN_SCORED_FRAMES times, as a held
 * photo gives the same score frame after frame).
 */
function attemptsOf(samples: Sample[]): Sample[][] {
  const byCapture = new Map<string, Sample[]>();
  for (const sample of samples) byCapture.set(sample.capture, [...(byCapture.get(sample.capture) ?? []), sample]);
  const attempts: Sample[][] = [];
  for (const frames of byCapture.values()) {
    if (frames.length === 1) attempts.push(Array<Sample>(MIN_SCORED_FRAMES).fill(frames[0]));
    else for (let i = 0; i < frames.length; i += ATTEMPT_FRAMES) attempts.push(frames.slice(i, i + ATTEMPT_FRAMES));
  }
  return attempts;
}

/** Whole-decision figures per group: what each mode does with each attempt. */
function decisionReport(samples: Sample[], groups: string[]): void {
  console.log(`
whole decision per attempt (${ATTEMPT_FRAMES} frames of one capture, or one photo held still; median p(real) of the gated frames, >= ${MIN_SCORED_FRAMES} needed):`);
  console.log('  passive: APCER = attacks named (flagged or not), BPCER = real faces refused | challenge when in doubt: APCER = attacks named without a challenge, and real faces asked to turn their head');
  const modes = ['passive', 'challenge_when_doubtful'] as const;
  for (const group of groups) {
    const attempts = attemptsOf(samples.filter((s) => s.group === group));
    if (attempts.length === 0) continue;
    const real = group.endsWith(': real');
    let unjudged = 0;
    const counts = { passive: 0, challenge_when_doubtful: 0, asked: 0 };
    for (const attempt of attempts) {
      const verdict = passiveVerdict(attempt.filter((s) => s.gated).map((s) => s.score));
      if (verdict.kind === 'pending') {
        unjudged += 1;
        continue;
      }
      for (const mode of modes) {
        const step = livenessStep(mode, verdict);
        if (real ? step.kind === 'refuse' : step.kind === 'accept') counts[mode] += 1;
        if (real && mode === 'challenge_when_doubtful' && step.kind === 'challenge') counts.asked += 1;
      }
    }
    const judged = attempts.length - unjudged;
    const passive = `${real ? 'BPCER' : 'APCER'} ${pct(counts.passive, judged)}`;
    const doubtful = real ? `asked to turn ${pct(counts.asked, judged)}` : `APCER ${pct(counts.challenge_when_doubtful, judged)}`;
    console.log(`  ${group.padEnd(62)} attempts ${String(attempts.length).padStart(3)} (${unjudged} not judged: too few gated frames) | passive ${passive} | challenge when in doubt ${doubtful}`);
  }
}

/** labels.csv attack types, shortened to a group name. */
function attackGroup(folder: string, label: string, attackType: string): string {
  if (label === 'real') return `${folder}: real`;
  const type = attackType.replace(/\s*\[hand-labelled\]/, '').replace(/\s*\(.*$/, '').replace(/,.*$/, '');
  return `${folder}: ${type}`;
}

/** The tiny detector's box of the main face in upstream's integer form. */
function detectorBox(analysis: FaceAnalysis): IntBox {
  const b = analysis.faces[analysis.mainIndex].box;
  const x = b.x * analysis.width;
  const y = b.y * analysis.height;
  return { x: Math.trunc(x), y: Math.trunc(y), width: Math.trunc(b.width * analysis.width + 1), height: Math.trunc(b.height * analysis.height + 1) };
}

const f3 = (v: number): string => (Number.isNaN(v) ? '  -  ' : v.toFixed(3));
const pct = (n: number, d: number): string => (d === 0 ? '-' : `${((100 * n) / d).toFixed(1)} % (${n}/${d})`);

function quantiles(values: number[]): string {
  return [0, 5, 10, 25, 50, 75, 90, 95, 100].map((p) => f3(p === 0 ? Math.min(...values) : percentile(values, p))).join(' ');
}

/** Landmark extents of the reference photo against RetinaFace's published box and the tiny detector's box. */
function geometryReport(analysis: FaceAnalysis, frame: RgbFrame): void {
  const landmarks = analysis.landmarks as Point[];
  const xs = landmarks.map((p) => p.x);
  const ys = landmarks.map((p) => p.y);
  const lm = { x1: Math.min(...xs), y1: Math.min(...ys), x2: Math.max(...xs), y2: Math.max(...ys) };
  const lmH = lm.y2 - lm.y1;
  const lmW = lm.x2 - lm.x1;
  const [rx1, ry1, rx2, ry2] = RETINAFACE_REFERENCE.box;
  const t = analysis.faces[analysis.mainIndex].box;
  const tiny = { x1: t.x * frame.width, y1: t.y * frame.height, x2: (t.x + t.width) * frame.width, y2: (t.y + t.height) * frame.height };
  const ours = retinaFaceLikeBox(landmarks);
  const fmt = (b: { x1: number; y1: number; x2: number; y2: number }): string => [b.x1, b.y1, b.x2, b.y2].map((v) => v.toFixed(0)).join(',');
  console.log(`box geometry on ${RETINAFACE_REFERENCE.file} (deepface img1.jpg, the one shared photo with a published RetinaFace box ${RETINAFACE_REFERENCE.box.join(',')}):`);
  console.log(`  tiny detector box ${fmt(tiny)}: width ${((tiny.x2 - tiny.x1) / (rx2 - rx1)).toFixed(2)}x, height ${((tiny.y2 - tiny.y1) / (ry2 - ry1)).toFixed(2)}x RetinaFace's, top ${(tiny.y1 - ry1).toFixed(0)} px lower`);
  console.log(`  68-landmark extent ${fmt(lm)}: RetinaFace's left/right/bottom are ${((rx1 - lm.x1) / lmW).toFixed(3)}/${((rx2 - lm.x2) / lmW).toFixed(3)}/${((ry2 - lm.y2) / lmH).toFixed(3)} of it away, its top ${((lm.y1 - ry1) / lmH).toFixed(3)} of its height above`);
  console.log(`  kiosk box (landmarks + forehead) x,y,w,h ${ours.x},${ours.y},${ours.width},${ours.height} vs RetinaFace ${rx1},${ry1},${rx2 - rx1 + 1},${ry2 - ry1 + 1}`);
}

const CAMERA_FPS = 30;
const WORKER_SECONDS = 10;

/**
 * Frame -> analysis latency through the face worker fed at camera rate (frames with a face), as
 * bench/face-pipeline.bench.ts measures it: the figure the 50 ms budget is about.
 */
async function workerLatencies(modelsDir: string, frames: RgbFrame[]): Promise<number[]> {
  const client = await createFaceWorkerClient({ modelsDir, logger: createMemoryLogger() });
  const latencies: number[] = [];
  const pending: Array<Promise<void>> = [];
  const started = performance.now();
  for (let i = 0; performance.now() - started < WORKER_SECONDS * 1000; i++) {
    const frame = frames[i % frames.length];
    const submitted = performance.now();
    pending.push(
      client.analyse({ ...frame, rgb: frame.rgb.slice() }).then((a) => {
        if (a && a.mainIndex >= 0) latencies.push(performance.now() - submitted);
      }),
    );
    await new Promise((r) => setTimeout(r, 1000 / CAMERA_FPS));
  }
  await Promise.all(pending);
  await client.close();
  return latencies;
}

/** The worker's frame -> analysis latency with and without the anti-spoof nets (same frames, one after the other). */
export async function budgetReport(): Promise<void> {
  const frames = listPhotos()
    .filter((p) => p.identity !== 'multi-face')
    .map((p) => decodePhotoAsFrame(p.file));
  const withoutAntiSpoof = mkdtempSync(join(tmpdir(), 'bench-no-antispoof-'));
  try {
    for (const file of [...Object.values(FACE_MODEL_FILES), 'manifest.json']) copyFileSync(join(MODELS_DIR, file), join(withoutAntiSpoof, file));
    const without = await workerLatencies(withoutAntiSpoof, frames);
    const withLiveness = await workerLatencies(MODELS_DIR, frames);
    const line = (name: string, v: number[]): string => `${name}: p50 ${percentile(v, 50).toFixed(1)} ms, p95 ${percentile(v, 95).toFixed(1)} ms (n=${v.length})`;
    console.log(`\nframe -> analysis through the worker at ${CAMERA_FPS} fps offered, ${WORKER_SECONDS} s each, 640x480 frames with a face (load average now ${loadavg()[0].toFixed(1)}):`);
    console.log(`  ${line('without the anti-spoof nets', without)}`);
    console.log(`  ${line('with them (as shipped)', withLiveness)}; target p95 < 50 ms: ${percentile(withLiveness, 95) < 50 ? 'OK' : 'MISSED'}`);
  } finally {
    rmSync(withoutAntiSpoof, { recursive: true, force: true });
  }
}

/** Runs the benchmark and prints its figures. */
export async function run(): Promise<void> {
  console.log('\n== passive liveness (MiniFASNet V2 2.7x + V1SE 4.0x, single frame) ==');
  console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' / ')} (timings are only comparable at a low load)`);
  const dir = spoofDir();
  if (!dir) {
    console.log(SPOOF_DATA_MISSING);
    return;
  }
  const pipeline = await createFacePipeline({ modelsDir: MODELS_DIR, logger: createMemoryLogger() });
  const nets = await loadLivenessNets({ modelsDir: MODELS_DIR, hashes: {}, threads: 1 });
  const samples: Sample[] = [];
  const unrecognisable = new Map<string, number>();
  const analyseOne = async (group: string, label: 'real' | 'spoof', frame: RgbFrame, capture: string): Promise<void> => {
    const analysis = await pipeline.analyse(frame);
    if (!analysis.liveness || !analysis.landmarks) {
      unrecognisable.set(group, (unrecognisable.get(group) ?? 0) + 1);
      return;
    }
    const detector = await nets.score(frame, detectorBox(analysis));
    const { v2, v1se, real } = analysis.liveness;
    samples.push({
      group, label, landmarks: real, detector: detector?.real ?? null, v2, v1se, livenessMs: analysis.timings.liveness, totalMs: analysis.timings.total,
      cameraSized: frame.width === 640 && frame.height === 480, capture, score: analysis.liveness, gated: analysis.quality !== null && countsForLiveness(analysis.quality),
    });
  };

  geometryReport(await pipeline.analyse(decodePhoto(RETINAFACE_REFERENCE.file)), decodePhoto(RETINAFACE_REFERENCE.file));
  for (const frame of listPhotos().slice(0, 3).map((p) => decodePhotoAsFrame(p.file))) await pipeline.analyse(frame); // warm-up
  for (const folder of spoofFolders(dir)) {
    for (const photo of listSpoofPhotos(folder, dir)) await analyseOne(attackGroup(folder, photo.label, photo.attackType), photo.label, decodeUpright(photo), captureOf(folder, photo.file));
  }
  for (const photo of listPhotos()) await analyseOne('faces (640x480 letterboxed): real', 'real', decodePhotoAsFrame(photo.file), `faces/${photo.file}`);
  await nets.close();
  await pipeline.close();

  const groups = [...new Set([...samples.map((s) => s.group), ...unrecognisable.keys()])].sort();
  const scoresOf = (group: string, key: 'landmarks' | 'detector' | 'v2' | 'v1se'): number[] => samples.filter((s) => s.group === group).map((s) => s[key] ?? NaN);
  console.log('\ncombined p(real) per group (frames with a recognisable face; the kiosk judges no others): min p5 p10 p25 p50 p75 p90 p95 max');
  for (const group of groups) {
    const values = scoresOf(group, 'landmarks');
    console.log(`  ${group.padEnd(62)} n=${String(values.length).padStart(3)} (${unrecognisable.get(group) ?? 0} no face)  ${values.length ? quantiles(values) : ''}`);
  }
  console.log('per net, p50 / p10 (real) or p50 / p90 (attacks): MiniFASNetV2 2.7x | MiniFASNetV1SE 4.0x');
  for (const group of groups) {
    const real = group.endsWith(': real');
    const tail = real ? 10 : 90;
    const v2 = scoresOf(group, 'v2');
    const v1se = scoresOf(group, 'v1se');
    if (v2.length) console.log(`  ${group.padEnd(62)} ${f3(percentile(v2, 50))} / ${f3(percentile(v2, tail))} | ${f3(percentile(v1se, 50))} / ${f3(percentile(v1se, tail))}`);
  }

  for (const threshold of [SPOOF_THRESHOLD, 0.5]) {
    console.log(`\nat p(real) < ${threshold.toFixed(3)}${threshold === SPOOF_THRESHOLD ? ' (the operating point, SPOOF_THRESHOLD)' : ' (for comparison)'}: APCER = attacks passed, BPCER = real faces flagged`);
    for (const key of ['landmarks', 'detector'] as const) {
      console.log(`  crop box: ${key === 'landmarks' ? 'RetinaFace-like from the landmarks (shipped)' : 'tiny detector box as is (for comparison)'}`);
      for (const group of groups) {
        const values = scoresOf(group, key);
        if (!values.length) continue;
        const real = group.endsWith(': real');
        const errors = values.filter((v) => (real ? v < threshold : v >= threshold)).length;
        console.log(`    ${group.padEnd(62)} ${real ? 'BPCER' : 'APCER'} ${pct(errors, values.length)}`);
      }
    }
  }

  decisionReport(samples, groups);
  decisionTimeReport();

  const timed = samples.filter((s) => s.cameraSized);
  const liveness = timed.map((s) => s.livenessMs);
  const totals = timed.map((s) => s.totalMs);
  await budgetReport();
  console.log(`\nextra time per analysed 640x480 frame with a face (both nets, crops included), n=${liveness.length}: p50 ${percentile(liveness, 50).toFixed(1)} ms, p95 ${percentile(liveness, 95).toFixed(1)} ms; whole analysis p50 ${percentile(totals, 50).toFixed(1)} ms, p95 ${percentile(totals, 95).toFixed(1)} ms (in process)`);
}

/**
 * The decision's own time per frame, beside the nets: a track's sample added, its verdict (median of
 * up to 15 frames) read, and a running head-turn challenge stepped. Pure arithmetic.
 */
export function decisionTimeReport(frames = 100_000): void {
  const track = createTrackLiveness();
  const quality = { sizeFraction: 0.3, clipped: false, yawDeg: 2, pitchDeg: 1 } as Parameters<typeof countsForLiveness>[0];
  let challenge = createTurnChallenge({ action: 'turn_left', staffId: 7, startedAt: 0 });
  const t0 = performance.now();
  for (let i = 0; i < frames; i += 1) {
    const real = 0.5 + 0.5 * Math.sin(i);
    track.add({ staffId: 7, quality, score: { real, v2: real, v1se: real } });
    track.verdictFor(7);
    if (challenge.state().phase === 'failed' || challenge.state().phase === 'passed') challenge = createTurnChallenge({ action: 'turn_left', staffId: 7, startedAt: i * 70 });
    challenge.step({ at: i * 70, pose: { yawDeg: (i % 7) - 3, aspect: 0.9 }, staffId: 7 });
  }
  const perFrame = ((performance.now() - t0) * 1000) / frames;
  console.log(`
the decision over frames and the challenge, per frame (${frames} frames, in process): ${perFrame.toFixed(2)} µs (load average ${loadavg()[0].toFixed(1)})`);
}

if (require.main === module) {
  (process.argv.includes('--timing') ? budgetReport().then(() => decisionTimeReport()) : run()).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
