import { describe, expect, it } from 'vitest';
import { dense, dropout, flatten, inputLayer, layer, sequential } from '../../src/frontends/builder.js';
import { compileModel } from '../../src/passes/compile.js';
import type { ModelIR } from '../../src/ir/model.js';
import { mustCompile } from '../helpers.js';

function errors(model: ModelIR) {
  return compileModel(model).diagnostics.filter((d) => d.severity === 'error');
}

describe('names', () => {
  it('names layers as Keras 3 does: input_layer, dense, dense_1, …', () => {
    const m = mustCompile(sequential([dense(8, { inputDim: 4 }), dropout(0.5), dense(6), dense(1)]));
    expect(m.layers.map((l) => l.name)).toEqual(['input_layer', 'dense', 'dropout', 'dense_1', 'dense_2']);
    expect(m.inputs).toEqual(['input_layer']);
    expect(m.outputs).toEqual([{ layer: 'dense_2' }]);
  });

  it('keeps explicit names and skips them when numbering', () => {
    const m = mustCompile(sequential([dense(8, { inputDim: 4, name: 'dense' }), dense(6), dense(1, { name: 'out' })]));
    expect(m.layers.map((l) => l.name)).toEqual(['input_layer', 'dense', 'dense_1', 'out']);
  });

  it('reports duplicate names', () => {
    const errs = errors(sequential([dense(8, { inputDim: 4, name: 'a' }), dense(1, { name: 'a' })]));
    expect(errs[0]).toMatchObject({ code: 'duplicate-name' });
    expect(errs[0]!.message).toContain("two layers are named 'a'");
  });

  it('links each layer of a Sequential to the one before', () => {
    const m = mustCompile(sequential([dense(8, { inputDim: 4 }), dense(1)]));
    expect(m.layers.map((l) => l.inbound)).toEqual([[], ['input_layer'], ['dense']]);
  });
});

describe('implicit input', () => {
  it('is built from input_dim, input_shape, batch_input_shape or batch_size, like Keras', () => {
    const shape = (model: ModelIR) => mustCompile(model).layers[0]!.outputShape;
    expect(shape(sequential([dense(8, { inputDim: 4 })]))).toEqual([null, 4]);
    expect(shape(sequential([dense(8, { inputShape: [5, 4] })]))).toEqual([null, 5, 4]);
    expect(shape(sequential([dense(8, { batchInputShape: [32, 4] })]))).toEqual([32, 4]);
    expect(shape(sequential([dense(8, { inputDim: 4, batchSize: 16 })]))).toEqual([16, 4]);
  });

  it('is marked implicit, and an explicit InputLayer is not', () => {
    expect(mustCompile(sequential([dense(8, { inputDim: 4 })])).layers[0]!.implicit).toBe(true);
    const explicit = mustCompile(sequential([inputLayer({ shape: [4] }), dense(8)]));
    expect(explicit.layers[0]).toMatchObject({ implicit: false, name: 'input_layer', outputShape: [null, 4] });
  });

  it('is an error when the first layer has no input shape', () => {
    const errs = errors(sequential([dense(8), dense(1)]));
    expect(errs[0]!.code).toBe('missing-input-shape');
    expect(errs[0]!.message).toContain('(Dense) has no input_dim, input_shape or batch_input_shape');
    expect(errs[0]!.hint).toContain('input_dim');
  });

  it('warns about an input_dim that is not on the first layer', () => {
    const d = compileModel(sequential([dense(8, { inputDim: 4 }), dense(1, { inputDim: 9 })])).diagnostics;
    expect(d).toEqual([expect.objectContaining({ severity: 'warning', code: 'ignored-input-shape' })]);
  });

  it('strips the legacy input arguments from compiled configs', () => {
    const m = mustCompile(sequential([dense(8, { inputDim: 4 })]));
    expect(m.layers[1]!.config).not.toHaveProperty('input_dim');
  });
});

describe('shapes and parameters', () => {
  it('compiles the seed 4→8→6→1 classifier: 40 + 54 + 7 = 101 parameters', () => {
    const m = mustCompile(sequential([
      dense(8, { inputDim: 4, kernelInitializer: 'uniform', activation: 'relu' }),
      dense(6, { kernelInitializer: 'uniform', activation: 'relu' }),
      dense(1, { kernelInitializer: 'uniform', activation: 'sigmoid' }),
    ]));
    expect(m.layers.map((l) => l.outputShape)).toEqual([[null, 4], [null, 8], [null, 6], [null, 1]]);
    expect(m.layers.map((l) => l.params)).toEqual([0, 40, 54, 7]);
    expect([m.totalParams, m.trainableParams, m.nonTrainableParams]).toEqual([101, 101, 0]);
    expect(m.layers.every((l) => l.dtype === 'float32')).toBe(true);
  });

  it('applies Dense to the last axis: (None, 5, 4) → (None, 5, 8)', () => {
    const m = mustCompile(sequential([dense(8, { inputShape: [5, 4] }), flatten(), dense(2)]));
    expect(m.layers.map((l) => l.outputShape)).toEqual([[null, 5, 4], [null, 5, 8], [null, 40], [null, 2]]);
    expect(m.layers[1]!.params).toBe(4 * 8 + 8);
  });

  it('counts frozen layers as non-trainable', () => {
    const m = mustCompile(sequential([dense(8, { inputDim: 4, trainable: false }), dense(1)]));
    expect([m.trainableParams, m.nonTrainableParams]).toEqual([9, 40]);
  });

  it('reports a Dense on a rank-1 input with the layer, the shape and where it came from', () => {
    const errs = errors(sequential([inputLayer({ shape: [] }), dense(8)]));
    expect(errs[0]!.code).toBe('rank-too-low');
    expect(errs[0]!.message).toBe("layer 'dense' (Dense): Dense needs an input of rank 2 or more (a batch axis and a feature axis), got (None,) of rank 1 (input (None,) from 'input_layer')");
    expect(errs[0]!.loc?.layer).toBe('dense');
  });

  it('uses the compute dtype of a mixed policy and keeps float32 weights', () => {
    const m = mustCompile(sequential([dense(8, { inputDim: 4, dtype: 'mixed_float16' })]));
    expect(m.layers[1]).toMatchObject({ dtype: 'float16', weightDtype: 'float32' });
  });
});

describe('functional graphs (IR level)', () => {
  const functional = (layers: ModelIR['layers'], inputs: string[], outputs: string[]): ModelIR => ({ name: 'f', kind: 'Functional', layers, inputs, outputs: outputs.map((layer) => ({ layer })) });
  const calledOn = (l: ReturnType<typeof layer>, ...from: string[]) => ({ ...l, calls: [from.map((f) => ({ layer: f }))] });
  const inp = { ...inputLayer({ shape: [4], name: 'x' }), name: 'x' };

  it('orders layers topologically whatever the declaration order', () => {
    const m = mustCompile(functional([calledOn(layer('Dense', { units: 2, name: 'b' }), 'a'), calledOn(layer('Dense', { units: 3, name: 'a' }), 'x'), inp], ['x'], ['b']));
    expect(m.layers.map((l) => l.name)).toEqual(['x', 'a', 'b']);
    expect(m.layers[2]!.inputShapes).toEqual([[null, 3]]);
  });

  it('names the layers on a cycle', () => {
    const errs = errors(functional([inp, calledOn(layer('Dense', { units: 2, name: 'a' }), 'b'), calledOn(layer('Dense', { units: 2, name: 'b' }), 'a')], ['x'], ['b']));
    expect(errs[0]).toMatchObject({ code: 'cycle' });
    expect(errs[0]!.message).toContain("'a', 'b'");
  });

  it('reports a reference to a missing layer', () => {
    const errs = errors(functional([inp, calledOn(layer('Dense', { units: 2, name: 'a' }), 'nope')], ['x'], ['a']));
    expect(errs[0]!.message).toBe("layer 'a' takes its input from 'nope', but no layer or input has that name");
  });
});

describe('unknown classes', () => {
  it('are an error with a suggestion', () => {
    const errs = errors(sequential([layer('Dens', { units: 8, input_dim: 4 })]));
    expect(errs[0]!.message).toBe("unknown layer class 'Dens'. Did you mean 'Dense'?");
  });
});
