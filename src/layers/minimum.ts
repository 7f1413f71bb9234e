/**
 * Minimum: the elementwise minimum of its inputs, with Keras's merge broadcasting (base-merge.ts).
 * Keras: https://keras.io/api/layers/merging_layers/minimum/
 */
import * as ops from '../exec/ops.js';
import { MERGE_ARGS, elementwiseMergeShape, mergeElementwise } from './base-merge.js';
import { defineLayer } from './layer.js';

export const minimum = defineLayer({
  className: 'Minimum',
  doc: 'Elementwise minimum of a list of inputs; shapes must be equal or broadcastable.',
  kerasUrl: 'https://keras.io/api/layers/merging_layers/minimum/',
  positional: [],
  arity: 'many',
  schema: MERGE_ARGS,
  outputShape: (_config, inputs) => elementwiseMergeShape('Minimum', 'take the minimum of', inputs),
  weights: () => [],
  forward: (ctx, _config, inputs) => mergeElementwise(ctx.tape, inputs, ops.minimum),
});
