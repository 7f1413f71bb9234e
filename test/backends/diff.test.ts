import { beforeAll, describe, expect, it } from 'vitest';
import { diffDot, diffMarkdown, diffMermaid, diffModels } from '../../src/backends/diff.js';
import { dotToSvg } from '../../src/backends/svg.js';
import { compileSpec, parseDot, readFixture, svgTexts, loadMermaid } from '../helpers.js';

type Mermaid = (typeof import('mermaid'))['default'];
let mermaid: Mermaid;

beforeAll(async () => {
  mermaid = await loadMermaid();
});

const oldModel = compileSpec(readFixture('fixtures/seed/binary-classifier.yaml'));
const newModel = compileSpec(`
layers:
  - Dense: {units: 16, input_dim: 4, kernel_initializer: uniform, activation: relu}
  - Dropout: 0.2
  - Dense: {units: 1, kernel_initializer: uniform, activation: sigmoid, name: dense_2}
`);
const d = diffModels(oldModel, newModel);

describe('diffModels', () => {
  it('matches layers by name and reports added, removed and changed ones with their changes', () => {
    expect(d.layers.map((l) => [l.name, l.kind])).toEqual([
      ['input_layer', 'unchanged'], ['dense', 'changed'], ['dense_1', 'removed'], ['dropout', 'added'], ['dense_2', 'changed'],
    ]);
    const dense = d.layers[1]!;
    expect(dense.arguments).toEqual([{ argument: 'units', old: 8, new: 16 }]);
    expect(dense.outputShape).toEqual({ old: [null, 8], new: [null, 16] });
    expect(dense.params).toEqual({ old: 40, new: 80 });
    expect(d.layers[4]!.inbound).toEqual({ old: ['dense_1'], new: ['dropout'] });
    expect([d.old.totalParams, d.new.totalParams, d.totalParamsChange]).toEqual([101, 97, -4]);
    expect(d.counts).toEqual({ added: 1, removed: 1, changed: 2, unchanged: 1 });
    expect(d.identical).toBe(false);
  });

  it('finds nothing between a model and itself', () => {
    const same = diffModels(oldModel, compileSpec(readFixture('fixtures/seed/binary-classifier.yaml')));
    expect(same.identical).toBe(true);
    expect(same.counts.unchanged).toBe(4);
  });
});

describe('diff outputs', () => {
  it('markdown: totals line, a table of the changes, and a Mermaid diagram that parses', async () => {
    const md = diffMarkdown(d, oldModel, newModel);
    expect(md).toContain('Total params: 101 → 97 (−4); layers: 1 added, 1 removed, 2 changed');
    expect(md).toContain('| dense | 🟡 changed | units: 8 → 16<br>');
    expect(md).toContain('| dense\\_1 | ⚪ removed |');
    const block = /```mermaid\n([\s\S]*?)```/.exec(md)![1]!;
    await expect(mermaid.parse(block)).resolves.toBeTruthy();
    await expect(mermaid.parse(diffMermaid(d, oldModel, newModel))).resolves.toBeTruthy();
  });

  it('dot/svg: added green, changed amber with the change in the label, removed grey and dashed where it was', async () => {
    const dot = diffDot(d, oldModel, newModel);
    const parsed = parseDot(dot);
    const node = (id: string) => parsed.nodes.find((n) => n.id === id)!.attrs;
    expect(node('dropout')).toMatchObject({ fillcolor: '#dafbe1', style: 'filled' });
    expect(node('dense')).toMatchObject({ fillcolor: '#fff8c5' });
    expect(String(node('dense')['label'])).toContain('units: 8 → 16');
    expect(node('dense_1')).toMatchObject({ style: 'dashed,filled', fillcolor: '#f6f8fa' });
    expect(parsed.edges).toContainEqual(['dense', 'dense_1']);
    const texts = svgTexts(await dotToSvg(dot));
    expect(texts).toContain('dense_1');
    expect(texts.some((t) => t.includes('units: 8 → 16'))).toBe(true);
  });

  it('escapes user text in every format', async () => {
    const a = compileSpec('layers:\n  - Dense: {units: 2, input_dim: 2, name: "<b>x|y</b>"}\n');
    const b = compileSpec('layers:\n  - Dense: {units: 3, input_dim: 2, name: "<b>x|y</b>"}\n');
    const e = diffModels(a, b);
    expect(diffMarkdown(e, a, b)).not.toContain('<b>');
    parseDot(diffDot(e, a, b));
    await expect(mermaid.parse(diffMermaid(e, a, b))).resolves.toBeTruthy();
  });
});
