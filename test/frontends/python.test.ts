import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseModel } from '../../src/frontends/load.js';
import { parsePython } from '../../src/frontends/python/index.js';
import { parseTokens, type Stmt } from '../../src/frontends/python/parser.js';
import { tokenize, type Token } from '../../src/frontends/python/tokenizer.js';
import { formatDiagnostic, type Diagnostic } from '../../src/ir/diagnostics.js';
import type { CompiledModel, ModelIR } from '../../src/ir/model.js';
import { compileModel } from '../../src/passes/compile.js';
import { readFixture } from '../helpers.js';

function ir(text: string, file = 'model.py', modelName?: string): { model: ModelIR; diagnostics: readonly Diagnostic[] } {
  const r = parsePython(text, file, modelName !== undefined ? { modelName } : {});
  if (!r.model) throw new Error(`expected the code to load:\n${r.diagnostics.map(formatDiagnostic).join('\n')}`);
  return { model: r.model, diagnostics: r.diagnostics };
}

function compiled(text: string, file = 'model.py', modelName?: string): { model: CompiledModel; diagnostics: readonly Diagnostic[] } {
  const r = ir(text, file, modelName);
  const c = compileModel(r.model);
  if (!c.compiled) throw new Error(`expected the model to compile:\n${c.diagnostics.map(formatDiagnostic).join('\n')}`);
  return { model: c.compiled, diagnostics: [...r.diagnostics, ...c.diagnostics] };
}

function fixture(name: string): { text: string; file: string } {
  const file = `fixtures/python/${name}`;
  return { text: readFixture(file), file };
}

function errors(text: string, file = 'model.py', modelName?: string): Diagnostic[] {
  const r = parsePython(text, file, modelName !== undefined ? { modelName } : {});
  expect(r.model).toBeUndefined();
  return r.diagnostics.filter((d) => d.severity === 'error');
}

const summary = (m: CompiledModel) => m.layers.map((l) => [l.name, l.className, l.outputShape, l.params]);
const kinds = (tokens: readonly Token[]) => tokens.map((t) => (t.kind === 'op' || t.kind === 'name' ? t.value : t.kind));

describe('tokenizer', () => {
  it('makes INDENT and DEDENT from spaces and from tabs, and skips blank and comment lines', () => {
    for (const indent of ['    ', '\t', '  \t']) {
      const { tokens, diagnostics } = tokenize(`def f():\n${indent}x = 1\n\n   # comment at another depth\n${indent}return x\ny = 2\n`);
      expect(diagnostics).toEqual([]);
      expect(kinds(tokens)).toEqual(['def', 'f', '(', ')', ':', 'newline', 'indent', 'x', '=', 'number', 'newline', 'return', 'x', 'newline', 'dedent', 'y', '=', 'number', 'newline', 'eof']);
    }
  });

  it('reads CRLF and CR line ends with the right line and column numbers', () => {
    const { tokens } = tokenize('a = 1\r\nbb = "x"\rc = 3');
    const names = tokens.filter((t) => t.kind === 'name').map((t) => [t.value, t.line, t.column]);
    expect(names).toEqual([['a', 1, 1], ['bb', 2, 1], ['c', 3, 1]]);
    expect(tokens.find((t) => t.kind === 'string')).toMatchObject({ value: 'x', line: 2, column: 6 });
  });

  it('drops comments, including after code and inside brackets', () => {
    const { tokens } = tokenize("x = [1,  # first\n     2]  # done\n");
    expect(kinds(tokens)).toEqual(['x', '=', '[', 'number', ',', 'number', ']', 'newline', 'eof']);
  });

  it('reads every quote style, prefixes, escapes and implicit concatenation', () => {
    const src = String.raw`a = 'one' "two" '''th"ree''' """fo'ur"""` + '\n' + String.raw`b = r'\d' b"x\n" u'é' f"{v}" Rb'\t' 'it\'s'` + '\n' + "c = '''multi\nline'''\n";
    const { tokens, diagnostics } = tokenize(src);
    expect(diagnostics).toEqual([]);
    const strings = tokens.filter((t) => t.kind === 'string').map((t) => [t.value, t.prefix]);
    expect(strings).toEqual([
      ['one', ''], ['two', ''], ['th"ree', ''], ["fo'ur", ''],
      ['\\d', 'r'], ['x\n', 'b'], ['é', 'u'], ['{v}', 'f'], ['\\t', 'rb'], ["it's", ''],
      ['multi\nline', ''],
    ]);
    // The triple-quoted string that spans two lines starts on line 3.
    expect(tokens.find((t) => t.value === 'multi\nline')!.line).toBe(3);
  });

  it('emits no NEWLINE inside nested brackets over several lines, nor after a backslash', () => {
    const { tokens } = tokenize('m = f([\n  (1,\n   2),\n  {"a": [3,\n 4]}\n])\nn = 1 + \\\n  2\n');
    expect(kinds(tokens).filter((k) => k === 'newline')).toHaveLength(2);
    expect(tokens.find((t) => t.value === 'n')!.line).toBe(7);
  });

  it('reads numbers: ints, floats, exponents, hex, underscores', () => {
    const { tokens } = tokenize('x = (1, 2.5, .5, 1e-3, 0x1F, 1_000, 3.)\n');
    expect(tokens.filter((t) => t.kind === 'number').map((t) => t.value)).toEqual(['1', '2.5', '.5', '1e-3', '0x1F', '1_000', '3.']);
  });

  it('reports an unclosed string and a bad dedent with their positions', () => {
    expect(tokenize("x = 'abc\ny = 1\n", 'a.py').diagnostics[0]).toMatchObject({ code: 'python-syntax', loc: { file: 'a.py', line: 1, column: 5 } });
    expect(tokenize('if a:\n    x = 1\n  y = 2\n').diagnostics[0]).toMatchObject({ loc: { line: 3 } });
  });
});

describe('parser', () => {
  const parse = (src: string): Stmt[] => {
    const t = tokenize(src);
    expect(t.diagnostics).toEqual([]);
    const p = parseTokens(t.tokens);
    if (!p.module) throw new Error(p.diagnostics.map(formatDiagnostic).join('\n'));
    return p.module;
  };

  it('parses imports, assignments, calls with keyword arguments and attribute chains', () => {
    const m = parse('import tensorflow as tf, numpy\nfrom keras.layers import (Dense,\n  Dropout as D)\nx = tf.keras.layers.Dense(8, activation="relu", **kw)\n');
    expect(m[0]).toMatchObject({ kind: 'import', names: [{ module: 'tensorflow', as: 'tf' }, { module: 'numpy' }] });
    expect(m[1]).toMatchObject({ kind: 'from', module: 'keras.layers', names: [{ name: 'Dense' }, { name: 'Dropout', as: 'D' }] });
    expect(m[2]).toMatchObject({
      kind: 'assign',
      targets: [{ kind: 'name', id: 'x' }],
      value: { kind: 'call', func: { kind: 'attr', name: 'Dense', obj: { kind: 'attr', name: 'layers' } }, args: [{ kind: 'number', value: 8 }], kwargs: [{ name: 'activation', value: { kind: 'string', value: 'relu' } }, { value: { kind: 'name', id: 'kw' } }] },
    });
  });

  it('parses def, class, if/elif/else, for, while, try, with, lambda, comprehensions and slices', () => {
    const src = [
      '@decorator',
      'def build(units=8, *args, **kwargs) -> None:',
      '    """doc"""',
      '    return [u for u in range(3) if u > 0]',
      'class A(B, metaclass=M):',
      '    pass',
      'if a and not b: x = 1',
      'elif c is not None:',
      '    x = 2',
      'else:',
      '    x = lambda y: y ** 2',
      'for i, j in enumerate(z): print(i)',
      'while False: break',
      'try:',
      '    v = X[:, 1:]',
      'except Exception as e:',
      '    raise',
      'finally:',
      '    pass',
      'with tf.device("/cpu"), open(f) as g:',
      '    y = -3 if q else {1: 2, **d}',
    ].join('\n');
    const m = parse(src);
    expect(m.map((s) => s.kind)).toEqual(['def', 'class', 'if', 'block', 'block', 'block', 'with']);
    expect(m[0]).toMatchObject({ name: 'build', params: [{ name: 'units', default: { value: 8 } }, { name: 'args', star: '*' }, { name: 'kwargs', star: '**' }] });
    expect(m[3]).toMatchObject({ keyword: 'for' });
    expect(m[5]).toMatchObject({ keyword: 'try' });
    expect((m[5] as Extract<Stmt, { kind: 'block' }>).bodies).toHaveLength(3);
  });

  it('reports a syntax error at its line and column', () => {
    const p = parseTokens(tokenize('x = Dense(8,\n  activation="relu"\ny = 2\n').tokens, 'bad.py');
    expect(p.module).toBeUndefined();
    expect(p.diagnostics[0]).toMatchObject({ code: 'python-syntax', loc: { file: 'bad.py', line: 3, column: 1 } });
  });
});

describe('Python Keras code: the shared real cases', () => {
  it('p05 Keras 2 MNIST MLP (Sequential() then add): 669,706 parameters as Keras reports', () => {
    const { text, file } = fixture('p05_keras2_examples_mnist_mlp.py');
    const { model, diagnostics } = compiled(text, file);
    expect(diagnostics).toEqual([]);
    expect(summary(model)).toEqual([
      ['input_layer', 'InputLayer', [null, 784], 0],
      ['dense', 'Dense', [null, 512], 401920],
      ['dropout', 'Dropout', [null, 512], 0],
      ['dense_1', 'Dense', [null, 512], 262656],
      ['dropout_1', 'Dropout', [null, 512], 0],
      ['dense_2', 'Dense', [null, 10], 5130],
    ]);
    expect(model.totalParams).toBe(669706);
    expect(model.layers.find((l) => l.name === 'dense_2')!.activation).toBe('softmax');
  });

  it('p06 two models in one file: the last is read with a warning naming the other; the list style is read too', () => {
    const { text, file } = fixture('p06_keras2_docs_sequential_list_and_add.py');
    const { model, diagnostics } = compiled(text, file);
    expect(model.totalParams).toBe(784 * 32 + 32);
    expect(model.layers.map((l) => l.className)).toEqual(['InputLayer', 'Dense', 'Activation']);
    const w = diagnostics.find((d) => d.code === 'python-several-models')!;
    expect(w.severity).toBe('warning');
    expect(w.message).toContain('(line 4)');
    expect(w.loc).toMatchObject({ file, line: 11 });
    // The first model, with only the list: Dense 32, Activation, Dense 10, Activation.
    const first = compiled(text.split('\n').slice(0, 10).join('\n'), file).model;
    expect(first.layers.map((l) => l.className)).toEqual(['InputLayer', 'Dense', 'Activation', 'Dense', 'Activation']);
    expect(first.totalParams).toBe(25120 + 330);
  });

  it('p07 functional first example: compile and fit are skipped; 55,050 parameters', () => {
    const { text, file } = fixture('p07_keras2_docs_functional_first_example.py');
    const { model, diagnostics } = compiled(text, file);
    expect(diagnostics).toEqual([]);
    expect(model.kind).toBe('Functional');
    expect(summary(model)).toEqual([
      ['input_layer', 'InputLayer', [null, 784], 0],
      ['dense', 'Dense', [null, 64], 50240],
      ['dense_1', 'Dense', [null, 64], 4160],
      ['dense_2', 'Dense', [null, 10], 650],
    ]);
  });

  it('p08 multi-input/multi-output with Embedding and an LSTM densegraph does not know (kept opaque)', () => {
    const { text, file } = fixture('p08_keras2_docs_functional_multi_input_output.py');
    const { model } = ir(text, file);
    expect(model.inputs).toEqual(['main_input', 'aux_input']);
    expect(model.outputs.map((o) => o.layer)).toEqual(['main_output', 'aux_output']);
    const lstm = model.layers.find((l) => l.className === 'LSTM')!;
    expect(lstm.opaque).toBe(true);
    expect(lstm.loc).toMatchObject({ file, line: 14 });
    const concat = model.layers.find((l) => l.className === 'Concatenate')!;
    expect(concat.calls).toEqual([[{ layer: lstm.name }, { layer: 'aux_input' }]]);
    const c = compileModel(model);
    expect(c.compiled).toBeDefined();
    expect(c.compiled!.layers.find((l) => l.className === 'Embedding')).toMatchObject({ params: 5120000, outputShape: [null, 100, 512] });
  });

  it('p09 an unbuilt named Sequential and then one with keras.Input: the second has 10 parameters', () => {
    const { text, file } = fixture('p09_kerasio_sequential_named_unbuilt_and_input.py');
    const { model, diagnostics } = compiled(text, file);
    expect(summary(model)).toEqual([
      ['input_layer', 'InputLayer', [null, 4], 0],
      ['dense', 'Dense', [null, 2], 10],
    ]);
    expect(diagnostics.some((d) => d.code === 'python-several-models')).toBe(true);
    const first = ir(text, file).model;
    expect(first.layers).toHaveLength(2);
  });

  it('p10 a layer bound to a variable and called later; the model name is kept', () => {
    const { text, file } = fixture('p10_kerasio_functional_mnist_layer_instance.py');
    const { model } = compiled(text, file);
    expect(model.name).toBe('mnist_model');
    expect(model.totalParams).toBe(55050);
    expect(model.layers.map((l) => l.inbound)).toEqual([[], ['input_layer'], ['dense'], ['dense_1']]);
  });

  it('p11 residual layers.add merges connect the right tensors; Conv2D is opaque', () => {
    const { text, file } = fixture('p11_kerasio_functional_toy_resnet_add.py');
    const { model } = ir(text, file);
    expect(model.name).toBe('toy_resnet');
    const adds = model.layers.filter((l) => l.className === 'Add');
    expect(adds).toHaveLength(2);
    const pool = model.layers.find((l) => l.className === 'MaxPooling2D')!;
    expect(adds[0]!.calls[0]!.map((r) => r.layer)[1]).toBe(pool.name);
    expect(adds[1]!.calls[0]!.map((r) => r.layer)[1]).toBe(adds[0]!.name);
    expect(model.layers.filter((l) => l.opaque).length).toBe(9);
    expect(compileModel(model).compiled).toBeDefined();
  });

  it('p12 Input(shape=X_train.shape[1:]): a warning names the line, the shape is unknown', () => {
    const { text, file } = fixture('p12_handson_wide_deep_single_input_concat.py');
    const { model, diagnostics } = ir(text, file);
    const w = diagnostics.find((d) => d.code === 'python-unknown-dimension')!;
    expect(w).toMatchObject({ severity: 'warning', loc: { file, line: 1 } });
    expect(w.message).toContain('line 1');
    expect(model.layers[0]!.config['shape']).toEqual([null]);
    expect(model.layers.map((l) => l.className)).toEqual(['InputLayer', 'Dense', 'Dense', 'Concatenate', 'Dense']);
    expect(model.layers[3]!.calls[0]!.map((r) => r.layer)).toEqual([model.layers[0]!.name, model.layers[2]!.name]);
    // It compiles: Dense cannot be sized on an unknown feature axis, so shapes after it are '?'.
    const c = compileModel(model);
    expect(c.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(c.compiled!.layers.map((l) => l.outputShape)).toEqual([[null, null], null, null, null, null]);
    expect(c.compiled!.layers.map((l) => l.paramsKnown)).toEqual([true, false, false, true, false]);
  });

  it('a non-literal dimension is not an error anywhere downstream; a literal one still is (Dense on an unknown axis)', () => {
    const sketch = compiled('import pandas as pd\nX = pd.read_csv("x.csv").values\nmodel = Sequential()\nmodel.add(Dense(8, input_shape=(X.shape[1],)))\nmodel.add(Dense(1))\n');
    expect(sketch.model.layers.map((l) => l.outputShape)).toEqual([[null, null], null, null]);
    // Shapes that do not depend on the unknown dimension stay known.
    const partial = compiled('model = Sequential([Dense(8, input_shape=(n_steps, 3)), Flatten(), Dense(2)])\n');
    expect(partial.model.layers.map((l) => l.outputShape)).toEqual([[null, null, 3], [null, null, 8], [null, null], null]);
    // Written as None, the same model is an error: the user said the axis has no size.
    const r = parseModel('model = Sequential([Dense(8, input_shape=(None,))])\n', 'm.py');
    expect(compileModel(r.model!).diagnostics.find((d) => d.severity === 'error')?.code).toBe('unknown-last-dim');
  });

  it("p13 Géron's wide & deep with two inputs: 1,176 parameters", () => {
    const { text, file } = fixture('p13_handson_wide_deep_two_inputs.py');
    const { model } = compiled(text, file);
    expect(model.inputs).toEqual(['wide_input', 'deep_input']);
    expect(model.totalParams).toBe(1176);
    expect(model.layers.find((l) => l.name === 'concatenate')!.outputShape).toEqual([null, 35]);
  });

  it("p14 Géron's wide & deep with two outputs: 1,207 parameters", () => {
    const { text, file } = fixture('p14_handson_wide_deep_two_inputs_two_outputs.py');
    const { model } = compiled(text, file);
    expect(model.outputs.map((o) => o.layer)).toEqual(['main_output', 'aux_output']);
    expect(model.totalParams).toBe(1207);
  });

  it('p15 BatchNormalization and use_bias=False: 270,946 parameters, 2,368 non-trainable', () => {
    const { text, file } = fixture('p15_handson_bn_activation_no_bias.py');
    const { model } = compiled(text, file);
    expect(model.totalParams).toBe(270946);
    expect(model.nonTrainableParams).toBe(2368);
    expect(model.layers.find((l) => l.name === 'dense')!.params).toBe(235200);
  });

  it('p16 a subclassed model: a clear error at the class', () => {
    const { text, file } = fixture('p16_handson_subclassed_wide_deep.py');
    const [e] = errors(text, file);
    expect(e).toMatchObject({ code: 'python-subclassed-model', loc: { file, line: 1, column: 1 } });
    expect(e!.message).toContain('WideAndDeepModel');
    expect(e!.message).toContain('subclassed');
  });

  it('p20 typographic quotes: not Python, the error gives line and column and what was found', () => {
    const { text, file } = fixture('p20_moshebeutel_functional_smart_quotes.py');
    const [e] = errors(text, file);
    expect(e).toMatchObject({ code: 'python-syntax', loc: { file, line: 7, column: 33 } });
    expect(e!.message).toContain('U+2019');
    expect(formatDiagnostic(e!)).toMatch(/^fixtures\/python\/p20_moshebeutel_functional_smart_quotes\.py:7:33: error: this is not Python/);
  });
});

describe('Python Keras code: the seed snippets', () => {
  const snippets: [string, number, number][] = [
    ["Dense(8, input_dim = 4, kernel_initializer = 'uniform', activation = 'relu')", 4, 40],
    ["Dense(4, input_dim=6, activation='relu')", 6, 28],
    ["Dense(1, input_dim=3, activation='sigmoid')", 3, 4],
    ["Dense(3, input_dim=4, activation='softmax')", 4, 15],
  ];
  for (const [code, inputs, params] of snippets) {
    it(`a bare layer is a one-layer model: ${code}`, () => {
      const { model, diagnostics } = compiled(`${code}\n`);
      expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(summary(model).map((r) => r[1])).toEqual(['InputLayer', 'Dense']);
      expect(model.layers[0]!.outputShape).toEqual([null, inputs]);
      expect(model.totalParams).toBe(params);
    });
  }

  it('the 4 → 8 → 6 → 1 binary classifier written with model.add on a name never assigned: 101 parameters', () => {
    const code = [
      "model.add(Dense(8, input_dim=4, kernel_initializer='uniform', activation='relu'))",
      "model.add(Dense(6, kernel_initializer='uniform', activation='relu'))",
      "model.add(Dense(1, kernel_initializer='uniform', activation='sigmoid'))",
      "model.compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])",
    ].join('\n');
    const { model, diagnostics } = compiled(code);
    expect(model.totalParams).toBe(101);
    expect(model.layers.map((l) => l.outputShape)).toEqual([[null, 4], [null, 8], [null, 6], [null, 1]]);
    expect(diagnostics.find((d) => d.code === 'python-implicit-sequential')).toMatchObject({ severity: 'warning', loc: { line: 1 } });
    expect(model.layers[1]!.config['kernel_initializer']).toBe('uniform');
  });
});

describe('Python Keras code: imports, aliases and styles', () => {
  it('resolves tf.keras, keras.layers, from-imports with aliases; tf.nn.relu becomes relu', () => {
    const code = [
      'import tensorflow as tf',
      'from tensorflow.keras import layers as L, models',
      'from keras.layers import Dense as D',
      'import numpy as np',
      'X = np.loadtxt("data.csv")',
      'm = models.Sequential(name="net")',
      'm.add(tf.keras.layers.Dense(8, input_shape=(4,), activation=tf.nn.relu))',
      'm.add(L.Dropout(0.5))',
      'm.add(D(3, activation=tf.keras.activations.softmax))',
      'print(m.summary())',
      'm.fit(X, X, epochs=10)',
    ].join('\r\n');
    const { model } = compiled(code);
    expect(model.name).toBe('net');
    expect(model.layers.map((l) => [l.className, l.activation])).toEqual([['InputLayer', null], ['Dense', 'relu'], ['Dropout', null], ['Dense', 'softmax']]);
    expect(model.totalParams).toBe(40 + 27);
  });

  it('a shared layer called twice has two calls, numbered in call order; Concatenate()([a, b])', () => {
    const code = [
      'from keras import Input, Model',
      'from keras.layers import Dense, Concatenate',
      'a = Input(shape=(4,), name="a")',
      'b = Input((4,), name="b")',
      'shared = Dense(3, name="shared")',
      'ya = shared(a)',
      'yb = shared(b)',
      'out = Concatenate(axis=-1)([ya, yb])',
      'model = Model(inputs=[a, b], outputs=out)',
    ].join('\n');
    const { model } = ir(code);
    const shared = model.layers.find((l) => l.name === 'shared')!;
    expect(shared.calls).toEqual([[{ layer: 'a' }], [{ layer: 'b' }]]);
    const concat = model.layers.find((l) => l.className === 'Concatenate')!;
    expect(concat.calls).toEqual([[{ layer: 'shared' }, { layer: 'shared', call: 1 }]]);
    const c = compileModel(model).compiled!;
    expect(c.totalParams).toBe(15);
    expect(c.layers.find((l) => l.className === 'Concatenate')!.outputShape).toEqual([null, 6]);
  });

  it('Keras 1 argument names and Model(input=, output=) are read as Keras 2, with a warning', () => {
    const code = [
      'from keras.layers import Input, Dense, Dropout',
      'from keras.models import Model',
      'x = Input(shape=(10,))',
      "h = Dense(output_dim=5, init='glorot_uniform')(x)",
      'h = Dropout(p=0.1)(h)',
      'm = Model(input=x, output=h)',
    ].join('\n');
    const { model, diagnostics } = compiled(code);
    expect(model.totalParams).toBe(55);
    const d = model.layers.find((l) => l.className === 'Dense')!;
    expect(d.config['kernel_initializer']).toBe('glorot_uniform');
    expect(model.layers.find((l) => l.className === 'Dropout')!.config['rate']).toBe(0.1);
    expect(diagnostics.filter((x) => x.code === 'legacy-argument').map((x) => x.message).join(' ')).toContain('output_dim → units');
  });

  it('a non-literal input_shape leaves the dimension unknown, with a warning naming the line', () => {
    const code = 'import pandas as pd\nX = pd.read_csv("x.csv").values\n\nmodel = Sequential()\nmodel.add(Dense(8, input_shape=(X.shape[1],)))\n';
    const { model, diagnostics } = ir(code, 'snippet.py');
    expect(model.layers[0]!.config['input_shape']).toEqual([null]);
    const w = diagnostics.find((d) => d.code === 'python-unknown-dimension')!;
    expect(w).toMatchObject({ severity: 'warning', loc: { file: 'snippet.py', line: 5 } });
    expect(w.message).toMatch(/^line 5: input_shape of Dense is not a literal: dimension 0 left unknown/);
    // A known dimension next to it is kept, and shapes follow.
    const c = compiled('Sequential([Dense(8, input_shape=(n_steps, 3))])\nmodel = Sequential([Dense(2, input_shape=(steps, 3))])\n').model;
    expect(c.layers[0]!.outputShape).toEqual([null, null, 3]);
    expect(c.totalParams).toBe(8);
  });

  it('several models: the default is the last one with a warning; modelName picks another; an unknown name is an error', () => {
    const code = [
      'from keras.models import Sequential',
      'from keras.layers import Dense',
      'small = Sequential([Dense(2, input_dim=3)])',
      'big = Sequential([Dense(5, input_dim=3), Dense(1)])',
    ].join('\n');
    const last = compiled(code);
    expect(last.model.totalParams).toBe(20 + 6);
    const w = last.diagnostics.find((d) => d.code === 'python-several-models')!;
    expect(w.message).toContain("'small' (line 3)");
    expect(w.message).toContain("'big' (line 4)");
    const picked = compiled(code, 'model.py', 'small');
    expect(picked.model.totalParams).toBe(8);
    expect(picked.diagnostics.some((d) => d.code === 'python-several-models')).toBe(false);
    const [e] = errors(code, 'model.py', 'nope');
    expect(e).toMatchObject({ code: 'python-model-not-found' });
    expect(e!.hint).toContain('small, big');
  });

  it('reads a model built by a function that returns it, and the body of if __name__ == "__main__"', () => {
    const code = [
      'from tensorflow import keras',
      '',
      'def build_model(n_hidden=2, n_neurons=30, input_shape=[8]):',
      '\tmodel = keras.models.Sequential()',
      '\tmodel.add(keras.layers.InputLayer(input_shape=input_shape))',
      '\tmodel.add(keras.layers.Dense(n_neurons, activation="relu"))',
      '\tmodel.add(keras.layers.Dense(1))',
      '\treturn model',
      '',
      "if __name__ == '__main__':",
      '\tmodel = build_model(n_neurons=10)',
    ].join('\n');
    const { model } = compiled(code);
    expect(model.layers.map((l) => l.outputShape)).toEqual([[null, 8], [null, 10], [null, 1]]);
    expect(model.totalParams).toBe(90 + 11);
  });

  it('a file that builds no model, and a syntax error, are errors with locations', () => {
    expect(errors('import numpy as np\nx = np.zeros(3)\n')[0]).toMatchObject({ code: 'python-no-model' });
    expect(errors('model = Sequential([\n  Dense(8 input_dim=4)])\n', 'bad.py')[0]).toMatchObject({ code: 'python-syntax', loc: { file: 'bad.py', line: 2, column: 11 } });
  });

  it('parseModel routes .py files here', () => {
    const r = parseModel("model = Sequential([Dense(8, input_dim=4, activation='relu')])\n", 'm.py');
    expect(r.model?.layers.map((l) => l.className)).toEqual(['Dense']);
    expect(r.diagnostics.some((d) => d.code === 'unsupported-format')).toBe(false);
    const picked = parseModel('a = Sequential([Dense(1, input_dim=2)])\nb = Sequential([Dense(3, input_dim=2)])\n', 'm.py', {}, { modelName: 'a' });
    expect(picked.model?.layers[0]!.config['units']).toBe(1);
  });
});

describe('Python Keras code: robustness', () => {
  it('never throws on arbitrary text or on fragments of Python; every error has a line', () => {
    const pieces = ['model', ' = ', 'Sequential', '(', ')', '[', ']', '{', '}', ',', ':', '\n', '    ', '\t', 'Dense(8, input_dim=4)', '.add', "'", '"""', '#', 'def f():', 'class A(keras.Model):', 'if x:', 'return', '*', '**', '\\', '\r\n', 'Input(shape=(3,))', 'x', '(x)'];
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 80 }), fc.array(fc.constantFrom(...pieces), { maxLength: 30 }).map((a) => a.join(''))), (text) => {
        const r = parsePython(text, 'f.py');
        for (const d of r.diagnostics) if (d.code === 'python-syntax') expect(d.loc?.line).toBeGreaterThan(0);
        if (r.model) compileModel(r.model);
      }),
      { numRuns: 400 },
    );
    expect(parsePython('x = ' + '('.repeat(5000) + ')'.repeat(5000), 'deep.py').model).toBeUndefined();
  });
});

describe('names that are not defined', () => {
  it('a typo of a Keras class is an error with line and column and the name meant', async () => {
    const { parsePython } = await import('../../src/frontends/python/index.js');
    const r = parsePython('from keras.models import Sequential\nm = Sequential([Dens(8, input_dim=4)])\n', 'u.py');
    expect(r.diagnostics[0]).toMatchObject({ severity: 'error', code: 'python-undefined-name', loc: { file: 'u.py', line: 2, column: 17 } });
    expect(r.diagnostics[0]!.message).toBe("name 'Dens' is not defined. Did you mean 'Dense'?");
  });
});
