import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LAYERS, type LayerKind } from '../../src/layers/registry.js';
import { anyInputs, expectError, issues, shapeArb, shapeOf, weightsOf } from './helpers.js';

/** The noise and regularisation layers with a minimal valid config each. */
const CASES: [LayerKind, Record<string, unknown>][] = [
  ['GaussianNoise', { stddev: 0.1 }],
  ['GaussianDropout', { rate: 0.2 }],
  ['AlphaDropout', { rate: 0.1 }],
  ['ActivityRegularization', { l1: 0.01 }],
];

describe('noise and regularisation layers', () => {
  it('keep any shape and have no weights (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...CASES), shapeArb(1, 6), ([kind, raw], shape) => {
        expect(shapeOf(kind, raw, [shape])).toEqual({ ok: true, shape });
        expect(weightsOf(kind, raw, [shape])).toEqual([]);
      }),
    );
  });

  it('SpatialDropout1D keeps a rank-3 shape and refuses every other rank (property)', () => {
    fc.assert(
      fc.property(shapeArb(1, 6), (shape) => {
        const r = shapeOf('SpatialDropout1D', { rate: 0.3 }, [shape]);
        if (shape.length === 3) expect(r).toEqual({ ok: true, shape });
        else expectError(r, 'wrong-rank');
      }),
    );
    expect(weightsOf('SpatialDropout1D', { rate: 0.3 }, [[null, 10, 8]])).toEqual([]);
  });

  it('refuse a wrong number of inputs with a code, never an exception (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom<[LayerKind, Record<string, unknown>]>(...CASES, ['SpatialDropout1D', { rate: 0.5 }]), anyInputs, ([kind, raw], inputs) => {
        const r = shapeOf(kind, raw, inputs);
        if (inputs.length !== 1) expectError(r, 'wrong-input-count');
        else expect(r.ok || r.code === 'wrong-rank').toBe(true);
      }),
    );
  });

  it('check their arguments as Keras does: rates in [0, 1], stddev and factors >= 0', () => {
    expect(issues('GaussianDropout', { rate: 1.5 })[0]!.message).toMatch(/between 0 and 1/);
    expect(issues('AlphaDropout', { rate: -0.1 })[0]!.message).toMatch(/between 0 and 1/);
    expect(issues('SpatialDropout1D', { rate: 2 })[0]!.message).toMatch(/between 0 and 1/);
    expect(issues('GaussianNoise', { stddev: -1 })[0]!.code).toBe('invalid-argument');
    expect(issues('GaussianNoise', { stddev: 2.5 })).toEqual([]);
    expect(issues('ActivityRegularization', { l2: -0.5 })[0]!.code).toBe('invalid-argument');
    expect(issues('GaussianNoise', {})[0]!.code).toBe('missing-argument');
    expect(issues('AlphaDropout', { rate: 0.1, noise_shape: [null, 1, 8], seed: 3 })).toEqual([]);
    expect(issues('SpatialDropout1D', { rate: 0.1, noise_shape: null, seed: 1 })).toEqual([]);
  });

  it('take their Keras positional arguments in order', () => {
    expect(LAYERS.GaussianNoise.positional).toEqual(['stddev', 'seed']);
    expect(LAYERS.GaussianDropout.positional).toEqual(['rate', 'seed']);
    expect(LAYERS.AlphaDropout.positional).toEqual(['rate', 'noise_shape', 'seed']);
    expect(LAYERS.SpatialDropout1D.positional).toEqual(['rate', 'seed']);
    expect(LAYERS.ActivityRegularization.positional).toEqual(['l1', 'l2']);
  });
});
