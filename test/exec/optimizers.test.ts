import { describe, expect, it } from 'vitest';
import { createOptimizer, type Optimizer, type OptimizerName, type OptimizerOptions } from '../../src/exec/optimizers.js';
import type { Tensor } from '../../src/exec/tensor.js';

const vec = (values: number[]): Tensor => ({ shape: [values.length], data: Float64Array.from(values) });

/** Minimises L(w) = (w − 3)² from w = 0 (gradient 2(w − 3)) and returns w after each step. */
function quadratic(optimizer: Optimizer, steps = 3): number[] {
  const w = vec([0]);
  const trace: number[] = [];
  for (let i = 0; i < steps; i++) {
    optimizer.step([{ value: w, grad: Float64Array.of(2 * (w.data[0]! - 3)) }]);
    trace.push(w.data[0]!);
  }
  return trace;
}

function expectTrace(actual: number[], expected: number[], digits = 12) {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((a, i) => expect(a, `step ${i + 1}`).toBeCloseTo(expected[i]!, digits));
}

/** Keras's `assertAllClose`: |a − e| ≤ atol + rtol·|e| (its tests' own tolerances). */
function expectAllClose(actual: number[], expected: number[], tol: number) {
  actual.forEach((a, i) => expect(Math.abs(a - expected[i]!), `entry ${i}: ${a} vs ${expected[i]}`).toBeLessThanOrEqual(tol + tol * Math.abs(expected[i]!)));
}

/** Keras's optimizer tests: x = ones(10); one step with gradient 0.01, then steps with 0.1 … 1.0. */
function kerasGolden(name: OptimizerName, options: OptimizerOptions = {}): number[][] {
  const opt = createOptimizer(name, options);
  const x = vec(new Array(10).fill(1));
  const rows: number[][] = [];
  opt.step([{ value: x, grad: new Float64Array(10).fill(0.01) }]);
  for (let i = 0; i < 5; i++) {
    rows.push(Array.from(x.data));
    opt.step([{ value: x, grad: Float64Array.from({ length: 10 }, (_, j) => 0.1 * (j + 1)) }]);
  }
  return rows;
}

describe('SGD (keras/src/optimizers/sgd.py)', () => {
  it('defaults: learning rate 0.01, no momentum', () => {
    // w1 = 0 − 0.01·(−6)
    expectTrace(quadratic(createOptimizer('sgd'), 1), [0.06]);
  });

  it('plain steps on the quadratic, lr 0.1', () => {
    // g = −6 → 0.6; g = −4.8 → 1.08; g = −3.84 → 1.464
    expectTrace(quadratic(createOptimizer('sgd', { learningRate: 0.1 })), [0.6, 1.08, 1.464]);
  });

  it('momentum 0.9: m = μ·m − lr·g, w += m', () => {
    // m1 = 0.6 → w 0.6; g −4.8: m2 = 0.54 + 0.48 = 1.02 → 1.62; g −2.76: m3 = 0.918 + 0.276 = 1.194 → 2.814
    expectTrace(quadratic(createOptimizer('sgd', { learningRate: 0.1, momentum: 0.9 })), [0.6, 1.62, 2.814]);
  });

  it('Nesterov: w += μ·m − lr·g with the updated m', () => {
    // m1 = 0.6, w1 = 0.54 + 0.6 = 1.14; g = −3.72: m2 = 0.54 + 0.372 = 0.912, w2 = 1.14 + 0.8208 + 0.372 = 2.3328;
    // g = −1.3344: m3 = 0.8208 + 0.13344 = 0.95424, w3 = 2.3328 + 0.858816 + 0.13344 = 3.325056
    expectTrace(quadratic(createOptimizer('sgd', { learningRate: 0.1, momentum: 0.9, nesterov: true })), [1.14, 2.3328, 3.325056]);
  });

  it('Keras test_single_step and test_correctness_with_golden', () => {
    const opt = createOptimizer('sgd', { learningRate: 0.5 });
    const v = vec([1, 2, 3, 4]);
    opt.step([{ value: v, grad: Float64Array.of(1, 6, 7, 2) }]);
    expectAllClose(Array.from(v.data), [0.5, -1, -0.5, 3], 1e-4);
    const golden = [
      [0.9999, 0.9999, 0.9999, 0.9999, 0.9999, 0.9999, 0.9999, 0.9999, 0.9999, 0.9999],
      [0.9989, 0.9979, 0.9969, 0.9959, 0.9949, 0.9939, 0.9929, 0.9919, 0.9909, 0.9899],
      [0.9979, 0.9959, 0.9939, 0.9919, 0.9899, 0.9879, 0.9859, 0.9839, 0.9819, 0.9799],
      [0.9969, 0.9939, 0.9909, 0.9879, 0.9849, 0.9819, 0.9789, 0.9759, 0.9729, 0.9699],
      [0.9959, 0.9919, 0.9879, 0.9839, 0.9799, 0.9759, 0.9719, 0.9679, 0.9639, 0.9599],
    ];
    // Exact to the digits shown: momentum 0 makes every step −0.01·g.
    kerasGolden('sgd', { nesterov: true }).forEach((row, i) => expectAllClose(row, golden[i]!, 1e-12));
  });
});

describe('Adam (keras/src/optimizers/adam.py)', () => {
  it('the first step is ≈ lr in the direction of −g, whatever the gradient’s scale', () => {
    // Step 1: lr·√(1−β2)·|g| / (√(1−β2)·|g| + ε) = lr·(1 − ε/(√0.001·|g|) + …)
    for (const g of [-6, 0.02, 300]) {
      const w = vec([0]);
      createOptimizer('adam').step([{ value: w, grad: Float64Array.of(g) }]);
      const expected = -Math.sign(g) * 0.001 * ((Math.sqrt(0.001) * Math.abs(g)) / (Math.sqrt(0.001) * Math.abs(g) + 1e-7));
      expect(w.data[0]).toBeCloseTo(expected, 15);
      expect(Math.abs(w.data[0]!)).toBeCloseTo(0.001, 6);
    }
  });

  it('three steps on the quadratic, lr 0.1', () => {
    // t=1: g=−6, m=−0.6, v=0.036, α = 0.1·√0.001/0.1 = 0.0316228 → w = 0.0999999473
    // t=2: g=−5.8000001, m=−1.1200000, v=0.0695994…, α = 0.1·√0.001999/0.19 → w = 0.1998972024
    // t=3: → w = 0.2996183553
    expectTrace(quadratic(createOptimizer('adam', { learningRate: 0.1 })), [0.0999999472954001, 0.19989720241423506, 0.2996183553044079], 12);
  });

  it('ε goes to √v, not to the bias-corrected √v̂ (Keras, not tfjs)', () => {
    // g = 1e-6: Keras steps lr·√0.001·g/(√0.001·g + ε) = 0.001·0.2402530…; tfjs would step lr·g/(g + ε) = 0.000909…
    const w = vec([0]);
    createOptimizer('adam').step([{ value: w, grad: Float64Array.of(1e-6) }]);
    const keras = (0.001 * Math.sqrt(0.001) * 1e-6) / (Math.sqrt(0.001) * 1e-6 + 1e-7);
    expect(w.data[0]).toBeCloseTo(-keras, 15);
    expect(w.data[0]).toBeCloseTo(-0.000240253, 8);
  });

  it('Keras test_single_step and test_correctness_with_golden', () => {
    const opt = createOptimizer('adam', { learningRate: 0.5 });
    const v = vec([1, 2, 3, 4]);
    opt.step([{ value: v, grad: Float64Array.of(1, 6, 7, 2) }]);
    expectAllClose(Array.from(v.data), [0.5, 1.5, 2.5, 3.5], 1e-4);
    // Keras's golden run uses amsgrad; here v only grows, so max(v̂, v) = v and plain Adam matches.
    const golden = [0.999, 0.9982, 0.9974, 0.9965, 0.9955];
    kerasGolden('adam').forEach((row, i) => expectAllClose(row, new Array(10).fill(golden[i]), 5e-4));
  });
});

describe('RMSprop (keras/src/optimizers/rmsprop.py)', () => {
  it('the Keras docstring example: lr 0.1 on w²/2 from 10 gives 9.683772', () => {
    const w = vec([10]);
    createOptimizer('rmsprop', { learningRate: 0.1 }).step([{ value: w, grad: Float64Array.of(10) }]);
    // v = 0.1·100 = 10; w = 10 − 0.1·10/√(10 + 1e-7)
    expect(w.data[0]).toBeCloseTo(10 - 1 / Math.sqrt(10 + 1e-7), 14);
    expect(w.data[0]).toBeCloseTo(9.683772, 6);
  });

  it('three steps on the quadratic, lr 0.01', () => {
    // t=1: v = 0.1·36 = 3.6, inc = 0.01·(−6)/√3.6000001 → w = 0.0316227762
    expectTrace(quadratic(createOptimizer('rmsprop', { learningRate: 0.01 })), [0.03162277616247858, 0.054448841769273115, 0.07350345989903773]);
  });

  it('with momentum 0.5: mom = 0.5·mom + inc, w −= mom', () => {
    expectTrace(quadratic(createOptimizer('rmsprop', { learningRate: 0.01, momentum: 0.5 })), [0.03162277616247858, 0.0702602298505124, 0.10856823781744292]);
  });

  it('centered: divides by √(v − ḡ² + ε)', () => {
    // t=1: v = 3.6, ḡ = −0.6, v − ḡ² = 3.24 → inc = 0.01·(−6)/1.8 → w = 0.0333333
    expectTrace(quadratic(createOptimizer('rmsprop', { learningRate: 0.01, centered: true })), [0.033333332818930056, 0.05868853184673385, 0.08098909152191477]);
  });

  it('Keras test_single_step and the centered golden run', () => {
    const opt = createOptimizer('rmsprop', { learningRate: 0.5 });
    const v = vec([1, 2, 3, 4]);
    opt.step([{ value: v, grad: Float64Array.of(1, 6, 7, 2) }]);
    expectAllClose(Array.from(v.data), [-0.5811, 0.4189, 1.4189, 2.4189], 1e-4);
    const golden = [0.9967, 0.9933, 0.9908, 0.9885, 0.9864];
    kerasGolden('rmsprop', { centered: true }).forEach((row, i) => expectAllClose(row, new Array(10).fill(golden[i]), 5e-4));
  });
});

describe('optimizer state', () => {
  const cases: [OptimizerName, OptimizerOptions][] = [
    ['sgd', { learningRate: 0.1, momentum: 0.9 }],
    ['sgd', { learningRate: 0.1, momentum: 0.9, nesterov: true }],
    ['adam', { learningRate: 0.1 }],
    ['rmsprop', { learningRate: 0.01, momentum: 0.5, centered: true }],
  ];
  for (const [name, options] of cases) {
    it(`${name} ${JSON.stringify(options)}: each parameter has its own moments`, () => {
      // Two parameters stepped together end where each stepped alone ends.
      const together = createOptimizer(name, options);
      const a = vec([0, 1]);
      const b = vec([5]);
      const alone = [createOptimizer(name, options), createOptimizer(name, options)];
      const a2 = vec([0, 1]);
      const b2 = vec([5]);
      for (let i = 0; i < 4; i++) {
        const ga = Float64Array.from(a.data, (x) => 2 * (x - 3));
        const gb = Float64Array.from(b.data, (x) => 4 * (x + 1));
        together.step([{ value: a, grad: ga }, { value: b, grad: gb }]);
        alone[0]!.step([{ value: a2, grad: Float64Array.from(a2.data, (x) => 2 * (x - 3)) }]);
        alone[1]!.step([{ value: b2, grad: Float64Array.from(b2.data, (x) => 4 * (x + 1)) }]);
      }
      expect(Array.from(a.data)).toEqual(Array.from(a2.data));
      expect(Array.from(b.data)).toEqual(Array.from(b2.data));
      expect(together.iterations).toBe(4);
    });
  }

  it('state follows the position, so a different tensor at the same position inherits it', () => {
    const opt = createOptimizer('sgd', { learningRate: 0.1, momentum: 0.9 });
    opt.step([{ value: vec([0]), grad: Float64Array.of(-6) }]); // m = 0.6
    const fresh = vec([0]);
    opt.step([{ value: fresh, grad: Float64Array.of(0) }]); // m = 0.54, w = 0.54
    expect(fresh.data[0]).toBeCloseTo(0.54, 15);
  });

  it('keeps float32 state for float32 parameters', () => {
    const w: Tensor = { shape: [2], data: Float32Array.of(0, 0) };
    createOptimizer('adam').step([{ value: w, grad: Float32Array.of(1, -1) }]);
    expect(w.data).toBeInstanceOf(Float32Array);
    expect(w.data[0]).toBeCloseTo(-0.001, 6);
    expect(w.data[1]).toBeCloseTo(0.001, 6);
  });

  it('a changed parameter list is a caller bug and throws', () => {
    const opt = createOptimizer('adam');
    opt.step([{ value: vec([0, 0]), grad: Float64Array.of(1, 1) }]);
    expect(() => opt.step([{ value: vec([0, 0]), grad: Float64Array.of(1, 1) }, { value: vec([0]), grad: Float64Array.of(1) }])).toThrow(/internal: optimizer built for 1 parameters was given 2/);
    expect(() => opt.step([{ value: vec([0, 0, 0]), grad: Float64Array.of(1, 1, 1) }])).toThrow(/internal: parameter 0 has 3 values/);
  });

  it('rejects out-of-range hyperparameters as Keras does', () => {
    expect(() => createOptimizer('sgd', { momentum: 1.5 })).toThrow(/momentum must be between 0 and 1/);
    expect(() => createOptimizer('rmsprop', { rho: -0.1 })).toThrow(/rho/);
    expect(() => createOptimizer('rmsprop', { epsilon: 0 })).toThrow(/epsilon must be positive/);
    expect(() => createOptimizer('adam', { learningRate: Number.NaN })).toThrow(/learning_rate/);
    expect(() => createOptimizer('adamw' as OptimizerName)).toThrow(/unknown optimizer "adamw"/);
  });
});
