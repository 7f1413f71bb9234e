/**
 * What the merge layers share, after Keras's `keras/src/layers/merging/base_merge.py`: the
 * (empty) argument list, the input count check and the elementwise broadcasting rule that Add,
 * Subtract, Multiply, Average, Maximum and Minimum use. Each of those layers is still one file
 * with its own `defineLayer`; only the rule lives here, as it does in Keras.
 */
import type { Tape, Var } from '../exec/autograd.js';
import * as ops from '../exec/ops.js';
import { formatShape, type Dim, type Shape } from '../ir/shape.js';
import { BASE_ARGS, LEGACY_INPUT_ARGS } from './common.js';
import { shapeError, shapeOk, type ShapeResult } from './layer.js';

/** Merge layers take only the base layer arguments. */
export const MERGE_ARGS = { ...BASE_ARGS, ...LEGACY_INPUT_ARGS } as const;

/**
 * Merge layers take a list of tensors. Keras 3 accepts a list of one (`len(input_shape) < 1` is
 * its only check); Keras 2 asked for at least two, and a merge of one tensor is always a wiring
 * mistake, so densegraph asks for two. Subtract takes exactly two in every version.
 */
export function checkMergeCount(className: string, inputs: readonly Shape[], exactly?: number): ShapeResult | null {
  if (exactly !== undefined ? inputs.length !== exactly : inputs.length < 2) {
    return shapeError(
      'wrong-input-count',
      `${className} takes ${exactly !== undefined ? `exactly ${exactly}` : 'at least 2'} inputs, got ${inputs.length}`,
      'call it on a list of tensors, e.g. inbound: [a, b]',
    );
  }
  return null;
}

function axisName(fromEnd: number): string {
  return fromEnd === 1 ? 'the last axis' : `axis -${fromEnd}`;
}

/**
 * `Merge._compute_elemwise_op_output_shape` (base_merge.py) on two shapes without their batch
 * axis. The shorter shape is aligned to the right (Keras inserts size-1 axes after the batch axis
 * until the ranks match); then per axis: unknown on either side → unknown (Keras does not
 * assume the known side wins: `None` and `n` give `None`), 1 broadcasts to the other size, equal
 * sizes stay, anything else is an error. Returns the index from the end of the clash on error.
 */
export function broadcastPair(a: readonly Dim[], b: readonly Dim[]): { ok: true; dims: Dim[] } | { ok: false; fromEnd: number; sizes: [number, number] } {
  const [long, short] = a.length >= b.length ? [a, b] : [b, a];
  const lead = long.length - short.length;
  const dims: Dim[] = long.slice(0, lead);
  for (let k = 0; k < short.length; k++) {
    const i = long[lead + k] ?? null;
    const j = short[k] ?? null;
    if (i === null || j === null) dims.push(null);
    else if (i === 1) dims.push(j);
    else if (j === 1) dims.push(i);
    else if (i !== j) {
      const fromEnd = short.length - k;
      return { ok: false, fromEnd, sizes: a.length >= b.length ? [i, j] : [j, i] };
    } else dims.push(i);
  }
  return { ok: true, dims };
}

/**
 * The output shape of an elementwise merge (`Merge.compute_output_shape`): the non-batch axes
 * of the inputs broadcast together from left to right, and the batch size is the one known
 * batch size, or unknown; two different known batch sizes are an error (`Merge.build`).
 * `verb` words the error: "cannot add (None, 16) and (None, 32): …".
 */
export function elementwiseMergeShape(className: string, verb: string, inputs: readonly Shape[], exactly?: number): ShapeResult {
  const countError = checkMergeCount(className, inputs, exactly);
  if (countError) return countError;
  const batches = new Set(inputs.map((s) => s[0] ?? null).filter((d): d is number => d !== null));
  if (batches.size > 1) {
    return shapeError(
      'batch-size-mismatch',
      `cannot ${verb} tensors with different batch sizes: ${inputs.map(formatShape).join(' and ')}`,
      'give every input the same batch size, or leave it unknown (null)',
    );
  }
  const batch: Dim = batches.size === 1 ? [...batches][0]! : null;
  let dims: Dim[] = inputs[0]!.slice(1);
  for (let n = 1; n < inputs.length; n++) {
    const next = inputs[n]!;
    const r = broadcastPair(dims, next.slice(1));
    if (!r.ok) {
      const left = formatShape([batch, ...dims]);
      const leftWhat = n === 1 ? '' : ` (inputs 1 to ${n} broadcast together)`;
      const rightWhat = n === 1 ? '' : ` (input ${n + 1})`;
      return shapeError(
        'incompatible-shapes',
        `cannot ${verb} ${left}${leftWhat} and ${formatShape(next)}${rightWhat}: sizes ${r.sizes[0]} and ${r.sizes[1]} on ${axisName(r.fromEnd)} are neither equal nor 1`,
        `${className} needs shapes that are equal or broadcastable (a size of 1 stretches); make the branches the same size, or join them side by side with Concatenate`,
      );
    }
    dims = r.dims;
  }
  return shapeOk([batch, ...dims]);
}

/**
 * The forward pass of an elementwise merge (`Merge.call`): an input of lower rank gets size-1
 * axes inserted after its batch axis until every rank matches (Keras's `expand_dims(x, 1)`, the
 * runtime side of `broadcastPair`), then `op` folds the inputs left to right with NumPy
 * broadcasting, as each `_merge_function` does.
 */
export function mergeElementwise(tape: Tape, inputs: readonly Var[], op: (tape: Tape, a: Var, b: Var) => Var): Var {
  const rank = Math.max(...inputs.map((x) => x.value.shape.length));
  const aligned = inputs.map((x) => {
    const [batch, ...rest] = x.value.shape;
    return rest.length + 1 === rank ? x : ops.reshape(tape, x, [batch!, ...new Array<number>(rank - rest.length - 1).fill(1), ...rest]);
  });
  return aligned.slice(1).reduce((acc, x) => op(tape, acc, x), aligned[0]!);
}
