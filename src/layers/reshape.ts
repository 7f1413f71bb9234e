/**
 * Reshape: `(batch, …)` → `(batch, *target_shape)`. Rule from Keras 3
 * `keras/src/ops/operation_utils.py` `compute_reshape_output_shape`: with an unknown input
 * size nothing is checked and `-1` stays unknown; otherwise the sizes must agree and `-1` is
 * the input size divided by the product of the other target dims.
 * Keras: https://keras.io/api/layers/reshaping_layers/reshape/
 */
import * as ops from '../exec/ops.js';
import { formatShape, knownProduct } from '../ir/shape.js';
import { BASE_ARGS, LEGACY_INPUT_ARGS, isShape, singleInput } from './common.js';
import { defineLayer, shapeError, shapeOk } from './layer.js';

const product = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1);

export const reshape = defineLayer({
  className: 'Reshape',
  doc: 'Reshapes every sample to `target_shape`; one dimension may be `-1` (inferred).',
  kerasUrl: 'https://keras.io/api/layers/reshaping_layers/reshape/',
  positional: ['target_shape'],
  arity: 'one',
  schema: {
    target_shape: { type: 'targetShape', required: true, doc: 'Shape of each sample, without the batch axis, e.g. `[3, 4]`; one entry may be `-1`.' },
    ...BASE_ARGS,
    ...LEGACY_INPUT_ARGS,
  },
  outputShape(config, inputs) {
    const input = singleInput('Reshape', inputs);
    if (!isShape(input)) return input;
    const target = config.target_shape;
    const unknownAt = target.indexOf(-1);
    if (target.lastIndexOf(-1) !== unknownAt) {
      // The schema refuses this already; kept so the rule stands on its own.
      return shapeError('invalid-target-shape', `Reshape target_shape ${JSON.stringify(target)} has more than one -1`, 'give every dimension but one explicitly');
    }
    const batch = input[0] ?? null;
    const size = knownProduct(input.slice(1));
    if (size === null) return shapeOk([batch, ...target.map((d) => (d === -1 ? null : d))]);
    const what = `${formatShape(input)} (${size} values per sample)`;
    if (unknownAt < 0) {
      if (product(target) !== size) {
        return shapeError(
          'reshape-size-mismatch',
          `cannot reshape ${what} to target_shape ${JSON.stringify(target)} (${product(target)} values)`,
          'the target shape must hold exactly as many values as the input; use -1 for one dimension to have it inferred',
        );
      }
      return shapeOk([batch, ...target]);
    }
    const known = product(target.filter((d) => d !== -1));
    if (size % known !== 0) {
      return shapeError(
        'reshape-size-mismatch',
        `cannot reshape ${what} to target_shape ${JSON.stringify(target)}: ${size} is not a multiple of ${known}`,
        'the dimensions other than -1 must divide the number of values per sample',
      );
    }
    return shapeOk([batch, ...target.map((d) => (d === -1 ? size / known : d))]);
  },
  weights: () => [],
  // ops.reshape infers the -1 and refuses a size mismatch; the batch axis keeps its size.
  forward: (ctx, config, [x]) => ops.reshape(ctx.tape, x!, [x!.value.shape[0]!, ...config.target_shape]),
});
