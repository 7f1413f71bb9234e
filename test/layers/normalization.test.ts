import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Shape } from '../../src/ir/shape.js';
import { LAYERS } from '../../src/layers/registry.js';
import { config, expectError, issues, knownDim, params, shapeArb, shapeOf, weightsOf } from './helpers.js';

/** A shape and an axis (negative or not) whose size is known. */
const withKnownAxis = fc
  .tuple(shapeArb(2, 5), fc.nat(), fc.boolean(), knownDim)
  .map(([s, pick, negative, c]) => {
    const a = 1 + (pick % (s.length - 1));
    const shape: Shape = s.map((d, i) => (i === a ? c : d));
    return { shape, axis: negative ? a - s.length : a, c };
  });

describe('BatchNormalization', () => {
  it('on (None, 8): 32 parameters, 16 of them non-trainable, in Keras order', () => {
    const w = weightsOf('BatchNormalization', {}, [[null, 8]]);
    expect(w.map((x) => [x.name, x.shape, x.trainable])).toEqual([
      ['gamma', [8], true], ['beta', [8], true], ['moving_mean', [8], false], ['moving_variance', [8], false],
    ]);
    expect(params(w)).toEqual({ total: 32, trainable: 16, nonTrainable: 16 });
    expect(w.map((x) => x.initializer)).toEqual(['ones', 'zeros', 'zeros', 'ones']);
  });

  it('keeps the shape and has 4·C parameters, 2·C non-trainable, for any known channel axis (property)', () => {
    fc.assert(
      fc.property(withKnownAxis, ({ shape, axis, c }) => {
        expect(shapeOf('BatchNormalization', { axis }, [shape])).toEqual({ ok: true, shape });
        expect(params(weightsOf('BatchNormalization', { axis }, [shape]))).toEqual({ total: 4 * c, trainable: 2 * c, nonTrainable: 2 * c });
      }),
    );
  });

  it('drops gamma with scale: false and beta with center: false', () => {
    const names = (raw: Record<string, unknown>) => weightsOf('BatchNormalization', raw, [[null, 4]]).map((w) => w.name);
    expect(names({ scale: false })).toEqual(['beta', 'moving_mean', 'moving_variance']);
    expect(names({ center: false })).toEqual(['gamma', 'moving_mean', 'moving_variance']);
    expect(names({ center: false, scale: false })).toEqual(['moving_mean', 'moving_variance']);
  });

  it('with trainable: false has no trainable parameters', () => {
    expect(params(weightsOf('BatchNormalization', { trainable: false }, [[null, 8]]))).toEqual({ total: 32, trainable: 0, nonTrainable: 32 });
  });

  it('normalises the channels of an image on axis -1 or, channels first, axis 1', () => {
    expect(weightsOf('BatchNormalization', {}, [[null, 32, 32, 16]])[0]!.shape).toEqual([16]);
    expect(weightsOf('BatchNormalization', { axis: 1 }, [[null, 3, 32, 32]])[0]!.shape).toEqual([3]);
  });

  it('reads Keras 2 forms: axis as a list, several axes, renorm, virtual batches', () => {
    expect(weightsOf('BatchNormalization', { axis: [3] }, [[null, 8, 8, 16]])[0]!.shape).toEqual([16]);
    expect(weightsOf('BatchNormalization', { axis: [1, 2] }, [[null, 4, 5, 6]])[0]!.shape).toEqual([1, 4, 5, 1]);
    expect(weightsOf('BatchNormalization', { virtual_batch_size: 8 }, [[null, 6]])[0]!.shape).toEqual([1, 1, 6]);
    const renorm = weightsOf('BatchNormalization', { renorm: true }, [[null, 5]]);
    expect(renorm.map((w) => w.name)).toEqual(['gamma', 'beta', 'moving_mean', 'moving_variance', 'moving_stddev', 'renorm_mean', 'renorm_stddev']);
    expect(params(renorm)).toEqual({ total: 35, trainable: 10, nonTrainable: 25 });
  });

  it('needs the size of the normalised axis, and an axis in range (property)', () => {
    fc.assert(
      fc.property(shapeArb(2, 5), fc.nat(), (s, pick) => {
        const a = 1 + (pick % (s.length - 1));
        const shape: Shape = s.map((d, i) => (i === a ? null : d));
        expectError(shapeOf('BatchNormalization', { axis: a }, [shape]), 'unknown-axis-dim');
        expectError(shapeOf('BatchNormalization', { axis: shape.length + pick }, [shape]), 'axis-out-of-range');
        expectError(shapeOf('BatchNormalization', { axis: -shape.length - 1 - pick }, [shape]), 'axis-out-of-range');
      }),
    );
  });

  it('has the Keras 3 defaults', () => {
    expect(config('BatchNormalization', {}) as Record<string, unknown>).toMatchObject({
      axis: -1, momentum: 0.99, epsilon: 0.001, center: true, scale: true, beta_initializer: 'zeros', gamma_initializer: 'ones',
      moving_mean_initializer: 'zeros', moving_variance_initializer: 'ones', beta_regularizer: null, gamma_regularizer: null,
      beta_constraint: null, gamma_constraint: null, synchronized: false,
    });
    expect(LAYERS.BatchNormalization.positional[0]).toBe('axis');
    expect(LAYERS.BatchNormalization.activation).toBeUndefined();
  });
});

describe('LayerNormalization', () => {
  it('on (None, 10, 64): gamma and beta of 64, 128 parameters, all trainable', () => {
    const w = weightsOf('LayerNormalization', {}, [[null, 10, 64]]);
    expect(w.map((x) => [x.name, x.shape, x.trainable])).toEqual([['gamma', [64], true], ['beta', [64], true]]);
    expect(shapeOf('LayerNormalization', {}, [[null, 10, 64]])).toEqual({ ok: true, shape: [null, 10, 64] });
  });

  it('spans every normalised axis, in the order given (Keras docstring: axis [1, 2, 3] → (20, 30, 40))', () => {
    expect(weightsOf('LayerNormalization', { axis: [1, 2, 3] }, [[5, 20, 30, 40]])[0]!.shape).toEqual([20, 30, 40]);
    expect(weightsOf('LayerNormalization', { axis: [-1, 1] }, [[null, 3, 4]])[0]!.shape).toEqual([4, 3]);
  });

  it('keeps the shape and has 2·Π(axis sizes) parameters (property)', () => {
    fc.assert(
      fc.property(shapeArb(2, 5, knownDim), fc.array(fc.nat(), { minLength: 1, maxLength: 3 }), (shape, picks) => {
        const axes = [...new Set(picks.map((p) => 1 + (p % (shape.length - 1))))];
        const prod = axes.reduce((n, a) => n * (shape[a] as number), 1);
        expect(shapeOf('LayerNormalization', { axis: axes }, [shape])).toEqual({ ok: true, shape });
        expect(params(weightsOf('LayerNormalization', { axis: axes }, [shape])).total).toBe(2 * prod);
      }),
    );
  });

  it('has only gamma with rms_scaling or center: false, only beta with scale: false', () => {
    const names = (raw: Record<string, unknown>) => weightsOf('LayerNormalization', raw, [[null, 4]]).map((w) => w.name);
    expect(names({ rms_scaling: true })).toEqual(['gamma']);
    expect(names({ rms_scaling: true, scale: false })).toEqual(['gamma']);
    expect(names({ center: false })).toEqual(['gamma']);
    expect(names({ scale: false })).toEqual(['beta']);
    expect(params(weightsOf('LayerNormalization', { trainable: false }, [[null, 4]])).trainable).toBe(0);
  });

  it('refuses unknown normalised sizes, axes out of range and the same axis twice', () => {
    expectError(shapeOf('LayerNormalization', {}, [[null, 5, null]]), 'unknown-axis-dim');
    expectError(shapeOf('LayerNormalization', { axis: 3 }, [[null, 5, 6]]), 'axis-out-of-range');
    expectError(shapeOf('LayerNormalization', { axis: [-1, 2] }, [[null, 5, 6]]), 'duplicate-axis');
    expect(issues('LayerNormalization', { axis: [1, 1] })[0]!.code).toBe('invalid-argument');
    expect(issues('LayerNormalization', { axis: [] })[0]!.code).toBe('invalid-argument');
    expect(issues('LayerNormalization', { axis: 'last' })[0]!.code).toBe('invalid-argument');
  });

  it('never throws on any shape and axis (property)', () => {
    fc.assert(
      fc.property(shapeArb(1, 6), fc.array(fc.integer({ min: -7, max: 7 }), { minLength: 1, maxLength: 3 }), (shape, axes) => {
        fc.pre(new Set(axes).size === axes.length);
        for (const kind of ['LayerNormalization', 'BatchNormalization'] as const) {
          const r = shapeOf(kind, { axis: axes }, [shape]);
          if (r.ok) {
            expect(r.shape).toEqual(shape);
            expect(() => weightsOf(kind, { axis: axes }, [shape])).not.toThrow();
          } else expectError(r);
        }
      }),
    );
  });
});
