import { describe, expect, it } from 'vitest';
import { toDot, checkLayerRange } from '../../src/backends/dot.js';
import { loadStyle } from '../../src/backends/style.js';
import { summaryJsonObject, summaryText } from '../../src/backends/summary.js';
import { apply, dense, functional, input, nested, sequential } from '../../src/frontends/builder.js';
import { irToSpec, parseSpec } from '../../src/frontends/spec.js';
import { compileModel } from '../../src/passes/compile.js';
import { stringify as toYaml } from 'yaml';
import { compileSpec, parseDot, readFixture, specIR } from '../helpers.js';

const keras2 = loadStyle('keras2').style!;
const keras3 = loadStyle('keras3').style!;

function diagnostics(text: string) {
  const parsed = parseSpec(text, 'm.yaml');
  if (!parsed.model) return parsed.diagnostics;
  return compileModel(parsed.model).diagnostics;
}

const sharedSpec = `
name: siamese
inputs:
  left: {shape: [16]}
  right: {shape: [16]}
layers:
  - Dense: {units: 8, activation: relu, name: shared}
    calls: [left, right]
  - Dense: {units: 1, name: score}
    inbound: "shared[1]"
outputs: [score, shared]
`;

describe('functional spec', () => {
  it('reads inputs, inbound, default chaining and outputs', () => {
    const m = compileSpec(`
inputs:
  x: {shape: [4]}
layers:
  - Dense: {units: 8, name: a}
  - Dense: {units: 3, name: b}
  - Dense: {units: 2, name: c}
    inbound: a
outputs: [b, c]
`);
    expect(m.kind).toBe('Functional');
    expect(m.name).toBe('functional');
    expect(m.layers.map((l) => [l.name, l.inbound, l.outputShape])).toEqual([
      ['x', [], [null, 4]], ['a', ['x'], [null, 8]], ['b', ['a'], [null, 3]], ['c', ['a'], [null, 2]],
    ]);
    expect(m.outputs).toEqual([{ layer: 'b' }, { layer: 'c' }]);
  });

  it('shares a layer: one node, one set of weights, two calls with their own shapes', () => {
    const m = compileSpec(sharedSpec);
    const shared = m.layers.find((l) => l.name === 'shared')!;
    expect(shared.calls.map((c) => c.inbound)).toEqual([[{ layer: 'left' }], [{ layer: 'right' }]]);
    expect(shared.params).toBe(16 * 8 + 8);
    expect(m.totalParams).toBe(136 + 9);
    expect(m.layers.find((l) => l.name === 'score')!.calls[0]!.inbound).toEqual([{ layer: 'shared', call: 1 }]);
    // One node and two inbound edges in the diagram.
    const dot = parseDot(toDot(m, keras3));
    expect(dot.nodes.filter((n) => n.id === 'shared')).toHaveLength(1);
    expect(dot.edges).toEqual([['left', 'shared'], ['right', 'shared'], ['shared', 'score']]);
    // Keras 3's summary lists every call's tensors in Connected to.
    expect(summaryText(m)).toContain('│ left[0][0], right[0][0]   │');
    expect(summaryJsonObject(m).layers.find((l) => l.name === 'shared')!.calls).toHaveLength(2);
  });

  it('equals the builder API, shared layers and nested models included', () => {
    const left = input({ shape: [16], name: 'left' });
    const right = input({ shape: [16], name: 'right' });
    const shared = dense(8, { activation: 'relu', name: 'shared' });
    const fromLeft = apply(shared, left);
    const out = apply(dense(1, { name: 'score' }), apply(shared, right));
    const built = functional({ inputs: [left, right], outputs: [out, fromLeft], name: 'siamese' });
    const strip = (s: Record<string, unknown>) => JSON.parse(JSON.stringify(s));
    expect(strip(irToSpec(built))).toEqual(strip(irToSpec(specIR(sharedSpec))));
  });

  it('names unnamed layers of the builder as Keras does, in call order', () => {
    const x = input({ shape: [4] });
    const y = apply(dense(2), apply(dense(3), x));
    const m = compileModel(functional({ inputs: x, outputs: y })).compiled!;
    expect(m.layers.map((l) => l.name)).toEqual(['input_layer', 'dense', 'dense_1']);
  });

  it('round-trips through the spec format', () => {
    for (const text of [sharedSpec, readFixture('fixtures/functional/nested-sequential.yaml')]) {
      const ir = specIR(text);
      const again = specIR(toYaml(irToSpec(ir)));
      expect(irToSpec(again)).toEqual(irToSpec(ir));
      expect(summaryJsonObject(compileModel(again).compiled!)).toEqual(summaryJsonObject(compileModel(ir).compiled!));
    }
  });
});

describe('nested models', () => {
  const m = compileSpec(readFixture('fixtures/functional/nested-sequential.yaml'));

  it('compile the inner model for the shape it is called on and count its parameters', () => {
    const encoder = m.layers.find((l) => l.name === 'encoder')!;
    expect(encoder).toMatchObject({ className: 'Sequential', outputShape: [null, 4], params: 8 * 6 + 6 + 6 * 4 + 4 });
    expect(encoder.model!.layers.map((l) => l.outputShape)).toEqual([[null, 8], [null, 6], [null, 4]]);
    expect(m.totalParams).toBe(82 + 10);
  });

  it('are drawn collapsed: one node with the class, the name and the shapes', () => {
    const dot = parseDot(toDot(m, keras3));
    const node = dot.nodes.find((n) => n.id === 'encoder')!;
    expect(String(node.attrs['label'])).toContain('<b>encoder</b> (Sequential)');
    expect(String(node.attrs['label'])).toContain('Input shape: <b>(None, 8)</b>');
    expect(dot.edges).toEqual([['features', 'encoder'], ['encoder', 'head']]);
  });

  it('expand into a cluster whose edges reach the right inner layers (Keras 3: the first layer; Keras 2: the InputLayer)', () => {
    const k3 = parseDot(toDot(m, keras3, { expandNested: true }));
    expect(k3.edges).toEqual([['encoder/dense', 'encoder/code'], ['features', 'encoder/dense'], ['encoder/code', 'head']]);
    const k2 = parseDot(toDot(m, keras2, { expandNested: true }));
    expect(k2.edges).toEqual([['encoder/input_layer', 'encoder/dense'], ['encoder/dense', 'encoder/code'], ['features', 'encoder/input_layer'], ['encoder/code', 'head']]);
    expect(toDot(m, keras2, { expandNested: true })).toMatch(/subgraph "cluster_encoder" \{\s*style = "dashed";\s*labeljust = "l";\s*label = <encoder>;/);
  });

  it('expand nested functional models with several inputs and outputs onto the matching layers', () => {
    const a = input({ shape: [4], name: 'a' });
    const b = input({ shape: [4], name: 'b' });
    const inner = functional({ inputs: [a, b], outputs: [apply(dense(2, { name: 'from_b' }), b), apply(dense(3, { name: 'from_a' }), a)], name: 'pair' });
    const x = input({ shape: [4], name: 'x' });
    const y = input({ shape: [4], name: 'y' });
    const call = apply(nested(inner), [x, y]);
    const outer = functional({ inputs: [x, y], outputs: [apply(dense(1, { name: 'after_0' }), call), apply(dense(1, { name: 'after_1' }), { node: call.node, output: 1 })] });
    const compiled = compileModel(outer).compiled!;
    expect(compiled.layers.find((l) => l.name === 'pair')!.calls[0]!.outputShapes).toEqual([[null, 2], [null, 3]]);
    const edges = parseDot(toDot(compiled, keras3, { expandNested: true })).edges;
    expect(edges).toContainEqual(['x', 'pair/a']);
    expect(edges).toContainEqual(['y', 'pair/b']);
    expect(edges).toContainEqual(['pair/from_b', 'after_0']);
    expect(edges).toContainEqual(['pair/from_a', 'after_1']);
  });
});

describe('multi-input labels', () => {
  const m = compileSpec(readFixture('fixtures/functional/k2-03-simple-add.yaml'));
  const merged = compileSpec('inputs: {a: [16], b: [32]}\nlayers:\n  - Concatenate: {name: c}\n    inbound: [a, b]\noutputs: c\n');

  it('keras2 shows the input shapes as a Python list', () => {
    const label = parseDot(toDot(merged, keras2)).nodes.find((n) => n.id === 'c')!.attrs['label'];
    expect(label).toBe('{c|Concatenate}|{input:|output:}|{{[(None, 16), (None, 32)]}|{(None, 48)}}');
  });

  it('keras3 shows one input shape per line', () => {
    const label = String(parseDot(toDot(merged, keras3)).nodes.find((n) => n.id === 'c')!.attrs['label']);
    expect(label).toContain('Input shape: <b>(None, 16)<br/>(None, 32)</b>');
  });

  it('edges into a merge keep the order of its inputs', () => {
    expect(parseDot(toDot(m, keras3)).edges.filter(([, to]) => to === 'add_2')).toEqual([['dense_4', 'add_2'], ['dense_5', 'add_2']]);
    const swapped = compileSpec(readFixture('fixtures/functional/k2-03-simple-add.yaml').replace('inbound: [dense_4, dense_5]', 'inbound: [dense_5, dense_4]'));
    expect(parseDot(toDot(swapped, keras3)).edges.filter(([, to]) => to === 'add_2')).toEqual([['dense_5', 'add_2'], ['dense_4', 'add_2']]);
  });
});

describe('diagram options', () => {
  const m = compileSpec(readFixture('fixtures/seed/binary-classifier.yaml'));

  it('--layer-range keeps the layers from FIRST to LAST and the edges between them', () => {
    const dot = parseDot(toDot(m, keras2, { layerRange: ['dense', 'dense_1'] }));
    expect(dot.nodes.map((n) => n.id)).toEqual(['dense', 'dense_1']);
    expect(dot.edges).toEqual([['dense', 'dense_1']]);
    expect(checkLayerRange(m, ['dense', 'dens_2'])[0]!.message).toContain("Did you mean 'dense_2'?");
    expect(checkLayerRange(m, ['dense_2', 'dense'])[0]!.code).toBe('empty-layer-range');
  });

  it('--show-params adds the count to both styles', () => {
    expect(String(parseDot(toDot(m, keras3, { showParams: true })).nodes[1]!.attrs['label'])).toContain('Params: <b>54</b>');
    expect(String(parseDot(toDot(m, keras2, { showParams: true })).nodes[1]!.attrs['label'])).toMatch(/\|\{params:\|40\}$/);
  });
});

describe('graph errors', () => {
  it('a cycle names the layers on it', () => {
    const d = diagnostics('inputs: {x: {shape: [4]}}\nlayers:\n  - Dense: {units: 4, name: a}\n    inbound: b\n  - Dense: {units: 4, name: b}\n    inbound: a\noutputs: b\n');
    expect(d[0]).toMatchObject({ code: 'cycle' });
    expect(d[0]!.message).toContain("'a', 'b'");
  });

  it('a reference to a missing layer says which', () => {
    const d = diagnostics('inputs: {x: {shape: [4]}}\nlayers:\n  - Dense: {units: 4, name: a}\n    inbound: y\noutputs: a\n');
    expect(d[0]!.message).toBe("layer 'a' takes its input from 'y', but no layer or input has that name");
    expect(d[0]!.loc).toMatchObject({ file: 'm.yaml', line: 3 });
  });

  it('duplicate names', () => {
    expect(diagnostics('inputs: {x: {shape: [4]}}\nlayers:\n  - Dense: {units: 4, name: x}\noutputs: x\n')[0]!.code).toBe('duplicate-name');
  });

  it('an output that is not produced', () => {
    expect(diagnostics('inputs: {x: {shape: [4]}}\nlayers:\n  - Dense: {units: 4, name: a}\noutputs: b\n')[0]!.message).toBe("the model names as an output 'b', but no layer or input has that name");
    expect(diagnostics('inputs: {x: {shape: [4]}}\nlayers:\n  - Dense: {units: 4, name: a}\noutputs: "a[1]"\n')[0]!.message).toContain("'a' is called 1 time");
    expect(diagnostics('inputs: {x: {shape: [4]}}\nlayers:\n  - Dense: {units: 4, name: a}\n')[0]!.code).toBe('no-outputs');
  });

  it('an unused input is a warning, and the model still compiles', () => {
    const parsed = parseSpec('inputs: {x: {shape: [4]}, unused: {shape: [2]}}\nlayers:\n  - Dense: {units: 4, name: a}\n    inbound: x\noutputs: a\n');
    const r = compileModel(parsed.model!);
    expect(r.compiled).toBeDefined();
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'warning', code: 'unused-input', message: "input 'unused' of model 'functional' does not lead to any output" })]);
  });

  it('a shared layer called on tensors of another size', () => {
    const d = diagnostics('inputs: {a: {shape: [4]}, b: {shape: [5]}}\nlayers:\n  - Dense: {units: 2, name: s}\n    calls: [a, b]\noutputs: ["s", "s[1]"]\n');
    expect(d[0]!.code).toBe('shared-layer-mismatch');
    expect(d[0]!.message).toContain('needs other weights than its first call: kernel (5, 2), bias (2,) instead of kernel (4, 2), bias (2,)');
  });

  it('a layer without inbound when the model has several inputs', () => {
    expect(diagnostics('inputs: {a: {shape: [4]}, b: {shape: [4]}}\nlayers:\n  - Dense: 2\noutputs: dense\n')[0]!.code).toBe('missing-inbound');
  });

  it('the builder API and a Sequential nested without input shape compile', () => {
    const x = input({ shape: [3], name: 'x' });
    const y = apply(nested(sequential([dense(5), dense(2)], { name: 'block' })), x);
    const m = compileModel(functional({ inputs: x, outputs: y })).compiled!;
    expect(m.layers.map((l) => [l.name, l.params])).toEqual([['x', 0], ['block', 3 * 5 + 5 + 5 * 2 + 2]]);
  });
});

describe('fixtures give the parameter counts Keras gives', () => {
  // Keras's own counts: k2_03 is documented in ../shared/cases/README.md (436), the MNIST MLP
  // is Keras's examples/mnist_mlp.py (669,706), the others are worked out from Dense's
  // in·units + units and Embedding's input_dim·output_dim.
  const expected: [string, number, number][] = [
    ['fixtures/functional/k2-03-simple-add.yaml', 436, 0],
    ['fixtures/functional/k2-04-mlp-merge.yaml', 15 + 16 + 9, 0],
    ['fixtures/functional/k2-05-reshape-embedding-concat.yaml', 16 + 24 + 24, 0],
    ['fixtures/functional/wide-deep-two-outputs.yaml', 210 + 930 + 36 + 31, 0],
    ['fixtures/functional/residual-mlp.yaml', 4 * 272 + 17, 0],
    ['fixtures/functional/shared-dense.yaml', 136 + 9, 0],
    ['fixtures/functional/nested-sequential.yaml', 82 + 10, 0],
    ['fixtures/models/mnist-mlp.yaml', 669_706, 0],
  ];
  for (const [file, total, nonTrainable] of expected) {
    it(file, () => {
      const m = compileSpec(readFixture(file));
      expect([m.totalParams, m.nonTrainableParams]).toEqual([total, nonTrainable]);
    });
  }

  it('k2-05: rank-3 concatenation of two embeddings and a reshape', () => {
    const m = compileSpec(readFixture('fixtures/functional/k2-05-reshape-embedding-concat.yaml'));
    expect(m.inputs).toEqual(['input_1', 'input_2', 'input_3']);
    expect(m.layers.find((l) => l.name === 'concatenate_1')!.calls[0]!.inputShapes).toEqual([[null, 1, 3], [null, 1, 3], [null, 1, 8]]);
    expect(m.layers.find((l) => l.name === 'concatenate_1')!.outputShape).toEqual([null, 1, 14]);
  });

  it('k2-04: the legacy Merge becomes a Concatenate, with a warning', () => {
    const parsed = parseSpec(readFixture('fixtures/functional/k2-04-mlp-merge.yaml'));
    const r = compileModel(parsed.model!);
    expect(r.compiled!.layers.find((l) => l.name === 'merge_1')).toMatchObject({ className: 'Concatenate', outputShape: [null, 7] });
    expect(r.diagnostics.map((d) => d.code)).toEqual(['legacy-layer']);
  });
});
