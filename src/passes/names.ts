/**
 * Names and graph: Keras-style automatic names (`dense`, `dense_1`, …; a Sequential's implicit
 * input is `input_layer`), the implicit InputLayer a Sequential builds from `input_dim` /
 * `input_shape` / `batch_input_shape`, and the inbound links of a Sequential model.
 * Runs after validate: configs have every argument.
 */
import { error, warning, type Diagnostic, type SourceLoc } from '../ir/diagnostics.js';
import type { LayerIR, ModelIR } from '../ir/model.js';
import type { Dim } from '../ir/shape.js';
import { LEGACY_INPUT_ARG_NAMES } from '../layers/common.js';
import { toSnakeCase } from '../layers/vocab.js';

function locOf(layer: LayerIR, arg?: string): SourceLoc | undefined {
  return (arg && layer.argLocs?.[arg]) || layer.loc;
}

/** The batch shape given by a layer's legacy input arguments, if any (reference/keras.md §2.1). */
export function legacyBatchShape(config: Readonly<Record<string, unknown>>): Dim[] | undefined {
  const batchInput = config['batch_input_shape'] as Dim[] | null | undefined;
  if (batchInput) return [...batchInput];
  const batchSize = (config['batch_size'] as number | null | undefined) ?? null;
  const inputShape = config['input_shape'] as Dim[] | null | undefined;
  if (inputShape) return [batchSize, ...inputShape];
  const inputDim = config['input_dim'] as number | null | undefined;
  if (typeof inputDim === 'number') return [batchSize, inputDim];
  return undefined;
}

function hasLegacyInput(config: Readonly<Record<string, unknown>>): string | undefined {
  return LEGACY_INPUT_ARG_NAMES.find((k) => config[k] !== undefined && config[k] !== null);
}

function withoutLegacyInput(config: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) {
    if (!(LEGACY_INPUT_ARG_NAMES as string[]).includes(k)) out[k] = v;
  }
  return out;
}

/** Gives every layer a unique name; reports duplicate explicit names. */
function assignNames(layers: readonly LayerIR[], diagnostics: Diagnostic[]): LayerIR[] {
  const used = new Map<string, LayerIR>();
  for (const layer of layers) {
    if (layer.name === undefined) continue;
    const first = used.get(layer.name);
    if (first) {
      const firstLoc = first.loc?.line !== undefined ? ` (first declared at line ${first.loc.line})` : '';
      diagnostics.push(
        error('duplicate-name', `two layers are named '${layer.name}'${firstLoc}; layer names must be unique in a model`, locOf(layer, 'name'), 'rename one of them, or drop the name to get an automatic one'),
      );
    } else used.set(layer.name, layer);
  }
  // Next suffix to try per base name, so numbering stays linear in the number of layers.
  const next = new Map<string, number>();
  return layers.map((layer) => {
    if (layer.name !== undefined) return layer;
    const base = toSnakeCase(layer.className);
    let i = next.get(base) ?? 0;
    let name = i === 0 ? base : `${base}_${i}`;
    while (used.has(name)) name = `${base}_${++i}`;
    next.set(base, i + 1);
    const named = { ...layer, name, config: { ...layer.config, name } };
    used.set(name, named);
    return named;
  });
}

function resolveSequential(model: ModelIR, diagnostics: Diagnostic[]): ModelIR {
  let layers = [...model.layers];
  const first = layers[0];
  if (!first) {
    diagnostics.push(error('empty-model', `model '${model.name}' has no layers`, model.loc, 'add at least one layer under layers:'));
    return model;
  }
  layers.forEach((layer, i) => {
    if (i > 0 && layer.className === 'InputLayer') {
      diagnostics.push(error('misplaced-input', `an InputLayer can only be the first layer of a Sequential model; found one at position ${i + 1}`, locOf(layer)));
    }
    const legacy = hasLegacyInput(layer.config);
    if (i > 0 && legacy) {
      diagnostics.push(
        warning('ignored-input-shape', `'${legacy}' is only used on the first layer of a Sequential model; it is ignored here`, locOf(layer, legacy), `remove '${legacy}' from this layer`),
      );
    }
  });
  if (first.className !== 'InputLayer') {
    const batchShape = legacyBatchShape(first.config);
    if (!batchShape) {
      diagnostics.push(
        error(
          'missing-input-shape',
          `the model has no input shape: its first layer${first.name ? ` '${first.name}'` : ''} (${first.className}) has no input_dim, input_shape or batch_input_shape`,
          locOf(first),
          'add input_dim (e.g. input_dim: 4) to the first layer, or start the layers with an InputLayer: {shape: [4]}',
        ),
      );
      return model;
    }
    const implicit: LayerIR = {
      className: 'InputLayer',
      config: { batch_shape: batchShape, dtype: first.config['dtype'] ?? 'float32' },
      inbound: [],
      implicit: true,
      ...(first.loc ? { loc: first.loc } : {}),
    };
    layers = [implicit, ...layers];
  }
  layers = layers.map((layer) => (hasLegacyInput(layer.config) ? { ...layer, config: withoutLegacyInput(layer.config) } : layer));
  const named = assignNames(layers, diagnostics);
  const linked = named.map((layer, i) => (i === 0 ? { ...layer, inbound: [] } : { ...layer, inbound: [named[i - 1]!.name!] }));
  return {
    ...model,
    layers: linked,
    inputs: [linked[0]!.name!],
    outputs: [linked[linked.length - 1]!.name!],
  };
}

function resolveFunctional(model: ModelIR, diagnostics: Diagnostic[]): ModelIR {
  const layers = assignNames(model.layers, diagnostics);
  const names = new Set(layers.map((l) => l.name!));
  for (const layer of layers) {
    for (const ref of layer.inbound) {
      if (!names.has(ref)) {
        diagnostics.push(error('dangling-reference', `layer '${layer.name}' takes its input from '${ref}', but no layer or input has that name`, locOf(layer)));
      }
    }
  }
  for (const ref of [...model.inputs, ...model.outputs]) {
    if (!names.has(ref)) diagnostics.push(error('dangling-reference', `the model names '${ref}' as an input or output, but no layer has that name`, model.loc));
  }
  return { ...model, layers };
}

export function resolveNames(model: ModelIR): { model: ModelIR; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const resolved = model.kind === 'Sequential' ? resolveSequential(model, diagnostics) : resolveFunctional(model, diagnostics);
  return { model: resolved, diagnostics };
}
