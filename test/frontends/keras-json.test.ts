import { describe, expect, it } from 'vitest';
import { isKerasJsonData, kerasJsonToIR } from '../../src/frontends/keras-json.js';
import { parseModel } from '../../src/frontends/load.js';
import { parseSource } from '../../src/frontends/source.js';
import { formatDiagnostic, type Diagnostic } from '../../src/ir/diagnostics.js';
import type { CompiledModel, ModelIR } from '../../src/ir/model.js';
import { compileModel } from '../../src/passes/compile.js';
import { readFixture } from '../helpers.js';

function load(text: string, file = 'model.json'): { model?: ModelIR; diagnostics: readonly Diagnostic[] } {
  return parseModel(text, file);
}

function irOf(text: string, file?: string): ModelIR {
  const r = load(text, file);
  if (!r.model) throw new Error(`expected the file to load:\n${r.diagnostics.map(formatDiagnostic).join('\n')}`);
  return r.model;
}

function compiled(text: string, file?: string): { model: CompiledModel; diagnostics: readonly Diagnostic[] } {
  const r = load(text, file);
  if (!r.model) throw new Error(`expected the file to load:\n${r.diagnostics.map(formatDiagnostic).join('\n')}`);
  const c = compileModel(r.model);
  if (!c.compiled) throw new Error(`expected the model to compile:\n${c.diagnostics.map(formatDiagnostic).join('\n')}`);
  return { model: c.compiled, diagnostics: [...r.diagnostics, ...c.diagnostics] };
}

function fixture(name: string): { text: string; file: string } {
  const file = `fixtures/keras/${name}`;
  return { text: readFixture(file), file };
}

function compileFixture(name: string) {
  const { text, file } = fixture(name);
  return compiled(text, file);
}

function table(m: CompiledModel) {
  return m.layers.map((l) => [l.name, l.className, l.outputShape, l.params]);
}

function errorsOf(text: string): Diagnostic[] {
  const r = load(text);
  expect(r.model).toBeUndefined();
  return r.diagnostics.filter((d) => d.severity === 'error');
}

describe('Keras 2 to_json files (real)', () => {
  it('k2_03 (Keras 2.1.5 Model): two inputs, Add, 436 params', () => {
    const { model } = compileFixture('k2_03_dl4j_simple_add_tf_keras_2.json');
    expect(model.name).toBe('model_2');
    expect(model.kind).toBe('Functional');
    expect(table(model)).toEqual([
      ['input_3', 'InputLayer', [null, 16], 0],
      ['input_4', 'InputLayer', [null, 32], 0],
      ['dense_4', 'Dense', [null, 8], 136],
      ['dense_5', 'Dense', [null, 8], 264],
      ['add_2', 'Add', [null, 8], 0],
      ['dense_6', 'Dense', [null, 4], 36],
    ]);
    expect(model.totalParams).toBe(436);
    expect(model.inputs).toEqual(['input_3', 'input_4']);
    expect(model.outputs).toEqual([{ layer: 'dense_6' }]);
    expect(model.layers.find((l) => l.name === 'add_2')!.inbound).toEqual(['dense_4', 'dense_5']);
    // The VarianceScaling initializer object is kept as written.
    expect(model.layers.find((l) => l.name === 'dense_4')!.config['kernel_initializer']).toEqual({
      class_name: 'VarianceScaling',
      config: { distribution: 'uniform', scale: 1, seed: null, mode: 'fan_avg' },
    });
  });

  it('k2_03: layers are located in the file', () => {
    const { text, file } = fixture('k2_03_dl4j_simple_add_tf_keras_2.json');
    const m = irOf(text, file);
    expect(m.layers.map((l) => l.loc?.path)).toEqual([0, 1, 2, 3, 4, 5].map((i) => `config.layers[${i}]`));
    expect(m.layers[2]!.loc).toMatchObject({ file, line: 34, column: 7 });
    expect(m.layers[4]!.calls).toEqual([[{ layer: 'dense_4' }, { layer: 'dense_5' }]]);
  });

  it('k2_04 (Keras 2.0.6 Model): legacy Merge, InputLayer mid-list, two outputs, 40 params', () => {
    const { model, diagnostics } = compileFixture('k2_04_dl4j_keras2_mlp_fapi_config.json');
    expect(table(model)).toEqual([
      ['input1', 'InputLayer', [null, 4], 0],
      ['dense_1', 'Dense', [null, 3], 15],
      ['activation_1', 'Activation', [null, 3], 0],
      ['dropout_1', 'Dropout', [null, 3], 0],
      ['input2', 'InputLayer', [null, 4], 0],
      ['merge_1', 'Concatenate', [null, 7], 0],
      ['dense_2', 'Dense', [null, 2], 16],
      ['dropout_2', 'Dropout', [null, 2], 0],
      ['dense_3', 'Dense', [null, 3], 9],
      ['output1', 'Activation', [null, 3], 0],
      ['output2', 'Activation', [null, 3], 0],
    ]);
    expect(model.totalParams).toBe(40);
    expect(model.inputs).toEqual(['input1', 'input2']);
    expect(model.outputs).toEqual([{ layer: 'output1' }, { layer: 'output2' }]);
    expect(model.layers.find((l) => l.name === 'merge_1')!.inbound).toEqual(['dropout_1', 'input2']);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(diagnostics.find((d) => d.code === 'legacy-layer')!.loc).toMatchObject({ path: 'config.layers[5]', layer: 'merge_1' });
    // batch_input_shape: [null, null] on non-input Dense layers is ignored with a warning.
    expect(diagnostics.filter((d) => d.code === 'ignored-input-shape').map((d) => d.loc?.path)).toEqual([
      'config.layers[1].config.batch_input_shape',
      'config.layers[6].config.batch_input_shape',
      'config.layers[8].config.batch_input_shape',
    ]);
  });

  it('k2_05 (Keras 2.3.1 Model): input_layers order differs from the layers list, 64 params', () => {
    const { text, file } = fixture('k2_05_dl4j_reshape_embedding_concat.json');
    const ir = irOf(text, file);
    expect(ir.layers.slice(0, 3).map((l) => l.name)).toEqual(['input_3', 'input_1', 'input_2']);
    expect(ir.inputs).toEqual(['input_1', 'input_2', 'input_3']);
    const { model } = compiled(text, file);
    expect(model.inputs).toEqual(['input_1', 'input_2', 'input_3']);
    expect(table(model)).toEqual([
      ['input_3', 'InputLayer', [null, 1], 0],
      ['input_1', 'InputLayer', [null, 1], 0],
      ['input_2', 'InputLayer', [null, 1], 0],
      ['dense_1', 'Dense', [null, 8], 16],
      ['embedding_4', 'Embedding', [null, 1, 3], 24],
      ['embedding_5', 'Embedding', [null, 1, 3], 24],
      ['reshape_1', 'Reshape', [null, 1, 8], 0],
      ['concatenate_1', 'Concatenate', [null, 1, 14], 0],
    ]);
    expect(model.totalParams).toBe(64);
    expect(model.layers.find((l) => l.name === 'concatenate_1')!.inbound).toEqual(['embedding_4', 'embedding_5', 'reshape_1']);
    expect(model.outputs).toEqual([{ layer: 'concatenate_1' }]);
  });

  it('k2_06 (Keras 2.2.4 Sequential without InputLayer): MNIST MLP, 669,706 params', () => {
    const { model, diagnostics } = compileFixture('k2_06_dl4j_model_2_2_4.json');
    expect(model.name).toBe('sequential_1');
    expect(model.kind).toBe('Sequential');
    expect(table(model).slice(1)).toEqual([
      ['dense_1', 'Dense', [null, 512], 401920],
      ['dropout_1', 'Dropout', [null, 512], 0],
      ['dense_2', 'Dense', [null, 512], 262656],
      ['dropout_2', 'Dropout', [null, 512], 0],
      ['dense_3', 'Dense', [null, 10], 5130],
    ]);
    expect(model.layers[0]).toMatchObject({ className: 'InputLayer', implicit: true, outputShape: [null, 784] });
    expect(model.totalParams).toBe(669706);
    expect(diagnostics).toEqual([]);
  });
});

describe('Keras 3 to_json files (derived, reference/keras.md §6.2)', () => {
  it('Sequential with InputLayer batch_shape and DTypePolicy dtypes: 101 params', () => {
    const { text, file } = fixture('k3_01_derived_seed_sequential.json');
    const ir = irOf(text, file);
    expect(ir.layers.map((l) => l.name)).toEqual(['input_layer', 'dense', 'dense_1', 'dense_2']);
    expect(ir.layers[0]!.config).toEqual({ batch_shape: [null, 4], dtype: 'float32', sparse: false, ragged: false, name: 'input_layer' });
    expect(ir.layers[1]!.config['dtype']).toEqual({ module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null });
    const { model, diagnostics } = compiled(text, file);
    expect(diagnostics).toEqual([]);
    expect(table(model)).toEqual([
      ['input_layer', 'InputLayer', [null, 4], 0],
      ['dense', 'Dense', [null, 8], 40],
      ['dense_1', 'Dense', [null, 6], 54],
      ['dense_2', 'Dense', [null, 1], 7],
    ]);
    expect(model.totalParams).toBe(101);
    expect(model.layers.map((l) => l.dtype)).toEqual(['float32', 'float32', 'float32', 'float32']);
    expect(model.layers.slice(1).map((l) => l.activation)).toEqual(['relu', 'relu', 'sigmoid']);
  });

  it('Functional with flat input_layers/output_layers and a merge whose tensors are nested in args: 97 params', () => {
    const { text, file } = fixture('k3_02_derived_functional_concat.json');
    const ir = irOf(text, file);
    expect(ir.inputs).toEqual(['input_layer']);
    expect(ir.outputs).toEqual([{ layer: 'dense_2' }]);
    expect(ir.layers.find((l) => l.name === 'concatenate')!.calls).toEqual([[{ layer: 'dense_1' }, { layer: 'dense' }]]);
    const { model, diagnostics } = compiled(text, file);
    expect(diagnostics).toEqual([]);
    expect(table(model)).toEqual([
      ['input_layer', 'InputLayer', [null, 4], 0],
      ['dense', 'Dense', [null, 8], 40],
      ['dense_1', 'Dense', [null, 8], 40],
      ['concatenate', 'Concatenate', [null, 16], 0],
      ['dense_2', 'Dense', [null, 1], 17],
    ]);
    expect(model.totalParams).toBe(97);
    expect(model.outputs).toEqual([{ layer: 'dense_2' }]);
  });

  it('reads call kwargs, DTypePolicy with shared_object_id, nested-list outputs and Keras 2.15 list nodes with module', () => {
    const kt = (h: [string, number, number]) => ({ class_name: '__keras_tensor__', config: { shape: [null, 4], dtype: 'float32', keras_history: h } });
    const doc = {
      module: 'keras.src.models.functional',
      class_name: 'Functional',
      config: {
        name: 'f',
        trainable: true,
        layers: [
          { module: 'keras.layers', class_name: 'InputLayer', config: { batch_shape: [null, 4], dtype: 'float32', name: 'x', optional: false }, registered_name: null, name: 'x', inbound_nodes: [] },
          { module: 'keras.layers', class_name: 'Dropout', config: { name: 'drop', rate: 0.5, seed: null, dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null, shared_object_id: 1234 } }, name: 'drop', inbound_nodes: [{ args: [kt(['x', 0, 0])], kwargs: { training: false } }] },
          { module: 'keras.layers', class_name: 'Dense', config: { name: 'd', units: 3 }, registered_name: null, name: 'd', inbound_nodes: [[['drop', 0, 0, {}]]] },
        ],
        input_layers: [['x', 0, 0]],
        output_layers: [['d', 0, 0], ['drop', 0, 0]],
      },
      registered_name: 'Functional',
    };
    const { model } = compiled(JSON.stringify(doc));
    expect(model.outputs).toEqual([{ layer: 'd' }, { layer: 'drop' }]);
    expect(model.totalParams).toBe(15);
    expect(model.layers.find((l) => l.name === 'drop')!.dtype).toBe('float32');
  });
});

describe('Keras 1 files', () => {
  it('x1 (Keras 1.1.2, bare-list Sequential): output_dim/init/p load with legacy-argument warnings, 44 params', () => {
    const { model, diagnostics } = compileFixture('x1_dl4j_keras1_mlp_config.json');
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const legacy = diagnostics.filter((d) => d.code === 'legacy-argument');
    expect(legacy.map((d) => d.loc?.path)).toEqual(['config[0]', 'config[2]', 'config[4]', 'config[5]', 'config[6]']);
    expect(legacy[0]!.message).toContain('output_dim → units');
    expect(legacy[0]!.message).toContain('init → kernel_initializer');
    expect(legacy[1]!.message).toBe('Keras 1 arguments of Dropout read as their Keras 2 names: p → rate');
    const ignored = diagnostics.filter((d) => d.code === 'ignored-argument');
    expect(ignored).toHaveLength(1);
    expect(ignored[0]!.message).toContain("'mode'");
    expect(ignored[0]!.loc?.path).toBe('config[3]');
    expect(table(model).slice(1)).toEqual([
      ['dense_1', 'Dense', [null, 3], 15],
      ['leakyrelu_1', 'LeakyReLU', [null, 3], 0],
      ['dropout_1', 'Dropout', [null, 3], 0],
      ['batchnormalization_1', 'BatchNormalization', [null, 3], 12],
      ['dense_2', 'Dense', [null, 2], 8],
      ['dropout_2', 'Dropout', [null, 2], 0],
      ['dense_3', 'Dense', [null, 3], 9],
      ['activation_2', 'Activation', [null, 3], 0],
    ]);
    expect(model.totalParams).toBe(44);
    const dense1 = model.layers.find((l) => l.name === 'dense_1')!;
    expect(dense1.config).toMatchObject({ units: 3, kernel_initializer: 'glorot_uniform', use_bias: true, kernel_regularizer: { class_name: 'L1L2', config: { l1: 0, l2: 0.10000000149011612 } } });
    expect(model.layers.find((l) => l.name === 'dropout_1')!.config['rate']).toBe(0.2);
  });

  it('Keras 1 functional inbound entries without kwargs (3 elements)', () => {
    const doc = {
      class_name: 'Model',
      config: {
        name: 'm',
        layers: [
          { class_name: 'InputLayer', config: { batch_input_shape: [null, 5], name: 'in' }, name: 'in', inbound_nodes: [] },
          { class_name: 'Dense', config: { name: 'd', output_dim: 2 }, name: 'd', inbound_nodes: [[['in', 0, 0]]] },
        ],
        input_layers: [['in', 0, 0]],
        output_layers: [['d', 0, 0]],
      },
    };
    const { model } = compiled(JSON.stringify(doc));
    expect(model.totalParams).toBe(12);
  });
});

const sharedDoc = {
  class_name: 'Functional',
  config: {
    name: 'siamese',
    layers: [
      { class_name: 'InputLayer', config: { batch_input_shape: [null, 16], name: 'left' }, name: 'left', inbound_nodes: [] },
      { class_name: 'InputLayer', config: { batch_input_shape: [null, 16], name: 'right' }, name: 'right', inbound_nodes: [] },
      { class_name: 'Dense', config: { name: 'shared', units: 8 }, name: 'shared', inbound_nodes: [[['left', 0, 0, {}]], [['right', 0, 0, {}]]] },
      { class_name: 'Dense', config: { name: 'score', units: 1 }, name: 'score', inbound_nodes: [[['shared', 1, 0, {}]]] },
      {
        class_name: 'Sequential',
        config: { name: 'head', layers: [{ class_name: 'Dense', config: { name: 'h1', units: 4, batch_input_shape: [null, 8] } }, { class_name: 'Dense', config: { name: 'h2', units: 2 } }] },
        name: 'head',
        inbound_nodes: [[['shared', 0, 0, {}]]],
      },
    ],
    input_layers: [['left', 0, 0], ['right', 0, 0]],
    output_layers: [['score', 0, 0], ['shared', 1, 0], ['head', 0, 0]],
  },
};

describe('structure', () => {
  it('a shared layer has one call per inbound node; node indices become call indices', () => {
    const ir = irOf(JSON.stringify(sharedDoc));
    expect(ir.layers.find((l) => l.name === 'shared')!.calls).toEqual([[{ layer: 'left' }], [{ layer: 'right' }]]);
    expect(ir.layers.find((l) => l.name === 'score')!.calls).toEqual([[{ layer: 'shared', call: 1 }]]);
    expect(ir.outputs).toEqual([{ layer: 'score' }, { layer: 'shared', call: 1 }, { layer: 'head' }]);
  });

  it('a nested Sequential becomes a layer with its model', () => {
    const ir = irOf(JSON.stringify(sharedDoc));
    const head = ir.layers.find((l) => l.name === 'head')!;
    expect(head.className).toBe('Sequential');
    expect(head.config).toEqual({ name: 'head' });
    expect(head.model?.kind).toBe('Sequential');
    expect(head.model?.layers.map((l) => l.name)).toEqual(['h1', 'h2']);
    const { model } = compiled(JSON.stringify(sharedDoc));
    expect(model.layers.find((l) => l.name === 'head')!.params).toBe(8 * 4 + 4 + 4 * 2 + 2);
    expect(model.totalParams).toBe(136 + 9 + 46);
  });

  it('unknown config keys of known classes are dropped with one warning per layer; unknown classes keep their config', () => {
    const doc = {
      class_name: 'Sequential',
      config: {
        name: 's',
        layers: [
          { class_name: 'Dense', config: { name: 'd', units: 4, batch_input_shape: [null, 3], ragged: false, sparse: false, future_option: 1 } },
          { class_name: 'Conv2D', config: { name: 'c', filters: 8, kernel_size: [3, 3] } },
        ],
      },
    };
    const r = load(JSON.stringify(doc));
    expect(r.model!.layers[0]!.config).toEqual({ name: 'd', units: 4, batch_input_shape: [null, 3] });
    const ignored = r.diagnostics.filter((d) => d.code === 'ignored-argument');
    expect(ignored).toHaveLength(1);
    expect(ignored[0]!.message).toBe("Dense arguments 'ragged', 'sparse', 'future_option' are not read by densegraph and ignored");
    expect(ignored[0]!.loc?.path).toBe('config.layers[0]');
    expect(r.model!.layers[1]!.config).toEqual({ name: 'c', filters: 8, kernel_size: [3, 3] });
    const c = compileModel(r.model!);
    // Drawn as an opaque box: a warning at its place, unknown shapes and parameters, not runnable.
    expect(c.diagnostics.find((d) => d.code === 'opaque-layer')).toMatchObject({ severity: 'warning', loc: { path: 'config.layers[1]', layer: 'c' } });
    const conv = c.compiled!.layers.find((l) => l.name === 'c')!;
    expect(conv).toMatchObject({ opaque: true, outputShape: null, paramsKnown: false });
  });

  it('draws every layer of a model with classes densegraph does not know (k2_07, Conv2D)', async () => {
    const { toDot } = await import('../../src/backends/dot.js');
    const { loadStyle } = await import('../../src/backends/style.js');
    const { summaryText } = await import('../../src/backends/summary.js');
    const text = readFixture('fixtures/keras/k2_07_kotlindl_toyresnet_modelConfig.json');
    const m = compileModel(load(text).model!).compiled!;
    const dot = toDot(m, loadStyle('keras3').style!);
    expect(dot).toContain('<b>conv2d_34</b> (Conv2D)');
    expect(dot).toContain('Output shape: <b>?</b>');
    expect(summaryText(m)).toContain("parameters unknown and not counted");
    expect(m.layers.filter((l) => l.opaque).map((l) => l.className)).toContain('GlobalAveragePooling2D');
    // One warning per unknown class, at its first layer, naming how many layers have it.
    const warnings = compileModel(load(text).model!).diagnostics.filter((d) => d.code === 'opaque-layer');
    expect(warnings.map((d) => d.loc?.layer)).toEqual(['conv2d_34', 'max_pooling2d_5', 'global_average_pooling2d_3']);
    expect(warnings[0]!.message).toContain("'Conv2D' (7 layers: 'conv2d_34', 'conv2d_35'");
  });

  it('an opaque layer takes its output shape from the __keras_tensor__ shapes Keras 3 recorded; inference goes on after it (k3_03)', () => {
    const { model, diagnostics } = compileFixture('k3_03_derived_conv_functional.json');
    expect(table(model)).toEqual([
      ['image', 'InputLayer', [null, 28, 28, 1], 0],
      ['conv2d', 'Conv2D', [null, 26, 26, 8], 0],
      ['max_pooling2d', 'MaxPooling2D', [null, 13, 13, 8], 0],
      ['flatten', 'Flatten', [null, 1352], 0],
      ['dense', 'Dense', [null, 10], 1352 * 10 + 10],
    ]);
    expect(model.layers.map((l) => l.paramsKnown)).toEqual([true, false, false, true, true]);
    expect(model.totalParams).toBe(13_530);
    expect(diagnostics.filter((d) => d.code === 'opaque-layer').map((d) => d.loc?.layer)).toEqual(['conv2d', 'max_pooling2d']);
  });

  it('a Sequential opaque layer takes its output shape from the next layer\'s build_config (k3_04, LSTM)', () => {
    const { model } = compileFixture('k3_04_derived_lstm_sequential.json');
    expect(table(model).slice(1)).toEqual([
      ['lstm', 'LSTM', [null, 64], 0],
      ['dropout', 'Dropout', [null, 64], 0],
      ['dense', 'Dense', [null, 41], 64 * 41 + 41],
    ]);
  });

  it('build_config alone (no __keras_tensor__ shapes) gives a functional opaque layer its output, also for a merge', () => {
    const data = JSON.parse(readFixture('fixtures/keras/k3_03_derived_conv_functional.json'));
    // Keras 2.15 writes build_config with list-form inbound nodes: no tensor shapes there.
    for (const l of data.config.layers) if (l.inbound_nodes.length) l.inbound_nodes = [[[l.inbound_nodes[0].args[0].config.keras_history[0], 0, 0, {}]]];
    expect(table(compiled(JSON.stringify(data)).model).map((row) => row[2])).toEqual([[null, 28, 28, 1], [null, 26, 26, 8], [null, 13, 13, 8], [null, 1352], [null, 10]]);
    // Without build_config either, the shapes after the opaque layer are unknown ('?'), nothing fails.
    for (const l of data.config.layers) delete l.build_config;
    const bare = compiled(JSON.stringify(data)).model;
    expect(bare.layers.map((l) => l.outputShape)).toEqual([[null, 28, 28, 1], null, null, null, null]);
    expect(bare.layers.at(-1)!.paramsKnown).toBe(false);
  });

  it('a merge build_config with one shape per input records each input', () => {
    const layer = (name: string, cls: string, config: object, inbound: unknown[], build?: unknown) => ({ class_name: cls, name, config: { name, ...config }, inbound_nodes: inbound, ...(build ? { build_config: { input_shape: build } } : {}) });
    const model = {
      class_name: 'Functional',
      config: {
        name: 'm',
        layers: [
          layer('in', 'InputLayer', { batch_shape: [null, 5] }, []),
          layer('a', 'Custom', {}, [[['in', 0, 0, {}]]]),
          layer('b', 'Custom', {}, [[['in', 0, 0, {}]]]),
          layer('cat', 'Concatenate', {}, [[['a', 0, 0, {}], ['b', 0, 0, {}]]], [[null, 3], [null, 4]]),
          layer('out', 'Dense', { units: 2 }, [[['cat', 0, 0, {}]]]),
        ],
        input_layers: [['in', 0, 0]],
        output_layers: [['out', 0, 0]],
      },
    };
    expect(table(compiled(JSON.stringify(model)).model).slice(1)).toEqual([
      ['a', 'Custom', [null, 3], 0],
      ['b', 'Custom', [null, 4], 0],
      ['cat', 'Concatenate', [null, 7], 0],
      ['out', 'Dense', [null, 2], 16],
    ]);
  });

  it('Keras 2 batch_input_shape on a layer that is not first is not taken as a shape (k2_08 carries stale copies)', () => {
    const { model } = compileFixture('k2_08_kotlindl_lstm_model.json');
    // lstm_4 says batch_input_shape [None, 40, 41], but lstm_3's output is (None, 40, 64): unknown is right.
    expect(model.layers.find((l) => l.name === 'dropout_3')!.outputShape).toBeNull();
  });

  it('every shape Keras 3 recorded for a layer densegraph knows equals the shape densegraph infers', () => {
    for (const name of ['k3_01_derived_seed_sequential.json', 'k3_02_derived_functional_concat.json', 'k3_03_derived_conv_functional.json', 'k3_04_derived_lstm_sequential.json']) {
      const { text, file } = fixture(name);
      const ir = irOf(text, file);
      const m = compileModel(ir).compiled!;
      let checked = 0;
      for (const l of ir.layers) {
        const c = m.layers.find((x) => x.name === l.name)!;
        if (c.opaque) continue;
        l.recordedShapes?.forEach((outputs, call) => outputs.forEach((shape, out) => {
          if (shape === null) return;
          expect(c.calls[call]!.outputShapes[out], `${name}: ${l.name}`).toEqual(shape);
          checked++;
        }));
      }
      expect(checked, name).toBeGreaterThan(0);
    }
  });

  it('reads TensorFlow.js model.json: Keras config under modelTopology.model_config or directly in modelTopology', () => {
    const seq = JSON.parse(readFixture('fixtures/keras/k2_06_dl4j_model_2_2_4.json')) as Record<string, unknown>;
    const converter = { format: 'layers-model', generatedBy: 'keras v2.2.4', convertedBy: 'TensorFlow.js Converter v1.0.0', modelTopology: { keras_version: '2.2.4', backend: 'tensorflow', model_config: seq }, weightsManifest: [] };
    const tfjs = { format: 'layers-model', generatedBy: 'TensorFlow.js tfjs-layers v4.22.0', convertedBy: null, modelTopology: { ...seq, keras_version: 'tfjs-layers 4.22.0' }, weightsManifest: [] };
    expect(isKerasJsonData(converter)).toBe(true);
    expect(isKerasJsonData(tfjs)).toBe(true);
    expect(compiled(JSON.stringify(converter), 'model.json').model.totalParams).toBe(669706);
    expect(compiled(JSON.stringify(tfjs), 'model.json').model.totalParams).toBe(669706);
    expect(load(JSON.stringify(converter)).model!.layers[0]!.loc?.path).toBe('modelTopology.model_config.config.layers[0]');
  });

  it('detection: Keras objects yes, densegraph specs and other data no', () => {
    expect(isKerasJsonData({ class_name: 'Sequential', config: { layers: [] } })).toBe(true);
    expect(isKerasJsonData({ layers: [{ Dense: 4 }] })).toBe(false);
    expect(isKerasJsonData([1, 2])).toBe(false);
    expect(isKerasJsonData(null)).toBe(false);
  });

  it('kerasJsonToIR can be called on a parsed source directly', () => {
    const parsed = parseSource(readFixture('fixtures/keras/k2_03_dl4j_simple_add_tf_keras_2.json'), 'k.json');
    const r = kerasJsonToIR(parsed.source!, 'k.json');
    expect(r.model?.layers).toHaveLength(6);
    expect(r.diagnostics).toEqual([]);
  });
});

describe('malformed files give diagnostics with the JSON path', () => {
  const base = () => JSON.parse(JSON.stringify(sharedDoc)) as { class_name: string; config: Record<string, unknown> & { layers: Record<string, unknown>[] } };

  it('an inbound node naming no layer', () => {
    const doc = base();
    doc.config.layers[3]!['inbound_nodes'] = [[['shraed', 1, 0, {}]]];
    const errs = errorsOf(JSON.stringify(doc, null, 2));
    expect(errs).toHaveLength(1);
    expect(errs[0]!.code).toBe('dangling-reference');
    expect(errs[0]!.message).toContain("names the layer 'shraed', but the model has no layer of that name. Did you mean 'shared'?");
    expect(errs[0]!.loc).toMatchObject({ file: 'model.json', path: 'config.layers[3].inbound_nodes[0][0]' });
    expect(errs[0]!.loc?.line).toBeGreaterThan(1);
  });

  it('a layer without config, a class_name that is not a string, wrong inbound types', () => {
    const doc = base();
    delete doc.config.layers[2]!['config'];
    doc.config.layers[3]!['class_name'] = 7;
    doc.config.layers[4]!['inbound_nodes'] = 'shared';
    const errs = errorsOf(JSON.stringify(doc, null, 2));
    expect(errs.map((d) => [d.code, d.loc?.path])).toEqual([
      ['missing-config', 'config.layers[2]'],
      ['invalid-layer', 'config.layers[3].class_name'],
      ['invalid-inbound-nodes', 'config.layers[4].inbound_nodes'],
    ]);
  });

  it('malformed tensor entries, output layers and Keras 3 histories', () => {
    const doc = base();
    doc.config.layers[2]!['inbound_nodes'] = [[['left', '0', 0, {}]], { args: [{ class_name: '__keras_tensor__', config: { keras_history: ['right', 0] } }], kwargs: {} }];
    doc.config['output_layers'] = [['nope', 0, 0]];
    const errs = errorsOf(JSON.stringify(doc));
    expect(errs.map((d) => [d.code, d.loc?.path])).toEqual([
      ['invalid-tensor', 'config.layers[2].inbound_nodes[0][0]'],
      ['invalid-tensor', 'config.layers[2].inbound_nodes[1].args[0].config.keras_history'],
      ['dangling-reference', 'config.output_layers[0]'],
    ]);
  });

  it('a Keras 3 call without tensors, a missing input_layers, a model config that is not a mapping', () => {
    const doc = base();
    doc.config.layers[3]!['inbound_nodes'] = [{ args: [1, 2], kwargs: {} }];
    delete doc.config['input_layers'];
    const errs = errorsOf(JSON.stringify(doc));
    expect(errs.map((d) => [d.code, d.loc?.path])).toEqual([
      ['invalid-inbound-nodes', 'config.layers[3].inbound_nodes[0]'],
      ['invalid-keras-model', 'config'],
    ]);
    expect(errorsOf('{"class_name": "Functional", "config": [1]}').map((d) => [d.code, d.loc?.path])).toEqual([['invalid-keras-model', 'config']]);
    expect(errorsOf('{"class_name": "Sequential", "config": {"name": "s"}}').map((d) => [d.code, d.loc?.path])).toEqual([['missing-layers', 'config']]);
  });

  it('a top-level object that is not a model, and a tfjs topology without one', () => {
    expect(errorsOf('{"class_name": "Dense", "config": {"units": 3}}')[0]!.message).toBe("the top-level object is a 'Dense', not a model (Sequential, Functional or Model)");
    const e = errorsOf('{"format": "layers-model", "modelTopology": {"model_config": {"config": {}}}}');
    expect(e[0]!.code).toBe('invalid-keras-model');
    expect(e[0]!.loc?.path).toBe('modelTopology.model_config');
    expect(errorsOf('{"class_name": "Sequential"}')[0]!.code).toBe('invalid-keras-model');
  });
});
