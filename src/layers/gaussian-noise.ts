/**
 * GaussianNoise: adds zero-centred Gaussian noise in training; identity at inference.
 * Keras: https://keras.io/api/layers/regularization_layers/gaussian_noise/
 */
import * as ops from '../exec/ops.js';
import { alloc, dtypeOf } from '../exec/tensor.js';
import { BASE_ARGS, LEGACY_INPUT_ARGS, sameShape } from './common.js';
import { defineLayer } from './layer.js';

export const gaussianNoise = defineLayer({
  className: 'GaussianNoise',
  doc: 'Adds zero-centred Gaussian noise of standard deviation `stddev` in training; identity at inference.',
  kerasUrl: 'https://keras.io/api/layers/regularization_layers/gaussian_noise/',
  positional: ['stddev', 'seed'],
  arity: 'one',
  schema: {
    // Recent Keras 3 refuses stddev > 1; Keras 2 took any non-negative value, and densegraph
    // reads Keras 2 models, so only the lower bound is checked.
    stddev: { type: 'float', min: 0, required: true, doc: 'Standard deviation of the noise.' },
    seed: { type: 'int', nullable: true, default: null, doc: 'Random seed of the noise.' },
    ...BASE_ARGS,
    ...LEGACY_INPUT_ARGS,
  },
  outputShape: (_config, inputs) => sameShape('GaussianNoise', inputs),
  weights: () => [],
  forward(ctx, config, [x]) {
    if (!ctx.training || config.stddev === 0) return x!;
    const { shape, data } = x!.value;
    const noise = alloc(dtypeOf(data), data.length);
    for (let i = 0; i < noise.length; i++) noise[i] = config.stddev * ctx.rng.normal();
    return ops.add(ctx.tape, x!, ctx.tape.constant({ shape, data: noise }));
  },
});
