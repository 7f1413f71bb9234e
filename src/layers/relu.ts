/**
 * ReLU: `max_value` above it, `x` from `threshold` up, `negative_slope · (x - threshold)` below;
 * the shape is unchanged. No `activation` attribute in Keras, so labels show none.
 * Keras: https://keras.io/api/layers/activation_layers/relu/
 */
import { BASE_ARGS, LEGACY_INPUT_ARGS, sameShape } from './common.js';
import { defineLayer } from './layer.js';

export const relu = defineLayer({
  className: 'ReLU',
  doc: 'Rectified linear unit with optional cap (`max_value`), leak (`negative_slope`) and `threshold`.',
  kerasUrl: 'https://keras.io/api/layers/activation_layers/relu/',
  positional: ['max_value', 'negative_slope', 'threshold'],
  arity: 'one',
  schema: {
    max_value: { type: 'float', min: 0, nullable: true, default: null, doc: 'Largest output value; `null` means no cap.' },
    negative_slope: { type: 'float', min: 0, default: 0.0, doc: 'Slope below the threshold.' },
    threshold: { type: 'float', min: 0, default: 0.0, doc: 'Values below it are damped (by `negative_slope`).' },
    ...BASE_ARGS,
    ...LEGACY_INPUT_ARGS,
  },
  outputShape: (_config, inputs) => sameShape('ReLU', inputs),
  weights: () => [],
});
