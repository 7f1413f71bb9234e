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
import { graphView, type ViewItem } from './graph-view.js';
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
    params: layer.paramsKnown ? formatCount(layer.params) : '?',
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

/**
 * The DOT id of every item of a view, clusters included (drawn as `cluster_<id>`): the path of
 * layer names through nodeIdFor, with `_2`, `_3`, … on a clash, in drawing order. The report
 * page maps SVG nodes back to layers with the same ids.
 */
export function dotIds(items: readonly ViewItem[]): Map<ViewItem, string> {
  const ids = new Map<ViewItem, string>();
  const used = new Set<string>();
  const walk = (list: readonly ViewItem[]) => {
    for (const item of list) {
      const base = item.path.map(nodeIdFor).join('/');
      let id = base;
      for (let i = 2; used.has(id); i++) id = `${base}_${i}`;
      used.add(id);
      ids.set(item, id);
      if (item.kind === 'cluster') walk(item.items);
    }
  };
  walk(items);
  return ids;
}

/** Draws the items of a view into a graph or cluster; records the node of each node path. */
function drawItems(container: Container, items: readonly ViewItem[], style: LabelStyle, options: DiagramOptions, ids: ReadonlyMap<ViewItem, string>, nodes: Map<string, Node>): void {
  for (const item of items) {
    if (item.kind === 'cluster') {
      const cluster = new Subgraph(`cluster_${ids.get(item)!}`, { ...style.cluster, label: `<${escapeHtml(item.layer.name)}>` } as never);
      container.addSubgraph(cluster);
      drawItems(cluster, item.items, style, options, ids, nodes);
      continue;
    }
    const label = renderLabel(labelView(item.layer, displayName(item.model, item.layer, style), style, options), style);
    const node = new Node(ids.get(item)!, { ...style.node, label } as never);
    container.addNode(node);
    nodes.set(JSON.stringify(item.path), node);
  }
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
  const view = graphView(model, { ...options, hideSequentialInput: style.sequentialInput === 'hide' });
  const nodes = new Map<string, Node>();
  drawItems(g, view.items, style, options, dotIds(view.items), nodes);
  for (const [from, to] of view.edges) {
    const a = nodes.get(JSON.stringify(from))!;
    const b = nodes.get(JSON.stringify(to))!;
    g.addEdge(Object.keys(style.edge).length ? new Edge([a, b], { ...style.edge } as never) : new Edge([a, b]));
  }
  // A node costs about ten AST nodes; lift ts-graphviz's default cap for big models.
  const maxASTNodes = Math.max(100_000, (view.nodeCount + view.edges.length) * 20);
  return `${stringify(g, { convert: { maxASTNodes } })}\n`;
}
