/**
 * InputLayer: the entry point of a model. Its output is the batch shape.
 * Keras: https://keras.io/api/layers/core_layers/input/
 */
import type { Dim } from '../ir/shape.js';
import { defineLayer, shapeError, shapeOk } from './layer.js';

export const inputLayer = defineLayer({
  className: 'InputLayer',
  doc: 'A model input with a fixed shape (the batch axis is `null` unless `batch_size` is set).',
  kerasUrl: 'https://keras.io/api/layers/core_layers/input/',
  positional: ['shape', 'batch_size', 'dtype'],
  arity: 'none',
  schema: {
    shape: { type: 'dims', nullable: true, default: null, doc: 'Shape without the batch axis, e.g. `[4]` or `[5, 4]`.' },
    batch_size: { type: 'int', min: 1, nullable: true, default: null, doc: 'Fixed batch size; unknown (`None`) by default.' },
    batch_shape: { type: 'dims', nullable: true, default: null, doc: 'Shape with the batch axis, e.g. `[null, 4]` (instead of `shape`).' },
    dtype: { type: 'dtype', default: 'float32', doc: 'Dtype of the input.' },
    sparse: { type: 'bool', default: false, doc: 'Whether the input is a sparse tensor.' },
    ragged: { type: 'bool', default: false, doc: 'Whether the input is a ragged tensor.' },
    optional: { type: 'bool', default: false, doc: 'Whether the input may be None.' },
    name: { type: 'string', doc: 'Input name. Default: `input_layer`, `input_layer_1`, …' },
    input_shape: { type: 'dims', legacy: true, nullable: true, default: null, doc: 'Legacy Keras 2 name of `shape`.' },
    batch_input_shape: { type: 'dims', legacy: true, nullable: true, default: null, doc: 'Legacy Keras 2 name of `batch_shape`.' },
  },
  outputShape(config) {
    const batch = config.batch_shape ?? config.batch_input_shape;
    if (batch) return shapeOk(batch);
    const shape = config.shape ?? config.input_shape;
    if (!shape) {
      return shapeError('missing-input-shape', 'InputLayer needs a shape', 'give it shape: [4] (without the batch axis) or batch_shape: [null, 4]');
    }
    const dims: Dim[] = [config.batch_size ?? null, ...shape];
    return shapeOk(dims);
  },
  weights: () => [],
});
