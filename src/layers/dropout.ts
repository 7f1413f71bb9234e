/**
 * Dropout: zeroes a fraction `rate` of the inputs in training and scales the rest by
 * 1/(1-rate); identity at inference. Keras: https://keras.io/api/layers/regularization_layers/dropout/
 */
import * as ops from '../exec/ops.js';
import { alloc, dtypeOf } from '../exec/tensor.js';
import { BASE_ARGS, LEGACY_INPUT_ARGS, isShape, singleInput } from './common.js';
import { defineLayer, shapeOk } from './layer.js';

export const dropout = defineLayer({
  className: 'Dropout',
  doc: 'Randomly sets a fraction `rate` of inputs to 0 in training; identity at inference.',
  kerasUrl: 'https://keras.io/api/layers/regularization_layers/dropout/',
  positional: ['rate', 'noise_shape', 'seed'],
  arity: 'one',
  schema: {
    rate: { type: 'float', min: 0, max: 1, required: true, doc: 'Fraction of the input units to drop, between 0 and 1.' },
    noise_shape: { type: 'dims', nullable: true, default: null, doc: 'Shape of the binary dropout mask (batch axis included).' },
    seed: { type: 'int', nullable: true, default: null, doc: 'Random seed of the mask.' },
    ...BASE_ARGS,
    ...LEGACY_INPUT_ARGS,
  },
  outputShape(_config, inputs) {
    const input = singleInput('Dropout', inputs);
    return isShape(input) ? shapeOk(input) : input;
  },
  weights: () => [],
  forward(ctx, config, [x]) {
    if (!ctx.training || config.rate === 0) return x!;
    // Inverted dropout, as Keras: keep with probability 1 − rate and scale by 1 / (1 − rate).
    // noise_shape picks the mask's shape; its None entries take the input's dimensions.
    const shape = config.noise_shape ? config.noise_shape.map((d, i) => d ?? x!.value.shape[i]!) : x!.value.shape;
    const n = shape.reduce((a, b) => a * b, 1);
    const mask = alloc(dtypeOf(x!.value.data), n);
    const keep = 1 - config.rate;
    for (let i = 0; i < n; i++) mask[i] = ctx.rng.next() < keep ? 1 / keep : 0;
    return ops.mul(ctx.tape, x!, ctx.tape.constant({ shape, data: mask }));
  },
});
