import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Shape } from '../../src/ir/shape.js';
import { negativeSlope } from '../../src/layers/leaky-relu.js';
import { LAYERS, type LayerKind } from '../../src/layers/registry.js';
import { config, expectError, issues, knownDim, params, shapeArb, shapeOf, weightsOf } from './helpers.js';

const SHAPE_ONLY: [LayerKind, Record<string, unknown>][] = [
  ['LeakyReLU', {}],
  ['ELU', { alpha: 0.5 }],
  ['ReLU', { max_value: 6 }],
  ['Softmax', {}],
];

describe('activation layers', () => {
  it('keep the shape and have no weights (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SHAPE_ONLY), shapeArb(1, 6), ([kind, raw], shape) => {
        expect(shapeOf(kind, raw, [shape])).toEqual({ ok: true, shape });
        expect(weightsOf(kind, raw, [shape])).toEqual([]);
      }),
    );
  });

  it('have no activation attribute, so labels show none (only Activation and Dense have one in Keras)', () => {
    for (const kind of ['LeakyReLU', 'PReLU', 'ELU', 'ReLU', 'Softmax'] as const) expect(LAYERS[kind].activation).toBeUndefined();
  });

  it('have the Keras 3 defaults', () => {
    expect(config('LeakyReLU', {}) as Record<string, unknown>).toMatchObject({ negative_slope: 0.3, alpha: null });
    expect(config('ELU', {}) as Record<string, unknown>).toMatchObject({ alpha: 1.0 });
    expect(config('ReLU', {}) as Record<string, unknown>).toMatchObject({ max_value: null, negative_slope: 0.0, threshold: 0.0 });
    expect(config('Softmax', {}) as Record<string, unknown>).toMatchObject({ axis: -1 });
    expect(config('PReLU', {}) as Record<string, unknown>).toMatchObject({ alpha_initializer: 'zeros', alpha_regularizer: null, alpha_constraint: null, shared_axes: null });
  });

  it('LeakyReLU reads Keras 2 alpha as the slope, overriding negative_slope as Keras 3 does', () => {
    expect(negativeSlope(config('LeakyReLU', {}))).toBe(0.3);
    expect(negativeSlope(config('LeakyReLU', { negative_slope: 0.1 }))).toBe(0.1);
    expect(negativeSlope(config('LeakyReLU', { alpha: 0.2 }))).toBe(0.2);
    expect(negativeSlope(config('LeakyReLU', { alpha: 0.2, negative_slope: 0.1 }))).toBe(0.2);
    expect(LAYERS.LeakyReLU.schema.alpha.legacy).toBe(true);
    expect(issues('LeakyReLU', { negative_slope: -1 })[0]!.code).toBe('invalid-argument');
  });

  it('ReLU refuses negative max_value, negative_slope and threshold, as Keras does', () => {
    for (const arg of ['max_value', 'negative_slope', 'threshold']) expect(issues('ReLU', { [arg]: -0.5 })[0]!.arg).toBe(arg);
  });

  it('Softmax takes one axis or several, and refuses axes out of range (property)', () => {
    expect(shapeOf('Softmax', { axis: [1, 2] }, [[null, 3, 4]])).toEqual({ ok: true, shape: [null, 3, 4] });
    fc.assert(
      fc.property(shapeArb(1, 5), fc.integer({ min: 0, max: 5 }), (shape, k) => {
        expectError(shapeOf('Softmax', { axis: shape.length + k }, [shape]), 'axis-out-of-range');
        expectError(shapeOf('Softmax', { axis: -shape.length - 1 - k }, [shape]), 'axis-out-of-range');
      }),
    );
  });
});

describe('PReLU', () => {
  it('learns one alpha per element: (None, 10, 8) → alpha (10, 8), 80 parameters', () => {
    const w = weightsOf('PReLU', {}, [[null, 10, 8]]);
    expect(w.map((x) => [x.name, x.shape, x.trainable, x.initializer])).toEqual([['alpha', [10, 8], true, 'zeros']]);
    expect(shapeOf('PReLU', {}, [[null, 10, 8]])).toEqual({ ok: true, shape: [null, 10, 8] });
  });

  it('shares alpha along shared_axes: (None, 32, 32, 3) with [1, 2] → alpha (1, 1, 3)', () => {
    expect(weightsOf('PReLU', { shared_axes: [1, 2] }, [[null, 32, 32, 3]])[0]!.shape).toEqual([1, 1, 3]);
    expect(weightsOf('PReLU', { shared_axes: 1 }, [[null, null, 8]])[0]!.shape).toEqual([1, 8]);
  });

  it('alpha is the input without its batch axis, 1 on shared axes (property)', () => {
    fc.assert(
      fc.property(shapeArb(2, 5, knownDim), fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }), (shape, share) => {
        const shared = [...shape.keys()].filter((a) => a >= 1 && share[a - 1]);
        const w = weightsOf('PReLU', shared.length ? { shared_axes: shared } : {}, [shape]);
        expect(w[0]!.shape).toEqual(shape.slice(1).map((d, i) => (shared.includes(i + 1) ? 1 : d)));
      }),
    );
  });

  it('needs every axis it does not share to be known, and shared axes from 1 to rank - 1 (property)', () => {
    fc.assert(
      fc.property(shapeArb(2, 5, knownDim), fc.nat(), (s, pick) => {
        const a = 1 + (pick % (s.length - 1));
        const shape: Shape = s.map((d, i) => (i === a ? null : d));
        expectError(shapeOf('PReLU', {}, [shape]), 'unknown-axis-dim');
        expect(shapeOf('PReLU', { shared_axes: [a] }, [shape])).toEqual({ ok: true, shape });
        expectError(shapeOf('PReLU', { shared_axes: [0] }, [s]), 'axis-out-of-range');
        expectError(shapeOf('PReLU', { shared_axes: [s.length] }, [s]), 'axis-out-of-range');
      }),
    );
  });

  it('respects trainable: false', () => {
    expect(params(weightsOf('PReLU', { trainable: false }, [[null, 4]]))).toEqual({ total: 4, trainable: 0, nonTrainable: 4 });
  });
});
