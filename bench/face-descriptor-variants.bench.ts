/**
 * Could a different descriptor recognise more people with one enrolment photo, at the same
 * threshold, without naming anyone wrong? Measures, on the shared photos, the kiosk's descriptor
 * (face-api.js's crop, the one HotelMate's stored encodings are comparable with) against two
 * well-known alternatives for the same recognition net:
 *  - mirror averaging (test-time augmentation): the mean of the descriptors of the crop and of its
 *    mirror image, on both sides, or on the enrolment side only (no cost per frame);
 *  - a rotation-aligned chip: a similarity transform of the 51 inner landmarks onto a frontal mean
 *    face (the canonical face in mean-face-68.ts, padding 0.25), as dlib crops its training faces.
 * For each: the same-person and different-people distances, their separation (d'), recognition
 * with one enrolment photo (every choice) at the thresholds around the default, and the extra time
 * per frame. The figures decide whether the kiosk should switch (README, "Face recognition on the
 * shared photos").
 *
 * Run alone: npx tsx bench/face-descriptor-variants.bench.ts
 */
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { descriptorCrop, euclidean } from '../src/main/face/pipeline/face-pipeline';
import { clipAtImageBorders } from '../src/main/face/pipeline/image-ops';
import { MEAN_FACE_68 } from '../src/main/face/pipeline/mean-face-68';
import type { Point, RgbFrame } from '../src/main/face/pipeline/types';
import { defaultConfig } from '../src/shared/config/schema';
import { analysePhotos, realPipeline, type AnalysedPhoto } from '../tests/main/face/face-photos';
import { onePhotoEnrolment } from '../tests/main/face/recognition-evaluation';
import { percentile } from './stats';

const SIZE = 150;
const THRESHOLDS = [0.46, 0.48, 0.5];
const INNER = Array.from({ length: 51 }, (_, i) => i + 17);
const CHIP_PADDING = 0.25;

const mean = (v: number[]): number => v.reduce((s, x) => s + x, 0) / v.length;
const sd = (v: number[]): number => Math.sqrt(mean(v.map((x) => (x - mean(v)) ** 2)));
const average = (a: Float32Array, b: Float32Array): Float32Array => a.map((v, i) => (v + b[i]) / 2);

/** The 150x150 NHWC input mirrored left to right. */
function mirror(input: Float32Array): Float32Array {
  const out = new Float32Array(input.length);
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const from = (y * SIZE + (SIZE - 1 - x)) * 3;
      const to = (y * SIZE + x) * 3;
      out[to] = input[from];
      out[to + 1] = input[from + 1];
      out[to + 2] = input[from + 2];
    }
  }
  return out;
}

/** Where the inner landmarks of a frontal mean face sit in the chip: their bounding box scaled to the unit square, padded. */
const CHIP_TARGET: Point[] = (() => {
  const xs = INNER.map((i) => MEAN_FACE_68[i][0]);
  const ys = INNER.map((i) => MEAN_FACE_68[i][1]);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const place = (v: number, lo: number, hi: number): number => ((CHIP_PADDING + (v - lo) / (hi - lo)) / (1 + 2 * CHIP_PADDING)) * SIZE;
  return INNER.map((i) => ({ x: place(MEAN_FACE_68[i][0], x0, x1), y: place(MEAN_FACE_68[i][1], y0, y1) }));
})();

/** Least-squares similarity transform (scale, rotation, shift) taking `from` onto `to`: to = [c -s; s c] from + t. */
function similarity(from: Point[], to: Point[]): { c: number; s: number; tx: number; ty: number } {
  const mf = { x: mean(from.map((p) => p.x)), y: mean(from.map((p) => p.y)) };
  const mt = { x: mean(to.map((p) => p.x)), y: mean(to.map((p) => p.y)) };
  let dot = 0;
  let cross = 0;
  let norm = 0;
  from.forEach((p, i) => {
    const fx = p.x - mf.x;
    const fy = p.y - mf.y;
    const tx = to[i].x - mt.x;
    const ty = to[i].y - mt.y;
    dot += fx * tx + fy * ty;
    cross += fx * ty - fy * tx;
    norm += fx * fx + fy * fy;
  });
  const c = dot / norm;
  const s = cross / norm;
  return { c, s, tx: mt.x - (c * mf.x - s * mf.y), ty: mt.y - (s * mf.x + c * mf.y) };
}

/** The rotation-aligned 150x150 chip (bilinear, black outside the frame). */
function alignedChip(frame: RgbFrame, landmarks: Point[]): Float32Array {
  const t = similarity(
    INNER.map((i) => landmarks[i]),
    CHIP_TARGET,
  );
  const det = t.c * t.c + t.s * t.s;
  const out = new Float32Array(SIZE * SIZE * 3);
  const at = (x: number, y: number, ch: number): number => (x < 0 || y < 0 || x >= frame.width || y >= frame.height ? 0 : frame.rgb[(y * frame.width + x) * 3 + ch]);
  for (let v = 0; v < SIZE; v++) {
    for (let u = 0; u < SIZE; u++) {
      const dx = u - t.tx;
      const dy = v - t.ty;
      const x = (t.c * dx + t.s * dy) / det;
      const y = (-t.s * dx + t.c * dy) / det;
      const xi = Math.floor(x);
      const yi = Math.floor(y);
      const fx = x - xi;
      const fy = y - yi;
      for (let ch = 0; ch < 3; ch++) {
        const top = at(xi, yi, ch) * (1 - fx) + at(xi + 1, yi, ch) * fx;
        const bottom = at(xi, yi + 1, ch) * (1 - fx) + at(xi + 1, yi + 1, ch) * fx;
        out[(v * SIZE + u) * 3 + ch] = top * (1 - fy) + bottom * fy;
      }
    }
  }
  return out;
}

/** The kiosk's descriptor crop of a photo's main face (as the pipeline makes it), or null without a face. */
function kioskCrop(photo: AnalysedPhoto): Float32Array | null {
  const { analysis, frame } = photo;
  if (!analysis.landmarks || analysis.mainIndex < 0) return null;
  const rel = analysis.faces[analysis.mainIndex].box;
  const box = { x: rel.x * frame.width, y: rel.y * frame.height, width: rel.width * frame.width, height: rel.height * frame.height };
  return descriptorCrop(frame, analysis.landmarks, clipAtImageBorders(box, frame.width, frame.height)).input;
}

interface Variant {
  name: string;
  /** The photos with this variant's descriptor as probes, and (when different) as enrolment templates. */
  probes: AnalysedPhoto[];
  templates: AnalysedPhoto[];
  extraPerFrame: string;
}

/** Distances from each single-person photo's template to every other photo's probe: same person and different people. */
function crossDistances(variant: Variant): { genuine: number[]; impostor: number[] } {
  const genuine: number[] = [];
  const impostor: number[] = [];
  variant.templates.forEach((template, i) => {
    variant.probes.forEach((probe, j) => {
      if (i === j || template.identity === 'multi-face' || probe.identity === 'multi-face') return;
      if (!template.analysis.descriptor || !probe.analysis.descriptor) return;
      (template.identity === probe.identity ? genuine : impostor).push(euclidean(template.analysis.descriptor, probe.analysis.descriptor));
    });
  });
  return { genuine, impostor };
}

function report(variant: Variant): void {
  const { genuine, impostor } = crossDistances(variant);
  const dPrime = (mean(impostor) - mean(genuine)) / Math.sqrt((sd(genuine) ** 2 + sd(impostor) ** 2) / 2);
  console.log(`\n  ${variant.name} (${variant.extraPerFrame})`);
  console.log(
    `    same person mean ${mean(genuine).toFixed(3)}, worst ${Math.max(...genuine).toFixed(3)}, over 0.48: ${genuine.filter((d) => d > 0.48).length} of ${genuine.length} (template, probe) pairs; different people mean ${mean(impostor).toFixed(3)}, closest ${Math.min(...impostor).toFixed(3)}; d' ${dPrime.toFixed(2)}`,
  );
  const rows = THRESHOLDS.map((threshold) => {
    const one = onePhotoEnrolment(variant.probes, { threshold, margin: defaultConfig().recognition.margin }, variant.templates);
    return `${threshold.toFixed(2)}: ${(one.recognisedRate * 100).toFixed(1)} % (wrong ${one.wrongNames}, strangers ${one.strangersNamed})`;
  });
  console.log(`    one enrolment photo, every choice: ${rows.join('; ')}`);
}

/** Runs the benchmark and prints its figures. */
export async function run(): Promise<void> {
  console.log('\n== descriptor variants on the shared photos: could another crop recognise more with one enrolment photo? ==');
  console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' / ')}`);
  const pipeline = await realPipeline();
  const photos = await analysePhotos();
  const netTimes: number[] = [];
  const mirrorTimes: number[] = [];
  const chipTimes: number[] = [];
  const mirrored = new Map<AnalysedPhoto, Float32Array>();
  const chipped = new Map<AnalysedPhoto, Float32Array>();
  for (const photo of photos) {
    const crop = kioskCrop(photo);
    if (!crop || !photo.analysis.descriptor || !photo.analysis.landmarks) continue;
    let t0 = performance.now();
    const flipped = mirror(crop);
    mirrorTimes.push(performance.now() - t0);
    t0 = performance.now();
    mirrored.set(photo, average(photo.analysis.descriptor, await pipeline.runRecognitionNet(flipped)));
    netTimes.push(performance.now() - t0);
    t0 = performance.now();
    const chip = alignedChip(photo.frame, photo.analysis.landmarks);
    chipTimes.push(performance.now() - t0);
    chipped.set(photo, await pipeline.runRecognitionNet(chip));
  }
  const using = (descriptors: Map<AnalysedPhoto, Float32Array>): AnalysedPhoto[] =>
    photos.map((p) => ({ ...p, analysis: { ...p.analysis, descriptor: descriptors.get(p) ?? p.analysis.descriptor } }));
  const net = percentile(netTimes, 50).toFixed(1);
  const variants: Variant[] = [
    { name: "the kiosk's descriptor (face-api.js crop)", probes: photos, templates: photos, extraPerFrame: 'no extra time' },
    { name: 'mirror-averaged, probe and template', probes: using(mirrored), templates: using(mirrored), extraPerFrame: `+1 net run per frame: p50 ${net} ms + mirror ${percentile(mirrorTimes, 50).toFixed(2)} ms` },
    { name: 'mirror-averaged template only', probes: photos, templates: using(mirrored), extraPerFrame: 'no extra time per frame; one net run more per enrolment capture' },
    {
      name: `rotation-aligned chip (padding ${CHIP_PADDING})`,
      probes: using(chipped),
      templates: using(chipped),
      extraPerFrame: `+1 net run per frame (HotelMate still needs the face-api.js descriptor): p50 ${net} ms + warp ${percentile(chipTimes, 50).toFixed(1)} ms`,
    },
  ];
  for (const variant of variants) report(variant);
  await pipeline.close();
}

if (typeof __filename !== 'undefined' && process.argv[1] && path.resolve(process.argv[1]) === path.resolve(__filename)) {
  run().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
