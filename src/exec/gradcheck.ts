/**
 * Checks analytic gradients against central finite differences in float64: the oracle every
 * op, activation, loss and layer is tested against (STYLE.md rule 7), and what
 * `densegraph gradcheck` runs on a whole model.
 */
import { Tape, type Var } from './autograd.js';
import { cast, type Float, type Tensor } from './tensor.js';
import type { WeightStore } from './weights.js';

export interface GradcheckResult {
  /** Largest |analytic − numeric| / max(1e-8, |analytic| + |numeric|) per input. */
  readonly relativeErrors: number[];
  /** Largest absolute difference per input. */
  readonly absoluteErrors: number[];
}

/**
 * `fn` builds a scalar (or any tensor, reduced by summing with fixed random weights) from
 * variables holding `inputs`. Every input is differentiated.
 */
export function gradcheck(fn: (tape: Tape, vars: Var[]) => Var, inputs: readonly Tensor[], step = 1e-6): GradcheckResult {
  const values = inputs.map((t) => cast(t, 'float64'));
  const evaluate = (vals: readonly Tensor[]) => {
    const tape = new Tape('float64');
    const vars = vals.map((v) => tape.variable(v));
    return { tape, vars, out: fn(tape, vars) };
  };
  const { tape, vars, out } = evaluate(values);
  // Project a tensor output onto fixed weights so every output element matters.
  const weights = Float64Array.from(out.value.data, (_, i) => 1 + ((i * 7919) % 13) / 13);
  const project = (o: Var) => {
    let total = 0;
    const d = o.value.data;
    for (let i = 0; i < d.length; i++) total += d[i]! * weights[i]!;
    return total;
  };
  tape.backward(out, weights);
  const relativeErrors: number[] = [];
  const absoluteErrors: number[] = [];
  values.forEach((value, k) => {
    const analytic = vars[k]!.grad ?? new Float64Array(value.data.length);
    let worstRel = 0;
    let worstAbs = 0;
    for (let i = 0; i < value.data.length; i++) {
      const plus = values.map((v, j) => (j === k ? { shape: v.shape, data: Float64Array.from(v.data) } : v));
      const minus = values.map((v, j) => (j === k ? { shape: v.shape, data: Float64Array.from(v.data) } : v));
      plus[k]!.data[i]! += step;
      minus[k]!.data[i]! -= step;
      const numeric = (project(evaluate(plus).out) - project(evaluate(minus).out)) / (2 * step);
      const a = analytic[i]!;
      const abs = Math.abs(a - numeric);
      worstAbs = Math.max(worstAbs, abs);
      worstRel = Math.max(worstRel, abs / Math.max(1e-8, Math.abs(a) + Math.abs(numeric)));
    }
    relativeErrors.push(worstRel);
    absoluteErrors.push(worstAbs);
  });
  return { relativeErrors, absoluteErrors };
}

/** Worst relative error of one weight's gradient. */
export interface WeightCheck {
  readonly name: string;
  readonly relativeError: number;
  readonly absoluteError: number;
  readonly checked: number;
}

/**
 * Compares every trainable weight's analytic gradient of `loss(model(inputs), targets)` with
 * central differences in float64. Large weights are sampled (at most `maxPerWeight` entries,
 * spread evenly) so the check stays quick.
 */
export function gradcheckModel(
  lossAt: (weights: WeightStore) => number,
  gradients: ReadonlyMap<string, Float>,
  weights: WeightStore,
  options: { step?: number; maxPerWeight?: number } = {},
): WeightCheck[] {
  const step = options.step ?? 1e-6;
  const maxPerWeight = options.maxPerWeight ?? 64;
  const results: WeightCheck[] = [];
  for (const [name, analytic] of gradients) {
    const value = weights.get(name)!;
    const n = value.data.length;
    const stride = Math.max(1, Math.floor(n / maxPerWeight));
    let worstRel = 0;
    let worstAbs = 0;
    let checked = 0;
    for (let i = 0; i < n; i += stride) {
      const original = value.data[i]!;
      value.data[i] = original + step;
      const plus = lossAt(weights);
      value.data[i] = original - step;
      const minus = lossAt(weights);
      value.data[i] = original;
      const numeric = (plus - minus) / (2 * step);
      const a = analytic[i]!;
      const abs = Math.abs(a - numeric);
      worstAbs = Math.max(worstAbs, abs);
      // Gradients that are zero in theory (a bias that cancels out) would make any rounding a
      // 100% relative error; below 1e-6 the difference is measured against 1e-6 instead.
      worstRel = Math.max(worstRel, abs / Math.max(1e-6, Math.abs(a) + Math.abs(numeric)));
      checked++;
    }
    results.push({ name, relativeError: worstRel, absoluteError: worstAbs, checked });
  }
  return results;
}
