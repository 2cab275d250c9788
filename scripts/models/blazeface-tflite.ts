/**
 * Builds the BlazeFace short-range .tflite the renderer's MediaPipe FaceDetector can load: the model
 * of `@mediapipe/face_detection` (Apache-2.0) has no TFLite model metadata, and tasks-vision refuses a
 * float32 input without NormalizationOptions. This attaches a ModelMetadata flatbuffer ("M001") under
 * the model's `TFLITE_METADATA` entry, leaving every byte of the original model intact.
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';
import * as flatbuffers from 'flatbuffers';

export const FACE_DETECTION_PACKAGE = '@mediapipe/face_detection@0.4.1657300184';
export const SHORT_RANGE_FILE = 'face_detection_short_range.tflite';
export const SHORT_RANGE_SHA256 = '3bc182eb9f33925d9e58b5c8d59308a760f4adea8f282370e428c51212c26633';
export const OUTPUT_FILE = 'blazeface_short_range_meta.tflite';

/**
 * Writes `<outDir>/blazeface_short_range_meta.tflite` and resolves its path. The source model comes
 * from an installed `@mediapipe/face_detection`, else from `npm pack` of the pinned version into a
 * temporary folder (the npm registry is the only network use). Rejects when the source's sha256 is
 * not the pinned one, or when npm cannot fetch it. Not retried.
 */
export async function buildBlazefaceTflite(outDir: string): Promise<string> {
  const source = readSourceModel();
  const digest = crypto.createHash('sha256').update(source).digest('hex');
  if (digest !== SHORT_RANGE_SHA256) {
    throw new Error(`${SHORT_RANGE_FILE} from ${FACE_DETECTION_PACKAGE} has sha256 ${digest}, expected ${SHORT_RANGE_SHA256}; refusing to build from an unknown model`);
  }
  const out = attachMetadata(source, buildBlazefaceMetadata());
  fs.mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, OUTPUT_FILE);
  const temp = `${file}.tmp`;
  fs.writeFileSync(temp, out);
  fs.renameSync(temp, file);
  return file;
}

function readSourceModel(): Buffer {
  try {
    const requireHere = createRequire(path.join(process.cwd(), 'package.json'));
    return fs.readFileSync(requireHere.resolve(`@mediapipe/face_detection/${SHORT_RANGE_FILE}`));
  } catch {
    // Not installed (it is not a dependency of the app): fetch the tarball alone.
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mediapipe-face-detection-'));
  try {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const output = execFileSync(npm, ['pack', FACE_DETECTION_PACKAGE, '--silent', '--pack-destination', dir], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: process.platform === 'win32',
    });
    const tarball = path.join(dir, output.trim().split('\n').pop() ?? '');
    const file = extractFromTarGz(fs.readFileSync(tarball), `package/${SHORT_RANGE_FILE}`);
    if (!file) throw new Error(`${SHORT_RANGE_FILE} is not in the ${FACE_DETECTION_PACKAGE} tarball`);
    return file;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Returns one file's bytes from a .tgz (ustar), or null. */
export function extractFromTarGz(tgz: Buffer, wanted: string): Buffer | null {
  const tar = zlib.gunzipSync(tgz);
  let offset = 0;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start: number, length: number): string => header.subarray(start, start + length).toString('utf8').replace(/\0.*$/s, '');
    const prefix = field(345, 155);
    const name = prefix ? `${prefix}/${field(0, 100)}` : field(0, 100);
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const body = offset + 512;
    if (name === wanted) return Buffer.from(tar.subarray(body, body + size));
    offset = body + Math.ceil(size / 512) * 512;
  }
  return null;
}

/**
 * The ModelMetadata flatbuffer for BlazeFace short range: input "image" (RGB, normalised
 * (x - 127.5) / 127.5, range [-1, 1]); outputs "regressors" [1,896,16] and "classificators" [1,896,1].
 * Absent vectors stay absent (TFLite rejects empty ones in some places).
 */
export function buildBlazefaceMetadata(): Uint8Array {
  const b = new flatbuffers.Builder(1024);
  const floats = (values: number[]): number => {
    b.startVector(4, values.length, 4);
    for (let i = values.length - 1; i >= 0; i -= 1) b.addFloat32(values[i]);
    return b.endVector();
  };
  const offsets = (values: number[]): number => {
    b.startVector(4, values.length, 4);
    for (let i = values.length - 1; i >= 0; i -= 1) b.addOffset(values[i]);
    return b.endVector();
  };

  // ---- input tensor "image"
  const imageName = b.createString('image');
  const imageDescription = b.createString('Input image to be detected: 128x128 RGB.');
  b.startObject(2); // ImageProperties
  b.addFieldInt8(0, 1, 0); // color_space = RGB
  const imageProperties = b.endObject();
  b.startObject(3); // Content
  b.addFieldInt8(0, 2, 0); // content_properties_type = ImageProperties
  b.addFieldOffset(1, imageProperties, 0);
  const imageContent = b.endObject();
  const mean = floats([127.5]);
  const std = floats([127.5]);
  b.startObject(2); // NormalizationOptions
  b.addFieldOffset(0, mean, 0);
  b.addFieldOffset(1, std, 0);
  const normalization = b.endObject();
  b.startObject(2); // ProcessUnit
  b.addFieldInt8(0, 1, 0); // options_type = NormalizationOptions
  b.addFieldOffset(1, normalization, 0);
  const processUnit = b.endObject();
  const processUnits = offsets([processUnit]);
  const statsMax = floats([1]);
  const statsMin = floats([-1]);
  b.startObject(2); // Stats
  b.addFieldOffset(0, statsMax, 0);
  b.addFieldOffset(1, statsMin, 0);
  const stats = b.endObject();
  b.startObject(7); // TensorMetadata
  b.addFieldOffset(0, imageName, 0);
  b.addFieldOffset(1, imageDescription, 0);
  b.addFieldOffset(3, imageContent, 0);
  b.addFieldOffset(4, processUnits, 0);
  b.addFieldOffset(5, stats, 0);
  const inputTensor = b.endObject();

  // ---- outputs
  const output = (name: string, description: string): number => {
    const nameOffset = b.createString(name);
    const descriptionOffset = b.createString(description);
    b.startObject(7);
    b.addFieldOffset(0, nameOffset, 0);
    b.addFieldOffset(1, descriptionOffset, 0);
    return b.endObject();
  };
  const regressors = output('regressors', 'Box and 6 keypoint offsets per anchor, [1, 896, 16].');
  const classificators = output('classificators', 'Face score logit per anchor, [1, 896, 1].');

  const inputs = offsets([inputTensor]);
  const outputs = offsets([regressors, classificators]);
  b.startObject(10); // SubGraphMetadata
  b.addFieldOffset(2, inputs, 0);
  b.addFieldOffset(3, outputs, 0);
  const subgraph = b.endObject();
  const subgraphs = offsets([subgraph]);

  const modelName = b.createString('BlazeFace short range');
  const modelDescription = b.createString('MediaPipe face detection (short range, 128x128), from @mediapipe/face_detection.');
  const version = b.createString('0.4.1657300184');
  const author = b.createString('Google LLC (MediaPipe)');
  const license = b.createString('Apache License. Version 2.0 http://www.apache.org/licenses/LICENSE-2.0.');
  const minParser = b.createString('1.0.0');
  b.startObject(8); // ModelMetadata
  b.addFieldOffset(0, modelName, 0);
  b.addFieldOffset(1, modelDescription, 0);
  b.addFieldOffset(2, version, 0);
  b.addFieldOffset(3, subgraphs, 0);
  b.addFieldOffset(4, author, 0);
  b.addFieldOffset(5, license, 0);
  b.addFieldOffset(7, minParser, 0);
  const root = b.endObject();
  b.finish(root, 'M001');
  return b.asUint8Array();
}

// ------------------------------------------------------------------ TFLite model surgery

/** TFLite `Model` table slots (tensorflow/lite/schema/schema.fbs). */
const MODEL_SLOTS = 8;
const SLOT_VERSION = 0;
const SLOT_BUFFERS = 4;
const SLOT_METADATA = 6;

/**
 * A minimal reader of the flatbuffer layout: enough to find a table's fields and a vector's
 * elements. Offsets are absolute byte positions in `bytes`.
 */
export class FlatReader {
  constructor(readonly bytes: Buffer) {}
  u32(at: number): number {
    return this.bytes.readUInt32LE(at);
  }
  root(): number {
    return this.u32(0);
  }
  /** Absolute position of a table field, or null when absent. */
  field(table: number, slot: number): number | null {
    const vtable = table - this.bytes.readInt32LE(table);
    const vtableSize = this.bytes.readUInt16LE(vtable);
    const entry = 4 + slot * 2;
    if (entry >= vtableSize) return null;
    const offset = this.bytes.readUInt16LE(vtable + entry);
    return offset === 0 ? null : table + offset;
  }
  /** Follows the uoffset stored at `at`. */
  deref(at: number): number {
    return at + this.u32(at);
  }
  /** Absolute positions of a vector-of-tables' elements. */
  tableVector(at: number): number[] {
    const vector = this.deref(at);
    const length = this.u32(vector);
    return Array.from({ length }, (_, i) => this.deref(vector + 4 + i * 4));
  }
  string(at: number): string {
    const s = this.deref(at);
    return this.bytes.subarray(s + 4, s + 4 + this.u32(s)).toString('utf8');
  }
  /** A ubyte vector's bytes (e.g. Buffer.data). */
  byteVector(at: number): Buffer {
    const v = this.deref(at);
    return this.bytes.subarray(v + 4, v + 4 + this.u32(v));
  }
}

/** Growable little-endian byte writer that lays objects out front to back. */
class ForwardWriter {
  private buf = Buffer.alloc(4096);
  length = 0;
  private ensure(extra: number): void {
    if (this.length + extra <= this.buf.length) return;
    const next = Buffer.alloc(Math.max(this.buf.length * 2, this.length + extra));
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }
  align(n: number, from = this.length): void {
    const pad = (n - (from % n)) % n;
    this.ensure(pad);
    this.length += pad;
  }
  u16(value: number): number {
    this.ensure(2);
    this.buf.writeUInt16LE(value, this.length);
    this.length += 2;
    return this.length - 2;
  }
  u32(value: number): number {
    this.ensure(4);
    this.buf.writeUInt32LE(value >>> 0, this.length);
    this.length += 4;
    return this.length - 4;
  }
  i32(value: number): number {
    this.ensure(4);
    this.buf.writeInt32LE(value, this.length);
    this.length += 4;
    return this.length - 4;
  }
  bytes(data: Uint8Array): number {
    this.ensure(data.length);
    this.buf.set(data, this.length);
    this.length += data.length;
    return this.length - data.length;
  }
  patchU32(at: number, value: number): void {
    this.buf.writeUInt32LE(value >>> 0, at);
  }
  /** Stores at `at` the forward uoffset to `target`. */
  link(at: number, target: number): void {
    if (target <= at) throw new Error('flatbuffer offsets must point forward');
    this.patchU32(at, target - at);
  }
  /** A table: a vtable, then soffset + 4-byte fields; returns each present slot's field position. */
  table(slots: number, present: number[]): { table: number; fields: Map<number, number> } {
    this.align(2);
    const fieldCount = present.length;
    const vtableSize = 4 + slots * 2;
    // Place the vtable so that the table after it lands 4-aligned.
    if ((this.length + vtableSize) % 4 !== 0) this.u16(0);
    const vtable = this.length;
    this.u16(vtableSize);
    this.u16(4 + fieldCount * 4);
    const sorted = [...present].sort((a, b) => a - b);
    for (let slot = 0; slot < slots; slot += 1) {
      const index = sorted.indexOf(slot);
      this.u16(index >= 0 ? 4 + index * 4 : 0);
    }
    const table = this.i32(0);
    this.buf.writeInt32LE(table - vtable, table);
    const fields = new Map<number, number>();
    for (const slot of sorted) fields.set(slot, this.u32(0));
    return { table, fields };
  }
  result(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.length));
  }
}

/**
 * Returns a new .tflite: a new root `Model` table in front that reuses the original operator
 * codes, subgraphs, description and signatures (the original file follows, 16-aligned, byte for
 * byte), with one more buffer holding `metadata` and one more `TFLITE_METADATA` metadata entry.
 * Throws if the model already carries TFLITE_METADATA.
 */
export function attachMetadata(model: Buffer, metadata: Uint8Array, name = 'TFLITE_METADATA'): Buffer {
  const r = new FlatReader(model);
  const root = r.root();
  if (model.subarray(4, 8).toString('latin1') !== 'TFL3') throw new Error('not a TFLite model (file identifier is not TFL3)');
  const oldBuffersField = r.field(root, SLOT_BUFFERS);
  const oldBuffers = oldBuffersField === null ? [] : r.tableVector(oldBuffersField);
  const oldMetadataField = r.field(root, SLOT_METADATA);
  const oldMetadata = oldMetadataField === null ? [] : r.tableVector(oldMetadataField);
  for (const entry of oldMetadata) {
    const nameField = r.field(entry, 0);
    if (nameField !== null && r.string(nameField) === name) throw new Error(`the model already has ${name}`);
  }

  const w = new ForwardWriter();
  const rootAt = w.u32(0);
  w.bytes(Buffer.from('TFL3', 'latin1'));

  const present: number[] = [];
  for (let slot = 0; slot < MODEL_SLOTS; slot += 1) {
    if (slot === SLOT_BUFFERS || slot === SLOT_METADATA || r.field(root, slot) !== null) present.push(slot);
  }
  const model2 = w.table(MODEL_SLOTS, present);
  w.link(rootAt, model2.table);

  // Vectors of the new Model: old tables (offsets into the original file, placed last) + one new one.
  w.align(4);
  const buffersVector = w.u32(oldBuffers.length + 1);
  const bufferSlots = [...oldBuffers, -1].map(() => w.u32(0));
  const metadataVector = w.u32(oldMetadata.length + 1);
  const metadataSlots = [...oldMetadata, -1].map(() => w.u32(0));
  w.link(model2.fields.get(SLOT_BUFFERS) as number, buffersVector);
  w.link(model2.fields.get(SLOT_METADATA) as number, metadataVector);

  // The new Buffer table { data } and Metadata table { name, buffer }.
  const bufferTable = w.table(3, [0]);
  w.link(bufferSlots[oldBuffers.length], bufferTable.table);
  const metadataTable = w.table(2, [0, 1]);
  w.patchU32(metadataTable.fields.get(1) as number, oldBuffers.length);
  w.link(metadataSlots[oldMetadata.length], metadataTable.table);
  w.align(4);
  const nameString = w.u32(Buffer.byteLength(name));
  w.bytes(Buffer.from(`${name}\0`, 'utf8'));
  w.link(metadataTable.fields.get(0) as number, nameString);
  // Buffer.data is force_align: 16: the bytes (after the length) start on a 16-byte boundary.
  w.align(16, w.length + 4);
  const dataVector = w.u32(metadata.length);
  w.bytes(metadata);
  w.link(bufferTable.fields.get(0) as number, dataVector);

  // The original model, unchanged, at a 16-aligned base.
  w.align(16);
  const base = w.length;
  w.bytes(model);
  oldBuffers.forEach((table, i) => w.link(bufferSlots[i], base + table));
  oldMetadata.forEach((table, i) => w.link(metadataSlots[i], base + table));
  for (const slot of present) {
    if (slot === SLOT_BUFFERS || slot === SLOT_METADATA) continue;
    const at = r.field(root, slot) as number;
    const fieldPos = model2.fields.get(slot) as number;
    if (slot === SLOT_VERSION) w.patchU32(fieldPos, r.u32(at));
    else w.link(fieldPos, base + r.deref(at));
  }
  return w.result();
}

/** Reads the TFLITE_METADATA flatbuffer back out of a .tflite (for checks), or null. */
export function readAttachedMetadata(model: Buffer, name = 'TFLITE_METADATA'): Buffer | null {
  const r = new FlatReader(model);
  const root = r.root();
  const metadataField = r.field(root, SLOT_METADATA);
  const buffersField = r.field(root, SLOT_BUFFERS);
  if (metadataField === null || buffersField === null) return null;
  const buffers = r.tableVector(buffersField);
  for (const entry of r.tableVector(metadataField)) {
    const nameField = r.field(entry, 0);
    const bufferField = r.field(entry, 1);
    if (nameField === null || r.string(nameField) !== name) continue;
    const index = bufferField === null ? 0 : r.u32(bufferField);
    const dataField = r.field(buffers[index], 0);
    return dataField === null ? null : Buffer.from(r.byteVector(dataField));
  }
  return null;
}

if (typeof __filename !== 'undefined' && process.argv[1] && path.resolve(process.argv[1]) === path.resolve(__filename)) {
  buildBlazefaceTflite(process.argv[2] ?? path.join(process.cwd(), 'models'))
    .then((file) => console.log(`wrote ${file}`))
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    });
}
