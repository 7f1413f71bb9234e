import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { fixturePath } from '../helpers.js';

async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, { stdout: (t) => void (stdout += String(t)), stderr: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}

const seed = fixturePath('fixtures/seed/binary-classifier.yaml');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'densegraph-exec-'));
});
const write = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('densegraph run', () => {
  it('prints outputs, loss and every gradient in the DESIGN.md format', async () => {
    const r = await cli('run', seed, '--input', '[[1, 2, 3, 4], [0, 1, 0, 1]]', '--target', '[[1], [0]]', '--loss', 'binary_crossentropy', '--seed', '3');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j)).toEqual(['outputs', 'loss', 'gradients']);
    expect(j.outputs).toHaveLength(2);
    expect(j.outputs[0]).toHaveLength(1);
    expect(Object.keys(j.gradients)).toEqual(['dense/kernel', 'dense/bias', 'dense_1/kernel', 'dense_1/bias', 'dense_2/kernel', 'dense_2/bias']);
    expect(j.gradients['dense/kernel']).toHaveLength(4);
    expect(j.gradients['dense/kernel'][0]).toHaveLength(8);
    expect(j.loss).toBeGreaterThan(0.6);
  });

  it('prints only outputs without targets, one entry per output for several outputs', async () => {
    expect(Object.keys(JSON.parse((await cli('run', seed, '--input', '[[1, 2, 3, 4]]')).stdout))).toEqual(['outputs']);
    const wd = fixturePath('fixtures/functional/wide-deep-two-outputs.yaml');
    const r = await cli('run', wd, '--input', '{"wide_input": [[1,2,3,4,5]], "deep_input": [[1,2,3,4,5,6]]}');
    expect(JSON.parse(r.stdout).outputs).toHaveLength(2);
  });

  it('uses a weights file and saves what train learnt', async () => {
    const w = join(dir, 'w.json');
    expect((await cli('train', seed, '--data', fixturePath('fixtures/data/banknote.csv'), '--epochs', '2', '--save-weights', w)).code).toBe(0);
    const saved = JSON.parse(readFileSync(w, 'utf8'));
    expect(saved['dense/kernel']).toHaveLength(4);
    const a = JSON.parse((await cli('run', seed, '--input', '[[1, 2, 3, 4]]', '--weights', w)).stdout);
    const b = JSON.parse((await cli('run', seed, '--input', '[[1, 2, 3, 4]]')).stdout);
    expect(a.outputs).not.toEqual(b.outputs);
  });

  it('refuses a weights file with a wrong shape, naming every mismatch', async () => {
    const w = write('bad-weights.json', JSON.stringify({ 'dense/kernel': [[1, 2]], 'dense/bias': [0, 0, 0, 0, 0, 0, 0, 0] }));
    const r = await cli('run', seed, '--input', '[[1, 2, 3, 4]]', '--weights', w);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("'dense/kernel' has shape (1, 2), the model needs (4, 8)");
    expect(r.stderr).toContain("the weights file has no 'dense_1/kernel'");
  });

  it('refuses inputs of the wrong width and models it cannot run', async () => {
    const r = await cli('run', seed, '--input', '[[1, 2, 3]]');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("input 'input_layer' expects (None, 4), got data of shape (None, 3)");
  });
});

describe('densegraph train', () => {
  it('prints the history object of DESIGN.md with -f json, reproducibly for a seed', async () => {
    const args = ['train', seed, '--data', fixturePath('fixtures/data/banknote.csv'), '--epochs', '3', '--validation-split', '0.2', '--optimizer', 'adam', '--seed', '5', '-f', 'json'];
    const a = await cli(...args);
    expect(a.code).toBe(0);
    const j = JSON.parse(a.stdout);
    expect(j.epochs).toBe(3);
    expect(Object.keys(j.history)).toEqual(['loss', 'accuracy', 'val_loss', 'val_accuracy']);
    expect(j.history.loss).toHaveLength(3);
    expect((await cli(...args)).stdout).toBe(a.stdout);
    expect(a.stderr).toMatch(/^Epoch 1\/3 - loss: \d\.\d{4} - accuracy: /);
  });

  it('writes the curves SVG', async () => {
    const plot = join(dir, 'curves.svg');
    expect((await cli('train', fixturePath('fixtures/seed/output-softmax.yaml'), '--data', fixturePath('fixtures/data/iris.csv'), '--one-hot', '--epochs', '3', '--plot', plot)).code).toBe(0);
    expect(readFileSync(plot, 'utf8')).toMatch(/^<svg [\s\S]*<polyline[\s\S]*accuracy[\s\S]*<\/svg>\n$/);
  });

  it('a CSV with a missing value or a non-numeric cell: line and column, exit 1', async () => {
    const missing = write('missing.csv', '1,2,3,4,0\n5,,7,8,1\n');
    const r1 = await cli('train', seed, '--data', missing);
    expect(r1.code).toBe(1);
    expect(r1.stderr).toMatch(/missing\.csv:2:2: error: line 2, column 2 is empty/);
    const text = write('text.csv', 'a,b,c,d,label\n1,2,3,4,0\n5,x,7,8,1\n');
    const r2 = await cli('train', seed, '--data', text);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toMatch(/text\.csv:3:2: error: line 3, column 2 \(b\) is 'x', not a number/);
  });

  it('a loss that becomes NaN or infinite names the epoch and batch, exit 1', async () => {
    const big = write('big.csv', Array.from({ length: 64 }, (_, i) => `${i * 1e30},${i},${-i * 1e30},${i % 2}`).join('\n'));
    const linear = write('linear.yaml', 'layers:\n  - Dense: {units: 1, input_dim: 3}\n');
    const r = await cli('train', linear, '--data', big, '--loss', 'mse', '--optimizer', 'sgd', '--lr', '1e10', '--epochs', '5');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error: the loss became (NaN|Infinity) in epoch \d+, batch \d+: training diverged/);
    expect(r.stderr).toContain('lower the learning rate');
  });
});

describe('densegraph gradcheck', () => {
  const fixtures = ['fixtures/seed', 'fixtures/models', 'fixtures/functional'].flatMap((d) => readdirSync(fixturePath(d)).filter((f) => f.endsWith('.yaml')).map((f) => `${d}/${f}`));
  for (const file of fixtures) {
    it(`passes on ${file}`, async () => {
      const r = await cli('gradcheck', fixturePath(file));
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toMatch(/\n\d+ passed, 0 failed \(tolerance 0\.00001\)\n$/);
    });
  }

  it('fails when the tolerance cannot be met', async () => {
    const r = await cli('gradcheck', seed, '--tolerance', '1e-30');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('FAIL');
  });

  it('no file is left behind by a failed train', () => {
    expect(existsSync(join(dir, 'never.json'))).toBe(false);
  });
});

describe('--hard-sigmoid', () => {
  it("selects Keras 2's 0.2x + 0.5 instead of Keras 3's x/6 + 0.5", async () => {
    const model = write('hs.yaml', 'layers:\n  - Activation: {activation: hard_sigmoid, input_dim: 1}\n');
    const k3 = JSON.parse((await cli('run', model, '--input', '[[1.5]]')).stdout).outputs[0][0];
    const k2 = JSON.parse((await cli('run', model, '--input', '[[1.5]]', '--hard-sigmoid', 'keras2')).stdout).outputs[0][0];
    expect(k3).toBeCloseTo(1.5 / 6 + 0.5, 6);
    expect(k2).toBeCloseTo(0.2 * 1.5 + 0.5, 6);
  });
});

describe('executor usage errors: exit code 2', () => {
  for (const argv of [
    ['train', seed, '--data', 'x.csv', '--validation-split', '2'],
    ['train', seed, '--data', 'x.csv', '--epochs', '0'],
    ['train', seed, '--data', 'x.csv', '--optimizer', 'adagrad'],
    ['train', seed],
    ['run', seed],
    ['run', seed, '--input', '[[1,2,3,4]]', '--dtype', 'float16'],
    ['gradcheck', seed, '--seed', '-1'],
    ['gradcheck', seed, '--tolerance', 'abc'],
  ]) {
    it(argv.slice(2).join(' ') || argv[0]!, async () => {
      const r = await cli(...argv);
      expect(r.code).toBe(2);
      expect(r.stderr).not.toBe('');
    });
  }
});

describe('data files without data', () => {
  it('a CSV with only a header row, and an empty one', async () => {
    const header = write('header.csv', 'a,b,c,d,label\n');
    expect((await cli('train', seed, '--data', header)).stderr).toMatch(/header\.csv:1: error: the CSV file has only a header row and no data/);
    const empty = write('empty.csv', '');
    expect((await cli('train', seed, '--data', empty)).stderr).toMatch(/empty\.csv: error: the CSV file has no rows/);
  });
});

describe('Python model files', () => {
  it('--model picks one of several models by its variable name; the default is the last, with a warning', async () => {
    const py = write('two.py', [
      'from keras.models import Sequential',
      'from keras.layers import Dense',
      'small = Sequential([Dense(2, input_dim=3)])',
      'big = Sequential()',
      "big.add(Dense(8, input_dim=4, kernel_initializer='uniform', activation='relu'))",
      "big.add(Dense(1, activation='sigmoid'))",
      "big.compile(loss='binary_crossentropy', optimizer='adam')",
      '',
    ].join('\n'));
    const last = await cli('summary', py, '-f', 'json');
    expect(JSON.parse(last.stdout).totalParams).toBe(40 + 9);
    expect(last.stderr).toContain("the file builds 2 models; reading the last one, 'big'");
    const small = await cli('summary', py, '-f', 'json', '--model', 'small');
    expect(JSON.parse(small.stdout).totalParams).toBe(8);
    const none = await cli('summary', py, '--model', 'nope');
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("no model is assigned to a variable named 'nope'");
  });
});
