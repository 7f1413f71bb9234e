/**
 * Mermaid backend: a compiled model → a Mermaid `flowchart`, the text GitHub draws inline from
 * a ```` ```mermaid ```` block. Pure. It draws the layers and edges the DOT backend draws in
 * the keras3 style (dot.ts), so both pictures of a model agree.
 */
import type { CompiledLayer, CompiledModel } from '../ir/model.js';
import { formatShape, formatShapeList, type Shape } from '../ir/shape.js';
import type { DiagramOptions, Rankdir } from './dot.js';

/** Options of the Mermaid diagram: the DOT backend's, where Mermaid has them. */
export interface MermaidOptions extends Pick<DiagramOptions, 'showShapes' | 'showLayerNames' | 'expandNested' | 'layerRange'> {
  /** Mermaid's flowchart direction, as Graphviz `rankdir`. @default 'TB' */
  readonly direction?: Rankdir;
}

// Mermaid entity codes (`#name;` / `#123;`) that HTML and SVG both know by name.
const NAMED: Readonly<Record<string, string>> = { '"': '#quot;', '<': '#lt;', '>': '#gt;', '&': '#amp;' };

// Letters, digits and a little punctuation mean nothing to Mermaid inside a quoted label.
// Everything else is written as an entity code: `"` ends the string, `<` `&` would be markup
// under htmlLabels, `#` starts an entity, a leading backtick a Markdown string, `$$` KaTeX,
// `:` an icon (`fa:fa-x`) and, with `#`, the `style…:…#…;` rewrite Mermaid applies to every
// line before parsing; `°` and `¶` are kept out so no text forms Mermaid's own entity
// placeholders (`ﬂ°…¶ß`).
const UNSAFE_LABEL_CHAR = /[^\p{L}\p{M}\p{N} _\-.,()/+=?!]/gu;

/**
 * User text inside a double-quoted Mermaid label: stays text under any renderer settings.
 * Spaces at either end are codes too, or Mermaid's trim of the label would drop them.
 */
export function escapeMermaid(text: string): string {
  return text.replace(UNSAFE_LABEL_CHAR, (ch) => NAMED[ch] ?? `#${ch.codePointAt(0)!};`).replace(/^ +| +$/g, (s) => '#32;'.repeat(s.length));
}

/**
 * A name as the body of a Mermaid id: ASCII letters, digits and `_` stay; any other character
 * is `_xHH_` (its code point in hex), and so is a `_` followed by `x`, which keeps the map
 * one-to-one. `_x` followed by a non-hex character never occurs, so `_x_` can join names.
 */
function idPart(name: string): string {
  let out = '';
  const chars = [...name];
  chars.forEach((ch, i) => {
    const escape = /[^A-Za-z0-9_]/.test(ch) || (ch === '_' && chars[i + 1] === 'x');
    out += escape ? `_x${ch.codePointAt(0)!.toString(16)}_` : ch;
  });
  return out;
}

/**
 * The Mermaid id of a layer from its path of names (outer model layers first), never from run
 * order. The `n_` prefix keeps ids off Mermaid's keywords (`end`, `graph`, `class`, …) and off
 * the edge markers `o` and `x` (`a --o b`).
 */
export function mermaidIdFor(path: readonly string[]): string {
  return `n_${path.map(idPart).join('_x_')}`;
}

function shapeListText(shapes: readonly (Shape | null)[]): string {
  if (shapes.length === 0 || shapes.some((s) => s === null)) return '?';
  return shapes.length === 1 ? formatShape(shapes[0]!) : formatShapeList(shapes as Shape[]);
}

/** `in → out` of the first call (Keras 3's `layer.input`); an InputLayer only its output. */
function shapesLine(layer: CompiledLayer): string {
  if (layer.className === 'InputLayer') return escapeMermaid(layer.outputShape ? formatShape(layer.outputShape) : '?');
  const first = layer.calls[0];
  if (!first) return '?';
  return `${escapeMermaid(shapeListText(first.inputShapes))} → ${escapeMermaid(shapeListText(first.outputShapes))}`;
}

function label(layer: CompiledLayer, options: MermaidOptions): string {
  const title = (options.showLayerNames ?? true) ? `${escapeMermaid(layer.name)} (${escapeMermaid(layer.className)})` : escapeMermaid(layer.className);
  return (options.showShapes ?? true) ? `${title}<br>${shapesLine(layer)}` : title;
}

/** Keras 3 leaves a Sequential model's InputLayer out (as dot.ts does in the keras3 style). */
function isDrawn(model: CompiledModel, layer: CompiledLayer): boolean {
  return !(model.kind === 'Sequential' && layer.className === 'InputLayer');
}

/** How to connect to a drawn layer; the same rule as dot.ts. */
interface Drawn {
  /** Where an edge into input `k` of the layer lands. */
  sinks(k: number): string[];
  /** Where an edge from output `j` of the layer starts. */
  source(j: number): string | undefined;
}

interface Context {
  readonly options: MermaidOptions;
  readonly edges: string[];
  readonly seenEdges: Set<string>;
  readonly inputs: string[];
}

function addEdge(ctx: Context, from: string, to: string): void {
  const key = `${from} ${to}`;
  if (ctx.seenEdges.has(key)) return; // As Keras and the DOT backend.
  ctx.seenEdges.add(key);
  ctx.edges.push(`${from} --> ${to}`);
}

/** An expanded nested model: edges land on its inputs' consumers and leave from its outputs. */
function nestedDrawn(inner: CompiledModel, innerDrawn: Map<string, Drawn>): Drawn {
  return {
    sinks: (k) => {
      // Its k-th InputLayer, or where that input goes when the InputLayer is not drawn.
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
  };
}

/** Writes a model's nodes into `lines` at `indent` and its edges into `ctx.edges`. */
function drawModel(lines: string[], indent: string, model: CompiledModel, path: readonly string[], ctx: Context, only?: ReadonlySet<string>): Map<string, Drawn> {
  const drawn = new Map<string, Drawn>();
  for (const layer of model.layers) {
    if (only && !only.has(layer.name)) continue;
    const id = mermaidIdFor([...path, layer.name]);
    if (layer.model && ctx.options.expandNested) {
      lines.push(`${indent}subgraph ${id}["${escapeMermaid(layer.name)} (${escapeMermaid(layer.className)})"]`);
      const innerDrawn = drawModel(lines, `${indent}  `, layer.model, [...path, layer.name], ctx);
      lines.push(`${indent}end`);
      drawn.set(layer.name, nestedDrawn(layer.model, innerDrawn));
      continue;
    }
    if (!isDrawn(model, layer)) continue;
    // A collapsed nested model is a subroutine box: it holds layers of its own.
    const [open, close] = layer.model ? ['[[', ']]'] : ['[', ']'];
    lines.push(`${indent}${id}${open}"${label(layer, ctx.options)}"${close}`);
    if (layer.className === 'InputLayer') ctx.inputs.push(id);
    drawn.set(layer.name, { sinks: () => [id], source: () => id });
  }
  // Edges in call order and, within a call, in input order: a merge's inputs keep their order.
  for (const layer of model.layers) {
    const to = drawn.get(layer.name);
    if (!to) continue;
    for (const call of layer.calls) {
      call.inbound.forEach((ref, k) => {
        const from = drawn.get(ref.layer)?.source(ref.output ?? 0);
        if (from === undefined) return;
        for (const sink of to.sinks(k)) addEdge(ctx, from, sink);
      });
    }
  }
  return drawn;
}

/**
 * Builds the Mermaid `flowchart` text of a compiled model: one node per layer the keras3 DOT
 * style draws, its edges in the same order. A bad `layerRange` must be checked first
 * (checkLayerRange in dot.ts).
 */
export function toMermaid(model: CompiledModel, options: MermaidOptions = {}): string {
  let only: Set<string> | undefined;
  if (options.layerRange) {
    const names = model.layers.map((l) => l.name);
    const [a, b] = options.layerRange.map((n) => names.indexOf(n)) as [number, number];
    only = new Set(names.slice(Math.max(0, a), b + 1));
  }
  const ctx: Context = { options, edges: [], seenEdges: new Set(), inputs: [] };
  const lines = [`flowchart ${options.direction ?? 'TB'}`];
  drawModel(lines, '  ', model, [], ctx, only);
  lines.push(...ctx.edges.map((e) => `  ${e}`));
  if (ctx.inputs.length) lines.push('  classDef input stroke-dasharray: 4 3', `  class ${ctx.inputs.join(',')} input`);
  return `${lines.join('\n')}\n`;
}
