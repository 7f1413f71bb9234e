import { describe, expect, it } from 'vitest';
import { accuracy, ACCURACY_METRICS, binaryAccuracy, categoricalAccuracy, resolveAccuracy, sparseCategoricalAccuracy } from '../../src/exec/metrics.js';
import { fromNested } from '../../src/exec/tensor.js';

const t = (v: unknown) => fromNested(v, 'float64');

describe('binary_accuracy', () => {
  it('the Keras docstring example: 0.75', () => {
    // keras.metrics.BinaryAccuracy().update_state([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]])
    expect(binaryAccuracy(t([[1], [1], [0], [0]]), t([[0.98], [1], [0], [0.6]]))).toBe(0.75);
  });

  it('thresholds strictly: 0.5 predicts 0', () => {
    expect(binaryAccuracy(t([[0], [0]]), t([[0.5], [0.5]]))).toBe(1);
    expect(binaryAccuracy(t([[1], [1]]), t([[0.5], [0.5]]))).toBe(0);
    expect(binaryAccuracy(t([[1]]), t([[0.5000001]]))).toBe(1);
    expect(binaryAccuracy(t([[1]]), t([[0.3]]), 0.2)).toBe(1);
  });

  it('averages over every entry of multi-label outputs; soft labels never match', () => {
    // 2 samples × 3 labels: matches 1,1,0 and 0,1,1 → 4/6.
    expect(binaryAccuracy(t([[1, 0, 1], [0.7, 0, 1]]), t([[0.9, 0.2, 0.1], [0.9, 0.4, 0.8]]))).toBeCloseTo(4 / 6, 15);
  });

  it('lines up (N,) targets with (N, 1) outputs, and rejects other shapes', () => {
    expect(binaryAccuracy(t([1, 0, 0]), t([[0.9], [0.1], [0.7]]))).toBeCloseTo(2 / 3, 15);
    expect(() => binaryAccuracy(t([[1, 0]]), t([[0.9], [0.1]]))).toThrow(/y_true has shape \(1, 2\) but y_pred has shape \(2, 1\)/);
  });
});

describe('categorical_accuracy', () => {
  it('the Keras docstring example: 0.5', () => {
    expect(categoricalAccuracy(t([[0, 0, 1], [0, 1, 0]]), t([[0.1, 0.9, 0.8], [0.05, 0.95, 0]]))).toBe(0.5);
  });

  it('argmax ties go to the first class', () => {
    expect(categoricalAccuracy(t([[1, 0, 0], [1, 0, 0]]), t([[0.4, 0.4, 0.2], [0.4, 0.4, 0.2]]))).toBe(1);
    expect(sparseCategoricalAccuracy(t([1, 1]), t([[0.4, 0.4, 0.2], [0.4, 0.4, 0.2]]))).toBe(0);
  });

  it('works on logits and on rank-3 outputs (per time step)', () => {
    expect(categoricalAccuracy(t([[0, 1], [1, 0], [1, 0]]), t([[-3, 2], [5, 7], [0.1, -0.1]]))).toBeCloseTo(2 / 3, 15);
    const yTrue = t([[[1, 0], [0, 1]], [[0, 1], [0, 1]]]);
    const yPred = t([[[0.6, 0.4], [0.3, 0.7]], [[0.9, 0.1], [0.2, 0.8]]]);
    expect(categoricalAccuracy(yTrue, yPred)).toBe(0.75);
  });

  it('rejects targets that are not one-hot rows of y_pred’s shape', () => {
    expect(() => categoricalAccuracy(t([1, 0]), t([[0.2, 0.8], [0.6, 0.4]]))).toThrow(/categorical_accuracy: y_true has shape \(2,\)/);
  });
});

describe('sparse_categorical_accuracy', () => {
  it('the Keras docstring example: 0.5, with ids of shape (N, 1) or (N,)', () => {
    const yPred = t([[0.1, 0.6, 0.3], [0.05, 0.95, 0]]);
    expect(sparseCategoricalAccuracy(t([[2], [1]]), yPred)).toBe(0.5);
    expect(sparseCategoricalAccuracy(t([2, 1]), yPred)).toBe(0.5);
    expect(sparseCategoricalAccuracy(t([1, 1]), yPred)).toBe(1);
  });

  it('rejects one-hot targets', () => {
    expect(() => sparseCategoricalAccuracy(t([[0, 1], [1, 0]]), t([[0.2, 0.8], [0.6, 0.4]]))).toThrow(/integer class ids of shape \(2,\)/);
  });

  it('accuracy(kind, …) dispatches to each metric', () => {
    for (const kind of ACCURACY_METRICS) expect(typeof accuracy(kind, kind === 'sparse_categorical_accuracy' ? t([0]) : t([[1, 0]]), t([[0.9, 0.1]]))).toBe('number');
    expect(accuracy('sparse_categorical_accuracy', t([1]), t([[0.9, 0.1]]))).toBe(0);
    expect(accuracy('categorical_accuracy', t([[1, 0]]), t([[0.9, 0.1]]))).toBe(1);
    expect(accuracy('binary_accuracy', t([[1, 0]]), t([[0.9, 0.9]]))).toBe(0.5);
  });
});

describe('resolveAccuracy (Keras 3 compile_utils)', () => {
  it('chooses from the shapes', () => {
    expect(resolveAccuracy([null, 1], [null, 1])).toBe('binary_accuracy');
    expect(resolveAccuracy([null, 1], [null])).toBe('binary_accuracy');
    expect(resolveAccuracy([null, 3], [null])).toBe('sparse_categorical_accuracy');
    expect(resolveAccuracy([null, 3], [null, 1])).toBe('sparse_categorical_accuracy');
    expect(resolveAccuracy([null, 3], [null, 3])).toBe('categorical_accuracy');
    expect(resolveAccuracy([32, 5, 4], [32, 5])).toBe('sparse_categorical_accuracy');
  });

  it('ignores the loss once y_true’s shape is known: multi-label BCE gets categorical accuracy, as in Keras 3', () => {
    expect(resolveAccuracy([null, 3], [null, 3], 'binary_crossentropy')).toBe('categorical_accuracy');
    expect(resolveAccuracy([null, 3], [null, 3], 'sparse_categorical_crossentropy')).toBe('categorical_accuracy');
  });

  it('without y_true’s shape, assumes the targets the loss expects', () => {
    expect(resolveAccuracy([null, 3], undefined, 'sparse_categorical_crossentropy')).toBe('sparse_categorical_accuracy');
    expect(resolveAccuracy([null, 3], undefined, 'sparseCategoricalCrossentropy')).toBe('sparse_categorical_accuracy');
    expect(resolveAccuracy([null, 3], undefined, 'categorical_crossentropy')).toBe('categorical_accuracy');
    expect(resolveAccuracy([null, 3], undefined)).toBe('categorical_accuracy');
    expect(resolveAccuracy([null, 1], undefined, 'sparse_categorical_crossentropy')).toBe('binary_accuracy');
  });
});
