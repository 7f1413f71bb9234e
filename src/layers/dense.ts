/**
 * Dense: `output = activation(dot(input, kernel) + bias)` on the last axis.
 * Keras: https://keras.io/api/layers/core_layers/dense/ (reference/keras.md §2).
 */
import { formatShape } from '../ir/shape.js';
import type { WeightIR } from '../ir/model.js';
import { BASE_ARGS, LEGACY_INPUT_ARGS, isShape, singleInput } from './common.js';
import { defineLayer, shapeError, shapeOk } from './layer.js';
import { applyActivation, elementwiseRule } from '../exec/activations.js';
import * as ops from '../exec/ops.js';

export const dense = defineLayer({
  className: 'Dense',
  doc: 'Densely connected layer: `activation(input · kernel + bias)` on the last axis.',
  kerasUrl: 'https://keras.io/api/layers/core_layers/dense/',
  positional: ['units', 'activation'],
  arity: 'one',
  schema: {
    units: { type: 'int', min: 1, required: true, doc: 'Dimensionality of the output space (a positive integer).' },
    activation: { type: 'activation', nullable: true, default: 'linear', doc: 'Activation function name; `null` means `linear`.' },
    use_bias: { type: 'bool', default: true, doc: 'Whether the layer adds a bias vector.' },
    kernel_initializer: { type: 'initializer', default: 'glorot_uniform', doc: 'Initializer of the kernel (`uniform` = ±0.05, `normal` = σ 0.05, …).' },
    bias_initializer: { type: 'initializer', default: 'zeros', doc: 'Initializer of the bias vector.' },
    kernel_regularizer: { type: 'regularizer', nullable: true, default: null, doc: 'Regularizer on the kernel (`l1`, `l2`, `l1_l2` or `{class_name, config}`).' },
    bias_regularizer: { type: 'regularizer', nullable: true, default: null, doc: 'Regularizer on the bias.' },
    activity_regularizer: { type: 'regularizer', nullable: true, default: null, doc: 'Regularizer on the layer output.' },
    kernel_constraint: { type: 'constraint', nullable: true, default: null, doc: 'Constraint on the kernel (`max_norm`, `non_neg`, `unit_norm`, `min_max_norm`).' },
    bias_constraint: { type: 'constraint', nullable: true, default: null, doc: 'Constraint on the bias.' },
    lora_rank: { type: 'int', min: 1, nullable: true, default: null, doc: 'Keras 3 LoRA: rank of the low-rank update; the kernel becomes non-trainable.' },
    lora_alpha: { type: 'float', min: 0, nullable: true, default: null, doc: 'Keras 3 LoRA scale (default: `lora_rank`).' },
    quantization_config: { type: 'any', nullable: true, default: null, doc: 'Keras 3 quantization settings; recorded, not interpreted.' },
    ...BASE_ARGS,
    ...LEGACY_INPUT_ARGS,
  },
  outputShape(config, inputs) {
    const input = singleInput('Dense', inputs);
    if (!isShape(input)) return input;
    if (input.length < 2) {
      return shapeError(
        'rank-too-low',
        `Dense needs an input of rank 2 or more (a batch axis and a feature axis), got ${formatShape(input)} of rank ${input.length}`,
        'give the input at least one feature axis, e.g. input_dim: 4 or input_shape: [4]',
      );
    }
    if (input[input.length - 1] === null) {
      return shapeError(
        'unknown-last-dim',
        `the last dimension of the input to Dense must be known, got ${formatShape(input)}`,
        'give the input a fixed feature size',
      );
    }
    return shapeOk([...input.slice(0, -1), config.units]);
  },
  weights(config, inputs) {
    const input = inputs[0] ?? [];
    const inDim = input[input.length - 1] ?? 0;
    const lora = config.lora_rank;
    const weights: WeightIR[] = [
      { name: 'kernel', shape: [inDim, config.units], trainable: config.trainable && lora === null, initializer: config.kernel_initializer },
    ];
    if (config.use_bias) weights.push({ name: 'bias', shape: [config.units], trainable: config.trainable, initializer: config.bias_initializer });
    if (lora !== null) {
      weights.push({ name: 'lora_kernel_a', shape: [inDim, lora], trainable: config.trainable, initializer: 'he_uniform' });
      weights.push({ name: 'lora_kernel_b', shape: [lora, config.units], trainable: config.trainable, initializer: 'zeros' });
    }
    return weights;
  },
  forward(ctx, config, [x], w) {
    const { tape } = ctx;
    let kernel = w['kernel']!;
    if (config.lora_rank !== null) {
      // Keras 3: kernel + (lora_alpha / lora_rank) · (lora_kernel_a · lora_kernel_b).
      const scale = ops.scalar(tape, (config.lora_alpha ?? config.lora_rank) / config.lora_rank);
      kernel = ops.add(tape, kernel, ops.mul(tape, ops.matmul(tape, w['lora_kernel_a']!, w['lora_kernel_b']!), scale));
    }
    const activation = config.activation ?? 'linear';
    const rule = activation === 'linear' ? null : elementwiseRule(activation, ctx.activationOptions);
    if (rule !== undefined) return ops.dense(tape, x!, kernel, config.use_bias ? w['bias']! : null, rule);
    let y = ops.matmul(tape, x!, kernel);
    if (config.use_bias) y = ops.add(tape, y, w['bias']!);
    return applyActivation(tape, y, activation, ctx.activationOptions);
  },
  activation: (config) => config.activation ?? 'linear',
});
