import { readdirSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { convertModel } from '../../src/backends/convert.js';
import { toKerasJson } from '../../src/backends/keras-json.js';
import { summaryJsonObject, type SummaryJson } from '../../src/backends/summary.js';
import { parseModel } from '../../src/frontends/load.js';
import { irToSpec, parseSpec } from '../../src/frontends/spec.js';
import { formatDiagnostic } from '../../src/ir/diagnostics.js';
import type { CompiledModel, ModelIR } from '../../src/ir/model.js';
import { compileModel } from '../../src/passes/compile.js';
import { fixturePath, readFixture } from '../helpers.js';

const list = (dir: string, ext: RegExp) => readdirSync(fixturePath(dir)).filter((f) => ext.test(f)).map((f) => `${dir}/${f}`);

/** Every fixture model densegraph compiles, in every input format. */
const FIXTURES = [
  ...list('fixtures/seed', /\.(ya?ml|py)$/),
  ...list('fixtures/models', /\.ya?ml$/),
  ...list('fixtures/functional', /\.ya?ml$/),
  ...list('fixtures/keras', /\.json$/),
  ...list('fixtures/python', /\.py$/).filter((f) => !/p16_|p20_/.test(f)),
  'fixtures/tfjs/t1_tfjs_examples_abalone/model.json',
  'fixtures/tfjs/t3_tfjs_e2e_embedding_gru/model.json',
  'fixtures/tfjs/t4_tfjs_rn_bundle_list_config/bundle_model_test.json',
].sort();

function load(text: string, file: string): { ir: ModelIR; compiled: CompiledModel } {
  const parsed = parseModel(text, file);
  if (!parsed.model) throw new Error(`expected ${file} to load:\n${parsed.diagnostics.map(formatDiagnostic).join('\n')}`);
  const result = compileModel(parsed.model);
  if (!result.compiled) throw new Error(`expected ${file} to compile:\n${result.diagnostics.map(formatDiagnostic).join('\n')}\n${text.slice(0, 2000)}`);
  return { ir: parsed.model, compiled: result.compiled };
}

/** The summary with its layers by name: a spec lists a functional model's inputs first. */
function byName(s: SummaryJson) {
  return { ...s, layers: [...s.layers].sort((a, b) => (a.name < b.name ? -1 : 1)) };
}

const hasOpaque = (m: ModelIR): boolean => m.layers.some((l) => l.opaque || (l.model !== undefined && hasOpaque(l.model)));
const hasGuess = (m: ModelIR): boolean => m.layers.some((l) => l.unknownDims);

describe('convert --to keras-json: Keras JSON → IR → Keras JSON → IR keeps the model', () => {
  for (const file of FIXTURES) {
    it(file, () => {
      const first = load(readFixture(file), file);
      if (hasGuess(first.ir)) {
        expect(convertModel(first.ir, first.compiled, 'keras-json').diagnostics[0]?.code).toBe('not-convertible');
        return;
      }
      const text = toKerasJson(first.compiled);
      const second = load(text, 'converted.json');
      expect(summaryJsonObject(second.compiled)).toEqual(summaryJsonObject(first.compiled));
      // Written again, the file is the same: nothing is lost or added on the way.
      expect(toKerasJson(second.compiled)).toBe(text);
      // Layers densegraph does not know keep what their file said about them.
      for (const layer of first.ir.layers.filter((l) => l.opaque)) {
        const again = second.ir.layers.find((l) => l.name === layer.name)!;
        expect(again.opaque).toBe(true);
        // (Keras 2's input arguments become the InputLayer, as the names pass reads them.)
        const moved = ['dtype', 'input_dim', 'input_shape', 'batch_input_shape', 'batch_size'];
        for (const [k, v] of Object.entries(layer.config)) if (!moved.includes(k)) expect(again.config[k], `${layer.name}.${k}`).toEqual(v);
      }
    });
  }
});

describe('convert --to spec: model → spec → IR keeps the model, and spec → IR → spec → IR is a fixed point', () => {
  for (const file of FIXTURES) {
    it(file, () => {
      const first = load(readFixture(file), file);
      const result = convertModel(first.ir, first.compiled, 'spec');
      if (hasOpaque(first.ir) || hasGuess(first.ir)) {
        expect(result.text).toBeUndefined();
        expect(result.diagnostics.map((d) => d.code)).toEqual(['not-convertible']);
        return;
      }
      expect(result.diagnostics).toEqual([]);
      const second = load(result.text!, 'converted.yaml');
      expect(byName(summaryJsonObject(second.compiled))).toEqual(byName(summaryJsonObject(first.compiled)));
      // Reading the spec back gives no warnings of its own (no ignored or legacy arguments).
      const reparsed = parseSpec(result.text!, 'converted.yaml');
      expect(compileModel(reparsed.model!).diagnostics.filter((d) => d.code !== 'unused-layer' && d.code !== 'unused-input')).toEqual([]);
      const spec = parseYaml(result.text!);
      expect(irToSpec(reparsed.model!)).toEqual(spec);
      const json = convertModel(first.ir, first.compiled, 'spec', { json: true }).text!;
      expect(JSON.parse(json)).toEqual(spec);
    });
  }
});

describe('Keras 3 to_json format', () => {
  it('a Keras 3 file written by Keras comes out byte for byte as it went in (k3_01, k3_02; compile_config aside)', () => {
    for (const name of ['k3_01_derived_seed_sequential', 'k3_02_derived_functional_concat']) {
      const text = readFixture(`fixtures/keras/${name}.json`);
      const { compiled } = load(text, `${name}.json`);
      const original = JSON.parse(text);
      delete original.compile_config;
      expect(JSON.parse(toKerasJson(compiled))).toEqual(original);
      // Python's json.dumps separators and key order, as Keras writes the file.
      expect(toKerasJson(compiled)).toBe(`${text.slice(0, text.indexOf(', "compile_config"'))}}`);
    }
  });

  it('a spec model becomes a Keras 3 Sequential with InputLayer, build_config and initializer objects', () => {
    const { compiled } = load(readFixture('fixtures/seed/binary-classifier.yaml'), 'seed.yaml');
    const k = JSON.parse(toKerasJson(compiled));
    expect(k).toMatchObject({ module: 'keras', class_name: 'Sequential', registered_name: null, build_config: { input_shape: [null, 4] } });
    expect(k.config.build_input_shape).toEqual([null, 4]);
    expect(k.config.layers.map((l: { class_name: string }) => l.class_name)).toEqual(['InputLayer', 'Dense', 'Dense', 'Dense']);
    expect(k.config.layers[0]).toEqual({ module: 'keras.layers', class_name: 'InputLayer', config: { batch_shape: [null, 4], dtype: 'float32', sparse: false, ragged: false, name: 'input_layer' }, registered_name: null });
    const dense = k.config.layers[1];
    expect(dense.build_config).toEqual({ input_shape: [null, 4] });
    expect(dense.config).not.toHaveProperty('input_dim');
    expect(dense.config.kernel_initializer).toEqual({ module: 'keras.initializers', class_name: 'RandomUniform', config: { seed: null }, registered_name: null });
    expect(dense.config.bias_initializer).toEqual({ module: 'keras.initializers', class_name: 'Zeros', config: {}, registered_name: null });
    expect(k.config.layers[3].build_config).toEqual({ input_shape: [null, 6] });
  });

  it('functional: __keras_tensor__ args with shapes, a list arg for merges, flat endpoints for one tensor, lists for several', () => {
    const { compiled } = load(readFixture('fixtures/python/p14_handson_wide_deep_two_inputs_two_outputs.py'), 'p14.py');
    const k = JSON.parse(toKerasJson(compiled));
    expect(k).toMatchObject({ module: 'keras.src.models.functional', class_name: 'Functional', registered_name: 'Functional', build_config: { input_shape: null } });
    expect(k.config.input_layers).toEqual([['wide_input', 0, 0], ['deep_input', 0, 0]]);
    expect(k.config.output_layers).toHaveLength(2);
    const byLayer = Object.fromEntries(k.config.layers.map((l: { name: string }) => [l.name, l]));
    expect(byLayer['wide_input'].inbound_nodes).toEqual([]);
    const concat = Object.values(byLayer).find((l) => (l as { class_name: string }).class_name === 'Concatenate') as { inbound_nodes: { args: unknown[] }[]; build_config: unknown };
    expect(concat.inbound_nodes[0]!.args).toHaveLength(1);
    expect((concat.inbound_nodes[0]!.args[0] as unknown[]).length).toBe(2);
    expect((concat.inbound_nodes[0]!.args[0] as { class_name: string }[])[0]!.class_name).toBe('__keras_tensor__');
    const single = load(readFixture('fixtures/python/p07_keras2_docs_functional_first_example.py'), 'p07.py');
    const k1 = JSON.parse(toKerasJson(single.compiled));
    expect(k1.config.input_layers).toEqual([single.compiled.inputs[0], 0, 0]);
    const dense = k1.config.layers[1];
    expect(dense.inbound_nodes[0].args[0]).toEqual({ class_name: '__keras_tensor__', config: { shape: [null, 784], dtype: 'float32', keras_history: [single.compiled.inputs[0], 0, 0] } });
  });

  it('shared layers write one inbound node per call; nested models are written inside their layer', () => {
    for (const file of list('fixtures/functional', /\.ya?ml$/)) {
      const { compiled } = load(readFixture(file), file);
      const k = JSON.parse(toKerasJson(compiled));
      for (const layer of compiled.layers) {
        const entry = k.config.layers.find((l: { name?: string; config: { name?: string } }) => (l.name ?? l.config.name) === layer.name);
        expect(entry, `${file}: ${layer.name}`).toBeDefined();
        if (compiled.kind === 'Functional') expect(entry.inbound_nodes.length).toBe(layer.className === 'InputLayer' ? 0 : layer.calls.length);
        if (layer.model) expect(entry.class_name).toBe(layer.model.kind);
      }
    }
  });

  it('names are JSON-escaped as Python writes them (ASCII only) and read back unchanged', () => {
    const names = ['<script>alert(1)</script>', '"];x[label="', 'back\\slash\\', '한국어', 'emoji 😀'];
    const spec = { layers: [{ Dense: { units: 2, input_dim: 3, name: names[0] } }, ...names.slice(1).map((name) => ({ Dense: { units: 2, name } }))] };
    const { compiled } = load(JSON.stringify(spec), 'hostile.json');
    const text = toKerasJson(compiled);
    expect(text).toMatch(/^[\x20-\x7e]*$/);
    expect(text).toContain('\\ud55c\\uad6d\\uc5b4');
    expect(text).toContain('\\ud83d\\ude00');
    const back = load(text, 'back.json').compiled;
    expect(back.layers.slice(1).map((l) => l.name)).toEqual(names);
  });

  it('floats keep Python\'s spelling: 1e-07, 0.5, and integers stay integers', () => {
    const { compiled } = load('layers:\n  - Dense: {units: 2, input_dim: 3}\n  - BatchNormalization: {epsilon: 0.0000001, momentum: 0.5}\n', 'bn.yaml');
    const text = toKerasJson(compiled);
    expect(text).toContain('"epsilon": 1e-07');
    expect(text).toContain('"momentum": 0.5');
    expect(text).toContain('"units": 2');
  });
});

describe('convert refuses what the target cannot hold, naming it', () => {
  it('the spec holds no layers densegraph does not know: Keras JSON keeps them', () => {
    const { ir, compiled } = load(readFixture('fixtures/keras/k2_07_kotlindl_toyresnet_modelConfig.json'), 'k2_07.json');
    const r = convertModel(ir, compiled, 'spec');
    expect(r.text).toBeUndefined();
    expect(r.diagnostics[0]!.message).toMatch(/this model has 9 it does not: 'conv2d_34' \(Conv2D\)/);
    expect(r.diagnostics[0]!.hint).toContain('--to keras-json');
    expect(convertModel(ir, compiled, 'keras-json').text).toContain('"class_name": "Conv2D"');
  });

  it('a shape the Python program computes (X.shape[1:]) is refused rather than written as None', () => {
    const { ir, compiled } = load(readFixture('fixtures/python/p12_handson_wide_deep_single_input_concat.py'), 'p12.py');
    for (const to of ['spec', 'keras-json'] as const) {
      const r = convertModel(ir, compiled, to);
      expect(r.text).toBeUndefined();
      expect(r.diagnostics[0]).toMatchObject({ code: 'not-convertible', loc: { line: 1 } });
    }
  });
});
