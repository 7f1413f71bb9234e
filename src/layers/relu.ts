/**
 * ReLU: `max_value` above it, `x` from `threshold` up, `negative_slope · (x - threshold)` below;
 * the shape is unchanged. No `activation` attribute in Keras, so labels show none.
 * Keras: https://keras.io/api/layers/activation_layers/relu/
 */
import * as ops from '../exec/ops.js';
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
  forward(ctx, config, [x]) {
    // Keras 3 `activations.relu`: keep x above the threshold (else 0), clip to [0, max_value],
    // then subtract negative_slope · relu(threshold − x). So, as in Keras, the output jumps at a
    // positive threshold, from 0 just below it to the threshold itself. Gradients at kinks are 0.
    const { max_value: max, negative_slope: slope, threshold } = config;
    const rule = {
      f: (v: number) => {
        const pos = v > threshold && v > 0 ? (max === null ? v : Math.min(v, max)) : 0;
        return pos - (v < threshold ? slope * (threshold - v) : 0);
      },
      df: (v: number) => (v > threshold && v > 0 && (max === null || v < max) ? 1 : 0) + (v < threshold ? slope : 0),
    };
    return ops.unary(ctx.tape, x!, rule);
  },
});
