/**
 * Flatten: `(batch, d1, …, dn)` → `(batch, d1·…·dn)`; unknown if any dim is unknown.
 * Keras: https://keras.io/api/layers/reshaping_layers/flatten/
 */
import * as ops from '../exec/ops.js';
import { knownProduct } from '../ir/shape.js';
import { BASE_ARGS, LEGACY_INPUT_ARGS, isShape, singleInput } from './common.js';
import { defineLayer, shapeOk } from './layer.js';

export const flatten = defineLayer({
  className: 'Flatten',
  doc: 'Flattens every axis but the batch axis into one.',
  kerasUrl: 'https://keras.io/api/layers/reshaping_layers/flatten/',
  positional: ['data_format'],
  arity: 'one',
  schema: {
    data_format: { type: 'enum', values: ['channels_last', 'channels_first'], default: 'channels_last', doc: 'Axis order of the input; only changes the element order, not the shape.' },
    ...BASE_ARGS,
    ...LEGACY_INPUT_ARGS,
  },
  outputShape(_config, inputs) {
    const input = singleInput('Flatten', inputs);
    if (!isShape(input)) return input;
    const rest = input.slice(1);
    // Keras 3 `Flatten.compute_output_shape`: a rank-1 input becomes (batch, 1).
    const flat = rest.length === 0 ? 1 : knownProduct(rest);
    return shapeOk([input[0] ?? null, flat]);
  },
  weights: () => [],
  forward(ctx, config, [x]) {
    let input = x!;
    const rank = input.value.shape.length;
    if (config.data_format === 'channels_first' && rank > 2) {
      // Keras 3 moves the channel axis last first, so both formats flatten in the same order.
      input = ops.transpose(ctx.tape, input, [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2), 1]);
    }
    return ops.reshape(ctx.tape, input, [input.value.shape[0]!, -1]);
  },
});
