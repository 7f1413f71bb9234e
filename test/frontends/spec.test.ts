import fc from 'fast-check';
import { stringify as toYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { irToSpec, parseSpec } from '../../src/frontends/spec.js';
import { dense, dropout, flatten, sequential, activation } from '../../src/frontends/builder.js';
import { compileModel } from '../../src/passes/compile.js';
import type { ModelIR } from '../../src/ir/model.js';
import { ACTIVATIONS } from '../../src/layers/vocab.js';
import { compileSpec, specIR } from '../helpers.js';

/** IR without source locations, for comparing models read from different texts. */
function strip(model: ModelIR) {
  return { ...model, loc: undefined, layers: model.layers.map((l) => ({ className: l.className, config: l.config, calls: l.calls, name: l.name })) };
}

describe('spec format', () => {
  it('reads YAML and JSON into the same IR', () => {
    const yaml = specIR('name: m\nlayers:\n  - Dense: {units: 8, input_dim: 4, activation: relu}\n  - Dense: {units: 1}\n');
    const json = specIR('{"name": "m", "layers": [{"Dense": {"units": 8, "input_dim": 4, "activation": "relu"}}, {"Dense": {"units": 1}}]}', 'm.json');
    expect(strip(json)).toEqual(strip(yaml));
  });

  it('reads the short forms: a scalar is the first positional argument, a bare name has no arguments, a list is positional', () => {
    const m = compileSpec('layers:\n  - Dense: {units: 8, input_shape: [2, 4]}\n  - Dropout: 0.25\n  - Activation: tanh\n  - Flatten\n  - Dense: [3, softmax]\n');
    expect(m.layers.map((l) => [l.className, l.outputShape])).toEqual([
      ['InputLayer', [null, 2, 4]], ['Dense', [null, 2, 8]], ['Dropout', [null, 2, 8]], ['Activation', [null, 2, 8]], ['Flatten', [null, 16]], ['Dense', [null, 3]],
    ]);
    expect(m.layers[2]!.config['rate']).toBe(0.25);
    expect(m.layers[5]!.activation).toBe('softmax');
  });

  it('reads Keras serialisation items ({class_name, config})', () => {
    const m = compileSpec('layers:\n  - class_name: Dense\n    config: {units: 8, input_dim: 4}\n');
    expect(m.layers[1]!.outputShape).toEqual([null, 8]);
  });

  it('equals the builder API', () => {
    const fromSpec = specIR('name: seed\nlayers:\n  - Dense: {units: 8, input_dim: 4, kernel_initializer: uniform, activation: relu}\n  - Dense: {units: 1, activation: sigmoid}\n');
    const fromBuilder = sequential([dense(8, { inputDim: 4, kernelInitializer: 'uniform', activation: 'relu' }), dense(1, { activation: 'sigmoid' })], { name: 'seed' });
    expect(compileModel(fromSpec).compiled!.layers.map((l) => ({ ...l, loc: undefined }))).toEqual(compileModel(fromBuilder).compiled!.layers.map((l) => ({ ...l, loc: undefined })));
  });

  it('points an error at the line and column of the argument', () => {
    const r = parseSpec('layers:\n  - Dense: {units: 8, input_dim: 4}\n  - Dense:\n      units: 1\n      activation: sigmoidd\n', 'model.yaml');
    const d = compileModel(r.model!).diagnostics[0]!;
    expect(d.loc).toMatchObject({ file: 'model.yaml', line: 5, column: 19, path: 'layers[1].Dense.activation' });
    expect(d.message).toContain("Did you mean 'sigmoid'?");
  });

  it('reports malformed YAML with line and column', () => {
    const r = parseSpec('layers:\n  - Dense: {units: 8\n  - Dense: 3\n', 'bad.yaml');
    expect(r.model).toBeUndefined();
    expect(r.diagnostics[0]).toMatchObject({ code: 'invalid-yaml', loc: { file: 'bad.yaml', line: 3, column: 3 } });
  });

  it('reports malformed JSON with line and column', () => {
    const r = parseSpec('{"layers": [\n  {"Dense": {"units": 8,}}\n]}', 'bad.json');
    expect(r.diagnostics[0]).toMatchObject({ code: 'invalid-json', loc: { file: 'bad.json', line: 2, column: 25 } });
    expect(r.diagnostics[0]!.message).toContain('malformed JSON');
  });

  it('reports structural mistakes: unknown keys, entries with two classes, no layers', () => {
    expect(parseSpec('layerz: []\n').diagnostics.map((d) => d.code)).toEqual(['unknown-key', 'missing-layers']);
    expect(parseSpec('layers:\n  - Dense: {units: 1}\n    Dropout: 0.5\n').diagnostics[0]!.message).toContain('exactly one key');
    expect(parseSpec('layers:\n  - 42\n').diagnostics[0]!.code).toBe('invalid-layer');
    expect(parseSpec('densegraph: 2\nlayers: []\n').diagnostics[0]!.code).toBe('unsupported-version');
  });

  it('reports too many positional arguments', () => {
    const r = parseSpec('layers:\n  - Flatten: [channels_last, 3]\n');
    expect(r.diagnostics[0]!.message).toContain('Flatten takes at most 1 positional argument (data_format), got 2');
  });
});

const layerArb = fc.oneof(
  fc.record({ units: fc.integer({ min: 1, max: 64 }), act: fc.constantFrom(...ACTIVATIONS), bias: fc.boolean() }).map(({ units, act, bias }) => dense(units, { activation: act, useBias: bias })),
  fc.double({ min: 0, max: 1, noNaN: true }).map((r) => dropout(r)),
  fc.constantFrom(...ACTIVATIONS).map((a) => activation(a)),
  fc.constant(flatten()),
);

describe('round trip spec ↔ IR (property)', () => {
  it('IR → spec → YAML and JSON → IR gives the same model and the same compiled result', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 32 }), fc.array(layerArb, { maxLength: 6 }), fc.constantFrom('sequential', 'my model', '모델'), (inDim, layers, name) => {
        const model = sequential([dense(4, { inputDim: inDim }), ...layers], { name });
        const spec = irToSpec(model);
        for (const text of [toYaml(spec), JSON.stringify(spec)]) {
          const back = specIR(text);
          expect(strip(back)).toEqual(strip(model));
          expect(irToSpec(back)).toEqual(spec);
          const a = compileModel(model).compiled!;
          const b = compileModel(back).compiled!;
          expect(b.layers.map((l) => [l.name, l.outputShape, l.params])).toEqual(a.layers.map((l) => [l.name, l.outputShape, l.params]));
        }
      }),
      { numRuns: 60 },
    );
  });
});
