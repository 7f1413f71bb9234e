/**
 * PReLU: a leaky rectifier whose slope `alpha` is learned per element; the shape is unchanged.
 * Keras 3 `keras/src/layers/activations/prelu.py`: `alpha` has the input shape without the
 * batch axis, with size 1 on each of `shared_axes` (counted from 1, the batch axis being 0);
 * every other axis must therefore be known.
 * Keras: https://keras.io/api/layers/activation_layers/prelu/
 */
import * as ops from '../exec/ops.js';
import { formatShape, type Shape } from '../ir/shape.js';
import { BASE_ARGS, LEGACY_INPUT_ARGS, axisList, isShape, singleInput } from './common.js';
import { defineLayer, shapeError, shapeOk, type ShapeResult } from './layer.js';

function alphaShape(sharedAxes: number | readonly number[] | null, input: Shape): number[] | ShapeResult {
  const shared = sharedAxes === null ? [] : axisList(sharedAxes);
  const bad = shared.find((a) => a < 1 || a >= input.length);
  if (bad !== undefined) {
    // Keras would index `param_shape[bad - 1]` Python-style and silently share another axis.
    return shapeError(
      'axis-out-of-range',
      `PReLU shared axis ${bad} is out of range for the input ${formatShape(input)}`,
      `shared_axes count from 1 (the first axis after the batch axis) to ${input.length - 1}`,
    );
  }
  const shape: number[] = [];
  for (let a = 1; a < input.length; a++) {
    const d = input[a] ?? null;
    if (shared.includes(a)) shape.push(1);
    else if (d === null) {
      return shapeError(
        'unknown-axis-dim',
        `PReLU needs every axis it does not share to be known (alpha has that shape), but axis ${a} of ${formatShape(input)} is unknown`,
        `share alpha along that axis with shared_axes: [${a}], or give the input a fixed size there`,
      );
    } else shape.push(d);
  }
  return shape;
}

export const prelu = defineLayer({
  className: 'PReLU',
  doc: 'Parametric rectifier: `x` for `x >= 0`, `alpha · x` otherwise, with `alpha` learned.',
  kerasUrl: 'https://keras.io/api/layers/activation_layers/prelu/',
  positional: ['alpha_initializer', 'alpha_regularizer', 'alpha_constraint', 'shared_axes'],
  arity: 'one',
  schema: {
    alpha_initializer: { type: 'initializer', default: 'zeros', doc: 'Initializer of `alpha`.' },
    alpha_regularizer: { type: 'regularizer', nullable: true, default: null, doc: 'Regularizer on `alpha`.' },
    alpha_constraint: { type: 'constraint', nullable: true, default: null, doc: 'Constraint on `alpha`.' },
    shared_axes: { type: 'intOrIntList', nullable: true, default: null, doc: 'Axes (counted from 1) along which `alpha` is shared, e.g. `[1, 2]` for one slope per channel of an image.' },
    ...BASE_ARGS,
    ...LEGACY_INPUT_ARGS,
  },
  outputShape(config, inputs) {
    const input = singleInput('PReLU', inputs);
    if (!isShape(input)) return input;
    const shape = alphaShape(config.shared_axes, input);
    return Array.isArray(shape) ? shapeOk(input) : shape;
  },
  weights(config, inputs) {
    const shape = alphaShape(config.shared_axes, inputs[0] ?? []);
    return Array.isArray(shape) ? [{ name: 'alpha', shape, trainable: config.trainable, initializer: config.alpha_initializer }] : [];
  },
  forward(ctx, _config, [x], w) {
    // Keras: relu(x) − alpha · relu(−x). alpha has the input's shape without the batch axis
    // (size 1 on the shared axes), so NumPy broadcasting lines it up from the right and
    // the product's backward sums alpha's gradient over the batch and the shared axes.
    const { tape } = ctx;
    const pos = ops.unary(tape, x!, { f: (v) => (v > 0 ? v : 0), df: (v) => (v > 0 ? 1 : 0) });
    const neg = ops.unary(tape, x!, { f: (v) => (v < 0 ? -v : 0), df: (v) => (v < 0 ? -1 : 0) });
    return ops.sub(tape, pos, ops.mul(tape, w['alpha']!, neg));
  },
});
