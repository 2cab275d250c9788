/**
 * face-api.js's recognition, 68-landmark and tiny-detector graphs rebuilt as ONNX from the
 * @vladmandic/face-api weights, layer for layer (see its src/faceRecognitionNet, src/faceLandmarkNet,
 * src/faceFeatureExtractor and src/tinyYolov2), so the kiosk's descriptors equal the web app's.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GraphBuilder, type Tensor } from './onnx-graph';

interface ManifestWeight {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: string; scale: number; min: number };
}

/** The weights of one face-api model, dequantised to float32 exactly as TensorFlow.js does. */
export type WeightMap = Map<string, { shape: number[]; data: Float32Array }>;

/** Reads `<name>-weights_manifest.json` and its shards; uint8 values become q * scale + min. */
export function loadFaceApiWeights(modelDir: string, modelName: string): WeightMap {
  const manifestPath = join(modelDir, `${modelName}-weights_manifest.json`);
  const groups = JSON.parse(readFileSync(manifestPath, 'utf8')) as Array<{ paths: string[]; weights: ManifestWeight[] }>;
  const map: WeightMap = new Map();
  for (const group of groups) {
    const bin = Buffer.concat(group.paths.map((p) => readFileSync(join(modelDir, p))));
    let offset = 0;
    for (const w of group.weights) {
      const size = w.shape.reduce((a, b) => a * b, 1);
      const data = new Float32Array(size);
      if (w.quantization) {
        if (w.quantization.dtype !== 'uint8') throw new Error(`${modelName}: unsupported quantisation ${w.quantization.dtype}`);
        const { scale, min } = w.quantization;
        for (let i = 0; i < size; i++) data[i] = bin[offset + i] * scale + min;
        offset += size;
      } else {
        if (w.dtype !== 'float32') throw new Error(`${modelName}: unsupported dtype ${w.dtype}`);
        const copy = bin.subarray(offset, offset + size * 4);
        data.set(new Float32Array(copy.buffer.slice(copy.byteOffset, copy.byteOffset + copy.byteLength)));
        offset += size * 4;
      }
      map.set(w.name, { shape: w.shape, data });
    }
    if (offset !== bin.length) throw new Error(`${modelName}: manifest covers ${offset} of ${bin.length} bytes`);
  }
  return map;
}

function take(weights: WeightMap, name: string): Float32Array {
  const w = weights.get(name);
  if (!w) throw new Error(`missing weight ${name}`);
  return w.data;
}

/** NHWC raw pixels -> NCHW (x - mean) / 255, as face-api's normalize(...).div(255). */
function normalisedInput(g: GraphBuilder, size: number, mean: [number, number, number]): Tensor {
  const input = g.input('input', ['N', size, size, 3]);
  const nchw = g.node('Transpose', [input], { perm: [0, 3, 1, 2] });
  const meanC = g.constant('mean', new Float32Array(mean), [1, 3, 1, 1]);
  const centred = g.node('Sub', [nchw, meanC]);
  const div = g.constant('scale', new Float32Array([255]), []);
  return { name: g.node('Div', [centred, div]), c: 3, h: size, w: size };
}

const RECOGNITION_MEAN: [number, number, number] = [122.782, 117.001, 104.298];

/**
 * The recognition ResNet: input [N,150,150,3] RGB 0..255 (already cropped and resized),
 * output "descriptor" [N,128]. Each conv's per-channel scale layer is folded into the conv.
 */
export function buildRecognitionNet(weights: WeightMap): GraphBuilder {
  const g = new GraphBuilder('face_recognition');
  const convScaled = (x: Tensor, prefix: string, stride: number, padding: 'same' | 'valid', relu: boolean): Tensor => {
    const shape = weights.get(`${prefix}/conv/filters`)?.shape;
    if (!shape) throw new Error(`missing weight ${prefix}/conv/filters`);
    const [k, , cin, cout] = shape;
    const filters = take(weights, `${prefix}/conv/filters`);
    const bias = take(weights, `${prefix}/conv/bias`);
    const sw = take(weights, `${prefix}/scale/weights`);
    const sb = take(weights, `${prefix}/scale/biases`);
    // (conv(x, W) + b) * s + t  ==  conv(x, W * s) + (b * s + t)
    const folded = new Float32Array(filters.length);
    for (let i = 0; i < filters.length; i++) folded[i] = filters[i] * sw[i % cout];
    const foldedBias = new Float32Array(cout);
    for (let o = 0; o < cout; o++) foldedBias[o] = bias[o] * sw[o] + sb[o];
    if (cin !== x.c) throw new Error(`${prefix}: expected ${cin} input channels, got ${x.c}`);
    const out = g.conv(x, folded, k, cout, stride, padding, foldedBias);
    return relu ? g.relu(out) : out;
  };
  const residual = (x: Tensor, prefix: string): Tensor => {
    const a = convScaled(x, `${prefix}/conv1`, 1, 'same', true);
    const b = convScaled(a, `${prefix}/conv2`, 1, 'same', false);
    return g.relu(g.add(b, x));
  };
  const residualDown = (x: Tensor, prefix: string): Tensor => {
    const a = convScaled(x, `${prefix}/conv1`, 2, 'valid', true);
    let b = convScaled(a, `${prefix}/conv2`, 1, 'same', false);
    let pooled = g.avgPoolValid(x, 2, 2);
    if (pooled.h !== b.h || pooled.w !== b.w) b = g.padAfter(b, 0, 1, 1); // face-api appends a zero row and column
    if (pooled.c !== b.c) pooled = g.padAfter(pooled, b.c - pooled.c, 0, 0); // and zero channels to the shortcut
    return g.relu(g.add(pooled, b));
  };

  let x = normalisedInput(g, 150, RECOGNITION_MEAN);
  x = convScaled(x, 'conv32_down', 2, 'valid', true);
  x = g.maxPool(x, 3, 2, 'valid');
  for (const p of ['conv32_1', 'conv32_2', 'conv32_3']) x = residual(x, p);
  x = residualDown(x, 'conv64_down');
  for (const p of ['conv64_1', 'conv64_2', 'conv64_3']) x = residual(x, p);
  x = residualDown(x, 'conv128_down');
  for (const p of ['conv128_1', 'conv128_2']) x = residual(x, p);
  x = residualDown(x, 'conv256_down');
  for (const p of ['conv256_1', 'conv256_2']) x = residual(x, p);
  x = residualDown(x, 'conv256_down_out');
  const pooled = g.node('ReduceMean', [x.name], { axes: [2, 3], keepdims: 0 });
  const fc = g.constant('fc', take(weights, 'fc'), [256, 128]);
  g.node('MatMul', [pooled, fc], {}, 'descriptor');
  g.output('descriptor', ['N', 128]);
  return g;
}

/**
 * The 68-point landmark net: input [N,112,112,3] RGB 0..255 (face box padded to a centred square
 * and resized), output "landmarks" [N,136] = x0,y0,x1,y1... relative to the 112 square.
 */
export function buildLandmarkNet(weights: WeightMap): GraphBuilder {
  const g = new GraphBuilder('face_landmark_68');
  const separable = (x: Tensor, prefix: string, stride: number): Tensor => {
    const pw = weights.get(`${prefix}/pointwise_filter`);
    if (!pw) throw new Error(`missing weight ${prefix}/pointwise_filter`);
    const cout = pw.shape[3];
    const dw = g.depthwise(x, take(weights, `${prefix}/depthwise_filter`), 3, stride, 'same');
    return g.conv(dw, pw.data, 1, cout, 1, 'valid', take(weights, `${prefix}/bias`));
  };
  const denseBlock4 = (x: Tensor, prefix: string, first: boolean): Tensor => {
    let out1: Tensor;
    if (first) {
      const f = weights.get(`${prefix}/conv0/filters`);
      if (!f) throw new Error(`missing weight ${prefix}/conv0/filters`);
      out1 = g.relu(g.conv(x, f.data, 3, f.shape[3], 2, 'same', take(weights, `${prefix}/conv0/bias`)));
    } else {
      out1 = g.relu(separable(x, `${prefix}/conv0`, 2));
    }
    const out2 = separable(out1, `${prefix}/conv1`, 1);
    const in3 = g.relu(g.add(out1, out2));
    const out3 = separable(in3, `${prefix}/conv2`, 1);
    const in4 = g.relu(g.add(out1, g.add(out2, out3)));
    const out4 = separable(in4, `${prefix}/conv3`, 1);
    return g.relu(g.add(out1, g.add(out2, g.add(out3, out4))));
  };

  let x = normalisedInput(g, 112, RECOGNITION_MEAN);
  x = denseBlock4(x, 'dense0', true);
  x = denseBlock4(x, 'dense1', false);
  x = denseBlock4(x, 'dense2', false);
  x = denseBlock4(x, 'dense3', false);
  x = g.avgPoolValid(x, 7, 2);
  const flat = g.node('Flatten', [x.name], { axis: 1 });
  const fcW = g.constant('fc_w', take(weights, 'fc/weights'), [256, 136]);
  const fcB = g.constant('fc_b', take(weights, 'fc/bias'), [136]);
  g.node('Add', [g.node('MatMul', [flat, fcW]), fcB], {}, 'landmarks');
  g.output('landmarks', ['N', 136]);
  return g;
}

/** The tiny face detector's input size as the HotelMate web app runs it. */
export const TINY_DETECTOR_INPUT_SIZE = 416;
const TINY_MEAN: [number, number, number] = [117.001, 114.697, 97.404];

/**
 * The tiny face detector (a Tiny-YOLOv2 with separable convs): input [N,416,416,3] RGB 0..255
 * (image padded at the bottom/right to a square and resized), output "grid" [N,25,13,13]
 * (5 anchors x [x, y, w, h, score] logits per cell, NCHW).
 */
export function buildTinyDetectorNet(weights: WeightMap): GraphBuilder {
  const g = new GraphBuilder('tiny_face_detector');
  const leaky = (x: Tensor): Tensor => g.leakyRelu(x, 0.10000000149011612);
  const separable = (x: Tensor, prefix: string): Tensor => {
    const pw = weights.get(`${prefix}/pointwise_filter`);
    if (!pw) throw new Error(`missing weight ${prefix}/pointwise_filter`);
    const pad = { top: 1, left: 1, bottom: 1, right: 1 };
    const dw = g.depthwise(x, take(weights, `${prefix}/depthwise_filter`), 3, 1, pad);
    return leaky(g.conv(dw, pw.data, 1, pw.shape[3], 1, 'valid', take(weights, `${prefix}/bias`)));
  };
  let x = normalisedInput(g, TINY_DETECTOR_INPUT_SIZE, TINY_MEAN);
  const c0 = weights.get('conv0/filters');
  if (!c0) throw new Error('missing weight conv0/filters');
  x = leaky(g.conv(x, c0.data, 3, c0.shape[3], 1, 'valid', take(weights, 'conv0/bias')));
  for (const p of ['conv1', 'conv2', 'conv3', 'conv4', 'conv5']) {
    x = g.maxPool(x, 2, 2, 'same');
    x = separable(x, p);
  }
  x = g.maxPool(x, 2, 1, 'same');
  const c8 = weights.get('conv8/filters');
  if (!c8) throw new Error('missing weight conv8/filters');
  const out = g.conv(x, c8.data, 1, c8.shape[3], 1, 'valid', take(weights, 'conv8/bias'));
  g.node('Identity', [out.name], {}, 'grid');
  g.output('grid', ['N', out.c, out.h, out.w]);
  return g;
}
