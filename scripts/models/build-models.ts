/**
 * The model build step: converts face-api.js's recognition, 68-landmark and tiny-detector weights
 * (from the @vladmandic/face-api npm package) and the vendored MiniFASNet anti-spoofing weights
 * (models/upstream/minifasnet, SHA-256 checked first) to ONNX in models/, asks the renderer's
 * BlazeFace .tflite builder for its file when it exists, and writes models/manifest.json (sha256
 * of every output + a hash of every input) so `--if-stale` (npm postinstall / pretest) only
 * rebuilds when an input changed. Nothing is downloaded at run time; this works from the
 * repository and node_modules alone (no Python).
 *
 * Usage: tsx scripts/models/build-models.ts [--if-stale] [--out <dir>]
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildLandmarkNet, buildRecognitionNet, buildTinyDetectorNet, loadFaceApiWeights } from './face-api-nets';
import { buildMiniFasNet } from './minifasnet-nets';
import { loadVendoredMiniFasNet, readProvenance } from './minifasnet-vendored';
import { readTorchStateDict } from './torch-checkpoint';
import type { GraphBuilder } from './onnx-graph';

/** Bump when the conversion changes in a way the source hashes would not show. */
export const CONVERTER_VERSION = '1.1.0';

/** The model files the face pipeline loads, by role. */
export const MODEL_FILES = {
  detector: 'face-api-tiny-face-detector.onnx',
  landmarks: 'face-api-landmark68.onnx',
  recognition: 'face-api-recognition.onnx',
  antiSpoofV2: 'anti-spoof-minifasnet-v2.onnx',
  antiSpoofV1SE: 'anti-spoof-minifasnet-v1se.onnx',
} as const;

export interface ModelManifest {
  converterVersion: string;
  inputsHash: string;
  files: Record<string, { sha256: string; bytes: number; source: string; licence: string }>;
}

const ROOT = resolve(__dirname, '..', '..');
const FACE_API_MODEL_DIR = join(ROOT, 'node_modules', '@vladmandic', 'face-api', 'model');
const TFLITE_BUILDER = join(__dirname, 'blazeface-tflite.ts');
/** The vendored upstream anti-spoofing weights (inputs of the build, committed with their licence). */
export const MINIFASNET_DIR = join(ROOT, 'models', 'upstream', 'minifasnet');
const MINIFASNET_MODELS: ReadonlyArray<{ file: string; weights: string }> = [
  { file: MODEL_FILES.antiSpoofV2, weights: '2.7_80x80_MiniFASNetV2.pth' },
  { file: MODEL_FILES.antiSpoofV1SE, weights: '4_0_0_80x80_MiniFASNetV1SE.pth' },
];

const FACE_API_MODELS: Array<{ file: string; weights: string; build: (w: ReturnType<typeof loadFaceApiWeights>) => GraphBuilder; doc: string }> = [
  { file: MODEL_FILES.recognition, weights: 'face_recognition_model', build: buildRecognitionNet, doc: 'face-api.js face recognition net (128-d descriptor)' },
  { file: MODEL_FILES.landmarks, weights: 'face_landmark_68_model', build: buildLandmarkNet, doc: 'face-api.js 68-point face landmark net' },
  { file: MODEL_FILES.detector, weights: 'tiny_face_detector_model', build: buildTinyDetectorNet, doc: 'face-api.js tiny face detector (416)' },
];

function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Hash of everything the outputs depend on: converter sources and the face-api weight files. */
export function computeInputsHash(): string {
  const h = createHash('sha256');
  h.update(`converter ${CONVERTER_VERSION}\n`);
  const converters = ['build-models.ts', 'face-api-nets.ts', 'onnx-graph.ts', 'onnx-subset.proto', 'minifasnet-nets.ts', 'minifasnet-vendored.ts', 'torch-checkpoint.ts'];
  const sources = converters.map((f) => join(__dirname, f));
  if (existsSync(TFLITE_BUILDER)) sources.push(TFLITE_BUILDER);
  for (const m of FACE_API_MODELS) {
    sources.push(join(FACE_API_MODEL_DIR, `${m.weights}-weights_manifest.json`), join(FACE_API_MODEL_DIR, `${m.weights}.bin`));
  }
  sources.push(join(MINIFASNET_DIR, 'PROVENANCE.json'), ...MINIFASNET_MODELS.map((m) => join(MINIFASNET_DIR, m.weights)));
  for (const file of sources) {
    if (!existsSync(file)) throw new Error(`model build input missing: ${file} (is @vladmandic/face-api installed? run npm install; vendored files come from git)`);
    h.update(`${basename(file)}\n`);
    h.update(readFileSync(file));
  }
  return h.digest('hex');
}

/** Reads models/manifest.json, or null when it is absent or unreadable. */
export function readManifest(outDir: string): ModelManifest | null {
  try {
    return JSON.parse(readFileSync(join(outDir, 'manifest.json'), 'utf8')) as ModelManifest;
  } catch {
    return null;
  }
}

/** Why the outputs need rebuilding, or null when they are up to date. */
function staleReason(outDir: string, inputsHash: string): string | null {
  const manifest = readManifest(outDir);
  if (!manifest) return 'no manifest';
  if (manifest.inputsHash !== inputsHash) return 'inputs changed';
  for (const [file, entry] of Object.entries(manifest.files)) {
    const path = join(outDir, file);
    if (!existsSync(path)) return `${file} missing`;
    if (sha256(readFileSync(path)) !== entry.sha256) return `${file} modified`;
  }
  for (const file of Object.values(MODEL_FILES)) if (!manifest.files[file]) return `${file} not in manifest`;
  return null;
}

function writeAtomically(path: string, data: Uint8Array | string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/**
 * Builds every model into outDir and writes the manifest. Resolves with the manifest; rejects
 * when an input is missing or a conversion fails (nothing is retried).
 */
export async function buildModels(outDir: string, log: (line: string) => void = console.log): Promise<ModelManifest> {
  mkdirSync(outDir, { recursive: true });
  const inputsHash = computeInputsHash();
  const files: ModelManifest['files'] = {};
  for (const m of FACE_API_MODELS) {
    const started = Date.now();
    const weights = loadFaceApiWeights(FACE_API_MODEL_DIR, m.weights);
    const graph = m.build(weights);
    const bytes = graph.encode(`${m.doc}, converted from @vladmandic/face-api model/${m.weights} (MIT)`);
    writeAtomically(join(outDir, m.file), bytes);
    files[m.file] = { sha256: sha256(bytes), bytes: bytes.length, source: `@vladmandic/face-api model/${m.weights}`, licence: 'MIT' };
    const ops = Object.entries(graph.opCounts()).map(([op, n]) => `${op} ${n}`).join(', ');
    log(`models: ${m.file} (${(bytes.length / 1e6).toFixed(1)} MB, ${weights.size} tensors; ${ops}) in ${Date.now() - started} ms`);
  }
  const provenance = readProvenance(MINIFASNET_DIR);
  for (const m of MINIFASNET_MODELS) {
    const started = Date.now();
    const vendored = loadVendoredMiniFasNet(MINIFASNET_DIR, m.weights, provenance);
    const stateDict = readTorchStateDict(vendored.bytes);
    const graph = buildMiniFasNet(stateDict, vendored.architecture);
    const doc = `${vendored.architecture} passive anti-spoofing (crop scale ${vendored.cropScale}, ${vendored.inputWidth}x${vendored.inputHeight} BGR 0..255 NCHW, logits: index 1 = real), converted to ONNX by scripts/models from ${vendored.source} (Apache-2.0)`;
    const bytes = graph.encode(doc);
    writeAtomically(join(outDir, m.file), bytes);
    files[m.file] = { sha256: sha256(bytes), bytes: bytes.length, source: vendored.source, licence: 'Apache-2.0' };
    const ops = Object.entries(graph.opCounts()).map(([op, n]) => `${op} ${n}`).join(', ');
    log(`models: ${m.file} (${(bytes.length / 1e6).toFixed(1)} MB, ${stateDict.size} tensors, sha256 of ${m.weights} verified; ${ops}) in ${Date.now() - started} ms`);
  }
  if (existsSync(TFLITE_BUILDER)) {
    const started = Date.now();
    const mod = (await import(pathToFileURL(TFLITE_BUILDER).href)) as { buildBlazefaceTflite?: (dir: string) => Promise<string> };
    if (typeof mod.buildBlazefaceTflite === 'function') {
      const path = await mod.buildBlazefaceTflite(outDir);
      const data = readFileSync(path);
      files[basename(path)] = { sha256: sha256(data), bytes: data.length, source: '@mediapipe/face_detection + TFLite metadata', licence: 'Apache-2.0' };
      log(`models: ${basename(path)} (${(data.length / 1e6).toFixed(1)} MB) in ${Date.now() - started} ms`);
    } else {
      log('models: scripts/models/blazeface-tflite.ts exports no buildBlazefaceTflite(); skipped the renderer .tflite');
    }
  }
  // Deterministic (no timestamps): rebuilding the same inputs leaves the committed manifest unchanged.
  const manifest: ModelManifest = { converterVersion: CONVERTER_VERSION, inputsHash, files };
  writeAtomically(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const outIdx = args.indexOf('--out');
  const outDir = outIdx >= 0 && args[outIdx + 1] ? resolve(args[outIdx + 1]) : join(ROOT, 'models');
  const started = Date.now();
  if (args.includes('--if-stale')) {
    const reason = staleReason(outDir, computeInputsHash());
    if (!reason) {
      console.log(`models: up to date in ${outDir} (manifest matches inputs and outputs)`);
      return;
    }
    console.log(`models: rebuilding (${reason})`);
  }
  await buildModels(outDir);
  console.log(`models: wrote ${join(outDir, 'manifest.json')} in ${Date.now() - started} ms`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`models: build failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
