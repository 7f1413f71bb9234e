import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LAYERS } from '../../src/layers/registry.js';
import { checkValue, validateConfig } from '../../src/layers/schema.js';
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
