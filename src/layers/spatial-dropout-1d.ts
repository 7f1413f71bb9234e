/**
 * SpatialDropout1D: drops whole channels of a `(batch, steps, channels)` input (the mask is
 * `(batch, 1, channels)`); identity at inference. Rank-3 inputs only (Keras `InputSpec(ndim=3)`).
 * Keras: https://keras.io/api/layers/regularization_layers/spatial_dropout1d/
 */
import * as ops from '../exec/ops.js';
import { alloc, dtypeOf } from '../exec/tensor.js';
import { formatShape } from '../ir/shape.js';
import { BASE_ARGS, LEGACY_INPUT_ARGS, isShape, singleInput } from './common.js';
import { defineLayer, shapeError, shapeOk } from './layer.js';

export const spatialDropout1D = defineLayer({
  className: 'SpatialDropout1D',
  doc: 'Drops entire channels of a `(batch, steps, channels)` input in training; identity at inference.',
  kerasUrl: 'https://keras.io/api/layers/regularization_layers/spatial_dropout1d/',
  positional: ['rate', 'seed'],
  arity: 'one',
  schema: {
    rate: { type: 'float', min: 0, max: 1, required: true, doc: 'Fraction of the channels to drop, between 0 and 1.' },
    seed: { type: 'int', nullable: true, default: null, doc: 'Random seed of the mask.' },
    noise_shape: { type: 'dims', legacy: true, nullable: true, default: null, doc: 'Keras 2 wrote Dropout\'s `noise_shape` (always null) here; ignored: the mask is `(batch, 1, channels)`.' },
    ...BASE_ARGS,
    ...LEGACY_INPUT_ARGS,
  },
  outputShape(_config, inputs) {
    const input = singleInput('SpatialDropout1D', inputs);
    if (!isShape(input)) return input;
    if (input.length !== 3) {
      return shapeError(
        'wrong-rank',
        `SpatialDropout1D needs an input of rank 3 (batch, steps, channels), got ${formatShape(input)} of rank ${input.length}`,
        'use Dropout for inputs of other ranks',
      );
    }
    return shapeOk(input);
  },
  weights: () => [],
  forward(ctx, config, [x]) {
    if (!ctx.training || config.rate === 0) return x!;
    // Dropout with one mask entry per (sample, channel), broadcast over the steps.
    const [batch, , channels] = x!.value.shape as [number, number, number];
    const mask = alloc(dtypeOf(x!.value.data), batch * channels);
    const keep = 1 - config.rate;
    for (let i = 0; i < mask.length; i++) mask[i] = ctx.rng.next() < keep ? 1 / keep : 0;
    return ops.mul(ctx.tape, x!, ctx.tape.constant({ shape: [batch, 1, channels], data: mask }));
  },
});
