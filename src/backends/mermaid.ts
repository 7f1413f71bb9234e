/**
 * Mermaid backend: a compiled model → a Mermaid `flowchart`, the text GitHub draws inline from
 * a ```` ```mermaid ```` block. Pure. It draws the layers and edges the DOT backend draws in
 * the keras3 style (dot.ts), so both pictures of a model agree.
 */
import type { CompiledLayer, CompiledModel } from '../ir/model.js';
import { formatShape, formatShapeList, type Shape } from '../ir/shape.js';
import type { DiagramOptions, Rankdir } from './dot.js';
import { graphView, type ViewItem } from './graph-view.js';

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

/** Writes the items of a view as Mermaid nodes and subgraphs. */
function drawItems(lines: string[], indent: string, items: readonly ViewItem[], options: MermaidOptions, inputs: string[]): void {
  for (const item of items) {
    const id = mermaidIdFor(item.path);
    if (item.kind === 'cluster') {
      lines.push(`${indent}subgraph ${id}["${escapeMermaid(item.layer.name)} (${escapeMermaid(item.layer.className)})"]`);
      drawItems(lines, `${indent}  `, item.items, options, inputs);
      lines.push(`${indent}end`);
      continue;
    }
    // A collapsed nested model is a subroutine box: it holds layers of its own.
    const [open, close] = item.layer.model ? ['[[', ']]'] : ['[', ']'];
    lines.push(`${indent}${id}${open}"${label(item.layer, options)}"${close}`);
    if (item.layer.className === 'InputLayer') inputs.push(id);
  }
}

/**
 * Builds the Mermaid `flowchart` text of a compiled model: one node per layer the keras3 DOT
 * style draws, its edges in the same order. A bad `layerRange` must be checked first
 * (checkLayerRange in dot.ts).
 */
export function toMermaid(model: CompiledModel, options: MermaidOptions = {}): string {
  // The nodes and edges of the keras3 DOT style, which leaves a Sequential's InputLayer out.
  const view = graphView(model, { ...options, hideSequentialInput: true });
  const lines = [`flowchart ${options.direction ?? 'TB'}`];
  const inputs: string[] = [];
  drawItems(lines, '  ', view.items, options, inputs);
  lines.push(...view.edges.map(([from, to]) => `  ${mermaidIdFor(from)} --> ${mermaidIdFor(to)}`));
  if (inputs.length) lines.push('  classDef input stroke-dasharray: 4 3', `  class ${inputs.join(',')} input`);
  return `${lines.join('\n')}\n`;
}
