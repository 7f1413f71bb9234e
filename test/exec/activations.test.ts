import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ACTIVATION_RULES, HARD_SIGMOID_KERAS2, SELU_ALPHA, SELU_SCALE, applyActivation, erf, erfc,
  type ElementwiseActivation,
} from '../../src/exec/activations.js';
import { Tape, type Var } from '../../src/exec/autograd.js';
import { gradcheck } from '../../src/exec/gradcheck.js';
import { fromNested, type Tensor } from '../../src/exec/tensor.js';
import { ACTIVATIONS } from '../../src/layers/vocab.js';

/** The one helper every activation goes through: gradients against float64 finite differences. */
function expectGradients(fn: Parameters<typeof gradcheck>[0], inputs: Tensor[]) {
  const { relativeErrors, absoluteErrors } = gradcheck(fn, inputs);
  relativeErrors.forEach((r, i) => expect(r < 1e-6 || absoluteErrors[i]! < 1e-8, `input ${i}: relative error ${r}`).toBe(true));
}

const f64 = (values: number[]): Tensor => ({ shape: [values.length], data: Float64Array.from(values) });

/** Forward values of `name` at `xs`, on a float64 tape. */
function forward(name: string, xs: number[], options?: Parameters<typeof applyActivation>[3]): number[] {
  const t = new Tape('float64');
  return Array.from(applyActivation(t, t.constant(f64(xs)), name, options).value.data);
}

/** dy/dx of an elementwise activation at each of `xs`. */
function derivative(name: string, xs: number[], options?: Parameters<typeof applyActivation>[3]): number[] {
  const t = new Tape('float64');
  const x = t.variable(f64(xs));
  t.backward(applyActivation(t, x, name, options));
  return Array.from(x.grad!);
}

// ---- Independent oracles, written without the implementation's helpers -----------------

/** erf by the all-positive series erf x = 2/√π·e^(−x²)·Σ 2ⁿx²ⁿ⁺¹/(1·3·…·(2n+1)) (A&S 7.1.6). */
function erfSeries(x: number): number {
  let term = x;
  let total = x;
  for (let n = 1; n < 200 && Math.abs(term) > 1e-18 * Math.abs(total); n++) {
    term *= (2 * x * x) / (2 * n + 1);
    total += term;
  }
  return (2 / Math.sqrt(Math.PI)) * expMinusSquare(x) * total;
}

/** e^(−x²) with x split into a multiple of 1/64 and a rest, so x² is not rounded. */
function expMinusSquare(x: number): number {
  const hi = Math.round(x * 64) / 64;
  return Math.exp(-hi * hi) * Math.exp(-(x - hi) * (x + hi));
}

/** erfc for x ≥ 2 by Laplace's continued fraction x + (1/2)/(x + 1/(x + (3/2)/(x + …))). */
function erfcFraction(x: number): number {
  let k = x;
  for (let n = 400; n >= 1; n--) k = x + n / 2 / k;
  return expMinusSquare(x) / Math.sqrt(Math.PI) / k;
}

const naiveSigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const naiveSoftplus = (x: number) => Math.log(1 + Math.exp(x));

/** Each elementwise activation from its §3.2 formula, written out independently. */
const ORACLE = {
  linear: (x) => x,
  relu: (x) => (x > 0 ? x : 0),
  relu6: (x) => Math.min(Math.max(x, 0), 6),
  leaky_relu: (x) => Math.max(x, 0.2 * x),
  elu: (x) => (x > 0 ? x : Math.exp(x) - 1),
  selu: (x) => SELU_SCALE * (x > 0 ? x : SELU_ALPHA * (Math.exp(x) - 1)),
  celu: (x) => Math.max(x, 0) + Math.exp(Math.min(x, 0)) - 1,
  sigmoid: naiveSigmoid,
  hard_sigmoid: (x) => Math.min(Math.max(x + 3, 0), 6) / 6,
  hard_silu: (x) => (x * Math.min(Math.max(x + 3, 0), 6)) / 6,
  hard_swish: (x) => (x * Math.min(Math.max(x + 3, 0), 6)) / 6,
  tanh: (x) => (Math.exp(2 * x) - 1) / (Math.exp(2 * x) + 1),
  hard_tanh: (x) => Math.max(-1, Math.min(1, x)),
  tanh_shrink: (x) => x - Math.tanh(x),
  softplus: naiveSoftplus,
  log_sigmoid: (x) => Math.log(naiveSigmoid(x)),
  softsign: (x) => x / (1 + Math.abs(x)),
  silu: (x) => x * naiveSigmoid(x),
  swish: (x) => x / (1 + Math.exp(-x)),
  gelu: (x) => 0.5 * x * (1 + erfSeries(x / Math.SQRT2)),
  mish: (x) => x * Math.tanh(naiveSoftplus(x)),
  exponential: (x) => Math.exp(x),
  squareplus: (x) => (x + Math.sqrt(x * x + 4)) / 2,
  hard_shrink: (x) => (Math.abs(x) > 0.5 ? x : 0),
  soft_shrink: (x) => Math.sign(x) * Math.max(Math.abs(x) - 0.5, 0),
  sparse_sigmoid: (x) => Math.min(Math.max((x + 1) / 2, 0), 1),
  sparse_plus: (x) => (x <= -1 ? 0 : x >= 1 ? x : (x + 1) ** 2 / 4),
} satisfies Record<ElementwiseActivation, (x: number) => number>;

/** Points inside every branch and away from every kink (0, ±0.5, ±1, ±2.5, ±3, 6). */
const POINTS = [-6.7, -4.1, -2.8, -1.9, -1.3, -0.77, -0.35, -0.12, 0.08, 0.27, 0.61, 0.93, 1.4, 2.05, 2.7, 3.6, 5.2, 6.9];

const ELEMENTWISE = Object.keys(ORACLE) as ElementwiseActivation[];

function expectClose(actual: number, expected: number, rel: number, label: string) {
  const tol = rel * Math.max(1, Math.abs(expected));
  expect(Math.abs(actual - expected) <= tol, `${label}: got ${actual}, expected ${expected}`).toBe(true);
}

describe('the error function', () => {
  it('matches reference values (mpmath, 30 digits)', () => {
    const cases: [number, number][] = [[0.5, 0.5204998778130465], [1, 0.8427007929497149], [2, 0.9953222650189527], [-0.3, -0.3286267594591274]];
    for (const [x, y] of cases) expect(Math.abs(erf(x) - y)).toBeLessThanOrEqual(2 * Number.EPSILON * Math.abs(y));
    const tails: [number, number][] = [[3, 2.209049699858544e-5], [5, 1.5374597944280349e-12], [10, 2.0884875837625448e-45], [-1, 1.8427007929497149]];
    for (const [x, y] of tails) expect(Math.abs(erfc(x) - y)).toBeLessThanOrEqual(4 * Number.EPSILON * y);
    expect(erf(0)).toBe(0);
    expect(erfc(30)).toBe(0);
    expect(erf(Infinity)).toBe(1);
    expect(erf(-Infinity)).toBe(-1);
    expect(erfc(-Infinity)).toBe(2);
    expect(erf(NaN)).toBeNaN();
  });

  it('agrees with an independent series and continued fraction to a few ulp', () => {
    let worstErf = 0;
    let worstErfc = 0;
    for (let i = 0; i <= 4000; i++) {
      const x = -2.5 + (5 * i) / 4000 + 1e-9; // avoids hitting 0 exactly
      worstErf = Math.max(worstErf, Math.abs(erf(x) - erfSeries(x)) / Math.abs(erfSeries(x)));
    }
    for (let i = 0; i <= 4000; i++) {
      const x = 2 + (24 * i) / 4000;
      worstErfc = Math.max(worstErfc, Math.abs(erfc(x) - erfcFraction(x)) / erfcFraction(x));
    }
    expect(worstErf).toBeLessThan(2e-15);
    expect(worstErfc).toBeLessThan(4e-15);
  });

  it('erf(x) + erfc(x) = 1 and erf is odd', () => {
    for (let x = -6; x <= 6; x += 0.0137) {
      expect(Math.abs(erf(x) + erfc(x) - 1)).toBeLessThan(3e-16 * 4);
      expect(erf(-x)).toBe(-erf(x));
    }
  });
});

describe('forward values', () => {
  it('every activation in the vocabulary is handled', () => {
    const special = ['softmax', 'log_softmax', 'glu', 'sparsemax'];
    for (const name of ACTIVATIONS) {
      expect(name in ORACLE || special.includes(name), `${name} has a test oracle`).toBe(true);
      const t = new Tape('float64');
      const y = applyActivation(t, t.constant(fromNested([[0.3, -1.2, 2.5, 0.9]], 'float64')), name);
      expect(y.value.shape, name).toEqual(name === 'glu' ? [1, 2] : [1, 4]);
      expect(Array.from(y.value.data).every(Number.isFinite), name).toBe(true);
    }
  });

  for (const name of ELEMENTWISE) {
    it(`${name} matches its formula`, () => {
      const xs = [...POINTS, -0.5, 0.5, -1, 1, -3, 3, 6, 0];
      const ys = forward(name, xs);
      xs.forEach((x, i) => expectClose(ys[i]!, ORACLE[name](x), 1e-13, `${name}(${x})`));
    });
  }

  it('matches reference numbers (keras.md §3.2, mpmath)', () => {
    const cases: [string, number, number][] = [
      ['gelu', 1, 0.8413447460685429], ['gelu', -1, -0.15865525393145705], ['gelu', 0.5, 0.34573123063700655],
      ['gelu', -3, -0.0040496940948902836], ['gelu', 3, 2.9959503059051097],
      ['selu', 1, 1.0507009873554805], ['selu', -1, -1.1113307378125628], ['elu', -1, -0.6321205588285577],
      ['softplus', 0, Math.LN2], ['softplus', -20, 2.0611536203143807e-9], ['softplus', 20, 20.000000002061154],
      ['softplus', 1, 1.3132616875182228], ['sigmoid', 0, 0.5], ['sigmoid', 2, 0.8807970779778824],
      ['sigmoid', -40, 4.248354255291589e-18], ['silu', 1, 0.7310585786300049], ['swish', 1, 0.7310585786300049],
      ['mish', 1, 0.8650983882673103], ['mish', -2, -0.25250148269570886], ['log_sigmoid', 0, -Math.LN2],
      ['log_sigmoid', -3, -3.048587351573742], ['tanh_shrink', 1, 0.2384058440442351], ['squareplus', 0, 1],
      ['squareplus', 3, 3.3027756377319946], ['softsign', -3, -0.75], ['exponential', 1.5, 4.481689070338065],
      ['tanh', 0.5, 0.46211715726000974], ['leaky_relu', -1, -0.2], ['relu6', 7, 6], ['hard_sigmoid', 1, 2 / 3],
      ['hard_silu', 1, 2 / 3], ['hard_swish', -1, -1 / 3], ['hard_tanh', -4, -1], ['sparse_plus', 0, 0.25],
      ['sparse_sigmoid', 0.5, 0.75], ['hard_shrink', 0.4, 0], ['hard_shrink', -0.6, -0.6], ['soft_shrink', -0.6, -0.1],
      ['celu', -1, -0.6321205588285577],
    ];
    for (const [name, x, y] of cases) expectClose(forward(name, [x])[0]!, y, 2e-16 * 4, `${name}(${x})`);
  });

  it('stays finite far out where naive formulas overflow', () => {
    expect(forward('sigmoid', [-800, 800])).toEqual([0, 1]);
    expect(forward('softplus', [-800, 800])).toEqual([0, 800]);
    expect(forward('log_sigmoid', [800, -800])).toEqual([-0, -800]);
    expect(forward('gelu', [-40, 40])).toEqual([-0, 40]);
    expect(forward('mish', [800])).toEqual([800]);
  });

  it("hard_sigmoid is Keras 3's x/6 + 1/2 unless Keras 2's 0.2x + 1/2 is asked for", () => {
    const k3 = forward('hard_sigmoid', [-3.5, -1, 0, 1.5, 2.6, 3.5]);
    [0, 1 / 3, 0.5, 0.75, 0.5 + 2.6 / 6, 1].forEach((y, i) => expect(k3[i]).toBeCloseTo(y, 15));
    const k2 = forward('hard_sigmoid', [-3, -1, 0, 1.5, 2.6], { hardSigmoid: 'keras2' });
    [0, 0.3, 0.5, 0.8, 1].forEach((y, i) => expect(k2[i]).toBeCloseTo(y, 15));
    // The option changes nothing else.
    expect(forward('hard_silu', [1], { hardSigmoid: 'keras2' })).toEqual(forward('hard_silu', [1]));
  });

  it('computes in float32 on a float32 tape', () => {
    const t = new Tape('float32');
    const y = applyActivation(t, t.constant(fromNested([0.1, -2, 3])), 'gelu');
    expect(y.value.data).toBeInstanceOf(Float32Array);
    Array.from(y.value.data).forEach((v, i) => expect(v).toBe(Math.fround(ORACLE.gelu(Math.fround([0.1, -2, 3][i]!)))));
  });

  it('linear returns its input itself', () => {
    const t = new Tape('float64');
    const x = t.variable(f64([1, 2]));
    expect(applyActivation(t, x, 'linear')).toBe(x);
  });

  it('refuses threshold (it needs arguments) and unknown names, naming them', () => {
    const t = new Tape('float64');
    const x = t.constant(f64([1]));
    expect(() => applyActivation(t, x, 'threshold')).toThrow(/'threshold'.*needs two arguments/);
    expect(() => applyActivation(t, x, 'relu7')).toThrow(/unknown activation 'relu7'/);
    expect(() => applyActivation(t, x, 'toString')).toThrow(/unknown activation 'toString'/);
  });
});

describe('derivatives', () => {
  for (const name of ELEMENTWISE) {
    it(`${name} against float64 finite differences`, () => {
      // One point at a time: summed into one projection, e^6.9 would drown e^−6.7's slope.
      for (const x of POINTS) expectGradients((t, [v]) => applyActivation(t, v!, name), [f64([x])]);
      const moderate = POINTS.filter((x) => Math.abs(x) < 3);
      expectGradients((t, [v]) => applyActivation(t, v!, name), [{ shape: [1, moderate.length], data: Float64Array.from(moderate) }]);
    });
  }

  it("Keras 2's hard_sigmoid against finite differences", () => {
    for (const x of POINTS) expectGradients((t, [v]) => applyActivation(t, v!, 'hard_sigmoid', { hardSigmoid: 'keras2' }), [f64([x])]);
  });

  it('each rule df agrees with the slope of its own f (central differences at the sample points)', () => {
    for (const [name, rule] of [...Object.entries(ACTIVATION_RULES), ['hard_sigmoid (keras2)', HARD_SIGMOID_KERAS2] as const]) {
      for (const x of POINTS) {
        const h = 1e-6;
        const numeric = (rule.f(x + h) - rule.f(x - h)) / (2 * h);
        expectClose(rule.df(x, rule.f(x)), numeric, 1e-6, `${name}'(${x})`);
      }
    }
  });

  it('takes the documented value at each kink', () => {
    expect(derivative('relu', [0])).toEqual([0]);
    expect(derivative('relu6', [0, 6])).toEqual([0, 0]);
    expect(derivative('leaky_relu', [0])).toEqual([0.2]);
    expect(derivative('elu', [0])).toEqual([1]);
    expect(derivative('selu', [0])).toEqual([SELU_SCALE]);
    expect(derivative('celu', [0])).toEqual([1]);
    expect(derivative('hard_sigmoid', [-3, 3])).toEqual([0, 0]);
    expect(derivative('hard_sigmoid', [-2.5, 2.5], { hardSigmoid: 'keras2' })).toEqual([0.2, 0.2]);
    expect(derivative('hard_tanh', [-1, 1])).toEqual([1, 1]);
    expect(derivative('hard_shrink', [-0.5, 0.5])).toEqual([0, 0]);
    expect(derivative('soft_shrink', [-0.5, 0.5])).toEqual([0, 0]);
    expect(derivative('sparse_sigmoid', [-1, 1])).toEqual([0, 0]);
    expect(derivative('sparse_plus', [-1, 1])).toEqual([0, 1]);
    expect(derivative('softsign', [0])).toEqual([1]);
  });

  it('gelu′ = Φ(x) + x·φ(x)', () => {
    const xs = [-2, -0.5, 0, 1, 3];
    derivative('gelu', xs).forEach((d, i) => {
      const x = xs[i]!;
      expectClose(d, 0.5 * (1 + erfSeries(x / Math.SQRT2)) + (x * Math.exp(-x * x / 2)) / Math.sqrt(2 * Math.PI), 1e-14, `gelu'(${x})`);
    });
  });
});

// ---- Activations over the last axis ------------------------------------------------------

/** Sparsemax by bisection on τ with Σ max(x − τ, 0) = 1: a different algorithm from sorting. */
function sparsemaxBisection(row: number[]): number[] {
  let lo = Math.min(...row) - 1;
  let hi = Math.max(...row);
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    const s = row.reduce((a, x) => a + Math.max(x - mid, 0), 0);
    if (s > 1) lo = mid;
    else hi = mid;
  }
  return row.map((x) => Math.max(x - (lo + hi) / 2, 0));
}

const rows = (v: Var, n: number) => {
  const d = Array.from(v.value.data);
  return Array.from({ length: d.length / n }, (_, r) => d.slice(r * n, r * n + n));
};

describe('softmax and log_softmax over the last axis', () => {
  const x = fromNested([[[1, 2, 3, 4], [-2, 0.5, 0, 8]], [[0, 0, 0, 0], [300, 301, 299, -5]]], 'float64');

  it('softmax rows sum to 1 and equal exp(x)/Σexp(x)', () => {
    const t = new Tape('float64');
    const y = applyActivation(t, t.constant(x), 'softmax');
    const xr = rows(t.constant(x), 4);
    rows(y, 4).forEach((r, i) => {
      expect(Math.abs(r.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-15);
      const m = Math.max(...xr[i]!);
      const e = xr[i]!.map((v) => Math.exp(v - m));
      const s = e.reduce((a, b) => a + b, 0);
      r.forEach((v, j) => expectClose(v, e[j]! / s, 1e-15, `softmax[${i}][${j}]`));
    });
  });

  it('log_softmax = log(softmax)', () => {
    const t = new Tape('float64');
    const ls = rows(applyActivation(t, t.constant(x), 'log_softmax'), 4);
    const sm = rows(applyActivation(t, t.constant(x), 'softmax'), 4);
    ls.forEach((r, i) => r.forEach((v, j) => expectClose(v, Math.log(sm[i]![j]!), 1e-13, `log_softmax[${i}][${j}]`)));
  });

  it('gradients', () => {
    const x2 = fromNested([[0.3, -1.2, 2.5, 0.9], [1, 1.5, -0.5, 0]], 'float64');
    expectGradients((t, [v]) => applyActivation(t, v!, 'softmax'), [x2]);
    expectGradients((t, [v]) => applyActivation(t, v!, 'log_softmax'), [x2]);
    expectGradients((t, [v]) => applyActivation(t, v!, 'softmax'), [fromNested([[[0.1, 0.7, -0.4]], [[2, 1, 0]]], 'float64')]);
  });
});

describe('glu', () => {
  it('is a·sigmoid(b) with a, b the halves of the last axis, for any leading shape', () => {
    const t = new Tape('float64');
    const y = applyActivation(t, t.constant(fromNested([[[1, 2, -1, 0.5], [3, -4, 2, -2]]], 'float64')), 'glu');
    expect(y.value.shape).toEqual([1, 2, 2]);
    const expected = [1 * naiveSigmoid(-1), 2 * naiveSigmoid(0.5), 3 * naiveSigmoid(2), -4 * naiveSigmoid(-2)];
    Array.from(y.value.data).forEach((v, i) => expectClose(v, expected[i]!, 1e-15, `glu[${i}]`));
  });

  it('refuses an odd last axis', () => {
    const t = new Tape('float64');
    expect(() => applyActivation(t, t.constant(fromNested([[1, 2, 3]], 'float64')), 'glu')).toThrow(/even size.*\(1, 3\)/);
  });

  it('gradients', () => {
    expectGradients((t, [v]) => applyActivation(t, v!, 'glu'), [fromNested([[0.3, -1.2, 2.5, 0.9, 1, -2], [1, 1.5, -0.5, 0, 0.2, 0.4]], 'float64')]);
    expectGradients((t, [v]) => applyActivation(t, v!, 'glu'), [fromNested([[[0.3, -1.2]], [[2.5, 0.9]]], 'float64')]);
  });
});

describe('sparsemax', () => {
  it('projects onto the simplex (worked examples)', () => {
    const t = new Tape('float64');
    const y = rows(applyActivation(t, t.constant(fromNested([[0.5, 0.2, -0.1], [2, 0, -1], [0, 0, 0]], 'float64')), 'sparsemax'), 3);
    [[0.5 + 0.4 / 3, 0.2 + 0.4 / 3, -0.1 + 0.4 / 3], [1, 0, 0], [1 / 3, 1 / 3, 1 / 3]].forEach((r, i) =>
      r.forEach((v, j) => expectClose(y[i]![j]!, v, 1e-15, `sparsemax[${i}][${j}]`)),
    );
  });

  it('equals the bisection projection for any input (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 1, maxLength: 8 }), (row) => {
        const t = new Tape('float64');
        const y = Array.from(applyActivation(t, t.constant(f64(row)), 'sparsemax').value.data);
        expect(Math.abs(y.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-12);
        expect(y.every((v) => v >= 0)).toBe(true);
        sparsemaxBisection(row).forEach((v, j) => expect(Math.abs(y[j]! - v)).toBeLessThan(1e-12));
      }),
      { numRuns: 200 },
    );
  });

  it('backward is diag(1_S) − 1_S 1_Sᵀ/|S| applied to the gradient', () => {
    const t = new Tape('float64');
    const x = t.variable(fromNested([[0.5, 0.2, -0.1, -2]], 'float64')); // support {0, 1, 2}
    const g = Float64Array.from([1, 4, -2, 7]);
    t.backward(applyActivation(t, x, 'sparsemax'), g);
    const m = (1 + 4 - 2) / 3;
    expect(Array.from(x.grad!)).toEqual([1 - m, 4 - m, -2 - m, 0]);
  });

  it('gradients against finite differences (inputs away from the support boundary)', () => {
    expectGradients((t, [v]) => applyActivation(t, v!, 'sparsemax'), [fromNested([[0.5, 0.2, -0.1, -2], [1.3, 0.2, 1.1, 0.9], [3, -1, 0, 0.5]], 'float64')]);
  });
});
