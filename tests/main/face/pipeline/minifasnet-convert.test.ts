/**
 * The MiniFASNet conversion in the model build: the strict torch checkpoint reader reads the
 * vendored state dicts and refuses anything a state dict does not contain (foreign globals, other
 * opcodes, truncation, trailing bytes, zip archives); damaged vendored weights stop the build
 * with the file named; the graph uses every weight exactly once.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildMiniFasNet } from '../../../../scripts/models/minifasnet-nets';
import { loadVendoredMiniFasNet, parseUpstreamModelName } from '../../../../scripts/models/minifasnet-vendored';
import { readTorchStateDict, type CheckpointTensor } from '../../../../scripts/models/torch-checkpoint';

const VENDORED = resolve(__dirname, '../../../../models/upstream/minifasnet');
const V2 = '2.7_80x80_MiniFASNetV2.pth';
const V1SE = '4_0_0_80x80_MiniFASNetV1SE.pth';

// ------------------------------------------------------------------ a tiny legacy checkpoint writer

const bytes = (...parts: Array<number[] | Uint8Array | string>): Buffer =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));
const u32 = (n: number): number[] => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
const str = (s: string): Buffer => bytes([0x58, ...u32(Buffer.byteLength(s))], Buffer.from(s, 'utf8'));
const PROTO = [0x80, 0x02];
const STOP = '.';
const MAGIC = bytes(PROTO, [0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19], STOP);
const PROTOCOL_1001 = bytes(PROTO, [0x4d, 0xe9, 0x03], STOP);
const SYS_INFO = bytes(PROTO, '}', str('little_endian'), [0x88], 's', STOP);

/** A legacy checkpoint of one float tensor `name` = values, with `main` replacing the state-dict pickle when given. */
function checkpoint(values: number[], options: { main?: Buffer; trailing?: number } = {}): Buffer {
  const n = values.length;
  const ordered = bytes('ccollections\nOrderedDict\n)R');
  const storage = bytes('(', str('storage'), 'ctorch\nFloatStorage\n', str('0'), str('cpu'), [0x4b, n], 'Nt', 'Q');
  const tensor = bytes('ctorch._utils\n_rebuild_tensor_v2\n', '(', storage, [0x4b, 0], [0x4b, n, 0x85], [0x4b, 1, 0x85], [0x89], ordered, 'tR');
  const main = options.main ?? bytes(PROTO, ordered, '(', str('layer.weight'), tensor, 'u', STOP);
  const keys = bytes(PROTO, ']', '(', str('0'), 'e', STOP);
  const data = Buffer.alloc(8 + 4 * n);
  data.writeBigInt64LE(BigInt(n), 0);
  values.forEach((v, i) => data.writeFloatLE(v, 8 + 4 * i));
  return bytes(MAGIC, PROTOCOL_1001, SYS_INFO, main, keys, data, new Uint8Array(options.trailing ?? 0));
}

describe('torch checkpoint reader', () => {
  it('reads the vendored state dicts: every tensor, with its shape', () => {
    const v2 = readTorchStateDict(readFileSync(join(VENDORED, V2)));
    expect(v2.size).toBe(334);
    const conv1 = v2.get('module.conv1.conv.weight');
    expect(conv1?.shape).toEqual([32, 3, 3, 3]);
    expect(conv1?.data.length).toBe(864);
    expect(v2.get('module.prob.weight')?.shape).toEqual([3, 128]);
    expect(v2.get('module.bn.num_batches_tracked')?.dtype).toBe('int64');
    expect(readTorchStateDict(readFileSync(join(VENDORED, V1SE))).size).toBe(370);
  });

  it('reads a minimal checkpoint written here (the writer below is right)', () => {
    const dict = readTorchStateDict(checkpoint([1.5, -2, 3.25]));
    const tensor = dict.get('layer.weight');
    expect(tensor?.shape).toEqual([3]);
    expect(tensor?.dtype === 'float32' && Array.from(tensor.data)).toEqual([1.5, -2, 3.25]);
  });

  it('refuses a global a state dict never names (code execution in a hostile pickle)', () => {
    const hostile = bytes(PROTO, 'cposix\nsystem\n', '(', str('touch /tmp/pwned'), 'tR', STOP);
    expect(() => readTorchStateDict(checkpoint([1], { main: hostile }))).toThrow(/refused global posix system/);
  });

  it('refuses opcodes a torch state dict does not use', () => {
    const inst = bytes(PROTO, '(', 'iposix\nsystem\n', STOP); // INST: builds an object by class name
    expect(() => readTorchStateDict(checkpoint([1], { main: inst }))).toThrow(/unsupported pickle opcode 0x69/);
    const float = bytes(PROTO, 'G', new Uint8Array(8), STOP); // BINFLOAT
    expect(() => readTorchStateDict(checkpoint([1], { main: float }))).toThrow(/unsupported pickle opcode 0x47/);
  });

  it('refuses damaged files: truncated, trailing bytes, no magic number, a zip archive', () => {
    const vendored = readFileSync(join(VENDORED, V2));
    expect(() => readTorchStateDict(vendored.subarray(0, vendored.length - 100))).toThrow(/truncated checkpoint/);
    expect(() => readTorchStateDict(vendored.subarray(0, 40_000))).toThrow(/truncated checkpoint/);
    expect(() => readTorchStateDict(checkpoint([1, 2], { trailing: 3 }))).toThrow(/3 unexpected bytes after the last storage/);
    expect(() => readTorchStateDict(bytes(PROTOCOL_1001, PROTOCOL_1001))).toThrow(/magic number/);
    expect(() => readTorchStateDict(bytes('PK', [3, 4], new Uint8Array(40)))).toThrow(/zip-format/);
  });
});

describe('vendored MiniFASNet weights', () => {
  it('the crop scale, input size and architecture come from the file name, as upstream parses it', () => {
    expect(parseUpstreamModelName(V2)).toEqual({ cropScale: 2.7, inputHeight: 80, inputWidth: 80, architecture: 'MiniFASNetV2' });
    expect(parseUpstreamModelName(V1SE)).toEqual({ cropScale: 4, inputHeight: 80, inputWidth: 80, architecture: 'MiniFASNetV1SE' });
    expect(() => parseUpstreamModelName('org_1_80x60_MobileFaceNetPv1.pth')).toThrow(/not one the converter builds|no crop scale/);
  });

  it('a damaged or replaced .pth stops the build, naming the file, both hashes and the fix', () => {
    const dir = mkdtempSync(join(tmpdir(), 'minifasnet-vendored-'));
    try {
      for (const f of [V2, 'PROVENANCE.json']) copyFileSync(join(VENDORED, f), join(dir, f));
      expect(loadVendoredMiniFasNet(dir, V2).cropScale).toBe(2.7);
      const data = readFileSync(join(dir, V2));
      data[data.length - 1000] ^= 0x01;
      writeFileSync(join(dir, V2), data);
      expect(() => loadVendoredMiniFasNet(dir, V2)).toThrow(new RegExp(`damaged or replaced: .*${V2.replace(/\./g, '\\.')} has sha256 [0-9a-f]{64}, PROVENANCE.json records a5eb02e1.*restore it from git`));
      rmSync(join(dir, V2));
      expect(() => loadVendoredMiniFasNet(dir, V2)).toThrow(/vendored weights missing/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('builds both graphs with the layers of upstream MiniFASNet.py (SE only in V1SE)', () => {
    const v2 = buildMiniFasNet(readTorchStateDict(readFileSync(join(VENDORED, V2))), 'MiniFASNetV2').opCounts();
    expect(v2).toEqual({ Conv: 49, BatchNormalization: 50, PRelu: 33, Add: 12, Flatten: 1, MatMul: 2 });
    const v1se = buildMiniFasNet(readTorchStateDict(readFileSync(join(VENDORED, V1SE))), 'MiniFASNetV1SE').opCounts();
    expect(v1se).toMatchObject({ Conv: 55, GlobalAveragePool: 3, Sigmoid: 3, Mul: 3, Add: 12 });
  });

  it('refuses a state dict that does not fit the architecture exactly (a missing, an extra or a swapped weight)', () => {
    const fresh = (): Map<string, CheckpointTensor> => readTorchStateDict(readFileSync(join(VENDORED, V2)));
    const missing = fresh();
    missing.delete('module.conv_4.model.2.project.bn.running_var');
    expect(() => buildMiniFasNet(missing, 'MiniFASNetV2')).toThrow(/missing weight conv_4\.model\.2\.project\.bn\.running_var/);
    const extra = fresh();
    extra.set('module.head.weight', { dtype: 'float32', shape: [3], data: new Float32Array(3) });
    expect(() => buildMiniFasNet(extra, 'MiniFASNetV2')).toThrow(/weights this architecture does not use: head\.weight/);
    expect(() => buildMiniFasNet(readTorchStateDict(readFileSync(join(VENDORED, V1SE))), 'MiniFASNetV2')).toThrow(/se_module found in a MiniFASNetV2/);
  });
});
