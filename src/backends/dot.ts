/**
 * DOT backend: a compiled model and a label style → Graphviz DOT text, through ts-graphviz.
 * Pure: the style is loaded by the caller. Mirrors Keras `model_to_dot` (reference/keras.md §1).
 */
import Mustache from 'mustache';
import { Digraph, Edge, Node, toDot as stringify } from 'ts-graphviz';
import type { CompiledLayer, CompiledModel } from '../ir/model.js';
import { formatCount, formatShape, formatShapeList } from '../ir/shape.js';
import { escapeHtml, escapeRecord, nodeIdFor } from './escape.js';
import type { LabelStyle } from './style.js';

export const RANKDIRS = ['TB', 'LR', 'BT', 'RL'] as const;
/** Graphviz edge routing; Keras 3.14+ `plot_model(splines=…)`. */
export const SPLINES = ['ortho', 'spline', 'polyline', 'line', 'curved', 'none'] as const;
export type Splines = (typeof SPLINES)[number];
export type Rankdir = (typeof RANKDIRS)[number];

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
  readonly columns: number;
  readonly has_cells: boolean;
}

function shapesText(layer: CompiledLayer, style: LabelStyle): { input: string; output: string } {
  const isInput = layer.inbound.length === 0;
  const out = layer.outputShape ? formatShape(layer.outputShape) : '?';
  if (isInput) {
    // An input node's tensors print as a list in Keras 2 (tf_keras/engine/node.py).
    return style.inputLayerShapes === 'list' && layer.outputShape
      ? { input: `[${out}]`, output: `[${out}]` }
      : { input: out, output: out };
  }
  const ins = layer.inputShapes;
  const input = ins.length === 0 ? '?' : ins.length === 1 ? formatShape(ins[0]!) : formatShapeList(ins);
  return { input, output: out };
}

export function labelView(layer: CompiledLayer, displayName: string, style: LabelStyle, options: DiagramOptions): LabelView {
  const showShapes = options.showShapes ?? true;
  const showDtype = options.showDtype ?? false;
  const showTrainable = options.showTrainable ?? false;
  const hasWeights = layer.weights.length > 0;
  const shapes = shapesText(layer, style);
  return {
    name: displayName,
    class: layer.className,
    input_shape: shapes.input,
    output_shape: shapes.output,
    dtype: layer.dtype,
    activation: options.showLayerActivations && layer.activation ? layer.activation : '',
    params: formatCount(layer.params),
    trainable: layer.trainable,
    has_weights: hasWeights,
    is_input: layer.inbound.length === 0,
    show_shapes: showShapes,
    show_layer_names: options.showLayerNames ?? true,
    show_dtype: showDtype,
    show_layer_activations: options.showLayerActivations ?? false,
    show_trainable: showTrainable,
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

/** The layers a diagram draws, with the name each shows. */
export function drawnLayers(model: CompiledModel, style: LabelStyle): { layer: CompiledLayer; displayName: string }[] {
  const firstReal = model.layers.find((l) => l.inbound.length > 0);
  return model.layers
    .filter((l) => !(model.kind === 'Sequential' && l.className === 'InputLayer' && style.sequentialInput === 'hide'))
    .map((layer) => ({
      layer,
      displayName:
        layer.implicit && style.implicitInputName && firstReal ? style.implicitInputName.replace('{first}', firstReal.name) : layer.name,
    }));
}

/** Builds the DOT text of a compiled model. */
export function toDot(model: CompiledModel, style: LabelStyle, options: DiagramOptions = {}): string {
  const graphAttrs: Record<string, string | number | boolean> = { ...style.graph };
  if (options.rankdir) graphAttrs['rankdir'] = options.rankdir;
  if (options.dpi !== undefined) graphAttrs['dpi'] = options.dpi;
  if (options.splines) graphAttrs['splines'] = options.splines;
  const g = new Digraph('G', graphAttrs as never);
  g.attributes.node.apply(style.nodeDefaults as never);
  g.attributes.edge.apply(style.edgeDefaults as never);
  const drawn = drawnLayers(model, style);
  const ids = new Map<string, string>();
  const usedIds = new Set<string>();
  const nodes = new Map<string, Node>();
  for (const { layer, displayName } of drawn) {
    let id = nodeIdFor(layer.name);
    for (let i = 2; usedIds.has(id); i++) id = `${nodeIdFor(layer.name)}_${i}`;
    usedIds.add(id);
    ids.set(layer.name, id);
    const label = renderLabel(labelView(layer, displayName, style, options), style);
    const node = new Node(id, { ...style.node, label } as never);
    nodes.set(layer.name, node);
    g.addNode(node);
  }
  const seen = new Set<string>();
  for (const { layer } of drawn) {
    for (const source of layer.inbound) {
      const from = nodes.get(source);
      const to = nodes.get(layer.name);
      const key = `${source}\u0000${layer.name}`;
      if (!from || !to || seen.has(key)) continue;
      seen.add(key);
      g.addEdge(Object.keys(style.edge).length ? new Edge([from, to], { ...style.edge } as never) : new Edge([from, to]));
    }
  }
  // A node costs about ten AST nodes; lift ts-graphviz's default cap for big models.
  const maxASTNodes = Math.max(100_000, (drawn.length + seen.size) * 20);
  return `${stringify(g, { convert: { maxASTNodes } })}\n`;
}
