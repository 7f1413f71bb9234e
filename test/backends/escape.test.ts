import { describe, expect, it } from 'vitest';
import { escapeHtml, escapeRecord, nodeIdFor } from '../../src/backends/escape.js';
import { toDot } from '../../src/backends/dot.js';
import { loadStyle } from '../../src/backends/style.js';
import { dotToSvg } from '../../src/backends/svg.js';
import { dense, sequential } from '../../src/frontends/builder.js';
import { mustCompile, parseDot, svgTexts } from '../helpers.js';

/** Names that are markup, DOT syntax or record syntax somewhere, and non-ASCII text. */
export const NASTY_NAMES = ['<script>alert(1)</script>', 'a & b', '"];x[label="', "it's", '{braces}', 'pipe|bar', 'back\\slash', 'trail\\', '밀집층', '&amp;lt;', 'a-b c'];

describe('escape functions', () => {
  it('escapes HTML-label text', () => {
    expect(escapeHtml(`<b a="1">&'{x}|\\`)).toBe('&lt;b a=&quot;1&quot;&gt;&amp;&#39;&#123;x&#125;&#124;&#92;');
  });

  it('escapes record-label text', () => {
    expect(escapeRecord('a{b}|c<d>\\e&f')).toBe('a\\{b\\}\\|c\\<d\\>\\\\e&amp;f');
  });

  it('derives plain, distinct node ids from names', () => {
    expect(nodeIdFor('dense_1')).toBe('dense_1');
    expect(nodeIdFor('밀집층')).toBe('밀집층');
    expect(nodeIdFor('a<b')).toBe('a_x3c_b');
    expect(nodeIdFor('a b (c)')).toBe('a b (c)');
    expect(nodeIdFor('"\\&')).toBe('_x22__x5c__x26_');
    const ids = NASTY_NAMES.map(nodeIdFor);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('user text in diagrams', () => {
  const model = mustCompile(sequential(NASTY_NAMES.map((name, i) => dense(2, { name, ...(i === 0 ? { inputDim: 3 } : {}) }))));

  for (const styleName of ['keras3', 'keras2']) {
    it(`keeps DOT valid and every name as text in the SVG (${styleName})`, async () => {
      const style = loadStyle(styleName).style!;
      const dot = toDot(model, style);
      const parsed = parseDot(dot); // throws on a DOT syntax error
      expect(parsed.nodes.length).toBe(NASTY_NAMES.length + (styleName === 'keras2' ? 1 : 0));
      const svg = await dotToSvg(dot);
      const texts = svgTexts(svg);
      for (const name of NASTY_NAMES) expect(texts).toContain(name);
      expect(svg).not.toContain('<script');
      expect(svg).not.toMatch(/<b>|<table/);
      // The SVG is well-formed enough that no element other than Graphviz's own appears.
      const tags = new Set([...svg.matchAll(/<([a-zA-Z][\w:-]*)/g)].map((m) => m[1]));
      expect([...tags].sort()).toEqual(['!DOCTYPE', 'g', 'path', 'polygon', 'svg', 'text', 'title', ...(styleName === 'keras2' ? ['polyline'] : [])].filter((t) => t !== '!DOCTYPE').sort());
    });
  }
});

describe('large graphs', () => {
  it('draw a 1200-layer chain: orthogonal routing fails in wasm Graphviz, curved edges are used with a warning', async () => {
    const { renderSvgWithDiagnostics } = await import('../../src/index.js');
    const layers = [dense(4, { inputDim: 4 })];
    for (let i = 1; i < 1200; i++) layers.push(dense(4));
    const { svg, diagnostics } = await renderSvgWithDiagnostics(mustCompile(sequential(layers)));
    expect(diagnostics.map((d) => d.code)).toEqual(['layout-fallback']);
    expect(svgTexts(svg)).toContain('dense_1199');
  });
});
