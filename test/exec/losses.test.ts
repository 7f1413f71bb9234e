import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Tape, type Var } from '../../src/exec/autograd.js';
import { gradcheck } from '../../src/exec/gradcheck.js';
import { computeLoss, LOSS_KIND_OF, LOSS_KINDS, LOSSES, LossShapeError, lossKind, type LossOptions } from '../../src/exec/losses.js';
import * as ops from '../../src/exec/ops.js';
import { fromNested, type ExecDType, type Tensor } from '../../src/exec/tensor.js';

/** Uniform values in [lo, hi] from a small LCG (deterministic per seed). */
function uniform(shape: number[], seed: number, lo: number, hi: number): Tensor {
  let s = seed + 1;
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    data[i] = lo + ((hi - lo) * s) / 2147483648;
  }
  return { shape, data };
}

/** One-hot rows of width k for class ids. */
function oneHotRows(ids: number[], k: number): number[][] {
  return ids.map((c) => Array.from({ length: k }, (_, j) => (j === c ? 1 : 0)));
}

/** Loss value and its gradient with respect to y_pred. */
function lossAndGrad(name: string, yTrue: unknown, yPred: unknown, options?: LossOptions, dtype: ExecDType = 'float64') {
  const tape = new Tape(dtype);
  const p = tape.variable(fromNested(yPred, dtype));
  const loss = computeLoss(tape, name, fromNested(yTrue, dtype), p, options);
  tape.backward(loss);
  return { loss, value: loss.value.data[0]!, grad: Array.from(p.grad!) };
}

/** The same helper as ops.test.ts: every input gradient against float64 finite differences. */
function expectGradients(fn: (tape: Tape, vars: Var[]) => Var, inputs: Tensor[]) {
  const { relativeErrors, absoluteErrors } = gradcheck(fn, inputs);
  relativeErrors.forEach((r, i) => expect(r < 1e-6 || absoluteErrors[i]! < 1e-8, `input ${i}: relative error ${r}`).toBe(true));
}

const log = Math.log;
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const softmaxRow = (z: number[]) => {
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};

describe('loss names', () => {
  it('every accepted name maps to a kind, and every kind is reachable', () => {
    for (const name of LOSSES) expect(LOSS_KINDS).toContain(lossKind(name));
    for (const kind of LOSS_KINDS) expect(LOSSES).toContain(kind);
    expect(new Set(Object.values(LOSS_KIND_OF))).toEqual(new Set(LOSS_KINDS));
  });

  it('maps the Keras short aliases and the tfjs camelCase names', () => {
    expect(lossKind('mse')).toBe('mean_squared_error');
    expect(lossKind('mae')).toBe('mean_absolute_error');
    expect(lossKind('binaryCrossentropy')).toBe('binary_crossentropy');
    expect(lossKind('meanSquaredError')).toBe('mean_squared_error');
    expect(lossKind('sparseCategoricalCrossentropy')).toBe('sparse_categorical_crossentropy');
    expect(lossKind('toString')).toBeUndefined();
    expect(lossKind('cross_entropy')).toBeUndefined();
  });

  it('aliases compute the same loss; an unknown name throws', () => {
    const y = [[0, 1], [1, 0]];
    const p = [[0.3, 0.6], [0.8, 0.1]];
    expect(lossAndGrad('binaryCrossentropy', y, p).value).toBe(lossAndGrad('binary_crossentropy', y, p).value);
    expect(lossAndGrad('MSE', y, p).value).toBe(lossAndGrad('mean_squared_error', y, p).value);
    expect(() => lossAndGrad('hinge_loss', y, p)).toThrow(/unknown loss "hinge_loss"/);
  });
});

describe('values against independent formulas', () => {
  const y = [[1, 2], [3, 4]];
  const p = [[1.5, 2], [2, 5]];

  it('mean_squared_error: per-sample mean over the last axis, then mean over the batch', () => {
    // ((0.25 + 0) / 2 + (1 + 1) / 2) / 2
    expect(lossAndGrad('mse', y, p).value).toBeCloseTo(0.5625, 14);
  });

  it('mean_absolute_error', () => {
    // ((0.5 + 0) / 2 + (1 + 1) / 2) / 2
    expect(lossAndGrad('mae', y, p).value).toBeCloseTo(0.625, 14);
  });

  it('binary_crossentropy: the Keras docstring example', () => {
    // keras.losses.binary_crossentropy([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]) → [0.916, 0.714]
    const perSample = [-(log(0.4) + log(0.4)) / 2, -(log(0.6) + log(0.4)) / 2];
    expect(perSample[0]).toBeCloseTo(0.916, 3);
    expect(perSample[1]).toBeCloseTo(0.714, 3);
    expect(lossAndGrad('binary_crossentropy', [[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]).value).toBeCloseTo(mean(perSample), 14);
  });

  it('categorical and sparse categorical crossentropy: the Keras docstring example (1.1769392)', () => {
    const pred = [[0.05, 0.95, 0], [0.1, 0.8, 0.1]];
    const expected = (-log(0.95) - log(0.1)) / 2;
    expect(expected).toBeCloseTo(1.1769392, 6);
    expect(lossAndGrad('categorical_crossentropy', [[0, 1, 0], [0, 0, 1]], pred).value).toBeCloseTo(expected, 12);
    expect(lossAndGrad('sparse_categorical_crossentropy', [1, 2], pred).value).toBeCloseTo(expected, 12);
    expect(lossAndGrad('sparse_categorical_crossentropy', [[1], [2]], pred).value).toBeCloseTo(expected, 12);
  });

  it('categorical_crossentropy renormalises probabilities that do not sum to one', () => {
    expect(lossAndGrad('categorical_crossentropy', [[0, 1]], [[1, 3]]).value).toBeCloseTo(-log(0.75), 14);
  });

  it('binary_crossentropy from logits equals −(y·log σ(z) + (1−y)·log(1−σ(z)))', () => {
    const z = [[-2, 0.5, 3], [1, -0.25, 0]];
    const t = [[0, 1, 1], [0, 0, 1]];
    const expected = mean(z.map((row, i) => mean(row.map((zi, j) => -(t[i]![j]! * log(sigmoid(zi)) + (1 - t[i]![j]!) * log(1 - sigmoid(zi)))))));
    expect(lossAndGrad('bce', t, z, { fromLogits: true }).value).toBeCloseTo(expected, 13);
  });

  it('categorical and sparse crossentropy from logits equal −Σ y·log softmax(z)', () => {
    const z = [[2, -1, 0.5], [0, 0, 3], [-4, 1, 1]];
    const ids = [0, 2, 1];
    const expected = mean(z.map((row, i) => -log(softmaxRow(row)[ids[i]!]!)));
    expect(lossAndGrad('categorical_crossentropy', oneHotRows(ids, 3), z, { fromLogits: true }).value).toBeCloseTo(expected, 13);
    expect(lossAndGrad('sparse_categorical_crossentropy', ids, z, { fromLogits: true }).value).toBeCloseTo(expected, 13);
  });

  it('the reduction divides by every non-class element: rank-3 outputs average over batch and time', () => {
    const yt = [[[1, 0], [0, 1], [1, 1]], [[0, 0], [1, 0], [0, 1]]];
    const yp = [[[0.2, 0.4], [0.9, 0.1], [0.5, 0.5]], [[0.3, 0.3], [0.6, 0.6], [0.1, 0.7]]];
    const sq = yt.flat().map((row, i) => mean(row.map((v, j) => (v - yp.flat()[i]![j]!) ** 2)));
    expect(lossAndGrad('mse', yt, yp).value).toBeCloseTo(mean(sq), 14);
  });

  it('the batch loss is the mean of the one-sample losses (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...LOSS_KINDS), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 2, max: 4 }), fc.nat(), (kind, n, k, seed) => {
        const rows = (t: Tensor) => Array.from({ length: n }, (_, i) => Array.from(t.data.subarray(i * k, i * k + k)));
        const ids = Array.from({ length: n }, (_, i) => (seed + i) % k);
        const yRows = kind === 'sparse_categorical_crossentropy' ? ids : kind === 'categorical_crossentropy' ? oneHotRows(ids, k) : rows(uniform([n, k], seed + 7, 0, 1));
        const pRows = rows(uniform([n, k], seed, 0.05, 0.95));
        const whole = lossAndGrad(kind, yRows, pRows).value;
        const single = mean(pRows.map((row, i) => lossAndGrad(kind, [yRows[i]], [row]).value));
        expect(whole).toBeCloseTo(single, 12);
      }),
      { numRuns: 40 },
    );
  });
});

describe('clipping of probabilities (ε = 1e-7)', () => {
  it('float64: binary crossentropy caps at −log(1e-7) on both sides', () => {
    expect(lossAndGrad('binary_crossentropy', [[1]], [[0]]).value).toBeCloseTo(-log(1e-7), 6);
    expect(-log(1e-7)).toBeCloseTo(16.118, 3);
    expect(lossAndGrad('binary_crossentropy', [[0]], [[1]]).value).toBeCloseTo(16.118, 3);
  });

  it('float32: the upper bound rounds to 1 − 2⁻²³, so (y=0, p=1) caps at 15.942 as in tfjs', () => {
    expect(lossAndGrad('binary_crossentropy', [[1]], [[0]], {}, 'float32').value).toBeCloseTo(16.118, 3);
    expect(lossAndGrad('binary_crossentropy', [[0]], [[1]], {}, 'float32').value).toBeCloseTo(23 * Math.LN2, 4);
    expect(23 * Math.LN2).toBeCloseTo(15.942, 3);
  });

  it('clipped entries get exactly zero gradient; entries inside [ε, 1−ε] keep theirs', () => {
    // N·k = 4: the unclipped entries' gradients are (−y/p + (1−y)/(1−p)) / 4.
    const { grad } = lossAndGrad('binary_crossentropy', [[1, 0, 1, 0]], [[0, 1, 0.5, 1e-7]]);
    // −0 and +0 are both exactly zero (a negative upstream gradient times 0 gives −0).
    expect(grad[0] === 0).toBe(true);
    expect(grad[1] === 0).toBe(true);
    expect(grad[2]).toBeCloseTo(-1 / 0.5 / 4, 14);
    expect(grad[3]).toBeCloseTo(1 / (1 - 1e-7) / 4, 14);
    // Just outside the bounds: clipped, zero. Just inside: the full gradient.
    const outside = lossAndGrad('binary_crossentropy', [[1, 0]], [[5e-8, 1 - 5e-8]]).grad;
    expect(outside.every((g) => g === 0)).toBe(true);
    const inside = lossAndGrad('binary_crossentropy', [[1]], [[2e-7]]).grad;
    expect(inside[0]).toBeCloseTo(-1 / 2e-7, 2);
  });

  it('categorical_crossentropy clips too: (y=[0,1], p=[1,0]) costs −log(1e-7) with zero gradient on the clipped class', () => {
    const { value, grad } = lossAndGrad('categorical_crossentropy', [[0, 1]], [[1, 0]]);
    expect(value).toBeCloseTo(-log(1e-7), 6);
    // Both normalised entries are clipped (1 → 1−ε, 0 → ε): nothing flows back.
    expect(grad.every((g) => g === 0)).toBe(true);
  });

  it('the other side of the choice: from logits nothing is clipped (TF-backed Keras on sigmoid/softmax outputs)', () => {
    // σ(−30) ≈ 9.4e-14 < ε: clipped as a probability, but exact from the logit.
    const fromLogit = lossAndGrad('binary_crossentropy', [[1]], [[-30]], { fromLogits: true });
    expect(fromLogit.value).toBeCloseTo(30 + Math.log1p(Math.exp(-30)), 10);
    expect(fromLogit.grad[0]).toBeCloseTo(sigmoid(-30) - 1, 12);
    const fromProbability = lossAndGrad('binary_crossentropy', [[1]], [[sigmoid(-30)]]);
    expect(fromProbability.value).toBeCloseTo(-log(1e-7), 6);
    expect(fromProbability.grad[0] === 0).toBe(true);
    // Unsaturated, both agree.
    const z = 0.7;
    expect(lossAndGrad('bce', [[1]], [[sigmoid(z)]]).value).toBeCloseTo(lossAndGrad('bce', [[1]], [[z]], { fromLogits: true }).value, 13);
  });

  it('from logits stays finite for huge logits', () => {
    const { value, grad } = lossAndGrad('categorical_crossentropy', [[1, 0]], [[-1000, 1000]], { fromLogits: true });
    expect(value).toBeCloseTo(2000, 9);
    expect(grad[0]).toBeCloseTo(-1, 12);
    expect(lossAndGrad('binary_crossentropy', [[0]], [[800]], { fromLogits: true }).value).toBeCloseTo(800, 9);
  });
});

describe('gradients against float64 finite differences (away from the clip bounds)', () => {
  const cases: [string, (seed: number) => Tensor, (seed: number) => Tensor, LossOptions][] = [
    ['mean_squared_error', (s) => uniform([3, 4], s, -2, 2), (s) => uniform([3, 4], s + 1, -2, 2), {}],
    ['mean_absolute_error', (s) => uniform([3, 4], s, -2, 2), (s) => uniform([3, 4], s + 1, -2, 2), {}],
    ['binary_crossentropy', (s) => uniform([3, 4], s, 0, 1), (s) => uniform([3, 4], s + 1, 0.1, 0.9), {}],
    ['binary_crossentropy', (s) => uniform([3, 4], s, 0, 1), (s) => uniform([3, 4], s + 1, -4, 4), { fromLogits: true }],
    ['binary_crossentropy', (s) => uniform([3, 4], s, 0, 1), (s) => uniform([3, 4], s + 1, 0.1, 0.9), { labelSmoothing: 0.2 }],
    ['categorical_crossentropy', () => fromNested(oneHotRows([0, 2, 1], 3), 'float64'), (s) => uniform([3, 3], s, 0.2, 1), {}],
    ['categorical_crossentropy', (s) => uniform([3, 3], s, 0, 1), (s) => uniform([3, 3], s, -3, 3), { fromLogits: true }],
    ['categorical_crossentropy', () => fromNested(oneHotRows([1, 1, 0], 3), 'float64'), (s) => uniform([3, 3], s, 0.2, 1), { labelSmoothing: 0.1 }],
    ['sparse_categorical_crossentropy', () => fromNested([2, 0, 1], 'float64'), (s) => uniform([3, 3], s, 0.2, 1), {}],
    ['sparse_categorical_crossentropy', () => fromNested([[2], [0], [1]], 'float64'), (s) => uniform([3, 3], s, -3, 3), { fromLogits: true }],
  ];
  for (const [name, target, prediction, options] of cases) {
    it(`${name} ${JSON.stringify(options)}`, () => {
      for (const seed of [3, 11, 29]) {
        const yTrue = target(seed);
        expectGradients((tape, [p]) => computeLoss(tape, name, yTrue, p!, options), [prediction(seed + 100)]);
      }
    });
  }

  it('MAE away from its kink at zero error', () => {
    // MAE's derivative jumps at p = y; the inputs above avoid that (independent draws).
    const { grad } = lossAndGrad('mae', [[1, 1], [1, 1]], [[2, 0], [1.5, 0.5]]);
    expect(grad).toEqual([0.25, -0.25, 0.25, -0.25]);
  });
});

describe('closed-form gradients', () => {
  it('mean_squared_error: 2(p − y)/(N·k)', () => {
    const y = [[1, 2, 3], [4, 5, 6]];
    const p = [[1.5, 1, 3], [2, 5.25, 7]];
    const { grad } = lossAndGrad('mse', y, p);
    const expected = p.flat().map((v, i) => (2 * (v - y.flat()[i]!)) / 6);
    grad.forEach((g, i) => expect(g).toBeCloseTo(expected[i]!, 14));
  });

  it('softmax + categorical_crossentropy from logits: (softmax(z) − y)/N', () => {
    const z = [[1, 2, 0.5], [-1, 0, 3]];
    const y = oneHotRows([2, 0], 3);
    const { grad } = lossAndGrad('categorical_crossentropy', y, z, { fromLogits: true });
    const expected = z.flatMap((row, i) => softmaxRow(row).map((s, j) => (s - y[i]![j]!) / 2));
    grad.forEach((g, i) => expect(g).toBeCloseTo(expected[i]!, 14));
    // The same through an explicit softmax layer and the probability path (no clip active).
    const tape = new Tape('float64');
    const zv = tape.variable(fromNested(z, 'float64'));
    tape.backward(computeLoss(tape, 'categorical_crossentropy', fromNested(y, 'float64'), ops.softmax(tape, zv)));
    Array.from(zv.grad!).forEach((g, i) => expect(g).toBeCloseTo(expected[i]!, 12));
  });

  it('sigmoid + binary_crossentropy from logits: (σ(z) − y)/(N·k)', () => {
    const z = [[-1, 0.5], [2, 0], [0.3, -3]];
    const y = [[0, 1], [1, 1], [0, 0]];
    const { grad } = lossAndGrad('binary_crossentropy', y, z, { fromLogits: true });
    const expected = z.flat().map((v, i) => (sigmoid(v) - y.flat()[i]!) / 6);
    grad.forEach((g, i) => expect(g).toBeCloseTo(expected[i]!, 14));
  });

  it('binary_crossentropy on probabilities: (−y/p + (1−y)/(1−p))/(N·k)', () => {
    const p = [[0.2, 0.7], [0.5, 0.9]];
    const y = [[1, 0], [0, 1]];
    const { grad } = lossAndGrad('binary_crossentropy', y, p);
    const expected = p.flat().map((v, i) => (-y.flat()[i]! / v + (1 - y.flat()[i]!) / (1 - v)) / 4);
    grad.forEach((g, i) => expect(g).toBeCloseTo(expected[i]!, 12));
  });
});

describe('label smoothing', () => {
  it('binary: targets move to y·(1−s) + s/2', () => {
    const p = [[0.3, 0.8]];
    const s = 0.2;
    const t = [0.1, 0.9]; // y = [0, 1] smoothed
    const expected = mean(p[0]!.map((v, j) => -(t[j]! * log(v) + (1 - t[j]!) * log(1 - v))));
    expect(lossAndGrad('binary_crossentropy', [[0, 1]], p, { labelSmoothing: s }).value).toBeCloseTo(expected, 13);
    // From logits as well.
    const z = [[-0.5, 1.5]];
    const expectedLogits = mean(z[0]!.map((v, j) => -(t[j]! * log(sigmoid(v)) + (1 - t[j]!) * log(1 - sigmoid(v)))));
    expect(lossAndGrad('binary_crossentropy', [[0, 1]], z, { labelSmoothing: s, fromLogits: true }).value).toBeCloseTo(expectedLogits, 13);
  });

  it('categorical: targets move to y·(1−s) + s/C', () => {
    const p = [[0.2, 0.5, 0.3]];
    const t = [0.1, 0.8, 0.1]; // y = [0, 1, 0], s = 0.3, C = 3
    const expected = -t.reduce((acc, ti, j) => acc + ti * log(p[0]![j]!), 0);
    expect(lossAndGrad('categorical_crossentropy', [[0, 1, 0]], p, { labelSmoothing: 0.3 }).value).toBeCloseTo(expected, 13);
  });

  it('is rejected where Keras 3 has no such option, and out of [0, 1]', () => {
    expect(() => lossAndGrad('sparse_categorical_crossentropy', [1], [[0.5, 0.5]], { labelSmoothing: 0.1 })).toThrow(/no label_smoothing/);
    expect(() => lossAndGrad('mse', [[1]], [[0.5]], { labelSmoothing: 0.1 })).toThrow(/no label_smoothing/);
    expect(() => lossAndGrad('bce', [[1]], [[0.5]], { labelSmoothing: 1.5 })).toThrow(/between 0 and 1/);
    expect(() => lossAndGrad('mae', [[1]], [[0.5]], { fromLogits: true })).toThrow(/no from_logits/);
    // Zero smoothing and fromLogits: false are accepted everywhere.
    expect(lossAndGrad('mse', [[1]], [[0.5]], { labelSmoothing: 0, fromLogits: false }).value).toBeCloseTo(0.25, 14);
  });
});

describe('shapes', () => {
  it('a trailing axis of size 1 lines up, as Keras squeezes or expands it', () => {
    const a = lossAndGrad('bce', [1, 0, 1], [[0.7], [0.2], [0.6]]).value;
    const b = lossAndGrad('bce', [[1], [0], [1]], [[0.7], [0.2], [0.6]]).value;
    expect(a).toBe(b);
    expect(lossAndGrad('mse', [[1], [2]], [1.5, 2.5]).value).toBeCloseTo(0.25, 14);
  });

  it('mismatched shapes throw a LossShapeError naming both', () => {
    let error: unknown;
    try {
      lossAndGrad('binary_crossentropy', [[1], [0], [1], [0]], [[0.5, 0.5], [0.5, 0.5], [0.5, 0.5], [0.5, 0.5]]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LossShapeError);
    expect((error as LossShapeError).message).toMatch(/y_true has shape \(4, 1\) but y_pred has shape \(4, 2\)/);
    expect((error as LossShapeError).yTrueShape).toEqual([4, 1]);
    expect((error as LossShapeError).yPredShape).toEqual([4, 2]);
    expect(() => lossAndGrad('categorical_crossentropy', [0, 1], [[0.5, 0.5], [0.5, 0.5]])).toThrow(LossShapeError);
    expect(() => lossAndGrad('sparse_categorical_crossentropy', [[0, 1], [1, 0]], [[0.5, 0.5], [0.5, 0.5]])).toThrow(/integer class ids of shape \(2,\)/);
  });

  it('sparse class ids must be integers inside the class range', () => {
    expect(() => lossAndGrad('sparse_categorical_crossentropy', [0, 3], [[0.5, 0.5], [0.5, 0.5]])).toThrow(/y_true\[1\] is 3; expected an integer class id from 0 to 1/);
    expect(() => lossAndGrad('sparse_categorical_crossentropy', [0.5], [[0.5, 0.5]])).toThrow(RangeError);
    expect(() => lossAndGrad('sparse_categorical_crossentropy', [-1], [[0.5, 0.5]])).toThrow(RangeError);
  });

  it('returns a scalar on the tape and keeps float32 on a float32 tape', () => {
    const { loss } = lossAndGrad('mse', [[1, 2]], [[0, 0]], {}, 'float32');
    expect(loss.value.shape).toEqual([]);
    expect(loss.value.data).toBeInstanceOf(Float32Array);
    expect(loss.value.data[0]).toBeCloseTo(2.5, 6);
  });
});
