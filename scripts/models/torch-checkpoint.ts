/**
 * Reads a PyTorch state dict saved in torch's legacy (pre-1.6, non-zip) serialisation without
 * Python: a minimal, strict unpickler that knows only the opcodes and the four globals a float
 * state dict uses, and refuses anything else, so a damaged or hostile .pth never runs code and
 * never converts silently into a wrong model.
 *
 * Legacy layout: five pickles (magic number, protocol version, system info, the state dict with
 * persistent storage ids, the list of storage keys), then each storage in key order as an int64
 * element count followed by its little-endian elements.
 */

/** The magic number torch writes first in a legacy checkpoint. */
const LEGACY_MAGIC = 0x1950a86a20f9469cfc6cn;
const LEGACY_PROTOCOL_VERSION = 1001;

/** The globals a torch state dict may name; anything else is refused. */
const ORDERED_DICT = 'collections OrderedDict';
const REBUILD_TENSOR = 'torch._utils _rebuild_tensor_v2';
const STORAGE_TYPES: Readonly<Record<string, StorageDtype>> = { 'torch FloatStorage': 'float32', 'torch LongStorage': 'int64' };
const ELEMENT_BYTES: Readonly<Record<StorageDtype, number>> = { float32: 4, int64: 8 };

export type StorageDtype = 'float32' | 'int64';

/** One tensor of the state dict, copied out of its storage (contiguous, row-major). */
export type CheckpointTensor =
  | { dtype: 'float32'; shape: number[]; data: Float32Array }
  | { dtype: 'int64'; shape: number[]; data: BigInt64Array };

/** A refused or damaged checkpoint; the message says what and where. */
export class CheckpointError extends Error {
  override readonly name = 'CheckpointError';
}

// ------------------------------------------------------------------ pickle values

interface PickleGlobal {
  kind: 'global';
  name: string;
}
interface PickleTuple {
  kind: 'tuple';
  items: PickleValue[];
}
interface PickleDict {
  kind: 'dict';
  ordered: boolean;
  entries: Map<string, PickleValue>;
}
interface StorageRef {
  kind: 'storage';
  dtype: StorageDtype;
  key: string;
  numel: number;
}
interface TensorRef {
  kind: 'tensor';
  storage: StorageRef;
  offset: number;
  shape: number[];
  stride: number[];
}
type PickleValue = null | boolean | number | bigint | string | PickleValue[] | PickleGlobal | PickleTuple | PickleDict | StorageRef | TensorRef;

const MARK = Symbol('mark');
type StackItem = PickleValue | typeof MARK;

/** Opcodes of pickle protocol 2 that a torch state dict uses (names as in CPython's pickletools). */
const OP = {
  PROTO: 0x80,
  STOP: 0x2e, // .
  MARK: 0x28, // (
  GLOBAL: 0x63, // c
  REDUCE: 0x52, // R
  BUILD: 0x62, // b
  BINPERSID: 0x51, // Q
  BINPUT: 0x71, // q
  LONG_BINPUT: 0x72, // r
  BINGET: 0x68, // h
  LONG_BINGET: 0x6a, // j
  EMPTY_TUPLE: 0x29, // )
  TUPLE: 0x74, // t
  TUPLE1: 0x85,
  TUPLE2: 0x86,
  TUPLE3: 0x87,
  EMPTY_DICT: 0x7d, // }
  SETITEM: 0x73, // s
  SETITEMS: 0x75, // u
  EMPTY_LIST: 0x5d, // ]
  APPEND: 0x61, // a
  APPENDS: 0x65, // e
  BINUNICODE: 0x58, // X
  BININT: 0x4a, // J
  BININT1: 0x4b, // K
  BININT2: 0x4d, // M
  LONG1: 0x8a,
  NONE: 0x4e, // N
  NEWTRUE: 0x88,
  NEWFALSE: 0x89,
} as const;

/** A cursor over the checkpoint bytes that refuses to read past the end. */
class Reader {
  offset = 0;
  private readonly view: DataView;
  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  private need(n: number): void {
    if (this.offset + n > this.bytes.length) throw new CheckpointError(`truncated checkpoint: needs ${n} more bytes at offset ${this.offset} of ${this.bytes.length}`);
  }
  u8(): number {
    this.need(1);
    return this.bytes[this.offset++];
  }
  u16(): number {
    this.need(2);
    const v = this.view.getUint16(this.offset, true);
    this.offset += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.offset, true);
    this.offset += 4;
    return v;
  }
  i32(): number {
    this.need(4);
    const v = this.view.getInt32(this.offset, true);
    this.offset += 4;
    return v;
  }
  i64(): bigint {
    this.need(8);
    const v = this.view.getBigInt64(this.offset, true);
    this.offset += 8;
    return v;
  }
  take(n: number): Uint8Array {
    this.need(n);
    const out = this.bytes.subarray(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }
  line(): string {
    const end = this.bytes.indexOf(0x0a, this.offset);
    if (end < 0 || end - this.offset > 256) throw new CheckpointError(`malformed GLOBAL name at offset ${this.offset}`);
    const text = new TextDecoder('utf-8', { fatal: true }).decode(this.bytes.subarray(this.offset, end));
    this.offset = end + 1;
    return text;
  }
}

/** Little-endian two's-complement integer of LONG1's bytes. */
function signedLittleEndian(bytes: Uint8Array): bigint {
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]);
  if (bytes.length > 0 && bytes[bytes.length - 1] & 0x80) value -= 1n << BigInt(bytes.length * 8);
  return value;
}

const isMark = (item: StackItem | undefined): item is typeof MARK => item === MARK;

function asInt(value: PickleValue, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new CheckpointError(`${what}: expected an integer, got ${describe(value)}`);
  return value;
}

function asIntTuple(value: PickleValue, what: string): number[] {
  if (!isTuple(value)) throw new CheckpointError(`${what}: expected a tuple, got ${describe(value)}`);
  return value.items.map((v) => asInt(v, what));
}

function isTuple(value: PickleValue): value is PickleTuple {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && value.kind === 'tuple';
}

function isDict(value: PickleValue): value is PickleDict {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && value.kind === 'dict';
}

function describe(value: PickleValue | undefined): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'None';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return value.kind === 'global' ? `global ${value.name}` : `a ${value.kind}`;
  return typeof value;
}

/** The persistent id of a storage: ('storage', <storage type>, key, location, numel, view metadata). */
function persistentStorage(pid: PickleValue): StorageRef {
  if (!isTuple(pid) || pid.items.length !== 6 || pid.items[0] !== 'storage') throw new CheckpointError(`unsupported persistent id ${describe(pid)} (only torch storages are allowed)`);
  const [, type, key, location, numel, view] = pid.items;
  if (typeof type !== 'object' || type === null || Array.isArray(type) || type.kind !== 'global') throw new CheckpointError('storage type is not a global');
  const dtype = STORAGE_TYPES[type.name];
  if (!dtype) throw new CheckpointError(`unsupported storage type ${type.name}`);
  if (typeof key !== 'string' || !/^\d{1,32}$/.test(key)) throw new CheckpointError(`malformed storage key ${describe(key)}`);
  if (typeof location !== 'string') throw new CheckpointError(`malformed storage location ${describe(location)}`);
  if (view !== null) throw new CheckpointError(`storage ${key} is a view of another storage (not supported)`);
  return { kind: 'storage', dtype, key, numel: asInt(numel, `storage ${key} size`) };
}

/** torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, backward_hooks). */
function rebuildTensor(args: PickleValue): TensorRef {
  if (!isTuple(args) || args.items.length !== 6) throw new CheckpointError(`_rebuild_tensor_v2 expects 6 arguments, got ${describe(args)}`);
  const [storage, offset, size, stride, requiresGrad, hooks] = args.items;
  if (typeof storage !== 'object' || storage === null || Array.isArray(storage) || storage.kind !== 'storage') throw new CheckpointError('tensor without a storage');
  if (typeof requiresGrad !== 'boolean') throw new CheckpointError('tensor requires_grad is not a boolean');
  if (!isDict(hooks) || hooks.entries.size > 0) throw new CheckpointError('tensor with backward hooks (not supported)');
  return { kind: 'tensor', storage, offset: asInt(offset, 'tensor offset'), shape: asIntTuple(size, 'tensor size'), stride: asIntTuple(stride, 'tensor stride') };
}

/**
 * Runs one pickle from reader.offset to its STOP and returns its value. Only the opcodes in OP and
 * the globals above are accepted; REDUCE may only build an OrderedDict or a tensor, BUILD only
 * set an OrderedDict's attributes (torch's `_metadata`), BINPERSID only reference a storage.
 */
function unpickle(reader: Reader): PickleValue {
  const stack: StackItem[] = [];
  const memo = new Map<number, PickleValue>();
  const pop = (): PickleValue => {
    const item = stack.pop();
    if (item === undefined || isMark(item)) throw new CheckpointError(`pickle stack underflow at offset ${reader.offset}`);
    return item;
  };
  const top = (): PickleValue => {
    const item = stack[stack.length - 1];
    if (item === undefined || isMark(item)) throw new CheckpointError(`pickle stack underflow at offset ${reader.offset}`);
    return item;
  };
  const popToMark = (): PickleValue[] => {
    const items: PickleValue[] = [];
    for (;;) {
      const item = stack.pop();
      if (item === undefined) throw new CheckpointError(`pickle MARK missing at offset ${reader.offset}`);
      if (isMark(item)) return items.reverse();
      items.push(item);
    }
  };
  const setItems = (dict: PickleValue, pairs: PickleValue[]): void => {
    if (!isDict(dict)) throw new CheckpointError(`SETITEM on ${describe(dict)} at offset ${reader.offset}`);
    if (pairs.length % 2 !== 0) throw new CheckpointError(`odd number of dict items at offset ${reader.offset}`);
    for (let i = 0; i < pairs.length; i += 2) {
      const key = pairs[i];
      if (typeof key !== 'string') throw new CheckpointError(`dict key ${describe(key)} is not a string at offset ${reader.offset}`);
      dict.entries.set(key, pairs[i + 1]);
    }
  };
  const memoGet = (index: number): PickleValue => {
    const value = memo.get(index);
    if (value === undefined) throw new CheckpointError(`pickle memo ${index} is empty at offset ${reader.offset}`);
    return value;
  };
  const utf8 = new TextDecoder('utf-8', { fatal: true });

  for (;;) {
    const at = reader.offset;
    const op = reader.u8();
    switch (op) {
      case OP.PROTO: {
        const version = reader.u8();
        if (version !== 2) throw new CheckpointError(`pickle protocol ${version} at offset ${at} (torch's legacy format uses 2)`);
        break;
      }
      case OP.STOP: {
        const value = pop();
        if (stack.length !== 0) throw new CheckpointError(`pickle ends with ${stack.length} values left on the stack at offset ${at}`);
        return value;
      }
      case OP.MARK:
        stack.push(MARK);
        break;
      case OP.GLOBAL: {
        const name = `${reader.line()} ${reader.line()}`;
        if (name !== ORDERED_DICT && name !== REBUILD_TENSOR && !(name in STORAGE_TYPES)) throw new CheckpointError(`refused global ${name} at offset ${at} (not part of a torch state dict)`);
        stack.push({ kind: 'global', name });
        break;
      }
      case OP.REDUCE: {
        const args = pop();
        const callable = pop();
        if (typeof callable !== 'object' || callable === null || Array.isArray(callable) || callable.kind !== 'global') throw new CheckpointError(`REDUCE on ${describe(callable)} at offset ${at}`);
        if (callable.name === ORDERED_DICT) {
          if (!isTuple(args) || args.items.length !== 0) throw new CheckpointError(`OrderedDict called with arguments at offset ${at}`);
          stack.push({ kind: 'dict', ordered: true, entries: new Map() });
        } else if (callable.name === REBUILD_TENSOR) {
          stack.push(rebuildTensor(args));
        } else {
          throw new CheckpointError(`refused call of ${callable.name} at offset ${at}`);
        }
        break;
      }
      case OP.BUILD: {
        const state = pop();
        const target = top();
        if (!isDict(target) || !target.ordered || !isDict(state)) throw new CheckpointError(`BUILD on ${describe(target)} at offset ${at} (only an OrderedDict's metadata is allowed)`);
        for (const key of state.entries.keys()) if (key !== '_metadata') throw new CheckpointError(`BUILD sets attribute ${key} at offset ${at} (only _metadata is allowed)`);
        break;
      }
      case OP.BINPERSID:
        stack.push(persistentStorage(pop()));
        break;
      case OP.BINPUT:
        memo.set(reader.u8(), top());
        break;
      case OP.LONG_BINPUT:
        memo.set(reader.u32(), top());
        break;
      case OP.BINGET:
        stack.push(memoGet(reader.u8()));
        break;
      case OP.LONG_BINGET:
        stack.push(memoGet(reader.u32()));
        break;
      case OP.EMPTY_TUPLE:
        stack.push({ kind: 'tuple', items: [] });
        break;
      case OP.TUPLE:
        stack.push({ kind: 'tuple', items: popToMark() });
        break;
      case OP.TUPLE1:
      case OP.TUPLE2:
      case OP.TUPLE3: {
        const n = op - OP.TUPLE1 + 1;
        const items: PickleValue[] = [];
        for (let i = 0; i < n; i++) items.unshift(pop());
        stack.push({ kind: 'tuple', items });
        break;
      }
      case OP.EMPTY_DICT:
        stack.push({ kind: 'dict', ordered: false, entries: new Map() });
        break;
      case OP.SETITEM: {
        const value = pop();
        const key = pop();
        setItems(top(), [key, value]);
        break;
      }
      case OP.SETITEMS: {
        const pairs = popToMark();
        setItems(top(), pairs);
        break;
      }
      case OP.EMPTY_LIST:
        stack.push([]);
        break;
      case OP.APPEND:
      case OP.APPENDS: {
        const items = op === OP.APPEND ? [pop()] : popToMark();
        const list = top();
        if (!Array.isArray(list)) throw new CheckpointError(`APPEND to ${describe(list)} at offset ${at}`);
        list.push(...items);
        break;
      }
      case OP.BINUNICODE: {
        const length = reader.u32();
        if (length > 1 << 16) throw new CheckpointError(`string of ${length} bytes at offset ${at} (too long for a state dict)`);
        stack.push(utf8.decode(reader.take(length)));
        break;
      }
      case OP.BININT:
        stack.push(reader.i32());
        break;
      case OP.BININT1:
        stack.push(reader.u8());
        break;
      case OP.BININT2:
        stack.push(reader.u16());
        break;
      case OP.LONG1: {
        const n = reader.u8();
        const value = signedLittleEndian(reader.take(n));
        stack.push(value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value);
        break;
      }
      case OP.NONE:
        stack.push(null);
        break;
      case OP.NEWTRUE:
        stack.push(true);
        break;
      case OP.NEWFALSE:
        stack.push(false);
        break;
      default:
        throw new CheckpointError(`unsupported pickle opcode 0x${op.toString(16).padStart(2, '0')} at offset ${at} (not used by a torch state dict)`);
    }
  }
}

/** Copies a contiguous tensor's elements out of its storage bytes. */
function materialise(name: string, tensor: TensorRef, storage: Uint8Array): CheckpointTensor {
  const { shape, stride, offset } = tensor;
  if (shape.length !== stride.length) throw new CheckpointError(`${name}: size and stride disagree`);
  let expected = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    if (shape[d] !== 1 && stride[d] !== expected) throw new CheckpointError(`${name}: not contiguous (stride ${stride.join(',')} for size ${shape.join(',')})`);
    expected *= shape[d];
  }
  const count = expected;
  const bytesPer = ELEMENT_BYTES[tensor.storage.dtype];
  if (offset < 0 || offset + count > tensor.storage.numel) throw new CheckpointError(`${name}: elements ${offset}..${offset + count} outside its storage of ${tensor.storage.numel}`);
  // A fresh, aligned buffer (a Node Buffer's slice() would share memory and alignment).
  const copy = new Uint8Array(count * bytesPer);
  copy.set(storage.subarray(offset * bytesPer, (offset + count) * bytesPer));
  return tensor.storage.dtype === 'float32'
    ? { dtype: 'float32', shape, data: new Float32Array(copy.buffer) }
    : { dtype: 'int64', shape, data: new BigInt64Array(copy.buffer) };
}

/**
 * Parses a legacy-format torch checkpoint holding a state dict of float32/int64 tensors. Keys keep
 * their order; a DataParallel `module.` prefix is kept as saved (the caller decides). Throws a
 * CheckpointError naming the problem for anything else: a zip-format checkpoint, another pickle
 * protocol, an unknown opcode or global, a non-contiguous tensor, a size mismatch, trailing bytes.
 */
export function readTorchStateDict(bytes: Uint8Array): Map<string, CheckpointTensor> {
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) {
    throw new CheckpointError('zip-format torch checkpoint (torch >= 1.6): only the legacy format of the vendored MiniFASNet files is supported');
  }
  const reader = new Reader(bytes);
  const magic = unpickle(reader);
  if (magic !== LEGACY_MAGIC) throw new CheckpointError('not a torch checkpoint (magic number missing)');
  const protocol = unpickle(reader);
  if (protocol !== LEGACY_PROTOCOL_VERSION) throw new CheckpointError(`torch serialisation protocol ${String(protocol)} (expected ${LEGACY_PROTOCOL_VERSION})`);
  const sysInfo = unpickle(reader);
  if (!isDict(sysInfo) || sysInfo.entries.get('little_endian') !== true) throw new CheckpointError('checkpoint is not little-endian');

  const root = unpickle(reader);
  if (!isDict(root)) throw new CheckpointError(`checkpoint holds ${describe(root)}, not a state dict`);
  const tensors = new Map<string, TensorRef>();
  const storages = new Map<string, StorageRef>();
  for (const [name, value] of root.entries) {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || value.kind !== 'tensor') throw new CheckpointError(`state dict entry ${name} is ${describe(value)}, not a tensor`);
    tensors.set(name, value);
    const known = storages.get(value.storage.key);
    if (known && (known.dtype !== value.storage.dtype || known.numel !== value.storage.numel)) throw new CheckpointError(`storage ${value.storage.key} declared twice differently`);
    storages.set(value.storage.key, value.storage);
  }

  const keys = unpickle(reader);
  if (!Array.isArray(keys) || keys.some((k) => typeof k !== 'string')) throw new CheckpointError('storage key list is malformed');
  const data = new Map<string, Uint8Array>();
  for (const key of keys as string[]) {
    const storage = storages.get(key);
    if (!storage) throw new CheckpointError(`storage ${key} is not used by any tensor`);
    const numel = reader.i64();
    if (numel !== BigInt(storage.numel)) throw new CheckpointError(`storage ${key} holds ${numel} elements, the state dict says ${storage.numel}`);
    data.set(key, reader.take(storage.numel * ELEMENT_BYTES[storage.dtype]));
  }
  if (reader.offset !== bytes.length) throw new CheckpointError(`${bytes.length - reader.offset} unexpected bytes after the last storage`);

  const out = new Map<string, CheckpointTensor>();
  for (const [name, tensor] of tensors) {
    const storage = data.get(tensor.storage.key);
    if (!storage) throw new CheckpointError(`${name}: storage ${tensor.storage.key} missing from the checkpoint`);
    out.set(name, materialise(name, tensor, storage));
  }
  return out;
}
