/**
 * GaussianDropout: multiplies by 1-centred Gaussian noise of standard deviation
 * `sqrt(rate / (1 - rate))` in training; identity at inference.
 * Keras: https://keras.io/api/layers/regularization_layers/gaussian_dropout/
 */
import * as ops from '../exec/ops.js';
import { alloc, dtypeOf } from '../exec/tensor.js';
import { BASE_ARGS, LEGACY_INPUT_ARGS, sameShape } from './common.js';
import { defineLayer } from './layer.js';

export const gaussianDropout = defineLayer({
  className: 'GaussianDropout',
  doc: 'Multiplies by 1-centred Gaussian noise in training (std `sqrt(rate/(1-rate))`); identity at inference.',
  kerasUrl: 'https://keras.io/api/layers/regularization_layers/gaussian_dropout/',
  positional: ['rate', 'seed'],
  arity: 'one',
  schema: {
    rate: { type: 'float', min: 0, max: 1, required: true, doc: 'Drop probability, between 0 and 1, as with Dropout.' },
    seed: { type: 'int', nullable: true, default: null, doc: 'Random seed of the noise.' },
    ...BASE_ARGS,
    ...LEGACY_INPUT_ARGS,
  },
  outputShape: (_config, inputs) => sameShape('GaussianDropout', inputs),
  weights: () => [],
  forward(ctx, config, [x]) {
    if (!ctx.training || config.rate === 0) return x!;
    // As Keras, rate 1 gives an infinite standard deviation (and infinite or NaN outputs).
    const stddev = Math.sqrt(config.rate / (1 - config.rate));
    const { shape, data } = x!.value;
    const noise = alloc(dtypeOf(data), data.length);
    for (let i = 0; i < noise.length; i++) noise[i] = 1 + stddev * ctx.rng.normal();
    return ops.mul(ctx.tape, x!, ctx.tape.constant({ shape, data: noise }));
  },
});
