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
  private readonly vars: Var[] = [];
  constructor(readonly dtype: ExecDType = 'float32') {}

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
    const g = seed ?? alloc(dtypeOf(root.value.data), root.value.data.length).fill(1);
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
