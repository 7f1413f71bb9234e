/**
 * AlphaDropout: dropout that keeps the mean and variance of its inputs (for SELU networks);
 * identity at inference.
 * Keras: https://keras.io/api/layers/regularization_layers/alpha_dropout/
 */
import * as ops from '../exec/ops.js';
import { alloc, dtypeOf } from '../exec/tensor.js';
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
  forward(ctx, config, [x]) {
    if (!ctx.training || config.rate === 0) return x!;
    // Keras 3 `AlphaDropout.call`: dropped units become alpha_p = −scale·alpha (SELU's negative
    // saturation), then a·x + b restores the mean and variance.
    const rate = config.rate;
    const alphaP = -1.6732632423543772848170429916717 * 1.0507009873554804934193349852946;
    const a = ((1 - rate) * (1 + rate * alphaP ** 2)) ** -0.5;
    const b = -a * alphaP * rate;
    // noise_shape picks the mask's shape, as in Dropout; its null entries take the input's sizes.
    const shape = config.noise_shape ? config.noise_shape.map((d, i) => d ?? x!.value.shape[i]!) : x!.value.shape;
    const n = shape.reduce((p, q) => p * q, 1);
    const dtype = dtypeOf(x!.value.data);
    // a·(x·kept + alpha_p·(1 − kept)) + b, folded into one product and one sum of constants.
    const scale = alloc(dtype, n);
    const offset = alloc(dtype, n);
    for (let i = 0; i < n; i++) {
      const kept = ctx.rng.next() >= rate;
      scale[i] = kept ? a : 0;
      offset[i] = kept ? b : a * alphaP + b;
    }
    const { tape } = ctx;
    return ops.add(tape, ops.mul(tape, x!, tape.constant({ shape, data: scale })), tape.constant({ shape, data: offset }));
  },
});
