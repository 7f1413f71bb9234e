import Ajv2020 from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LAYERS } from '../../src/layers/registry.js';
import { checkValue, fieldJsonSchema, fieldTypeText, validateConfig, type FieldSpec } from '../../src/layers/schema.js';
import { ACTIVATIONS, initializerClass, toSnakeCase } from '../../src/layers/vocab.js';

const denseSchema = LAYERS.Dense.schema;

describe('validateConfig', () => {
  it('names an unknown argument, suggests the closest and lists the valid ones', () => {
    const { issues } = validateConfig('Dense', denseSchema, { units: 8, activaton: 'relu' });
    expect(issues).toHaveLength(1);
    expect(issues[0]!.message).toBe("Dense has no argument 'activaton'. Did you mean 'activation'?");
    expect(issues[0]!.hint).toContain('valid arguments of Dense: units, activation, use_bias');
    expect(issues[0]!.hint).toContain('input_dim');
  });

  it('refuses units that are not positive integers', () => {
    for (const units of [0, -3, 2.5, '8', null, true]) {
      const { issues } = validateConfig('Dense', denseSchema, { units });
      expect(issues.map((i) => i.arg)).toContain('units');
      expect(issues.find((i) => i.arg === 'units')!.message).toMatch(/units.*(positive integer|required)/);
    }
  });

  it('suggests the activation meant', () => {
    const { issues } = validateConfig('Dense', denseSchema, { units: 8, activation: 'rleu' });
    expect(issues[0]).toMatchObject({ code: 'invalid-activation', arg: 'activation' });
    expect(issues[0]!.message).toContain("unknown activation 'rleu'. Did you mean 'relu'?");
    expect(issues[0]!.hint).toContain('sigmoid');
  });

  it('suggests the initializer meant', () => {
    const { issues } = validateConfig('Dense', denseSchema, { units: 8, kernel_initializer: 'unifrom' });
    expect(issues[0]!.message).toContain("Did you mean 'uniform'?");
  });

  it('accepts Keras initializer objects and checks their class', () => {
    expect(validateConfig('Dense', denseSchema, { units: 8, kernel_initializer: { class_name: 'RandomUniform', config: { minval: -0.1 } } }).issues).toEqual([]);
    expect(validateConfig('Dense', denseSchema, { units: 8, kernel_initializer: { class_name: 'RandomUnifrom' } }).issues[0]!.message).toContain("Did you mean 'RandomUniform'?");
  });

  it('accepts regularizers and constraints by name or object', () => {
    expect(validateConfig('Dense', denseSchema, { units: 2, kernel_regularizer: 'l2', bias_constraint: 'max_norm', activity_regularizer: { class_name: 'L1L2', config: { l1: 0.1 } } }).issues).toEqual([]);
    expect(validateConfig('Dense', denseSchema, { units: 2, kernel_regularizer: 'l3' }).issues[0]!.message).toContain('unknown regularizer');
  });

  it('accepts every activation Keras names and nothing else (property)', () => {
    for (const a of ACTIVATIONS) expect(checkValue(denseSchema.activation, a).ok).toBe(true);
    fc.assert(
      fc.property(fc.string(), (s) => {
        fc.pre(!(ACTIVATIONS as readonly string[]).includes(s));
        expect(checkValue(denseSchema.activation, s).ok).toBe(false);
      }),
    );
  });
});

describe('vocabularies', () => {
  it('snake_cases class names as Keras does', () => {
    expect(toSnakeCase('Dense')).toBe('dense');
    expect(toSnakeCase('InputLayer')).toBe('input_layer');
    expect(toSnakeCase('GlorotUniform')).toBe('glorot_uniform');
    expect(toSnakeCase('LayerNormalization')).toBe('layer_normalization');
    // Keras 3's rule does not split after a digit: Conv2D → conv2d, and PReLU → p_re_lu.
    expect(toSnakeCase('Conv2D')).toBe('conv2d');
    expect(toSnakeCase('GlobalAveragePooling2D')).toBe('global_average_pooling2d');
    expect(toSnakeCase('SpatialDropout1D')).toBe('spatial_dropout1d');
    expect(toSnakeCase('PReLU')).toBe('p_re_lu');
  });

  it('maps Keras initializer strings to classes, aliases included', () => {
    expect(initializerClass('uniform')).toBe('RandomUniform');
    expect(initializerClass('normal')).toBe('RandomNormal');
    expect(initializerClass('glorot_uniform')).toBe('GlorotUniform');
    expect(initializerClass('he_normal')).toBe('HeNormal');
    expect(initializerClass('zero')).toBe('Zeros');
    expect(initializerClass('bogus')).toBeUndefined();
  });
});

describe('schema types added for the layer set', () => {
  const ajv = new (Ajv2020 as unknown as typeof Ajv2020.default)({ strict: false });
  const fields = {
    intOrIntList: { type: 'intOrIntList', doc: 'axes' },
    targetShape: { type: 'targetShape', doc: 'target' },
    permutation: { type: 'permutation', doc: 'dims' },
  } as const satisfies Record<string, FieldSpec>;
  const values = fc.oneof(fc.integer({ min: -3, max: 6 }), fc.array(fc.integer({ min: -3, max: 6 }), { maxLength: 5 }), fc.jsonValue());

  it('intOrIntList: an integer, or a non-empty list of distinct integers', () => {
    expect(checkValue(fields.intOrIntList, -1)).toEqual({ ok: true, value: -1 });
    expect(checkValue(fields.intOrIntList, [1, 2])).toEqual({ ok: true, value: [1, 2] });
    for (const bad of [[], [1, 1], 1.5, 'x', [1, 'a'], { a: 1 }]) expect(checkValue(fields.intOrIntList, bad).ok, JSON.stringify(bad)).toBe(false);
  });

  it('targetShape: positive sizes, at most one -1', () => {
    expect(checkValue(fields.targetShape, [3, -1])).toEqual({ ok: true, value: [3, -1] });
    expect(checkValue(fields.targetShape, [])).toEqual({ ok: true, value: [] });
    for (const bad of [[-1, -1], [0], [-2, 3], [null], 4, [2.5]]) expect(checkValue(fields.targetShape, bad).ok, JSON.stringify(bad)).toBe(false);
  });

  it('permutation: the numbers 1…n in any order', () => {
    expect(checkValue(fields.permutation, [3, 1, 2])).toEqual({ ok: true, value: [3, 1, 2] });
    for (const bad of [[], [0, 1], [1, 1], [2, 3], [1, 3], 1, ['1']]) expect(checkValue(fields.permutation, bad).ok, JSON.stringify(bad)).toBe(false);
  });

  it('their JSON Schema accepts every value the checker accepts, and exactly those for intOrIntList (property)', () => {
    for (const [name, field] of Object.entries(fields)) {
      const validate = ajv.compile(fieldJsonSchema(field));
      fc.assert(
        fc.property(values, (v) => {
          // null is a question of `nullable`, which fieldJsonSchema handles for every type alike.
          fc.pre(v !== null);
          const ok = checkValue(field, v).ok;
          if (ok) expect(validate(v), `${name} ${JSON.stringify(v)}`).toBe(true);
          // The JSON Schema cannot say "at most one -1" or "exactly 1…n"; elsewhere it is exact.
          if (name === 'intOrIntList') expect(validate(v), `${name} ${JSON.stringify(v)}`).toBe(ok);
        }),
      );
    }
  });

  it('read in the docs', () => {
    expect(fieldTypeText(fields.intOrIntList)).toBe('integer or list of integers');
    expect(fieldTypeText({ ...fields.intOrIntList, nullable: true })).toBe('integer or list of integers or null');
    expect(fieldTypeText(fields.targetShape)).toBe('list of dims (one may be -1)');
    expect(fieldTypeText(fields.permutation)).toBe('permutation of 1…n');
  });
});

describe('initializer arguments', () => {
  it('are checked when the model is built, not when it first runs', () => {
    const { issues } = validateConfig('Dense', denseSchema, { units: 3, kernel_initializer: { class_name: 'Orthogonal', config: { gain: 'x' } } });
    expect(issues[0]!.message).toContain("initializer 'Orthogonal': 'gain' must be a finite number");
    expect(validateConfig('Dense', denseSchema, { units: 3, kernel_initializer: { class_name: 'VarianceScaling', config: { mode: 'fan_out' } } }).issues).toEqual([]);
  });
});

describe('dtype aliases of older Keras files', () => {
  it('reads float, double and half as float32, float64 and float16', () => {
    for (const [alias, dtype] of [['float', 'float32'], ['double', 'float64'], ['half', 'float16']]) {
      expect(checkValue(denseSchema.dtype, alias)).toEqual({ ok: true, value: dtype });
    }
    expect(checkValue(denseSchema.dtype, 'floot').ok).toBe(false);
  });
});
