/**
 * Summary backends: `text` (Keras 3's `model.summary()` table), `markdown` and `json` (the
 * contract of DESIGN.md). Pure functions of a compiled model.
 */
import { refKerasText, refText, type CompiledLayer, type CompiledModel } from '../ir/model.js';
import { formatCount, formatShape, formatShapeList, type Shape } from '../ir/shape.js';
import { DTYPE_BYTES } from '../layers/vocab.js';

export const SUMMARY_FORMATS = ['text', 'markdown', 'json'] as const;
export type SummaryFormat = (typeof SUMMARY_FORMATS)[number];

/** Layers a summary lists: Keras 3 leaves a Sequential model's InputLayer out. */
function listedLayers(model: CompiledModel): CompiledLayer[] {
  return model.layers.filter((l) => !(model.kind === 'Sequential' && l.className === 'InputLayer'));
}

function outputShapeText(layer: CompiledLayer): string {
  return layer.outputShape ? formatShape(layer.outputShape) : '?';
}

/** Keras 3's `Connected to`: every inbound tensor of every call, `name[node][tensor]`. */
function connectedText(layer: CompiledLayer): string {
  const refs = layer.calls.flatMap((c) => c.inbound.map(refKerasText));
  return refs.length ? refs.join(', ') : '-';
}

/** A layer's output shape text; several outputs as a list. */
function outputsText(layer: CompiledLayer): string {
  const outs = layer.calls[0]?.outputShapes ?? [layer.outputShape];
  if (outs.length > 1) return outs.every((s) => s) ? formatShapeList(outs as Shape[]) : '?';
  return outputShapeText(layer);
}

/** Keras 3 `readable_memory_size`: divide by 1024 while the figure is at least one unit. */
export function readableMemorySize(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let size = bytes;
  for (const unit of units) {
    if (size / 1024 < 1) return `${size.toFixed(2)} ${unit}`;
    size /= 1024;
  }
  return `${size.toFixed(2)} PB`;
}

function weightBytes(model: CompiledModel, trainable: boolean | undefined): number {
  let bytes = 0;
  for (const layer of model.layers) {
    if (layer.model) {
      // A frozen nested model's weights are all non-trainable (as its parameter counts).
      if (trainable === undefined || layer.trainable) bytes += weightBytes(layer.model, trainable);
      else if (trainable === false) bytes += weightBytes(layer.model, undefined);
    }
    for (const w of layer.weights) {
      if (trainable !== undefined && w.trainable !== trainable) continue;
      bytes += w.shape.reduce((a, b) => a * b, 1) * DTYPE_BYTES[layer.weightDtype];
    }
  }
  return bytes;
}

const count = formatCount;

/** A layer's parameter count, `?` where it cannot be known. */
function paramsText(layer: CompiledLayer): string {
  return layer.paramsKnown ? count(layer.params) : '?';
}

function unknownParamsNote(model: CompiledModel): string[] {
  const unknown = model.layers.filter((l) => !l.paramsKnown).length;
  return unknown ? [`(${unknown} layer${unknown === 1 ? "'s" : "s'"} parameters unknown and not counted: densegraph does not know their class, or their input shape)`] : [];
}

function totalsLines(model: CompiledModel): string[] {
  return [
    `Total params: ${count(model.totalParams)} (${readableMemorySize(weightBytes(model, undefined))})`,
    `Trainable params: ${count(model.trainableParams)} (${readableMemorySize(weightBytes(model, true))})`,
    `Non-trainable params: ${count(model.nonTrainableParams)} (${readableMemorySize(weightBytes(model, false))})`,
  ];
}

/** Splits a cell's text into lines of at most `width` characters, breaking after `, ` where it can. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let rest = text;
  while ([...rest].length > width) {
    const chars = [...rest];
    const head = chars.slice(0, width).join('');
    const cut = head.lastIndexOf(', ');
    const at = cut > 0 ? cut + 2 : width;
    lines.push(chars.slice(0, at).join('').trimEnd());
    rest = chars.slice(at).join('');
  }
  lines.push(rest);
  return lines;
}

function pad(text: string, width: number, align: 'left' | 'right'): string {
  const gap = Math.max(0, width - [...text].length);
  return align === 'left' ? text + ' '.repeat(gap) : ' '.repeat(gap) + text;
}

/**
 * The Keras 3 summary table (keras/src/utils/summary_utils.py, reference/keras.md §5.2) at its
 * default widths: 88 columns for Sequential models, 108 with `Connected to` otherwise.
 */
export function summaryText(model: CompiledModel): string {
  const sequential = model.kind === 'Sequential';
  const total = sequential ? 88 : 108;
  const positions = sequential ? [0.45, 0.8, 1.0] : [0.3, 0.56, 0.74, 1.0];
  const headers = sequential ? ['Layer (type)', 'Output Shape', 'Param #'] : ['Layer (type)', 'Output Shape', 'Param #', 'Connected to'];
  const align: ('left' | 'right')[] = sequential ? ['left', 'left', 'right'] : ['left', 'left', 'right', 'left'];
  // Column i spans from positions[i-1]·total to positions[i]·total, borders included.
  const bounds = positions.map((p) => Math.round(p * total));
  const widths = bounds.map((b, i) => b - (i === 0 ? 0 : bounds[i - 1]!) - 1 - (i === 0 ? 1 : 0));
  const inner = widths.map((w) => w - 2);
  const rule = (l: string, m: string, r: string, h: string) => l + widths.map((w) => h.repeat(w)).join(m) + r;
  const row = (cells: string[], v: string): string[] => {
    const wrapped = cells.map((c, i) => wrap(c, inner[i]!));
    const height = Math.max(...wrapped.map((w) => w.length));
    const out: string[] = [];
    for (let k = 0; k < height; k++) {
      out.push(v + wrapped.map((w, i) => ` ${pad(w[k] ?? '', inner[i]!, align[i]!)} `).join(v) + v);
    }
    return out;
  };
  const lines = [`Model: "${model.name}"`, rule('┏', '┳', '┓', '━'), ...row(headers, '┃'), rule('┡', '╇', '┩', '━')];
  const layers = listedLayers(model);
  layers.forEach((layer, i) => {
    const cells = [`${layer.name} (${layer.className})`, outputsText(layer), paramsText(layer)];
    if (!sequential) cells.push(connectedText(layer));
    lines.push(...row(cells, '│'));
    lines.push(i < layers.length - 1 ? rule('├', '┼', '┤', '─') : rule('└', '┴', '┘', '─'));
  });
  if (layers.length === 0) lines.push(rule('└', '┴', '┘', '─'));
  lines.push(...[...totalsLines(model), ...unknownParamsNote(model)].map((l) => ` ${l}`));
  return `${lines.join('\n')}\n`;
}

/** Markdown cell text: pipes, backslashes, HTML and Markdown punctuation neutralised. */
export function escapeMarkdownCell(text: string): string {
  return text
    .replace(/[\\`*_{}[\]()#+!|~]/g, (c) => `\\${c}`)
    .replace(/[<>&]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c]!);
}

/** A GitHub-flavoured Markdown table for READMEs and pull-request comments. */
export function summaryMarkdown(model: CompiledModel): string {
  const sequential = model.kind === 'Sequential';
  const head = sequential ? '| Layer (type) | Output Shape | Param # |\n|:--|:--|--:|' : '| Layer (type) | Output Shape | Param # | Connected to |\n|:--|:--|--:|:--|';
  const rows = listedLayers(model).map((layer) => {
    const cells = [`${escapeMarkdownCell(layer.name)} (${escapeMarkdownCell(layer.className)})`, `\`${outputsText(layer)}\``, paramsText(layer)];
    if (!sequential) cells.push(layer.calls.flatMap((c) => c.inbound.map((r) => escapeMarkdownCell(refKerasText(r)))).join(', ') || '-');
    return `| ${cells.join(' | ')} |`;
  });
  const [t, tr, nt] = totalsLines(model);
  const note = unknownParamsNote(model).map((l) => `  \n${l}`).join('');
  return `**Model: ${escapeMarkdownCell(model.name)}**\n\n${head}\n${rows.join('\n')}\n\n${t}  \n${tr}  \n${nt}${note}\n`;
}

/** The DESIGN.md contract of `densegraph summary --format json`. */
export interface SummaryJson {
  name: string;
  layers: {
    name: string;
    class: string;
    inbound: string[];
    inputShapes: (number | null)[][];
    outputShape: (number | null)[] | null;
    params: number;
    trainableParams: number;
    activation: string | null;
    dtype: string;
    /** Only when false: the parameter count is unknown (and `params` is 0). */
    paramsKnown?: false;
    /** Only when true: a class densegraph does not know, drawn as the file describes it. */
    opaque?: true;
    /** Only for a shared layer: every call with its tensors and shapes. */
    calls?: { inbound: string[]; inputShapes: (number | null)[][]; outputShapes: ((number | null)[] | null)[] }[];
    /** Only for a nested model: its own summary. */
    model?: SummaryJson;
  }[];
  inputs: string[];
  outputs: string[];
  totalParams: number;
  trainableParams: number;
  nonTrainableParams: number;
}

export function summaryJsonObject(model: CompiledModel): SummaryJson {
  return {
    name: model.name,
    layers: model.layers.map((l) => ({
      name: l.name,
      class: l.className,
      inbound: [...l.inbound],
      inputShapes: l.inputShapes.map((s) => [...s]),
      outputShape: l.outputShape ? [...l.outputShape] : null,
      params: l.params,
      trainableParams: l.trainableParams,
      activation: l.activation,
      dtype: l.dtype,
      ...(l.paramsKnown ? {} : { paramsKnown: false }),
      ...(l.opaque ? { opaque: true } : {}),
      ...(l.calls.length > 1
        ? { calls: l.calls.map((c) => ({ inbound: c.inbound.map(refText), inputShapes: c.inputShapes.map((s) => [...s]), outputShapes: c.outputShapes.map((s) => (s ? [...s] : null)) })) }
        : {}),
      ...(l.model ? { model: summaryJsonObject(l.model) } : {}),
    })),
    inputs: [...model.inputs],
    outputs: model.outputs.map(refText),
    totalParams: model.totalParams,
    trainableParams: model.trainableParams,
    nonTrainableParams: model.nonTrainableParams,
  };
}

export function summaryJson(model: CompiledModel): string {
  return `${JSON.stringify(summaryJsonObject(model), null, 2)}\n`;
}

export function summary(model: CompiledModel, format: SummaryFormat): string {
  if (format === 'json') return summaryJson(model);
  if (format === 'markdown') return summaryMarkdown(model);
  return summaryText(model);
}
