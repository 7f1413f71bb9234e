/**
 * Names and graph: Keras-style automatic names (`dense`, `dense_1`, …; a Sequential's implicit
 * input is `input_layer`), the implicit InputLayer a Sequential builds from `input_dim` /
 * `input_shape` / `batch_input_shape`, the calls of a Sequential model's layers, and the
 * references of a functional one. Nested models are resolved in their own name scope.
 * Runs after validate: configs have every argument.
 */
import { error, warning, type Diagnostic, type SourceLoc } from '../ir/diagnostics.js';
import { refText, type LayerIR, type ModelIR, type TensorRef } from '../ir/model.js';
import type { Dim } from '../ir/shape.js';
import { LEGACY_INPUT_ARG_NAMES } from '../layers/common.js';
import { layerDef } from '../layers/registry.js';
import { createNamer } from '../ir/naming.js';

export const NESTED_MODEL_CLASSES = ['Sequential', 'Functional'] as const;

function locOf(layer: LayerIR, arg?: string): SourceLoc | undefined {
  return (arg && layer.argLocs?.[arg]) || layer.loc;
}

/** The batch shape given by a layer's legacy input arguments, if any (reference/keras.md §2.1). */
export function legacyBatchShape(layer: LayerIR): Dim[] | undefined {
  const legacy = legacyInputArgs(layer);
  const arg = (k: string) => (legacy.includes(k) ? layer.config[k] : undefined);
  const batchInput = arg('batch_input_shape') as Dim[] | null | undefined;
  if (batchInput) return [...batchInput];
  const batchSize = (arg('batch_size') as number | null | undefined) ?? null;
  const inputShape = arg('input_shape') as Dim[] | null | undefined;
  if (inputShape) return [batchSize, ...inputShape];
  const inputDim = arg('input_dim') as number | null | undefined;
  if (typeof inputDim === 'number') return [batchSize, inputDim];
  // A layer may imply its input from its own arguments (Keras 2's Embedding input_length).
  const implied = layerDef(layer.className)?.impliedInputShape?.(layer.config);
  return implied ? [batchSize, ...implied] : undefined;
}

/**
 * The legacy input arguments a layer's schema accepts: Embedding's `input_dim` is its
 * vocabulary size, not one of them.
 */
function legacyInputArgs(layer: LayerIR): string[] {
  if (layer.className === 'InputLayer') return [];
  // A class densegraph does not know still gives the model its input, as Keras's base layer does.
  if (layer.opaque) return [...LEGACY_INPUT_ARG_NAMES];
  const schema = layerDef(layer.className)?.schema;
  return LEGACY_INPUT_ARG_NAMES.filter((k) => schema?.[k]?.legacy === true);
}

function hasLegacyInput(layer: LayerIR): string | undefined {
  return legacyInputArgs(layer).find((k) => layer.config[k] !== undefined && layer.config[k] !== null);
}

function withoutLegacyInput(layer: LayerIR): Record<string, unknown> {
  const legacy = legacyInputArgs(layer);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(layer.config)) {
    if (!legacy.includes(k)) out[k] = v;
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
  const nameFor = createNamer(used.keys());
  return layers.map((layer) => {
    if (layer.name !== undefined) return layer;
    const name = nameFor(layer.className);
    return { ...layer, name, config: { ...layer.config, name }, ...(layer.model ? { model: { ...layer.model, name } } : {}) };
  });
}

/** Resolves the inner models of nested layers, each in its own name scope. */
function resolveNested(layers: readonly LayerIR[], diagnostics: Diagnostic[]): LayerIR[] {
  return layers.map((layer) => {
    if (!layer.model) return layer;
    const inner = resolve({ ...layer.model, name: layer.name ?? layer.model.name }, diagnostics, true);
    return { ...layer, model: inner };
  });
}

function resolveSequential(model: ModelIR, diagnostics: Diagnostic[], nested: boolean): ModelIR {
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
    const legacy = hasLegacyInput(layer);
    if (i > 0 && legacy) {
      diagnostics.push(
        warning('ignored-input-shape', `'${legacy}' is only used on the first layer of a Sequential model; it is ignored here`, locOf(layer, legacy), `remove '${legacy}' from this layer`),
      );
    }
  });
  if (first.className !== 'InputLayer') {
    const batchShape = legacyBatchShape(first);
    if (!batchShape && !nested) {
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
    // A nested Sequential without an input shape is built by its call, as in Keras: its
    // input takes the shape of the tensor it is called on (passes/infer.ts).
    const implicit: LayerIR = {
      className: 'InputLayer',
      config: { batch_shape: batchShape ?? null, dtype: first.config['dtype'] ?? 'float32' },
      calls: [],
      implicit: true,
      ...(first.unknownDims ? { unknownDims: true } : {}),
      ...(first.loc ? { loc: first.loc } : {}),
    };
    layers = [implicit, ...layers];
  }
  layers = layers.map((layer) => (hasLegacyInput(layer) ? { ...layer, config: withoutLegacyInput(layer) } : layer));
  const named = resolveNested(assignNames(layers, diagnostics), diagnostics);
  const linked = named.map((layer, i) => (i === 0 ? { ...layer, calls: [] } : { ...layer, calls: [[{ layer: named[i - 1]!.name! }]] }));
  return {
    ...model,
    layers: linked,
    inputs: [linked[0]!.name!],
    outputs: [{ layer: linked[linked.length - 1]!.name! }],
  };
}

function checkRef(ref: TensorRef, byName: ReadonlyMap<string, LayerIR>, what: string, loc: SourceLoc | undefined, diagnostics: Diagnostic[]): void {
  const target = byName.get(ref.layer);
  if (!target) {
    diagnostics.push(error('dangling-reference', `${what} '${ref.layer}', but no layer or input has that name`, loc, `names in this model: ${[...byName.keys()].slice(0, 20).join(', ')}`));
    return;
  }
  const calls = target.className === 'InputLayer' ? 1 : target.calls.length;
  if ((ref.call ?? 0) >= calls) {
    diagnostics.push(error('dangling-reference', `${what} '${refText(ref)}', but '${ref.layer}' is called ${calls} time${calls === 1 ? '' : 's'} (calls count from 0)`, loc));
  }
}

function resolveFunctional(model: ModelIR, diagnostics: Diagnostic[]): ModelIR {
  const stripped = model.layers.map((layer) => {
    const legacy = hasLegacyInput(layer);
    if (!legacy) return layer;
    // Keras 2 files carry batch_input_shape on layers of functional models too; the tensor a
    // layer is called on decides its input, so Keras ignores it, and so do we.
    diagnostics.push(warning('ignored-input-shape', `'${legacy}' has no effect in a functional model: the layer takes the shape of what it is called on`, locOf(layer, legacy), `remove '${legacy}' from this layer`));
    return { ...layer, config: withoutLegacyInput(layer) };
  });
  const layers = resolveNested(assignNames(stripped, diagnostics), diagnostics);
  const byName = new Map(layers.map((l) => [l.name!, l]));
  for (const layer of layers) {
    if (layer.className !== 'InputLayer' && layer.calls.length === 0) {
      diagnostics.push(error('uncalled-layer', `layer '${layer.name}' is never called on a tensor`, locOf(layer), `give it an input, e.g. inbound: ${model.inputs[0] ?? 'x'}`));
    }
    for (const call of layer.calls) {
      for (const ref of call) checkRef(ref, byName, `layer '${layer.name}' takes its input from`, locOf(layer), diagnostics);
    }
  }
  for (const name of model.inputs) {
    const input = byName.get(name);
    if (!input) diagnostics.push(error('dangling-reference', `the model names '${name}' as an input, but no layer has that name`, model.loc));
    else if (input.className !== 'InputLayer') diagnostics.push(error('invalid-input', `the model input '${name}' is a ${input.className}, not an InputLayer`, locOf(input)));
  }
  if (model.outputs.length === 0) diagnostics.push(error('no-outputs', `model '${model.name}' has no outputs`, model.loc, 'list the output layers under outputs:'));
  for (const ref of model.outputs) checkRef(ref, byName, 'the model names as an output', model.loc, diagnostics);
  return { ...model, layers };
}

function resolve(model: ModelIR, diagnostics: Diagnostic[], nested: boolean): ModelIR {
  return model.kind === 'Sequential' ? resolveSequential(model, diagnostics, nested) : resolveFunctional(model, diagnostics);
}

export function resolveNames(model: ModelIR): { model: ModelIR; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  return { model: resolve(model, diagnostics, false), diagnostics };
}
