/**
 * The TypeScript builder API: the same IR as the spec format, written in code.
 *
 *   sequential([
 *     dense(8, { inputDim: 4, kernelInitializer: 'uniform', activation: 'relu' }),
 *     dense(1, { activation: 'sigmoid' }),
 *   ], { name: 'binary_classifier' });
 *
 * Options are the Keras arguments in camelCase; they become snake_case here, the only place
 * besides the Keras frontends where the two spellings meet.
 */
import type { LayerIR, ModelIR } from '../ir/model.js';
import { createNamer } from '../ir/naming.js';
import type { activation as activationDef } from '../layers/activation.js';
import type { dense as denseDef } from '../layers/dense.js';
import type { dropout as dropoutDef } from '../layers/dropout.js';
import type { flatten as flattenDef } from '../layers/flatten.js';
import type { inputLayer as inputLayerDef } from '../layers/input-layer.js';
import type { LayerDef } from '../layers/layer.js';
import type { BuilderOptions } from '../layers/schema.js';

type OptionsOf<D> = D extends LayerDef<infer S> ? BuilderOptions<S> : never;

function snake(key: string): string {
  return key.replace(/([A-Z])/g, (c) => `_${c.toLowerCase()}`);
}

function toConfig(options: object | undefined, positional: Record<string, unknown> = {}): Record<string, unknown> {
  const config: Record<string, unknown> = { ...positional };
  for (const [k, v] of Object.entries(options ?? {})) {
    if (v !== undefined) config[snake(k)] = v;
  }
  return config;
}

/** Any registered layer by class name, with Keras (snake_case) arguments. */
export function layer(className: string, config: Record<string, unknown> = {}): LayerIR {
  return { className, config: { ...config }, calls: [], ...(typeof config['name'] === 'string' ? { name: config['name'] } : {}) };
}

function build(className: string, options: object | undefined, positional: Record<string, unknown> = {}): LayerIR {
  return layer(className, toConfig(options, positional));
}

export type DenseOptions = Omit<OptionsOf<typeof denseDef>, 'units'>;
export type ActivationOptions = Omit<OptionsOf<typeof activationDef>, 'activation'>;
export type DropoutOptions = Omit<OptionsOf<typeof dropoutDef>, 'rate'>;
export type FlattenOptions = OptionsOf<typeof flattenDef>;
export type InputLayerOptions = OptionsOf<typeof inputLayerDef>;

/** `Dense(units, **options)`. */
export function dense(units: number, options?: DenseOptions): LayerIR {
  return build('Dense', options, { units });
}

/** `Activation(activation, **options)`. */
export function activation(name: string, options?: ActivationOptions): LayerIR {
  return build('Activation', options, { activation: name });
}

/** `Dropout(rate, **options)`. */
export function dropout(rate: number, options?: DropoutOptions): LayerIR {
  return build('Dropout', options, { rate });
}

/** `Flatten(**options)`. */
export function flatten(options?: FlattenOptions): LayerIR {
  return build('Flatten', options);
}

/** `InputLayer(shape=…)`: `inputLayer({ shape: [4] })`. */
export function inputLayer(options: InputLayerOptions): LayerIR {
  return build('InputLayer', options);
}

/** `Sequential(layers, name=…)`. */
export function sequential(layers: readonly LayerIR[], options: { name?: string } = {}): ModelIR {
  return { name: options.name ?? 'sequential', kind: 'Sequential', layers: [...layers], inputs: [], outputs: [] };
}

/**
 * A symbolic tensor of the functional API: output `output` of one call of a layer. It holds
 * its history (the layer and the tensors the call took), like a Keras KerasTensor; nothing
 * is registered anywhere, so building the same graph twice gives the same IR.
 */
export interface SymbolicTensor {
  readonly node: { readonly layer: LayerIR; readonly inputs: readonly SymbolicTensor[]; readonly seq: number };
  readonly output: number;
}

// Keras numbers a shared layer's calls in the order they were made; the only record of that
// order is a sequence number taken at each call. Only the relative order is used, so building
// the same graph twice still gives the same IR.
let sequence = 0;

/** `keras.Input(shape=…, name=…)`: `input({ shape: [4], name: 'x' })`. */
export function input(options: InputLayerOptions): SymbolicTensor {
  return { node: { layer: inputLayer(options), inputs: [], seq: sequence++ }, output: 0 };
}

/**
 * Calls a layer (or a nested model, see `nested`) on tensors: Keras's `layer(x)` or
 * `layer([a, b])`. Calling the same layer object twice shares it: one layer, two calls.
 */
export function apply(target: LayerIR, inputs: SymbolicTensor | readonly SymbolicTensor[]): SymbolicTensor {
  return { node: { layer: target, inputs: Array.isArray(inputs) ? [...inputs] : [inputs as SymbolicTensor], seq: sequence++ }, output: 0 };
}

/** The `i`-th output of a call that has several (a nested model with several outputs). */
export function outputOf(tensor: SymbolicTensor, i: number): SymbolicTensor {
  return { node: tensor.node, output: i };
}

/** A model used as a layer of another: `apply(nested(encoder), x)`. */
export function nested(model: ModelIR, options: { name?: string; trainable?: boolean } = {}): LayerIR {
  const name = options.name ?? (model.name === 'sequential' || model.name === 'functional' ? undefined : model.name);
  return {
    className: model.kind,
    config: { ...(name ? { name } : {}), ...(options.trainable !== undefined ? { trainable: options.trainable } : {}) },
    calls: [],
    model,
    ...(name ? { name } : {}),
  };
}

/**
 * `keras.Model(inputs, outputs, name=…)`. Walks the tensors' history from the outputs; the
 * layers are listed in the order of their first call (inputs first), unnamed ones
 * get Keras's automatic names, and each call of a shared layer becomes one of its calls.
 */
export function functional(options: { inputs: SymbolicTensor | readonly SymbolicTensor[]; outputs: SymbolicTensor | readonly SymbolicTensor[]; name?: string }): ModelIR {
  const inputs = Array.isArray(options.inputs) ? options.inputs : [options.inputs as SymbolicTensor];
  const outputs = Array.isArray(options.outputs) ? options.outputs : [options.outputs as SymbolicTensor];
  // Every call reachable from the outputs (and the inputs), in the order the calls were made.
  const visited = new Set<SymbolicTensor['node']>();
  const visit = (node: SymbolicTensor['node']) => {
    if (visited.has(node)) return;
    visited.add(node);
    for (const t of node.inputs) visit(t.node);
  };
  for (const t of [...inputs, ...outputs]) visit(t.node);
  const order: LayerIR[] = [];
  const callsOf = new Map<LayerIR, SymbolicTensor['node'][]>();
  for (const node of [...visited].sort((a, b) => a.seq - b.seq)) {
    if (!callsOf.has(node.layer)) {
      callsOf.set(node.layer, []);
      order.push(node.layer);
    }
    callsOf.get(node.layer)!.push(node);
  }
  const nameFor = createNamer(order.map((l) => l.name).filter((n): n is string => n !== undefined));
  const names = new Map(order.map((l) => [l, l.name ?? nameFor(l.className)]));
  const ref = (t: SymbolicTensor) => {
    const call = callsOf.get(t.node.layer)!.indexOf(t.node);
    return { layer: names.get(t.node.layer)!, ...(call ? { call } : {}), ...(t.output ? { output: t.output } : {}) };
  };
  const layers = order.map((l): LayerIR => {
    const name = names.get(l)!;
    const calls = l.className === 'InputLayer' ? [] : callsOf.get(l)!.map((node) => node.inputs.map(ref));
    return { ...l, name, config: { ...l.config, name }, calls, ...(l.model ? { model: { ...l.model, name } } : {}) };
  });
  return {
    name: options.name ?? 'functional',
    kind: 'Functional',
    layers,
    inputs: inputs.map((t) => names.get(t.node.layer)!),
    outputs: outputs.map(ref),
  };
}
