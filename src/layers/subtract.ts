/**
 * Subtract: `inputs[0] - inputs[1]`, elementwise, with Keras's merge broadcasting
 * (base-merge.ts); exactly two inputs in every Keras version.
 * Keras: https://keras.io/api/layers/merging_layers/subtract/
 */
import * as ops from '../exec/ops.js';
import { MERGE_ARGS, elementwiseMergeShape, mergeElementwise } from './base-merge.js';
import { defineLayer } from './layer.js';

export const subtract = defineLayer({
  className: 'Subtract',
  doc: 'Subtracts its second input from its first, elementwise; exactly two inputs.',
  kerasUrl: 'https://keras.io/api/layers/merging_layers/subtract/',
  positional: [],
  arity: 'many',
  schema: MERGE_ARGS,
  outputShape: (_config, inputs) => elementwiseMergeShape('Subtract', 'subtract', inputs, 2),
  weights: () => [],
  forward: (ctx, _config, inputs) => mergeElementwise(ctx.tape, inputs, ops.sub),
});
