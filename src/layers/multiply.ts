/**
 * Multiply: the elementwise product of its inputs, with Keras's merge broadcasting (base-merge.ts).
 * Keras: https://keras.io/api/layers/merging_layers/multiply/
 */
import * as ops from '../exec/ops.js';
import { MERGE_ARGS, elementwiseMergeShape, mergeElementwise } from './base-merge.js';
import { defineLayer } from './layer.js';

export const multiply = defineLayer({
  className: 'Multiply',
  doc: 'Multiplies a list of inputs elementwise; shapes must be equal or broadcastable.',
  kerasUrl: 'https://keras.io/api/layers/merging_layers/multiply/',
  positional: [],
  arity: 'many',
  schema: MERGE_ARGS,
  outputShape: (_config, inputs) => elementwiseMergeShape('Multiply', 'multiply', inputs),
  weights: () => [],
  forward: (ctx, _config, inputs) => mergeElementwise(ctx.tape, inputs, ops.mul),
});
