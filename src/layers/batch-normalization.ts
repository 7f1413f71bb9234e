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
});
