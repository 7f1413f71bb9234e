/**
 * Softmax: normalises `exp(x)` to sum to 1 over `axis` (one axis or several); the shape is
 * unchanged. No `activation` attribute in Keras, so labels show none.
 * Keras: https://keras.io/api/layers/activation_layers/softmax/
 */
import * as ops from '../exec/ops.js';
import { BASE_ARGS, LEGACY_INPUT_ARGS, isShape, resolveAxes, singleInput } from './common.js';
import { defineLayer, shapeOk } from './layer.js';

export const softmax = defineLayer({
  className: 'Softmax',
  doc: 'Softmax over `axis`: `exp(x)` normalised to sum to 1.',
  kerasUrl: 'https://keras.io/api/layers/activation_layers/softmax/',
  positional: ['axis'],
  arity: 'one',
  schema: {
    axis: { type: 'intOrIntList', default: -1, doc: 'The axis or axes to normalise over, `-1` the last.' },
    ...BASE_ARGS,
    ...LEGACY_INPUT_ARGS,
  },
  outputShape(config, inputs) {
    const input = singleInput('Softmax', inputs);
    if (!isShape(input)) return input;
    const axes = resolveAxes('Softmax', config.axis, input);
    return Array.isArray(axes) ? shapeOk(input) : axes;
  },
  weights: () => [],
  forward(ctx, config, [input]) {
    const { tape } = ctx;
    const x = input!;
    const rank = x.value.shape.length;
    const axes = resolveAxes('Softmax', config.axis, x.value.shape);
    if (!Array.isArray(axes)) throw new Error(axes.ok ? 'internal: no axes' : axes.message);
    if (axes.length === 1) return ops.softmax(tape, x, axes[0]);
    // Several axes (Keras: exp(x − logsumexp(x, axes))): move them last, merge them into one,
    // take one softmax there and undo the moves.
    const perm = [...Array.from({ length: rank }, (_, i) => i).filter((i) => !axes.includes(i)), ...axes];
    const moved = ops.transpose(tape, x, perm);
    const kept = moved.value.shape.slice(0, rank - axes.length);
    const y = ops.reshape(tape, ops.softmax(tape, ops.reshape(tape, moved, [...kept, -1]), -1), moved.value.shape);
    return ops.transpose(tape, y, perm.map((_, i) => perm.indexOf(i)));
  },
});
