import { describe, expect, it } from 'vitest';
import { expectClose, expectLayerGradients, rand, runLayer, stats, t64 } from './forward-helpers.js';

/** Column j of a (n, c) nested array. */
const column = (x: number[][], j: number) => x.map((row) => row[j]!);

describe('BatchNormalization: training', () => {
  // Channel statistics chosen to be exact in binary: means 3, 2, 0 and variances 3.5, 4, 1.
  const x = [[1, 0, -1], [2, 0, 1], [3, 4, -1], [6, 4, 1]];
  const batchMean = [3, 2, 0];
  const batchVar = [3.5, 4, 1];
  const moving = { moving_mean: [0.5, -1, 2], moving_variance: [1, 2, 0.5] };
  const unit = { gamma: [1, 1, 1], beta: [0, 0, 0], ...moving };

  it('normalises every channel to mean 0 and (biased) variance 1', () => {
    const r = runLayer('BatchNormalization', { epsilon: 0 }, [x], unit, { training: true });
    const y = r.value as number[][];
    for (let j = 0; j < 3; j++) {
      const s = stats(column(y, j));
      expect(s.mean).toBeCloseTo(0, 14);
      expect(s.variance).toBeCloseTo(1, 14);
    }
  });

  it('computes gamma · (x − mean) / sqrt(var + epsilon) + beta with the batch statistics', () => {
    const gamma = [2, 0.5, -1];
    const beta = [1, 0, 3];
    const r = runLayer('BatchNormalization', { epsilon: 0.01 }, [x], { gamma, beta, ...moving }, { training: true });
    const expected = x.map((row) => row.map((v, j) => (gamma[j]! * (v - batchMean[j]!)) / Math.sqrt(batchVar[j]! + 0.01) + beta[j]!));
    expectClose(r.value, expected, 13);
  });

  it('updates the moving statistics by moving · momentum + batch · (1 − momentum)', () => {
    const r = runLayer('BatchNormalization', { momentum: 0.9 }, [x], unit, { training: true });
    expect([...r.updates.keys()].sort()).toEqual(['moving_mean', 'moving_variance']);
    const mean = r.updates.get('moving_mean')!;
    const variance = r.updates.get('moving_variance')!;
    expect(mean.shape).toEqual([3]);
    expect(variance.shape).toEqual([3]);
    expect([...mean.data]).toEqual(moving.moving_mean.map((m, j) => m * 0.9 + batchMean[j]! * (1 - 0.9)));
    expect([...variance.data]).toEqual(moving.moving_variance.map((m, j) => m * 0.9 + batchVar[j]! * (1 - 0.9)));
    expectClose([...mean.data], [0.75, -0.7, 1.8], 15);
    expectClose([...variance.data], [1.25, 2.2, 0.55], 15);
  });

  it('normalises the channel axis 1 of a channels-first input over the batch and the other axes', () => {
    const input = rand([3, 2, 4], 1);
    const r = runLayer('BatchNormalization', { axis: 1, epsilon: 0 }, [input], { gamma: [1, 1], beta: [0, 0], moving_mean: [0, 0], moving_variance: [1, 1] }, { training: true });
    const y = r.out.value.data;
    for (let c = 0; c < 2; c++) {
      const values: number[] = [];
      for (let b = 0; b < 3; b++) for (let s = 0; s < 4; s++) values.push(y[(b * 2 + c) * 4 + s]!);
      const st = stats(values);
      expect(st.mean).toBeCloseTo(0, 13);
      expect(st.variance).toBeCloseTo(1, 13);
    }
    expect(r.updates.get('moving_mean')!.shape).toEqual([2]);
  });

  it('reads Keras 2\'s several axes: one statistic per (axis 1, axis 2) pair', () => {
    const ones = [[[1, 1], [1, 1]]];
    const zeros = [[[0, 0], [0, 0]]];
    const r = runLayer('BatchNormalization', { axis: [1, 2], epsilon: 0 }, [rand([3, 2, 2], 2)], { gamma: ones, beta: zeros, moving_mean: zeros, moving_variance: ones }, { training: true });
    const y = r.out.value.data;
    for (let p = 0; p < 4; p++) {
      const st = stats([y[p]!, y[4 + p]!, y[8 + p]!]);
      expect(st.mean).toBeCloseTo(0, 13);
      expect(st.variance).toBeCloseTo(1, 13);
    }
    expect(r.updates.get('moving_variance')!.shape).toEqual([1, 2, 2]);
  });

  it('without gamma or beta, leaves out the scale or the offset', () => {
    const noScale = runLayer('BatchNormalization', { scale: false, epsilon: 0 }, [x], { beta: [1, 2, 3], ...moving }, { training: true });
    const noCenter = runLayer('BatchNormalization', { center: false, epsilon: 0 }, [x], { gamma: [2, 2, 2], ...moving }, { training: true });
    const normalised = x.map((row) => row.map((v, j) => (v - batchMean[j]!) / Math.sqrt(batchVar[j]!)));
    expectClose(noScale.value, normalised.map((row) => row.map((v, j) => v + [1, 2, 3][j]!)), 13);
    expectClose(noCenter.value, normalised.map((row) => row.map((v) => 2 * v)), 13);
  });

  it('refuses renorm and virtual batches, which it does not implement', () => {
    const renormWeights = { gamma: [1], beta: [0], moving_mean: [0], moving_variance: [1], moving_stddev: [1], renorm_mean: [0], renorm_stddev: [1] };
    expect(() => runLayer('BatchNormalization', { renorm: true }, [[[1], [2]]], renormWeights, { training: true })).toThrow(/renorm or virtual_batch_size/);
    expect(() => runLayer('BatchNormalization', { virtual_batch_size: 2 }, [[[1], [2]]], { gamma: [[[1]]], beta: [[[0]]], moving_mean: [[[0]]], moving_variance: [[[1]]] })).toThrow(/renorm or virtual_batch_size/);
  });
});

describe('BatchNormalization: inference', () => {
  const x = [[1, 0, -1], [2, 5, 1]];
  const weights = { gamma: [2, 0.5, -1], beta: [1, 0, 3], moving_mean: [0.5, -1, 2], moving_variance: [1, 2, 0.5] };
  const expected = x.map((row) =>
    row.map((v, j) => (weights.gamma[j]! * (v - weights.moving_mean[j]!)) / Math.sqrt(weights.moving_variance[j]! + 0.001) + weights.beta[j]!),
  );

  it('uses the moving statistics and updates nothing', () => {
    const r = runLayer('BatchNormalization', {}, [x], weights);
    expectClose(r.value, expected, 13);
    expect(r.updates.size).toBe(0);
  });

  it('is also what a frozen layer (trainable: false) does in training, as in Keras', () => {
    const r = runLayer('BatchNormalization', { trainable: false }, [x], weights, { training: true });
    expectClose(r.value, expected, 13);
    expect(r.updates.size).toBe(0);
  });
});

describe('BatchNormalization: gradients', () => {
  const w = (c: number, seed: number) => ({
    gamma: rand([c], seed),
    beta: rand([c], seed + 1),
    moving_mean: rand([c], seed + 2),
    moving_variance: t64(Array.from({ length: c }, (_, i) => 0.5 + i)),
  });

  it('reach the input (through the batch mean and variance), gamma and beta in training', () => {
    expectLayerGradients('BatchNormalization', {}, [rand([4, 3], 10)], w(3, 11), { training: true });
    expectLayerGradients('BatchNormalization', { axis: 1 }, [rand([3, 2, 4], 12)], w(2, 13), { training: true });
  });

  it('reach the input, gamma and beta in inference', () => {
    expectLayerGradients('BatchNormalization', {}, [rand([4, 3], 14)], w(3, 15));
  });

  it('without scale or center', () => {
    const { gamma, ...noGamma } = w(3, 16);
    const { beta, ...noBeta } = w(3, 17);
    expect(gamma.shape).toEqual(beta.shape);
    expectLayerGradients('BatchNormalization', { scale: false }, [rand([4, 3], 18)], noGamma, { training: true });
    expectLayerGradients('BatchNormalization', { center: false }, [rand([4, 3], 19)], noBeta, { training: true });
  });
});

describe('LayerNormalization', () => {
  /** (x − mean) / sqrt(var + ε) of one row, computed directly. */
  const normalise = (row: number[], eps: number) => {
    const { mean, variance } = stats(row);
    return row.map((v) => (v - mean) / Math.sqrt(variance + eps));
  };

  it('normalises each sample over the last axis to mean 0 and variance 1', () => {
    const r = runLayer('LayerNormalization', { epsilon: 0 }, [[[1, 2, 3, 6], [-1, 0, 0, 5]]], { gamma: [1, 1, 1, 1], beta: [0, 0, 0, 0] });
    for (const row of r.value as number[][]) {
      const s = stats(row);
      expect(s.mean).toBeCloseTo(0, 14);
      expect(s.variance).toBeCloseTo(1, 14);
    }
  });

  it('scales by gamma and shifts by beta, per feature', () => {
    const x = [[1, 2, 3, 6], [-1, 0, 0, 5]];
    const gamma = [1, 2, -1, 0.5];
    const beta = [0, 1, 2, 3];
    const r = runLayer('LayerNormalization', {}, [x], { gamma, beta });
    expectClose(r.value, x.map((row) => normalise(row, 0.001).map((v, j) => v * gamma[j]! + beta[j]!)), 13);
  });

  it('over several axes normalises the whole slice and lays gamma out over those axes', () => {
    const x = rand([2, 2, 3], 1);
    const gamma = rand([2, 3], 2);
    const beta = rand([2, 3], 3);
    const r = runLayer('LayerNormalization', { axis: [1, 2] }, [x], { gamma, beta });
    for (let b = 0; b < 2; b++) {
      const n = normalise([...x.data.subarray(b * 6, b * 6 + 6)], 0.001);
      expectClose([...r.out.value.data.subarray(b * 6, b * 6 + 6)], n.map((v, p) => v * gamma.data[p]! + beta.data[p]!), 13);
    }
  });

  it('with the axes out of order, reads gamma in row-major order over the input\'s axes, as Keras\'s reshape does', () => {
    const x = rand([1, 2, 3], 4);
    const gamma = rand([3, 2], 5); // [input_shape[2], input_shape[1]]
    const beta = rand([3, 2], 6);
    const r = runLayer('LayerNormalization', { axis: [2, 1] }, [x], { gamma, beta });
    const n = normalise([...x.data], 0.001);
    expectClose([...r.out.value.data], n.map((v, p) => v * gamma.data[p]! + beta.data[p]!), 13);
  });

  it('normalises a middle axis on its own', () => {
    const x = rand([2, 3, 2], 7);
    const r = runLayer('LayerNormalization', { axis: 1, epsilon: 0 }, [x], { gamma: [1, 1, 1], beta: [0, 0, 0] });
    for (let b = 0; b < 2; b++) {
      for (let k = 0; k < 2; k++) {
        const s = stats([0, 1, 2].map((j) => r.out.value.data[b * 6 + j * 2 + k]!));
        expect(s.mean).toBeCloseTo(0, 14);
        expect(s.variance).toBeCloseTo(1, 14);
      }
    }
  });

  it('with rms_scaling divides by sqrt(variance + ε) and multiplies by gamma, without centring (Keras\'s code)', () => {
    const x = [[1, 2, 3, 6]];
    const gamma = [1, 2, -1, 0.5];
    const r = runLayer('LayerNormalization', { rms_scaling: true }, [x], { gamma });
    const { variance } = stats(x[0]!);
    expectClose(r.value, [x[0]!.map((v, j) => (v / Math.sqrt(variance + 0.001)) * gamma[j]!)], 13);
  });

  it('without gamma or beta, leaves out the scale or the offset', () => {
    const x = [[1, 2, 3, 6]];
    expectClose(runLayer('LayerNormalization', { scale: false }, [x], { beta: [1, 1, 1, 1] }).value, [normalise(x[0]!, 0.001).map((v) => v + 1)], 13);
    expectClose(runLayer('LayerNormalization', { center: false }, [x], { gamma: [2, 2, 2, 2] }).value, [normalise(x[0]!, 0.001).map((v) => 2 * v)], 13);
  });

  it('passes gradients to the input, gamma and beta', () => {
    expectLayerGradients('LayerNormalization', {}, [rand([3, 4], 10)], { gamma: rand([4], 11), beta: rand([4], 12) });
    expectLayerGradients('LayerNormalization', { axis: [1, 2] }, [rand([2, 2, 3], 13)], { gamma: rand([2, 3], 14), beta: rand([2, 3], 15) });
    expectLayerGradients('LayerNormalization', { axis: 1 }, [rand([2, 3, 2], 16)], { gamma: rand([3], 17), beta: rand([3], 18) });
    expectLayerGradients('LayerNormalization', { rms_scaling: true }, [rand([3, 4], 19)], { gamma: rand([4], 20) });
    expectLayerGradients('LayerNormalization', { center: false, scale: false }, [rand([3, 4], 21)]);
  });
});
