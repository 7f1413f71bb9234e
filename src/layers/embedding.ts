/**
 * Embedding: looks up a `output_dim` vector for each integer index in `[0, input_dim)`; the
 * output appends that axis to the input shape, whatever its rank. The indices are integers
 * but the output is floating point, in the layer's own dtype (float32 unless set), as Keras 3
 * casts it (`keras/src/layers/core/embedding.py`).
 * Keras: https://keras.io/api/layers/core_layers/embedding/
 */
import * as ops from '../exec/ops.js';
import { formatShape, type Dim } from '../ir/shape.js';
import type { WeightIR } from '../ir/model.js';
import { BASE_ARGS, LEGACY_INPUT_ARGS, isShape, singleInput } from './common.js';
import { defineLayer, shapeError, shapeOk } from './layer.js';

/**
 * Keras 2's base-layer input arguments, but not `input_dim`: Embedding's own `input_dim` (the
 * vocabulary size) takes that name, so it never meant the input shape here.
 */
const { input_dim: _vocabularyNotInputShape, ...LEGACY_INPUT_SHAPE_ARGS } = LEGACY_INPUT_ARGS;

export const embedding = defineLayer({
  className: 'Embedding',
  doc: 'Maps integer indices in `[0, input_dim)` to dense vectors of size `output_dim`.',
  kerasUrl: 'https://keras.io/api/layers/core_layers/embedding/',
  positional: [
    'input_dim', 'output_dim', 'embeddings_initializer', 'embeddings_regularizer', 'embeddings_constraint',
    'mask_zero', 'weights', 'lora_rank', 'lora_alpha', 'quantization_config',
  ],
  arity: 'one',
  takesIndices: true,
  schema: {
    input_dim: { type: 'int', min: 1, required: true, doc: 'Size of the vocabulary: the largest index + 1.' },
    output_dim: { type: 'int', min: 1, required: true, doc: 'Size of each embedding vector.' },
    embeddings_initializer: { type: 'initializer', default: 'uniform', doc: 'Initializer of the embeddings matrix (`uniform` = ±0.05).' },
    embeddings_regularizer: { type: 'regularizer', nullable: true, default: null, doc: 'Regularizer on the embeddings matrix.' },
    activity_regularizer: { type: 'regularizer', nullable: true, default: null, doc: 'Regularizer on the layer output.' },
    embeddings_constraint: { type: 'constraint', nullable: true, default: null, doc: 'Constraint on the embeddings matrix.' },
    mask_zero: { type: 'bool', default: false, doc: 'Whether index 0 is padding and masked out downstream.' },
    weights: { type: 'any', nullable: true, default: null, doc: 'Initial `(input_dim, output_dim)` matrix; recorded, not interpreted.' },
    lora_rank: { type: 'int', min: 1, nullable: true, default: null, doc: 'Keras 3 LoRA: rank of the low-rank update; the embeddings become non-trainable.' },
    lora_alpha: { type: 'float', min: 0, nullable: true, default: null, doc: 'Keras 3 LoRA scale (default: `lora_rank`).' },
    quantization_config: { type: 'any', nullable: true, default: null, doc: 'Keras 3 quantization settings; recorded, not interpreted.' },
    input_length: {
      type: 'dims', legacy: true, nullable: true, default: null,
      doc: 'Keras 2: the length of the index sequences (a list for higher ranks). Fills unknown input sizes and must agree with known ones; Keras 3 ignores it.',
    },
    ...BASE_ARGS,
    ...LEGACY_INPUT_SHAPE_ARGS,
  },
  outputShape(config, inputs) {
    const input = singleInput('Embedding', inputs);
    if (!isShape(input)) return input;
    if (config.lora_rank !== null && config.embeddings_constraint !== null) {
      // Keras raises in `enable_lora`: the constraint would apply to the frozen matrix only.
      return shapeError('lora-with-constraint', 'Embedding cannot combine lora_rank with an embeddings_constraint', 'remove embeddings_constraint or lora_rank');
    }
    let dims: Dim[] = input.slice(1);
    const lengths = config.input_length;
    if (lengths !== null) {
      // tf_keras `Embedding.compute_output_shape`: the only version in which input_length means anything.
      const clash = lengths.length !== dims.length || lengths.some((l, i) => l !== null && dims[i] !== null && l !== dims[i]);
      if (clash) {
        return shapeError(
          'input-length-mismatch',
          `Embedding input_length ${JSON.stringify(lengths.length === 1 ? lengths[0] : lengths)} does not fit the input ${formatShape(input)}`,
          'remove input_length (Keras 3 ignores it) or make it match the input',
        );
      }
      dims = dims.map((d, i) => lengths[i] ?? d);
    }
    return shapeOk([input[0] ?? null, ...dims, config.output_dim]);
  },
  weights(config) {
    const lora = config.lora_rank;
    const weights: WeightIR[] = [
      { name: 'embeddings', shape: [config.input_dim, config.output_dim], trainable: config.trainable && lora === null, initializer: config.embeddings_initializer },
    ];
    if (lora !== null) {
      weights.push({ name: 'lora_embeddings_a', shape: [config.input_dim, lora], trainable: config.trainable, initializer: 'he_uniform' });
      weights.push({ name: 'lora_embeddings_b', shape: [lora, config.output_dim], trainable: config.trainable, initializer: 'zeros' });
    }
    return weights;
  },
  forward(ctx, config, [x], w) {
    const { tape } = ctx;
    const indices = x!.value;
    // Keras casts the input to int32 (truncating 1.7 to 1) and TensorFlow's gather fails on
    // indices out of range only on CPU: both hide mistakes, so any non-index is an error here.
    const bad = indices.data.findIndex((i) => !Number.isInteger(i) || i < 0 || i >= config.input_dim);
    if (bad >= 0) {
      throw new RangeError(
        `Embedding input ${indices.data[bad]} (element ${bad} of an input of shape ${formatShape(indices.shape)}) is not an index of its vocabulary: ` +
          `indices are integers from 0 to ${config.input_dim - 1} (input_dim ${config.input_dim})`,
      );
    }
    let table = w['embeddings']!;
    if (config.lora_rank !== null) {
      // Keras 3: embeddings + (lora_alpha / lora_rank) · (lora_embeddings_a · lora_embeddings_b).
      const scale = ops.scalar(tape, (config.lora_alpha ?? config.lora_rank) / config.lora_rank);
      table = ops.add(tape, table, ops.mul(tape, ops.matmul(tape, w['lora_embeddings_a']!, w['lora_embeddings_b']!), scale));
    }
    // No gradient reaches the indices; the table's gradient is scattered into the rows picked.
    // mask_zero only changes the mask handed downstream, which the executor does not model.
    return ops.gather(tape, table, indices);
  },
  // tf_keras `Embedding.__init__`: without input_shape the layer sets it to `(input_length,)`,
  // or `(None,)`, so a Keras 2 Sequential that starts with an Embedding always has an input.
  // Keras 3 dropped this (such a model is unbuilt there); drawing it as Keras 2 did is more useful.
  impliedInputShape: (config) => (config.input_length ? [...config.input_length] : [null]),
});
