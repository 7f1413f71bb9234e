/**
 * Keras losses, composed from ops.ts (STYLE.md rule 6): each loss builds a per-sample value
 * (the mean, or for cross-entropies over classes the sum, over the last axis), and
 * `computeLoss` averages it over everything else — Keras's default reduction
 * `"sum_over_batch_size"` (`keras/src/losses/loss.py` `reduce_values`), so every gradient
 * carries 1/batch.
 *
 * Probabilities versus logits — the one behaviour chosen here:
 * - Without `fromLogits`, predictions are taken as probabilities and clipped, as Keras 3 does
 *   on its numpy/jax/torch backends and on TensorFlow's non-logits path
 *   (`keras/src/backend/numpy/nn.py`): `p = clip(p, ε, 1 − ε)` with ε = 1e-7
 *   (`backend.epsilon()`); categorical cross-entropy first renormalises `p / Σp`. The clip
 *   bounds are rounded to the tape's dtype, so on a float32 tape the upper bound is the
 *   float32 nearest 1 − 1e-7 (1 − 2⁻²³), as in tfjs and Keras float32: the loss caps at
 *   −log(1e-7) ≈ 16.118 for (y=1, p=0) and at −log(2⁻²³) ≈ 15.942 for (y=0, p=1). On a
 *   float64 tape both caps are 16.118. Clipped entries get exactly zero gradient (the
 *   gradient of clip_by_value / np.clip); the bounds themselves are inside.
 * - TensorFlow-backed Keras (Keras 2 and Keras 3 on TF) instead notices that the output came
 *   from `activations.sigmoid`/`softmax` and computes the loss from the logits with no clip
 *   (`_get_logits`). The two agree except where the clip is active, i.e. saturated outputs
 *   (p < 1e-7 or p > 1 − 1e-7); there TF keeps a non-zero gradient and an uncapped loss.
 *   We do not guess the producer of `yPred`: a caller who wants TF's numbers passes the
 *   pre-activation with `fromLogits: true`.
 * - `fromLogits: true` uses the stable forms: binary `max(z,0) − z·y + log(1 + e^−|z|)`
 *   (= softplus(z) − z·y, TF's `sigmoid_cross_entropy_with_logits`), categorical
 *   `−Σ y·logSoftmax(z)`. Keras 3's numpy backend alone computes binary-from-logits as
 *   sigmoid-then-clip; the other backends use the stable form, as here.
 */
import type { Tape, Var } from './autograd.js';
import * as ops from './ops.js';
import type { UnaryRule } from './ops.js';
import { alloc, dtypeOf, type ExecDType, type Tensor } from './tensor.js';
import { formatShape } from '../ir/shape.js';

/** Keras's `backend.epsilon()`, the clip margin for probabilities. */
export const EPSILON = 1e-7;

/** The loss functions, by their canonical Keras 3 name. */
export const LOSS_KINDS = ['mean_squared_error', 'mean_absolute_error', 'binary_crossentropy', 'categorical_crossentropy', 'sparse_categorical_crossentropy'] as const;
export type LossKind = (typeof LOSS_KINDS)[number];

/**
 * Every name `compile(loss=...)` accepts for them: the Keras function names, Keras 3's short
 * aliases (`keras/src/losses/__init__.py` `ALL_OBJECTS_DICT`), the Keras class names, and the
 * camelCase names tfjs's `compile` takes.
 */
export const LOSSES = [
  'mean_squared_error', 'mse', 'MSE', 'MeanSquaredError', 'meanSquaredError',
  'mean_absolute_error', 'mae', 'MAE', 'MeanAbsoluteError', 'meanAbsoluteError',
  'binary_crossentropy', 'bce', 'BCE', 'BinaryCrossentropy', 'binaryCrossentropy',
  'categorical_crossentropy', 'CategoricalCrossentropy', 'categoricalCrossentropy',
  'sparse_categorical_crossentropy', 'SparseCategoricalCrossentropy', 'sparseCategoricalCrossentropy',
] as const;
export type LossName = (typeof LOSSES)[number];

/** Canonical kind of every accepted name. */
export const LOSS_KIND_OF = {
  mean_squared_error: 'mean_squared_error', mse: 'mean_squared_error', MSE: 'mean_squared_error', MeanSquaredError: 'mean_squared_error', meanSquaredError: 'mean_squared_error',
  mean_absolute_error: 'mean_absolute_error', mae: 'mean_absolute_error', MAE: 'mean_absolute_error', MeanAbsoluteError: 'mean_absolute_error', meanAbsoluteError: 'mean_absolute_error',
  binary_crossentropy: 'binary_crossentropy', bce: 'binary_crossentropy', BCE: 'binary_crossentropy', BinaryCrossentropy: 'binary_crossentropy', binaryCrossentropy: 'binary_crossentropy',
  categorical_crossentropy: 'categorical_crossentropy', CategoricalCrossentropy: 'categorical_crossentropy', categoricalCrossentropy: 'categorical_crossentropy',
  sparse_categorical_crossentropy: 'sparse_categorical_crossentropy', SparseCategoricalCrossentropy: 'sparse_categorical_crossentropy', sparseCategoricalCrossentropy: 'sparse_categorical_crossentropy',
} as const satisfies Record<LossName, LossKind>;

export function isLossName(name: string): name is LossName {
  return Object.hasOwn(LOSS_KIND_OF, name);
}

/** The canonical kind of a loss name, or undefined if Keras would not recognise it. */
export function lossKind(name: string): LossKind | undefined {
  return isLossName(name) ? LOSS_KIND_OF[name] : undefined;
}

export interface LossOptions {
  /**
   * `y_pred` holds logits rather than probabilities (cross-entropies only).
   * @default false — Keras `from_logits`
   */
  fromLogits?: boolean;
  /**
   * Moves targets towards uniform: binary `y·(1−s) + s/2`, categorical `y·(1−s) + s/C`.
   * Keras 3 has no label smoothing for sparse targets.
   * @default 0 — Keras `label_smoothing`
   */
  labelSmoothing?: number;
}

/** y_true and y_pred shapes that Keras would not line up; the caller turns it into a diagnostic. */
export class LossShapeError extends Error {
  constructor(
    readonly loss: LossKind,
    readonly yTrueShape: readonly number[],
    readonly yPredShape: readonly number[],
    expected: string,
  ) {
    super(`${loss}: y_true has shape ${formatShape(yTrueShape)} but y_pred has shape ${formatShape(yPredShape)}; expected ${expected}`);
    this.name = 'LossShapeError';
  }
}

interface LossDef {
  /** Targets are one-hot/probabilities of y_pred's shape, or integer class ids. */
  readonly targets: 'dense' | 'sparse';
  readonly options: readonly ('fromLogits' | 'labelSmoothing')[];
  /** Smoothed targets (dense, already in y_pred's shape); absent if the loss does not smooth. */
  smooth?(y: number, s: number, classes: number): number;
  /** Per-sample loss: y_pred's shape without its last axis. */
  perSample(tape: Tape, y: Var, p: Var, fromLogits: boolean): Var;
}

const LOG: UnaryRule = { f: Math.log, df: (x) => 1 / x };
const SQUARE: UnaryRule = { f: (x) => x * x, df: (x) => 2 * x };
// The derivative at 0 is 0, as TensorFlow's sign-based gradient of abs.
const ABS: UnaryRule = { f: Math.abs, df: (x) => Math.sign(x) };
const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));
// softplus(z) = max(z, 0) + log(1 + e^−|z|): never overflows, and its derivative is σ(z).
const SOFTPLUS: UnaryRule = { f: (z) => Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))), df: sigmoid };

/** clip(x, ε, 1 − ε) in the data's precision; zero derivative where clipping is active. */
function clipProbabilities(tape: Tape, p: Var): Var {
  const round = dtypeOf(p.value.data) === 'float32' ? Math.fround : (x: number) => x;
  const lo = round(EPSILON);
  const hi = round(1 - EPSILON);
  return ops.unary(tape, p, {
    f: (x) => (x < lo ? lo : x > hi ? hi : x),
    df: (x) => (x < lo || x > hi ? 0 : 1),
  });
}

const neg = (tape: Tape, x: Var) => ops.mul(tape, x, ops.scalar(tape, -1));
const oneMinus = (tape: Tape, x: Var) => ops.sub(tape, ops.scalar(tape, 1), x);

/** −Σ y·log p over the last axis, from probabilities (renormalised, clipped) or logits. */
function crossEntropy(tape: Tape, y: Var, p: Var, fromLogits: boolean): Var {
  let logP: Var;
  if (fromLogits) logP = ops.logSoftmax(tape, p, -1);
  else {
    const normalised = ops.div(tape, p, ops.sum(tape, p, [-1], true));
    logP = ops.unary(tape, clipProbabilities(tape, normalised), LOG);
  }
  return neg(tape, ops.sum(tape, ops.mul(tape, y, logP), [-1]));
}

const LOSS_DEFS = {
  mean_squared_error: {
    targets: 'dense',
    options: [],
    perSample: (tape, y, p) => ops.mean(tape, ops.unary(tape, ops.sub(tape, p, y), SQUARE), [-1]),
  },
  mean_absolute_error: {
    targets: 'dense',
    options: [],
    perSample: (tape, y, p) => ops.mean(tape, ops.unary(tape, ops.sub(tape, p, y), ABS), [-1]),
  },
  binary_crossentropy: {
    targets: 'dense',
    options: ['fromLogits', 'labelSmoothing'],
    smooth: (y, s) => y * (1 - s) + 0.5 * s,
    perSample(tape, y, p, fromLogits) {
      if (fromLogits) return ops.mean(tape, ops.sub(tape, ops.unary(tape, p, SOFTPLUS), ops.mul(tape, y, p)), [-1]);
      const q = clipProbabilities(tape, p);
      const logQ = ops.unary(tape, q, LOG);
      const log1mQ = ops.unary(tape, oneMinus(tape, q), LOG);
      const bce = neg(tape, ops.add(tape, ops.mul(tape, y, logQ), ops.mul(tape, oneMinus(tape, y), log1mQ)));
      return ops.mean(tape, bce, [-1]);
    },
  },
  categorical_crossentropy: {
    targets: 'dense',
    options: ['fromLogits', 'labelSmoothing'],
    smooth: (y, s, classes) => y * (1 - s) + s / classes,
    perSample: crossEntropy,
  },
  sparse_categorical_crossentropy: {
    targets: 'sparse',
    options: ['fromLogits'],
    perSample: crossEntropy,
  },
} as const satisfies Record<LossKind, LossDef>;

/**
 * The scalar training loss `name(y_true, y_pred)` with Keras's `"sum_over_batch_size"`
 * reduction, recorded on `tape` so that `tape.backward` yields ∂loss/∂y_pred.
 *
 * `yTrue` must have y_pred's shape, give or take a trailing axis of size 1 (Keras's
 * `squeeze_or_expand_to_same_rank`); for sparse_categorical_crossentropy it holds integer
 * class ids of shape y_pred.shape[:-1], optionally with a trailing 1. Keras would broadcast
 * other near-misses such as (N, 1) against (N, k); we refuse them with a `LossShapeError`.
 *
 * @see https://keras.io/api/losses/
 */
export function computeLoss(tape: Tape, name: string, yTrue: Tensor, yPred: Var, options: LossOptions = {}): Var {
  const kind = lossKind(name);
  if (!kind) throw new Error(`unknown loss "${name}"; expected one of ${LOSSES.join(', ')}`);
  const def: LossDef = LOSS_DEFS[kind];
  const fromLogits = options.fromLogits ?? false;
  const smoothing = options.labelSmoothing ?? 0;
  if (fromLogits && !def.options.includes('fromLogits')) throw new Error(`${kind} has no from_logits option`);
  if (smoothing !== 0) {
    if (!def.options.includes('labelSmoothing')) throw new Error(`${kind} has no label_smoothing option in Keras 3`);
    if (!(smoothing >= 0 && smoothing <= 1)) throw new RangeError(`label_smoothing must be between 0 and 1, got ${smoothing}`);
  }
  const predShape = yPred.value.shape;
  if (predShape.length === 0) throw new LossShapeError(kind, yTrue.shape, predShape, 'y_pred of rank 1 or more');
  const dtype = dtypeOf(yPred.value.data);
  const classes = predShape[predShape.length - 1]!;
  const smooth = def.smooth;
  const target =
    def.targets === 'sparse'
      ? oneHot(kind, yTrue, predShape, dtype)
      : denseTargets(kind, yTrue, predShape, dtype, smooth && smoothing !== 0 ? (y) => smooth(y, smoothing, classes) : undefined);
  return ops.mean(tape, def.perSample(tape, tape.constant(target), yPred, fromLogits));
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** y_true as a tensor of y_pred's shape and dtype (copied, smoothed if asked). */
function denseTargets(kind: LossKind, yTrue: Tensor, predShape: readonly number[], dtype: ExecDType, smooth?: (y: number) => number): Tensor {
  const t = yTrue.shape;
  const aligned = sameShape(t, predShape) || sameShape(t, [...predShape, 1]) || sameShape([...t, 1], predShape);
  if (!aligned) throw new LossShapeError(kind, t, predShape, `y_true of shape ${formatShape(predShape)}`);
  const data = alloc(dtype, yTrue.data.length);
  for (let i = 0; i < data.length; i++) data[i] = smooth ? smooth(yTrue.data[i]!) : yTrue.data[i]!;
  return { shape: predShape, data };
}

/** Integer class ids of shape y_pred.shape[:-1] (or with a trailing 1) → one-hot rows. */
function oneHot(kind: LossKind, yTrue: Tensor, predShape: readonly number[], dtype: ExecDType): Tensor {
  const outer = predShape.slice(0, -1);
  const classes = predShape[predShape.length - 1]!;
  if (!sameShape(yTrue.shape, outer) && !sameShape(yTrue.shape, [...outer, 1])) {
    throw new LossShapeError(kind, yTrue.shape, predShape, `integer class ids of shape ${formatShape(outer)} or ${formatShape([...outer, 1])}`);
  }
  const data = alloc(dtype, yTrue.data.length * classes);
  for (let i = 0; i < yTrue.data.length; i++) {
    const c = yTrue.data[i]!;
    if (!Number.isInteger(c) || c < 0 || c >= classes) {
      throw new RangeError(`${kind}: y_true[${i}] is ${c}; expected an integer class id from 0 to ${classes - 1}`);
    }
    data[i * classes + c] = 1;
  }
  return { shape: predShape, data };
}
