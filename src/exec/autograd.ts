/**
 * Reverse-mode differentiation on a tape: every operation of a forward pass records its
 * output and a backward rule; `backward` runs the rules in reverse order, accumulating
 * gradients. Layers compose their forward pass from ops.ts, so their backward pass follows
 * from the ops' rules (STYLE.md rule 6: few primitives with short backward rules).
 */
import { alloc, dtypeOf, type ExecDType, type Float, type Tensor } from './tensor.js';

export interface Var {
  readonly value: Tensor;
  /** Accumulated gradient of the loss with respect to this value (null until one arrives). */
  grad: Float | null;
  readonly requiresGrad: boolean;
  /** Receives this value's gradient and passes it on to the inputs. */
  readonly backward?: (grad: Float) => void;
}

export class Tape {
  private vars: Var[] = [];
  /** Arrays of the previous pass, in the order they were handed out (see `reset`). */
  private pool: Float[] = [];
  private handedOut: Float[] = [];
  constructor(readonly dtype: ExecDType = 'float32') {}

  /**
   * A zeroed array for an op's output or gradient. After `reset`, a pass that runs the same
   * ops on the same shapes gets the previous pass's arrays back instead of new ones: training
   * reuses its buffers from step to step.
   */
  alloc(n: number): Float {
    const i = this.handedOut.length;
    let a = this.pool[i];
    if (a && a.length === n) a.fill(0);
    else a = alloc(this.dtype, n);
    this.handedOut.push(a);
    return a;
  }

  /**
   * Starts a new pass whose arrays may be the last pass's: every value and gradient of the
   * last pass becomes invalid, so copy out whatever must outlive it first.
   */
  reset(): void {
    this.pool = this.handedOut;
    this.handedOut = [];
    this.vars = [];
  }

  /** A value no gradient flows into (inputs, targets, constants). */
  constant(value: Tensor): Var {
    return { value, grad: null, requiresGrad: false };
  }

  /** A value whose gradient is wanted (a weight). */
  variable(value: Tensor): Var {
    const v: Var = { value, grad: null, requiresGrad: true };
    this.vars.push(v);
    return v;
  }

  /** Records an operation's output. Does nothing with the rule if no input needs a gradient. */
  record(value: Tensor, inputs: readonly Var[], backward: (grad: Float) => void): Var {
    const requiresGrad = inputs.some((i) => i.requiresGrad);
    const v: Var = requiresGrad ? { value, grad: null, requiresGrad, backward } : { value, grad: null, requiresGrad: false };
    if (requiresGrad) this.vars.push(v);
    return v;
  }

  /** Back-propagates from `root`, seeded with ones (a scalar loss) or the given gradient. */
  backward(root: Var, seed?: Float): void {
    const g = seed ?? this.alloc(root.value.data.length).fill(1);
    accumulate(root, g);
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const v = this.vars[i]!;
      if (v.backward && v.grad) v.backward(v.grad);
    }
  }
}

/** Adds `g` into a value's gradient (values used twice get the sum). */
export function accumulate(v: Var, g: Float): void {
  if (!v.requiresGrad) return;
  if (!v.grad) {
    // Backward rules hand over arrays they made for this value (reshape its own gradient,
    // which nothing reads afterwards), so the first one is kept rather than copied.
    v.grad = dtypeOf(g) === dtypeOf(v.value.data) ? g : alloc(dtypeOf(v.value.data), g.length);
    if (v.grad !== g) v.grad.set(g);
    return;
  }
  const acc = v.grad;
  for (let i = 0; i < g.length; i++) acc[i]! += g[i]!;
}
