/**
 * A model from an untrusted pull request: every name in it is hostile. Whatever densegraph
 * writes from it — DOT, SVG, Mermaid, summary tables, the diff review comment, Keras JSON, a
 * spec — must carry the names as text only (issue 6 point 6; DESIGN.md "Rules").
 */
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { diffDot, diffMarkdown, diffMermaid, diffModels } from '../src/backends/diff.js';
import { convertModel } from '../src/backends/convert.js';
import { toDot } from '../src/backends/dot.js';
import { toKerasJson } from '../src/backends/keras-json.js';
import { toMermaid } from '../src/backends/mermaid.js';
import { loadStyle } from '../src/backends/style.js';
import { summaryMarkdown, summaryText } from '../src/backends/summary.js';
import { dotToSvg } from '../src/backends/svg.js';
import { parseModel } from '../src/frontends/load.js';
import type { CompiledModel } from '../src/ir/model.js';
import { compileModel } from '../src/passes/compile.js';
import { loadMermaid, parseDot } from './helpers.js';
import { markdownDom, svgDom } from './md/html.js';

const HOSTILE = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '"];evil[label="x',
  '](javascript:alert(1))',
  '`code` | pipe *em* _u_',
  '<!-- comment -->',
  '&amp;lt;',
  '{braces}',
  'trail\\',
  '%%{init: {"theme":"dark"}}%%',
];

function model(names: readonly string[], units: number, extra = false): CompiledModel {
  const layers = names.map((name, i) => ({ Dense: { units: i === names.length - 1 ? 1 : units, ...(i === 0 ? { input_dim: 4 } : {}), name } }));
  if (extra) layers.splice(1, 0, { Dropout: { rate: 0.5, name: '<svg onload=alert(2)>' } } as never);
  const text = JSON.stringify({ name: '<b>model</b> "x"', layers });
  const parsed = parseModel(text, 'hostile.json');
  const c = compileModel(parsed.model!);
  if (!c.compiled) throw new Error(c.diagnostics.map((d) => d.message).join('\n'));
  return c.compiled;
}

const oldModel = model(HOSTILE, 8);
const newModel = model(HOSTILE, 16, true);
const allNames = [...HOSTILE, '<svg onload=alert(2)>'];

/** No element a page would run or load: scripts, handlers, javascript: links, foreign images. */
function expectInert(doc: Document, where: string) {
  expect(doc.querySelectorAll('script, iframe, object, embed, foreignObject, img[onerror], svg[onload]').length, where).toBe(0);
  for (const el of Array.from(doc.querySelectorAll('*'))) {
    for (const attr of Array.from(el.attributes)) {
      expect(attr.name.startsWith('on'), `${where}: <${el.tagName} ${attr.name}>`).toBe(false);
      expect(/^\s*javascript:/i.test(attr.value), `${where}: ${attr.name}="${attr.value}"`).toBe(false);
    }
  }
}

describe('hostile layer names are inert in every output', () => {
  it('DOT parses, with one node per layer', () => {
    for (const style of ['keras2', 'keras3'] as const) {
      const dot = toDot(newModel, loadStyle(style).style!);
      const parsed = parseDot(dot);
      // One node per layer (keras3 draws a Sequential model's input inside the first layer).
      expect(parsed.nodes).toHaveLength(newModel.layers.length - (style === 'keras3' ? 1 : 0));
    }
    parseDot(diffDot(diffModels(oldModel, newModel), oldModel, newModel));
  });

  it('SVG: no element from a name, every name a text of its own', async () => {
    for (const style of ['keras2', 'keras3'] as const) {
      const svg = await dotToSvg(toDot(newModel, loadStyle(style).style!));
      const doc = svgDom(svg);
      expect(doc.querySelector('parsererror')).toBeNull();
      expectInert(doc, `${style} svg`);
      const texts = Array.from(doc.querySelectorAll('text')).map((t) => t.textContent);
      for (const name of allNames) expect(texts.some((t) => t?.includes(name)), `${style}: ${name}`).toBe(true);
    }
  });

  it('Mermaid: the real parser accepts the diagram and the diff diagram', async () => {
    const mermaid = await loadMermaid();
    await expect(mermaid.parse(toMermaid(newModel))).resolves.toBeTruthy();
    await expect(mermaid.parse(diffMermaid(diffModels(oldModel, newModel), oldModel, newModel))).resolves.toBeTruthy();
    // An init directive in a name must not become one.
    expect(toMermaid(newModel)).not.toMatch(/^%%\{/m);
  });

  it('the summary table and the diff review comment render as text on a Markdown page', () => {
    const pages = { summary: summaryMarkdown(newModel), diff: diffMarkdown(diffModels(oldModel, newModel), oldModel, newModel) };
    for (const [what, markdown] of Object.entries(pages)) {
      const doc = markdownDom(markdown);
      expectInert(doc, what);
      // No link, image or raw HTML element came from a name.
      expect(doc.querySelectorAll('a, img, b, svg').length, what).toBe(0);
      const text = doc.body.textContent ?? '';
      expect(text, what).toContain('<script>alert(1)</script>');
      expect(text, what).toContain('<svg onload=alert(2)>');
    }
    // The diff reports what changed, names included, as a reviewer reads it.
    const rows = Array.from(markdownDom(pages.diff).querySelectorAll('td')).map((td) => td.textContent);
    expect(rows).toContain('<svg onload=alert(2)>');
  });

  it('the plain summary keeps names as they are (a terminal shows text)', () => {
    expect(summaryText(newModel)).toContain('<script>alert(1)</script>');
  });

  it('Keras JSON and the spec carry the names as strings that read back the same', () => {
    const k = JSON.parse(toKerasJson(newModel));
    expect(k.config.layers.map((l: { config: { name: string } }) => l.config.name).slice(1)).toEqual(newModel.layers.slice(1).map((l) => l.name));
    const parsed = parseModel(JSON.stringify({ name: 'm', layers: [{ Dense: { units: 2, input_dim: 3, name: HOSTILE[2] } }] }), 'h.json').model!;
    const spec = convertModel(parsed, compileModel(parsed).compiled!, 'spec').text!;
    expect(parseYaml(spec).layers[0].Dense.name).toBe(HOSTILE[2]);
  });
});
