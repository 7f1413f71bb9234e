/**
 * AlphaDropout: dropout that keeps the mean and variance of its inputs (for SELU networks);
 * identity at inference.
 * Keras: https://keras.io/api/layers/regularization_layers/alpha_dropout/
 */
import { BASE_ARGS, LEGACY_INPUT_ARGS, sameShape } from './common.js';
import { defineLayer } from './layer.js';

export const alphaDropout = defineLayer({
  className: 'AlphaDropout',
  doc: 'Dropout that keeps the mean and variance of the inputs (for SELU); identity at inference.',
  kerasUrl: 'https://keras.io/api/layers/regularization_layers/alpha_dropout/',
  positional: ['rate', 'noise_shape', 'seed'],
  arity: 'one',
  schema: {
    rate: { type: 'float', min: 0, max: 1, required: true, doc: 'Fraction of the input units to drop, between 0 and 1.' },
    noise_shape: { type: 'dims', nullable: true, default: null, doc: 'Shape of the dropout mask (batch axis included); `null` entries take the input size.' },
    seed: { type: 'int', nullable: true, default: null, doc: 'Random seed of the mask.' },
    ...BASE_ARGS,
    ...LEGACY_INPUT_ARGS,
  },
  outputShape: (_config, inputs) => sameShape('AlphaDropout', inputs),
  weights: () => [],
});
