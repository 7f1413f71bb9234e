import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturePath, readFixture } from '../helpers.js';
import { markdownDom, svgDom } from '../md/html.js';

const bin = fixturePath('bin/densegraph.js');
const tutorial = readFixture('fixtures/markdown/tutorial.md');

/** Runs the built CLI in `cwd` as a user would; returns exit code and both outputs. */
function cli(cwd: string, ...argv: string[]) {
  const r = spawnSync(process.execPath, [bin, ...argv], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A fresh folder holding `files` (relative path → text). */
function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'densegraph-md-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/** The model blocks of a Markdown text, counted independently of the code under test. */
function modelBlockLines(text: string): number[] {
  return text.split(/\r?\n/).flatMap((l, i) => (/^ {0,3}(`{3,}|~{3,})\s*(python\s+)?densegraph\s*$/.test(l) ? [i + 1] : []));
}

/** The image links between markers: [key, alt, href]. */
function links(text: string): [string, string, string][] {
  return [...text.matchAll(/<!-- densegraph:begin (\S+) -->\r?\n!\[(.*)\]\((.*)\)\r?\n<!-- densegraph:end -->/g)].map((m) => [m[1]!, m[2]!, m[3]!]);
}

/** Every file of a folder with its bytes and modification time. */
function snapshot(dir: string): Record<string, [string, number]> {
  return Object.fromEntries(readdirSync(dir).map((f) => [f, [readFileSync(join(dir, f)).toString('base64'), statSync(join(dir, f)).mtimeMs]]));
}

describe('densegraph md', () => {
  it('renders every block of the tutorial, links each image, and a second run changes nothing', () => {
    const dir = workspace({ 'docs/tutorial.md': tutorial });
    const md = join(dir, 'docs/tutorial.md');
    const first = cli(dir, 'md', 'docs/tutorial.md', '--out-dir', 'docs/img');
    expect(first.code, first.stderr).toBe(0);
    const text = readFileSync(md, 'utf8');
    const found = links(text);
    expect(found).toHaveLength(modelBlockLines(tutorial).length);
    expect(found.length).toBeGreaterThanOrEqual(6);
    for (const [key, alt, href] of found) {
      expect(href).toBe(`img/${key}`);
      expect(alt).toBe("Diagram of the model 'sequential'");
      expect(readFileSync(join(dir, 'docs', href), 'utf8')).toMatch(/^<\?xml[\s\S]*<svg[\s\S]*<\/svg>\n?$/);
    }
    // Each link follows its own block: the text between a block and its link is only a blank line.
    const lines = text.split('\n');
    for (const start of modelBlockLines(text)) {
      const close = lines.findIndex((l, i) => i >= start && /^```\s*$/.test(l));
      expect(lines[close + 1]).toBe('');
      expect(lines[close + 2]).toMatch(/^<!-- densegraph:begin /);
    }
    // The same blocks give the same files: identical models share a diagram.
    const images = readdirSync(join(dir, 'docs/img'));
    expect(images.sort()).toEqual([...new Set(found.map(([key]) => key))].sort());
    const before = snapshot(join(dir, 'docs/img'));
    const second = cli(dir, 'md', 'docs/tutorial.md', '--out-dir', 'docs/img');
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/up to date/);
    expect(readFileSync(md, 'utf8')).toBe(text);
    expect(snapshot(join(dir, 'docs/img'))).toEqual(before);
    // Outside the markers the file is the tutorial, byte for byte.
    expect(text.replace(/\n<!-- densegraph:begin \S+ -->\n.*\n<!-- densegraph:end -->\n/g, '')).toBe(tutorial);
  });

  it('writes into the Markdown file\'s folder by default', () => {
    const dir = workspace({ 'a/b/page.md': '```densegraph\nlayers: [{Dense: {units: 2, input_dim: 3}}]\n```\n' });
    expect(cli(dir, 'md', 'a/b/page.md').code).toBe(0);
    const [key, , href] = links(readFileSync(join(dir, 'a/b/page.md'), 'utf8'))[0]!;
    expect(href).toBe(key);
    expect(existsSync(join(dir, 'a/b', key))).toBe(true);
  });

  it('--check passes after a run and fails naming the block after the block is edited; it writes nothing', () => {
    const dir = workspace({ 'tutorial.md': tutorial });
    expect(cli(dir, 'md', 'tutorial.md', '--out-dir', 'img').code).toBe(0);
    const ok = cli(dir, 'md', '--check', 'tutorial.md', '--out-dir', 'img');
    expect(ok.code).toBe(0);
    expect(ok.stderr).toMatch(/up to date/);
    const text = readFileSync(join(dir, 'tutorial.md'), 'utf8');
    const edited = text.replace("model.add(Dense(6, kernel_initializer='uniform', activation='relu'))", "model.add(Dense(16, kernel_initializer='uniform', activation='relu'))");
    expect(edited).not.toBe(text);
    writeFileSync(join(dir, 'tutorial.md'), edited);
    const editedLine = modelBlockLines(edited).find((l) => edited.split('\n').slice(l, l + 8).some((x) => x.includes('Dense(16')))!;
    const before = snapshot(join(dir, 'img'));
    const r = cli(dir, 'md', '--check', 'tutorial.md', '--out-dir', 'img');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`missing: ${join('img', '')}`);
    expect(r.stderr).toContain(`tutorial.md:${editedLine}`);
    expect(r.stderr).toMatch(/tutorial\.md: its diagram links are out of date \(line \d+: link out of date\)/);
    expect(readFileSync(join(dir, 'tutorial.md'), 'utf8')).toBe(edited);
    expect(snapshot(join(dir, 'img'))).toEqual(before);
    // A diagram whose bytes changed on disk is stale.
    expect(cli(dir, 'md', 'tutorial.md', '--out-dir', 'img').code).toBe(0);
    const [key] = links(readFileSync(join(dir, 'tutorial.md'), 'utf8'))[0]!;
    writeFileSync(join(dir, 'img', key), '<svg/>');
    const stale = cli(dir, 'md', '--check', 'tutorial.md', '--out-dir', 'img');
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain(`stale: ${join('img', key)}`);
  });

  it('reports a broken block at its Markdown line and column, and still renders the others (exit 1)', () => {
    const md = ['# Broken', '', '  ```densegraph', '  layers:', '    - Dense: {units: 8, input_dim: 4, activation: rleu}', '  ```', '', '```densegraph', 'layers:', '  - Dense: {units: 2, input_dim: 3}', '```', ''].join('\n');
    const dir = workspace({ 'docs/broken.md': md });
    const r = cli(dir, 'md', 'docs/broken.md');
    expect(r.code).toBe(1);
    const lines = md.split('\n');
    const line = lines.findIndex((l) => l.includes('rleu')) + 1;
    const column = lines[line - 1]!.indexOf('rleu') + 1;
    expect(r.stderr).toContain(`${join('docs', 'broken.md')}:${line}:${column}`);
    expect(r.stderr).toMatch(/unknown activation 'rleu'\. Did you mean 'relu'\?/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    const out = readFileSync(join(dir, 'docs/broken.md'), 'utf8');
    expect(links(out)).toHaveLength(1);
    expect(out.indexOf('densegraph:begin')).toBeGreaterThan(out.indexOf('units: 2'));
  });

  it('a Python block: line numbers of its errors, opt-in and --python', () => {
    const md = [
      '```python densegraph', 'from keras.layers import Dense', 'Dense(4, input_dim=6, activation="rleu")', '```',
      '```python', 'import numpy as np', 'x = np.zeros(3)', '```',
      '```python', 'from keras.models import Sequential', 'from keras.layers import Dense', 'model = Sequential([Dense(3, input_dim=2)])', '```',
      '',
    ].join('\n');
    const dir = workspace({ 'p.md': md });
    const r = cli(dir, 'md', 'p.md');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/p\.md:3:\d+: error: .*rleu/);
    expect(links(readFileSync(join(dir, 'p.md'), 'utf8'))).toHaveLength(0); // plain python blocks are not read
    writeFileSync(join(dir, 'p.md'), md.replace('"rleu"', '"relu"'));
    const withPython = cli(dir, 'md', 'p.md', '--python');
    expect(withPython.code, withPython.stderr).toBe(0);
    expect(withPython.stderr).toMatch(/p\.md:5: note: skipped this python block/);
    expect(links(readFileSync(join(dir, 'p.md'), 'utf8'))).toHaveLength(2);
    // Opted in, a block that builds no model is an error.
    const none = workspace({ 'n.md': '```python densegraph\nimport numpy as np\n```\n' });
    const n = cli(none, 'md', 'n.md');
    expect(n.code).toBe(1);
    expect(n.stderr).toMatch(/n\.md:1: error: found no Keras model/);
  });

  it('--prune removes only diagrams no block uses; without it they are reported', () => {
    const dir = workspace({
      'page.md': '```densegraph\nlayers: [{Dense: {units: 2, input_dim: 3}}]\n```\n',
      'img/densegraph-old-0123456789ab.svg': '<svg/>',
      'img/densegraph-0123456789ab.png': 'png',
      'img/densegraph-logo.svg': '<svg/>',
      'img/notes.svg': '<svg/>',
      'img/densegraph-0123456789ab.svg.txt': 'x',
    });
    const r = cli(dir, 'md', 'page.md', '--out-dir', 'img');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: img.densegraph-old-0123456789ab\.svg is not used by any block any more/);
    expect(r.stderr).toMatch(/warning: img.densegraph-0123456789ab\.png/);
    expect(readdirSync(join(dir, 'img'))).toHaveLength(6);
    const p = cli(dir, 'md', 'page.md', '--out-dir', 'img', '--prune');
    expect(p.code).toBe(0);
    const [key] = links(readFileSync(join(dir, 'page.md'), 'utf8'))[0]!;
    expect(readdirSync(join(dir, 'img')).sort()).toEqual([key, 'densegraph-0123456789ab.svg.txt', 'densegraph-logo.svg', 'notes.svg'].sort());
  });

  it('a block that fails keeps its last diagram linked, and --prune keeps that diagram', () => {
    const dir = workspace({ 'page.md': '```densegraph\nlayers: [{Dense: {units: 2, input_dim: 3}}]\n```\n' });
    expect(cli(dir, 'md', 'page.md').code).toBe(0);
    const linked = readFileSync(join(dir, 'page.md'), 'utf8');
    const [key] = links(linked)[0]!;
    writeFileSync(join(dir, 'page.md'), linked.replace('units: 2', 'units: -2'));
    const r = cli(dir, 'md', 'page.md', '--prune');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/page\.md:2:\d+.*error/);
    expect(links(readFileSync(join(dir, 'page.md'), 'utf8'))[0]![0]).toBe(key);
    expect(existsSync(join(dir, key))).toBe(true);
  });

  it('keeps CRLF line endings', () => {
    const crlf = tutorial.replace(/\n/g, '\r\n');
    const dir = workspace({ 'tutorial.md': crlf });
    expect(cli(dir, 'md', 'tutorial.md', '--out-dir', 'img').code).toBe(0);
    const out = readFileSync(join(dir, 'tutorial.md'), 'utf8');
    expect(out.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(links(out)).toHaveLength(modelBlockLines(tutorial).length);
    expect(out.replace(/\r\n<!-- densegraph:begin \S+ -->\r\n.*\r\n<!-- densegraph:end -->\r\n/g, '')).toBe(crlf);
    expect(cli(dir, 'md', '--check', 'tutorial.md', '--out-dir', 'img').code).toBe(0);
  });

  it('hostile model and layer names are inert in the alt text and in the SVG', () => {
    const md = '```densegraph\nname: "<script>alert(1)</script> ](javascript:x)"\nlayers:\n  - Dense: {units: 8, input_dim: 4, name: "](javascript:x)"}\n  - Dense: {units: 1, name: "\\"];"}\n```\n';
    const dir = workspace({ 'h.md': md });
    const r = cli(dir, 'md', 'h.md');
    expect(r.code, r.stderr).toBe(0);
    const out = readFileSync(join(dir, 'h.md'), 'utf8');
    const [key] = links(out)[0]!;
    expect(key).toMatch(/^densegraph-script-alert-1-script-javascript-x-[0-9a-f]{12}\.svg$/);
    const image = out.split('\n').find((l) => l.startsWith('!['))!;
    const doc = markdownDom(image);
    expect(doc.querySelectorAll('script, a')).toHaveLength(0);
    expect(doc.querySelectorAll('img')).toHaveLength(1);
    expect(doc.querySelector('img')!.getAttribute('alt')).toBe("Diagram of the model '<script>alert(1)</script> ](javascript:x)'");
    expect(doc.querySelector('img')!.getAttribute('src')).toBe(key);
    const svg = readFileSync(join(dir, key), 'utf8');
    expect(svg).not.toMatch(/<script|javascript:x\)"/);
    const svgDoc = svgDom(svg);
    expect(svgDoc.querySelectorAll('script, a, foreignObject')).toHaveLength(0);
    const texts = [...svgDoc.querySelectorAll('text')].map((t) => t.textContent ?? '').join(' ');
    expect(texts).toContain('](javascript:x)');
    expect(texts).toContain('"];');
  });

  it('user mistakes: a missing file exits 1 with a message; bad flags exit 2', () => {
    const dir = workspace({ 'ok.md': '```densegraph\nlayers: [{Dense: {units: 2, input_dim: 3}}]\n```\n' });
    const r = cli(dir, 'md', 'nope.md', 'ok.md');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/nope\.md: error: cannot read 'nope\.md': no such file/);
    expect(links(readFileSync(join(dir, 'ok.md'), 'utf8'))).toHaveLength(1); // the other file is still done
    writeFileSync(join(dir, 'latin1.md'), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a])); // 'café' in Latin-1
    const latin1 = cli(dir, 'md', 'latin1.md');
    expect(latin1.code).toBe(1);
    expect(latin1.stderr).toMatch(/latin1\.md: error: the file is not valid UTF-8/);
    expect(readFileSync(join(dir, 'latin1.md'))).toEqual(Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
    expect(cli(dir, 'md', 'ok.md', '--format', 'pdf').code).toBe(2);
    expect(cli(dir, 'md').code).toBe(2);
    const unclosed = workspace({ 'u.md': 'x\n```densegraph\nlayers: []\n' });
    const u = cli(unclosed, 'md', 'u.md');
    expect(u.code).toBe(1);
    expect(u.stderr).toMatch(/u\.md:2: error: .*not closed/);
  });

  it('--format png writes PNG diagrams', () => {
    const dir = workspace({ 'page.md': '```densegraph\nlayers: [{Dense: {units: 2, input_dim: 3}}]\n```\n' });
    expect(cli(dir, 'md', 'page.md', '--format', 'png', '--style', 'keras2').code).toBe(0);
    const [key] = links(readFileSync(join(dir, 'page.md'), 'utf8'))[0]!;
    expect(key).toMatch(/\.png$/);
    expect(readFileSync(join(dir, key)).subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  });

  it('the showcase docs/tutorial.md is up to date with its diagrams and with fixtures/markdown/tutorial.md', () => {
    const r = cli(fixturePath(''), 'md', '--check', 'docs/tutorial.md', '--out-dir', 'docs/images/tutorial');
    expect(r.code, r.stderr).toBe(0);
    const shown = readFixture('docs/tutorial.md');
    expect(shown.replace(/\n<!-- densegraph:begin \S+ -->\n.*\n<!-- densegraph:end -->\n/g, '')).toBe(tutorial);
    expect(r.stderr).not.toMatch(/warning/); // no leftover diagrams in docs/images/tutorial
  });
});

describe('densegraph md: messages from Python blocks', () => {
  it('name the Markdown line, in the location and in the message text', () => {
    const text = '# Notes\n\nSome text.\n\n```python densegraph\nimport pandas as pd\nX = pd.read_csv("x.csv").values\nmodel = Sequential()\nmodel.add(Dense(8, input_shape=(X.shape[1], 3)))\n```\n';
    const dir = workspace({ 'notes.md': text });
    const r = cli(dir, 'md', 'notes.md');
    expect(r.code, r.stderr).toBe(0);
    // The Dense line is line 9 of the Markdown file (line 4 of the block).
    expect(r.stderr).toMatch(/notes\.md:9:\d+: warning: line 9: input_shape of Dense is not a literal/);
    expect(r.stderr).not.toContain('line 4');
  });
});
