/** Arguments every Keras layer takes, and the legacy input arguments of Keras 2's base layer. */
import type { Shape } from '../ir/shape.js';
import { formatShape } from '../ir/shape.js';
import type { Schema } from './schema.js';
import { shapeError, shapeOk, type ShapeResult } from './layer.js';

export const BASE_ARGS = {
  name: { type: 'string', doc: 'Layer name, unique in the model. Default: snake_case of the class, then `_1`, `_2`, … (`dense`, `dense_1`).' },
  trainable: { type: 'bool', default: true, doc: 'Whether the layer\'s weights are trainable.' },
  dtype: { type: 'dtype', default: 'float32', doc: 'Dtype of the weights and the computation (`float32`, `float64`, `mixed_float16`, …).' },
} as const satisfies Schema;

/**
 * Keras 2's base layer accepts these on any layer; on the first layer of a Sequential model
 * they create its InputLayer (reference/keras.md §2.1-2.2).
 */
export const LEGACY_INPUT_ARGS = {
  input_dim: { type: 'int', min: 1, legacy: true, doc: 'Legacy: the input is `(None, input_dim)`. Only on the first layer of a Sequential model.' },
  input_shape: { type: 'dims', legacy: true, doc: 'Legacy: the input shape without the batch axis, e.g. `[5, 4]`. Only on the first layer.' },
  batch_input_shape: { type: 'dims', legacy: true, doc: 'Legacy: the input shape with the batch axis, e.g. `[null, 4]`. Only on the first layer.' },
  batch_size: { type: 'int', min: 1, legacy: true, doc: 'Legacy: fixed batch size for `input_dim`/`input_shape`.' },
} as const satisfies Schema;

export const LEGACY_INPUT_ARG_NAMES = Object.keys(LEGACY_INPUT_ARGS) as (keyof typeof LEGACY_INPUT_ARGS)[];

/** Checks a single-input layer got exactly one input. */
export function singleInput(className: string, inputs: readonly Shape[]): Shape | ShapeResult {
  if (inputs.length !== 1 || inputs[0] === undefined) {
    return shapeError('wrong-input-count', `${className} takes exactly one input, got ${inputs.length}`);
  }
  return inputs[0];
}

export function isShape(x: Shape | ShapeResult): x is Shape {
  return Array.isArray(x);
}

export { formatShape };

/** An `axis` argument as a list: `-1` → `[-1]`. */
export function axisList(axis: number | readonly number[]): readonly number[] {
  return typeof axis === 'number' ? [axis] : axis;
}

/** Python's index rule for an axis of a rank-`rank` shape: `-1` is the last; out of range → `null`. */
export function normalizeAxis(axis: number, rank: number): number | null {
  const a = axis < 0 ? axis + rank : axis;
  return a >= 0 && a < rank ? a : null;
}

/**
 * Normalises every axis of an `axis` argument against an input shape, or says which one is out
 * of range or named twice (`-1` and `2` are the same axis of a rank-3 input).
 */
export function resolveAxes(className: string, axis: number | readonly number[], input: Shape): number[] | ShapeResult {
  const out: number[] = [];
  for (const a of axisList(axis)) {
    const n = normalizeAxis(a, input.length);
    if (n === null) {
      return shapeError(
        'axis-out-of-range',
        `${className} axis ${a} is out of range for the input ${formatShape(input)} of rank ${input.length}`,
        `use an axis from ${-input.length} to ${input.length - 1} (the batch axis is 0, -1 the last)`,
      );
    }
    if (out.includes(n)) {
      return shapeError('duplicate-axis', `${className} names axis ${n} of ${formatShape(input)} twice (axis ${JSON.stringify(axis)})`, 'name each axis once');
    }
    out.push(n);
  }
  return out;
}

/** The sizes of the given axes, or an error naming the first unknown one (weights need them). */
export function knownAxisSizes(className: string, axes: readonly number[], input: Shape): number[] | ShapeResult {
  const sizes: number[] = [];
  for (const a of axes) {
    const d = input[a];
    if (d === null || d === undefined) {
      return shapeError(
        'unknown-axis-dim',
        `${className} needs the size of axis ${a} of its input to be known (its weights have that size), got ${formatShape(input)}`,
        'give the input a fixed size on that axis',
      );
    }
    sizes.push(d);
  }
  return sizes;
}

/** Shape-preserving single-input rule (noise, regularisation and activation layers). */
export function sameShape(className: string, inputs: readonly Shape[]): ShapeResult {
  const input = singleInput(className, inputs);
  return isShape(input) ? shapeOk(input) : input;
}
