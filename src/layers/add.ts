/**
 * Add: the elementwise sum of its inputs, with Keras's merge broadcasting (base-merge.ts).
 * Keras: https://keras.io/api/layers/merging_layers/add/
 */
import * as ops from '../exec/ops.js';
import { MERGE_ARGS, elementwiseMergeShape, mergeElementwise } from './base-merge.js';
import { defineLayer } from './layer.js';

export const add = defineLayer({
  className: 'Add',
  doc: 'Adds a list of inputs elementwise; shapes must be equal or broadcastable.',
  kerasUrl: 'https://keras.io/api/layers/merging_layers/add/',
  positional: [],
  arity: 'many',
  schema: MERGE_ARGS,
  outputShape: (_config, inputs) => elementwiseMergeShape('Add', 'add', inputs),
  weights: () => [],
  forward: (ctx, _config, inputs) => mergeElementwise(ctx.tape, inputs, ops.add),
});
