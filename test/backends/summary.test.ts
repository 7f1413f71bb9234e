import { describe, expect, it } from 'vitest';
import { readableMemorySize, summaryJsonObject, summaryMarkdown, summaryText } from '../../src/backends/summary.js';
import { dense, sequential } from '../../src/frontends/builder.js';
import { mustCompile, readFixture } from '../helpers.js';

const seed = mustCompile(sequential([dense(8, { inputDim: 4, activation: 'relu' }), dense(6, { activation: 'relu' }), dense(1, { activation: 'sigmoid' })]));

describe('text summary', () => {
  it('equals Keras 3 model.summary() of the seed model, character for character', () => {
    expect(summaryText(seed)).toBe(readFixture('fixtures/reference/keras3-summary.txt'));
  });

  it('uses thousands separators and Keras memory units', () => {
    const big = mustCompile(sequential([dense(512, { inputDim: 784 }), dense(512), dense(10)]));
    const text = summaryText(big);
    expect(text).toContain('│ dense (Dense)                        │ (None, 512)                 │         401,920 │');
    expect(text).toContain(' Total params: 669,706 (2.55 MB)');
    expect(readableMemorySize(404)).toBe('404.00 B');
    expect(readableMemorySize(1024)).toBe('1.00 KB');
  });

  it('wraps a long layer name inside its column', () => {
    const m = mustCompile(sequential([dense(2, { inputDim: 2, name: 'a_very_long_layer_name_that_does_not_fit_in_the_column' })]));
    const lines = summaryText(m).split('\n');
    expect(new Set(lines.slice(1, -4).map((l) => [...l].length))).toEqual(new Set([88]));
    expect(lines.some((l) => l.includes('(Dense)'))).toBe(true);
  });
});

describe('markdown summary', () => {
  it('is a GitHub table with the totals', () => {
    const md = summaryMarkdown(seed);
    expect(md).toContain('| Layer (type) | Output Shape | Param # |');
    expect(md).toContain('| dense\\_1 (Dense) | `(None, 6)` | 54 |');
    expect(md).toContain('Total params: 101 (404.00 B)');
  });

  it('escapes names so they cannot break the table or inject HTML', () => {
    const m = mustCompile(sequential([dense(2, { inputDim: 2, name: 'a|b<script>*' })]));
    const row = summaryMarkdown(m).split('\n').find((l) => l.includes('(Dense)'))!;
    expect(row).toBe('| a\\|b&lt;script&gt;\\* (Dense) | `(None, 2)` | 6 |');
  });
});

describe('json summary (DESIGN.md contract)', () => {
  it('has the contract fields with the seed numbers', () => {
    const j = summaryJsonObject(seed);
    expect(j).toMatchObject({ name: 'sequential', inputs: ['input_layer'], outputs: ['dense_2'], totalParams: 101, trainableParams: 101, nonTrainableParams: 0 });
    expect(j.layers[0]).toEqual({ name: 'input_layer', class: 'InputLayer', inbound: [], inputShapes: [], outputShape: [null, 4], params: 0, trainableParams: 0, activation: null, dtype: 'float32' });
    expect(j.layers[1]).toEqual({ name: 'dense', class: 'Dense', inbound: ['input_layer'], inputShapes: [[null, 4]], outputShape: [null, 8], params: 40, trainableParams: 40, activation: 'relu', dtype: 'float32' });
    expect(j.layers.map((l) => l.params)).toEqual([0, 40, 54, 7]);
  });
});
