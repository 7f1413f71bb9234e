/**
 * LeakyReLU: `x` for `x >= 0`, `negative_slope · x` below; the shape is unchanged.
 * Keras 2 called the slope `alpha` and Keras 3 still takes it (`alpha` in kwargs replaces
 * `negative_slope`, with a deprecation warning: `keras/src/layers/activations/leaky_relu.py`);
 * here it is a legacy argument that, when given, wins the same way (see `negativeSlope`).
 * No `activation` attribute in Keras, so labels show no activation (plot_model's
 * `show_layer_activations` only reads `layer.activation`).
 * Keras: https://keras.io/api/layers/activation_layers/leaky_relu/
 */
import * as ops from '../exec/ops.js';
import type { ConfigOf } from './schema.js';
import { BASE_ARGS, LEGACY_INPUT_ARGS, sameShape } from './common.js';
import { defineLayer } from './layer.js';

export const leakyReLU = defineLayer({
  className: 'LeakyReLU',
  doc: 'Leaky rectifier: `x` for `x >= 0`, `negative_slope · x` otherwise.',
  kerasUrl: 'https://keras.io/api/layers/activation_layers/leaky_relu/',
  positional: ['negative_slope'],
  arity: 'one',
  schema: {
    negative_slope: { type: 'float', min: 0, default: 0.3, doc: 'Slope below zero (a float >= 0).' },
    alpha: { type: 'float', min: 0, legacy: true, nullable: true, default: null, doc: 'Keras 2 name of `negative_slope`; when given it replaces it, as in Keras 3.' },
    ...BASE_ARGS,
    ...LEGACY_INPUT_ARGS,
  },
  outputShape: (_config, inputs) => sameShape('LeakyReLU', inputs),
  weights: () => [],
  forward(ctx, config, [x]) {
    const slope = negativeSlope(config);
    // TensorFlow's LeakyRelu kernel, `x > 0 ? x : slope·x` (also for slopes above 1, where
    // max(x, slope·x) would differ); its gradient at 0 is the slope.
    return ops.unary(ctx.tape, x!, { f: (v) => (v > 0 ? v : slope * v), df: (v) => (v > 0 ? 1 : slope) });
  },
});

/** The slope the layer applies: Keras 2's `alpha` if given, else `negative_slope`. */
export function negativeSlope(config: ConfigOf<typeof leakyReLU.schema>): number {
  return config.alpha ?? config.negative_slope;
}
