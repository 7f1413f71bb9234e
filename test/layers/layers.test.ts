import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Shape } from '../../src/ir/shape.js';
import { LAYER_KINDS, LAYERS, layerDef } from '../../src/layers/registry.js';
import { validateConfig } from '../../src/layers/schema.js';

/** The config a layer gets after validation: defaults applied. */
function config(kind: keyof typeof LAYERS, raw: Record<string, unknown>) {
  const def = LAYERS[kind];
  const { config: c, issues } = validateConfig(def.className, def.schema, raw);
  expect(issues).toEqual([]);
  return c as never;
}

const dim = fc.integer({ min: 1, max: 4096 });
const maybeDim = fc.option(dim, { nil: null });
/** A batch shape of rank >= 2 whose last axis is known. */
const denseInput = fc.tuple(fc.option(fc.integer({ min: 1, max: 64 }), { nil: null }), fc.array(maybeDim, { maxLength: 3 }), dim).map(([b, mid, last]) => [b, ...mid, last] as Shape);

describe('registry', () => {
  it('has a definition for every kind, under its own class name', () => {
    for (const kind of LAYER_KINDS) expect(layerDef(kind)?.className).toBe(kind);
    expect(layerDef('Conv2D')).toBeUndefined();
    expect(layerDef('toString')).toBeUndefined();
  });
});

describe('Dense', () => {
  it('replaces the last axis by units, whatever the rank (property)', () => {
    fc.assert(
      fc.property(denseInput, fc.integer({ min: 1, max: 4096 }), (input, units) => {
        const r = LAYERS.Dense.outputShape(config('Dense', { units }), [input]);
        expect(r).toEqual({ ok: true, shape: [...input.slice(0, -1), units] });
      }),
    );
  });

  it('counts in·units + units parameters, independent of the other axes (property)', () => {
    fc.assert(
      fc.property(denseInput, fc.integer({ min: 1, max: 512 }), fc.boolean(), (input, units, useBias) => {
        const weights = LAYERS.Dense.weights(config('Dense', { units, use_bias: useBias }), [input]);
        const inDim = input[input.length - 1] as number;
        const total = weights.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0);
        expect(total).toBe(inDim * units + (useBias ? units : 0));
        expect(weights[0]).toMatchObject({ name: 'kernel', shape: [inDim, units], trainable: true });
      }),
    );
  });

  it('gives the seed tutorial counts: 4→8 = 40, 8→6 = 54, 6→1 = 7', () => {
    const count = (i: number, u: number) => LAYERS.Dense.weights(config('Dense', { units: u }), [[null, i]]).reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0);
    expect([count(4, 8), count(8, 6), count(6, 1)]).toEqual([40, 54, 7]);
  });

  it('refuses rank-1 inputs and an unknown last axis', () => {
    expect(LAYERS.Dense.outputShape(config('Dense', { units: 2 }), [[null]])).toMatchObject({ ok: false, code: 'rank-too-low' });
    expect(LAYERS.Dense.outputShape(config('Dense', { units: 2 }), [[null, 3, null]])).toMatchObject({ ok: false, code: 'unknown-last-dim' });
  });

  it('has Keras defaults: linear activation, bias, glorot_uniform kernel, zeros bias', () => {
    const c = config('Dense', { units: 3 }) as Record<string, unknown>;
    expect(c).toMatchObject({ activation: 'linear', use_bias: true, kernel_initializer: 'glorot_uniform', bias_initializer: 'zeros', kernel_regularizer: null, trainable: true, dtype: 'float32' });
    expect(LAYERS.Dense.activation!(config('Dense', { units: 3, activation: null }))).toBe('linear');
  });

  it('with LoRA the kernel is frozen and two low-rank matrices are trained (Keras 3 enable_lora)', () => {
    const w = LAYERS.Dense.weights(config('Dense', { units: 8, lora_rank: 2 }), [[null, 4]]);
    expect(w.map((x) => [x.name, x.shape, x.trainable])).toEqual([
      ['kernel', [4, 8], false], ['bias', [8], true], ['lora_kernel_a', [4, 2], true], ['lora_kernel_b', [2, 8], true],
    ]);
  });
});

describe('Flatten', () => {
  it('multiplies the known axes; unknown if any is unknown (property)', () => {
    fc.assert(
      fc.property(maybeDim, fc.array(maybeDim, { minLength: 1, maxLength: 4 }), (batch, rest) => {
        const r = LAYERS.Flatten.outputShape(config('Flatten', {}), [[batch, ...rest]]);
        const product = rest.some((d) => d === null) ? null : rest.reduce((a: number, b) => a * (b as number), 1);
        expect(r).toEqual({ ok: true, shape: [batch, product] });
      }),
    );
  });

  it('turns a rank-1 input into (batch, 1) as Keras 3 does', () => {
    expect(LAYERS.Flatten.outputShape(config('Flatten', {}), [[null]])).toEqual({ ok: true, shape: [null, 1] });
  });
});

describe('shape-preserving layers', () => {
  it('Activation and Dropout keep the shape and have no weights (property)', () => {
    fc.assert(
      fc.property(fc.array(maybeDim, { minLength: 1, maxLength: 5 }), (shape) => {
        expect(LAYERS.Activation.outputShape(config('Activation', { activation: 'relu' }), [shape])).toEqual({ ok: true, shape });
        expect(LAYERS.Dropout.outputShape(config('Dropout', { rate: 0.5 }), [shape])).toEqual({ ok: true, shape });
        expect(LAYERS.Dropout.weights(config('Dropout', { rate: 0.5 }), [shape])).toEqual([]);
      }),
    );
  });

  it('Dropout takes rates from 0 to 1 only', () => {
    const def = LAYERS.Dropout;
    expect(validateConfig('Dropout', def.schema, { rate: 1.5 }).issues[0]?.message).toMatch(/between 0 and 1/);
    expect(validateConfig('Dropout', def.schema, {}).issues[0]?.code).toBe('missing-argument');
  });
});

describe('InputLayer', () => {
  it('prepends the batch axis to shape, or takes batch_shape as it is', () => {
    expect(LAYERS.InputLayer.outputShape(config('InputLayer', { shape: [4] }), [])).toEqual({ ok: true, shape: [null, 4] });
    expect(LAYERS.InputLayer.outputShape(config('InputLayer', { shape: [5, 4], batch_size: 32 }), [])).toEqual({ ok: true, shape: [32, 5, 4] });
    expect(LAYERS.InputLayer.outputShape(config('InputLayer', { batch_shape: [null, 3] }), [])).toEqual({ ok: true, shape: [null, 3] });
    expect(LAYERS.InputLayer.outputShape(config('InputLayer', { input_shape: [7] }), [])).toEqual({ ok: true, shape: [null, 7] });
    expect(LAYERS.InputLayer.outputShape(config('InputLayer', {}), [])).toMatchObject({ ok: false, code: 'missing-input-shape' });
  });
});
