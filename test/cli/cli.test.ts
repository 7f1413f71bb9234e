import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { fixturePath, parseDot, svgTexts } from '../helpers.js';

const exec = promisify(execFile);
const seed = fixturePath('fixtures/seed/binary-classifier.yaml');
const bin = fixturePath('bin/densegraph.js');

/** Runs the CLI in-process with captured output. */
async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}

/** Runs the built CLI as its own process, as a user would. */
async function processCli(...argv: string[]) {
  try {
    const { stdout, stderr } = await exec(process.execPath, [bin, ...argv], { encoding: 'utf8' });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'densegraph-cli-'));
});

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('render', () => {
  it('writes an SVG of the seed model with every shape, following the -o extension', async () => {
    const out = join(dir, 'model.svg');
    const r = await cli('render', seed, '-o', out);
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const texts = svgTexts(readFileSync(out, 'utf8'));
    for (const s of ['(None, 4)', '(None, 8)', '(None, 6)', '(None, 1)', 'dense', 'dense_1', 'dense_2']) expect(texts).toContain(s);
  });

  it('prints DOT for .dot, --format dot, or an SVG to stdout without -o', async () => {
    const out = join(dir, 'model.gv');
    expect((await cli('render', seed, '-o', out)).code).toBe(0);
    expect(parseDot(readFileSync(out, 'utf8')).nodes).toHaveLength(3);
    const dot = await cli('render', seed, '-f', 'dot', '--style', 'keras2', '--rankdir', 'LR', '--dpi', '72', '--show-dtype');
    expect(parseDot(dot.stdout).graph).toMatchObject({ rankdir: 'LR', dpi: '72' });
    expect(dot.stdout).toContain('{dense|Dense|float32}');
    expect((await cli('render', seed)).stdout).toMatch(/^<\?xml[\s\S]*<\/svg>\n$/);
  });

  it('passes the label switches through', async () => {
    const r = await cli('render', seed, '-f', 'dot', '--no-show-shapes', '--no-show-layer-names', '--show-layer-activations', '--show-trainable');
    const label = String(parseDot(r.stdout).nodes[0]!.attrs['label']);
    expect(label).toContain('<b>Dense</b>');
    expect(label).toContain('Activation: <b>relu</b>');
    expect(label).toContain('Trainable');
    expect(label).not.toContain('shape');
  });

  it('reads a style file given by path', async () => {
    const style = write('mine.yaml', 'name: mine\nlabel:\n  format: record\n  template: "{{name}} :: {{class}} :: {{output_shape}}"\n');
    const r = await cli('render', seed, '-f', 'dot', '--style', style);
    expect(parseDot(r.stdout).nodes.map((n) => n.attrs['label'])).toEqual(['input_layer :: InputLayer :: (None, 4)', 'dense :: Dense :: (None, 8)', 'dense_1 :: Dense :: (None, 6)', 'dense_2 :: Dense :: (None, 1)']);
  });

  it('reads the model from stdin with -', async () => {
    const r = await exec('sh', ['-c', `cat '${seed}' | '${process.execPath}' '${bin}' summary - -f json`], { encoding: 'utf8' });
    expect(JSON.parse(r.stdout).totalParams).toBe(101);
  });
});

describe('other formats', () => {
  it('writes Mermaid for .mmd and PNG for .png, the same bytes each time', async () => {
    const mmd = join(dir, 'model.mmd');
    expect((await cli('render', seed, '-o', mmd)).code).toBe(0);
    expect(readFileSync(mmd, 'utf8')).toMatch(/^flowchart TB\n {2}n_dense\["dense \(Dense\)<br>\(None, 4\) → \(None, 8\)"\]/);
    const [a, b] = [join(dir, 'a.png'), join(dir, 'b.png')];
    await processCli('render', seed, '-o', a);
    await processCli('render', seed, '-o', b, '--dpi', '100');
    const png = readFileSync(a);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(974); // the SVG's width at dpi 200
    expect(readFileSync(b).readUInt32BE(16)).toBe(487); // --dpi sets the scale
    await processCli('render', seed, '-o', b);
    expect(readFileSync(b).equals(png)).toBe(true);
  });

  it('draws an expanded nested model with --expand-nested', async () => {
    const r = await cli('render', fixturePath('fixtures/functional/nested-sequential.yaml'), '-f', 'dot', '--expand-nested');
    expect(parseDot(r.stdout).edges).toContainEqual(['features', 'encoder/dense']);
  });
});

describe('summary', () => {
  it('reports 40, 54 and 7 parameters and 101 in all, in the DESIGN.md JSON format', async () => {
    const r = await processCli('summary', seed, '-f', 'json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.layers.filter((l: { class: string }) => l.class === 'Dense').map((l: { params: number }) => l.params)).toEqual([40, 54, 7]);
    expect(j).toMatchObject({ name: 'sequential', totalParams: 101, trainableParams: 101, nonTrainableParams: 0, inputs: ['input_layer'], outputs: ['dense_2'] });
    expect(j.layers[1]).toMatchObject({ name: 'dense', class: 'Dense', inbound: ['input_layer'], inputShapes: [[null, 4]], outputShape: [null, 8], trainableParams: 40, activation: 'relu', dtype: 'float32' });
  });

  it('prints text and markdown', async () => {
    expect((await cli('summary', seed)).stdout).toContain('Total params: 101 (404.00 B)');
    expect((await cli('summary', seed, '-f', 'markdown')).stdout).toContain('| Layer (type) | Output Shape | Param # |');
  });
});

describe('byte-stable output', () => {
  it('gives byte-identical SVG from two separate processes', async () => {
    const a = join(dir, 'a.svg');
    const b = join(dir, 'b.svg');
    const [ra, rb] = await Promise.all([processCli('render', seed, '-o', a), processCli('render', seed, '-o', b)]);
    expect([ra.code, rb.code]).toEqual([0, 0]);
    expect(readFileSync(a, 'utf8')).toBe(readFileSync(b, 'utf8'));
    expect(readFileSync(a, 'utf8')).toBe(readFileSync(fixturePath('fixtures/golden/seed/binary-classifier.svg'), 'utf8'));
  });
});

describe('bad input: exit code 1, one message, no stack trace, no output file', () => {
  const cases: [string, string, RegExp][] = [
    ['unknown activation', 'layers:\n  - Dense: {units: 8, input_dim: 4, activation: rleu}\n', /bad\.yaml:2:49 \(at layers\[0\]\.Dense\.activation\): error: Dense argument 'activation': unknown activation 'rleu'\. Did you mean 'relu'\?/],
    ['unknown initializer', 'layers:\n  - Dense: {units: 8, input_dim: 4, kernel_initializer: glorot_unifrom}\n', /unknown initializer 'glorot_unifrom'\. Did you mean 'glorot_uniform'\?/],
    ['units zero', 'layers:\n  - Dense: {units: 0, input_dim: 4}\n', /'units': expected a positive integer, got 0/],
    ['units not an integer', 'layers:\n  - Dense: {units: 2.5, input_dim: 4}\n', /'units': expected a positive integer, got number 2\.5/],
    ['no input shape', 'layers:\n  - Dense: {units: 8}\n  - Dense: {units: 1}\n', /the model has no input shape: its first layer \(Dense\) has no input_dim/],
    ['Dense on rank 1', 'layers:\n  - InputLayer: {shape: []}\n  - Dense: 8\n', /Dense needs an input of rank 2 or more.*got \(None,\)/],
    ['malformed YAML', 'layers:\n  - Dense: {units: 8\n  - Dense: 3\n', /bad\.yaml:3:3: error: malformed YAML/],
    ['unknown argument', 'layers:\n  - Dense: {units: 8, input_dim: 4, activaton: relu}\n', /Dense has no argument 'activaton'\. Did you mean 'activation'\?\n  hint: valid arguments of Dense: units, activation/],
    ['merging incompatible shapes', 'inputs: {a: [16], b: [32]}\nlayers:\n  - Add: {name: sum}\n    inbound: [a, b]\noutputs: sum\n', /layer 'sum' \(Add\): .*\(None, 16\).*\(None, 32\).*\(input \(None, 16\) from 'a', \(None, 32\) from 'b'\)/],
    ['a cycle', 'inputs: {x: [4]}\nlayers:\n  - Dense: {units: 4, name: p}\n    inbound: q\n  - Dense: {units: 4, name: q}\n    inbound: p\noutputs: q\n', /error: the layers 'p', 'q' form a cycle/],
    ['a missing inbound layer', 'inputs: {x: [4]}\nlayers:\n  - Dense: {units: 4, name: p}\n    inbound: nope\noutputs: p\n', /bad\.yaml:3:\d+.*error: layer 'p' takes its input from 'nope', but no layer or input has that name/],
    ['duplicate layer names', 'layers:\n  - Dense: {units: 4, input_dim: 2, name: twin}\n  - Dense: {units: 4, name: twin}\n', /error: two layers are named 'twin' \(first declared at line 2\)/],
    ['an output that is not produced', 'inputs: {x: [4]}\nlayers:\n  - Dense: {units: 4, name: p}\noutputs: [p, ghost]\n', /error: the model names as an output 'ghost', but no layer or input has that name/],
  ];
  for (const [what, text, message] of cases) {
    it(what, async () => {
      const model = write('bad.yaml', text);
      const out = join(dir, `${what.replace(/\W/g, '_')}.svg`);
      const r = await processCli('render', model, '-o', out);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(existsSync(out)).toBe(false);
    });
  }

  it('malformed JSON, with line and column', async () => {
    const model = write('bad.json', '{"layers": [\n  {"Dense": {"units": 8,}}\n]}\n');
    const r = await cli('summary', model);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.json:2:25: error: malformed JSON: Expected double-quoted property name/);
  });

  it('an unused input is a warning only', async () => {
    const model = write('unused.yaml', 'inputs: {x: [4], spare: [2]}\nlayers:\n  - Dense: {units: 4, name: p}\n    inbound: x\noutputs: p\n');
    const r = await cli('render', model, '-f', 'dot');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: input 'spare' of model 'functional' does not lead to any output/);
  });

  it('a --layer-range that names no layer', async () => {
    const r = await cli('render', seed, '-f', 'dot', '--layer-range', 'dense:dense_9');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--layer-range names 'dense_9', which is not a layer of model 'sequential'\. Did you mean 'dense_1'\?/);
  });

  it('a missing file', async () => {
    const r = await processCli('render', join(dir, 'nope.yaml'), '-o', join(dir, 'nope.svg'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot read '.*nope\.yaml': no such file/);
    expect(existsSync(join(dir, 'nope.svg'))).toBe(false);
  });

  it('a file over the size limit', async () => {
    const r = await cli('summary', seed, '--max-bytes', '10');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/more than the limit of 10 bytes/);
  });

  it('leaves no temporary files behind', () => {
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('usage errors: exit code 2', () => {
  for (const argv of [
    ['render', seed, '--rankdir', 'SIDEWAYS'],
    ['render', seed, '--dpi', 'lots'],
    ['render', seed, '--bogus'],
    ['render', seed, '-o', 'model.pdf'],
    ['render', seed, '-f', 'gif'],
    ['summary', seed, '-f', 'yaml'],
    ['render', seed, '--layer-range', 'dense'],
    ['render'],
    ['frobnicate'],
    [],
  ]) {
    it(argv.join(' ') || '(no arguments)', async () => {
      const r = await cli(...argv);
      expect(r.code).toBe(2);
      expect(r.stderr).not.toBe('');
    });
  }

  it('--help and --version exit 0', async () => {
    expect(await cli('--help')).toMatchObject({ code: 0 });
    expect((await cli('render', '--help')).stdout).toContain('--show-layer-activations');
    expect((await cli('--version')).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});

describe('batch rendering', () => {
  it('renders many models into --out-dir in one process, and --check finds stale and missing diagrams', async () => {
    const out = join(dir, 'batch');
    const models = ['binary-classifier', 'dense-8-relu', 'hidden-relu'].map((m) => fixturePath(`fixtures/seed/${m}.yaml`));
    expect((await cli('render', ...models, '--out-dir', out)).code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['binary-classifier.svg', 'dense-8-relu.svg', 'hidden-relu.svg']);
    expect(readFileSync(join(out, 'binary-classifier.svg'), 'utf8')).toBe(readFileSync(fixturePath('fixtures/golden/seed/binary-classifier.svg'), 'utf8'));
    const fresh = await cli('render', ...models, '--out-dir', out, '--check');
    expect(fresh).toMatchObject({ code: 0 });
    expect(fresh.stderr).toContain('3 diagrams up to date');
    writeFileSync(join(out, 'dense-8-relu.svg'), 'old');
    const stale = await cli('render', ...models, '--out-dir', out, '--check', '-f', 'svg');
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain(`stale: ${join(out, 'dense-8-relu.svg')}`);
    expect(readFileSync(join(out, 'dense-8-relu.svg'), 'utf8')).toBe('old'); // --check writes nothing
    expect((await cli('render', ...models, '--out-dir', join(dir, 'mmd'), '-f', 'mermaid')).code).toBe(0);
    expect(readdirSync(join(dir, 'mmd'))).toContain('hidden-relu.mmd');
  });

  it('a bad model is reported and the others are still rendered, exit 1', async () => {
    const bad = write('broken.yaml', 'layers:\n  - Dense: {units: 0, input_dim: 2}\n');
    const out = join(dir, 'partial');
    const r = await cli('render', bad, seed, '--out-dir', out);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("'units': expected a positive integer, got 0");
    expect(readdirSync(out)).toEqual(['binary-classifier.svg']);
  });

  it('expands glob patterns itself (quoted, as CI configs pass them); folders below the shared one are kept', async () => {
    const out = join(dir, 'globbed');
    const r = await cli('render', fixturePath('fixtures/tfjs/*/*.json'), fixturePath('fixtures/seed/d*.yaml'), '--out-dir', out, '-f', 'dot');
    expect(r).toMatchObject({ code: 0 });
    const files = (sub: string) => readdirSync(join(out, sub)).sort();
    // The models share fixtures/: tfjs/<case>/… and seed/… are kept below it, so the two model.json do not collide.
    expect(readdirSync(out).sort()).toEqual(['seed', 'tfjs']);
    expect(files('seed')).toEqual(['dense-8-relu.dot']);
    expect(files('tfjs')).toEqual(['t1_tfjs_examples_abalone', 't3_tfjs_e2e_embedding_gru', 't4_tfjs_rn_bundle_list_config']);
    expect(files('tfjs/t1_tfjs_examples_abalone')).toEqual(['model.dot']);
    expect(files('tfjs/t4_tfjs_rn_bundle_list_config')).toEqual(['bundle_model_test.dot']);
    // The same files named one by one give the same result; --check agrees.
    const again = await cli('render', fixturePath('fixtures/tfjs/*/*.json'), fixturePath('fixtures/seed/d*.yaml'), '--out-dir', out, '-f', 'dot', '--check');
    expect(again).toMatchObject({ code: 0 });
    expect(again.stderr).toContain('4 diagrams up to date');
    const none = await cli('render', fixturePath('fixtures/nothing-here/*.yaml'), '--out-dir', out);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("no file matches the pattern");
  });

  it('several models without --out-dir, or -o with --out-dir, are usage errors', async () => {
    expect((await cli('render', seed, seed)).code).toBe(2);
    expect((await cli('render', seed, '--out-dir', dir, '-o', 'x.svg')).code).toBe(2);
    expect((await cli('render', seed, '--check')).code).toBe(2);
  });
});
