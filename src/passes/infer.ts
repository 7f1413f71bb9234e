/**
 * Infer: shapes (batch axis `null`), dtypes and parameter counts, call by call in topological
 * order. A shared layer is one layer with several calls; a nested model is compiled for the
 * shapes it is called on. Runs after names: every layer is named and its calls linked.
 */
import { error, warning, type Diagnostic } from '../ir/diagnostics.js';
import { refText, type CompiledCall, type CompiledLayer, type CompiledModel, type DType, type LayerIR, type ModelIR, type TensorRef, type WeightIR } from '../ir/model.js';
import { formatShape, type Shape } from '../ir/shape.js';
import { layerDef } from '../layers/registry.js';
import { DTYPE_POLICIES } from '../layers/vocab.js';

/** One call of one layer: a node of the call graph. InputLayers have one call with no inputs. */
interface CallNode {
  readonly layer: LayerIR;
  readonly layerIndex: number;
  readonly call: number;
  readonly inbound: readonly TensorRef[];
}

const key = (layer: string, call: number) => `${layer}\u0000${call}`;

function callNodes(layers: readonly LayerIR[]): CallNode[] {
  const nodes: CallNode[] = [];
  layers.forEach((layer, layerIndex) => {
    if (layer.className === 'InputLayer') nodes.push({ layer, layerIndex, call: 0, inbound: [] });
    else layer.calls.forEach((inbound, call) => nodes.push({ layer, layerIndex, call, inbound }));
  });
  return nodes;
}

/**
 * Kahn's algorithm over calls; among the ready calls the one declared first goes next, so the
 * order is deterministic and a Sequential model keeps its declaration order. Calls left over
 * are on (or behind) a cycle.
 */
export function topologicalOrder(nodes: readonly CallNode[]): { order: CallNode[]; cyclic: CallNode[] } {
  const index = new Map(nodes.map((n, i) => [key(n.layer.name!, n.call), i]));
  const waiting = nodes.map(() => 0);
  const dependents: number[][] = nodes.map(() => []);
  nodes.forEach((n, i) => {
    const deps = new Set(n.inbound.map((r) => index.get(key(r.layer, r.call ?? 0))).filter((d): d is number => d !== undefined));
    waiting[i] = deps.size;
    for (const d of deps) dependents[d]!.push(i);
  });
  const ready = new MinHeap();
  waiting.forEach((w, i) => w === 0 && ready.push(i));
  const order: CallNode[] = [];
  for (let i = ready.pop(); i !== undefined; i = ready.pop()) {
    order.push(nodes[i]!);
    for (const d of dependents[i]!) if (--waiting[d]! === 0) ready.push(d);
  }
  return { order, cyclic: nodes.filter((_, i) => waiting[i]! > 0) };
}

/** A binary min-heap of indices. */
class MinHeap {
  private readonly items: number[] = [];
  push(x: number): void {
    const a = this.items;
    a.push(x);
    for (let i = a.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (a[p]! <= a[i]!) break;
      [a[p], a[i]] = [a[i]!, a[p]!];
      i = p;
    }
  }
  pop(): number | undefined {
    const a = this.items;
    if (a.length === 0) return undefined;
    const top = a[0];
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l]! < a[m]!) m = l;
        if (r < a.length && a[r]! < a[m]!) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i]!, a[m]!];
        i = m;
      }
    }
    return top;
  }
}

function computeDtype(dtype: unknown): { compute: DType; variable: DType } {
  const name = typeof dtype === 'string' ? dtype : 'float32';
  const policy = DTYPE_POLICIES[name];
  if (policy) return { compute: policy, variable: 'float32' };
  return { compute: name as DType, variable: name as DType };
}

const paramCount = (weights: readonly WeightIR[], trainable: boolean) =>
  weights.filter((w) => w.trainable === trainable).reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0);

function sameWeights(a: readonly WeightIR[], b: readonly WeightIR[]): boolean {
  return a.length === b.length && a.every((w, i) => w.name === b[i]!.name && w.shape.join() === b[i]!.shape.join());
}

/** What one call produced, and for the first call of a layer what the layer owns. */
interface CallResult {
  outputShapes: (Shape | null)[];
  weights?: WeightIR[];
  model?: CompiledModel;
}

interface Context {
  readonly diagnostics: Diagnostic[];
}

function shapesCompatible(declared: Shape, given: Shape): boolean {
  return declared.length === given.length && declared.every((d, i) => d === null || given[i] === null || d === given[i]);
}

/** The output shapes the model file recorded for a call of a layer (`[null]`: none). */
function recordedOutputs(layer: LayerIR, call: number): (Shape | null)[] {
  const outputs = layer.recordedShapes?.[call];
  return outputs && outputs.length > 0 ? [...outputs] : [null];
}

/** Output shape of an InputLayer; `given` is the shape a nested model is called on. */
function inputCall(layer: LayerIR, given: Shape | undefined, ctx: Context): CallResult {
  const where = { ...layer.loc, layer: layer.name! };
  if (layer.config['batch_shape'] === null && layer.implicit && given) return { outputShapes: [given] };
  const result = layerDef('InputLayer')!.outputShape(layer.config, []);
  if (!result.ok) {
    ctx.diagnostics.push(error(result.code, `input '${layer.name}': ${result.message}`, where, result.hint));
    return { outputShapes: [null] };
  }
  if (given && !shapesCompatible(result.shape, given)) {
    ctx.diagnostics.push(error('incompatible-input', `input '${layer.name}' expects ${formatShape(result.shape)}, but the model is called on ${formatShape(given)}`, where));
  }
  return { outputShapes: [result.shape] };
}

function describeInputs(node: CallNode, shapes: readonly Shape[]): string {
  return node.inbound.length ? ` (input ${shapes.map((s, i) => `${formatShape(s)} from '${refText(node.inbound[i]!)}'`).join(', ')})` : '';
}

/**
 * A call on shapes with dimensions the source did not give (read as `None`): a shape rule that
 * fails may fail only for want of them, so its output is unknown rather than an error (the
 * frontend already warned where the dimension comes from).
 */
function approximateCall(node: CallNode, inputs: readonly Shape[], ctx: Context): CallResult {
  const trial: Context = { diagnostics: [] };
  const result = layerCall(node, inputs, trial);
  if (trial.diagnostics.some((d) => d.severity === 'error')) return { outputShapes: node.layer.model ? node.layer.model.outputs.map(() => null) : [null] };
  ctx.diagnostics.push(...trial.diagnostics);
  return result;
}

function layerCall(node: CallNode, inputs: readonly Shape[], ctx: Context): CallResult {
  const { layer } = node;
  const where = { ...layer.loc, layer: layer.name! };
  if (layer.model) {
    const inner = compileGraph(layer.model, inputs, ctx);
    if (!inner) return { outputShapes: layer.model.outputs.map(() => null) };
    const outputShapes = inner.outputs.map((ref) => inner.layers.find((l) => l.name === ref.layer)?.calls[ref.call ?? 0]?.outputShapes[ref.output ?? 0] ?? null);
    return { outputShapes, model: inner };
  }
  const def = layerDef(layer.className);
  // What a layer densegraph does not know computes is unknown, unless the file recorded it.
  if (!def) return { outputShapes: recordedOutputs(layer, node.call) };
  const result = def.outputShape(layer.config, inputs);
  if (!result.ok) {
    ctx.diagnostics.push(error(result.code, `layer '${layer.name}' (${layer.className}): ${result.message}${describeInputs(node, inputs)}`, where, result.hint));
    return { outputShapes: [null] };
  }
  return { outputShapes: [result.shape], weights: def.weights(layer.config, inputs) };
}

/**
 * Compiles one graph. `given` are the shapes of the tensors a nested model is called on, one
 * per model input; `undefined` for the top-level model.
 */
function compileGraph(model: ModelIR, given: readonly Shape[] | undefined, ctx: Context): CompiledModel | undefined {
  const errorsBefore = ctx.diagnostics.filter((d) => d.severity === 'error').length;
  if (given && given.length !== model.inputs.length) {
    ctx.diagnostics.push(error('wrong-input-count', `model '${model.name}' takes ${model.inputs.length} input${model.inputs.length === 1 ? '' : 's'}, but is called on ${given.length}`, model.loc));
    return undefined;
  }
  const nodes = callNodes(model.layers);
  const { order, cyclic } = topologicalOrder(nodes);
  if (cyclic.length > 0) {
    const names = [...new Set(cyclic.map((n) => n.layer.name!))];
    ctx.diagnostics.push(
      error('cycle', `the layers ${names.map((n) => `'${n}'`).join(', ')} form a cycle: each takes its input from another of them`, cyclic[0]!.layer.loc, 'a model must be a directed acyclic graph; break the cycle'),
    );
    return undefined;
  }
  const layerByName = new Map(model.layers.map((l) => [l.name!, l]));
  const outputs = new Map<string, (Shape | null)[]>();
  const calls = new Map<string, CompiledCall[]>();
  const owned = new Map<string, { weights: WeightIR[]; model?: CompiledModel }>();
  const shapeOf = (ref: TensorRef, node: CallNode): Shape | null => {
    const produced = outputs.get(key(ref.layer, ref.call ?? 0));
    if (!produced) return null;
    const index = ref.output ?? 0;
    // An opaque layer's outputs are only known as far as the file records them.
    if (index >= produced.length && layerByName.get(ref.layer)?.opaque) return null;
    if (index >= produced.length) {
      ctx.diagnostics.push(error('dangling-reference', `'${refText(ref)}' asks for output ${index} of '${ref.layer}', which has ${produced.length} output${produced.length === 1 ? '' : 's'}`, { ...node.layer.loc, layer: node.layer.name! }));
      return null;
    }
    return produced[index] ?? null;
  };
  // Tensors whose shapes hold dimensions the source did not give as literals (Layer.unknownDims).
  const approximate = new Set<string>();
  for (const node of order) {
    const name = node.layer.name!;
    let result: CallResult;
    let inputShapes: Shape[] = [];
    const approx = node.layer.unknownDims === true || node.inbound.some((r) => approximate.has(key(r.layer, r.call ?? 0)));
    if (approx) approximate.add(key(name, node.call));
    if (node.layer.className === 'InputLayer') {
      const at = model.inputs.indexOf(name);
      result = inputCall(node.layer, given && at >= 0 ? given[at] : undefined, ctx);
    } else {
      const shapes = node.inbound.map((r) => shapeOf(r, node));
      if (shapes.every((s): s is Shape => s !== null)) {
        inputShapes = shapes;
        result = approx ? approximateCall(node, shapes, ctx) : layerCall(node, shapes, ctx);
      } else result = { outputShapes: [null] };
    }
    outputs.set(key(name, node.call), result.outputShapes);
    const list = calls.get(name) ?? [];
    list.push({ inbound: node.inbound, inputShapes, outputShapes: result.outputShapes });
    calls.set(name, list);
    const first = owned.get(name);
    if (!first) owned.set(name, { weights: result.weights ?? [], ...(result.model ? { model: result.model } : {}) });
    else if (result.weights && !sameWeights(first.weights, result.weights)) {
      ctx.diagnostics.push(
        error('shared-layer-mismatch', `layer '${name}' is shared, but its call ${node.call} on ${inputShapes.map(formatShape).join(', ')} needs other weights than its first call: ${result.weights.map((w) => `${w.name} ${formatShape(w.shape)}`).join(', ')} instead of ${first.weights.map((w) => `${w.name} ${formatShape(w.shape)}`).join(', ')}`, { ...node.layer.loc, layer: name }, 'a shared layer must be called on tensors of the same feature size'),
      );
    }
  }
  if (ctx.diagnostics.filter((d) => d.severity === 'error').length > errorsBefore) return undefined;
  warnUnused(model, nodes, ctx);
  const seen = new Set<string>();
  const compiled: CompiledLayer[] = [];
  for (const node of order) {
    const layer = node.layer;
    if (seen.has(layer.name!)) continue;
    seen.add(layer.name!);
    const layerCalls = calls.get(layer.name!)!;
    const own = owned.get(layer.name!)!;
    const trainable = layer.config['trainable'] !== false;
    const inner = own.model;
    // A frozen nested model counts all its parameters as non-trainable, as in Keras.
    const trainableParams = inner ? (trainable ? inner.trainableParams : 0) : paramCount(own.weights, true);
    const nonTrainableParams = inner ? inner.totalParams - trainableParams : paramCount(own.weights, false);
    const { compute, variable } = computeDtype(layer.config['dtype']);
    const def = layerDef(layer.className);
    const shapesKnown = layerCalls.every((c) => c.outputShapes.every((o) => o !== null));
    // Weights sized by unknown inputs are unknown; a weightless layer still has 0.
    const paramsKnown = !layer.opaque && (shapesKnown || (inner ? inner.layers.every((l) => l.paramsKnown) : weightlessKind(layer)));
    compiled.push({
      name: layer.name!,
      className: layer.className,
      config: layer.config,
      calls: layerCalls,
      inbound: [...new Set(layerCalls.flatMap((c) => c.inbound.map((r) => r.layer)))],
      implicit: layer.implicit === true,
      inputShapes: layerCalls[0]?.inputShapes ?? [],
      outputShape: layerCalls[0]?.outputShapes[0] ?? null,
      dtype: compute,
      weightDtype: variable,
      weights: own.weights,
      params: trainableParams + nonTrainableParams,
      trainableParams,
      nonTrainableParams,
      activation: def?.activation ? def.activation(layer.config) : null,
      trainable,
      ...(inner ? { model: inner } : {}),
      opaque: layer.opaque === true,
      paramsKnown,
      ...(layer.loc ? { loc: layer.loc } : {}),
    });
  }
  const sum = (f: (l: CompiledLayer) => number) => compiled.reduce((n, l) => n + f(l), 0);
  return {
    name: model.name,
    kind: model.kind,
    layers: compiled,
    inputs: model.inputs,
    outputs: model.outputs,
    totalParams: sum((l) => l.params),
    trainableParams: sum((l) => l.trainableParams),
    nonTrainableParams: sum((l) => l.nonTrainableParams),
  };
}

/** Whether a layer has no weights whatever its input (Add, Dropout, …), asked of its definition. */
function weightlessKind(layer: LayerIR): boolean {
  const def = layerDef(layer.className);
  if (!def) return false;
  try {
    return def.weights(layer.config, [[null, 1], [null, 1]]).length === 0;
  } catch {
    return false;
  }
}

/** Warns about inputs and layers that no output depends on (Keras leaves them out of the model). */
function warnUnused(model: ModelIR, nodes: readonly CallNode[], ctx: Context): void {
  if (model.kind !== 'Functional') return;
  const byKey = new Map(nodes.map((n) => [key(n.layer.name!, n.call), n]));
  const used = new Set<string>();
  const stack = model.outputs.map((r) => key(r.layer, r.call ?? 0));
  while (stack.length) {
    const k = stack.pop()!;
    if (used.has(k)) continue;
    used.add(k);
    for (const r of byKey.get(k)?.inbound ?? []) stack.push(key(r.layer, r.call ?? 0));
  }
  const usedLayers = new Set([...used].map((k) => k.split('\u0000')[0]));
  for (const layer of model.layers) {
    if (usedLayers.has(layer.name!)) continue;
    const isInput = layer.className === 'InputLayer';
    ctx.diagnostics.push(
      warning(isInput ? 'unused-input' : 'unused-layer', `${isInput ? 'input' : 'layer'} '${layer.name}' of model '${model.name}' does not lead to any output`, { ...layer.loc, layer: layer.name! }, isInput ? 'remove the input, or use it' : 'remove the layer, or add it to the outputs'),
    );
  }
}

export function inferShapes(model: ModelIR): { model?: CompiledModel; diagnostics: Diagnostic[] } {
  const ctx: Context = { diagnostics: [] };
  const compiled = compileGraph(model, undefined, ctx);
  return { ...(compiled ? { model: compiled } : {}), diagnostics: ctx.diagnostics };
}
