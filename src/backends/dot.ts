/**
 * DOT backend: a compiled model and a label style → Graphviz DOT text, through ts-graphviz.
 * Pure: the style is loaded by the caller. Mirrors Keras `model_to_dot` (reference/keras.md §1).
 */
import Mustache from 'mustache';
import { Digraph, Edge, Node, Subgraph, toDot as stringify } from 'ts-graphviz';

/** What the backend needs of a graph or cluster. */
interface Container {
  addNode(node: Node): unknown;
  addEdge(edge: Edge): unknown;
  addSubgraph(subgraph: Subgraph): unknown;
}
import { error, type Diagnostic } from '../ir/diagnostics.js';
import type { CompiledLayer, CompiledModel } from '../ir/model.js';
import { formatCount, formatShape, formatShapeList, shapesEqual, type Shape } from '../ir/shape.js';
import { didYouMean } from '../ir/suggest.js';
import { escapeHtml, escapeRecord, nodeIdFor } from './escape.js';
import type { LabelStyle } from './style.js';

export const RANKDIRS = ['TB', 'LR', 'BT', 'RL'] as const;
export type Rankdir = (typeof RANKDIRS)[number];
/** Graphviz edge routing; Keras 3.14+ `plot_model(splines=…)`. */
export const SPLINES = ['ortho', 'spline', 'polyline', 'line', 'curved', 'none'] as const;
export type Splines = (typeof SPLINES)[number];

/** Options of the diagram, named after Keras `plot_model`'s arguments. */
export interface DiagramOptions {
  /** Show input and output shapes. Keras: `show_shapes`. @default true */
  readonly showShapes?: boolean;
  /** Show layer names. Keras: `show_layer_names`. @default true */
  readonly showLayerNames?: boolean;
  /** Show the output dtype. Keras: `show_dtype`. @default false */
  readonly showDtype?: boolean;
  /** Show the activation of layers that have one. Keras: `show_layer_activations`. @default false */
  readonly showLayerActivations?: boolean;
  /** Show whether the weights are trainable. Keras: `show_trainable`. @default false */
  readonly showTrainable?: boolean;
  /** Show each layer's parameter count (densegraph's addition). @default false */
  readonly showParams?: boolean;
  /** Draw nested models as clusters of their layers. Keras: `expand_nested`. @default false */
  readonly expandNested?: boolean;
  /** Draw only the layers from the first name to the last, inclusive (Keras 2: `layer_range`). */
  readonly layerRange?: readonly [string, string];
  /** Graphviz `rankdir`. @default the style's (`TB`) */
  readonly rankdir?: Rankdir;
  /** Graphviz `dpi`. @default the style's (keras3: 200, keras2: 96) */
  readonly dpi?: number;
  /** Graphviz `splines`, as Keras 3.14's `splines` argument. @default the style's (keras3: ortho) */
  readonly splines?: Splines;
}

/** The variables a label template can use (docs/label-styles.md). */
export interface LabelView {
  readonly name: string;
  readonly class: string;
  readonly input_shape: string;
  /** One entry per input of the first call, for one-shape-per-line layouts. */
  readonly input_shape_list: readonly { readonly shape: string; readonly first: boolean }[];
  readonly output_shape: string;
  readonly dtype: string;
  readonly activation: string;
  readonly params: string;
  readonly trainable: boolean;
  readonly has_weights: boolean;
  readonly is_input: boolean;
  readonly show_shapes: boolean;
  readonly show_layer_names: boolean;
  readonly show_dtype: boolean;
  readonly show_layer_activations: boolean;
  readonly show_trainable: boolean;
  readonly show_params: boolean;
  readonly columns: number;
  readonly has_cells: boolean;
}

function shapeListText(shapes: readonly (Shape | null)[]): string {
  if (shapes.length === 0 || shapes.some((s) => s === null)) return '?';
  return shapes.length === 1 ? formatShape(shapes[0]!) : formatShapeList(shapes as Shape[]);
}

/**
 * The shapes a label shows. A shared layer shows its first call (Keras 3's `layer.input`),
 * or, with `shared_layer_shapes: agree` (Keras 2), `?` where its calls disagree.
 */
function shapesText(layer: CompiledLayer, style: LabelStyle): { input: string; inputs: string[]; output: string } {
  if (layer.className === 'InputLayer') {
    const out = layer.outputShape ? formatShape(layer.outputShape) : '?';
    // An input node's tensors print as a list in Keras 2 (tf_keras/engine/node.py).
    const text = style.inputLayerShapes === 'list' && layer.outputShape ? `[${out}]` : out;
    return { input: text, inputs: [text], output: text };
  }
  const [first, ...rest] = layer.calls;
  const agree = (pick: (c: (typeof layer.calls)[number]) => readonly (Shape | null)[]) =>
    rest.every((c) => {
      const a = pick(first!);
      const b = pick(c);
      return a.length === b.length && a.every((s, i) => s !== null && b[i] !== null && shapesEqual(s, b[i]!));
    });
  const keras2Unknown = style.sharedLayerShapes === 'agree' && first !== undefined;
  const input = !first ? '?' : keras2Unknown && !agree((c) => c.inputShapes) ? '?' : shapeListText(first.inputShapes);
  const output = !first ? '?' : keras2Unknown && !agree((c) => c.outputShapes) ? '?' : shapeListText(first.outputShapes);
  const inputs = input === '?' || !first ? [input] : first.inputShapes.map(formatShape);
  return { input, inputs, output };
}

export function labelView(layer: CompiledLayer, displayName: string, style: LabelStyle, options: DiagramOptions): LabelView {
  const showShapes = options.showShapes ?? true;
  const showDtype = options.showDtype ?? false;
  const showTrainable = options.showTrainable ?? false;
  const hasWeights = layer.params > 0 || layer.weights.length > 0;
  const shapes = shapesText(layer, style);
  return {
    name: displayName,
    class: layer.className,
    input_shape: shapes.input,
    input_shape_list: shapes.inputs.map((shape, i) => ({ shape, first: i === 0 })),
    output_shape: shapes.output,
    dtype: layer.dtype,
    activation: options.showLayerActivations && layer.activation ? layer.activation : '',
    params: formatCount(layer.params),
    trainable: layer.trainable,
    has_weights: hasWeights,
    is_input: layer.className === 'InputLayer',
    show_shapes: showShapes,
    show_layer_names: options.showLayerNames ?? true,
    show_dtype: showDtype,
    show_layer_activations: options.showLayerActivations ?? false,
    show_trainable: showTrainable,
    show_params: options.showParams ?? false,
    columns: Math.max(1, Number(showDtype) + Number(showTrainable) + (showShapes ? 2 : 0)),
    has_cells: showShapes || showDtype || (showTrainable && hasWeights),
  };
}

export function renderLabel(view: LabelView, style: LabelStyle): string {
  const escapeText = style.label.format === 'html' ? escapeHtml : escapeRecord;
  const escape = (value: unknown) => escapeText(String(value));
  const text = Mustache.render(style.label.template, view, {}, { tags: [...style.label.tags] as [string, string], escape });
  // ts-graphviz writes a value of the form <...> raw, as an HTML-like label.
  return style.label.format === 'html' ? `<${text}>` : text;
}

/** Whether a model's layer is drawn: Keras 3 leaves a Sequential model's InputLayer out. */
function isDrawn(model: CompiledModel, layer: CompiledLayer, style: LabelStyle): boolean {
  return !(model.kind === 'Sequential' && layer.className === 'InputLayer' && style.sequentialInput === 'hide');
}

/** The name a layer shows: an implicit Sequential input may be named after the first layer (Keras 2). */
function displayName(model: CompiledModel, layer: CompiledLayer, style: LabelStyle): string {
  const firstReal = model.layers.find((l) => l.className !== 'InputLayer');
  return layer.implicit && style.implicitInputName && firstReal ? style.implicitInputName.replace('{first}', firstReal.name) : layer.name;
}

/** Checks a layer range against the model; errors name the closest layer. */
export function checkLayerRange(model: CompiledModel, range: readonly [string, string]): Diagnostic[] {
  const names = model.layers.map((l) => l.name);
  const diagnostics: Diagnostic[] = [];
  for (const name of range) {
    if (!names.includes(name)) diagnostics.push(error('unknown-layer-range', `--layer-range names '${name}', which is not a layer of model '${model.name}'.${didYouMean(name, names)}`, undefined, `layers: ${names.join(', ')}`));
  }
  if (diagnostics.length === 0 && names.indexOf(range[0]) > names.indexOf(range[1])) {
    diagnostics.push(error('empty-layer-range', `--layer-range ${range[0]}:${range[1]} is empty: '${range[0]}' comes after '${range[1]}'`, undefined, `write it the other way round: ${range[1]}:${range[0]}`));
  }
  return diagnostics;
}

interface Drawn {
  /** Where an edge into input `k` of the layer lands. */
  sinks(k: number): Node[];
  /** Where an edge from output `j` of the layer starts. */
  source(j: number): Node | undefined;
}

interface Context {
  readonly style: LabelStyle;
  readonly options: DiagramOptions;
  readonly usedIds: Set<string>;
  readonly seenEdges: Set<string>;
  nodeCount: number;
}

function uniqueId(ctx: Context, base: string): string {
  let id = base;
  for (let i = 2; ctx.usedIds.has(id); i++) id = `${base}_${i}`;
  ctx.usedIds.add(id);
  return id;
}

function addEdge(container: Container, ctx: Context, from: Node, to: Node): void {
  const k = `${from.id}\u0000${to.id}`;
  if (ctx.seenEdges.has(k)) return; // Keras de-duplicates edges too.
  ctx.seenEdges.add(k);
  container.addEdge(Object.keys(ctx.style.edge).length ? new Edge([from, to], { ...ctx.style.edge } as never) : new Edge([from, to]));
}

/**
 * Draws a model's layers into `container` (the graph, or a cluster for an expanded nested
 * model) and its edges into `root`; returns how to connect to each drawn layer.
 */
function drawModel(root: Container, container: Container, model: CompiledModel, prefix: string, ctx: Context, only?: ReadonlySet<string>): Map<string, Drawn> {
  const drawn = new Map<string, Drawn>();
  for (const layer of model.layers) {
    if (only && !only.has(layer.name)) continue;
    const base = prefix + nodeIdFor(layer.name);
    if (layer.model && ctx.options.expandNested) {
      const inner = layer.model;
      const cluster = new Subgraph(`cluster_${uniqueId(ctx, base)}`, { ...ctx.style.cluster, label: `<${escapeHtml(layer.name)}>` } as never);
      container.addSubgraph(cluster);
      const innerDrawn = drawModel(root, cluster, inner, `${base}/`, ctx);
      drawn.set(layer.name, {
        sinks: (k) => {
          // An edge into a nested model lands on its k-th InputLayer, or where that input
          // goes when the InputLayer is not drawn (a Sequential model in Keras 3).
          const inputName = inner.inputs[k];
          if (inputName === undefined) return [];
          const input = innerDrawn.get(inputName);
          if (input) return input.sinks(0);
          return inner.layers.flatMap((l) => l.calls[0]?.inbound.flatMap((r, i) => (r.layer === inputName ? (innerDrawn.get(l.name)?.sinks(i) ?? []) : [])) ?? []);
        },
        source: (j) => {
          const ref = inner.outputs[j];
          return ref ? innerDrawn.get(ref.layer)?.source(ref.output ?? 0) : undefined;
        },
      });
      continue;
    }
    if (!isDrawn(model, layer, ctx.style)) continue;
    const id = uniqueId(ctx, base);
    const label = renderLabel(labelView(layer, displayName(model, layer, ctx.style), ctx.style, ctx.options), ctx.style);
    const node = new Node(id, { ...ctx.style.node, label } as never);
    container.addNode(node);
    ctx.nodeCount++;
    drawn.set(layer.name, { sinks: () => [node], source: () => node });
  }
  // Edges in call order and, within a call, in input order: a merge's inputs keep their order.
  for (const layer of model.layers) {
    const to = drawn.get(layer.name);
    if (!to) continue;
    for (const call of layer.calls) {
      call.inbound.forEach((ref, k) => {
        const from = drawn.get(ref.layer)?.source(ref.output ?? 0);
        if (!from) return;
        for (const sink of to.sinks(k)) addEdge(root, ctx, from, sink);
      });
    }
  }
  return drawn;
}

/** Builds the DOT text of a compiled model. A bad `layerRange` must be checked first (checkLayerRange). */
export function toDot(model: CompiledModel, style: LabelStyle, options: DiagramOptions = {}): string {
  const graphAttrs: Record<string, string | number | boolean> = { ...style.graph };
  if (options.rankdir) graphAttrs['rankdir'] = options.rankdir;
  if (options.dpi !== undefined) graphAttrs['dpi'] = options.dpi;
  if (options.splines) graphAttrs['splines'] = options.splines;
  const g = new Digraph('G', graphAttrs as never);
  g.attributes.node.apply(style.nodeDefaults as never);
  g.attributes.edge.apply(style.edgeDefaults as never);
  let only: Set<string> | undefined;
  if (options.layerRange) {
    const names = model.layers.map((l) => l.name);
    const [a, b] = options.layerRange.map((n) => names.indexOf(n)) as [number, number];
    only = new Set(names.slice(Math.max(0, a), b + 1));
  }
  const ctx: Context = { style, options, usedIds: new Set(), seenEdges: new Set(), nodeCount: 0 };
  drawModel(g, g, model, '', ctx, only);
  // A node costs about ten AST nodes; lift ts-graphviz's default cap for big models.
  const maxASTNodes = Math.max(100_000, (ctx.nodeCount + ctx.seenEdges.size) * 20);
  return `${stringify(g, { convert: { maxASTNodes } })}\n`;
}
