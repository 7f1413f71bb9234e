import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { kerasWeightPaths, readKerasWeights, type WeightContainer } from '../../src/frontends/keras-weights.js';
import { loadModel } from '../../src/frontends/load.js';
import { compileModel } from '../../src/passes/compile.js';
import type { CompiledModel } from '../../src/ir/model.js';
import { fixturePath } from '../helpers.js';

const exec = promisify(execFile);
const bin = fixturePath('bin/densegraph.js');
const fixture = (name: string) => fixturePath(`fixtures/keras-archive/${name}`);

async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, { stdout: (t) => void (stdout += String(t)), stderr: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}

/** The built CLI in its own process: exit code and both streams (`npm run build` first). */
async function processCli(...argv: string[]) {
  try {
    const { stdout, stderr } = await exec(process.execPath, [bin, ...argv]);
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

interface Reference {
  inputs: Record<string, number[][]>;
  h5_paths: Record<string, string>;
  outputs: number[][];
}
const reference = (stem: string) => JSON.parse(readFileSync(fixture(`${stem}.predictions.json`), 'utf8')) as Reference;
/** `--input` for a reference: the array for one input, the object by name for several. */
const inputArg = (ref: Reference) => {
  const names = Object.keys(ref.inputs);
  return JSON.stringify(names.length === 1 ? ref.inputs[names[0]!] : ref.inputs);
};

function expectClose(got: number[][], want: number[][]) {
  expect(got.length).toBe(want.length);
  got.forEach((row, i) => {
    expect(row.length).toBe(want[i]!.length);
    row.forEach((v, j) => expect(Math.abs(v - want[i]![j]!)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(want[i]![j]!))));
  });
}

/** The seed archive's entries, to build variants of it. */
const seedEntries = () => unzipSync(new Uint8Array(readFileSync(fixture('seed.keras'))));
const seedConfig = () => JSON.parse(new TextDecoder().decode(seedEntries()['config.json']!)) as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } };

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'densegraph-keras-weights-'));
});
function writeArchive(name: string, files: Record<string, string | Uint8Array | object>): string {
  const p = join(dir, name);
  const entries = Object.fromEntries(Object.entries(files).map(([k, v]) => [k, typeof v === 'string' ? strToU8(v) : v instanceof Uint8Array ? v : strToU8(JSON.stringify(v))]));
  writeFileSync(p, zipSync(entries));
  return p;
}
async function compiledArchive(bytes: Uint8Array, name: string): Promise<CompiledModel> {
  const p = writeArchive(name, unzipSync(bytes));
  const loaded = await loadModel(p);
  return compileModel(loaded.model!).compiled!;
}

describe('Keras 3 weight paths (layers/<snake_case class>[_k])', () => {
  const L = (className: string, name: string, model?: WeightContainer) => ({ className, name, ...(model ? { model } : {}) });

  it('counts per class name, two classes interleaved; a Sequential leaves its InputLayer out', () => {
    const model: WeightContainer = {
      kind: 'Sequential',
      layers: [L('InputLayer', 'in'), L('Dense', 'a'), L('BatchNormalization', 'b'), L('Dense', 'c'), L('BatchNormalization', 'd'), L('Dense', 'e'), L('PReLU', 'f')],
    };
    expect(Object.fromEntries(kerasWeightPaths(model))).toEqual({
      a: 'layers/dense',
      b: 'layers/batch_normalization',
      c: 'layers/dense_1',
      d: 'layers/batch_normalization_1',
      e: 'layers/dense_2',
      f: 'layers/p_re_lu',
    });
  });

  it('a Functional keeps its InputLayers; they only count against each other', () => {
    const model: WeightContainer = { kind: 'Functional', layers: [L('InputLayer', 'x'), L('InputLayer', 'y'), L('Dense', 'dense_9'), L('Dense', 'dense')] };
    expect(Object.fromEntries(kerasWeightPaths(model))).toEqual({ x: 'layers/input_layer', y: 'layers/input_layer_1', dense_9: 'layers/dense', dense: 'layers/dense_1' });
  });

  it('nested models: a counter per container, paths under the nested model', () => {
    const inner = (n: string): WeightContainer => ({ kind: 'Sequential', layers: [L('InputLayer', `${n}_in`), L('Dense', `${n}1`), L('Dense', `${n}2`)] });
    const deep: WeightContainer = { kind: 'Functional', layers: [L('InputLayer', 'i'), L('Dense', 'd'), L('Sequential', 'inner', inner('s'))] };
    const model: WeightContainer = {
      kind: 'Functional',
      layers: [L('InputLayer', 'x'), L('Sequential', 'enc', inner('e')), L('Dense', 'head'), L('Sequential', 'dec', inner('d')), L('Functional', 'sub', deep)],
    };
    expect(Object.fromEntries(kerasWeightPaths(model))).toEqual({
      x: 'layers/input_layer',
      enc: 'layers/sequential',
      'enc/e1': 'layers/sequential/layers/dense',
      'enc/e2': 'layers/sequential/layers/dense_1',
      head: 'layers/dense',
      dec: 'layers/sequential_1',
      'dec/d1': 'layers/sequential_1/layers/dense',
      'dec/d2': 'layers/sequential_1/layers/dense_1',
      sub: 'layers/functional',
      'sub/i': 'layers/functional/layers/input_layer',
      'sub/d': 'layers/functional/layers/dense',
      'sub/inner': 'layers/functional/layers/sequential',
      'sub/inner/s1': 'layers/functional/layers/sequential/layers/dense',
      'sub/inner/s2': 'layers/functional/layers/sequential/layers/dense_1',
    });
  });

  it.each(['seed', 'functional', 'nested'])('%s.keras: the same paths as the fixture script derived independently', async (stem) => {
    const loaded = await loadModel(fixture(`${stem}.keras`));
    const paths = kerasWeightPaths(loaded.model!);
    const want = reference(stem).h5_paths;
    expect(Object.keys(want).length).toBeGreaterThan(2);
    for (const [name, path] of Object.entries(want)) expect([name, paths.get(name)]).toEqual([name, path]);
  });
});

describe('.keras stored weights', () => {
  it.each(['seed', 'functional', 'nested'])('%s.keras: run uses model.weights.h5 and matches numpy (float64) to 1e-5', async (stem) => {
    const ref = reference(stem);
    const r = await cli('run', fixture(`${stem}.keras`), '--input', inputArg(ref));
    expect(r.stderr).toBe(`densegraph: using the weights stored with the model (${fixture(`${stem}.keras`)})\n`);
    expect(r.code).toBe(0);
    expectClose(JSON.parse(r.stdout).outputs, ref.outputs);
  });

  it('the built CLI: same predictions, exit 0', async () => {
    const ref = reference('functional');
    const r = await processCli('run', fixture('functional.keras'), '--input', inputArg(ref));
    expect(r.stderr).toMatch(/using the weights stored with the model/);
    expect(r.code).toBe(0);
    expectClose(JSON.parse(r.stdout).outputs, ref.outputs);
  });

  it('--weights still wins over the stored weights', async () => {
    const p = join(dir, 'w.json');
    const zeros = (r: number, c: number) => Array.from({ length: r }, () => Array.from({ length: c }, () => 0));
    writeFileSync(p, JSON.stringify({ 'dense/kernel': zeros(4, 8), 'dense/bias': Array(8).fill(0), 'dense_1/kernel': zeros(8, 6), 'dense_1/bias': Array(6).fill(0), 'dense_2/kernel': zeros(6, 1), 'dense_2/bias': [0] }));
    const r = await cli('run', fixture('seed.keras'), '--input', '[[1,2,3,4]]', '--weights', p);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).outputs).toEqual([[0.5]]);
  });

  it('train starts from the stored weights', async () => {
    const ref = reference('seed');
    const csv = join(dir, 'd.csv');
    writeFileSync(csv, `${ref.inputs['input']!.map((row) => [...row, 1].join(',')).join('\n')}\n`);
    const saved = join(dir, 'trained.json');
    const r = await cli('train', fixture('seed.keras'), '--data', csv, '--optimizer', 'sgd', '--lr', '1e-30', '--save-weights', saved, '--format', 'json');
    expect(r.stderr).toMatch(/using the weights stored with the model/);
    expect(r.code).toBe(0);
    const again = await cli('run', fixturePath('fixtures/seed/binary-classifier.yaml'), '--input', inputArg(ref), '--weights', saved);
    expectClose(JSON.parse(again.stdout).outputs, ref.outputs);
  });

  it('float64 datasets are converted', async () => {
    const ref = reference('seed');
    const p = writeArchive('f64.keras', { ...seedEntries(), 'model.weights.h5': new Uint8Array(readFileSync(fixture('seed-float64.weights.h5'))) });
    const r = await cli('run', p, '--input', inputArg(ref));
    expect(r.code).toBe(0);
    expectClose(JSON.parse(r.stdout).outputs, ref.outputs);
  });

  it('mismatched shapes: every variable named with both shapes', async () => {
    const config = seedConfig();
    config.config.layers[2]!.config['units'] = 5;
    const p = writeArchive('shapes.keras', { ...seedEntries(), 'config.json': config });
    const r = await cli('run', p, '--input', '[[1,2,3,4]]');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n').filter((l) => !l.startsWith('  hint'));
    expect(lines).toEqual([
      `densegraph: ${p}!/model.weights.h5 (at layers/dense_1/vars/0): error: 'layers/dense_1/vars/0' has shape (8, 6), the model's 'dense_1/kernel' needs (8, 5)`,
      `densegraph: ${p}!/model.weights.h5 (at layers/dense_1/vars/1): error: 'layers/dense_1/vars/1' has shape (6,), the model's 'dense_1/bias' needs (5,)`,
      `densegraph: ${p}!/model.weights.h5 (at layers/dense_2/vars/0): error: 'layers/dense_2/vars/0' has shape (6, 1), the model's 'dense_2/kernel' needs (5, 1)`,
    ]);
  });

  it('missing and extra variables are all listed', async () => {
    const more = seedConfig();
    const extra = structuredClone(more.config.layers[3]!);
    extra.config['name'] = 'dense_3';
    more.config.layers.push(extra);
    const m = await cli('run', writeArchive('more.keras', { ...seedEntries(), 'config.json': more }), '--input', '[[1,2,3,4]]');
    expect(m.code).toBe(1);
    expect(m.stderr).toMatch(/model\.weights\.h5 has no 'layers\/dense_3\/vars\/0' for the model's 'dense_3\/kernel' \(expected shape \(1, 1\)\)/);
    expect(m.stderr).toMatch(/no 'layers\/dense_3\/vars\/1' for the model's 'dense_3\/bias'/);
    const fewer = seedConfig();
    fewer.config.layers.pop();
    fewer.config.layers[2]!.config['units'] = 6;
    const f = await cli('run', writeArchive('fewer.keras', { ...seedEntries(), 'config.json': fewer }), '--input', '[[1,2,3,4]]');
    expect(f.code).toBe(1);
    expect(f.stderr.match(/error: /g)).toHaveLength(2);
    expect(f.stderr).toMatch(/model\.weights\.h5 has 'layers\/dense_2\/vars\/0' \(shape \(6, 1\)\), which is no variable of the model/);
    expect(f.stderr).toMatch(/has 'layers\/dense_2\/vars\/1' \(shape \(1,\)\)/);
  });

  it('a non-float dataset: a clear error naming it and its dtype', async () => {
    const p = writeArchive('int.keras', { ...seedEntries(), 'model.weights.h5': new Uint8Array(readFileSync(fixture('seed-int32-bias.weights.h5'))) });
    const r = await cli('run', p, '--input', '[[1,2,3,4]]');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/'layers\/dense_2\/vars\/1' \(the model's 'dense_2\/bias'\) is int32; densegraph reads float32 weights/);
  });

  it('no model.weights.h5: initial weights, with a note', async () => {
    const { 'model.weights.h5': _, ...rest } = seedEntries();
    const p = writeArchive('config-only.keras', rest);
    const r = await cli('run', p, '--input', '[[1,2,3,4]]', '--seed', '3');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: the archive has no model\.weights\.h5; the weights are initialised instead/);
    const fresh = await cli('run', fixturePath('fixtures/seed/binary-classifier.yaml'), '--input', '[[1,2,3,4]]', '--seed', '3');
    expect(r.stdout).toBe(fresh.stdout);
  });

  it('model.weights.npz: said not to be read, initial weights', async () => {
    const { 'model.weights.h5': _, ...rest } = seedEntries();
    const r = await cli('run', writeArchive('npz.keras', { ...rest, 'model.weights.npz': new Uint8Array(16) }), '--input', '[[1,2,3,4]]');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/stores its weights as model\.weights\.npz, which densegraph does not read; the weights are initialised instead/);
  });

  it('size limit: model.weights.h5 larger than the limit is refused before inflating', async () => {
    const bytes = new Uint8Array(readFileSync(fixture('seed.keras')));
    const model = await compiledArchive(bytes, 'limit.keras');
    const h5size = seedEntries()['model.weights.h5']!.length;
    const r = await readKerasWeights(bytes, 'limit.keras', model, { maxWeightBytes: 1000 });
    expect(r.weights).toBeUndefined();
    expect(r.diagnostics.map((d) => [d.code, d.message])).toEqual([['weights-too-large', `model.weights.h5 would be ${h5size} bytes uncompressed, more than the limit of 1000 bytes`]]);
    expect(r.diagnostics[0]!.hint).toMatch(/at most 1000 bytes/);
    const ok = await readKerasWeights(bytes, 'limit.keras', model, { maxWeightBytes: h5size });
    expect(ok.diagnostics).toEqual([]);
    expect(ok.weights!.get('dense_2/bias')!.shape).toEqual([1]);
  });
});

describe('hostile or odd archives: a clear error, exit 1, no stack trace', () => {
  const cases: [string, () => Uint8Array, RegExp][] = [
    ['not HDF5', () => strToU8('this is not an HDF5 file at all, just text'.repeat(20)), /model\.weights\.h5 is not an HDF5 file \(it does not start with the HDF5 signature\)/],
    ['truncated HDF5', () => seedEntries()['model.weights.h5']!.subarray(0, 900), /cannot read model\.weights\.h5: the HDF5 reader \(jsfive\) stopped on "Offset is outside the bounds/],
    ['an HDF5 layout jsfive does not read (1.10 chunked)', () => new Uint8Array(readFileSync(fixture('seed-chunked-latest.weights.h5'))), /cannot read model\.weights\.h5 at 'layers\/dense\/vars\/0': the HDF5 reader \(jsfive\) stopped on a structure it does not support, or a damaged one/],
    ['groups that link back to an ancestor (a cycle)', () => new Uint8Array(readFileSync(fixture('seed-cycle.weights.h5'))), /model\.weights\.h5 has groups nested deeper than 64 levels \(at 'layers\/dense\/loop\/dense\/loop\/[a-z/]+…'\); links may form a cycle, more than densegraph looks at/],
    ['HDF5 signature then garbage', () => new Uint8Array([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a, ...Array.from({ length: 600 }, (_, i) => (i * 37) & 0xff)]), /cannot read model\.weights\.h5/],
  ];
  it.each(cases)('%s', async (name, h5, message) => {
    const p = writeArchive(`${name.replace(/\W+/g, '-')}.keras`, { ...seedEntries(), 'model.weights.h5': h5() });
    const r = await processCli('run', p, '--input', '[[1,2,3,4]]');
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toMatch(/\n\s+at |bug/);
  });
});
