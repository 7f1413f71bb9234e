/** Arguments every Keras layer takes, and the legacy input arguments of Keras 2's base layer. */
import type { Shape } from '../ir/shape.js';
import { formatShape } from '../ir/shape.js';
import type { Schema } from './schema.js';
import { shapeError, type ShapeResult } from './layer.js';

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
