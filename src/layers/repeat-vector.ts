/**
 * RepeatVector: `(batch, features)` → `(batch, n, features)`; rank-2 inputs only (Keras's
 * `InputSpec(ndim=2)` in `keras/src/layers/reshaping/repeat_vector.py`).
 * Keras: https://keras.io/api/layers/reshaping_layers/repeat_vector/
 */
import * as ops from '../exec/ops.js';
import { formatShape } from '../ir/shape.js';
import { BASE_ARGS, LEGACY_INPUT_ARGS, isShape, singleInput } from './common.js';
import { defineLayer, shapeError, shapeOk } from './layer.js';

export const repeatVector = defineLayer({
  className: 'RepeatVector',
  doc: 'Repeats a `(batch, features)` input `n` times: `(batch, n, features)`.',
  kerasUrl: 'https://keras.io/api/layers/reshaping_layers/repeat_vector/',
  positional: ['n'],
  arity: 'one',
  schema: {
    n: { type: 'int', min: 1, required: true, doc: 'Repetition factor.' },
    ...BASE_ARGS,
    ...LEGACY_INPUT_ARGS,
  },
  outputShape(config, inputs) {
    const input = singleInput('RepeatVector', inputs);
    if (!isShape(input)) return input;
    if (input.length !== 2) {
      return shapeError(
        'wrong-rank',
        `RepeatVector needs an input of rank 2 (batch, features), got ${formatShape(input)} of rank ${input.length}`,
        'flatten the input first (Flatten), or use a Reshape',
      );
    }
    return shapeOk([input[0] ?? null, config.n, input[1] ?? null]);
  },
  weights: () => [],
  forward(ctx, config, [x]) {
    // (b, d) → (b, 1, d) → (b, n, d); broadcastTo's backward sums the n copies.
    const [b, d] = x!.value.shape as [number, number];
    return ops.broadcastTo(ctx.tape, ops.reshape(ctx.tape, x!, [b, 1, d]), [b, config.n, d]);
  },
});
