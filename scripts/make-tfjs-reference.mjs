#!/usr/bin/env node
// Writes fixtures/reference/tfjs/<case>.json: outputs, loss and the gradient of every
// trainable weight of fixture models for one fixed batch, computed by TensorFlow.js (the
// pure-JS `cpu` backend, float32), for test/exec/tfjs-agreement.test.ts.
//
//   npm run reference:tfjs          # builds densegraph, then runs this file
//   node scripts/make-tfjs-reference.mjs [--check]   # --check: compare with the files, write nothing
//
// Each case compiles a densegraph spec, draws its weights with densegraph's
// `initWeights(model, seed)` (float32; a few cases then scale or replace some of them, see
// `tweak`), builds the same model in tfjs (`tf.sequential` for a Sequential spec, `tf.model`
// otherwise; the same layer names, units, activations, use_bias, merge and BatchNormalization
// arguments), gives it those weights with `layer.setWeights`, and records what tfjs computes:
//   model       the spec's path             loss        the Keras loss name
//   weightSeed  the initWeights seed        training    inference (false) or training mode
//   inputs      one nested array per model input        targets  one per model output
//   weights     densegraph's weights file (weightsToJson), the values tfjs was given
//   outputs     the model's outputs         lossValue   the batch loss
//   gradients   {"<layer>/<variable>": nested array} from tf.variableGrads, every trainable weight
//   updatedWeights  (training mode) BatchNormalization's moving statistics after the pass
// The loss is tfjs-layers' own (tf.metrics.binaryCrossentropy / categoricalCrossentropy /
// meanSquaredError, the functions `model.compile({loss})` uses), averaged over the batch
// and summed over outputs, as trainOnBatch does. Numbers are written with 9 significant
// digits, which round-trip float32 exactly.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT_DIR = path.join(ROOT, 'fixtures', 'reference', 'tfjs');
const api = await import(pathToFileURL(path.join(ROOT, 'dist', 'index.js')).href);
const { values: args } = parseArgs({ options: { check: { type: 'boolean', default: false } } });

tf.env().set('PROD', true); // no "install tfjs-node" banner; numerics are unchanged
await tf.setBackend('cpu');
await tf.ready();
if (tf.getBackend() !== 'cpu') throw new Error(`tfjs backend is ${tf.getBackend()}, expected cpu`);

const SOURCE = `TensorFlow.js ${tf.version.tfjs} (@tensorflow/tfjs, tfjs-layers ${tf.version['tfjs-layers']}, backend cpu, float32), Node ${process.version}: node scripts/make-tfjs-reference.mjs`;

// ---------------------------------------------------------------------------------------------
// The cases

/** Loss by output activation, as the brief of the test has it. */
const lossFor = (activation) => (activation === 'sigmoid' ? 'binary_crossentropy' : activation === 'softmax' ? 'categorical_crossentropy' : 'mean_squared_error');

/** Deterministic values in ±scale: a sine over the flat index, shifted per tensor. */
const wave = (i, phase, scale) => Math.fround(scale * Math.sin(0.731 * i + phase) * Math.cos(0.173 * i - 0.5 * phase));

const scaleAll = (factor) => (weights) => {
  for (const t of weights.values()) for (let i = 0; i < t.data.length; i++) t.data[i] = Math.fround(t.data[i] * factor);
};

/** Replaces some weights with the given nested arrays. */
const setWeights = (values) => (weights) => {
  for (const [name, value] of Object.entries(values)) weights.set(name, api.fromNested(value, 'float32'));
};

/** BatchNormalization's four vectors away from their initial 1, 0, 0, 1. */
function batchNormWeights(layer) {
  return (weights) => {
    const set = (name, f) => {
      const t = weights.get(`${layer}/${name}`);
      for (let i = 0; i < t.data.length; i++) t.data[i] = Math.fround(f(i));
    };
    set('gamma', (i) => 1 + 0.4 * Math.sin(1.1 * i + 0.3));
    set('beta', (i) => 0.2 * Math.cos(0.9 * i));
    set('moving_mean', (i) => 0.3 * Math.sin(0.7 * i + 1));
    set('moving_variance', (i) => 0.6 + 0.5 * Math.cos(0.5 * i) ** 2);
  };
}

/**
 * name → spec, loss (default: by the output activation), batch, weight seed, input scale, and
 * an optional change to the drawn weights.
 */
const CASES = [
  { name: 'binary-classifier', model: 'fixtures/seed/binary-classifier.yaml', batch: 16, seed: 1, inputScale: 3 },
  // The uniform(±0.05) initial weights give outputs near 0.5 and small gradients: the same
  // model with weights ×30 exercises the whole sigmoid range.
  { name: 'binary-classifier.scaled', model: 'fixtures/seed/binary-classifier.yaml', batch: 16, seed: 2, inputScale: 3, tweak: scaleAll(30) },
  { name: 'dense-8-relu', model: 'fixtures/seed/dense-8-relu.yaml', batch: 8, seed: 3, inputScale: 2 },
  { name: 'hidden-relu', model: 'fixtures/seed/hidden-relu.yaml', batch: 8, seed: 4, inputScale: 2 },
  { name: 'output-sigmoid', model: 'fixtures/seed/output-sigmoid.yaml', batch: 8, seed: 5, inputScale: 2 },
  // Saturated sigmoid: z = 9.0, 18.1, −21.4, −2.6, 1.8, 19.1, −24.8, −4.6 for the 8 rows, so
  // σ(z) rounds to 1 or falls below 1e-7 in four of them (targets 1, 0, 0, 1: two right, two
  // wrong) and both clip bounds of binary cross-entropy are active: zero gradient from those
  // rows, their loss capped at 15.942 (y=0, p=1) and 16.118 (y=1, p<1e-7).
  { name: 'output-sigmoid.saturated', model: 'fixtures/seed/output-sigmoid.yaml', batch: 8, seed: 6, inputScale: 4, tweak: setWeights({ 'dense/kernel': [[14], [-10], [8]], 'dense/bias': [-1] }) },
  { name: 'output-softmax', model: 'fixtures/seed/output-softmax.yaml', batch: 8, seed: 7, inputScale: 2 },
  { name: 'small-mlp', model: 'fixtures/models/small-mlp.yaml', batch: 16, seed: 8, inputScale: 1.5 },
  { name: 'merge-batchnorm', model: 'fixtures/functional/merge-batchnorm.yaml', batch: 12, seed: 9, inputScale: 2, tweak: batchNormWeights('bn') },
  { name: 'merge-batchnorm.training', model: 'fixtures/functional/merge-batchnorm.yaml', batch: 12, seed: 10, inputScale: 2, tweak: batchNormWeights('bn'), training: true },
];

// ---------------------------------------------------------------------------------------------
// densegraph spec → tfjs model

const camel = (s) => s.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
/** Keras activation names → tfjs's (`hard_sigmoid` → `hardSigmoid`; the others are equal). */
const tfActivation = (a) => camel(a ?? 'linear');

/** A tfjs layer for a compiled densegraph layer (the kinds the cases use). */
function tfLayer(layer, extra = {}) {
  const c = layer.config;
  const name = layer.name;
  switch (layer.className) {
    case 'Dense':
      return tf.layers.dense({ units: c.units, activation: tfActivation(c.activation), useBias: c.use_bias, name, ...extra });
    case 'Dropout':
      return tf.layers.dropout({ rate: c.rate, name, ...extra });
    case 'Activation':
      return tf.layers.activation({ activation: tfActivation(c.activation), name, ...extra });
    case 'Add':
      return tf.layers.add({ name });
    case 'Concatenate':
      return tf.layers.concatenate({ axis: c.axis, name });
    case 'BatchNormalization':
      return tf.layers.batchNormalization({ axis: c.axis, momentum: c.momentum, epsilon: c.epsilon, center: c.center, scale: c.scale, name, ...extra });
    default:
      throw new Error(`no tfjs counterpart written for ${layer.className} (${name})`);
  }
}

/** The same model in tfjs. */
function buildTfModel(model) {
  const inputShape = (name) => model.layers.find((l) => l.name === name).outputShape.slice(1);
  if (model.kind === 'Sequential') {
    const seq = tf.sequential({ name: model.name });
    const layers = model.layers.filter((l) => l.className !== 'InputLayer');
    layers.forEach((l, i) => seq.add(tfLayer(l, i === 0 ? { inputShape: inputShape(model.inputs[0]) } : {})));
    return seq;
  }
  const produced = new Map();
  const key = (ref) => `${ref.layer}\u0000${ref.call ?? 0}`;
  for (const layer of model.layers) {
    if (layer.className === 'InputLayer') {
      produced.set(key({ layer: layer.name }), tf.input({ shape: inputShape(layer.name), name: layer.name }));
      continue;
    }
    if (layer.model) throw new Error(`nested models are not translated (${layer.name})`);
    const tl = tfLayer(layer);
    layer.calls.forEach((call, i) => {
      const ins = call.inbound.map((ref) => produced.get(key(ref)));
      produced.set(key({ layer: layer.name, call: i }), tl.apply(ins.length === 1 ? ins[0] : ins));
    });
  }
  return tf.model({ inputs: model.inputs.map((n) => produced.get(key({ layer: n }))), outputs: model.outputs.map((r) => produced.get(key(r))), name: model.name });
}

/** Gives the tfjs model densegraph's weights, layer by layer, checking the variable names. */
function setTfWeights(tfModel, model, weights) {
  for (const layer of model.layers) {
    if (!layer.weights.length) continue;
    const tl = tfModel.getLayer(layer.name);
    const names = tl.weights.map((w) => w.originalName);
    const want = layer.weights.map((w) => `${layer.name}/${w.name}`);
    if (names.length !== want.length || names.some((n, i) => n !== want[i])) throw new Error(`tfjs layer ${layer.name} has weights ${names.join(', ')}; densegraph ${want.join(', ')}`);
    tl.setWeights(want.map((n) => {
      const t = weights.get(n);
      return tf.tensor(t.data, t.shape, 'float32');
    }));
  }
}

/** Keras loss name → tfjs-layers' per-sample loss function. */
function tfLoss(name) {
  switch (name) {
    case 'binary_crossentropy':
      return tf.metrics.binaryCrossentropy;
    case 'categorical_crossentropy':
      return tf.metrics.categoricalCrossentropy;
    case 'mean_squared_error':
      return tf.metrics.meanSquaredError;
    default:
      throw new Error(`no tfjs loss for ${name}`);
  }
}

/**
 * Outputs, loss and gradients of every trainable weight (by densegraph name) from tfjs, and in
 * training mode the non-trainable weights after the pass.
 */
function tfLossAndGradients(tfModel, model, inputs, targets, lossName, training) {
  const lossFn = tfLoss(lossName);
  const trainable = [];
  for (const layer of model.layers) {
    const tl = layer.weights.length ? tfModel.getLayer(layer.name) : undefined;
    layer.weights.forEach((w, i) => w.trainable && trainable.push({ name: `${layer.name}/${w.name}`, variable: tl.weights[i].read() }));
  }
  const xs = inputs.map((t) => tf.tensor(t.data, t.shape, 'float32'));
  const ys = targets.map((t) => tf.tensor(t.data, t.shape, 'float32'));
  let outs = [];
  const { value, grads } = tf.variableGrads(() => {
    const o = tfModel.apply(xs.length === 1 ? xs[0] : xs, { training });
    outs = (Array.isArray(o) ? o : [o]).map((t) => tf.keep(t));
    return outs.map((out, i) => tf.mean(lossFn(ys[i], out))).reduce((a, b) => tf.add(a, b));
  }, trainable.map((t) => t.variable));
  const result = {
    outputs: outs.map((o) => o.arraySync()),
    lossValue: value.dataSync()[0],
    gradients: Object.fromEntries(trainable.map((t) => [t.name, grads[t.variable.name].arraySync()])),
  };
  if (training) {
    result.updatedWeights = {};
    for (const layer of model.layers) {
      const tl = layer.weights.length ? tfModel.getLayer(layer.name) : undefined;
      layer.weights.forEach((w, i) => !w.trainable && (result.updatedWeights[`${layer.name}/${w.name}`] = tl.weights[i].read().arraySync()));
    }
  }
  tf.dispose([...xs, ...ys, ...outs, value, ...Object.values(grads)]);
  return result;
}

// ---------------------------------------------------------------------------------------------
// Batches

/** Inputs of the batch: one float32 tensor per model input. */
function makeInputs(model, batch, scale) {
  return model.inputs.map((name, k) => {
    const shape = [batch, ...model.layers.find((l) => l.name === name).outputShape.slice(1)];
    const n = shape.reduce((a, b) => a * b, 1);
    return { shape, data: Float32Array.from({ length: n }, (_, i) => wave(i, 0.9 * k + 0.2, scale)) };
  });
}

/** Targets for each output: 0/1 for BCE, one-hot rows for CCE, values in ±0.8 for MSE. */
function makeTargets(model, batch, loss) {
  return model.outputs.map((ref, k) => {
    const units = model.layers.find((l) => l.name === ref.layer).outputShape.at(-1);
    const shape = [batch, units];
    const data = new Float32Array(batch * units);
    for (let i = 0; i < batch; i++) {
      for (let j = 0; j < units; j++) {
        const at = i * units + j;
        if (loss === 'binary_crossentropy') data[at] = Math.sin(2.3 * at + k + 0.4) > 0 ? 1 : 0;
        else if (loss === 'categorical_crossentropy') data[at] = j === (i * 7 + 3 + k) % units ? 1 : 0;
        else data[at] = wave(at, 2.1 + k, 0.8);
      }
    }
    return { shape, data };
  });
}

// ---------------------------------------------------------------------------------------------
// Output

const round9 = (x) => (Number.isFinite(x) ? Number(x.toPrecision(9)) : x);
const nested = (t) => api.toNested(t);

/** JSON with one top-level key per line and every innermost array of numbers on one line. */
function formatJson(obj) {
  const fmt = (v, indent) => {
    if (typeof v === 'number') return JSON.stringify(round9(v));
    if (Array.isArray(v)) {
      if (v.every((x) => typeof x === 'number')) return `[${v.map((x) => fmt(x)).join(', ')}]`;
      const pad = ' '.repeat(indent + 2);
      return `[\n${v.map((x) => pad + fmt(x, indent + 2)).join(',\n')}\n${' '.repeat(indent)}]`;
    }
    if (v && typeof v === 'object') {
      const pad = ' '.repeat(indent + 2);
      const entries = Object.entries(v).map(([k, x]) => `${pad}${JSON.stringify(k)}: ${fmt(x, indent + 2)}`);
      return entries.length ? `{\n${entries.join(',\n')}\n${' '.repeat(indent)}}` : '{}';
    }
    return JSON.stringify(v);
  };
  return `${fmt(obj, 0)}\n`;
}

function compileFixture(rel) {
  const parsed = api.parseSpec(readFileSync(path.join(ROOT, rel), 'utf8'), rel);
  if (!parsed.model) throw new Error(`${rel}: ${parsed.diagnostics.map((d) => d.message).join('; ')}`);
  const { compiled } = api.compileOrThrow(parsed.model);
  return compiled;
}

mkdirSync(OUT_DIR, { recursive: true });
let stale = 0;
for (const c of CASES) {
  const model = compileFixture(c.model);
  const outputLayer = model.layers.find((l) => l.name === model.outputs[0].layer);
  const loss = c.loss ?? lossFor(outputLayer.activation);
  const weights = api.initWeights(model, c.seed);
  c.tweak?.(weights);
  const inputs = makeInputs(model, c.batch, c.inputScale);
  const targets = makeTargets(model, c.batch, loss);
  const tfModel = buildTfModel(model);
  setTfWeights(tfModel, model, weights);
  const r = tfLossAndGradients(tfModel, model, inputs, targets, loss, c.training ?? false);
  tfModel.dispose();
  const record = {
    source: SOURCE,
    model: c.model,
    loss,
    weightSeed: c.seed,
    training: c.training ?? false,
    inputs: inputs.map(nested),
    targets: targets.map(nested),
    weights: api.weightsToJson(model, weights),
    outputs: r.outputs,
    lossValue: r.lossValue,
    gradients: r.gradients,
    ...(r.updatedWeights ? { updatedWeights: r.updatedWeights } : {}),
  };
  const file = path.join(OUT_DIR, `${c.name}.json`);
  const text = formatJson(record);
  if (args.check) {
    let old = '';
    try {
      old = readFileSync(file, 'utf8');
    } catch {
      // missing
    }
    // The source line names the Node version; compare the numbers only.
    const strip = (s) => s.replace(/^ {2}"source": .*\n/m, '');
    if (strip(old) !== strip(text)) {
      stale++;
      console.log(`${path.relative(ROOT, file)}: differs from what tfjs computes now`);
    }
    continue;
  }
  writeFileSync(file, text);
  console.log(`${path.relative(ROOT, file)}: ${c.model}, ${loss}${c.training ? ', training mode' : ''}, loss ${r.lossValue}`);
}
if (args.check) {
  console.log(stale ? `${stale} of ${CASES.length} files differ` : `all ${CASES.length} files match tfjs ${tf.version.tfjs}`);
  process.exitCode = stale ? 1 : 0;
}
