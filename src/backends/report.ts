/**
 * Report backend: a compiled model and its SVG diagram → one self-contained HTML page with the
 * diagram, the summary table and each layer's details (docs/report.md). Pure: the page
 * template is read once from templates/report/ (as label styles are), the rest is a function
 * of its arguments, so the same input gives a byte-identical page.
 *
 * Safety (DESIGN.md: user text is escaped where it reaches HTML): names reach the HTML through
 * escapeHtml, the page script's data through a JSON island that cannot close its <script>
 * element, and a Content-Security-Policy allows no network access and no script but the
 * page's own (by hash).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Mustache from 'mustache';
import type { CompiledLayer, CompiledModel } from '../ir/model.js';
import { formatCount, formatShape, type Shape } from '../ir/shape.js';
import { dotIds, type DiagramOptions } from './dot.js';
import { escapeHtml } from './escape.js';
import { graphView } from './graph-view.js';
import type { LabelStyle } from './style.js';

export const REPORT_THEMES = ['auto', 'light', 'dark'] as const;
export type ReportTheme = (typeof REPORT_THEMES)[number];

/** The page template: HTML with Mustache placeholders, its stylesheet and its script. */
export interface ReportTemplate {
  readonly html: string;
  readonly css: string;
  readonly script: string;
}

export interface ReportOptions {
  /** The theme the page opens in; `auto` follows the browser's `prefers-color-scheme`. @default 'auto' */
  readonly theme?: ReportTheme;
  /**
   * The label style and diagram options the SVG was drawn with: they decide which layers are
   * nodes, and so the DOT node ids the page maps back to layers. @default keras3, no options
   */
  readonly style?: LabelStyle;
  readonly diagram?: Pick<DiagramOptions, 'expandNested' | 'layerRange'>;
  /** The page template. @default the one in templates/report/ */
  readonly template?: ReportTemplate;
}

const templateDir = fileURLToPath(new URL('../../templates/report/', import.meta.url));
let cachedTemplate: ReportTemplate | undefined;

/** Reads templates/report/ (once per process). */
export function loadReportTemplate(): ReportTemplate {
  cachedTemplate ??= {
    html: readFileSync(`${templateDir}report.html`, 'utf8'),
    css: readFileSync(`${templateDir}report.css`, 'utf8'),
    script: readFileSync(`${templateDir}report.js`, 'utf8'),
  };
  return cachedTemplate;
}

/** One layer as the page script reads it: display-ready text, no markup. */
interface ReportLayer {
  name: string;
  class: string;
  inbound: string[];
  outbound: string[];
  inputShapes: string[];
  outputShapes: string[];
  params: number;
  trainableParams: number;
  nonTrainableParams: number;
  paramsKnown: boolean;
  paramsText: string;
  trainableParamsText: string;
  nonTrainableParamsText: string;
  activation: string | null;
  dtype: string;
  trainable: boolean;
  opaque: boolean;
  calls: number;
  weights: { name: string; shape: string; trainable: boolean }[];
  /** `[argument, value as JSON text]`, in config order. */
  config: [string, string][];
  nested: string | null;
}

export interface ReportData {
  name: string;
  kind: string;
  layers: ReportLayer[];
  /** `[DOT node id, layer index]`: which diagram node shows which (top-level) layer. */
  nodes: [string, number][];
  inputs: string[];
  outputs: string[];
  totalParams: number;
  trainableParams: number;
  nonTrainableParams: number;
}

function shapeText(shape: Shape | null): string {
  return shape ? formatShape(shape) : '?';
}

function outputShapes(layer: CompiledLayer): string[] {
  const outs = layer.calls[0]?.outputShapes ?? [layer.outputShape];
  return outs.length ? outs.map(shapeText) : [shapeText(layer.outputShape)];
}

function configValue(value: unknown): string {
  // Configs are parsed JSON/YAML, so stringify never meets a cycle; undefined has no JSON form.
  return JSON.stringify(value) ?? 'null';
}

function reportLayer(model: CompiledModel, layer: CompiledLayer): ReportLayer {
  const known = (n: number) => (layer.paramsKnown ? formatCount(n) : '?');
  return {
    name: layer.name,
    class: layer.className,
    inbound: [...layer.inbound],
    outbound: model.layers.filter((l) => l.inbound.includes(layer.name)).map((l) => l.name),
    inputShapes: layer.inputShapes.map(formatShape),
    outputShapes: outputShapes(layer),
    params: layer.params,
    trainableParams: layer.trainableParams,
    nonTrainableParams: layer.nonTrainableParams,
    paramsKnown: layer.paramsKnown,
    paramsText: known(layer.params),
    trainableParamsText: known(layer.trainableParams),
    nonTrainableParamsText: known(layer.nonTrainableParams),
    activation: layer.activation,
    dtype: layer.dtype,
    trainable: layer.trainable,
    opaque: layer.opaque,
    calls: layer.calls.length,
    weights: layer.weights.map((w) => ({ name: w.name, shape: formatShape(w.shape), trainable: w.trainable })),
    config: Object.entries(layer.config).map(([k, v]) => [k, configValue(v)]),
    nested: layer.model ? `${layer.model.kind} '${layer.model.name}' of ${layer.model.layers.length} layers` : null,
  };
}

/**
 * The DOT id of every drawn node (dot.ts `dotIds`), with the index of its layer; an inner node
 * of an expanded nested model points at its top-level layer.
 */
function nodeIds(model: CompiledModel, style: LabelStyle | undefined, options: ReportOptions['diagram']): [string, number][] {
  const view = graphView(model, { ...options, hideSequentialInput: (style?.sequentialInput ?? 'hide') === 'hide' });
  const index = new Map(model.layers.map((l, i) => [l.name, i]));
  return [...dotIds(view.items)].filter(([item]) => item.kind !== 'cluster').map(([item, id]) => [id, index.get(item.path[0]!)!]);
}

/** The data the page script reads. */
export function reportData(model: CompiledModel, options: ReportOptions = {}): ReportData {
  return {
    name: model.name,
    kind: model.kind,
    layers: model.layers.map((l) => reportLayer(model, l)),
    nodes: nodeIds(model, options.style, options.diagram),
    inputs: [...model.inputs],
    outputs: model.outputs.map((o) => o.layer),
    totalParams: model.totalParams,
    trainableParams: model.trainableParams,
    nonTrainableParams: model.nonTrainableParams,
  };
}

/**
 * JSON that is safe inside a <script> element: `<`, `>` and `&` (no `</script>`, no `<!--`)
 * and the JavaScript line terminators U+2028/U+2029 are written as \u escapes, which JSON
 * reads back as the same characters.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * The Graphviz SVG as an element inside HTML: without its XML prolog, doctype, namespace
 * declarations and comments (which repeat node ids), and without any script or foreignObject
 * should a caller pass an SVG that has them (the CSP would block them anyway).
 */
export function inlineSvg(svg: string): string {
  return svg
    .replace(/<\?xml[^>]*\?>/g, '')
    .replace(/<!DOCTYPE[^>[]*(\[[^\]]*\])?[^>]*>/gi, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(script|foreignObject)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<(script|foreignObject)\b[^>]*\/?>/gi, '')
    // HTML puts <svg> in the SVG namespace itself; without the declarations the page names
    // no http: address at all.
    .replace(/<svg\b[^>]*>/, (tag) => tag.replace(/\s+xmlns(:xlink)?="[^"]*"/g, ''))
    .trim();
}

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** No network at all: only this page's own style and script, images only as data: URLs. */
export function reportCsp(css: string, script: string): string {
  return [`default-src 'none'`, `script-src ${sha256(script)}`, `style-src ${sha256(css)}`, `img-src data:`, `base-uri 'none'`, `form-action 'none'`].join('; ');
}

function inboundText(layer: CompiledLayer): string {
  return layer.inbound.length ? layer.inbound.join(', ') : '-';
}

/** The report page. `svg` is the model's diagram from renderSvg with the same style and options. */
export function reportHtml(model: CompiledModel, svg: string, options: ReportOptions = {}): string {
  const template = options.template ?? loadReportTemplate();
  const data = reportData(model, options);
  const unknown = model.layers.filter((l) => !l.paramsKnown).length;
  const view = {
    theme: options.theme ?? 'auto',
    csp: reportCsp(template.css, template.script),
    title: `${model.name} · densegraph report`,
    name: model.name,
    kind: model.kind,
    layerCount: `${model.layers.length} layer${model.layers.length === 1 ? '' : 's'}`,
    totalParams: formatCount(model.totalParams),
    trainableParams: formatCount(model.trainableParams),
    nonTrainableParams: formatCount(model.nonTrainableParams),
    unknownNote: unknown ? `${unknown} layer${unknown === 1 ? "'s" : "s'"} parameters are unknown and not counted.` : '',
    rows: model.layers.map((l, index) => ({
      index,
      name: l.name,
      class: l.className,
      output: outputShapes(l).join(', '),
      params: l.paramsKnown ? formatCount(l.params) : '?',
      inbound: inboundText(l),
    })),
    css: template.css,
    script: template.script,
    svg: inlineSvg(svg),
    data: jsonForScript(data),
  };
  // No partials, and `escape` is the project's HTML escaping for every {{…}} value.
  return Mustache.render(template.html, view, {}, { escape: (value: unknown) => escapeHtml(String(value)) });
}
