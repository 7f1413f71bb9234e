/**
 * ELU: `x` for `x >= 0`, `alpha · (exp(x) - 1)` below; the shape is unchanged. No
 * `activation` attribute in Keras, so labels show none.
 * Keras: https://keras.io/api/layers/activation_layers/elu/
 */
import * as ops from '../exec/ops.js';
import { BASE_ARGS, LEGACY_INPUT_ARGS, sameShape } from './common.js';
import { defineLayer } from './layer.js';

export const elu = defineLayer({
  className: 'ELU',
  doc: 'Exponential linear unit: `x` for `x >= 0`, `alpha · (exp(x) - 1)` otherwise.',
  kerasUrl: 'https://keras.io/api/layers/activation_layers/elu/',
  positional: ['alpha'],
  arity: 'one',
  schema: {
    alpha: { type: 'float', default: 1.0, doc: 'Scale of the negative part.' },
    ...BASE_ARGS,
    ...LEGACY_INPUT_ARGS,
  },
  outputShape: (_config, inputs) => sameShape('ELU', inputs),
  weights: () => [],
  forward(ctx, config, [x]) {
    const alpha = config.alpha;
    // Below 0 the derivative alpha·eˣ is y + alpha.
    return ops.unary(ctx.tape, x!, { f: (v) => (v > 0 ? v : alpha * Math.expm1(v)), df: (v, y) => (v > 0 ? 1 : y + alpha) });
  },
});
