/**
 * What a diagram shows of a compiled model, whatever it is written in (DOT, Mermaid): which
 * layers are nodes, which nested models are clusters, and the edges between them. Both
 * backends draw this view, so they cannot disagree about the graph.
 */
import type { CompiledLayer, CompiledModel } from '../ir/model.js';

/** A layer drawn as a node; `path` is the names from the outer model down to it. */
export interface ViewNode {
  readonly kind: 'node';
  readonly path: readonly string[];
  readonly layer: CompiledLayer;
  /** The model the layer belongs to (for names that depend on it, e.g. an implicit input). */
  readonly model: CompiledModel;
}

/** An expanded nested model, drawn as a cluster of its own items. */
export interface ViewCluster {
  readonly kind: 'cluster';
  readonly path: readonly string[];
  readonly layer: CompiledLayer;
  readonly items: readonly ViewItem[];
}

export type ViewItem = ViewNode | ViewCluster;

export interface GraphView {
  readonly items: readonly ViewItem[];
  /** Node paths, in call order and within a call in input order (merges keep their order). */
  readonly edges: readonly (readonly [readonly string[], readonly string[]])[];
  readonly nodeCount: number;
}

export interface ViewOptions {
  /** Draw nested models as clusters (Keras `expand_nested`). */
  readonly expandNested?: boolean;
  /** Draw only the layers from the first name to the last, inclusive; checked by the caller. */
  readonly layerRange?: readonly [string, string];
  /** Leave a Sequential model's InputLayer out, as Keras 3 does. */
  readonly hideSequentialInput?: boolean;
}

/** How to connect to a drawn layer. */
interface Ends {
  /** Where an edge into input `k` of the layer lands. */
  sinks(k: number): (readonly string[])[];
  /** Where an edge from output `j` of the layer starts. */
  source(j: number): readonly string[] | undefined;
}

interface Context {
  readonly options: ViewOptions;
  readonly edges: (readonly [readonly string[], readonly string[]])[];
  readonly seen: Set<string>;
  nodeCount: number;
}

function addEdge(ctx: Context, from: readonly string[], to: readonly string[]): void {
  const key = JSON.stringify([from, to]);
  if (ctx.seen.has(key)) return; // Keras de-duplicates edges too.
  ctx.seen.add(key);
  ctx.edges.push([from, to]);
}

/**
 * An expanded nested model: an edge into its k-th input lands on that InputLayer, or, when the
 * InputLayer is not drawn (a Sequential model in Keras 3), on the inner layers that consume
 * it; an edge out of output j starts at the inner layer producing it (Keras 3.10's fix).
 */
function clusterEnds(inner: CompiledModel, innerEnds: ReadonlyMap<string, Ends>): Ends {
  return {
    sinks: (k) => {
      const inputName = inner.inputs[k];
      if (inputName === undefined) return [];
      const input = innerEnds.get(inputName);
      if (input) return input.sinks(0);
      return inner.layers.flatMap((l) => l.calls[0]?.inbound.flatMap((r, i) => (r.layer === inputName ? (innerEnds.get(l.name)?.sinks(i) ?? []) : [])) ?? []);
    },
    source: (j) => {
      const ref = inner.outputs[j];
      return ref ? innerEnds.get(ref.layer)?.source(ref.output ?? 0) : undefined;
    },
  };
}

function viewModel(model: CompiledModel, path: readonly string[], ctx: Context, items: ViewItem[], only?: ReadonlySet<string>): Map<string, Ends> {
  const ends = new Map<string, Ends>();
  for (const layer of model.layers) {
    if (only && !only.has(layer.name)) continue;
    const here = [...path, layer.name];
    if (layer.model && ctx.options.expandNested) {
      const inner: ViewItem[] = [];
      const innerEnds = viewModel(layer.model, here, ctx, inner);
      items.push({ kind: 'cluster', path: here, layer, items: inner });
      ends.set(layer.name, clusterEnds(layer.model, innerEnds));
      continue;
    }
    if (ctx.options.hideSequentialInput && model.kind === 'Sequential' && layer.className === 'InputLayer') continue;
    items.push({ kind: 'node', path: here, layer, model });
    ctx.nodeCount++;
    ends.set(layer.name, { sinks: () => [here], source: () => here });
  }
  for (const layer of model.layers) {
    const to = ends.get(layer.name);
    if (!to) continue;
    for (const call of layer.calls) {
      call.inbound.forEach((ref, k) => {
        const from = ends.get(ref.layer)?.source(ref.output ?? 0);
        if (!from) return;
        for (const sink of to.sinks(k)) addEdge(ctx, from, sink);
      });
    }
  }
  return ends;
}

export function graphView(model: CompiledModel, options: ViewOptions = {}): GraphView {
  let only: Set<string> | undefined;
  if (options.layerRange) {
    const names = model.layers.map((l) => l.name);
    const [a, b] = options.layerRange.map((n) => names.indexOf(n)) as [number, number];
    only = new Set(names.slice(Math.max(0, a), b + 1));
  }
  const ctx: Context = { options, edges: [], seen: new Set(), nodeCount: 0 };
  const items: ViewItem[] = [];
  viewModel(model, [], ctx, items, only);
  return { items, edges: ctx.edges, nodeCount: ctx.nodeCount };
}
