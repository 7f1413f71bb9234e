/**
 * GaussianDropout: multiplies by 1-centred Gaussian noise of standard deviation
 * `sqrt(rate / (1 - rate))` in training; identity at inference.
 * Keras: https://keras.io/api/layers/regularization_layers/gaussian_dropout/
 */
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
});
