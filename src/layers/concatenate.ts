/**
 * Concatenate: joins its inputs along one axis. Rule from Keras 3
 * `keras/src/layers/merging/concatenate.py`: every input has the same rank; on every other axis
 * the known sizes agree (an unknown size matches anything, the batch axis included); the
 * concatenation axis sums, unknown if any input's is unknown; the other axes are taken from
 * the first input, as `compute_output_shape` does (so an unknown size there stays unknown).
 * Keras: https://keras.io/api/layers/merging_layers/concatenate/
 */
import * as ops from '../exec/ops.js';
import { formatShape, type Dim } from '../ir/shape.js';
import { MERGE_ARGS, checkMergeCount } from './base-merge.js';
import { normalizeAxis } from './common.js';
import { defineLayer, shapeError, shapeOk } from './layer.js';

export const concatenate = defineLayer({
  className: 'Concatenate',
  doc: 'Concatenates a list of inputs along `axis`; every other axis must match.',
  kerasUrl: 'https://keras.io/api/layers/merging_layers/concatenate/',
  positional: ['axis'],
  arity: 'many',
  schema: {
    axis: { type: 'int', default: -1, doc: 'Axis along which to concatenate (`-1` is the last; the batch axis is 0).' },
    ...MERGE_ARGS,
  },
  outputShape(config, inputs) {
    const countError = checkMergeCount('Concatenate', inputs);
    if (countError) return countError;
    const first = inputs[0]!;
    const rank = first.length;
    const other = inputs.find((s) => s.length !== rank);
    if (other) {
      return shapeError(
        'rank-mismatch',
        `cannot concatenate ${formatShape(first)} and ${formatShape(other)}: their ranks differ (${rank} and ${other.length})`,
        'Concatenate joins tensors of the same rank; add a Reshape or Flatten on one branch',
      );
    }
    const axis = normalizeAxis(config.axis, rank);
    if (axis === null) {
      return shapeError(
        'axis-out-of-range',
        `Concatenate axis ${config.axis} is out of range for inputs of rank ${rank} such as ${formatShape(first)}`,
        `use an axis from ${-rank} to ${rank - 1} (-1 is the last)`,
      );
    }
    for (let a = 0; a < rank; a++) {
      if (a === axis) continue;
      const known = inputs.filter((s) => s[a] !== null);
      const clash = known.find((s) => s[a] !== known[0]![a]);
      if (clash) {
        return shapeError(
          'incompatible-shapes',
          `cannot concatenate ${formatShape(known[0]!)} and ${formatShape(clash)} on axis ${config.axis}: axis ${a} is ${known[0]![a]} in one and ${clash[a]} in the other`,
          'every axis but the concatenation axis must have the same size; check the axis argument, or make the other axes equal',
        );
      }
    }
    const sizes = inputs.map((s) => s[axis] ?? null);
    const sum: Dim = sizes.some((d) => d === null) ? null : sizes.reduce<number>((n, d) => n + (d as number), 0);
    const out = [...first];
    out[axis] = sum;
    return shapeOk(out);
  },
  weights: () => [],
  forward(ctx, config, inputs) {
    const shapes = inputs.map((x) => x.value.shape);
    const axis = normalizeAxis(config.axis, shapes[0]!.length);
    // ops.concat trusts its operands; the checks above ran on declared shapes, these are the actual ones.
    const clash = shapes.find((s) => s.length !== shapes[0]!.length || s.some((d, a) => a !== axis && d !== shapes[0]![a]));
    if (axis === null || clash) {
      throw new Error(`Concatenate on axis ${config.axis} cannot join tensors of shapes ${shapes.map((s) => formatShape(s)).join(' and ')}`);
    }
    return ops.concat(ctx.tape, inputs, axis);
  },
});
