import { describe, expect, it } from 'vitest';
import { Tape } from '../../src/exec/autograd.js';
import { createRng } from '../../src/exec/random.js';
import { LAYERS } from '../../src/layers/registry.js';
import { config } from './helpers.js';
import { expectClose, expectLayerGradients, rand, runLayer, t64 } from './forward-helpers.js';

describe('Reshape', () => {
  it('keeps the batch axis and the row-major order; -1 is inferred', () => {
    const x = [[1, 2, 3, 4, 5, 6], [7, 8, 9, 10, 11, 12]];
    expect(runLayer('Reshape', { target_shape: [3, -1] }, [x]).value).toEqual([[[1, 2], [3, 4], [5, 6]], [[7, 8], [9, 10], [11, 12]]]);
    expect(runLayer('Reshape', { target_shape: [2, 3] }, [x]).shape).toEqual([2, 2, 3]);
    expect(runLayer('Reshape', { target_shape: [6] }, [[[[1, 2], [3, 4], [5, 6]]]]).value).toEqual([[1, 2, 3, 4, 5, 6]]);
  });

  it('refuses a size that does not fit', () => {
    expect(() => runLayer('Reshape', { target_shape: [4] }, [[[1, 2, 3]]])).toThrow(/reshape/);
  });

  it('passes the gradient through', () => {
    expectLayerGradients('Reshape', { target_shape: [-1, 2] }, [rand([3, 2, 2], 1)]);
  });
});

describe('Permute', () => {
  it('reorders the axes after the batch axis (dims count from 1)', () => {
    const x = [[[1, 2, 3], [4, 5, 6]]]; // (1, 2, 3)
    expect(runLayer('Permute', { dims: [2, 1] }, [x]).value).toEqual([[[1, 4], [2, 5], [3, 6]]]);
    const y = runLayer('Permute', { dims: [3, 1, 2] }, [rand([2, 2, 3, 4], 2)]);
    const src = y.inputs[0]!.value;
    expect(y.shape).toEqual([2, 4, 2, 3]);
    // out[b][l][i][j] = in[b][i][j][l], for every entry.
    for (let b = 0; b < 2; b++) for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) for (let l = 0; l < 4; l++) {
      expect(y.out.value.data[((b * 4 + l) * 2 + i) * 3 + j]).toBe(src.data[((b * 2 + i) * 3 + j) * 4 + l]);
    }
  });

  it('passes the gradient through', () => {
    expectLayerGradients('Permute', { dims: [2, 3, 1] }, [rand([2, 2, 3, 4], 3)]);
  });
});

describe('RepeatVector', () => {
  it('repeats each sample n times on a new axis 1', () => {
    expect(runLayer('RepeatVector', { n: 3 }, [[[1, 2], [3, 4]]]).value).toEqual([
      [[1, 2], [1, 2], [1, 2]],
      [[3, 4], [3, 4], [3, 4]],
    ]);
  });

  it('sums the copies\' gradients', () => {
    expectLayerGradients('RepeatVector', { n: 3 }, [rand([2, 4], 4)]);
    const r = runLayer('RepeatVector', { n: 3 }, [[[1, 2]]]);
    r.tape.backward(r.out, Float64Array.from([1, 10, 2, 20, 3, 30]));
    expect([...r.inputs[0]!.grad!]).toEqual([6, 60]);
  });
});

describe('Embedding', () => {
  const table = [[0, 1], [2, 3], [4, 5]];

  it('looks up one row per index, for any input rank', () => {
    expect(runLayer('Embedding', { input_dim: 3, output_dim: 2 }, [[[2, 0], [1, 1]]], { embeddings: table }).value).toEqual([
      [[4, 5], [0, 1]],
      [[2, 3], [2, 3]],
    ]);
    expect(runLayer('Embedding', { input_dim: 3, output_dim: 2 }, [[1, 2]], { embeddings: table }).value).toEqual([[2, 3], [4, 5]]);
  });

  it('names the bad index, the input_dim and the valid range', () => {
    const run = (indices: number[][]) => runLayer('Embedding', { input_dim: 3, output_dim: 2 }, [indices], { embeddings: table });
    expect(() => run([[0, 3]])).toThrow(/Embedding input 3 \(element 1 of an input of shape \(1, 2\)\).*integers from 0 to 2 \(input_dim 3\)/);
    expect(() => run([[-1]])).toThrow(/Embedding input -1 /);
    expect(() => run([[0.5, 1]])).toThrow(/Embedding input 0\.5 \(element 0/);
  });

  it('scatters the output gradient into the rows it read, adding repeated rows', () => {
    const r = runLayer('Embedding', { input_dim: 4, output_dim: 2 }, [[[2, 0, 2]]], { embeddings: [[0, 0], [0, 0], [0, 0], [0, 0]] });
    r.tape.backward(r.out, Float64Array.from([1, 2, 10, 20, 100, 200]));
    expect([...r.weights['embeddings']!.grad!]).toEqual([10, 20, 0, 0, 101, 202, 0, 0]);
    expect(r.inputs[0]!.grad).toBeNull();
    expectLayerGradients('Embedding', { input_dim: 4, output_dim: 3 }, [t64([[3, 1], [1, 0]])], { embeddings: rand([4, 3], 5) }, { constantInputs: true });
  });

  it('with LoRA adds (lora_alpha / lora_rank) · a · b to the table, and trains a and b', () => {
    const raw = { input_dim: 3, output_dim: 2, lora_rank: 1, lora_alpha: 2 };
    const a = [[1], [0], [-1]];
    const b = [[0.5, 1]];
    const r = runLayer('Embedding', raw, [[[0, 2]]], { embeddings: table, lora_embeddings_a: a, lora_embeddings_b: b });
    // rows 0 and 2 of table + 2 · a·b: a·b row 0 = [0.5, 1], row 2 = [-0.5, -1].
    expectClose(r.value, [[[1, 3], [3, 3]]], 14);
    // The frozen table is a constant in the executor; a and b get gradients.
    expectLayerGradients('Embedding', raw, [t64([[0, 2], [1, 2]])], { embeddings: rand([3, 2], 6), lora_embeddings_a: rand([3, 1], 7), lora_embeddings_b: rand([1, 2], 8) }, { constantInputs: true });
  });

  it('keeps the layer dtype: a float32 table gives a float32 output', () => {
    const tape = new Tape('float32');
    const def = LAYERS.Embedding;
    const cfg = config('Embedding', { input_dim: 3, output_dim: 2 });
    const out = def.forward!({ tape, training: false, rng: createRng(0), updateWeight: () => {}, activationOptions: {} }, cfg, [tape.constant({ shape: [1], data: Float32Array.from([1]) })], {
      embeddings: tape.variable({ shape: [3, 2], data: Float32Array.from([0, 1, 2, 3, 4, 5]) }),
    });
    expect(out.value.data).toBeInstanceOf(Float32Array);
    expect([...out.value.data]).toEqual([2, 3]);
  });
});
