/**
 * Keras 3 optimisers, updating parameter values in place. Each is one loop over the
 * parameters plus its moment state (STYLE.md rule 6: "Adam is SGD's loop plus moment
 * state"); the formulas are those of `keras/src/optimizers/{sgd,adam,rmsprop}.py`
 * (`update_step`), with Keras 3's defaults.
 *
 * State (momentum, velocity, …) is created lazily on the first step, zero-filled in the
 * parameter's dtype, and belongs to the parameter at the same position in the list, as
 * Keras's `_get_variable_index`. A later step must pass the same number of parameters with
 * the same sizes; anything else is a caller bug and throws.
 *
 * Arithmetic runs in JS doubles and is stored in the parameter's array, so float32
 * parameters round once per update where Keras rounds after every operation: a difference
 * around 1e-7 relative per step.
 *
 * How tfjs differs (tfjs-core/src/optimizers):
 * - Adam: tfjs bias-corrects both moments and adds ε outside the corrected root,
 *   p −= lr·m̂/(√v̂ + ε) with m̂ = m/(1−β1^t), v̂ = v/(1−β2^t). Keras folds the corrections
 *   into lr_t and adds ε to √v itself: p −= lr·√(1−β2^t)/(1−β1^t) · m/(√v + ε). They agree
 *   when ε ≪ √v; tfjs's form is Keras's with ε scaled by √(1−β2^t) (≈0.03 at t = 1). tfjs's
 *   default ε is also 1e-7 (`backend.epsilon()` on float32 backends).
 * - SGD with momentum: tfjs accumulates a = μ·a + g and steps p −= lr·a (Nesterov:
 *   p −= lr·(g + μ·a)); with a constant learning rate that is Keras's velocity v = −lr·a.
 * - RMSprop: the same as Keras uncentered; tfjs's centered form computes
 *   √(v − (ḡ² + ε)) where Keras has √(v − ḡ² + ε).
 */
import { alloc, dtypeOf, type Float, type Tensor } from './tensor.js';

export interface Optimizer {
  /** Applies one update to every parameter, in place, from its gradient. */
  step(params: readonly { value: Tensor; grad: Float }[]): void;
  /** Number of steps applied so far (Keras's `optimizer.iterations`). */
  readonly iterations: number;
}

export const OPTIMIZERS = ['sgd', 'adam', 'rmsprop'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

export interface OptimizerOptions {
  /** @default 0.01 for sgd, 0.001 for adam and rmsprop — Keras `learning_rate` */
  learningRate?: number;
  /** SGD velocity decay, or RMSprop's momentum accumulator. In [0, 1]. @default 0 — Keras `momentum` */
  momentum?: number;
  /** SGD only. @default false — Keras `nesterov` */
  nesterov?: boolean;
  /** Adam only. @default 0.9 — Keras `beta_1` */
  beta1?: number;
  /** Adam only. @default 0.999 — Keras `beta_2` */
  beta2?: number;
  /** Adam and RMSprop. @default 1e-7 — Keras `epsilon` */
  epsilon?: number;
  /** RMSprop discounting factor. @default 0.9 — Keras `rho` */
  rho?: number;
  /** RMSprop: normalise by the estimated variance. @default false — Keras `centered` */
  centered?: boolean;
}

/** One parameter's update at step t (1-based), with its state arrays. */
type Update = (p: Float, g: Float, state: Float[], t: number) => void;

interface OptimizerDef {
  /** How many state arrays each parameter carries. */
  slots(o: Required<OptimizerOptions>): number;
  update(o: Required<OptimizerOptions>): Update;
  readonly defaults: { learningRate: number };
}

const OPTIMIZER_DEFS = {
  // keras/src/optimizers/sgd.py: m = μ·m − lr·g; p += m, or with Nesterov p += μ·m − lr·g
  // (m already updated); without momentum p −= lr·g.
  sgd: {
    defaults: { learningRate: 0.01 },
    slots: (o) => (o.momentum !== 0 ? 1 : 0),
    update: ({ learningRate: lr, momentum: mu, nesterov }) => (p, g, [m]) => {
      if (!m) {
        for (let i = 0; i < p.length; i++) p[i]! -= lr * g[i]!;
        return;
      }
      for (let i = 0; i < p.length; i++) {
        const v = mu * m[i]! - lr * g[i]!;
        m[i] = v;
        p[i]! += nesterov ? mu * v - lr * g[i]! : v;
      }
    },
  },
  // keras/src/optimizers/adam.py: α = lr·√(1−β2^t)/(1−β1^t); m += (g − m)(1−β1);
  // v += (g² − v)(1−β2); p −= α·m/(√v + ε).
  adam: {
    defaults: { learningRate: 0.001 },
    slots: () => 2,
    update: ({ learningRate: lr, beta1, beta2, epsilon }) => (p, g, [m, v], t) => {
      const alpha = (lr * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
      for (let i = 0; i < p.length; i++) {
        const gi = g[i]!;
        const mi = (m![i] = m![i]! + (gi - m![i]!) * (1 - beta1));
        const vi = (v![i] = v![i]! + (gi * gi - v![i]!) * (1 - beta2));
        p[i]! -= (alpha * mi) / (Math.sqrt(vi) + epsilon);
      }
    },
  },
  // keras/src/optimizers/rmsprop.py: v = ρ·v + (1−ρ)·g²; centered: ḡ = ρ·ḡ + (1−ρ)·g and the
  // denominator is v − ḡ² + ε, else v + ε; inc = lr·g/√denominator; with momentum
  // mom = μ·mom + inc and p −= mom, else p −= inc. ε sits inside the root here (not Adam's).
  rmsprop: {
    defaults: { learningRate: 0.001 },
    slots: (o) => 1 + (o.momentum > 0 ? 1 : 0) + (o.centered ? 1 : 0),
    update: ({ learningRate: lr, rho, momentum: mu, epsilon, centered }) => (p, g, state) => {
      const v = state[0]!;
      const mom = mu > 0 ? state[1]! : undefined;
      const avg = centered ? state[state.length - 1]! : undefined;
      for (let i = 0; i < p.length; i++) {
        const gi = g[i]!;
        const vi = (v[i] = rho * v[i]! + (1 - rho) * gi * gi);
        let denominator = vi + epsilon;
        if (avg) {
          const ai = (avg[i] = rho * avg[i]! + (1 - rho) * gi);
          denominator = vi - ai * ai + epsilon;
        }
        const increment = (lr * gi) / Math.sqrt(denominator);
        if (mom) p[i]! -= mom[i] = mu * mom[i]! + increment;
        else p[i]! -= increment;
      }
    },
  },
} satisfies Record<OptimizerName, OptimizerDef>;

function validate(o: Required<OptimizerOptions>): void {
  const check = (ok: boolean, what: string) => {
    if (!ok) throw new RangeError(what);
  };
  check(Number.isFinite(o.learningRate) && o.learningRate >= 0, `learning_rate must be a number >= 0, got ${o.learningRate}`);
  check(o.momentum >= 0 && o.momentum <= 1, `momentum must be between 0 and 1, got ${o.momentum}`);
  check(o.beta1 >= 0 && o.beta1 < 1, `beta_1 must be in [0, 1), got ${o.beta1}`);
  check(o.beta2 >= 0 && o.beta2 < 1, `beta_2 must be in [0, 1), got ${o.beta2}`);
  check(o.rho >= 0 && o.rho <= 1, `rho must be between 0 and 1, got ${o.rho}`);
  check(o.epsilon > 0, `epsilon must be positive, got ${o.epsilon}`);
}

/**
 * A Keras 3 optimiser by name with Keras's defaults.
 * @see https://keras.io/api/optimizers/
 */
export function createOptimizer(name: OptimizerName, options: OptimizerOptions = {}): Optimizer {
  const def: OptimizerDef = OPTIMIZER_DEFS[name];
  if (!def) throw new Error(`unknown optimizer "${String(name)}"; expected one of ${OPTIMIZERS.join(', ')}`);
  const o: Required<OptimizerOptions> = {
    learningRate: options.learningRate ?? def.defaults.learningRate,
    momentum: options.momentum ?? 0,
    nesterov: options.nesterov ?? false,
    beta1: options.beta1 ?? 0.9,
    beta2: options.beta2 ?? 0.999,
    epsilon: options.epsilon ?? 1e-7,
    rho: options.rho ?? 0.9,
    centered: options.centered ?? false,
  };
  validate(o);
  const update = def.update(o);
  const slots = def.slots(o);
  let states: Float[][] | null = null;
  let iterations = 0;
  return {
    get iterations() {
      return iterations;
    },
    step(params) {
      states ??= params.map(({ value }) => Array.from({ length: slots }, () => alloc(dtypeOf(value.data), value.data.length)));
      if (params.length !== states.length) throw new Error(`internal: optimizer built for ${states.length} parameters was given ${params.length}`);
      iterations++;
      params.forEach(({ value, grad }, k) => {
        const state = states![k]!;
        const n = value.data.length;
        if (grad.length !== n || (state[0] && state[0].length !== n)) {
          throw new Error(`internal: parameter ${k} has ${n} values, its gradient ${grad.length} and its optimizer state ${state[0]?.length ?? n}`);
        }
        update(value.data, grad, state, iterations);
      });
    },
  };
}
