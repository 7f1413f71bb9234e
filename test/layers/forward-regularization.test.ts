import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/exec/random.js';
import { fill } from '../../src/exec/tensor.js';
import { expectClose, expectLayerGradients, rand, runLayer, scriptedRng, stats } from './forward-helpers.js';

const x = [[1, 2], [3, 4]];

/** Standard normal samples from the executor's generator (an input of mean 0, variance 1). */
function normalSamples(n: number, seed: number) {
  const rng = createRng(seed);
  return { shape: [1, n], data: Float64Array.from({ length: n }, () => rng.normal()) };
}

describe('at inference, noise and dropout layers are the identity and draw nothing', () => {
  const cases = [
    ['GaussianNoise', { stddev: 0.5 }],
    ['GaussianDropout', { rate: 0.3 }],
    ['AlphaDropout', { rate: 0.3 }],
    ['SpatialDropout1D', { rate: 0.3 }],
    ['ActivityRegularization', { l1: 0.1, l2: 0.2 }],
  ] as const;
  for (const [kind, raw] of cases) {
    it(kind, () => {
      const input = kind === 'SpatialDropout1D' ? [[[1, 2], [3, 4]]] : x;
      const rng = scriptedRng([], []);
      expect(runLayer(kind, raw, [input], {}, { rng }).value).toEqual(input);
      expect(rng.used()).toEqual([0, 0]);
      expectLayerGradients(kind, raw, [rand(kind === 'SpatialDropout1D' ? [2, 3, 2] : [2, 3], 1)]);
    });
  }

  it('and so are the training passes of a zero rate or stddev', () => {
    const rng = scriptedRng([], []);
    expect(runLayer('GaussianNoise', { stddev: 0 }, [x], {}, { training: true, rng }).value).toEqual(x);
    expect(runLayer('GaussianDropout', { rate: 0 }, [x], {}, { training: true, rng }).value).toEqual(x);
    expect(runLayer('AlphaDropout', { rate: 0 }, [x], {}, { training: true, rng }).value).toEqual(x);
    expect(runLayer('SpatialDropout1D', { rate: 0 }, [[[[1, 2]]]], {}, { training: true, rng }).value).toEqual([[[1, 2]]]);
    expect(rng.used()).toEqual([0, 0]);
  });
});

describe('GaussianNoise in training', () => {
  it('adds stddev · N(0, 1), one draw per element in row-major order', () => {
    const rng = scriptedRng([], [0.2, -1, 2, 0]);
    expectClose(runLayer('GaussianNoise', { stddev: 0.5 }, [x], {}, { training: true, rng }).value, [[1.1, 1.5], [4, 4]], 14);
    expect(rng.used()).toEqual([0, 4]);
  });

  it('has mean 0 and standard deviation stddev (20 000 draws)', () => {
    const s = stats(runLayer('GaussianNoise', { stddev: 0.5 }, [fill([1, 20000], 0, 'float64')], {}, { training: true, rng: createRng(7) }).out.value.data);
    expect(Math.abs(s.mean)).toBeLessThan(0.02);
    expect(Math.abs(s.variance - 0.25)).toBeLessThan(0.01);
  });

  it('passes the gradient unchanged', () => {
    expectLayerGradients('GaussianNoise', { stddev: 0.5 }, [rand([2, 3], 2)], {}, { training: true, seed: 3 });
  });
});

describe('GaussianDropout in training', () => {
  it('multiplies by 1 + sqrt(rate / (1 − rate)) · N(0, 1)', () => {
    const rng = scriptedRng([], [0.2, -1, 2, 0]);
    // rate 0.2: standard deviation sqrt(0.25) = 0.5
    expectClose(runLayer('GaussianDropout', { rate: 0.2 }, [x], {}, { training: true, rng }).value, [[1.1, 1], [6, 4]], 14);
  });

  it('keeps the mean, with variance rate / (1 − rate) (20 000 draws)', () => {
    const s = stats(runLayer('GaussianDropout', { rate: 0.5 }, [fill([1, 20000], 1, 'float64')], {}, { training: true, rng: createRng(8) }).out.value.data);
    expect(Math.abs(s.mean - 1)).toBeLessThan(0.03);
    expect(Math.abs(s.variance - 1)).toBeLessThan(0.05);
  });

  it('passes the gradient times the noise', () => {
    expectLayerGradients('GaussianDropout', { rate: 0.3 }, [rand([2, 3], 4)], {}, { training: true, seed: 5 });
  });
});

describe('AlphaDropout in training', () => {
  // Keras 3 AlphaDropout constants, written out here from the formula of the Keras source.
  const alphaP = -1.6732632423543772848170429916717 * 1.0507009873554804934193349852946;
  const affine = (rate: number) => {
    const a = 1 / Math.sqrt((1 - rate) * (1 + rate * alphaP * alphaP));
    return { a, b: -a * alphaP * rate };
  };

  it('keeps a unit when its uniform draw is at least rate, else sets it to alpha_p; then a·x + b', () => {
    const rng = scriptedRng([0.1, 0.9, 0.5, 0.49]);
    const { a, b } = affine(0.5);
    const dropped = a * alphaP + b;
    expectClose(runLayer('AlphaDropout', { rate: 0.5 }, [x], {}, { training: true, rng }).value, [[dropped, a * 2 + b], [a * 3 + b, dropped]], 14);
  });

  it('shares one draw along the axes where noise_shape is 1', () => {
    const rng = scriptedRng([0.9, 0.1, 0.7]);
    const { a, b } = affine(0.5);
    const input = rand([3, 4], 6);
    const r = runLayer('AlphaDropout', { rate: 0.5, noise_shape: [null, 1] }, [input], {}, { training: true, rng });
    expect(rng.used()).toEqual([3, 0]);
    const expected = [0, 1, 2].map((i) => [0, 1, 2, 3].map((j) => (i === 1 ? a * alphaP + b : a * input.data[i * 4 + j]! + b)));
    expectClose(r.value, expected, 14);
  });

  it('keeps mean 0 and variance 1 of a standard normal input (the point of it; 20 000 draws)', () => {
    for (const rate of [0.1, 0.4]) {
      const s = stats(runLayer('AlphaDropout', { rate }, [normalSamples(20000, 9)], {}, { training: true, rng: createRng(10) }).out.value.data);
      expect(Math.abs(s.mean)).toBeLessThan(0.03);
      expect(Math.abs(s.variance - 1)).toBeLessThan(0.05);
    }
  });

  it('passes the gradient a to kept units and none to dropped ones', () => {
    expectLayerGradients('AlphaDropout', { rate: 0.3 }, [rand([3, 4], 11)], {}, { training: true, seed: 12 });
    const rng = scriptedRng([0.9, 0.1]);
    const r = runLayer('AlphaDropout', { rate: 0.5 }, [[[5, 6]]], {}, { training: true, rng });
    r.tape.backward(r.out, Float64Array.from([1, 1]));
    expectClose([...r.inputs[0]!.grad!], [affine(0.5).a, 0], 14);
  });
});

describe('SpatialDropout1D in training', () => {
  it('draws one mask entry per (sample, channel) and uses it at every step', () => {
    const rng = scriptedRng([0.1, 0.9, 0.6, 0.2]);
    const input = [[[1, 2], [3, 4], [5, 6]], [[7, 8], [9, 10], [11, 12]]];
    // rate 0.5: keep when the draw is below 0.5 and scale by 2; mask (b0c0, b0c1, b1c0, b1c1) = (2, 0, 0, 2).
    expect(runLayer('SpatialDropout1D', { rate: 0.5 }, [input], {}, { training: true, rng }).value).toEqual([
      [[2, 0], [6, 0], [10, 0]],
      [[0, 16], [0, 20], [0, 24]],
    ]);
    expect(rng.used()).toEqual([4, 0]);
  });

  it('keeps the expected mean (2000 mask entries)', () => {
    const s = stats(runLayer('SpatialDropout1D', { rate: 0.3 }, [fill([40, 5, 50], 1, 'float64')], {}, { training: true, rng: createRng(13) }).out.value.data);
    expect(Math.abs(s.mean - 1)).toBeLessThan(0.05);
  });

  it('passes the gradient through the kept channels', () => {
    expectLayerGradients('SpatialDropout1D', { rate: 0.4 }, [rand([3, 2, 4], 14)], {}, { training: true, seed: 15 });
  });
});

describe('ActivityRegularization', () => {
  it('is the identity in training too (its loss term is not the forward pass\'s)', () => {
    const r = runLayer('ActivityRegularization', { l1: 1, l2: 1 }, [x], {}, { training: true, rng: scriptedRng([]) });
    expect(r.value).toEqual(x);
    r.tape.backward(r.out, Float64Array.from([1, 2, 3, 4]));
    expect([...r.inputs[0]!.grad!]).toEqual([1, 2, 3, 4]);
  });
});
