/**
 * The executor's API: predict, loss and gradients for a batch, and Keras-style `fit`.
 */
import type { CompiledModel } from '../ir/model.js';
import { Tape, type Var } from './autograd.js';
import { computeLoss } from './losses.js';
import * as ops from './ops.js';
import { accuracy, resolveAccuracy } from './metrics.js';
import { createOptimizer, type Optimizer } from './optimizers.js';
import { createRng, shuffle, type Rng } from './random.js';
import { forwardGraph, type RunContext } from './run.js';
import { alloc, cast, dtypeOf, sizeOf, type ExecDType, type Float, type Tensor } from './tensor.js';
import { weightList, type WeightStore } from './weights.js';

/** Options every executor entry point takes. */
export interface ExecOptions {
  readonly dtype?: ExecDType;
  /** Keras 2's hard_sigmoid (0.2x + 0.5) instead of Keras 3's (x/6 + 0.5). @default 'keras3' */
  readonly hardSigmoid?: 'keras3' | 'keras2';
}

function context(tape: Tape, weights: WeightStore, training: boolean, rng: Rng, options: ExecOptions = {}): RunContext {
  return { tape, training, rng, weights, vars: new Map(), updates: new Map(), activationOptions: options.hardSigmoid ? { hardSigmoid: options.hardSigmoid } : {} };
}

/** Model outputs for inputs (one tensor per model input), at inference. */
export function predict(model: CompiledModel, weights: WeightStore, inputs: readonly Tensor[], dtype: ExecDType = 'float32', options: ExecOptions = {}): Tensor[] {
  const tape = new Tape(dtype);
  const ctx = context(tape, weights, false, createRng(0), options);
  return forwardGraph(model, inputs.map((t) => tape.constant(cast(t, dtype))), ctx).map((v) => v.value);
}

export interface LossResult {
  readonly outputs: Tensor[];
  readonly loss: number;
  /** Gradient of the loss for every trainable weight, by weight name. */
  readonly gradients: Map<string, Float>;
}

function totalLoss(tape: Tape, lossName: string, outputs: readonly Var[], targets: readonly Tensor[], fromLogits: boolean): Var {
  // Several outputs: Keras adds their losses (equal loss weights).
  let total: Var | undefined;
  outputs.forEach((out, i) => {
    const l = computeLoss(tape, lossName, cast(targets[i]!, dtypeOf(out.value.data)), out, { fromLogits });
    total = total ? ops.add(tape, total, l) : l;
  });
  return total!;
}

/** One forward pass at inference on a fresh tape, with its loss: what the functions below share. */
function forwardLoss(model: CompiledModel, weights: WeightStore, inputs: readonly Tensor[], targets: readonly Tensor[], lossName: string, options: ExecOptions & { fromLogits?: boolean }) {
  const dtype = options.dtype ?? 'float32';
  const tape = new Tape(dtype);
  const ctx = context(tape, weights, false, createRng(0), options);
  const outputs = forwardGraph(model, inputs.map((t) => tape.constant(cast(t, dtype))), ctx);
  const loss = totalLoss(tape, lossName, outputs, targets, options.fromLogits ?? false);
  return { tape, ctx, outputs, loss };
}

/** Which accuracy Keras reports for the model's first output and these targets. */
function accuracyKindOf(model: CompiledModel, yTrue: Tensor, lossName: string) {
  const outputLayer = model.layers.find((l) => l.name === model.outputs[0]!.layer);
  return resolveAccuracy(outputLayer?.outputShape ?? [null, 1], yTrue.shape, lossName);
}

/** The loss of one batch at inference, without gradients (for finite differences). */
export function lossValue(model: CompiledModel, weights: WeightStore, inputs: readonly Tensor[], targets: readonly Tensor[], lossName: string, dtype: ExecDType = 'float32'): number {
  return forwardLoss(model, weights, inputs, targets, lossName, { dtype }).loss.value.data[0]!;
}

/** Keras's `evaluate`: the loss and accuracy of a model on data, at inference. */
export function evaluate(model: CompiledModel, weights: WeightStore, x: readonly Tensor[], y: readonly Tensor[], lossName: string, options: ExecOptions = {}): { loss: number; accuracy: number } {
  const { outputs, loss } = forwardLoss(model, weights, x, y, lossName, options);
  return { loss: loss.value.data[0]!, accuracy: accuracy(accuracyKindOf(model, y[0]!, lossName), y[0]!, outputs[0]!.value) };
}

/** Outputs, loss and the gradient of every trainable weight for one batch (inference mode). */
export function lossAndGradients(model: CompiledModel, weights: WeightStore, inputs: readonly Tensor[], targets: readonly Tensor[], lossName: string, options: ExecOptions & { fromLogits?: boolean } = {}): LossResult {
  const { tape, ctx, outputs, loss } = forwardLoss(model, weights, inputs, targets, lossName, options);
  tape.backward(loss);
  const gradients = new Map<string, Float>();
  for (const { name, weight } of weightList(model)) {
    if (!weight.trainable) continue;
    gradients.set(name, ctx.vars.get(name)?.grad ?? alloc(tape.dtype, sizeOf(weight.shape)));
  }
  return { outputs: outputs.map((o) => o.value), loss: loss.value.data[0]!, gradients };
}

export interface FitOptions extends ExecOptions {
  readonly loss: string;
  readonly optimizer?: 'sgd' | 'adam' | 'rmsprop';
  readonly learningRate?: number;
  readonly epochs?: number;
  readonly batchSize?: number;
  readonly shuffle?: boolean;
  readonly validationSplit?: number;
  readonly seed?: number;
  /** Called after each epoch with its logs (for progress lines). */
  readonly onEpoch?: (epoch: number, logs: Record<string, number>) => void;
}

export interface History {
  readonly history: Record<string, number[]>;
  readonly epochs: number;
}

/** Training stopped because the loss stopped being a finite number. */
export class DivergedError extends Error {
  constructor(readonly epoch: number, readonly batch: number, readonly loss: number) {
    super(`the loss became ${loss} in epoch ${epoch}, batch ${batch}: training diverged`);
  }
}

/** Rows `rows` of a (N, …) tensor. */
function takeRows(t: Tensor, rows: readonly number[]): Tensor {
  const width = sizeOf(t.shape.slice(1));
  const data = alloc(dtypeOf(t.data), rows.length * width);
  rows.forEach((r, i) => data.set(t.data.subarray(r * width, (r + 1) * width), i * width));
  return { shape: [rows.length, ...t.shape.slice(1)], data };
}

function range(a: number, b: number): number[] {
  return Array.from({ length: Math.max(0, b - a) }, (_, i) => a + i);
}

/**
 * Keras's `fit`: `validation_split` takes the last fraction of the samples before any
 * shuffling; each epoch shuffles the rest (seeded) and runs mini-batches; the epoch's loss
 * and accuracy are averages over its samples, as Keras's progress bar shows them.
 */
export function fit(model: CompiledModel, weights: WeightStore, x: readonly Tensor[], y: readonly Tensor[], options: FitOptions): History {
  const dtype = options.dtype ?? 'float32';
  const n = x[0]!.shape[0]!;
  const split = options.validationSplit ?? 0;
  const nTrain = split > 0 ? Math.floor(n * (1 - split)) : n;
  const trainRows = range(0, nTrain);
  const valRows = range(nTrain, n);
  const rng = createRng(options.seed ?? 0);
  const optimizer: Optimizer = createOptimizer(options.optimizer ?? 'sgd', options.learningRate !== undefined ? { learningRate: options.learningRate } : {});
  const batchSize = options.batchSize ?? 32;
  const epochs = options.epochs ?? 1;
  const trainable = weightList(model).filter((w) => w.weight.trainable).map((w) => w.name);
  const accuracyKind = accuracyKindOf(model, y[0]!, options.loss);
  const history: Record<string, number[]> = { loss: [], accuracy: [] };
  if (valRows.length) Object.assign(history, { val_loss: [], val_accuracy: [] });
  // One tape for the whole fit: each step gets the previous step's buffers back (Tape.reset).
  const tape = new Tape(dtype);
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const order = [...trainRows];
    if (options.shuffle ?? true) shuffle(rng, order);
    let lossSum = 0;
    let correct = 0;
    let seen = 0;
    for (let start = 0, batch = 1; start < order.length; start += batchSize, batch++) {
      const rows = order.slice(start, start + batchSize);
      tape.reset();
      const ctx = context(tape, weights, true, rng, options);
      const outputs = forwardGraph(model, x.map((t) => tape.constant(cast(takeRows(t, rows), dtype))), ctx);
      const targets = y.map((t) => takeRows(t, rows));
      const loss = totalLoss(tape, options.loss, outputs, targets, false);
      const value = loss.value.data[0]!;
      if (!Number.isFinite(value)) throw new DivergedError(epoch, batch, value);
      tape.backward(loss);
      optimizer.step(trainable.map((name) => ({ value: weights.get(name)!, grad: ctx.vars.get(name)?.grad ?? alloc(dtype, weights.get(name)!.data.length) })));
      // New moving statistics outlive the step: copy them out of the tape's buffers.
      for (const [name, value2] of ctx.updates) weights.set(name, { shape: value2.shape, data: value2.data.slice() });
      lossSum += value * rows.length;
      correct += accuracy(accuracyKind, targets[0]!, outputs[0]!.value) * rows.length;
      seen += rows.length;
    }
    history['loss']!.push(lossSum / seen);
    history['accuracy']!.push(correct / seen);
    if (valRows.length) {
      // Validation needs no gradients: a forward pass at inference, as Keras's evaluate.
      const v = evaluate(model, weights, x.map((t) => takeRows(t, valRows)), y.map((t) => takeRows(t, valRows)), options.loss, { dtype, ...(options.hardSigmoid ? { hardSigmoid: options.hardSigmoid } : {}) });
      history['val_loss']!.push(v.loss);
      history['val_accuracy']!.push(v.accuracy);
    }
    options.onEpoch?.(epoch, Object.fromEntries(Object.entries(history).map(([k, v]) => [k, v[v.length - 1]!])));
  }
  return { history, epochs };
}
