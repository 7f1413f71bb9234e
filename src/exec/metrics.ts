/**
 * Accuracy metrics as Keras 3 computes them (`keras/src/metrics/accuracy_metrics.py`), and the
 * choice Keras makes for `metrics=["accuracy"]`. Plain numbers, no tape: metrics are
 * reported, never differentiated. Each returns the mean over all samples (and any axes
 * between the batch and the last), as Keras's MeanMetricWrapper does over one batch.
 */
import type { Shape } from '../ir/shape.js';
import { formatShape } from '../ir/shape.js';
import { lossKind } from './losses.js';
import type { Tensor } from './tensor.js';

export const ACCURACY_METRICS = ['binary_accuracy', 'categorical_accuracy', 'sparse_categorical_accuracy'] as const;
export type AccuracyMetric = (typeof ACCURACY_METRICS)[number];

function same(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Keras's `squeeze_or_expand_to_same_rank` leaves these two shapes element-aligned. */
function aligned(t: readonly number[], p: readonly number[]): boolean {
  return same(t, p) || same(t, [...p, 1]) || same([...t, 1], p);
}

function shapeError(metric: AccuracyMetric, yTrue: Tensor, yPred: Tensor, expected: string): Error {
  return new Error(`${metric}: y_true has shape ${formatShape(yTrue.shape)} but y_pred has shape ${formatShape(yPred.shape)}; expected ${expected}`);
}

/**
 * Fraction of entries where `(y_pred > threshold)` equals y_true (strictly greater, so 0.5
 * itself counts as 0; a soft label such as 0.7 never matches).
 * @see https://keras.io/api/metrics/accuracy_metrics/#binaryaccuracy-class
 */
export function binaryAccuracy(yTrue: Tensor, yPred: Tensor, threshold = 0.5): number {
  if (!aligned(yTrue.shape, yPred.shape)) throw shapeError('binary_accuracy', yTrue, yPred, `y_true of shape ${formatShape(yPred.shape)}`);
  const n = yPred.data.length;
  let hits = 0;
  for (let i = 0; i < n; i++) if ((yPred.data[i]! > threshold ? 1 : 0) === yTrue.data[i]) hits++;
  return n === 0 ? 0 : hits / n;
}

/** Index of the largest entry of each row of the last axis (the first one on ties, as argmax). */
function argmaxRows(t: Tensor): Int32Array {
  const k = t.shape[t.shape.length - 1]!;
  const rows = k === 0 ? 0 : t.data.length / k;
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (t.data[r * k + j]! > t.data[r * k + best]!) best = j;
    out[r] = best;
  }
  return out;
}

function matchRate(classes: ArrayLike<number>, predicted: Int32Array): number {
  let hits = 0;
  for (let i = 0; i < predicted.length; i++) if (classes[i] === predicted[i]) hits++;
  return predicted.length === 0 ? 0 : hits / predicted.length;
}

/**
 * Fraction of samples whose argmax of y_pred equals the argmax of the one-hot y_true.
 * @see https://keras.io/api/metrics/accuracy_metrics/#categoricalaccuracy-class
 */
export function categoricalAccuracy(yTrue: Tensor, yPred: Tensor): number {
  if (!same(yTrue.shape, yPred.shape) || yPred.shape.length === 0) throw shapeError('categorical_accuracy', yTrue, yPred, `one-hot y_true of shape ${formatShape(yPred.shape)}`);
  return matchRate(argmaxRows(yTrue), argmaxRows(yPred));
}

/**
 * Fraction of samples whose argmax of y_pred equals the integer class id in y_true, of shape
 * y_pred.shape[:-1] or with a trailing 1.
 * @see https://keras.io/api/metrics/accuracy_metrics/#sparsecategoricalaccuracy-class
 */
export function sparseCategoricalAccuracy(yTrue: Tensor, yPred: Tensor): number {
  const outer = yPred.shape.slice(0, -1);
  if (yPred.shape.length === 0 || !(same(yTrue.shape, outer) || same(yTrue.shape, [...outer, 1]))) {
    throw shapeError('sparse_categorical_accuracy', yTrue, yPred, `integer class ids of shape ${formatShape(outer)}`);
  }
  return matchRate(yTrue.data, argmaxRows(yPred));
}

export const ACCURACY = {
  binary_accuracy: binaryAccuracy,
  categorical_accuracy: categoricalAccuracy,
  sparse_categorical_accuracy: sparseCategoricalAccuracy,
} satisfies Record<AccuracyMetric, (yTrue: Tensor, yPred: Tensor) => number>;

/** The accuracy `metric` of one batch. */
export function accuracy(metric: AccuracyMetric, yTrue: Tensor, yPred: Tensor): number {
  return ACCURACY[metric](yTrue, yPred);
}

/**
 * The metric Keras 3 runs for `metrics=["accuracy"]` (or `"acc"`), chosen from shapes
 * (`keras/src/trainers/compile_utils.py` `is_binary_or_sparse_categorical`):
 * y_pred's last dim 1 → binary; y_true of lower rank, or last dim 1 against y_pred's > 1 →
 * sparse categorical; otherwise categorical. The loss plays no part in Keras 3 (nor in
 * tf.keras 2's `compile_utils`); only tf.keras's v1 graph-mode loop picked binary accuracy
 * for any binary_crossentropy, so a multi-label (N, k>1) BCE model reports categorical
 * accuracy in Keras 3 but binary accuracy there.
 *
 * `lossName` is only consulted when y_true's shape is not known yet (before data is seen):
 * y_true is then assumed to be what the loss expects — class ids of y_pred.shape[:-1] for
 * sparse_categorical_crossentropy, y_pred's own shape otherwise.
 */
export function resolveAccuracy(yPredShape: Shape, yTrueShape: Shape | undefined, lossName?: string): AccuracyMetric {
  const trueShape = yTrueShape ?? (lossName !== undefined && lossKind(lossName) === 'sparse_categorical_crossentropy' ? yPredShape.slice(0, -1) : yPredShape);
  const pLast = yPredShape[yPredShape.length - 1];
  const tLast = trueShape[trueShape.length - 1];
  if (pLast === 1) return 'binary_accuracy';
  // `None > 1` is an error in Python; an unknown last dim here is taken as not > 1.
  if (trueShape.length < yPredShape.length || (tLast === 1 && pLast !== null && pLast !== undefined && pLast > 1)) return 'sparse_categorical_accuracy';
  return 'categorical_accuracy';
}
