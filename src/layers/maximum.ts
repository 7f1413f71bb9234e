/**
 * Maximum: the elementwise maximum of its inputs, with Keras's merge broadcasting (base-merge.ts).
 * Keras: https://keras.io/api/layers/merging_layers/maximum/
 */
import * as ops from '../exec/ops.js';
import { MERGE_ARGS, elementwiseMergeShape, mergeElementwise } from './base-merge.js';
import { defineLayer } from './layer.js';

export const maximum = defineLayer({
  className: 'Maximum',
  doc: 'Elementwise maximum of a list of inputs; shapes must be equal or broadcastable.',
  kerasUrl: 'https://keras.io/api/layers/merging_layers/maximum/',
  positional: [],
  arity: 'many',
  schema: MERGE_ARGS,
  outputShape: (_config, inputs) => elementwiseMergeShape('Maximum', 'take the maximum of', inputs),
  weights: () => [],
  forward: (ctx, _config, inputs) => mergeElementwise(ctx.tape, inputs, ops.maximum),
});
