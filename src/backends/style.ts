/**
 * Label styles: data files in templates/styles/ that say which fields a node label shows and
 * in which layout, as a Mustache template (docs/label-styles.md). The DOT backend reads a
 * loaded style; loading (file IO) happens here, at the edge.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Mustache from 'mustache';
import { parse as parseYaml } from 'yaml';
import { error, type Diagnostic } from '../ir/diagnostics.js';

export const BUILTIN_STYLES = ['keras3', 'keras2'] as const;
export type BuiltinStyle = (typeof BUILTIN_STYLES)[number];

export type GraphAttrs = Readonly<Record<string, string | number | boolean>>;

export interface LabelStyle {
  readonly name: string;
  readonly description: string;
  /** Graph attributes in output order; `rankdir` and `dpi` are overridden by options. */
  readonly graph: GraphAttrs;
  /** `node [...]` defaults. */
  readonly nodeDefaults: GraphAttrs;
  /** `edge [...]` defaults. */
  readonly edgeDefaults: GraphAttrs;
  /** Attributes set on every node, after its label. */
  readonly node: GraphAttrs;
  /** Attributes set on every edge. */
  readonly edge: GraphAttrs;
  /** Whether a Sequential model's InputLayer is drawn. */
  readonly sequentialInput: 'show' | 'hide';
  /** Name shown for an implicit Sequential input; `{first}` is the first layer's name. */
  readonly implicitInputName?: string;
  /** `list`: an InputLayer's shapes print as `[(None, 4)]` (Keras 2); `plain`: `(None, 4)`. */
  readonly inputLayerShapes: 'list' | 'plain';
  /** A shared layer's shapes: its first call's (Keras 3), or `?` where its calls disagree (Keras 2). */
  readonly sharedLayerShapes: 'first' | 'agree';
  /** Attributes of the cluster an expanded nested model is drawn in. */
  readonly cluster: GraphAttrs;
  readonly label: {
    readonly format: 'html' | 'record';
    readonly tags: readonly [string, string];
    /** Leading indentation and line breaks already removed. */
    readonly template: string;
  };
}

const STYLE_KEYS = ['name', 'description', 'graph', 'node_defaults', 'edge_defaults', 'node', 'edge', 'cluster', 'sequential_input', 'implicit_input_name', 'input_layer_shapes', 'shared_layer_shapes', 'label'];

const templatesDir = fileURLToPath(new URL('../../templates/styles/', import.meta.url));

/** Template lines lose their leading indentation and their line breaks (docs/label-styles.md). */
export function joinTemplateLines(template: string): string {
  return template
    .split(/\r?\n/)
    .map((line) => line.replace(/^\s+/, ''))
    .join('');
}

function attrs(value: unknown, key: string, where: string, diagnostics: Diagnostic[]): GraphAttrs {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    diagnostics.push(error('invalid-style', `'${key}' must be a mapping of Graphviz attributes`, { file: where, path: key }));
    return {};
  }
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = v;
    else diagnostics.push(error('invalid-style', `attribute '${k}' must be a string, number or boolean`, { file: where, path: `${key}.${k}` }));
  }
  return out;
}

/** Checks and normalises parsed style data. `where` names the file for messages. */
export function styleFromData(data: unknown, where: string): { style?: LabelStyle; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const loc = { file: where };
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { diagnostics: [error('invalid-style', 'a label style is a YAML mapping (see docs/label-styles.md)', loc)] };
  }
  const d = data as Record<string, unknown>;
  for (const k of Object.keys(d)) {
    if (!STYLE_KEYS.includes(k)) diagnostics.push(error('invalid-style', `unknown key '${k}' in the label style`, { ...loc, path: k }, `valid keys: ${STYLE_KEYS.join(', ')}`));
  }
  const label = d['label'] as Record<string, unknown> | undefined;
  if (!label || typeof label !== 'object' || typeof label['template'] !== 'string') {
    diagnostics.push(error('invalid-style', 'the style needs label.template, a Mustache template string', { ...loc, path: 'label.template' }));
    return { diagnostics };
  }
  const format = label['format'] ?? 'html';
  if (format !== 'html' && format !== 'record') {
    diagnostics.push(error('invalid-style', `label.format must be 'html' or 'record', got ${JSON.stringify(format)}`, { ...loc, path: 'label.format' }));
  }
  const tags = label['tags'] ?? ['{{', '}}'];
  if (!Array.isArray(tags) || tags.length !== 2 || !tags.every((t) => typeof t === 'string' && t.length > 0)) {
    diagnostics.push(error('invalid-style', 'label.tags must be two non-empty strings, e.g. ["<%", "%>"]', { ...loc, path: 'label.tags' }));
  }
  const template = joinTemplateLines(label['template']);
  try {
    Mustache.parse(template, tags as [string, string]);
  } catch (e) {
    diagnostics.push(error('invalid-style', `label.template is not a valid Mustache template: ${(e as Error).message}`, { ...loc, path: 'label.template' }));
  }
  const sequentialInput = d['sequential_input'] ?? 'show';
  if (sequentialInput !== 'show' && sequentialInput !== 'hide') {
    diagnostics.push(error('invalid-style', `sequential_input must be 'show' or 'hide'`, { ...loc, path: 'sequential_input' }));
  }
  const inputLayerShapes = d['input_layer_shapes'] ?? 'plain';
  if (inputLayerShapes !== 'list' && inputLayerShapes !== 'plain') {
    diagnostics.push(error('invalid-style', `input_layer_shapes must be 'list' or 'plain'`, { ...loc, path: 'input_layer_shapes' }));
  }
  const sharedLayerShapes = d['shared_layer_shapes'] ?? 'first';
  if (sharedLayerShapes !== 'first' && sharedLayerShapes !== 'agree') {
    diagnostics.push(error('invalid-style', `shared_layer_shapes must be 'first' or 'agree'`, { ...loc, path: 'shared_layer_shapes' }));
  }
  const style: LabelStyle = {
    name: typeof d['name'] === 'string' ? d['name'] : where,
    description: typeof d['description'] === 'string' ? d['description'] : '',
    graph: attrs(d['graph'], 'graph', where, diagnostics),
    nodeDefaults: attrs(d['node_defaults'], 'node_defaults', where, diagnostics),
    edgeDefaults: attrs(d['edge_defaults'], 'edge_defaults', where, diagnostics),
    node: attrs(d['node'], 'node', where, diagnostics),
    edge: attrs(d['edge'], 'edge', where, diagnostics),
    sequentialInput: sequentialInput as 'show' | 'hide',
    ...(typeof d['implicit_input_name'] === 'string' ? { implicitInputName: d['implicit_input_name'] } : {}),
    inputLayerShapes: inputLayerShapes as 'list' | 'plain',
    sharedLayerShapes: sharedLayerShapes as 'first' | 'agree',
    cluster: attrs(d['cluster'] ?? { style: 'dashed', labeljust: 'l' }, 'cluster', where, diagnostics),
    label: { format: format as 'html' | 'record', tags: tags as [string, string], template },
  };
  return diagnostics.some((x) => x.severity === 'error') ? { diagnostics } : { style, diagnostics };
}

/** Parses style YAML text. */
export function parseStyle(text: string, where: string): { style?: LabelStyle; diagnostics: Diagnostic[] } {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (e) {
    return { diagnostics: [error('invalid-style', `the label style is not valid YAML: ${(e as Error).message.split('\n')[0]}`, { file: where })] };
  }
  return styleFromData(data, where);
}

const cache = new Map<string, LabelStyle>();

/** A built-in style by name (`keras3`, `keras2`), or a style file by path. */
export function loadStyle(nameOrPath: string): { style?: LabelStyle; diagnostics: Diagnostic[] } {
  const cached = cache.get(nameOrPath);
  if (cached) return { style: cached, diagnostics: [] };
  const builtin = (BUILTIN_STYLES as readonly string[]).includes(nameOrPath);
  const file = builtin ? `${templatesDir}${nameOrPath}.yaml` : nameOrPath;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return {
      diagnostics: [
        error('style-not-found', `cannot read label style '${nameOrPath}'${code === 'ENOENT' ? ': no such file' : `: ${(e as Error).message}`}`, { file: nameOrPath }, `use a built-in style (${BUILTIN_STYLES.join(', ')}) or the path of a style file`),
      ],
    };
  }
  const result = parseStyle(text, builtin ? `templates/styles/${nameOrPath}.yaml` : nameOrPath);
  if (result.style) cache.set(nameOrPath, result.style);
  return result;
}
