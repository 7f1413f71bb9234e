/**
 * Keras activations on the tape (reference/keras.md §3, Keras 3 forms). Elementwise ones are
 * one `{ f, df }` rule each in `ACTIVATION_RULES`, run by `ops.unary`; softmax and
 * log_softmax are the ops of the same name over the last axis; glu is composed from reshape,
 * gather and mul; sparsemax is the one activation with its own backward rule.
 *
 * Derivatives at kinks follow the TensorFlow kernels Keras's TF backend runs
 * (reference/keras.md §7.2), strict comparisons unless stated:
 * - relu 0 at 0 (ReluGrad); relu6 1 only on (0, 6) (Relu6Grad); leaky_relu 0.2 at 0;
 * - elu, selu: the x ≥ 0 branch at 0, as K3's numpy backend writes the forward pass and as
 *   TF's EluGrad/SeluGrad do (they test the output y < 0): elu'(0) = 1, selu'(0) = scale;
 * - hard_sigmoid (K3 = relu6(x + 3)/6): 1/6 on the open (−3, 3), as Relu6Grad;
 *   Keras 2's clip(0.2x + 0.5, 0, 1): 0.2 on the closed [−2.5, 2.5], and hard_tanh 1 on
 *   [−1, 1]: tf.clip_by_value's gradient passes at the bounds;
 * - hard_shrink, soft_shrink 0 at ±0.5; sparse_sigmoid 0.5 only on (−1, 1) (tf.where);
 * - celu'(0) = 1: the function is C¹ there (TF's max + min composition would give 2, an
 *   artefact of both ties taking the gradient). softsign and sparse_plus are C¹ too.
 */
import type { ActivationName } from '../layers/vocab.js';
import { accumulate, type Tape, type Var } from './autograd.js';
import * as ops from './ops.js';
import type { UnaryRule } from './ops.js';
import { alloc, dtypeOf, sizeOf } from './tensor.js';

// ---------------------------------------------------------------------------------------
// The error function.
// W. J. Cody, "Rational Chebyshev approximations for the error function", Math. Comp. 23
// (1969) 631-637, coefficients of netlib specfun CALERF. Three intervals: erf on |x| ≤ 0.5,
// erfc·eˣ² on [0.5, 4], and an asymptotic form beyond. e^(−x²) is computed as
// e^(−s²)·e^(−(x−s)(x+s)) with s = x rounded down to 1/16, so x² suffers no rounding.
// Measured against mpmath at 50 digits on 200k points of [−6, 27.3]: max relative error
// 4.3e-16 (3.2 ulp) for erf, 8.6e-16 (6 ulp) for erfc. (Abramowitz–Stegun 7.1.26, at 1.5e-7,
// would fail float64 gradchecks.) test/exec/activations.test.ts checks both against an
// independent series and continued fraction.
const ERF_A = [3.16112374387056560e0, 1.13864154151050156e2, 3.77485237685302021e2, 3.20937758913846947e3, 1.85777706184603153e-1];
const ERF_B = [2.36012909523441209e1, 2.44024637934444173e2, 1.28261652607737228e3, 2.84423683343917062e3];
const ERF_C = [
  5.64188496988670089e-1, 8.88314979438837594e0, 6.61191906371416295e1, 2.98635138197400131e2, 8.81952221241769090e2,
  1.71204761263407058e3, 2.05107837782607147e3, 1.23033935479799725e3, 2.15311535474403846e-8,
];
const ERF_D = [
  1.57449261107098347e1, 1.17693950891312499e2, 5.37181101862009858e2, 1.62138957456669019e3, 3.29079923573345963e3,
  4.36261909014324716e3, 3.43936767414372164e3, 1.23033935480374942e3,
];
const ERF_P = [3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1, 1.60837851487422766e-2, 6.58749161529837803e-4, 1.63153871373020978e-2];
const ERF_Q = [2.56852019228982242e0, 1.87295284992346047e0, 5.27905102951428412e-1, 6.05183413124413191e-2, 2.33520497626869185e-3];
const INV_SQRT_PI = 5.6418958354775628695e-1;

/** erf(x) for |x| ≤ 0.46875. */
function erfSmall(x: number): number {
  const z = x * x;
  let num = ERF_A[4]! * z;
  let den = z;
  for (let i = 0; i < 3; i++) {
    num = (num + ERF_A[i]!) * z;
    den = (den + ERF_B[i]!) * z;
  }
  return (x * (num + ERF_A[3]!)) / (den + ERF_B[3]!);
}

/** erfc(y) for y > 0.46875. */
function erfcLarge(y: number): number {
  let r: number;
  if (y <= 4) {
    let num = ERF_C[8]! * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + ERF_C[i]!) * y;
      den = (den + ERF_D[i]!) * y;
    }
    r = (num + ERF_C[7]!) / (den + ERF_D[7]!);
  } else {
    if (y >= 27.3) return 0; // erfc underflows (and ∞ − ∞ below would give NaN)
    const z = 1 / (y * y);
    let num = ERF_P[5]! * z;
    let den = z;
    for (let i = 0; i < 4; i++) {
      num = (num + ERF_P[i]!) * z;
      den = (den + ERF_Q[i]!) * z;
    }
    r = (INV_SQRT_PI - (z * (num + ERF_P[4]!)) / (den + ERF_Q[4]!)) / y;
  }
  const s = Math.trunc(y * 16) / 16;
  return Math.exp(-s * s) * Math.exp(-(y - s) * (y + s)) * r;
}

/** The error function, to about 1 ulp (W. J. Cody's rational approximations). */
export function erf(x: number): number {
  const y = Math.abs(x);
  if (y <= 0.46875) return erfSmall(x);
  if (Number.isNaN(x)) return NaN;
  const e = 1 - erfcLarge(y);
  return x < 0 ? -e : e;
}

/** The complementary error function 1 − erf(x), accurate in both tails. */
export function erfc(x: number): number {
  const y = Math.abs(x);
  if (y <= 0.46875) return 1 - erfSmall(x);
  if (Number.isNaN(x)) return NaN;
  const c = erfcLarge(y);
  return x < 0 ? 2 - c : c;
}

// ---------------------------------------------------------------------------------------
// Scalar building blocks, each stable at both ends.
const sigmoid = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
/** log(1 + eˣ) without overflow (K3 numpy: logaddexp(x, 0)). */
const softplus = (x: number) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
/** Standard normal CDF Φ(x) = ½·erfc(−x/√2): no cancellation for x ≪ 0. */
const normalCdf = (x: number) => 0.5 * erfc(-x * Math.SQRT1_2);
const normalPdf = (x: number) => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
const clip = (x: number, lo: number, hi: number) => Math.min(Math.max(x, lo), hi);

/** selu's α and scale (Klambauer et al. 2017; the same digits in Keras, TF and Keras 2). */
export const SELU_ALPHA = 1.6732632423543772848170429916717;
export const SELU_SCALE = 1.0507009873554804934193349852946;
/** `leaky_relu` by name: negative slope 0.2 (the LeakyReLU *layer* defaults to 0.3). */
export const LEAKY_RELU_SLOPE = 0.2;

const hardSigmoid3 = (x: number) => clip(x / 6 + 0.5, 0, 1);
const hardSigmoid3d = (x: number) => (x > -3 && x < 3 ? 1 / 6 : 0);

/** Keras 2's hard_sigmoid (TF Keras, multi-backend Keras): clip(0.2·x + 0.5, 0, 1). */
export const HARD_SIGMOID_KERAS2: UnaryRule = {
  f: (x) => clip(0.2 * x + 0.5, 0, 1),
  df: (x) => (x >= -2.5 && x <= 2.5 ? 0.2 : 0),
};

const SILU: UnaryRule = {
  f: (x) => x * sigmoid(x),
  df: (x) => {
    const s = sigmoid(x);
    return s + x * s * (1 - s);
  },
};
const HARD_SILU: UnaryRule = { f: (x) => x * hardSigmoid3(x), df: (x) => hardSigmoid3(x) + x * hardSigmoid3d(x) };

/** The activations computed element by element. */
export type ElementwiseActivation = Exclude<ActivationName, 'softmax' | 'log_softmax' | 'glu' | 'sparsemax'>;

/** Each elementwise activation as a value rule and its derivative (`df(x, y)`, y = f(x)). */
export const ACTIVATION_RULES = {
  linear: { f: (x) => x, df: () => 1 },
  relu: { f: (x) => Math.max(x, 0), df: (x) => (x > 0 ? 1 : 0) },
  relu6: { f: (x) => clip(x, 0, 6), df: (x) => (x > 0 && x < 6 ? 1 : 0) },
  leaky_relu: { f: (x) => (x > 0 ? x : LEAKY_RELU_SLOPE * x), df: (x) => (x > 0 ? 1 : LEAKY_RELU_SLOPE) },
  elu: { f: (x) => (x >= 0 ? x : Math.expm1(x)), df: (x) => (x >= 0 ? 1 : Math.exp(x)) },
  selu: {
    f: (x) => SELU_SCALE * (x >= 0 ? x : SELU_ALPHA * Math.expm1(x)),
    df: (x) => SELU_SCALE * (x >= 0 ? 1 : SELU_ALPHA * Math.exp(x)),
  },
  celu: { f: (x) => (x >= 0 ? x : Math.expm1(x)), df: (x) => (x >= 0 ? 1 : Math.exp(x)) }, // α = 1
  sigmoid: { f: sigmoid, df: (_x, y) => y * (1 - y) },
  hard_sigmoid: { f: hardSigmoid3, df: hardSigmoid3d },
  hard_silu: HARD_SILU,
  hard_swish: HARD_SILU,
  tanh: { f: Math.tanh, df: (_x, y) => 1 - y * y },
  hard_tanh: { f: (x) => clip(x, -1, 1), df: (x) => (x >= -1 && x <= 1 ? 1 : 0) },
  tanh_shrink: { f: (x) => x - Math.tanh(x), df: (x) => Math.tanh(x) ** 2 },
  softplus: { f: softplus, df: sigmoid },
  log_sigmoid: { f: (x) => -softplus(-x), df: (x) => sigmoid(-x) },
  softsign: { f: (x) => x / (1 + Math.abs(x)), df: (x) => 1 / (1 + Math.abs(x)) ** 2 },
  silu: SILU,
  swish: SILU,
  gelu: { f: (x) => x * normalCdf(x), df: (x) => normalCdf(x) + x * normalPdf(x) }, // exact (erf) form
  mish: {
    f: (x) => x * Math.tanh(softplus(x)),
    df: (x) => {
      const t = Math.tanh(softplus(x));
      return t + x * (1 - t * t) * sigmoid(x);
    },
  },
  exponential: { f: Math.exp, df: (_x, y) => y },
  squareplus: {
    // b = 4
    f: (x) => (x + Math.sqrt(x * x + 4)) / 2,
    df: (x) => (1 + x / Math.sqrt(x * x + 4)) / 2,
  },
  hard_shrink: { f: (x) => (Math.abs(x) > 0.5 ? x : 0), df: (x) => (Math.abs(x) > 0.5 ? 1 : 0) },
  soft_shrink: { f: (x) => (x > 0.5 ? x - 0.5 : x < -0.5 ? x + 0.5 : 0), df: (x) => (Math.abs(x) > 0.5 ? 1 : 0) },
  sparse_sigmoid: { f: (x) => (x <= -1 ? 0 : x >= 1 ? 1 : 0.5 * (x + 1)), df: (x) => (x > -1 && x < 1 ? 0.5 : 0) },
  sparse_plus: {
    f: (x) => (x <= -1 ? 0 : x >= 1 ? x : 0.25 * (x + 1) ** 2),
    df: (x) => (x <= -1 ? 0 : x >= 1 ? 1 : 0.5 * (x + 1)),
  },
} as const satisfies Record<ElementwiseActivation, UnaryRule>;

// ---------------------------------------------------------------------------------------
// The activations over the last axis.

/** glu: a·sigmoid(b), a and b the two halves of the last axis (K3 `ops.glu`). */
function glu(tape: Tape, x: Var): Var {
  const shape = x.value.shape;
  const n = shape[shape.length - 1] ?? 0;
  if (shape.length === 0 || n % 2 !== 0) {
    throw new Error(`glu splits the last axis in two halves; it needs an even size, got shape (${shape.join(', ')})`);
  }
  const half = n / 2;
  const rows = sizeOf(shape.slice(0, -1));
  // As [rows·2, half], row 2r is the first half of row r and row 2r + 1 the second.
  const pairs = ops.reshape(tape, x, [rows * 2, half]);
  const pick = (offset: number) => {
    const index = alloc('float64', rows);
    for (let r = 0; r < rows; r++) index[r] = 2 * r + offset;
    return ops.reshape(tape, ops.gather(tape, pairs, { shape: [rows], data: index }), [...shape.slice(0, -1), half]);
  };
  return ops.mul(tape, pick(0), ops.unary(tape, pick(1), ACTIVATION_RULES.sigmoid));
}

/**
 * sparsemax over the last axis: the Euclidean projection onto the probability simplex
 * (Martins & Astudillo 2016), y = max(x − τ, 0). Its Jacobian on the support S = {y > 0}
 * is diag(1_S) − 1_S 1_Sᵀ/|S|, so the gradient is g − mean_S(g) on S and 0 elsewhere.
 */
function sparsemax(tape: Tape, x: Var): Var {
  const shape = x.value.shape;
  const n = shape[shape.length - 1] ?? 1;
  const X = x.value.data;
  const Y = alloc(dtypeOf(X), X.length);
  const sorted = new Float64Array(n);
  for (let base = 0; base < X.length; base += n) {
    for (let j = 0; j < n; j++) sorted[j] = X[base + j]!;
    sorted.sort().reverse();
    // k = the largest j with 1 + j·z₍ⱼ₎ > Σ_{i≤j} z₍ᵢ₎ (K3's support test); τ from its sum.
    let cumsum = 0;
    let k = 0;
    let kSum = 0;
    for (let j = 0; j < n; j++) {
      cumsum += sorted[j]!;
      if (sorted[j]! - (cumsum - 1) / (j + 1) > 0) {
        k = j + 1;
        kSum = cumsum;
      }
    }
    const tau = (kSum - 1) / k;
    for (let j = 0; j < n; j++) Y[base + j] = Math.max(X[base + j]! - tau, 0);
  }
  return tape.record({ shape, data: Y }, [x], (G) => {
    const dX = alloc(dtypeOf(X), X.length);
    for (let base = 0; base < X.length; base += n) {
      let total = 0;
      let size = 0;
      for (let j = 0; j < n; j++) {
        if (Y[base + j]! > 0) {
          total += G[base + j]!;
          size++;
        }
      }
      const meanG = size ? total / size : 0;
      for (let j = 0; j < n; j++) dX[base + j] = Y[base + j]! > 0 ? G[base + j]! - meanG : 0;
    }
    accumulate(x, dX);
  });
}

export interface ActivationOptions {
  /**
   * Which hard_sigmoid: Keras 3's clip(x/6 + 0.5, 0, 1) or Keras 2's clip(0.2x + 0.5, 0, 1).
   * @default 'keras3'
   */
  readonly hardSigmoid?: 'keras3' | 'keras2';
}

/**
 * The elementwise rule of an activation, for ops that fuse it (ops.dense); undefined for the
 * activations that are not elementwise (softmax, log_softmax, glu, sparsemax) and `threshold`.
 */
export function elementwiseRule(name: string, options: ActivationOptions = {}): UnaryRule | undefined {
  if (name === 'hard_sigmoid') return options.hardSigmoid === 'keras2' ? HARD_SIGMOID_KERAS2 : ACTIVATION_RULES.hard_sigmoid;
  return Object.hasOwn(ACTIVATION_RULES, name) ? ACTIVATION_RULES[name as ElementwiseActivation] : undefined;
}

/**
 * Applies the Keras activation `name` (a name of `ACTIVATIONS` in layers/vocab.ts) to `x`.
 * `linear` returns `x` itself. Names are validated when a model is built, so an unknown one
 * here is an internal error.
 */
export function applyActivation(tape: Tape, x: Var, name: string, options: ActivationOptions = {}): Var {
  switch (name) {
    case 'linear':
      return x;
    case 'softmax':
      return ops.softmax(tape, x, -1);
    case 'log_softmax':
      return ops.logSoftmax(tape, x, -1);
    case 'glu':
      return glu(tape, x);
    case 'sparsemax':
      return sparsemax(tape, x);
    case 'hard_sigmoid':
      return ops.unary(tape, x, options.hardSigmoid === 'keras2' ? HARD_SIGMOID_KERAS2 : ACTIVATION_RULES.hard_sigmoid);
    case 'threshold':
      throw new Error(
        "the 'threshold' activation needs two arguments (threshold, default_value) and cannot be used by name " +
          '(Keras fails on it too); use a ReLU layer with `threshold` or a custom layer instead',
      );
  }
  const rule: UnaryRule | undefined = Object.hasOwn(ACTIVATION_RULES, name) ? ACTIVATION_RULES[name as ElementwiseActivation] : undefined;
  if (!rule) {
    throw new Error(`internal error: unknown activation '${name}' reached the executor (activation names are validated when the model is built)`);
  }
  return ops.unary(tape, x, rule);
}
