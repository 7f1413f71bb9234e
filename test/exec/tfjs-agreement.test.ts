/**
 * Agreement with a real framework: densegraph's float32 outputs, loss and gradients against
 * TensorFlow.js (pure-JS `cpu` backend, float32) for the same model, weights and batch.
 *
 * (a) fixtures/reference/tfjs/*.json, written by `npm run reference:tfjs`
 *     (scripts/make-tfjs-reference.mjs): the seed specs, a small MLP, a saturated sigmoid
 *     (both clip bounds of binary cross-entropy active), and a functional model with Add,
 *     Concatenate and BatchNormalization in inference and in training mode (batch statistics,
 *     gradients through them, moving-statistics update).
 * (b) live: tfjs runs in this process on the seed binary classifier for several weight seeds,
 *     so the check does not rest on stored files only.
 *
 * Tolerance (shared/reference/executor.md): |densegraph − tfjs| ≤ 1e-6 + 1e-5·|tfjs| for every
 * number. TFJS_AGREEMENT_REPORT=1 prints the largest differences seen.
 */
import { readdirSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Tape, type Var } from '../../src/exec/autograd.js';
import { lossAndGradients } from '../../src/exec/execute.js';
import { computeLoss } from '../../src/exec/losses.js';
import * as ops from '../../src/exec/ops.js';
import { createRng } from '../../src/exec/random.js';
import { forwardGraph, type RunContext } from '../../src/exec/run.js';
import { alloc, fromNested, sizeOf, type Float, type Tensor } from '../../src/exec/tensor.js';
import { initWeights, readWeights, weightList, type WeightStore } from '../../src/exec/weights.js';
import type { CompiledModel } from '../../src/ir/model.js';
import { compileSpec, fixturePath, readFixture } from '../helpers.js';

const ABS = 1e-6;
const REL = 1e-5;

interface Stat {
  what: string;
  values: number;
  maxAbs: number;
  /** Largest |d − r| / |r| over entries with |r| ≥ 1e-3 (relative error of the non-tiny values). */
  maxRel: number;
}
const stats: Stat[] = [];

/** Every mismatch beyond the mixed tolerance, and the largest differences. */
function compare(what: string, actual: ArrayLike<number>, expected: ArrayLike<number>): { failures: string[]; stat: Stat } {
  const failures: string[] = [];
  if (actual.length !== expected.length) failures.push(`${what}: ${actual.length} values, expected ${expected.length}`);
  let maxAbs = 0;
  let maxRel = 0;
  for (let i = 0; i < Math.min(actual.length, expected.length); i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    const d = Math.abs(a - e);
    if (!(d <= ABS + REL * Math.abs(e))) failures.push(`${what}[${i}]: densegraph ${a}, tfjs ${e} (|Δ| ${d.toExponential(2)})`);
    maxAbs = Math.max(maxAbs, d);
    if (Math.abs(e) >= 1e-3) maxRel = Math.max(maxRel, d / Math.abs(e));
  }
  return { failures, stat: { what, values: expected.length, maxAbs, maxRel } };
}

function expectAgreement(what: string, actual: ArrayLike<number>, expected: ArrayLike<number>): void {
  const { failures, stat } = compare(what, actual, expected);
  stats.push(stat);
  expect(failures.slice(0, 10), `${failures.length} value(s) of ${what} disagree with tfjs`).toEqual([]);
}

const flat = (nested: unknown): number[] => (Array.isArray(nested) ? nested.flatMap(flat) : [nested as number]);

afterAll(() => {
  if (process.env['TFJS_AGREEMENT_REPORT'] !== '1' || !stats.length) return;
  const lines = stats.map((s) => `${s.what.padEnd(60)} ${String(s.values).padStart(6)}  max|Δ| ${s.maxAbs.toExponential(2)}  max rel ${s.maxRel.toExponential(2)}`);
  console.log(`densegraph float32 vs tfjs cpu float32\n${lines.join('\n')}`);
});

/** densegraph in training mode (batch statistics), as `fit` runs a batch, without the update. */
function trainingLossAndGradients(model: CompiledModel, weights: WeightStore, inputs: Tensor[], targets: Tensor[], loss: string) {
  const tape = new Tape('float32');
  const ctx: RunContext = { tape, training: true, rng: createRng(0), weights, vars: new Map(), updates: new Map(), activationOptions: {} };
  const outputs = forwardGraph(model, inputs.map((t) => tape.constant(t)), ctx);
  let total: Var | undefined;
  outputs.forEach((out, i) => {
    const l = computeLoss(tape, loss, targets[i]!, out);
    total = total ? ops.add(tape, total, l) : l;
  });
  tape.backward(total!);
  const gradients = new Map<string, Float>();
  for (const { name, weight } of weightList(model)) {
    if (weight.trainable) gradients.set(name, ctx.vars.get(name)?.grad ?? alloc('float32', sizeOf(weight.shape)));
  }
  return { outputs: outputs.map((o) => o.value), loss: total!.value.data[0]!, gradients, updates: ctx.updates };
}

interface Reference {
  source: string;
  model: string;
  loss: string;
  weightSeed: number;
  training: boolean;
  inputs: unknown[];
  targets: unknown[];
  weights: Record<string, unknown>;
  outputs: unknown[];
  lossValue: number;
  gradients: Record<string, unknown>;
  updatedWeights?: Record<string, unknown>;
}

const REF_DIR = 'fixtures/reference/tfjs';
const referenceFiles = readdirSync(fixturePath(REF_DIR)).filter((f) => f.endsWith('.json')).sort();

function loadReference(file: string): Reference {
  return JSON.parse(readFixture(`${REF_DIR}/${file}`)) as Reference;
}

describe('the committed tfjs reference files', () => {
  it('cover the seed specs, a small MLP and a functional model with merges and BatchNormalization in both modes', () => {
    const refs = referenceFiles.map(loadReference);
    const models = new Set(refs.map((r) => r.model));
    for (const f of readdirSync(fixturePath('fixtures/seed')).filter((f) => f.endsWith('.yaml'))) expect(models).toContain(`fixtures/seed/${f}`);
    expect(models).toContain('fixtures/models/small-mlp.yaml');
    const bn = refs.filter((r) => r.model === 'fixtures/functional/merge-batchnorm.yaml');
    expect(bn.map((r) => r.training).sort()).toEqual([false, true]);
    for (const r of refs) expect(r.source).toMatch(/^TensorFlow\.js \d+\.\d+\.\d+ .*backend cpu, float32.*make-tfjs-reference\.mjs/);
  });

  for (const file of referenceFiles) {
    it(file, () => {
      const ref = loadReference(file);
      const model = compileSpec(readFixture(ref.model), ref.model);
      const { weights, diagnostics } = readWeights(model, ref.weights, file, 'float32');
      expect(diagnostics).toEqual([]);
      const inputs = ref.inputs.map((x) => fromNested(x, 'float32'));
      const targets = ref.targets.map((y) => fromNested(y, 'float32'));
      const trained = ref.training ? trainingLossAndGradients(model, weights!, inputs, targets, ref.loss) : undefined;
      const r = trained ?? lossAndGradients(model, weights!, inputs, targets, ref.loss);
      const name = file.replace(/\.json$/, '');
      r.outputs.forEach((o, i) => expectAgreement(`${name} output ${i}`, o.data, flat(ref.outputs[i])));
      expectAgreement(`${name} loss`, [r.loss], [ref.lossValue]);
      expect([...r.gradients.keys()].sort()).toEqual(Object.keys(ref.gradients).sort());
      for (const [w, g] of r.gradients) expectAgreement(`${name} ∂loss/∂${w}`, g, flat(ref.gradients[w]));
      if (ref.training) {
        const updated = Object.entries(ref.updatedWeights ?? {});
        expect(updated.length).toBeGreaterThan(0);
        for (const [w, value] of updated) expectAgreement(`${name} ${w} after the batch`, trained?.updates.get(w)?.data ?? [], flat(value));
      }
    });
  }

  it('the comparison fails on a 1e-4 relative change of one gradient entry', () => {
    const ref = loadReference('binary-classifier.scaled.json');
    const g = flat(ref.gradients['dense/kernel']);
    const at = g.reduce((best, v, i) => (Math.abs(v) > Math.abs(g[best]!) ? i : best), 0);
    const perturbed = g.map((v, i) => (i === at ? v * (1 + 1e-4) : v));
    expect(compare('perturbed', perturbed, g).failures).toHaveLength(1);
    expect(compare('same', g, g).failures).toEqual([]);
  });
});

describe('live: tfjs in this process on the seed binary classifier', () => {
  const seedModel = compileSpec(readFixture('fixtures/seed/binary-classifier.yaml'));

  beforeAll(async () => {
    // Importing a wasm backend anywhere would make it the default: ask for cpu explicitly.
    tf.env().set('PROD', true); // no "install tfjs-node" banner
    expect(await tf.setBackend('cpu')).toBe(true);
    await tf.ready();
    expect(tf.getBackend()).toBe('cpu');
  });

  /** The 4 → 8 → 6 → 1 classifier written out in tfjs, as a tfjs user would. */
  function tfSeedModel(weights: WeightStore): tf.Sequential {
    const m = tf.sequential({
      layers: [
        tf.layers.dense({ units: 8, activation: 'relu', inputShape: [4], name: 'dense' }),
        tf.layers.dense({ units: 6, activation: 'relu', name: 'dense_1' }),
        tf.layers.dense({ units: 1, activation: 'sigmoid', name: 'dense_2' }),
      ],
    });
    // model.setWeights takes tfjs's variable order: kernel, bias of each layer in turn.
    const order = ['dense/kernel', 'dense/bias', 'dense_1/kernel', 'dense_1/bias', 'dense_2/kernel', 'dense_2/bias'];
    expect(m.weights.map((w) => w.originalName)).toEqual(order);
    m.setWeights(order.map((n) => tf.tensor(weights.get(n)!.data, [...weights.get(n)!.shape], 'float32')));
    return m;
  }

  // Scale 1 is initWeights' uniform(±0.05); ×30 spreads the outputs over the whole sigmoid.
  for (const seed of [101, 202, 303]) {
    for (const scale of [1, 30]) {
      it(`weights initWeights(seed ${seed}) × ${scale}, batch 32`, () => {
        const weights = initWeights(seedModel, seed);
        for (const t of weights.values()) for (let i = 0; i < t.data.length; i++) t.data[i] = Math.fround(t.data[i]! * scale);
        const rng = createRng(seed + 1);
        const x: Tensor = { shape: [32, 4], data: Float32Array.from({ length: 128 }, () => 6 * rng.next() - 3) };
        const y: Tensor = { shape: [32, 1], data: Float32Array.from({ length: 32 }, () => (rng.next() < 0.5 ? 1 : 0)) };
        const ours = lossAndGradients(seedModel, weights, [x], [y], 'binary_crossentropy');

        const m = tfSeedModel(weights);
        const xs = tf.tensor(x.data, [32, 4], 'float32');
        const ys = tf.tensor(y.data, [32, 1], 'float32');
        const vars = m.trainableWeights.map((w) => w.read() as tf.Variable);
        let out: tf.Tensor | undefined;
        const { value, grads } = tf.variableGrads(() => {
          out = tf.keep(m.apply(xs) as tf.Tensor);
          return tf.mean(tf.metrics.binaryCrossentropy(ys, out)) as tf.Scalar;
        }, vars);
        const name = `live seed ${seed} ×${scale}`;
        expectAgreement(`${name} output`, ours.outputs[0]!.data, out!.dataSync());
        expectAgreement(`${name} loss`, [ours.loss], value.dataSync());
        m.trainableWeights.forEach((w, i) => expectAgreement(`${name} ∂loss/∂${w.originalName}`, ours.gradients.get(w.originalName)!, grads[vars[i]!.name]!.dataSync()));
        tf.dispose([xs, ys, out!, value, ...Object.values(grads)]);
        m.dispose();
      });
    }
  }
});
