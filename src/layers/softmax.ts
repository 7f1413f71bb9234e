/**
 * Softmax: normalises `exp(x)` to sum to 1 over `axis` (one axis or several); the shape is
 * unchanged. No `activation` attribute in Keras, so labels show none.
 * Keras: https://keras.io/api/layers/activation_layers/softmax/
 */
import { BASE_ARGS, LEGACY_INPUT_ARGS, isShape, resolveAxes, singleInput } from './common.js';
import { defineLayer, shapeOk } from './layer.js';

export const softmax = defineLayer({
  className: 'Softmax',
  doc: 'Softmax over `axis`: `exp(x)` normalised to sum to 1.',
  kerasUrl: 'https://keras.io/api/layers/activation_layers/softmax/',
  positional: ['axis'],
  arity: 'one',
  schema: {
    axis: { type: 'intOrIntList', default: -1, doc: 'The axis or axes to normalise over, `-1` the last.' },
    ...BASE_ARGS,
    ...LEGACY_INPUT_ARGS,
  },
  outputShape(config, inputs) {
    const input = singleInput('Softmax', inputs);
    if (!isShape(input)) return input;
    const axes = resolveAxes('Softmax', config.axis, input);
    return Array.isArray(axes) ? shapeOk(input) : axes;
  },
  weights: () => [],
});
