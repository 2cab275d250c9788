/**
 * A tiny ONNX graph writer (opset 13) with static NCHW shape tracking, so the model build step can
 * turn face-api.js's TensorFlow.js weights into ONNX files without Python or any downloaded tool.
 */
import { join } from 'node:path';
import protobuf from 'protobufjs';

/** ONNX TensorProto.DataType values used here. */
const FLOAT = 1;
const INT64 = 7;
/** AttributeProto.AttributeType values used here. */
const ATTR_FLOAT = 1;
const ATTR_INT = 2;
const ATTR_INTS = 7;

/** A tensor in the graph being built: its name and its (batch-less) NCHW shape. */
export interface Tensor {
  name: string;
  c: number;
  h: number;
  w: number;
}

type AttrValue = number | number[] | { float: number };
interface EncodedAttr {
  name: string;
  type: number;
  i?: number;
  f?: number;
  ints?: number[];
}

function toAttr(name: string, value: AttrValue): EncodedAttr {
  if (Array.isArray(value)) return { name, type: ATTR_INTS, ints: value };
  if (typeof value === 'object') return { name, type: ATTR_FLOAT, f: value.float };
  return { name, type: ATTR_INT, i: value };
}

function valueInfo(name: string, dims: Array<number | string>): object {
  return {
    name,
    type: {
      tensorType: {
        elemType: FLOAT,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

/** TensorFlow 'SAME' padding for one axis: [before, after] (the odd extra pixel goes after). */
export function samePads(size: number, kernel: number, stride: number): [number, number] {
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + kernel - size, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/** Output size of a window op with explicit padding. */
function outSize(size: number, kernel: number, stride: number, before: number, after: number): number {
  return Math.floor((size + before + after - kernel) / stride) + 1;
}

/** TF conv filter [kh, kw, in, out] -> ONNX [out, in, kh, kw]. */
export function tfConvToOnnx(src: Float32Array, kh: number, kw: number, cin: number, cout: number): Float32Array {
  const dst = new Float32Array(src.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < cin; i++)
        for (let o = 0; o < cout; o++) dst[((o * cin + i) * kh + y) * kw + x] = src[((y * kw + x) * cin + i) * cout + o];
  return dst;
}

/** TF depthwise filter [kh, kw, c, 1] -> ONNX grouped conv weight [c, 1, kh, kw]. */
export function tfDepthwiseToOnnx(src: Float32Array, kh: number, kw: number, c: number): Float32Array {
  const dst = new Float32Array(src.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++) for (let i = 0; i < c; i++) dst[(i * kh + y) * kw + x] = src[(y * kw + x) * c + i];
  return dst;
}

export type Padding = 'same' | 'valid' | { top: number; left: number; bottom: number; right: number };

/** Builds one ONNX graph node by node, tracking shapes so TF 'same' padding can be made explicit. */
export class GraphBuilder {
  private readonly nodes: object[] = [];
  private readonly initializers: object[] = [];
  private readonly inputs: object[] = [];
  private readonly outputs: object[] = [];
  private counter = 0;
  private readonly ops = new Map<string, number>();

  constructor(private readonly graphName: string) {}

  /** How many nodes of each op type the graph has (for the build log and the tests). */
  opCounts(): Record<string, number> {
    return Object.fromEntries(this.ops);
  }

  private fresh(prefix: string): string {
    this.counter += 1;
    return `${prefix}_${this.counter}`;
  }

  /** Declares a graph input with the given dims (strings are symbolic, e.g. 'N'). */
  input(name: string, dims: Array<number | string>): string {
    this.inputs.push(valueInfo(name, dims));
    return name;
  }

  /** Declares a graph output. */
  output(name: string, dims: Array<number | string>): void {
    this.outputs.push(valueInfo(name, dims));
  }

  /** Adds a float32 initializer and returns its name. */
  constant(prefix: string, data: Float32Array, dims: number[]): string {
    const name = this.fresh(prefix);
    const raw = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    this.initializers.push({ name, dataType: FLOAT, dims, rawData: Buffer.from(raw) });
    return name;
  }

  /** Adds an int64 initializer and returns its name. */
  constantInt64(prefix: string, data: number[], dims: number[]): string {
    const name = this.fresh(prefix);
    this.initializers.push({ name, dataType: INT64, dims, int64Data: data });
    return name;
  }

  /** Adds a node and returns the name of its (single) output. */
  node(opType: string, inputs: string[], attrs: Record<string, AttrValue> = {}, outputName?: string): string {
    const output = outputName ?? this.fresh(opType.toLowerCase());
    this.ops.set(opType, (this.ops.get(opType) ?? 0) + 1);
    this.nodes.push({
      opType,
      name: output,
      input: inputs,
      output: [output],
      attribute: Object.entries(attrs).map(([k, v]) => toAttr(k, v)),
    });
    return output;
  }

  // ------------------------------------------------------------------ layers (NCHW)

  /** Conv with a TF-layout filter [kh, kw, in, out], optional bias, stride and TF padding. */
  conv(x: Tensor, tfFilter: Float32Array, k: number, cout: number, stride: number, padding: Padding, bias?: Float32Array): Tensor {
    const w = this.constant('W', tfConvToOnnx(tfFilter, k, k, x.c, cout), [cout, x.c, k, k]);
    const inputs = [x.name, w];
    if (bias) inputs.push(this.constant('B', bias, [cout]));
    return this.convNode(x, inputs, k, cout, stride, padding, 1);
  }

  /** Depthwise conv (multiplier 1) with a TF-layout filter [kh, kw, c, 1], no bias. */
  depthwise(x: Tensor, tfFilter: Float32Array, k: number, stride: number, padding: Padding): Tensor {
    const w = this.constant('DW', tfDepthwiseToOnnx(tfFilter, k, k, x.c), [x.c, 1, k, k]);
    return this.convNode(x, [x.name, w], k, x.c, stride, padding, x.c);
  }

  private resolvePads(x: Tensor, k: number, stride: number, padding: Padding): [number, number, number, number] {
    if (padding === 'valid') return [0, 0, 0, 0];
    if (padding === 'same') {
      const [t, b] = samePads(x.h, k, stride);
      const [l, r] = samePads(x.w, k, stride);
      return [t, l, b, r];
    }
    return [padding.top, padding.left, padding.bottom, padding.right];
  }

  private convNode(x: Tensor, inputs: string[], k: number, cout: number, stride: number, padding: Padding, group: number): Tensor {
    const [t, l, b, r] = this.resolvePads(x, k, stride, padding);
    const attrs: Record<string, AttrValue> = { kernel_shape: [k, k], strides: [stride, stride], pads: [t, l, b, r] };
    if (group > 1) attrs.group = group;
    const name = this.node('Conv', inputs, attrs);
    return { name, c: cout, h: outSize(x.h, k, stride, t, b), w: outSize(x.w, k, stride, l, r) };
  }

  /**
   * Conv with an ONNX/PyTorch-layout weight [out, in/group, kh, kw] (no bias), symmetric zero
   * padding and the given group count (group = channels for a depthwise conv).
   */
  convOihw(x: Tensor, weight: Float32Array, dims: [number, number, number, number], stride: number, pad: number, group: number): Tensor {
    const [cout, cinPerGroup, kh, kw] = dims;
    if (cinPerGroup * group !== x.c) throw new Error(`conv: weight expects ${cinPerGroup * group} input channels, got ${x.c}`);
    if (weight.length !== cout * cinPerGroup * kh * kw) throw new Error(`conv: weight has ${weight.length} values, dims ${dims.join('x')}`);
    const attrs: Record<string, AttrValue> = { kernel_shape: [kh, kw], strides: [stride, stride], pads: [pad, pad, pad, pad] };
    if (group > 1) attrs.group = group;
    const name = this.node('Conv', [x.name, this.constant('W', weight, dims)], attrs);
    return { name, c: cout, h: outSize(x.h, kh, stride, pad, pad), w: outSize(x.w, kw, stride, pad, pad) };
  }

  /** Inference-mode BatchNormalization over the channel axis (NCHW, or [N, C] with h = w = 1). */
  batchNorm(x: Tensor, p: { scale: Float32Array; bias: Float32Array; mean: Float32Array; variance: Float32Array }, epsilon: number): Tensor {
    for (const v of [p.scale, p.bias, p.mean, p.variance]) if (v.length !== x.c) throw new Error(`batchNorm: ${v.length} values for ${x.c} channels`);
    const inputs = [x.name, this.constant('bn_scale', p.scale, [x.c]), this.constant('bn_bias', p.bias, [x.c]), this.constant('bn_mean', p.mean, [x.c]), this.constant('bn_var', p.variance, [x.c])];
    return { ...x, name: this.node('BatchNormalization', inputs, { epsilon: { float: epsilon } }) };
  }

  /** PRelu with one slope per channel (NCHW). */
  prelu(x: Tensor, slope: Float32Array): Tensor {
    if (slope.length !== x.c) throw new Error(`prelu: ${slope.length} slopes for ${x.c} channels`);
    return { ...x, name: this.node('PRelu', [x.name, this.constant('slope', slope, [x.c, 1, 1])]) };
  }

  sigmoid(x: Tensor): Tensor {
    return { ...x, name: this.node('Sigmoid', [x.name]) };
  }

  /** Element-wise product; b may be [C, 1, 1] per channel (broadcast over h and w). */
  mul(a: Tensor, b: Tensor): Tensor {
    if (a.c !== b.c) throw new Error(`mul: ${a.c} vs ${b.c} channels`);
    return { ...a, name: this.node('Mul', [a.name, b.name]) };
  }

  globalAveragePool(x: Tensor): Tensor {
    return { name: this.node('GlobalAveragePool', [x.name]), c: x.c, h: 1, w: 1 };
  }

  /** [N, C, H, W] -> [N, C*H*W], tracked as c = C*H*W, h = w = 1. */
  flatten(x: Tensor): Tensor {
    return { name: this.node('Flatten', [x.name], { axis: 1 }), c: x.c * x.h * x.w, h: 1, w: 1 };
  }

  /** A bias-free fully connected layer on [N, in] with a PyTorch-layout weight [out, in]. */
  linear(x: Tensor, weight: Float32Array, out: number, outputName?: string): Tensor {
    if (x.h !== 1 || x.w !== 1) throw new Error('linear: flatten first');
    if (weight.length !== out * x.c) throw new Error(`linear: weight has ${weight.length} values, expected ${out}x${x.c}`);
    const transposed = new Float32Array(weight.length);
    for (let o = 0; o < out; o++) for (let i = 0; i < x.c; i++) transposed[i * out + o] = weight[o * x.c + i];
    const name = this.node('MatMul', [x.name, this.constant('fc', transposed, [x.c, out])], {}, outputName);
    return { name, c: out, h: 1, w: 1 };
  }

  relu(x: Tensor): Tensor {
    return { ...x, name: this.node('Relu', [x.name]) };
  }

  leakyRelu(x: Tensor, alpha: number): Tensor {
    return { ...x, name: this.node('LeakyRelu', [x.name], { alpha: { float: alpha } }) };
  }

  add(a: Tensor, b: Tensor): Tensor {
    if (a.c !== b.c || a.h !== b.h || a.w !== b.w) throw new Error(`add: shape mismatch ${JSON.stringify([a, b])}`);
    return { ...a, name: this.node('Add', [a.name, b.name]) };
  }

  maxPool(x: Tensor, k: number, stride: number, padding: Padding): Tensor {
    const [t, l, b, r] = this.resolvePads(x, k, stride, padding);
    const name = this.node('MaxPool', [x.name], { kernel_shape: [k, k], strides: [stride, stride], pads: [t, l, b, r] });
    return { name, c: x.c, h: outSize(x.h, k, stride, t, b), w: outSize(x.w, k, stride, l, r) };
  }

  avgPoolValid(x: Tensor, k: number, stride: number): Tensor {
    const name = this.node('AveragePool', [x.name], { kernel_shape: [k, k], strides: [stride, stride] });
    return { name, c: x.c, h: outSize(x.h, k, stride, 0, 0), w: outSize(x.w, k, stride, 0, 0) };
  }

  /** Zero padding appended after the existing channels / rows / columns. */
  padAfter(x: Tensor, extraC: number, extraH: number, extraW: number): Tensor {
    const pads = this.constantInt64('pads', [0, 0, 0, 0, 0, extraC, extraH, extraW], [8]);
    const name = this.node('Pad', [x.name, pads]);
    return { name, c: x.c + extraC, h: x.h + extraH, w: x.w + extraW };
  }

  // ------------------------------------------------------------------ output

  /** Serialises the model (IR 7, opset 13) to ONNX protobuf bytes. */
  encode(docString: string): Uint8Array {
    const root = protobuf.loadSync(join(__dirname, 'onnx-subset.proto'));
    const Model = root.lookupType('onnx.ModelProto');
    const model = {
      irVersion: 7,
      opsetImport: [{ domain: '', version: 13 }],
      producerName: 'hotelmate-kiosk scripts/models',
      producerVersion: '1',
      docString,
      graph: {
        name: this.graphName,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
    };
    const err = Model.verify(model);
    if (err) throw new Error(`ONNX model does not verify: ${err}`);
    return Model.encode(Model.fromObject(model)).finish();
  }
}
