/**
 * MiniFASNet (Silent-Face-Anti-Spoofing, Apache-2.0) rebuilt as ONNX from its PyTorch state dict:
 * the layer structure of upstream's src/model_lib/MiniFASNet.py (conv blocks with BatchNorm and
 * PReLU, depthwise bottlenecks with shortcuts, squeeze-excitation in the SE variant, a 5x5
 * depthwise head, a 128-d embedding and 3 logits), with channel counts read from the weights.
 * Every weight in the checkpoint must be used exactly once, so a mismatched checkpoint fails
 * loudly instead of converting into a different model.
 */
import type { CheckpointTensor } from './torch-checkpoint';
import { GraphBuilder, type Tensor } from './onnx-graph';

/** The two upstream models the kiosk ships, by the architecture name in their file names. */
export type MiniFasNetArchitecture = 'MiniFASNetV2' | 'MiniFASNetV1SE';

/** PyTorch's BatchNorm default epsilon (upstream never changes it). */
const BN_EPSILON = 1e-5;
/** Side of the square input both models were trained on (80x80 in their file names). */
export const MINIFASNET_INPUT_SIZE = 80;

/** The state dict's float tensors by name (DataParallel's `module.` prefix removed), marking each one used. */
class WeightTable {
  private readonly tensors = new Map<string, { shape: number[]; data: Float32Array }>();
  private readonly used = new Set<string>();

  constructor(stateDict: Map<string, CheckpointTensor>) {
    const names = [...stateDict.keys()];
    const prefixed = names.filter((n) => n.startsWith('module.')).length;
    if (prefixed !== 0 && prefixed !== names.length) throw new Error('MiniFASNet checkpoint mixes `module.`-prefixed and plain keys');
    for (const [name, tensor] of stateDict) {
      const key = prefixed ? name.slice('module.'.length) : name;
      if (tensor.dtype === 'int64') {
        // BatchNorm's training counter: the only integer tensor a MiniFASNet state dict has.
        if (!key.endsWith('.num_batches_tracked')) throw new Error(`MiniFASNet checkpoint: unexpected integer tensor ${key}`);
        continue;
      }
      this.tensors.set(key, { shape: tensor.shape, data: tensor.data });
    }
  }

  take(name: string, rank?: number): { shape: number[]; data: Float32Array } {
    const tensor = this.tensors.get(name);
    if (!tensor) throw new Error(`MiniFASNet checkpoint: missing weight ${name}`);
    if (rank !== undefined && tensor.shape.length !== rank) throw new Error(`MiniFASNet checkpoint: ${name} has shape ${tensor.shape.join('x')}, expected rank ${rank}`);
    if (this.used.has(name)) throw new Error(`MiniFASNet converter: ${name} used twice`);
    this.used.add(name);
    return tensor;
  }

  has(name: string): boolean {
    return this.tensors.has(name);
  }

  /** Throws when a float tensor of the checkpoint was never used by the graph. */
  assertAllUsed(): void {
    const unused = [...this.tensors.keys()].filter((k) => !this.used.has(k));
    if (unused.length > 0) throw new Error(`MiniFASNet checkpoint has weights this architecture does not use: ${unused.slice(0, 5).join(', ')}${unused.length > 5 ? ' ...' : ''}`);
  }
}

/**
 * Builds the ONNX graph of one MiniFASNet variant: input "input" [N,3,80,80] (BGR, raw 0..255,
 * NCHW, as upstream feeds it), output "logits" [N,3] (softmax index 1 = real face).
 */
export function buildMiniFasNet(stateDict: Map<string, CheckpointTensor>, architecture: MiniFasNetArchitecture): GraphBuilder {
  const weights = new WeightTable(stateDict);
  const g = new GraphBuilder(architecture);
  const withSqueezeExcitation = architecture === 'MiniFASNetV1SE';

  const batchNorm = (x: Tensor, prefix: string): Tensor =>
    g.batchNorm(
      x,
      {
        scale: weights.take(`${prefix}.weight`, 1).data,
        bias: weights.take(`${prefix}.bias`, 1).data,
        mean: weights.take(`${prefix}.running_mean`, 1).data,
        variance: weights.take(`${prefix}.running_var`, 1).data,
      },
      BN_EPSILON,
    );
  /** Conv2d without bias; groups follow from the weight's input channels. */
  const conv = (x: Tensor, name: string, stride: number, pad: number): Tensor => {
    const w = weights.take(name, 4);
    const [cout, cinPerGroup, kh, kw] = w.shape;
    if (x.c % cinPerGroup !== 0) throw new Error(`MiniFASNet ${name}: ${x.c} input channels do not split into groups of ${cinPerGroup}`);
    return g.convOihw(x, w.data, [cout, cinPerGroup, kh, kw], stride, pad, x.c / cinPerGroup);
  };
  /** Linear_block: conv + BatchNorm. */
  const linearBlock = (x: Tensor, prefix: string, stride: number, pad: number): Tensor => batchNorm(conv(x, `${prefix}.conv.weight`, stride, pad), `${prefix}.bn`);
  /** Conv_block: conv + BatchNorm + PReLU. */
  const convBlock = (x: Tensor, prefix: string, stride: number, pad: number): Tensor =>
    g.prelu(linearBlock(x, prefix, stride, pad), weights.take(`${prefix}.prelu.weight`, 1).data);
  /** SEModule: channel weights from the pooled features (1x1 conv, BN, ReLU, 1x1 conv, BN, sigmoid). */
  const squeezeExcitation = (x: Tensor, prefix: string): Tensor => {
    let s = g.globalAveragePool(x);
    s = g.relu(batchNorm(conv(s, `${prefix}.fc1.weight`, 1, 0), `${prefix}.bn1`));
    s = g.sigmoid(batchNorm(conv(s, `${prefix}.fc2.weight`, 1, 0), `${prefix}.bn2`));
    return g.mul(x, s);
  };
  /** Depth_Wise (and Depth_Wise_SE): 1x1 expand, 3x3 depthwise, 1x1 project, optional shortcut. */
  const bottleneck = (x: Tensor, prefix: string, stride: number, shortcut: boolean): Tensor => {
    let y = convBlock(x, `${prefix}.conv`, 1, 0);
    y = convBlock(y, `${prefix}.conv_dw`, stride, 1);
    y = linearBlock(y, `${prefix}.project`, 1, 0);
    if (!shortcut) return y;
    const se = `${prefix}.se_module`;
    if (weights.has(`${se}.fc1.weight`)) {
      if (!withSqueezeExcitation) throw new Error(`MiniFASNet checkpoint: ${se} found in a ${architecture} (no squeeze-excitation)`);
      y = squeezeExcitation(y, se);
    }
    return g.add(x, y);
  };
  /** Residual / ResidualSE: n stride-1 bottlenecks with shortcuts (SE, when present, in the last). */
  const residualStage = (x: Tensor, prefix: string, blocks: number): Tensor => {
    if (withSqueezeExcitation && !weights.has(`${prefix}.model.${blocks - 1}.se_module.fc1.weight`)) {
      throw new Error(`MiniFASNet checkpoint: ${architecture} lacks ${prefix}.model.${blocks - 1}.se_module`);
    }
    let y = x;
    for (let i = 0; i < blocks; i++) y = bottleneck(y, `${prefix}.model.${i}`, 1, true);
    return y;
  };

  let x: Tensor = { name: g.input('input', ['N', 3, MINIFASNET_INPUT_SIZE, MINIFASNET_INPUT_SIZE]), c: 3, h: MINIFASNET_INPUT_SIZE, w: MINIFASNET_INPUT_SIZE };
  x = convBlock(x, 'conv1', 2, 1);
  x = convBlock(x, 'conv2_dw', 1, 1);
  x = bottleneck(x, 'conv_23', 2, false);
  x = residualStage(x, 'conv_3', 4);
  x = bottleneck(x, 'conv_34', 2, false);
  x = residualStage(x, 'conv_4', 6);
  x = bottleneck(x, 'conv_45', 2, false);
  x = residualStage(x, 'conv_5', 2);
  x = convBlock(x, 'conv_6_sep', 1, 0);
  x = linearBlock(x, 'conv_6_dw', 1, 0);
  if (x.h !== 1 || x.w !== 1) throw new Error(`MiniFASNet head leaves ${x.h}x${x.w} features (expected 1x1 for an ${MINIFASNET_INPUT_SIZE}px input)`);
  x = g.flatten(x);
  const embedding = weights.take('linear.weight', 2);
  x = g.linear(x, embedding.data, embedding.shape[0]);
  x = batchNorm(x, 'bn');
  // Dropout is the identity at inference.
  const classifier = weights.take('prob.weight', 2);
  if (classifier.shape[0] !== 3) throw new Error(`MiniFASNet checkpoint: ${classifier.shape[0]} classes (expected 3: spoof, real, spoof)`);
  g.linear(x, classifier.data, 3, 'logits');
  g.output('logits', ['N', 3]);
  weights.assertAllUsed();
  return g;
}
