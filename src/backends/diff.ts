/**
 * Model diff for reviews: layers matched by name, added / removed / changed (arguments,
 * shapes, parameter counts), and the change of the totals. `diffModels` is the stable JSON
 * structure (docs/diff.md); the other functions draw or write it. Pure.
 */
import { Digraph, Edge, Node, toDot as stringify } from 'ts-graphviz';
import type { CompiledLayer, CompiledModel } from '../ir/model.js';
import { formatCount, formatShape } from '../ir/shape.js';
import { escapeRecord, nodeIdFor } from './escape.js';
import { escapeMermaid, mermaidIdFor } from './mermaid.js';
import { escapeMarkdownCell } from './summary.js';

export type ChangeKind = 'added' | 'removed' | 'changed' | 'unchanged';

export interface ArgumentChange {
  readonly argument: string;
  readonly old: unknown;
  readonly new: unknown;
}

export interface LayerDiff {
  readonly name: string;
  readonly kind: ChangeKind;
  readonly class: { readonly old: string | null; readonly new: string | null };
  readonly outputShape: { readonly old: (number | null)[] | null; readonly new: (number | null)[] | null };
  readonly params: { readonly old: number; readonly new: number };
  /** Arguments whose values differ (for `changed` layers), in argument order. */
  readonly arguments: readonly ArgumentChange[];
  /** Inbound layer names that differ (for `changed` layers). */
  readonly inbound?: { readonly old: string[]; readonly new: string[] };
}

export interface ModelDiff {
  readonly old: { readonly name: string; readonly totalParams: number };
  readonly new: { readonly name: string; readonly totalParams: number };
  readonly totalParamsChange: number;
  readonly counts: { readonly added: number; readonly removed: number; readonly changed: number; readonly unchanged: number };
  /** Every layer of both models: the new model's order, removed layers after the layer they followed. */
  readonly layers: readonly LayerDiff[];
  readonly identical: boolean;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function shape(l: CompiledLayer | undefined): (number | null)[] | null {
  return l?.outputShape ? [...l.outputShape] : null;
}

export function diffModels(oldModel: CompiledModel, newModel: CompiledModel): ModelDiff {
  const olds = new Map(oldModel.layers.map((l) => [l.name, l]));
  const news = new Map(newModel.layers.map((l) => [l.name, l]));
  const entry = (name: string, o: CompiledLayer | undefined, n: CompiledLayer | undefined): LayerDiff => {
    const args: ArgumentChange[] = [];
    let inbound: LayerDiff['inbound'];
    let kind: ChangeKind = !o ? 'added' : !n ? 'removed' : 'unchanged';
    if (o && n) {
      const keys = [...new Set([...Object.keys(n.config), ...Object.keys(o.config)])].filter((k) => k !== 'name');
      for (const k of keys) if (!same(o.config[k], n.config[k])) args.push({ argument: k, old: o.config[k] ?? null, new: n.config[k] ?? null });
      if (!same(o.inbound, n.inbound)) inbound = { old: [...o.inbound], new: [...n.inbound] };
      if (args.length || inbound || o.className !== n.className || !same(o.outputShape, n.outputShape) || o.params !== n.params) kind = 'changed';
    }
    return {
      name,
      kind,
      class: { old: o?.className ?? null, new: n?.className ?? null },
      outputShape: { old: shape(o), new: shape(n) },
      params: { old: o?.params ?? 0, new: n?.params ?? 0 },
      arguments: args,
      ...(inbound ? { inbound } : {}),
    };
  };
  const layers: LayerDiff[] = newModel.layers.map((n) => entry(n.name, olds.get(n.name), n));
  // A removed layer goes after the last surviving layer that came before it in the old model.
  oldModel.layers.forEach((o, i) => {
    if (news.has(o.name)) return;
    let at = 0;
    for (let j = i - 1; j >= 0; j--) {
      const k = layers.findIndex((l) => l.name === oldModel.layers[j]!.name);
      if (k >= 0) {
        at = k + 1;
        break;
      }
    }
    while (at < layers.length && layers[at]!.kind === 'removed') at++;
    layers.splice(at, 0, entry(o.name, o, undefined));
  });
  const count = (k: ChangeKind) => layers.filter((l) => l.kind === k).length;
  const counts = { added: count('added'), removed: count('removed'), changed: count('changed'), unchanged: count('unchanged') };
  return {
    old: { name: oldModel.name, totalParams: oldModel.totalParams },
    new: { name: newModel.name, totalParams: newModel.totalParams },
    totalParamsChange: newModel.totalParams - oldModel.totalParams,
    counts,
    layers,
    identical: counts.added + counts.removed + counts.changed === 0 && oldModel.name === newModel.name,
  };
}

const signed = (n: number) => (n > 0 ? `+${formatCount(n)}` : n < 0 ? `−${formatCount(-n)}` : '±0');

function valueText(v: unknown): string {
  return v === null || v === undefined ? 'None' : typeof v === 'string' ? v : JSON.stringify(v);
}

/** One line per change of a layer: arguments, shape, parameters. */
export function changeLines(l: LayerDiff): string[] {
  const lines = l.arguments.map((a) => `${a.argument}: ${valueText(a.old)} → ${valueText(a.new)}`);
  if (l.class.old && l.class.new && l.class.old !== l.class.new) lines.unshift(`class: ${l.class.old} → ${l.class.new}`);
  if (l.inbound) lines.push(`inputs: ${l.inbound.old.join(', ') || '-'} → ${l.inbound.new.join(', ') || '-'}`);
  if (!same(l.outputShape.old, l.outputShape.new)) lines.push(`output: ${l.outputShape.old ? formatShape(l.outputShape.old) : '?'} → ${l.outputShape.new ? formatShape(l.outputShape.new) : '?'}`);
  if (l.params.old !== l.params.new) lines.push(`params: ${formatCount(l.params.old)} → ${formatCount(l.params.new)}`);
  return lines;
}

export function totalsLine(d: ModelDiff): string {
  const parts = [`${d.counts.added} added`, `${d.counts.removed} removed`, `${d.counts.changed} changed`];
  return `Total params: ${formatCount(d.old.totalParams)} → ${formatCount(d.new.totalParams)} (${signed(d.totalParamsChange)}); layers: ${parts.join(', ')}`;
}

const COLORS = { added: '#2da44e', changed: '#bf8700', removed: '#8c959f' } as const;
const FILLS = { added: '#dafbe1', changed: '#fff8c5', removed: '#f6f8fa' } as const;

/**
 * The new model drawn with added layers green, changed ones amber with their changes in the
 * label, and removed ones grey and dashed where they were (wired to their old inputs and
 * consumers that still exist).
 */
export function diffDot(d: ModelDiff, oldModel: CompiledModel, newModel: CompiledModel): string {
  const g = new Digraph('G', { rankdir: 'TB', concentrate: true } as never);
  g.attributes.node.apply({ shape: 'record', fontname: 'Helvetica' } as never);
  const nodes = new Map<string, Node>();
  for (const l of d.layers) {
    const shapeText = l.outputShape.new ?? l.outputShape.old;
    const fields = [`${escapeRecord(l.name)}|${escapeRecord(l.class.new ?? l.class.old ?? '?')}`, `output:|${escapeRecord(shapeText ? formatShape(shapeText) : '?')}`];
    if (l.kind === 'changed') fields.push(changeLines(l).map(escapeRecord).join('\\l') + '\\l');
    if (l.kind !== 'unchanged') fields.push(l.kind);
    const attrs: Record<string, string> = { label: `{${fields.join('|')}}` };
    if (l.kind !== 'unchanged') Object.assign(attrs, { color: COLORS[l.kind], fillcolor: FILLS[l.kind], style: l.kind === 'removed' ? 'dashed,filled' : 'filled' });
    if (l.kind === 'removed') attrs['fontcolor'] = COLORS.removed;
    const node = new Node(nodeIdFor(l.name), attrs as never);
    nodes.set(l.name, node);
    g.addNode(node);
  }
  const seen = new Set<string>();
  const edge = (a: string, b: string, removed: boolean) => {
    const from = nodes.get(a);
    const to = nodes.get(b);
    if (!from || !to || seen.has(`${a}\u0000${b}`)) return;
    seen.add(`${a}\u0000${b}`);
    g.addEdge(new Edge([from, to], (removed ? { style: 'dashed', color: COLORS.removed } : {}) as never));
  };
  for (const l of newModel.layers) for (const src of l.inbound) edge(src, l.name, false);
  for (const l of oldModel.layers) {
    const gone = d.layers.find((x) => x.name === l.name)?.kind === 'removed';
    for (const src of l.inbound) if (gone || d.layers.find((x) => x.name === src)?.kind === 'removed') edge(src, l.name, true);
  }
  return `${stringify(g)}\n`;
}

/** The same colours as a Mermaid flowchart (GitHub draws it inline). */
export function diffMermaid(d: ModelDiff, oldModel: CompiledModel, newModel: CompiledModel): string {
  const lines = ['flowchart TB'];
  for (const l of d.layers) {
    const shapeText = l.outputShape.new ?? l.outputShape.old;
    const extra = l.kind === 'changed' ? `<br>${changeLines(l).map(escapeMermaid).join('<br>')}` : l.kind === 'unchanged' ? '' : `<br>${l.kind}`;
    lines.push(`  ${mermaidIdFor([l.name])}["${escapeMermaid(l.name)} (${escapeMermaid(l.class.new ?? l.class.old ?? '?')})<br>${escapeMermaid(shapeText ? formatShape(shapeText) : '?')}${extra}"]`);
  }
  const seen = new Set<string>();
  const link = (a: string, b: string, arrow: string) => {
    if (seen.has(`${a} ${b}`) || !d.layers.some((l) => l.name === a) || !d.layers.some((l) => l.name === b)) return;
    seen.add(`${a} ${b}`);
    lines.push(`  ${mermaidIdFor([a])} ${arrow} ${mermaidIdFor([b])}`);
  };
  for (const l of newModel.layers) for (const src of l.inbound) link(src, l.name, '-->');
  for (const l of oldModel.layers) for (const src of l.inbound) link(src, l.name, '-.->');
  for (const kind of ['added', 'changed', 'removed'] as const) {
    const ids = d.layers.filter((l) => l.kind === kind).map((l) => mermaidIdFor([l.name]));
    if (!ids.length) continue;
    lines.push(`  classDef ${kind} fill:${FILLS[kind]},stroke:${COLORS[kind]}${kind === 'removed' ? ',stroke-dasharray: 4 3,color:#8c959f' : ''}`);
    lines.push(`  class ${ids.join(',')} ${kind}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A review comment: the totals line, a table of the changes, and the coloured Mermaid diagram. */
export function diffMarkdown(d: ModelDiff, oldModel: CompiledModel, newModel: CompiledModel): string {
  const title = d.old.name === d.new.name ? escapeMarkdownCell(d.new.name) : `${escapeMarkdownCell(d.old.name)} → ${escapeMarkdownCell(d.new.name)}`;
  const out = [`### Model diff: ${title}`, '', totalsLine(d), ''];
  const rows = d.layers.filter((l) => l.kind !== 'unchanged');
  if (rows.length === 0) out.push('No layer changed.', '');
  else {
    out.push('| layer | change | details | params |', '|:--|:--|:--|--:|');
    const icon = { added: '🟢 added', removed: '⚪ removed', changed: '🟡 changed', unchanged: '' } as const;
    for (const l of rows) {
      const details = l.kind === 'changed' ? changeLines(l).map(escapeMarkdownCell).join('<br>') : `${escapeMarkdownCell(l.class.new ?? l.class.old ?? '')} ${l.outputShape.new ?? l.outputShape.old ? `\`${formatShape((l.outputShape.new ?? l.outputShape.old)!)}\`` : ''}`;
      const params = l.kind === 'added' ? `+${formatCount(l.params.new)}` : l.kind === 'removed' ? `−${formatCount(l.params.old)}` : signed(l.params.new - l.params.old);
      out.push(`| ${escapeMarkdownCell(l.name)} | ${icon[l.kind]} | ${details} | ${params} |`);
    }
    out.push('');
  }
  out.push('```mermaid', diffMermaid(d, oldModel, newModel).trimEnd(), '```', '');
  return out.join('\n');
}
