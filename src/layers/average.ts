/**
 * Average: the elementwise mean of its inputs, with Keras's merge broadcasting (base-merge.ts).
 * Keras: https://keras.io/api/layers/merging_layers/average/
 */
import * as ops from '../exec/ops.js';
import { MERGE_ARGS, elementwiseMergeShape, mergeElementwise } from './base-merge.js';
import { defineLayer } from './layer.js';

export const average = defineLayer({
  className: 'Average',
  doc: 'Averages a list of inputs elementwise; shapes must be equal or broadcastable.',
  kerasUrl: 'https://keras.io/api/layers/merging_layers/average/',
  positional: [],
  arity: 'many',
  schema: MERGE_ARGS,
  outputShape: (_config, inputs) => elementwiseMergeShape('Average', 'average', inputs),
  weights: () => [],
  // Keras: the running sum divided by the number of inputs (not each input scaled by 1/n).
  forward: (ctx, _config, inputs) => ops.div(ctx.tape, mergeElementwise(ctx.tape, inputs, ops.add), ops.scalar(ctx.tape, inputs.length)),
});
