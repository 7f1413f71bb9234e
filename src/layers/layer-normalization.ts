/**
 * LayerNormalization: normalises each sample over `axis` (one axis or several); the shape is
 * unchanged. Keras 3 `keras/src/layers/normalization/layer_normalization.py`: `gamma` (if scale
 * or rms_scaling) then `beta` (if center and not rms_scaling), trainable, each of shape
 * `[input_shape[a] for a in axis]` in the order given, so those sizes must be known.
 * Keras: https://keras.io/api/layers/normalization_layers/layer_normalization/
 */
import type { Var } from '../exec/autograd.js';
import * as ops from '../exec/ops.js';
import type { WeightIR } from '../ir/model.js';
import type { Shape } from '../ir/shape.js';
import { BASE_ARGS, LEGACY_INPUT_ARGS, isShape, knownAxisSizes, resolveAxes, singleInput } from './common.js';
import { defineLayer, shapeOk, type ShapeResult } from './layer.js';

function paramShape(axis: number | readonly number[], input: Shape): number[] | ShapeResult {
  const axes = resolveAxes('LayerNormalization', axis, input);
  return Array.isArray(axes) ? knownAxisSizes('LayerNormalization', axes, input) : axes;
}

export const layerNormalization = defineLayer({
  className: 'LayerNormalization',
  doc: 'Normalises each sample over `axis` (mean 0, variance 1), then scales by `gamma` and shifts by `beta`.',
  kerasUrl: 'https://keras.io/api/layers/normalization_layers/layer_normalization/',
  positional: [
    'axis', 'epsilon', 'center', 'scale', 'rms_scaling', 'beta_initializer', 'gamma_initializer',
    'beta_regularizer', 'gamma_regularizer', 'beta_constraint', 'gamma_constraint',
  ],
  arity: 'one',
  schema: {
    axis: { type: 'intOrIntList', default: -1, doc: 'The axis or axes to normalise over, e.g. `-1` or `[1, 2]`.' },
    epsilon: { type: 'float', min: 0, default: 0.001, doc: 'Small float added to the variance to avoid dividing by zero.' },
    center: { type: 'bool', default: true, doc: 'Whether to add the offset `beta` (ignored with `rms_scaling`).' },
    scale: { type: 'bool', default: true, doc: 'Whether to multiply by `gamma`.' },
    rms_scaling: { type: 'bool', default: false, doc: 'Scale by `gamma` and the inverse root mean square only; no `beta`.' },
    beta_initializer: { type: 'initializer', default: 'zeros', doc: 'Initializer of `beta`.' },
    gamma_initializer: { type: 'initializer', default: 'ones', doc: 'Initializer of `gamma`.' },
    beta_regularizer: { type: 'regularizer', nullable: true, default: null, doc: 'Regularizer on `beta`.' },
    gamma_regularizer: { type: 'regularizer', nullable: true, default: null, doc: 'Regularizer on `gamma`.' },
    beta_constraint: { type: 'constraint', nullable: true, default: null, doc: 'Constraint on `beta`.' },
    gamma_constraint: { type: 'constraint', nullable: true, default: null, doc: 'Constraint on `gamma`.' },
    ...BASE_ARGS,
    ...LEGACY_INPUT_ARGS,
  },
  outputShape(config, inputs) {
    const input = singleInput('LayerNormalization', inputs);
    if (!isShape(input)) return input;
    const shape = paramShape(config.axis, input);
    return Array.isArray(shape) ? shapeOk(input) : shape;
  },
  weights(config, inputs) {
    const shape = paramShape(config.axis, inputs[0] ?? []);
    if (!Array.isArray(shape)) return [];
    const weights: WeightIR[] = [];
    if (config.scale || config.rms_scaling) weights.push({ name: 'gamma', shape, trainable: config.trainable, initializer: config.gamma_initializer });
    if (config.center && !config.rms_scaling) weights.push({ name: 'beta', shape, trainable: config.trainable, initializer: config.beta_initializer });
    return weights;
  },
  forward(ctx, config, [input], w) {
    const { tape } = ctx;
    const x = input!;
    const shape = x.value.shape;
    const axes = resolveAxes('LayerNormalization', config.axis, shape);
    if (!Array.isArray(axes)) throw new Error(axes.ok ? 'internal: no axes' : axes.message);
    // gamma and beta hold the sizes of `axis` in the order given; Keras reshapes (not
    // transposes) them to the input's rank with size 1 elsewhere, and so does this.
    const view = (v: Var) => ops.reshape(tape, v, shape.map((d, i) => (axes.includes(i) ? d : 1)));
    // Biased variance over `axis` (ops.moments / ops.var in Keras).
    const mean = ops.mean(tape, x, axes, true);
    const centred = ops.sub(tape, x, mean);
    const inv = ops.rsqrt(tape, ops.mean(tape, ops.mul(tape, centred, centred), axes, true), config.epsilon);
    if (config.rms_scaling) {
      // Keras divides by sqrt(variance + ε) here, not by the root mean square its docs name:
      // the input is not centred, but its mean still enters through the variance.
      return ops.mul(tape, ops.mul(tape, x, inv), view(w['gamma']!));
    }
    // ops.layer_normalization's arrangement: x · inv + (beta − mean · inv), inv = gamma / sqrt(var + ε).
    const scaled = config.scale ? ops.mul(tape, inv, view(w['gamma']!)) : inv;
    const res = ops.sub(tape, config.center ? view(w['beta']!) : ops.scalar(tape, 0), ops.mul(tape, mean, scaled));
    return ops.add(tape, ops.mul(tape, x, scaled), res);
  },
});
