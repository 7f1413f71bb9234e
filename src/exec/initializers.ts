/**
 * Keras weight initializers (reference/keras.md §4) drawing from the executor's seeded PRNG.
 * An initializer is a string (`'glorot_uniform'`, `'normal'`, `'Zeros'`, …) or a Keras object
 * `{class_name, config}`; names resolve through `initializerClass` of layers/vocab.ts, and
 * every config field takes Keras's default when absent.
 *
 * Values are drawn in row-major order of the weight's shape (as tfjs does), computed in
 * float64 and rounded once to the requested dtype. Keras's own generators are different
 * algorithms, so the numbers differ from Keras's for any seed; the distributions are Keras's.
 * A `seed` in the config gives the initializer a generator of its own (the same tensor on
 * every call, as a seeded Keras 3 initializer does); otherwise the caller's generator is used.
 */
import { initializerClass, type InitializerClass } from '../layers/vocab.js';
import { createRng, type Rng } from './random.js';
import { alloc, sizeOf, type ExecDType, type Tensor } from './tensor.js';

/** The standard deviation of a standard normal truncated to ±2: √scale is divided by it. */
export const TRUNCATED_NORMAL_STDDEV = 0.87962566103423978;

type Value = number | string;
interface Field {
  readonly default: Value;
  /** Returns the normalised value, or null if `v` is not acceptable. */
  check(v: unknown): Value | null;
  readonly expected: string;
}

const number = (d: number): Field => ({
  default: d,
  check: (v) => (typeof v === 'number' && Number.isFinite(v) ? v : null),
  expected: 'a finite number',
});
const positive = (d: number): Field => ({
  default: d,
  check: (v) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : null),
  expected: 'a positive number',
});
const oneOf = (values: readonly string[], d: string, normalise: (s: string) => string = (s) => s): Field => ({
  default: d,
  check: (v) => (typeof v === 'string' && values.includes(normalise(v)) ? normalise(v) : null),
  expected: `one of ${values.map((s) => `'${s}'`).join(', ')}`,
});

const MODES = ['fan_in', 'fan_out', 'fan_avg'] as const;
const DISTRIBUTIONS = ['truncated_normal', 'untruncated_normal', 'uniform', 'normal'] as const;
type Mode = (typeof MODES)[number];
type Distribution = 'truncated_normal' | 'untruncated_normal' | 'uniform';

/** Each class's config fields with Keras's defaults (§4.2); the VarianceScaling presets have none. */
const FIELDS = {
  RandomUniform: { minval: number(-0.05), maxval: number(0.05) },
  RandomNormal: { mean: number(0), stddev: number(0.05) },
  TruncatedNormal: { mean: number(0), stddev: number(0.05) },
  Zeros: {},
  Ones: {},
  Constant: { value: number(0) },
  Identity: { gain: number(1) },
  Orthogonal: { gain: number(1) },
  VarianceScaling: {
    scale: positive(1),
    mode: oneOf(MODES, 'fan_in'),
    // Keras lower-cases the distribution and reads 'normal' as 'truncated_normal'.
    distribution: oneOf(DISTRIBUTIONS, 'truncated_normal', (s) => s.toLowerCase()),
  },
  GlorotUniform: {},
  GlorotNormal: {},
  HeUniform: {},
  HeNormal: {},
  LecunUniform: {},
  LecunNormal: {},
} as const satisfies Record<InitializerClass, Readonly<Record<string, Field>>>;

/** The named VarianceScaling variants (§4.3 table). */
const PRESETS: Readonly<Partial<Record<InitializerClass, { scale: number; mode: Mode; distribution: Distribution }>>> = {
  GlorotUniform: { scale: 1, mode: 'fan_avg', distribution: 'uniform' },
  GlorotNormal: { scale: 1, mode: 'fan_avg', distribution: 'truncated_normal' },
  HeUniform: { scale: 2, mode: 'fan_in', distribution: 'uniform' },
  HeNormal: { scale: 2, mode: 'fan_in', distribution: 'truncated_normal' },
  LecunUniform: { scale: 1, mode: 'fan_in', distribution: 'uniform' },
  LecunNormal: { scale: 1, mode: 'fan_in', distribution: 'truncated_normal' },
};

const DETERMINISTIC: ReadonlySet<InitializerClass> = new Set(['Zeros', 'Ones', 'Constant', 'Identity']);

/** An initializer with its class resolved and every config field filled in. */
export interface InitializerSpec {
  readonly className: InitializerClass;
  readonly config: Readonly<Record<string, Value>>;
  /** The config's own seed, if it has one. */
  readonly seed: number | null;
}

function describe(v: unknown): string {
  return v === undefined ? 'nothing' : JSON.stringify(v) ?? String(v);
}

/**
 * Resolves a string or `{class_name, config}` initializer, filling Keras's defaults. Throws
 * an Error naming the initializer, the field, what was found and what was expected; the
 * frontends can call it to turn bad configs into diagnostics before execution.
 */
export function resolveInitializer(initializer: unknown): InitializerSpec {
  let name: unknown = initializer;
  let config: unknown = {};
  if (typeof initializer === 'object' && initializer !== null && !Array.isArray(initializer)) {
    const o = initializer as Record<string, unknown>;
    name = o['class_name'];
    config = o['config'] ?? {};
  }
  const className = typeof name === 'string' ? initializerClass(name) : undefined;
  if (!className) throw new Error(`unknown initializer ${describe(name)}: expected a Keras initializer name or {class_name, config}`);
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new Error(`initializer '${className}': 'config' must be a mapping, got ${describe(config)}`);
  }
  const given = config as Record<string, unknown>;
  const fields: Readonly<Record<string, Field>> = FIELDS[className];
  const out: Record<string, Value> = {};
  for (const [key, field] of Object.entries(fields)) {
    if (given[key] === undefined || given[key] === null) {
      out[key] = field.default;
      continue;
    }
    const v = field.check(given[key]);
    if (v === null) throw new Error(`initializer '${className}': '${key}' must be ${field.expected}, got ${describe(given[key])}`);
    out[key] = v;
  }
  if (out['distribution'] === 'normal') out['distribution'] = 'truncated_normal';
  // `dtype` appears in older serialisations and is the executor's choice here; `seed` is read below.
  const known = new Set([...Object.keys(fields), 'dtype', ...(DETERMINISTIC.has(className) ? [] : ['seed'])]);
  const unknown = Object.keys(given).filter((k) => !known.has(k));
  if (unknown.length) {
    const valid = [...known].filter((k) => k !== 'dtype');
    throw new Error(
      `initializer '${className}' has no argument ${unknown.map((k) => `'${k}'`).join(', ')}; ` +
        (valid.length ? `its arguments are ${valid.map((k) => `'${k}'`).join(', ')}` : 'it takes no arguments'),
    );
  }
  const seed = given['seed'] ?? null;
  if (seed !== null && !Number.isSafeInteger(seed)) throw new Error(`initializer '${className}': 'seed' must be an integer or null, got ${describe(seed)}`);
  return { className, config: out, seed: seed as number | null };
}

/**
 * Keras's `compute_fans` (§4.3): rank 0 → (1, 1); rank 1 → (n, n); rank 2 → (in, out);
 * higher ranks multiply both by the receptive field ∏ shape[:-2].
 */
export function computeFans(shape: readonly number[]): [number, number] {
  const r = shape.length;
  if (r === 0) return [1, 1];
  if (r === 1) return [shape[0]!, shape[0]!];
  const receptive = sizeOf(shape.slice(0, -2));
  return [shape[r - 2]! * receptive, shape[r - 1]! * receptive];
}

/** A standard normal redrawn until it lies within ±2. */
function truncatedNormal(rng: Rng): number {
  let z = rng.normal();
  while (Math.abs(z) > 2) z = rng.normal();
  return z;
}

/**
 * An m×n matrix (m ≥ n, row-major) → the Q of its thin QR decomposition with the signs that
 * make diag(R) positive (Keras's `q *= sign(diag(r))`), by Householder reflections.
 */
export function orthonormalize(a: Float64Array, m: number, n: number): Float64Array {
  const A = Float64Array.from(a);
  const reflectors: (Float64Array | null)[] = [];
  const rDiag = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let norm2 = 0;
    for (let i = k; i < m; i++) norm2 += A[i * n + k]! ** 2;
    const x0 = A[k * n + k]!;
    // α = −sign(x₀)‖x‖ keeps v₀ = x₀ − α free of cancellation.
    const alpha = x0 > 0 ? -Math.sqrt(norm2) : Math.sqrt(norm2);
    const v = new Float64Array(m - k);
    for (let i = k; i < m; i++) v[i - k] = A[i * n + k]!;
    v[0] = x0 - alpha;
    let v2 = 0;
    for (const e of v) v2 += e * e;
    if (v2 === 0) {
      reflectors.push(null);
      rDiag[k] = x0;
      continue;
    }
    for (let j = k; j < n; j++) {
      let s = 0;
      for (let i = k; i < m; i++) s += v[i - k]! * A[i * n + j]!;
      const f = (2 * s) / v2;
      for (let i = k; i < m; i++) A[i * n + j]! -= f * v[i - k]!;
    }
    reflectors.push(v);
    rDiag[k] = alpha;
  }
  // Q = H₀H₁…Hₙ₋₁ applied to the first n columns of the identity.
  const Q = new Float64Array(m * n);
  for (let j = 0; j < n; j++) Q[j * n + j] = 1;
  for (let k = n - 1; k >= 0; k--) {
    const v = reflectors[k];
    if (!v) continue;
    let v2 = 0;
    for (const e of v) v2 += e * e;
    for (let j = k; j < n; j++) {
      let s = 0;
      for (let i = k; i < m; i++) s += v[i - k]! * Q[i * n + j]!;
      const f = (2 * s) / v2;
      for (let i = k; i < m; i++) Q[i * n + j]! -= f * v[i - k]!;
    }
  }
  for (let j = 0; j < n; j++) {
    const sign = Math.sign(rDiag[j]!); // numpy's sign: a zero pivot zeroes its column, as in Keras
    for (let i = 0; i < m; i++) Q[i * n + j]! *= sign;
  }
  return Q;
}

/** Keras's Orthogonal: rows = ∏ shape[:-1], cols = shape[-1]; Q of a normal max×min matrix. */
function orthogonal(shape: readonly number[], gain: number, rng: Rng, out: Float64Array): void {
  if (shape.length < 2) {
    throw new Error(`the Orthogonal initializer needs a weight of rank 2 or more, got shape (${shape.join(', ')}) of rank ${shape.length}`);
  }
  const cols = shape[shape.length - 1]!;
  const rows = out.length / Math.max(cols, 1);
  if (out.length === 0) return;
  const m = Math.max(rows, cols);
  const n = Math.min(rows, cols);
  const a = new Float64Array(m * n);
  for (let i = 0; i < a.length; i++) a[i] = rng.normal();
  const q = orthonormalize(a, m, n);
  if (rows >= cols) {
    for (let i = 0; i < q.length; i++) out[i] = gain * q[i]!;
  } else {
    // q is cols×rows; the weight is its transpose.
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[i * cols + j] = gain * q[j * rows + i]!;
  }
}

/**
 * A new tensor of `shape` filled by `initializer` (a Keras name or `{class_name, config}`),
 * drawing from `rng` unless the config has its own seed.
 */
export function initialize(initializer: unknown, shape: readonly number[], rng: Rng, dtype: ExecDType): Tensor {
  if (!shape.every((d) => Number.isSafeInteger(d) && d >= 0)) throw new Error(`internal error: initializer shape (${shape.join(', ')}) is not a list of sizes`);
  const spec = resolveInitializer(initializer);
  const draw = spec.seed === null ? rng : createRng(spec.seed);
  const c = spec.config;
  const num = (key: string) => c[key] as number;
  const values = new Float64Array(sizeOf(shape));
  const preset = PRESETS[spec.className];
  switch (spec.className) {
    case 'Zeros':
      break;
    case 'Ones':
      values.fill(1);
      break;
    case 'Constant':
      values.fill(num('value'));
      break;
    case 'RandomUniform': {
      const lo = num('minval');
      const width = num('maxval') - lo;
      for (let i = 0; i < values.length; i++) values[i] = lo + width * draw.next();
      break;
    }
    case 'RandomNormal':
      for (let i = 0; i < values.length; i++) values[i] = num('mean') + num('stddev') * draw.normal();
      break;
    case 'TruncatedNormal':
      for (let i = 0; i < values.length; i++) values[i] = num('mean') + num('stddev') * truncatedNormal(draw);
      break;
    case 'Identity': {
      if (shape.length !== 2) {
        throw new Error(`the Identity initializer only makes 2-D matrices, got shape (${shape.join(', ')}) of rank ${shape.length}`);
      }
      const [r, k] = shape as [number, number];
      for (let i = 0; i < Math.min(r, k); i++) values[i * k + i] = num('gain');
      break;
    }
    case 'Orthogonal':
      orthogonal(shape, num('gain'), draw, values);
      break;
    default:
      varianceScaling(shape, preset ?? (c as { scale: number; mode: Mode; distribution: Distribution }), draw, values);
  }
  const data = alloc(dtype, values.length);
  data.set(values);
  return { shape: [...shape], data };
}

/** §4.3: the scale divided by the chosen fan, then a uniform, truncated or plain normal. */
function varianceScaling(shape: readonly number[], o: { scale: number; mode: Mode; distribution: Distribution }, rng: Rng, out: Float64Array): void {
  const [fanIn, fanOut] = computeFans(shape);
  const fan = o.mode === 'fan_in' ? fanIn : o.mode === 'fan_out' ? fanOut : (fanIn + fanOut) / 2;
  const scale = o.scale / Math.max(1, fan);
  if (o.distribution === 'uniform') {
    const limit = Math.sqrt(3 * scale);
    for (let i = 0; i < out.length; i++) out[i] = -limit + 2 * limit * rng.next();
  } else if (o.distribution === 'untruncated_normal') {
    const stddev = Math.sqrt(scale);
    for (let i = 0; i < out.length; i++) out[i] = stddev * rng.normal();
  } else {
    const stddev = Math.sqrt(scale) / TRUNCATED_NORMAL_STDDEV;
    for (let i = 0; i < out.length; i++) out[i] = stddev * truncatedNormal(rng);
  }
}
