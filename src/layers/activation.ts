/**
 * Activation: applies an activation function; the shape is unchanged.
 * Keras: https://keras.io/api/layers/core_layers/activation/
 */
import { BASE_ARGS, LEGACY_INPUT_ARGS, isShape, singleInput } from './common.js';
import { defineLayer, shapeOk } from './layer.js';
import { applyActivation } from '../exec/activations.js';

export const activation = defineLayer({
  className: 'Activation',
  doc: 'Applies an activation function to its input; the shape is unchanged.',
  kerasUrl: 'https://keras.io/api/layers/core_layers/activation/',
  positional: ['activation'],
  arity: 'one',
  schema: {
    activation: { type: 'activation', required: true, doc: 'Activation function name, e.g. `relu`, `softmax`.' },
    ...BASE_ARGS,
    ...LEGACY_INPUT_ARGS,
  },
  outputShape(_config, inputs) {
    const input = singleInput('Activation', inputs);
    return isShape(input) ? shapeOk(input) : input;
  },
  weights: () => [],
  forward: (ctx, config, [x]) => applyActivation(ctx.tape, x!, config.activation, ctx.activationOptions),
  activation: (config) => config.activation,
});
