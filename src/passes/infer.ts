/**
 * Infer: shapes (batch axis `null`), dtypes and parameter counts, layer by layer in
 * topological order. Runs after names: every layer is named and linked.
 */
import { error, type Diagnostic } from '../ir/diagnostics.js';
import type { CompiledLayer, CompiledModel, DType, LayerIR, ModelIR } from '../ir/model.js';
import { formatShape, type Shape } from '../ir/shape.js';
import { layerDef } from '../layers/registry.js';
import { DTYPE_POLICIES } from '../layers/vocab.js';

/**
 * Kahn's algorithm; among the layers ready at each step the one declared first goes next, so
 * the order is deterministic and a Sequential model keeps its declaration order. Returns the
 * layers on (or behind) a cycle separately.
 */
export function topologicalOrder(layers: readonly LayerIR[]): { order: LayerIR[]; cyclic: LayerIR[] } {
  const index = new Map(layers.map((l, i) => [l.name!, i]));
  const waiting = layers.map((l) => new Set(l.inbound.filter((r) => index.has(r))).size);
  const dependents: number[][] = layers.map(() => []);
  layers.forEach((l, i) => {
    for (const r of new Set(l.inbound)) if (index.has(r)) dependents[index.get(r)!]!.push(i);
  });
  const ready = new MinHeap();
  waiting.forEach((w, i) => w === 0 && ready.push(i));
  const order: LayerIR[] = [];
  for (let i = ready.pop(); i !== undefined; i = ready.pop()) {
    order.push(layers[i]!);
    for (const d of dependents[i]!) if (--waiting[d]! === 0) ready.push(d);
  }
  const cyclic = layers.filter((_, i) => waiting[i]! > 0);
  return { order, cyclic };
}

/** A binary min-heap of layer indices. */
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

export function inferShapes(model: ModelIR): { model?: CompiledModel; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const { order, cyclic } = topologicalOrder(model.layers);
  if (cyclic.length > 0) {
    diagnostics.push(
      error('cycle', `the layers ${cyclic.map((l) => `'${l.name}'`).join(', ')} form a cycle: each takes its input from another of them`, cyclic[0]!.loc, 'a model must be a directed acyclic graph; break the cycle'),
    );
    return { diagnostics };
  }
  const shapes = new Map<string, Shape | null>();
  const compiled: CompiledLayer[] = [];
  for (const layer of order) {
    const def = layerDef(layer.className)!;
    const inputShapes = layer.inbound.map((r) => shapes.get(r) ?? null);
    let outputShape: Shape | null = null;
    const known = inputShapes.every((s): s is Shape => s !== null);
    if (known) {
      const result = def.outputShape(layer.config, inputShapes);
      if (result.ok) outputShape = result.shape;
      else {
        const from = layer.inbound.length
          ? ` (input ${inputShapes.map((s, i) => `${formatShape(s!)} from '${layer.inbound[i]}'`).join(', ')})`
          : '';
        diagnostics.push(error(result.code, `layer '${layer.name}' (${layer.className}): ${result.message}${from}`, { ...layer.loc, layer: layer.name! }, result.hint));
      }
    }
    shapes.set(layer.name!, outputShape);
    const weights = known && outputShape ? def.weights(layer.config, inputShapes) : [];
    const count = (trainable: boolean) =>
      weights.filter((w) => w.trainable === trainable).reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0);
    const trainableParams = count(true);
    const nonTrainableParams = count(false);
    const { compute, variable } = computeDtype(layer.config['dtype']);
    compiled.push({
      name: layer.name!,
      className: layer.className,
      config: layer.config,
      inbound: layer.inbound,
      implicit: layer.implicit === true,
      inputShapes: known ? inputShapes : [],
      outputShape,
      dtype: compute,
      weightDtype: variable,
      weights,
      params: trainableParams + nonTrainableParams,
      trainableParams,
      nonTrainableParams,
      activation: def.activation ? def.activation(layer.config) : null,
      trainable: layer.config['trainable'] !== false,
      ...(layer.loc ? { loc: layer.loc } : {}),
    });
  }
  const sum = (f: (l: CompiledLayer) => number) => compiled.reduce((n, l) => n + f(l), 0);
  return {
    model: {
      name: model.name,
      kind: model.kind,
      layers: compiled,
      inputs: model.inputs,
      outputs: model.outputs,
      totalParams: sum((l) => l.params),
      trainableParams: sum((l) => l.trainableParams),
      nonTrainableParams: sum((l) => l.nonTrainableParams),
    },
    diagnostics,
  };
}
