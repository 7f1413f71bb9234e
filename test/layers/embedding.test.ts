import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LAYERS } from '../../src/layers/registry.js';
import type { FieldSpec } from '../../src/layers/schema.js';
import { config, expectError, issues, params, shapeArb, shapeOf, weightsOf } from './helpers.js';

describe('Embedding', () => {
  it('Embedding(1000, 64) on (None, 10): (None, 10, 64) and 64,000 parameters (Keras docstring)', () => {
    expect(shapeOf('Embedding', { input_dim: 1000, output_dim: 64 }, [[null, 10]])).toEqual({ ok: true, shape: [null, 10, 64] });
    const w = weightsOf('Embedding', { input_dim: 1000, output_dim: 64 }, [[null, 10]]);
    expect(w.map((x) => [x.name, x.shape, x.trainable, x.initializer])).toEqual([['embeddings', [1000, 64], true, 'uniform']]);
    expect(params(w).total).toBe(64000);
  });

  it('appends output_dim to an input of any rank; parameters do not depend on it (property)', () => {
    fc.assert(
      fc.property(shapeArb(1, 5), fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 512 }), (input, v, d) => {
        expect(shapeOf('Embedding', { input_dim: v, output_dim: d }, [input])).toEqual({ ok: true, shape: [...input, d] });
        expect(params(weightsOf('Embedding', { input_dim: v, output_dim: d }, [input])).total).toBe(v * d);
      }),
    );
  });

  it('takes input_dim and output_dim positionally, and both are required positive integers', () => {
    expect(LAYERS.Embedding.positional.slice(0, 2)).toEqual(['input_dim', 'output_dim']);
    expect(issues('Embedding', { output_dim: 4 }).map((i) => [i.arg, i.code])).toEqual([['input_dim', 'missing-argument']]);
    expect(issues('Embedding', { input_dim: 0, output_dim: 4 })[0]!.code).toBe('invalid-argument');
  });

  it('has the Keras 3 defaults, and no activation', () => {
    expect(config('Embedding', { input_dim: 5, output_dim: 2 }) as Record<string, unknown>).toMatchObject({
      embeddings_initializer: 'uniform', embeddings_regularizer: null, activity_regularizer: null, embeddings_constraint: null,
      mask_zero: false, lora_rank: null, input_length: null, dtype: 'float32',
    });
    expect(LAYERS.Embedding.activation).toBeUndefined();
  });

  it('does not treat input_dim as the legacy input shape argument (it is the vocabulary size)', () => {
    expect((LAYERS.Embedding.schema.input_dim as FieldSpec).legacy).toBeUndefined();
    expect(LAYERS.Embedding.schema.input_dim.required).toBe(true);
    expect(LAYERS.Embedding.schema.input_shape.legacy).toBe(true);
  });

  it('with LoRA freezes the embeddings and trains two low-rank matrices (Keras 3 enable_lora)', () => {
    const w = weightsOf('Embedding', { input_dim: 100, output_dim: 8, lora_rank: 2 }, [[null, 5]]);
    expect(w.map((x) => [x.name, x.shape, x.trainable])).toEqual([
      ['embeddings', [100, 8], false], ['lora_embeddings_a', [100, 2], true], ['lora_embeddings_b', [2, 8], true],
    ]);
    expectError(shapeOf('Embedding', { input_dim: 100, output_dim: 8, lora_rank: 2, embeddings_constraint: 'non_neg' }, [[null, 5]]), 'lora-with-constraint');
  });

  it('respects trainable: false', () => {
    expect(params(weightsOf('Embedding', { input_dim: 10, output_dim: 3, trainable: false }, [[null, 4]]))).toEqual({ total: 30, trainable: 0, nonTrainable: 30 });
  });

  it('reads Keras 2 input_length: fills unknown lengths, refuses ones that disagree', () => {
    expect(shapeOf('Embedding', { input_dim: 50, output_dim: 4, input_length: 10 }, [[null, null]])).toEqual({ ok: true, shape: [null, 10, 4] });
    expect(shapeOf('Embedding', { input_dim: 50, output_dim: 4, input_length: 10 }, [[null, 10]])).toEqual({ ok: true, shape: [null, 10, 4] });
    expect(shapeOf('Embedding', { input_dim: 50, output_dim: 4, input_length: [null, 3] }, [[null, 7, null]])).toEqual({ ok: true, shape: [null, 7, 3, 4] });
    expectError(shapeOf('Embedding', { input_dim: 50, output_dim: 4, input_length: 10 }, [[null, 12]]), 'input-length-mismatch');
    expectError(shapeOf('Embedding', { input_dim: 50, output_dim: 4, input_length: 10 }, [[null, 2, 5]]), 'input-length-mismatch');
  });
});

describe('Embedding as the first layer of a Sequential model', () => {
  it('implies the input (input_length,) or (None,), as Keras 2 did', () => {
    const implied = (raw: Record<string, unknown>) => LAYERS.Embedding.impliedInputShape!(config('Embedding', { input_dim: 10, output_dim: 2, ...raw }));
    expect(implied({ input_length: 12 })).toEqual([12]);
    expect(implied({ input_length: [4, 5] })).toEqual([4, 5]);
    expect(implied({})).toEqual([null]);
  });
});
