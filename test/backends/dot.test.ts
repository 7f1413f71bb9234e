import { describe, expect, it } from 'vitest';
import { toDot } from '../../src/backends/dot.js';
import { loadStyle } from '../../src/backends/style.js';
import { compileSpec, parseDot, readFixture } from '../helpers.js';

const seedModel = `
layers:
  - Dense: {units: 8, input_dim: 4, activation: relu}
  - Dense: {units: 6, activation: relu}
  - Dense: {units: 1, activation: sigmoid}
`;

function style(name: string) {
  const s = loadStyle(name).style;
  if (!s) throw new Error(`style ${name} did not load`);
  return s;
}

/** Labels in node order and edges by position, so ids (memory addresses in Keras) drop out. */
function shape(dot: string) {
  const parsed = parseDot(dot);
  const index = new Map(parsed.nodes.map((n, i) => [n.id, i]));
  return {
    labels: parsed.nodes.map((n) => String(n.attrs['label'])),
    edges: parsed.edges.map(([a, b]) => [index.get(a), index.get(b)]),
    // What each node and edge is drawn with, whether set on it or as a default.
    nodeAttrs: parsed.nodes.map((n) => Object.fromEntries(Object.entries(n.effective).filter(([k]) => k !== 'label').map(([k, v]) => [k, String(v)]))),
    edgeAttrs: parsed.edgeAttrs.map((a) => Object.fromEntries(Object.entries(a).map(([k, v]) => [k, String(v)]))),
  };
}

describe('DOT labels equal Keras text for text (reference/keras.md §1.8)', () => {
  const model = compileSpec(seedModel);

  it('keras2 style equals tf.keras 2.9-2.15 model_to_dot(show_shapes=True), InputLayer box included', () => {
    const ours = shape(toDot(model, style('keras2')));
    const keras = shape(readFixture('fixtures/reference/keras2-seed.dot'));
    expect(ours.labels).toEqual(keras.labels);
    expect(ours.edges).toEqual(keras.edges);
    expect(ours.labels[0]).toBe('{dense_input|InputLayer}|{input:|output:}|{{[(None, 4)]}|{[(None, 4)]}}');
  });

  it('keras3 style equals Keras 3.3+ model_to_dot(show_shapes=True)', () => {
    const ours = shape(toDot(model, style('keras3')));
    const keras = shape(readFixture('fixtures/reference/keras3-seed.dot'));
    expect(ours.labels).toEqual(keras.labels);
    expect(ours.edges).toEqual(keras.edges);
    expect(ours.nodeAttrs).toEqual(keras.nodeAttrs);
    expect(ours.edgeAttrs).toEqual(keras.edgeAttrs);
  });

  it('graph attributes match Keras (keras3: concentrate, dpi 200, ortho splines; keras2: dpi 96)', () => {
    const k3 = parseDot(toDot(model, style('keras3'))).graph;
    expect(k3).toMatchObject({ rankdir: 'TB', concentrate: 'true', dpi: '200', splines: 'ortho' });
    const k2 = parseDot(toDot(model, style('keras2'))).graph;
    expect(k2).toMatchObject({ rankdir: 'TB', concentrate: 'true', dpi: '96' });
    expect(k2).not.toHaveProperty('splines');
  });

  it('keras2 with dtype, activations and trainable matches §1.8 (a′)', () => {
    const labels = shape(toDot(model, style('keras2'), { showDtype: true, showLayerActivations: true, showTrainable: true })).labels;
    expect(labels[0]).toBe('T|{dense_input|InputLayer|float32}|{input:|output:}|{{[(None, 4)]}|{[(None, 4)]}}');
    expect(labels[1]).toBe('T|{dense|{Dense|relu}|float32}|{input:|output:}|{{(None, 4)}|{(None, 8)}}');
    expect(labels[3]).toBe('T|{dense_2|{Dense|sigmoid}|float32}|{input:|output:}|{{(None, 6)}|{(None, 1)}}');
  });

  it('keras3 with names off matches plot_model\'s header (§1.8 e)', () => {
    const labels = shape(toDot(model, style('keras3'), { showLayerNames: false })).labels;
    expect(labels[0]).toContain('<font point-size="16" color="white"><b>Dense</b></font>');
    expect(labels[0]).not.toContain('dense');
  });

  it('keras3 with every flag on matches §1.8 (f): colspan 4, activation row, dtype and trainable cells', () => {
    const label = shape(toDot(model, style('keras3'), { showDtype: true, showLayerActivations: true, showTrainable: true })).labels[0]!;
    expect(label).toContain('<td colspan="4" bgcolor="black">');
    expect(label).toContain('<tr><td bgcolor="white" colspan="4"><font point-size="14">Activation: <b>relu</b></font></td></tr>');
    expect(label).toContain('<td bgcolor="white"><font point-size="14">Output dtype: <b>float32</b></font></td><td bgcolor="forestgreen"><font point-size="14" color="white"><b>Trainable</b></font></td></tr>');
  });

  it('without shapes, keras2 labels are name|class and keras3 labels have no cell row', () => {
    expect(shape(toDot(model, style('keras2'), { showShapes: false })).labels[1]).toBe('dense|Dense');
    const k3 = shape(toDot(model, style('keras3'), { showShapes: false })).labels[0]!;
    expect(k3).toContain('colspan="1"');
    expect(k3).not.toContain('shape');
  });

  it('a non-trainable layer is NT in keras2 and firebrick in keras3; a weightless layer gets no badge', () => {
    const m = compileSpec(`
layers:
  - Dense: {units: 8, input_dim: 4, trainable: false}
  - Dropout: 0.5
`);
    expect(shape(toDot(m, style('keras2'), { showTrainable: true })).labels[1]).toMatch(/^NT\|\{dense\|Dense\}/);
    const k3 = shape(toDot(m, style('keras3'), { showTrainable: true })).labels;
    expect(k3[0]).toContain('Non-trainable');
    expect(k3[1]).not.toContain('rainable');
  });

  it('rankdir and dpi options override the style', () => {
    const g = parseDot(toDot(model, style('keras3'), { rankdir: 'LR', dpi: 72 })).graph;
    expect(g).toMatchObject({ rankdir: 'LR', dpi: '72' });
  });

  it('node ids are the layer names', () => {
    expect(parseDot(toDot(model, style('keras2'))).nodes.map((n) => n.id)).toEqual(['input_layer', 'dense', 'dense_1', 'dense_2']);
    expect(parseDot(toDot(model, style('keras3'))).nodes.map((n) => n.id)).toEqual(['dense', 'dense_1', 'dense_2']);
  });

  it('rank-3 inputs print every axis', () => {
    const m = compileSpec('layers:\n  - Dense: {units: 8, input_shape: [5, 4]}\n');
    expect(shape(toDot(m, style('keras2'))).labels[1]).toBe('{dense|Dense}|{input:|output:}|{{(None, 5, 4)}|{(None, 5, 8)}}');
  });
});
