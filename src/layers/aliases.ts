/**
 * Other names Keras code and files use for the layers in the registry, mapped to the class and
 * config the registry knows. A pure function; the validate pass calls it before it looks the
 * class up, and reports the warning or error with the layer's location.
 *
 * - The functional helpers `keras.layers.concatenate`, `add`, … (lowercase) build the layer of
 *   the same name with the same arguments; they are current API, so no warning.
 * - Keras 1's `Merge(mode=…)` (keras 1.2 `keras/engine/topology.py`, removed in Keras 2) became
 *   one layer per mode in Keras 2: `concat` → Concatenate(axis=concat_axis), `sum` → Add,
 *   `mul` → Multiply, `ave` → Average, `max` → Maximum. `dot` and `cos` became the Dot layer,
 *   which densegraph does not have, and a Python function as mode cannot be read at all.
 */
import { didYouMean } from '../ir/suggest.js';

export type AliasResult =
  | { className: string; config: Record<string, unknown>; warning?: string }
  | { error: string; hint?: string };

const FUNCTIONAL_HELPERS: Readonly<Record<string, string>> = {
  concatenate: 'Concatenate',
  add: 'Add',
  subtract: 'Subtract',
  multiply: 'Multiply',
  average: 'Average',
  maximum: 'Maximum',
  minimum: 'Minimum',
};

const MERGE_MODES: Readonly<Record<string, string>> = {
  concat: 'Concatenate',
  sum: 'Add',
  mul: 'Multiply',
  ave: 'Average',
  max: 'Maximum',
};

/** The keys Keras 1's `Merge.get_config` writes besides `name`, and its constructor's list arguments. */
const MERGE_ONLY_KEYS = new Set([
  'mode', 'mode_type', 'concat_axis', 'dot_axes', 'output_shape', 'output_shape_type', 'output_mask',
  'output_mask_type', 'arguments', 'layers', 'node_indices', 'tensor_indices',
]);

function fromKeras1Merge(config: Record<string, unknown>): AliasResult {
  // Keras 1's default mode is 'sum'.
  const mode = config['mode'] ?? 'sum';
  const modeType = config['mode_type'];
  if (typeof mode !== 'string' || modeType === 'lambda' || modeType === 'function') {
    return {
      error: 'Keras 1 Merge with a Python function as its mode is not supported: densegraph cannot run or infer the shape of Python code',
      hint: 'rewrite the merge as a Keras 2 layer (Add, Concatenate, …) or a Lambda layer in the model',
    };
  }
  if (mode === 'dot' || mode === 'cos') {
    return {
      error: `Keras 1 Merge mode '${mode}' is not supported: it became the Dot layer in Keras 2${mode === 'cos' ? ' (with normalize=True)' : ''}, which densegraph does not know`,
      hint: 'only the modes concat, sum, mul, ave and max can be read',
    };
  }
  const className = MERGE_MODES[mode];
  if (!className) {
    return {
      error: `unknown Keras 1 Merge mode '${mode}'.${didYouMean(mode, Object.keys(MERGE_MODES))}`,
      hint: `Merge modes densegraph reads: ${Object.keys(MERGE_MODES).join(', ')}`,
    };
  }
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) if (!MERGE_ONLY_KEYS.has(k)) rest[k] = v;
  if (className === 'Concatenate') rest['axis'] = config['concat_axis'] ?? -1;
  const args = className === 'Concatenate' ? `(axis=${String(rest['axis'])})` : '';
  return {
    className,
    config: rest,
    warning: `Keras 1 Merge(mode='${mode}') was replaced by ${className} in Keras 2; read as ${className}${args}`,
  };
}

/**
 * Maps a legacy or functional-helper class name and its config to a registry class; names it
 * does not know come back unchanged (the registry reports them if they are unknown there too).
 */
export function resolveAlias(className: string, config: Record<string, unknown>): AliasResult {
  if (className === 'Merge') return fromKeras1Merge(config);
  const helper = Object.prototype.hasOwnProperty.call(FUNCTIONAL_HELPERS, className) ? FUNCTIONAL_HELPERS[className] : undefined;
  if (helper) return { className: helper, config };
  return { className, config };
}
