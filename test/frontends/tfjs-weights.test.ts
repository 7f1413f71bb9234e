import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { loadModel } from '../../src/frontends/load.js';
import { readTfjsWeights } from '../../src/frontends/tfjs-weights.js';
import { compileModel } from '../../src/passes/compile.js';
import { fixturePath } from '../helpers.js';

async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, { stdout: (t) => void (stdout += String(t)), stderr: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}

const t1 = fixturePath('fixtures/tfjs/t1_tfjs_examples_abalone/model.json');
const t1bin = fixturePath('fixtures/tfjs/t1_tfjs_examples_abalone/weights.bin');
const t4 = fixturePath('fixtures/tfjs/t4_tfjs_rn_bundle_list_config/bundle_model_test.json');
const t4bin = fixturePath('fixtures/tfjs/t4_tfjs_rn_bundle_list_config/bundle_model_test_weights.bin');

/** Little-endian float32 values of a shard, read independently of densegraph. */
function floats(path: string): number[] {
  const b = readFileSync(path);
  const view = new DataView(b.buffer, b.byteOffset, b.length);
  return Array.from({ length: b.length / 4 }, (_, i) => view.getFloat32(i * 4, true));
}

/** x · W + b for a row-major [in, out] kernel starting at `at`, then its bias. */
function dense(x: number[], w: number[], at: number, inN: number, outN: number, act: (v: number) => number): { y: number[]; next: number } {
  const y: number[] = [];
  for (let j = 0; j < outN; j++) {
    let s = w[at + inN * outN + j]!;
    for (let i = 0; i < inN; i++) s += x[i]! * w[at + i * outN + j]!;
    y.push(act(s));
  }
  return { y, next: at + inN * outN + outN };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'densegraph-tfjs-'));
});

describe('TensorFlow.js stored weights', () => {
  it('t1 (abalone, 8→50→50→1): run uses the weights stored with the model', async () => {
    const x = [0.5, 0.4, 0.1, 0.2, 0.3, 0.1, 0.05, 0.1];
    const r = await cli('run', t1, '--input', JSON.stringify([x]));
    expect(r.stderr).toBe(`densegraph: using the weights stored with the model (${t1})\n`);
    expect(r.code).toBe(0);
    const w = floats(t1bin);
    expect(w).toHaveLength(8 * 50 + 50 + 50 * 50 + 50 + 50 + 1);
    const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
    const a = dense(x, w, 0, 8, 50, sigmoid);
    const b = dense(a.y, w, a.next, 50, 50, sigmoid);
    const c = dense(b.y, w, b.next, 50, 1, (v) => v);
    expect(c.next).toBe(w.length);
    const out = JSON.parse(r.stdout).outputs as number[][];
    expect(out[0]![0]).toBeCloseTo(c.y[0]!, 4);
    // Not the seeded initial weights.
    const fresh = await cli('run', t1, '--input', JSON.stringify([x]), '--weights', writeWeights(w));
    expect(JSON.parse(fresh.stdout).outputs[0][0]).toBeCloseTo(c.y[0]!, 4);
  });

  it('t1: run gives the predictions TensorFlow.js itself computes from the same file (fixtures/reference/abalone-tfjs-predictions.json)', async () => {
    // Made by scripts/make-tfjs-abalone-reference.mjs: tf.loadLayersModel on model.json + weights.bin, cpu, float32.
    const ref = JSON.parse(readFileSync(fixturePath('fixtures/reference/abalone-tfjs-predictions.json'), 'utf8')) as { inputs: number[][]; outputs: number[][] };
    const r = await cli('run', t1, '--input', JSON.stringify(ref.inputs));
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout).outputs as number[][];
    expect(out).toHaveLength(ref.outputs.length);
    out.forEach((row, i) => expect(Math.abs(row[0]! - ref.outputs[i]![0]!)).toBeLessThan(1e-5 * Math.max(1, Math.abs(ref.outputs[i]![0]!))));
  });

  it('t4: a non-model.json name and a ./name.bin shard path', async () => {
    const x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const r = await cli('run', t4, '--input', JSON.stringify([x]));
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/using the weights stored with the model/);
    const w = floats(t4bin);
    const want = x.reduce((s, v, i) => s + v * w[i]!, w[10]!);
    expect(JSON.parse(r.stdout).outputs[0][0]).toBeCloseTo(want, 4);
  });

  it('--weights still wins over the stored weights', async () => {
    const data = JSON.parse(readFileSync(t4, 'utf8'));
    expect(data.weightsManifest[0].paths).toEqual(['./bundle_model_test_weights.bin']);
    const p = join(dir, 'w4.json');
    writeFileSync(p, JSON.stringify({ 'dense_Dense2/kernel': Array.from({ length: 10 }, () => [1]), 'dense_Dense2/bias': [0.5] }));
    const r = await cli('run', t4, '--input', '[[1,1,1,1,1,1,1,1,1,1]]', '--weights', p);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).outputs).toEqual([[10.5]]);
  });

  it('a shard of the wrong size: names the file and both sizes', async () => {
    const d = mkdtempSync(join(dir, 'short-'));
    copyFileSync(t4, join(d, 'm.json'));
    writeFileSync(join(d, 'bundle_model_test_weights.bin'), readFileSync(t4bin).subarray(0, 40));
    const r = await cli('run', join(d, 'm.json'), '--input', '[[1,1,1,1,1,1,1,1,1,1]]');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/shard '\.\/bundle_model_test_weights\.bin' has 40 bytes.*need 44 bytes/);
  });

  it('a missing shard', async () => {
    const d = mkdtempSync(join(dir, 'missing-'));
    copyFileSync(t1, join(d, 'model.json'));
    const r = await cli('run', join(d, 'model.json'), '--input', '[[1,1,1,1,1,1,1,1]]');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot read the weight shard 'weights\.bin'.*no such file/);
  });

  it('maps converter names, matches by order within a layer, reports unknown, missing and misshapen weights', async () => {
    const loaded = await loadModel(t4);
    const model = compileModel(loaded.model!).compiled!;
    const d = mkdtempSync(join(dir, 'names-'));
    copyFileSync(t4bin, join(d, 'w.bin'));
    const manifest = (weights: unknown[]) => ({ modelTopology: {}, weightsManifest: [{ paths: ['w.bin'], weights }] });
    const ok = await readTfjsWeights(join(d, 'm.json'), manifest([
      { name: 'sequential/dense_Dense2/kernel_1', shape: [10, 1], dtype: 'float32' },
      { name: 'dense_Dense2/bias_1', shape: [1], dtype: 'float32' },
    ]), model);
    expect(ok.diagnostics).toEqual([]);
    expect(ok.weights!.get('dense_Dense2/bias')!.data[0]).toBe(floats(t4bin)[10]);
    const badNames = await readTfjsWeights(join(d, 'm.json'), manifest([
      { name: 'other/kernel', shape: [10, 1], dtype: 'float32' },
      { name: 'dense_Dense2/bias', shape: [1], dtype: 'float32' },
    ]), model);
    expect(badNames.diagnostics.map((x) => x.code).sort()).toEqual(['missing-weight', 'unknown-weight']);
    const shape = await readTfjsWeights(join(d, 'm.json'), manifest([
      { name: 'dense_Dense2/kernel', shape: [1, 10], dtype: 'float32' },
      { name: 'dense_Dense2/bias', shape: [1], dtype: 'float32' },
    ]), model);
    expect(shape.diagnostics.map((x) => x.message)).toEqual(["'dense_Dense2/kernel' has shape (1, 10), the model's 'dense_Dense2/kernel' needs (10, 1)"]);
    const int = await readTfjsWeights(join(d, 'm.json'), manifest([{ name: 'dense_Dense2/kernel', shape: [10, 1], dtype: 'int32' }]), model);
    expect(int.diagnostics[0]!.message).toMatch(/of dtype "int32"; densegraph reads only float32/);
  });

  it('t3 (Embedding → GRU) is still refused: the executor has no GRU', async () => {
    const d = mkdtempSync(join(dir, 't3-'));
    writeFileSync(join(d, 'model.json'), JSON.stringify(T3));
    const r = await cli('run', join(d, 'model.json'), '--input', '[[1,2,3,4,5,6,7,8,9,10]]');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/GRU/);
    expect(r.stdout).toBe('');
  });
});

function writeWeights(w: number[]): string {
  const p = join(dir, 'w1.json');
  const mat = (at: number, r: number, c: number) => Array.from({ length: r }, (_, i) => w.slice(at + i * c, at + (i + 1) * c));
  let at = 0;
  const out: Record<string, unknown> = {};
  for (const [name, r, c] of [['dense_Dense1', 8, 50], ['dense_Dense2', 50, 50], ['dense_Dense3', 50, 1]] as const) {
    out[`${name}/kernel`] = mat(at, r, c);
    at += r * c;
    out[`${name}/bias`] = w.slice(at, at + c);
    at += c;
  }
  writeFileSync(p, JSON.stringify(out));
  return p;
}

/** The topology of tensorflow/tfjs e2e/integration_tests/load_predict_data/layers_model/model.json (Apache-2.0), abridged. */
const T3 = {
  modelTopology: {
    class_name: 'Sequential',
    config: {
      name: 'sequential_5',
      layers: [
        { class_name: 'Embedding', config: { input_dim: 100, output_dim: 20, name: 'embedding_Embedding2', trainable: true, batch_input_shape: [null, 10], dtype: 'float32' } },
        { class_name: 'GRU', config: { units: 4, activation: 'tanh', recurrent_activation: 'hard_sigmoid', use_bias: true, name: 'gru_GRU1', trainable: true } },
      ],
    },
    keras_version: 'tfjs-layers 1.0.0',
    backend: 'tensor_flow.js',
  },
  format: 'layers-model',
  weightsManifest: [{ paths: ['weights.bin'], weights: [{ name: 'embedding_Embedding2/embeddings', shape: [100, 20], dtype: 'float32' }] }],
};
