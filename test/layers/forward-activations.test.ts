import { describe, expect, it } from 'vitest';
import { expectClose, expectLayerGradients, rand, runLayer } from './forward-helpers.js';

const x = [[-2, -0.5, 0, 1.5]];

describe('LeakyReLU', () => {
  it('is x above 0 and negative_slope · x below (default 0.3)', () => {
    expectClose(runLayer('LeakyReLU', {}, [x]).value, [[-0.6, -0.15, 0, 1.5]], 15);
    expectClose(runLayer('LeakyReLU', { negative_slope: 0.05 }, [x]).value, [[-0.1, -0.025, 0, 1.5]], 15);
  });

  it('takes Keras 2\'s alpha over negative_slope', () => {
    expectClose(runLayer('LeakyReLU', { negative_slope: 0.05, alpha: 0.1 }, [x]).value, [[-0.2, -0.05, 0, 1.5]], 15);
  });

  it('stays piecewise for slopes above 1 (not max(x, slope · x))', () => {
    expect(runLayer('LeakyReLU', { negative_slope: 2 }, [x]).value).toEqual([[-4, -1, 0, 1.5]]);
  });

  it('passes gradients', () => {
    expectLayerGradients('LeakyReLU', {}, [rand([3, 4], 1)]);
    expectLayerGradients('LeakyReLU', { alpha: 0.7 }, [rand([3, 4], 2)]);
  });
});

describe('PReLU', () => {
  const input = rand([2, 2, 3], 3);
  const at = (b: number, i: number, k: number) => input.data[(b * 2 + i) * 3 + k]!;
  const expected = (slope: (i: number, k: number) => number) =>
    [0, 1].map((b) => [0, 1].map((i) => [0, 1, 2].map((k) => (at(b, i, k) > 0 ? at(b, i, k) : slope(i, k) * at(b, i, k)))));

  it('is x above 0 and alpha · x below, with one alpha per element of a sample', () => {
    const alpha = [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]];
    expectClose(runLayer('PReLU', {}, [input], { alpha }).value, expected((i, k) => alpha[i]![k]!), 14);
  });

  it('shares alpha along shared_axes (counted from 1)', () => {
    const alpha = [[0.1, 0.2, 0.3]]; // shape (1, 3): shared along axis 1
    expectClose(runLayer('PReLU', { shared_axes: [1] }, [input], { alpha }).value, expected((_i, k) => alpha[0]![k]!), 14);
    const perRow = [[0.25], [0.75]]; // shape (2, 1): shared along axis 2
    expectClose(runLayer('PReLU', { shared_axes: 2 }, [input], { alpha: perRow }).value, expected((i) => perRow[i]![0]!), 14);
  });

  it('passes gradients to the input and to alpha, summed over the batch and the shared axes', () => {
    expectLayerGradients('PReLU', {}, [rand([2, 2, 3], 4)], { alpha: rand([2, 3], 5) });
    expectLayerGradients('PReLU', { shared_axes: [1] }, [rand([3, 2, 3], 6)], { alpha: rand([1, 3], 7) });
    expectLayerGradients('PReLU', { shared_axes: [1, 2] }, [rand([3, 2, 3], 8)], { alpha: rand([1, 1], 9) });
    // alpha's gradient is Σ x over the negative inputs it scales.
    const r = runLayer('PReLU', { shared_axes: [1] }, [[[[-1, 2], [-3, -4]]]], { alpha: [[0.5, 0.5]] });
    r.tape.backward(r.out, Float64Array.from([1, 1, 1, 1]));
    expect([...r.weights['alpha']!.grad!]).toEqual([-4, -4]);
  });
});

describe('ELU', () => {
  it('is x above 0 and alpha · (exp(x) − 1) below', () => {
    expectClose(runLayer('ELU', {}, [x]).value, [[Math.exp(-2) - 1, Math.exp(-0.5) - 1, 0, 1.5]], 15);
    expectClose(runLayer('ELU', { alpha: 0.5 }, [x]).value, [[0.5 * (Math.exp(-2) - 1), 0.5 * (Math.exp(-0.5) - 1), 0, 1.5]], 15);
  });

  it('passes gradients', () => {
    expectLayerGradients('ELU', {}, [rand([3, 4], 10)]);
    expectLayerGradients('ELU', { alpha: 2.5 }, [rand([3, 4], 11)]);
  });
});

describe('ReLU', () => {
  it('is max(x, 0) by default', () => {
    expect(runLayer('ReLU', {}, [[[-1, 0, 2]]]).value).toEqual([[0, 0, 2]]);
  });

  it('matches the Keras docs example (max_value 10, negative_slope 0.5)', () => {
    expect(runLayer('ReLU', { max_value: 10, negative_slope: 0.5 }, [[[-10, -5, 0, 5, 10, 12]]]).value).toEqual([[-5, -2.5, 0, 5, 10, 10]]);
  });

  it('caps at max_value', () => {
    expect(runLayer('ReLU', { max_value: 6 }, [[[-1, 3, 7]]]).value).toEqual([[0, 3, 6]]);
  });

  it('with a threshold keeps x above it, 0 at it, and negative_slope · (x − threshold) below, as Keras', () => {
    // x = 0.6 gives 0.6, not 0.1: Keras keeps x itself above the threshold.
    const r = runLayer('ReLU', { max_value: 1.5, negative_slope: 0.1, threshold: 0.5 }, [[[-1, 0.3, 0.5, 0.6, 1, 2]]]);
    expectClose(r.value, [[-0.15, -0.02, 0, 0.6, 1, 1.5]], 15);
    expect(runLayer('ReLU', { threshold: 1 }, [[[-1, 0.5, 1, 1.5]]]).value).toEqual([[0, 0, 0, 1.5]]);
  });

  it('passes gradients', () => {
    expectLayerGradients('ReLU', {}, [rand([3, 4], 12)]);
    expectLayerGradients('ReLU', { max_value: 1, negative_slope: 0.2, threshold: 0.3 }, [rand([4, 5], 13)]);
  });
});

describe('Softmax', () => {
  const softmax = (row: number[]) => {
    const e = row.map(Math.exp);
    const s = e.reduce((p, q) => p + q, 0);
    return e.map((v) => v / s);
  };

  it('normalises exp(x) over the last axis', () => {
    const r = runLayer('Softmax', {}, [[[1, 2, 1], [0, -1, 3]]]);
    expectClose(r.value, [softmax([1, 2, 1]), softmax([0, -1, 3])], 15);
    expectClose((r.value as number[][])[0]!, [0.21194157, 0.5761169, 0.21194157], 7); // the Keras docs example
  });

  it('over another axis', () => {
    const input = rand([2, 3, 2], 14);
    const r = runLayer('Softmax', { axis: 1 }, [input]);
    for (let b = 0; b < 2; b++) {
      for (let k = 0; k < 2; k++) {
        const idx = [0, 1, 2].map((j) => b * 6 + j * 2 + k);
        expectClose(idx.map((i) => r.out.value.data[i]!), softmax(idx.map((i) => input.data[i]!)), 15);
      }
    }
  });

  it('over several axes at once, as exp(x − logsumexp(x, axes))', () => {
    const input = rand([2, 2, 3], 15);
    const r = runLayer('Softmax', { axis: [1, 2] }, [input]);
    for (let b = 0; b < 2; b++) {
      expectClose([...r.out.value.data.subarray(b * 6, b * 6 + 6)], softmax([...input.data.subarray(b * 6, b * 6 + 6)]), 15);
    }
    // Axes 0 and 1 of a rank-3 input: moving them last is a permutation that is not its own inverse.
    const mixed = rand([2, 3, 2], 16);
    const m = runLayer('Softmax', { axis: [0, 1] }, [mixed]);
    expect(m.shape).toEqual([2, 3, 2]);
    for (let k = 0; k < 2; k++) {
      const idx = [0, 1].flatMap((b) => [0, 1, 2].map((j) => b * 6 + j * 2 + k));
      expectClose(idx.map((i) => m.out.value.data[i]!), softmax(idx.map((i) => mixed.data[i]!)), 15);
    }
  });

  it('passes gradients', () => {
    expectLayerGradients('Softmax', {}, [rand([2, 4], 17)]);
    expectLayerGradients('Softmax', { axis: 1 }, [rand([2, 3, 2], 18)]);
    expectLayerGradients('Softmax', { axis: [0, 2] }, [rand([2, 3, 2], 19)]);
    expectLayerGradients('Softmax', { axis: [0, 1] }, [rand([2, 3, 2], 20)]);
  });
});
