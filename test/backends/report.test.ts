import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadStyle, renderSvg, reportHtml, summaryJsonObject, type CompiledModel } from '../../src/index.js';
import { inlineSvg, jsonForScript, type ReportData } from '../../src/backends/report.js';
import { formatCount } from '../../src/ir/shape.js';
import { run } from '../../src/cli/main.js';
import { compileSpec, fixturePath, readFixture } from '../helpers.js';

/** Layer names that are markup, DOT syntax or entities in other languages: each is only a name. */
const HOSTILE_NAMES = ['</script><script>alert(1)</script>', '<img src=x onerror=alert(1)>', '"];', 'a &amp; b -->', 'line\u2028sep\u2029end'];

function hostileSpec(): string {
  const [a, b, c, d, e] = HOSTILE_NAMES.map((n) => JSON.stringify(n));
  return `name: ${JSON.stringify('hostile <b>model</b> & co')}
layers:
  - Dense: {units: 8, input_dim: 4, activation: relu, name: ${a}}
  - Dense: {units: 6, activation: relu, name: ${b}}
  - Dense: {units: 3, name: ${c}}
  - Dense: {units: 2, name: ${d}}
  - Dense: {units: 1, activation: sigmoid, name: ${e}}
`;
}

function dataIsland(html: string): string {
  const m = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html);
  if (!m) throw new Error('the page has no data island');
  return m[1]!;
}

function pageData(html: string): ReportData {
  return JSON.parse(dataIsland(html)) as ReportData;
}

const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('base64');

let seed: CompiledModel;
let seedSvg: string;
let seedHtml: string;
let hostile: CompiledModel;
let hostileHtml: string;

beforeAll(async () => {
  seed = compileSpec(readFixture('fixtures/seed/binary-classifier.yaml'));
  seedSvg = await renderSvg(seed);
  seedHtml = reportHtml(seed, seedSvg);
  hostile = compileSpec(hostileSpec());
  hostileHtml = reportHtml(hostile, await renderSvg(hostile));
});

describe('reportHtml', () => {
  it('is deterministic: the same model gives a byte-identical page, the SVG drawn anew included', async () => {
    const again = reportHtml(compileSpec(readFixture('fixtures/seed/binary-classifier.yaml')), await renderSvg(seed));
    expect(again).toBe(seedHtml);
    expect(reportHtml(seed, seedSvg, { theme: 'dark' })).not.toBe(seedHtml);
  });

  it('has a Content-Security-Policy that allows no network and only its own script and style, by hash', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(seedHtml)?.[1]?.replace(/&#39;/g, "'");
    expect(csp).toBeDefined();
    const directives = Object.fromEntries(csp!.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v.join(' ')]));
    expect(directives['default-src']).toBe("'none'");
    expect(directives['img-src']).toBe('data:');
    const script = /<script>([\s\S]*?)<\/script>/.exec(seedHtml)![1]!;
    const style = /<style>([\s\S]*?)<\/style>/.exec(seedHtml)![1]!;
    expect(directives['script-src']).toBe(`'sha256-${sha(script)}'`);
    expect(directives['style-src']).toBe(`'sha256-${sha(style)}'`);
    // The policy comes before anything it governs.
    expect(seedHtml.indexOf('Content-Security-Policy')).toBeLessThan(seedHtml.indexOf('<style>'));
  });

  it('names no http(s) address and loads nothing: no src, no external link, no @import or url()', () => {
    expect(seedHtml).not.toMatch(/https?:\/\//i);
    expect(seedHtml).not.toMatch(/\ssrc=/i);
    expect(seedHtml).not.toMatch(/@import|url\(/i);
    expect([...seedHtml.matchAll(/<link\b[^>]*>/g)].map((m) => m[0])).toEqual(['<link rel="icon" href="data:,">']);
  });

  it('inlines the diagram without prolog, doctype or comments', () => {
    expect(seedSvg).toMatch(/<\?xml|<!DOCTYPE svg|<!--/);
    const inline = inlineSvg(seedSvg);
    expect(inline).toMatch(/^<svg\b/);
    expect(inline).not.toMatch(/<\?xml|<!DOCTYPE|<!--|xmlns/);
    expect(seedHtml).toContain(inline);
    expect(inlineSvg('<svg><script>alert(1)</script><foreignObject><p>x</p></foreignObject><g/></svg>')).toBe('<svg><g/></svg>');
  });

  it('writes the summary numbers of summaryJsonObject, in the table and the data', () => {
    for (const model of [seed, compileSpec(readFixture('fixtures/functional/wide-deep-two-outputs.yaml'))]) {
      const html = model === seed ? seedHtml : reportHtml(model, seedSvg);
      const expected = summaryJsonObject(model);
      const data = pageData(html);
      expect({ total: data.totalParams, trainable: data.trainableParams, frozen: data.nonTrainableParams }).toEqual({
        total: expected.totalParams,
        trainable: expected.trainableParams,
        frozen: expected.nonTrainableParams,
      });
      expect(data.layers.map((l) => [l.name, l.class, l.params, l.trainableParams, l.inbound])).toEqual(expected.layers.map((l) => [l.name, l.class, l.params, l.trainableParams, l.inbound]));
      const rows = [...html.matchAll(/<tr data-index="(\d+)"[^>]*><td class="name">([^<]*)<\/td><td>([^<]*)<\/td><td><code>[^<]*<\/code><\/td><td class="num">([^<]*)<\/td>/g)];
      expect(rows.map((r) => [r[2], r[3], r[4]])).toEqual(expected.layers.map((l) => [l.name, l.class, formatCount(l.params)]));
      expect(/<dd id="total-params">([^<]*)</.exec(html)?.[1]).toBe(formatCount(expected.totalParams));
      expect(/<dd id="trainable-params">([^<]*)</.exec(html)?.[1]).toBe(formatCount(expected.trainableParams));
      expect(/<dd id="non-trainable-params">([^<]*)</.exec(html)?.[1]).toBe(formatCount(expected.nonTrainableParams));
    }
  });

  it('gives each diagram node the layer it draws, by the DOT node id in its <title>', () => {
    const data = pageData(seedHtml);
    const titles = [...inlineSvg(seedSvg).matchAll(/<g id="node\d+" class="node">\s*<title>([^<]*)<\/title>/g)].map((m) => m[1]);
    expect(titles).toEqual(['dense', 'dense_1', 'dense_2']);
    expect(data.nodes.map(([id, i]) => [id, data.layers[i]!.name])).toEqual(titles.map((t) => [t, t]));
    expect(data.layers[2]).toMatchObject({ name: 'dense_1', inputShapes: ['(None, 8)'], outputShapes: ['(None, 6)'], params: 54, activation: 'relu', weights: [{ name: 'kernel', shape: '(8, 6)', trainable: true }, { name: 'bias', shape: '(6,)', trainable: true }] });
    expect(data.layers[2]!.config).toContainEqual(['kernel_initializer', '"uniform"']);
  });
});

describe('the data island', () => {
  it('cannot close its <script> element: < > & U+2028 U+2029 are \\u escapes', () => {
    const island = dataIsland(hostileHtml);
    expect(island).not.toMatch(/[<>&\u2028\u2029]/);
    expect(island).toContain('\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e');
    expect(island).toContain('\\u2028');
    expect(JSON.parse(island).layers.map((l: { name: string }) => l.name)).toEqual(['input_layer', ...HOSTILE_NAMES]);
    expect(jsonForScript({ s: '</script>&\u2028' })).toBe('{"s":"\\u003c/script\\u003e\\u0026\\u2028"}');
  });

  it('leaves exactly two script elements and no markup from names in the page', () => {
    expect(hostileHtml.match(/<script\b/gi)).toHaveLength(2);
    expect(hostileHtml.match(/<\/script/gi)).toHaveLength(2);
    expect(hostileHtml).not.toMatch(/<img\b/i);
    expect(hostileHtml).not.toContain('<b>model</b>');
    expect(hostileHtml).toContain('<h1>hostile &lt;b&gt;model&lt;/b&gt; &amp; co</h1>');
    expect(hostileHtml).toContain('<td class="name">a &amp;amp; b --&gt;</td>');
  });
});

describe('densegraph report', () => {
  function io() {
    const out = { stdout: '', stderr: '' };
    return { out, io: { stdout: (t: string | Uint8Array) => void (out.stdout += String(t)), stderr: (t: string) => void (out.stderr += t) } };
  }

  it('writes the page to -o, the same as the library gives', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'densegraph-report-'));
    const file = join(dir, 'model.html');
    const { out, io: fake } = io();
    expect(await run(['report', fixturePath('fixtures/seed/binary-classifier.yaml'), '-o', file, '--theme', 'dark'], fake)).toBe(0);
    expect(out.stderr).toBe('');
    const html = readFileSync(file, 'utf8');
    const style = loadStyle('keras3').style!;
    expect(html).toBe(reportHtml(seed, seedSvg, { theme: 'dark', style }));
    expect(html).toContain('<html lang="en" data-theme="dark">');
  });

  it('prints to stdout without -o; exit 2 for a bad --theme, 1 for a bad model', async () => {
    const a = io();
    expect(await run(['report', fixturePath('fixtures/seed/binary-classifier.yaml'), '--style', 'keras2'], a.io)).toBe(0);
    expect(a.out.stdout).toMatch(/^<!DOCTYPE html>/);
    expect(a.out.stdout).toContain('font-family="Times,serif"');
    const b = io();
    expect(await run(['report', fixturePath('fixtures/seed/binary-classifier.yaml'), '--theme', 'purple'], b.io)).toBe(2);
    expect(b.out.stderr).toMatch(/--theme/);
    const c = io();
    expect(await run(['report', fixturePath('fixtures/seed/no-such-model.yaml')], c.io)).toBe(1);
    expect(c.out.stdout).toBe('');
  });
});
