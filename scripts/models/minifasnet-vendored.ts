/**
 * The vendored MiniFASNet weights in models/upstream/minifasnet: reads PROVENANCE.json, checks
 * every .pth against its recorded SHA-256 before anything is converted, and derives the crop
 * scale, input size and architecture from the file name exactly as upstream's parse_model_name
 * does ("2.7_80x80_MiniFASNetV2.pth" -> scale 2.7, 80x80, MiniFASNetV2).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MiniFasNetArchitecture } from './minifasnet-nets';

/** What PROVENANCE.json records for one vendored file. */
interface ProvenanceFile {
  upstreamPath: string;
  architecture: string;
  cropScale: number;
  bytes: number;
  sha256: string;
}

export interface MiniFasNetProvenance {
  repository: string;
  commit: string;
  licence: string;
  files: Record<string, ProvenanceFile>;
}

/** One vendored checkpoint, verified. */
export interface VendoredMiniFasNet {
  /** File name in the vendored folder. */
  file: string;
  bytes: Uint8Array;
  architecture: MiniFasNetArchitecture;
  /** Crop side = face box side x this (from the file name). */
  cropScale: number;
  inputWidth: number;
  inputHeight: number;
  /** "repository@commit path", for the manifest and the ONNX doc string. */
  source: string;
}

const ARCHITECTURES: readonly MiniFasNetArchitecture[] = ['MiniFASNetV2', 'MiniFASNetV1SE'];

/**
 * upstream's parse_model_name: `<scale>[_<shiftx>_<shifty>]_<h>x<w>_<architecture>.pth`; the first
 * field is the crop scale ("4" in "4_0_0_..." is 4.0), the last but one the input size.
 */
export function parseUpstreamModelName(file: string): { cropScale: number; inputHeight: number; inputWidth: number; architecture: MiniFasNetArchitecture } {
  const match = /^(.+)_(\d+)x(\d+)_([A-Za-z0-9]+)\.pth$/.exec(file);
  if (!match) throw new Error(`${file}: not an upstream MiniFASNet file name (<scale>_<h>x<w>_<architecture>.pth)`);
  const [, patch, h, w, architecture] = match;
  const scaleField = patch.split('_')[0];
  const cropScale = Number(scaleField);
  if (!/^\d+(\.\d+)?$/.test(scaleField) || !(cropScale > 0)) throw new Error(`${file}: no crop scale in the name (upstream's "org" full-image models are not supported)`);
  if (!(ARCHITECTURES as readonly string[]).includes(architecture)) throw new Error(`${file}: architecture ${architecture} is not one the converter builds (${ARCHITECTURES.join(', ')})`);
  return { cropScale, inputHeight: Number(h), inputWidth: Number(w), architecture: architecture as MiniFasNetArchitecture };
}

/** Reads PROVENANCE.json of the vendored folder. */
export function readProvenance(dir: string): MiniFasNetProvenance {
  const path = join(dir, 'PROVENANCE.json');
  if (!existsSync(path)) throw new Error(`${path} is missing: the vendored MiniFASNet weights cannot be verified (restore models/upstream/minifasnet from git)`);
  return JSON.parse(readFileSync(path, 'utf8')) as MiniFasNetProvenance;
}

/**
 * Loads and verifies one vendored checkpoint: present, SHA-256 as recorded in PROVENANCE.json,
 * file name consistent with the recorded architecture and scale. Throws a message naming the
 * file and the fix otherwise.
 */
export function loadVendoredMiniFasNet(dir: string, file: string, provenance = readProvenance(dir)): VendoredMiniFasNet {
  const recorded = provenance.files[file];
  if (!recorded) throw new Error(`${file} is not listed in ${join(dir, 'PROVENANCE.json')}`);
  const path = join(dir, file);
  if (!existsSync(path)) throw new Error(`vendored weights missing: ${path} (restore models/upstream/minifasnet from git)`);
  const bytes = readFileSync(path);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== recorded.sha256) {
    throw new Error(`vendored weights damaged or replaced: ${path} has sha256 ${sha256}, PROVENANCE.json records ${recorded.sha256} (restore it from git)`);
  }
  const parsed = parseUpstreamModelName(file);
  if (parsed.architecture !== recorded.architecture || parsed.cropScale !== recorded.cropScale) {
    throw new Error(`${file}: PROVENANCE.json says ${recorded.architecture} at scale ${recorded.cropScale}, the file name says ${parsed.architecture} at ${parsed.cropScale}`);
  }
  return { file, bytes, ...parsed, source: `${provenance.repository.replace('https://github.com/', '')}@${provenance.commit.slice(0, 7)} ${recorded.upstreamPath}` };
}
