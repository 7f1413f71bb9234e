/**
 * The densegraph spec format (docs/spec-format.md), YAML or JSON:
 *
 *   name: binary_classifier
 *   layers:
 *     - Dense: {units: 8, input_dim: 4, activation: relu}
 *     - Dropout: 0.5          # a scalar is the first positional argument
 *     - Flatten               # a bare class name: no arguments
 *
 * Arguments keep their Keras (snake_case) names. This frontend only reads structure; the
 * arguments are checked against the layer schemas by passes/validate.ts.
 */
import { error, type Diagnostic, type SourceLoc } from '../ir/diagnostics.js';
import type { LayerIR, ModelIR } from '../ir/model.js';
import { layerDef } from '../layers/registry.js';
import { parseSource, type ParsedSource } from './source.js';

export const SPEC_FORMAT_VERSION = 1;
const TOP_LEVEL_KEYS = ['densegraph', 'name', 'layers'] as const;

type Path = (string | number)[];

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** True if parsed data looks like a densegraph spec (used by format detection). */
export function isSpecData(data: unknown): boolean {
  return isPlainObject(data) && Array.isArray(data['layers']) && !('class_name' in data) && !('modelTopology' in data);
}

function positionalArgs(className: string, values: readonly unknown[], loc: SourceLoc, diagnostics: Diagnostic[]): Record<string, unknown> {
  const def = layerDef(className);
  const names = def?.positional ?? [];
  if (values.length > names.length) {
    diagnostics.push(
      error('too-many-positional', `${className} takes at most ${names.length} positional argument${names.length === 1 ? '' : 's'}${names.length ? ` (${names.join(', ')})` : ''}, got ${values.length}`, loc, `name the arguments instead: - ${className}: {${names[0] ?? 'arg'}: …}`),
    );
  }
  const config: Record<string, unknown> = {};
  values.forEach((v, i) => {
    const name = names[i];
    if (name) config[name] = v;
  });
  return config;
}

function readLayer(item: unknown, path: Path, source: ParsedSource, diagnostics: Diagnostic[]): LayerIR | undefined {
  const loc = source.locate(path);
  if (typeof item === 'string') return { className: item, config: {}, inbound: [], loc };
  if (!isPlainObject(item)) {
    diagnostics.push(error('invalid-layer', `a layer entry must be a mapping like '- Dense: {units: 8}' or a class name, got ${JSON.stringify(item)}`, loc));
    return undefined;
  }
  let className: string;
  let args: unknown;
  let argsPath: Path;
  const keys = Object.keys(item);
  if ('class_name' in item && keys.every((k) => k === 'class_name' || k === 'config')) {
    // The Keras serialisation form is accepted too: {class_name: Dense, config: {...}}.
    if (typeof item['class_name'] !== 'string') {
      diagnostics.push(error('invalid-layer', `'class_name' must be a string, got ${JSON.stringify(item['class_name'])}`, source.locate([...path, 'class_name'])));
      return undefined;
    }
    className = item['class_name'];
    args = item['config'] ?? {};
    argsPath = [...path, 'config'];
  } else if (keys.length === 1) {
    className = keys[0]!;
    args = item[className];
    argsPath = [...path, className];
  } else {
    diagnostics.push(
      error('invalid-layer', `a layer entry has exactly one key, its class name; found ${keys.length === 0 ? 'none' : `the keys ${keys.join(', ')}`}`, loc, 'write the arguments under the class name: - Dense: {units: 8, activation: relu}'),
    );
    return undefined;
  }
  const argsLoc = source.locate(argsPath);
  let config: Record<string, unknown>;
  const argLocs: Record<string, SourceLoc> = {};
  if (args === null || args === undefined) config = {};
  else if (isPlainObject(args)) {
    config = { ...args };
    for (const k of Object.keys(args)) argLocs[k] = source.locate([...argsPath, k]);
  } else if (Array.isArray(args)) config = positionalArgs(className, args, argsLoc, diagnostics);
  else config = positionalArgs(className, [args], argsLoc, diagnostics);
  for (const k of Object.keys(config)) argLocs[k] ??= argsLoc;
  const name = config['name'];
  return {
    className,
    config,
    inbound: [],
    loc: argsLoc.line !== undefined ? { ...argsLoc, path: loc.path } : loc,
    argLocs,
    ...(typeof name === 'string' ? { name } : {}),
  };
}

/** Builds the IR from parsed spec data. */
export function specToIR(source: ParsedSource): { model?: ModelIR; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const data = source.data;
  const top = source.locate([]);
  if (!isPlainObject(data)) {
    return { diagnostics: [error('invalid-spec', 'a densegraph spec is a mapping with a layers: list', top, 'see docs/spec-format.md')] };
  }
  for (const key of Object.keys(data)) {
    if (!(TOP_LEVEL_KEYS as readonly string[]).includes(key)) {
      diagnostics.push(error('unknown-key', `unknown top-level key '${key}' in the spec`, source.locate([key]), `valid keys: ${TOP_LEVEL_KEYS.join(', ')}`));
    }
  }
  const version = data['densegraph'];
  if (version !== undefined && version !== SPEC_FORMAT_VERSION) {
    diagnostics.push(error('unsupported-version', `this densegraph reads spec format version ${SPEC_FORMAT_VERSION}, the file says ${JSON.stringify(version)}`, source.locate(['densegraph'])));
  }
  const name = data['name'] ?? 'sequential';
  if (typeof name !== 'string' || name.length === 0) {
    diagnostics.push(error('invalid-name', `the model name must be a non-empty string, got ${JSON.stringify(name)}`, source.locate(['name'])));
  }
  const layersData = data['layers'];
  if (!Array.isArray(layersData)) {
    diagnostics.push(error('missing-layers', `the spec needs a layers: list, got ${layersData === undefined ? 'none' : JSON.stringify(layersData)}`, source.locate(['layers']), 'add layers:\n    - Dense: {units: 8, input_dim: 4}'));
    return { diagnostics };
  }
  const layers: LayerIR[] = [];
  layersData.forEach((item, i) => {
    const layer = readLayer(item, ['layers', i], source, diagnostics);
    if (layer) layers.push(layer);
  });
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  return {
    model: { name: name as string, kind: 'Sequential', layers, inputs: [], outputs: [], loc: top },
    diagnostics,
  };
}

/** Parses spec text (YAML or JSON). */
export function parseSpec(text: string, file?: string): { model?: ModelIR; diagnostics: Diagnostic[] } {
  const parsed = parseSource(text, file);
  if (!parsed.source) return { diagnostics: parsed.diagnostics };
  return specToIR(parsed.source);
}

/**
 * The spec document of a model as written (before the passes): the inverse of specToIR for
 * Sequential models, used by round-trip tests and by `densegraph convert` later.
 */
export function irToSpec(model: ModelIR): Record<string, unknown> {
  return {
    densegraph: SPEC_FORMAT_VERSION,
    name: model.name,
    layers: model.layers.filter((l) => !l.implicit).map((l) => ({ [l.className]: { ...l.config } })),
  };
}
