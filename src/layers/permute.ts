/**
 * Permute: reorders the axes after the batch axis; `dims` counts them from 1, so `[2, 1]`
 * swaps the two axes of a rank-3 input. Keras 3 `keras/src/layers/reshaping/permute.py`
 * (input rank must be `len(dims) + 1`).
 * Keras: https://keras.io/api/layers/reshaping_layers/permute/
 */
import * as ops from '../exec/ops.js';
import { formatShape } from '../ir/shape.js';
import { BASE_ARGS, LEGACY_INPUT_ARGS, isShape, singleInput } from './common.js';
import { defineLayer, shapeError, shapeOk } from './layer.js';

export const permute = defineLayer({
  className: 'Permute',
  doc: 'Permutes the non-batch axes of the input by `dims` (counted from 1).',
  kerasUrl: 'https://keras.io/api/layers/reshaping_layers/permute/',
  positional: ['dims'],
  arity: 'one',
  schema: {
    dims: { type: 'permutation', required: true, doc: 'The new order of the non-batch axes, counted from 1, e.g. `[2, 1]`.' },
    ...BASE_ARGS,
    ...LEGACY_INPUT_ARGS,
  },
  outputShape(config, inputs) {
    const input = singleInput('Permute', inputs);
    if (!isShape(input)) return input;
    const dims = config.dims;
    if (input.length !== dims.length + 1) {
      return shapeError(
        'wrong-rank',
        `Permute with dims ${JSON.stringify(dims)} needs an input of rank ${dims.length + 1} (the batch axis and ${dims.length} more), got ${formatShape(input)} of rank ${input.length}`,
        `give dims a permutation of 1…${input.length - 1} for this input`,
      );
    }
    return shapeOk([input[0] ?? null, ...dims.map((d) => input[d] ?? null)]);
  },
  weights: () => [],
  // dims already count from 1, so with the batch axis first they are the permutation itself.
  forward: (ctx, config, [x]) => ops.transpose(ctx.tape, x!, [0, ...config.dims]),
});
