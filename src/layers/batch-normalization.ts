/**
 * BatchNormalization: normalises each channel of `axis` with the batch statistics in training
 * and with moving averages at inference; the shape is unchanged.
 * Keras 3 `keras/src/layers/normalization/batch_normalization.py`: `gamma` (if scale) then
 * `beta` (if center), trainable, then `moving_mean` and `moving_variance`, never trainable,
 * all of shape `(C,)` where C, the size of the normalised axis, must be known.
 * Keras 2 (`tf_keras/layers/normalization/batch_normalization.py`) wrote `axis` as a list
 * (`[3]`) once built and accepted several axes (weights of the input's rank with 1 on the other
 * axes) and the TensorFlow-only renorm and virtual-batch arguments; those are read here too.
 * Keras: https://keras.io/api/layers/normalization_layers/batch_normalization/
 */
import type { Var } from '../exec/autograd.js';
import * as ops from '../exec/ops.js';
import { alloc, dtypeOf, type Tensor } from '../exec/tensor.js';
import type { WeightIR } from '../ir/model.js';
import type { Shape } from '../ir/shape.js';
import { BASE_ARGS, LEGACY_INPUT_ARGS, isShape, knownAxisSizes, resolveAxes, singleInput } from './common.js';
import { defineLayer, shapeOk, type ShapeResult } from './layer.js';

/** The variables' shape: `(C,)` for one axis; Keras 2's multi-axis / virtual-batch form otherwise. */
function paramShape(axis: number | readonly number[], virtualBatch: number | null | undefined, input: Shape): number[] | ShapeResult {
  const axes = resolveAxes('BatchNormalization', axis, input);
  if (!Array.isArray(axes)) return axes;
  const sizes = knownAxisSizes('BatchNormalization', axes, input);
  if (!Array.isArray(sizes)) return sizes;
  if (axes.length === 1 && (virtualBatch ?? null) === null) return sizes;
  const shape = input.map((_, i) => (axes.includes(i) ? sizes[axes.indexOf(i)]! : 1));
  if ((virtualBatch ?? null) !== null) shape.splice(1, 0, 1);
  return shape;
}

/** Keras's momentum rule, `moving · momentum + batch · (1 − momentum)`, in the moving value's dtype. */
function movingAverage(moving: Tensor, batch: Tensor, momentum: number): Tensor {
  const data = alloc(dtypeOf(moving.data), moving.data.length);
  for (let i = 0; i < data.length; i++) data[i] = moving.data[i]! * momentum + batch.data[i]! * (1 - momentum);
  return { shape: moving.shape, data };
}

export const batchNormalization = defineLayer({
  className: 'BatchNormalization',
  doc: 'Normalises each channel of `axis` (batch statistics in training, moving averages at inference).',
  kerasUrl: 'https://keras.io/api/layers/normalization_layers/batch_normalization/',
  positional: [
    'axis', 'momentum', 'epsilon', 'center', 'scale', 'beta_initializer', 'gamma_initializer',
    'moving_mean_initializer', 'moving_variance_initializer', 'beta_regularizer', 'gamma_regularizer',
    'beta_constraint', 'gamma_constraint', 'synchronized',
  ],
  arity: 'one',
  schema: {
    axis: { type: 'intOrIntList', default: -1, doc: 'The axis to normalise (the channels), `-1` the last. Keras 2 wrote it as a list, e.g. `[3]`.' },
    momentum: { type: 'float', default: 0.99, doc: 'Momentum of the moving averages.' },
    epsilon: { type: 'float', min: 0, default: 0.001, doc: 'Small float added to the variance to avoid dividing by zero.' },
    center: { type: 'bool', default: true, doc: 'Whether to add the offset `beta`.' },
    scale: { type: 'bool', default: true, doc: 'Whether to multiply by `gamma`.' },
    beta_initializer: { type: 'initializer', default: 'zeros', doc: 'Initializer of `beta`.' },
    gamma_initializer: { type: 'initializer', default: 'ones', doc: 'Initializer of `gamma`.' },
    moving_mean_initializer: { type: 'initializer', default: 'zeros', doc: 'Initializer of the moving mean.' },
    moving_variance_initializer: { type: 'initializer', default: 'ones', doc: 'Initializer of the moving variance.' },
    beta_regularizer: { type: 'regularizer', nullable: true, default: null, doc: 'Regularizer on `beta`.' },
    gamma_regularizer: { type: 'regularizer', nullable: true, default: null, doc: 'Regularizer on `gamma`.' },
    beta_constraint: { type: 'constraint', nullable: true, default: null, doc: 'Constraint on `beta`.' },
    gamma_constraint: { type: 'constraint', nullable: true, default: null, doc: 'Constraint on `gamma`.' },
    synchronized: { type: 'bool', default: false, doc: 'TensorFlow only: synchronise the batch statistics across devices.' },
    renorm: { type: 'bool', legacy: true, default: false, doc: 'Keras 2 (TensorFlow): batch renormalisation; adds three non-trainable variables.' },
    renorm_clipping: { type: 'any', legacy: true, nullable: true, default: null, doc: 'Keras 2 (TensorFlow): `{rmax, rmin, dmax}` clipping of the renorm correction.' },
    renorm_momentum: { type: 'float', legacy: true, default: 0.99, doc: 'Keras 2 (TensorFlow): momentum of the renorm moving averages.' },
    virtual_batch_size: { type: 'int', min: 1, legacy: true, nullable: true, default: null, doc: 'Keras 2 (TensorFlow): "ghost batch" size; the variables get an extra axis of size 1.' },
    fused: { type: 'bool', legacy: true, nullable: true, default: null, doc: 'Keras 2 (TensorFlow): use the fused kernel; no effect on shapes or weights.' },
    ...BASE_ARGS,
    ...LEGACY_INPUT_ARGS,
  },
  outputShape(config, inputs) {
    const input = singleInput('BatchNormalization', inputs);
    if (!isShape(input)) return input;
    const shape = paramShape(config.axis, config.virtual_batch_size, input);
    return Array.isArray(shape) ? shapeOk(input) : shape;
  },
  weights(config, inputs) {
    const shape = paramShape(config.axis, config.virtual_batch_size, inputs[0] ?? []);
    if (!Array.isArray(shape)) return [];
    const weights: WeightIR[] = [];
    if (config.scale) weights.push({ name: 'gamma', shape, trainable: config.trainable, initializer: config.gamma_initializer });
    if (config.center) weights.push({ name: 'beta', shape, trainable: config.trainable, initializer: config.beta_initializer });
    weights.push({ name: 'moving_mean', shape, trainable: false, initializer: config.moving_mean_initializer });
    weights.push({ name: 'moving_variance', shape, trainable: false, initializer: config.moving_variance_initializer });
    if (config.renorm) {
      // Keras 2 initialises moving_stddev and renorm_stddev to sqrt(moving_variance_initializer):
      // `ones` stays ones, which is the default and the only case recorded exactly here.
      weights.push({ name: 'moving_stddev', shape, trainable: false, initializer: config.moving_variance_initializer });
      weights.push({ name: 'renorm_mean', shape, trainable: false, initializer: config.moving_mean_initializer });
      weights.push({ name: 'renorm_stddev', shape, trainable: false, initializer: config.moving_variance_initializer });
    }
    return weights;
  },
  forward(ctx, config, [input], w) {
    if (config.renorm || config.virtual_batch_size !== null) {
      throw new Error('BatchNormalization with renorm or virtual_batch_size (Keras 2, TensorFlow only) has no forward pass in densegraph');
    }
    const { tape } = ctx;
    const x = input!;
    const shape = x.value.shape;
    const axes = resolveAxes('BatchNormalization', config.axis, shape);
    if (!Array.isArray(axes)) throw new Error(axes.ok ? 'internal: no axes' : axes.message);
    const others = shape.map((_, i) => i).filter((i) => !axes.includes(i));
    // The (C,) variables (or Keras 2's multi-axis ones) viewed with size 1 on every other axis.
    const channels = shape.map((d, i) => (axes.includes(i) ? d : 1));
    const view = (v: Var) => ops.reshape(tape, v, channels);
    let mean: Var;
    let variance: Var;
    // Keras runs a frozen layer (trainable: false) in inference mode even when training.
    if (ctx.training && config.trainable) {
      // Batch statistics with the biased variance (divided by n, not n − 1), as Keras's ops.moments;
      // composed of ops, so the input's gradient also flows through the mean and the variance.
      mean = ops.mean(tape, x, others, true);
      const centred = ops.sub(tape, x, mean);
      variance = ops.mean(tape, ops.mul(tape, centred, centred), others, true);
      ctx.updateWeight('moving_mean', movingAverage(w['moving_mean']!.value, mean.value, config.momentum));
      ctx.updateWeight('moving_variance', movingAverage(w['moving_variance']!.value, variance.value, config.momentum));
    } else {
      mean = view(w['moving_mean']!);
      variance = view(w['moving_variance']!);
    }
    // ops.batch_normalization's arrangement: per-channel inv = gamma / sqrt(var + ε) and
    // res = beta − mean · inv first, so only two operations run over the whole input.
    let inv = ops.rsqrt(tape, variance, config.epsilon);
    if (config.scale) inv = ops.mul(tape, inv, view(w['gamma']!));
    const shift = ops.mul(tape, mean, inv);
    const res = ops.sub(tape, config.center ? view(w['beta']!) : ops.scalar(tape, 0), shift);
    return ops.add(tape, ops.mul(tape, x, inv), res);
  },
});
