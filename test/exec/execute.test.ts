import { describe, expect, it } from 'vitest';
import { evaluate, fit, lossAndGradients, lossValue, predict } from '../../src/exec/execute.js';
import { gradcheckModel } from '../../src/exec/gradcheck.js';
import { parseCsv } from '../../src/exec/data.js';
import { fromNested, toNested } from '../../src/exec/tensor.js';
import { initWeights, readWeights, weightsToJson } from '../../src/exec/weights.js';
import { unrunnableLayers } from '../../src/exec/run.js';
import { compileSpec, readFixture } from '../helpers.js';

const seed = compileSpec(readFixture('fixtures/seed/binary-classifier.yaml'));

describe('forward', () => {
  it('computes y = activation(x·W + b) layer by layer, with the Keras kernel layout [in, out]', () => {
    const m = compileSpec('layers:\n  - Dense: {units: 2, input_dim: 3, activation: relu}\n  - Dense: {units: 1, activation: sigmoid}\n');
    const weights = readWeights(m, {
      'dense/kernel': [[1, -1], [0.5, 2], [-1, 0]],
      'dense/bias': [0.1, -0.2],
      'dense_1/kernel': [[1], [-0.5]],
      'dense_1/bias': [0.25],
    }, 'w.json', 'float64').weights!;
    const [out] = predict(m, weights, [fromNested([[1, 2, 3], [0, 0, 0]], 'float64')], 'float64');
    // Row 1: h = relu([1+1-3+0.1, -1+4+0-0.2]) = [0, 2.8]; y = σ(0 − 1.4 + 0.25) = σ(−1.15).
    // Row 2: h = relu([0.1, −0.2]) = [0.1, 0]; y = σ(0.1 + 0.25).
    const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
    expect((toNested(out!) as number[][]).map((r) => r[0])).toEqual([sigmoid(-1.15), sigmoid(0.35)].map((v) => expect.closeTo(v, 14)));
  });

  it('shares weights between the calls of a shared layer', () => {
    const m = compileSpec(readFixture('fixtures/functional/shared-dense.yaml'));
    const w = initWeights(m, 1, 'float64');
    expect([...w.keys()]).toEqual(['encoder/kernel', 'encoder/bias', 'same/kernel', 'same/bias']);
    const x = fromNested([[...Array(16).keys()].map((i) => i / 16)], 'float64');
    // Same input on both sides: the difference is 0, so the output is σ(bias) = 0.5 with zero bias.
    expect((toNested(predict(m, w, [x, x], 'float64')[0]!) as number[][])[0]![0]).toBeCloseTo(0.5, 14);
  });
});

describe('gradients against float64 finite differences', () => {
  const models = [
    'fixtures/seed/binary-classifier.yaml', 'fixtures/seed/output-softmax.yaml', 'fixtures/models/rank3-flatten.yaml',
    'fixtures/functional/residual-mlp.yaml', 'fixtures/functional/shared-dense.yaml', 'fixtures/functional/nested-sequential.yaml',
    'fixtures/functional/wide-deep-two-outputs.yaml', 'fixtures/functional/k2-03-simple-add.yaml',
  ];
  for (const file of models) {
    it(file, () => {
      const m = compileSpec(readFixture(file));
      expect(unrunnableLayers(m)).toEqual([]);
      const weights = initWeights(m, 3, 'float64');
      const inputs = m.inputs.map((name, i) => {
        const shape = m.layers.find((l) => l.name === name)!.outputShape!.map((d, k) => d ?? (k === 0 ? 3 : 2));
        const n = shape.reduce((a, b) => a * b, 1);
        return { shape, data: Float64Array.from({ length: n }, (_, j) => Math.sin(j * 1.7 + i)) };
      });
      const outputs = predict(m, weights, inputs, 'float64');
      const targets = outputs.map((o) => ({ shape: o.shape, data: Float64Array.from(o.data, (_, j) => 0.3 + 0.4 * Math.cos(j)) }));
      const r = lossAndGradients(m, weights, inputs, targets, 'mse', { dtype: 'float64' });
      expect(r.loss).toBeCloseTo(lossValue(m, weights, inputs, targets, 'mse', 'float64'), 12);
      const checks = gradcheckModel((w) => lossValue(m, w, inputs, targets, 'mse', 'float64'), r.gradients, weights);
      expect(checks.length).toBe(r.gradients.size);
      for (const c of checks) expect(c.relativeError < 1e-6 || c.absoluteError < 1e-9, `${c.name}: ${c.relativeError}`).toBe(true);
    });
  }
});

describe('weights files', () => {
  it('round-trip through JSON', () => {
    const w = initWeights(seed, 7);
    const again = readWeights(seed, JSON.parse(JSON.stringify(weightsToJson(seed, w))), 'w.json').weights!;
    for (const [name, t] of w) expect(Array.from(again.get(name)!.data)).toEqual(Array.from(t.data));
  });

  it('list every mismatch: missing, unknown and misshapen weights', () => {
    const json = weightsToJson(seed, initWeights(seed, 1)) as Record<string, unknown>;
    delete json['dense_2/bias'];
    json['dense/kernel'] = [[1, 2]];
    json['extra/kernel'] = [[1]];
    const r = readWeights(seed, json, 'w.json');
    expect(r.weights).toBeUndefined();
    expect(r.diagnostics.map((d) => d.message)).toEqual([
      "'dense/kernel' has shape (1, 2), the model needs (4, 8)",
      "the weights file has no 'dense_2/bias' (expected shape (1,))",
      "the weights file has 'extra/kernel', which the model does not have",
    ]);
  });

  it('are the same for the same seed, whatever the machine', () => {
    expect(weightsToJson(seed, initWeights(seed, 42))).toEqual(weightsToJson(seed, initWeights(seed, 42)));
    expect(weightsToJson(seed, initWeights(seed, 42))).not.toEqual(weightsToJson(seed, initWeights(seed, 43)));
    // uniform initializer: every kernel value within ±0.05 (Keras RandomUniform defaults).
    for (const [name, t] of initWeights(seed, 42)) if (name.endsWith('kernel')) for (const v of t.data) expect(Math.abs(v)).toBeLessThanOrEqual(0.05);
  });
});

describe('training the seed tutorial', () => {
  it('the 4→8→6→1 classifier reaches ≥ 97% validation accuracy on banknote (adam, binary_crossentropy)', () => {
    const table = parseCsv(readFixture('fixtures/data/banknote.csv'), 'banknote.csv').table!;
    const w = initWeights(seed, 0);
    const h = fit(seed, w, [table.x], [table.y!], { loss: 'binary_crossentropy', optimizer: 'adam', learningRate: 0.01, epochs: 60, batchSize: 32, validationSplit: 0.2, seed: 0 });
    const valAcc = h.history['val_accuracy']!;
    expect(valAcc[valAcc.length - 1]).toBeGreaterThanOrEqual(0.97);
    // evaluate() on the same validation rows gives the history's last entries.
    const n = table.x.shape[0]!;
    const rows = (t: typeof table.x) => ({ shape: [n - Math.floor(n * 0.8), ...t.shape.slice(1)], data: t.data.slice(Math.floor(n * 0.8) * (t.data.length / n)) });
    const e = evaluate(seed, w, [rows(table.x)], [rows(table.y!)], 'binary_crossentropy');
    expect(e.accuracy).toBe(valAcc[valAcc.length - 1]);
    expect(e.loss).toBeCloseTo(h.history['val_loss']![59]!, 6);
    expect(h.history['loss']![59]).toBeLessThan(h.history['loss']![0]!);
  });

  it("the Dense(3, input_dim=4, activation='softmax') layer reaches ≥ 90% on iris with one-hot labels", () => {
    const m = compileSpec(readFixture('fixtures/seed/output-softmax.yaml'));
    const table = parseCsv(readFixture('fixtures/data/iris.csv'), 'iris.csv', { oneHot: true }).table!;
    expect(table.classes).toEqual(['Iris-setosa', 'Iris-versicolor', 'Iris-virginica']);
    const h = fit(m, initWeights(m, 0), [table.x], [table.y!], { loss: 'categorical_crossentropy', optimizer: 'adam', learningRate: 0.05, epochs: 100, batchSize: 32, seed: 0 });
    expect(h.history['accuracy']![99]).toBeGreaterThanOrEqual(0.9);
  });
});

describe('buffers reused across training steps', () => {
  it('the tape hands the previous pass its arrays back, zeroed', async () => {
    const { Tape } = await import('../../src/exec/autograd.js');
    const tape = new Tape('float32');
    const a = tape.alloc(4).fill(7);
    const b = tape.alloc(3);
    tape.reset();
    const a2 = tape.alloc(4);
    expect(a2).toBe(a);
    expect(Array.from(a2)).toEqual([0, 0, 0, 0]);
    expect(tape.alloc(5)).not.toBe(b); // another size: a new array
  });

  it('do not change what training computes: two epochs in one fit equal two fits of one epoch', () => {
    const m = compileSpec(readFixture('fixtures/functional/merge-batchnorm.yaml'));
    const inputs = m.inputs.map((name, i) => {
      const width = m.layers.find((l) => l.name === name)!.outputShape![1] as number;
      return fromNested(Array.from({ length: 16 }, (_, r) => Array.from({ length: width }, (_, c) => Math.sin(r * 0.7 + c + i))));
    });
    const y = fromNested(Array.from({ length: 16 }, (_, r) => [r % 2, (r + 1) % 2]));
    const options = { loss: 'binary_crossentropy', optimizer: 'sgd' as const, learningRate: 0.1, batchSize: 16, shuffle: false, seed: 0 };
    const once = initWeights(m, 4);
    fit(m, once, inputs, [y], { ...options, epochs: 2 });
    const twice = initWeights(m, 4);
    fit(m, twice, inputs, [y], { ...options, epochs: 1 });
    fit(m, twice, inputs, [y], { ...options, epochs: 1 });
    expect(weightsToJson(m, once)).toEqual(weightsToJson(m, twice));
    // The moving statistics moved, and are not aliases of a reused buffer.
    expect(weightsToJson(m, once)['bn/moving_mean']).not.toEqual(weightsToJson(m, initWeights(m, 4))['bn/moving_mean']);
  });
});
