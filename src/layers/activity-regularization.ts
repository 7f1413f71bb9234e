/**
 * ActivityRegularization: identity that adds `l1·Σ|x| + l2·Σx²` of its input to the loss.
 * Keras: https://keras.io/api/layers/regularization_layers/activity_regularization/
 */
import { BASE_ARGS, LEGACY_INPUT_ARGS, sameShape } from './common.js';
import { defineLayer } from './layer.js';

export const activityRegularization = defineLayer({
  className: 'ActivityRegularization',
  doc: 'Passes its input through unchanged and adds an L1/L2 penalty on it to the loss.',
  kerasUrl: 'https://keras.io/api/layers/regularization_layers/activity_regularization/',
  positional: ['l1', 'l2'],
  arity: 'one',
  schema: {
    l1: { type: 'float', min: 0, default: 0.0, doc: 'L1 regularisation factor.' },
    l2: { type: 'float', min: 0, default: 0.0, doc: 'L2 regularisation factor.' },
    ...BASE_ARGS,
    ...LEGACY_INPUT_ARGS,
  },
  outputShape: (_config, inputs) => sameShape('ActivityRegularization', inputs),
  weights: () => [],
  // The identity. Its penalty l1·Σ|x| + l2·Σx² belongs to the loss, which the forward pass
  // does not see: adding it is the trainer's job and not done here yet.
  forward: (_ctx, _config, [x]) => x!,
});
