import { readdirSync } from 'node:fs';
import { fromDot } from 'ts-graphviz';
import { beforeAll, describe, expect, it } from 'vitest';
import { toDot, type DiagramOptions } from '../../src/backends/dot.js';
import { nodeIdFor } from '../../src/backends/escape.js';
import { escapeMermaid, mermaidIdFor, toMermaid, type MermaidOptions } from '../../src/backends/mermaid.js';
import { loadStyle } from '../../src/backends/style.js';
import { apply, dense, functional, input, layer, nested, sequential } from '../../src/frontends/builder.js';
import type { CompiledModel } from '../../src/ir/model.js';
import { compileSpec, fixturePath, mustCompile, parseDot, readFixture, loadMermaid } from '../helpers.js';

type Mermaid = (typeof import('mermaid'))['default'];
let mermaid: Mermaid;

beforeAll(async () => {
  mermaid = await loadMermaid();
});

/** What Mermaid's parser made of a diagram: nodes with their label text, edges in order, subgraphs. */
interface Parsed {
  nodes: Map<string, string>;
  edges: [string, string][];
  subgraphs: { id: string; title: string; nodes: string[] }[];
}

interface FlowDb {
  getVertices(): Map<string, { text?: string }>;
  getEdges(): { start: string; end: string }[];
  getSubGraphs(): { id: string; title: string; nodes: string[] }[];
}

/** Parses with Mermaid itself: `mermaid.parse` rejects on a syntax error, then the flowchart database is read. */
async function parseMermaid(text: string): Promise<Parsed> {
  await expect(mermaid.parse(text)).resolves.toMatchObject({ diagramType: 'flowchart-v2' });
  const db = (await mermaid.mermaidAPI.getDiagramFromText(text)).db as unknown as FlowDb;
  return {
    nodes: new Map([...db.getVertices()].map(([id, v]) => [id, v.text ?? ''])),
    edges: db.getEdges().map((e) => [e.start, e.end]),
    subgraphs: db.getSubGraphs().map((s) => ({ id: s.id, title: s.title, nodes: [...s.nodes] })),
  };
}

/**
 * A label as a browser shows it with htmlLabels (GitHub's setting): Mermaid turns its entity
 * placeholders into HTML entities and the result becomes innerHTML. Fails if any element
 * other than our `<br>` appears, i.e. if user text became markup. Returns the lines.
 */
function renderedLines(label: string): string[] {
  const html = label.replace(/ﬂ°°/g, '&#').replace(/ﬂ°/g, '&').replace(/¶ß/g, ';');
  const div = document.createElement('div');
  div.innerHTML = html;
  expect([...div.querySelectorAll('*')].map((e) => e.tagName)).toEqual(Array(div.querySelectorAll('br').length).fill('BR'));
  const lines = [''];
  for (const node of div.childNodes) {
    if (node.nodeName === 'BR') lines.push('');
    else lines[lines.length - 1] += node.textContent ?? '';
  }
  return lines;
}

const keras3 = loadStyle('keras3').style!;

/** DOT node id → Mermaid node id, walking the model as both backends name nodes. */
function idMap(model: CompiledModel, dotPrefix = '', path: readonly string[] = []): Map<string, string> {
  const map = new Map<string, string>();
  for (const l of model.layers) {
    const dotId = dotPrefix + nodeIdFor(l.name);
    map.set(dotId, mermaidIdFor([...path, l.name]));
    if (l.model) for (const [k, v] of idMap(l.model, `${dotId}/`, [...path, l.name])) map.set(k, v);
  }
  return map;
}

/** Every node of a DOT graph, clusters included. */
function dotNodeIds(dot: string): string[] {
  const ids: string[] = [];
  const walk = (g: { nodes: readonly { id: string }[]; subgraphs: readonly unknown[] }) => {
    ids.push(...g.nodes.map((n) => n.id));
    for (const s of g.subgraphs) walk(s as typeof g);
  };
  walk(fromDot(dot));
  return ids;
}

/** Mermaid draws what DOT (keras3 style) draws: the same nodes, the same edges in the same order. */
async function expectSameAsDot(model: CompiledModel, options: MermaidOptions & DiagramOptions = {}): Promise<Parsed> {
  const text = toMermaid(model, options);
  expect(text.endsWith('\n')).toBe(true);
  expect(toMermaid(model, options)).toBe(text);
  const parsed = await parseMermaid(text);
  const dot = toDot(model, keras3, options);
  const ids = idMap(model);
  expect([...parsed.nodes.keys()].sort()).toEqual(dotNodeIds(dot).map((id) => ids.get(id)).sort());
  expect(parsed.edges).toEqual(parseDot(dot).edges.map(([a, b]) => [ids.get(a), ids.get(b)]));
  return parsed;
}

/** Every layer drawn shows its name and class as text on its first line. */
function expectNamesShown(model: CompiledModel, parsed: Parsed, path: readonly string[] = []): void {
  for (const l of model.layers) {
    const id = mermaidIdFor([...path, l.name]);
    const label = parsed.nodes.get(id);
    if (label !== undefined) expect(renderedLines(label)[0]).toBe(`${l.name} (${l.className})`);
    const sub = parsed.subgraphs.find((s) => s.id === id);
    if (sub) expect(renderedLines(sub.title)).toEqual([`${l.name} (${l.className})`]);
    if (l.model && sub) expectNamesShown(l.model, parsed, [...path, l.name]);
  }
}

const FIXTURE_DIRS = ['fixtures/seed/', 'fixtures/models/', 'fixtures/functional/'];
const fixtures = FIXTURE_DIRS.flatMap((dir) => readdirSync(fixturePath(dir)).filter((f) => f.endsWith('.yaml')).map((f) => dir + f));

describe('Mermaid parses every fixture and draws what DOT draws', () => {
  it('finds the fixtures', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(15);
  });

  for (const path of fixtures) {
    for (const expandNested of [false, true]) {
      it(`${path}${expandNested ? ' (expanded)' : ''}`, async () => {
        const model = compileSpec(readFixture(path));
        const parsed = await expectSameAsDot(model, { expandNested });
        expectNamesShown(model, parsed);
      });
    }
  }
});

describe('the parser check', () => {
  it('rejects a broken diagram, so the checks above can fail', async () => {
    await expect(mermaid.parse('flowchart TB\n  n_a["a"b"]\n')).rejects.toThrow(/Parse error/);
    await expect(mermaid.parse('flowchart TB\n  end["end"] --> n_b\n')).rejects.toThrow(/Parse error/);
    await expect(mermaid.parse('flowchart TB\n  n_a["x"] --> n_b["y"\n')).rejects.toThrow();
  });
});

// test/backends/escape.test.ts NASTY_NAMES (not imported: that would run its tests here too),
// then Mermaid's keywords, edge markers and label syntax.
const NASTY_NAMES = ['<script>alert(1)</script>', 'a & b', '"];x[label="', "it's", '{braces}', 'pipe|bar', 'back\\slash', 'trail\\', '밀집층', '&amp;lt;', 'a-b c'];
const MERMAID_NAMES = [
  'end', 'o', 'x', 'graph', 'subgraph', 'flowchart', 'style', 'class', 'classDef', 'click', 'linkStyle', 'default', 'direction',
  'back`tick', '`md`', 'a]b', 'a|b', 'a;b', '#quot;', '#35;', 'x#y;', 'style x:#f00;', 'fa:fa-car', '$$x^2$$', '%% c', '%%{init: {}}%%',
  '°ﬂ°lt¶ß', '<b>bold</b>', '<br>', '**bold** _it_', '-->', 'a --> b', '_x', 'x_x2d_', 'a-b', 'a_x2d_b', 'n_a', '😀 emoji', '  spaced',
];
const NAMES = [...NASTY_NAMES, ...MERMAID_NAMES];

describe('user text in Mermaid diagrams', () => {
  it('escapes label text as entity codes', () => {
    expect(escapeMermaid('a "b" <c> & #d; `e` [f] |g| :h $i')).toBe('a #quot;b#quot; #lt;c#gt; #amp; #35;d#59; #96;e#96; #91;f#93; #124;g#124; #58;h #36;i');
    expect(escapeMermaid('밀집층 dense_1 (None, 4)')).toBe('밀집층 dense_1 (None, 4)');
  });

  it('derives distinct, safe ids from names alone', () => {
    expect(mermaidIdFor(['dense_1'])).toBe('n_dense_1');
    expect(mermaidIdFor(['end'])).toBe('n_end');
    expect(mermaidIdFor(['a-b'])).toBe('n_a_x2d_b');
    expect(mermaidIdFor(['a_x2d_b'])).toBe('n_a_x5f_x2d_b');
    expect(mermaidIdFor(['encoder', 'dense'])).toBe('n_encoder_x_dense');
    const paths = [...NAMES.map((n) => [n]), ['a', 'b'], ['a_x_b'], ['a', 'x_b'], ['a_x', 'b'], ['a/b'], ['a', 'b', 'c']];
    const ids = paths.map(mermaidIdFor);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^n_[A-Za-z0-9_]+$/);
  });

  it('keeps a Sequential model of nasty names valid, with every name as text', async () => {
    const model = mustCompile(sequential(NAMES.map((name, i) => dense(2, { name, ...(i === 0 ? { inputDim: 3 } : {}) }))));
    const parsed = await expectSameAsDot(model);
    expect(parsed.nodes.size).toBe(NAMES.length);
    expectNamesShown(model, parsed);
  });

  it('keeps nested models of nasty names valid, collapsed and expanded', async () => {
    const inner = (name: string) => sequential([dense(3, { name: 'end', inputDim: 4 }), dense(4, { name: 'x' })], { name });
    const x = input({ shape: [4], name: 'o' });
    let t = apply(dense(4, { name: 'x' }), x);
    for (const name of ['end', 'subgraph', '"];x[label="', 'a]b|c;`d`']) t = apply(nested(inner(name)), t);
    const model = mustCompile(functional({ inputs: x, outputs: t, name: 'end' }));
    for (const expandNested of [false, true]) {
      const parsed = await expectSameAsDot(model, { expandNested });
      expectNamesShown(model, parsed);
      expect(parsed.subgraphs.length).toBe(expandNested ? 4 : 0);
    }
  });
});

describe('structure', () => {
  // Inputs declared a, b, c and merged in the order c, a, b; `twice` takes the same tensor twice.
  const a = input({ shape: [4], name: 'a' });
  const b = input({ shape: [4], name: 'b' });
  const c = input({ shape: [4], name: 'c' });
  const merged = apply(layer('Concatenate', { name: 'merge' }), [c, a, b]);
  const twice = apply(layer('Add', { name: 'twice' }), [merged, merged]);
  const model = mustCompile(functional({ inputs: [a, b, c], outputs: twice }));

  it('draws the edges into a merge in input order, once per pair', async () => {
    const parsed = await expectSameAsDot(model);
    expect(parsed.edges).toEqual([
      ['n_c', 'n_merge'],
      ['n_a', 'n_merge'],
      ['n_b', 'n_merge'],
      ['n_merge', 'n_twice'],
    ]);
  });

  it('labels a layer with its shapes: several inputs as a list, an InputLayer its output only', () => {
    const text = toMermaid(model);
    expect(text).toContain('n_a["a (InputLayer)<br>(None, 4)"]');
    expect(text).toContain('n_merge["merge (Concatenate)<br>#91;(None, 4), (None, 4), (None, 4)#93; → (None, 12)"]');
    expect(toMermaid(model, { showShapes: false })).toContain('n_merge["merge (Concatenate)"]');
    expect(toMermaid(model, { showLayerNames: false, showShapes: false })).toContain('n_merge["Concatenate"]');
  });

  it('writes the whole diagram deterministically', () => {
    expect(toMermaid(compileSpec(readFixture('fixtures/functional/nested-sequential.yaml')), { expandNested: true, direction: 'LR' })).toBe(
      [
        'flowchart LR',
        '  n_features["features (InputLayer)<br>(None, 8)"]',
        '  subgraph n_encoder["encoder (Sequential)"]',
        '    n_encoder_x_dense["dense (Dense)<br>(None, 8) → (None, 6)"]',
        '    n_encoder_x_code["code (Dense)<br>(None, 6) → (None, 4)"]',
        '  end',
        '  n_head["head (Dense)<br>(None, 4) → (None, 2)"]',
        '  n_encoder_x_dense --> n_encoder_x_code',
        '  n_features --> n_encoder_x_dense',
        '  n_encoder_x_code --> n_head',
        '  classDef input stroke-dasharray: 4 3',
        '  class n_features input',
        '',
      ].join('\n'),
    );
  });

  it('leaves a Sequential model\'s InputLayer out, as Keras 3', async () => {
    const model = compileSpec(readFixture('fixtures/seed/dense-8-relu.yaml'));
    const parsed = await expectSameAsDot(model);
    expect(model.layers.some((l) => l.className === 'InputLayer')).toBe(true);
    expect([...parsed.nodes.values()].some((t) => t.includes('InputLayer'))).toBe(false);
  });

  it('lands an edge into an expanded Functional model on its InputLayer, and one out on its output layer', async () => {
    const ix = input({ shape: [4], name: 'inner_in' });
    const inner = functional({ inputs: ix, outputs: apply(dense(2, { name: 'inner_out' }), ix), name: 'block' });
    const x = input({ shape: [4], name: 'x' });
    const outer = mustCompile(functional({ inputs: x, outputs: apply(dense(1, { name: 'head' }), apply(nested(inner), x)) }));
    const parsed = await expectSameAsDot(outer, { expandNested: true });
    expect(parsed.edges).toEqual([
      ['n_block_x_inner_in', 'n_block_x_inner_out'],
      ['n_x', 'n_block_x_inner_in'],
      ['n_block_x_inner_out', 'n_head'],
    ]);
    expect(parsed.subgraphs.map((s) => [s.id, [...s.nodes].sort()])).toEqual([['n_block', ['n_block_x_inner_in', 'n_block_x_inner_out']]]);
  });

  it('draws a layer range as DOT does', async () => {
    const model = compileSpec(readFixture('fixtures/functional/k2-04-mlp-merge.yaml'));
    const names = model.layers.map((l) => l.name);
    const parsed = await expectSameAsDot(model, { layerRange: [names[2]!, names[6]!] });
    expect(parsed.nodes.size).toBe(5);
  });
});
