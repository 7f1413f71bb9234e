/**
 * The densegraph spec format (docs/spec-format.md), YAML or JSON. A Sequential model:
 *
 *   name: binary_classifier
 *   layers:
 *     - Dense: {units: 8, input_dim: 4, activation: relu}
 *     - Dropout: 0.5          # a scalar is the first positional argument
 *     - Flatten               # a bare class name: no arguments
 *
 * A functional model adds `inputs` and `outputs`, and each layer names what it is called on:
 *
 *   inputs: {x: {shape: [16]}}
 *   layers:
 *     - Dense: {units: 16, name: h}
 *       inbound: x            # default: the output of the entry before it
 *     - Add: {}
 *       inbound: [x, h]
 *   outputs: add
 *
 * Arguments keep their Keras (snake_case) names. This frontend only reads structure; the
 * arguments are checked against the layer schemas by passes/validate.ts.
 */
import { error, type Diagnostic, type SourceLoc } from '../ir/diagnostics.js';
import { parseRef, refText, type LayerIR, type ModelIR, type TensorRef } from '../ir/model.js';
import { createNamer } from '../ir/naming.js';
import { layerDef } from '../layers/registry.js';
import { parseSource, type ParsedSource } from './source.js';

export const SPEC_FORMAT_VERSION = 1;
const TOP_LEVEL_KEYS = ['densegraph', 'name', 'trainable', 'inputs', 'layers', 'outputs'] as const;
/** Classes whose entry holds a whole model (a nested model); `Model` is Keras 2's name of Functional. */
const MODEL_CLASSES: Readonly<Record<string, 'Sequential' | 'Functional'>> = { Sequential: 'Sequential', Functional: 'Functional', Model: 'Functional' };
const CALL_KEYS = ['inbound', 'calls'] as const;

type Path = (string | number)[];

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** True if parsed data looks like a densegraph spec (used by format detection). */
export function isSpecData(data: unknown): boolean {
  return isPlainObject(data) && Array.isArray(data['layers']) && !('class_name' in data) && !('modelTopology' in data);
}

interface Reader {
  readonly source: ParsedSource;
  readonly diagnostics: Diagnostic[];
}

function positionalArgs(className: string, values: readonly unknown[], loc: SourceLoc, r: Reader): Record<string, unknown> {
  const names = layerDef(className)?.positional ?? [];
  if (values.length > names.length) {
    r.diagnostics.push(
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

/** A tensor reference: `name`, `name[1]` (second call) or `name[1][0]`. */
function readRef(value: unknown, path: Path, r: Reader): TensorRef | undefined {
  if (typeof value === 'string' && value.length > 0) return parseRef(value);
  r.diagnostics.push(error('invalid-reference', `a tensor is named by its layer's name (e.g. 'dense' or 'shared[1]' for a second call), got ${JSON.stringify(value)}`, r.source.locate(path)));
  return undefined;
}

/** One call: a name, or a list of names for a layer that takes several tensors. */
function readCall(value: unknown, path: Path, r: Reader): TensorRef[] {
  const items = Array.isArray(value) ? value : [value];
  return items.map((v, i) => readRef(v, Array.isArray(value) ? [...path, i] : path, r)).filter((x): x is TensorRef => x !== undefined);
}

function readLayer(item: unknown, path: Path, r: Reader): LayerIR | undefined {
  const { source, diagnostics } = r;
  const loc = source.locate(path);
  if (typeof item === 'string') return { className: item, config: {}, calls: [], loc };
  if (!isPlainObject(item)) {
    diagnostics.push(error('invalid-layer', `a layer entry must be a mapping like '- Dense: {units: 8}' or a class name, got ${JSON.stringify(item)}`, loc));
    return undefined;
  }
  let className: string;
  let args: unknown;
  let argsPath: Path;
  const keys = Object.keys(item).filter((k) => !(CALL_KEYS as readonly string[]).includes(k));
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
      error('invalid-layer', `a layer entry has exactly one key besides inbound/calls, its class name; found ${keys.length === 0 ? 'none' : `the keys ${keys.join(', ')}`}`, loc, 'write the arguments under the class name: - Dense: {units: 8, activation: relu}'),
    );
    return undefined;
  }
  const calls: TensorRef[][] = [];
  if ('inbound' in item && 'calls' in item) diagnostics.push(error('invalid-layer', "give either 'inbound' (one call) or 'calls' (several), not both", loc));
  if ('inbound' in item) calls.push(readCall(item['inbound'], [...path, 'inbound'], r));
  if ('calls' in item) {
    const list = item['calls'];
    if (!Array.isArray(list) || list.length === 0) diagnostics.push(error('invalid-layer', `'calls' is a list with one entry per call, got ${JSON.stringify(list)}`, source.locate([...path, 'calls'])));
    else list.forEach((c, i) => calls.push(readCall(c, [...path, 'calls', i], r)));
  }
  const argsLoc = source.locate(argsPath);
  const layerLoc = argsLoc.line !== undefined ? { ...argsLoc, path: loc.path } : loc;
  const modelClass = MODEL_CLASSES[className];
  if (modelClass) {
    if (!isPlainObject(args)) {
      diagnostics.push(error('invalid-layer', `a nested ${className} holds a model: a mapping with layers:, got ${JSON.stringify(args)}`, argsLoc));
      return undefined;
    }
    const inner = readModel(args, argsPath, r, modelClass === 'Sequential' && !('inputs' in args) ? 'Sequential' : 'Functional');
    if (!inner) return undefined;
    const name = args['name'];
    return {
      className: inner.kind,
      config: { ...(typeof name === 'string' ? { name } : {}), ...('trainable' in args ? { trainable: args['trainable'] } : {}) },
      calls,
      model: inner,
      loc: layerLoc,
      ...(typeof name === 'string' ? { name } : {}),
    };
  }
  let config: Record<string, unknown>;
  const argLocs: Record<string, SourceLoc> = {};
  if (args === null || args === undefined) config = {};
  else if (isPlainObject(args)) {
    config = { ...args };
    for (const k of Object.keys(args)) argLocs[k] = source.locate([...argsPath, k]);
  } else if (Array.isArray(args)) config = positionalArgs(className, args, argsLoc, r);
  else config = positionalArgs(className, [args], argsLoc, r);
  for (const k of Object.keys(config)) argLocs[k] ??= argsLoc;
  const name = config['name'];
  return { className, config, calls, loc: layerLoc, argLocs, ...(typeof name === 'string' ? { name } : {}) };
}

function readInputs(value: unknown, path: Path, r: Reader): LayerIR[] {
  if (!isPlainObject(value)) {
    r.diagnostics.push(error('invalid-inputs', `inputs: is a mapping from input name to its arguments, e.g. {x: {shape: [4]}}, got ${JSON.stringify(value)}`, r.source.locate(path)));
    return [];
  }
  return Object.entries(value).map(([name, args]) => {
    const argsPath = [...path, name];
    const loc = r.source.locate(argsPath);
    let config: Record<string, unknown>;
    if (Array.isArray(args) || typeof args === 'number') config = { shape: args };
    else if (isPlainObject(args)) config = { ...args };
    else {
      r.diagnostics.push(error('invalid-inputs', `input '${name}' needs its shape, e.g. ${name}: {shape: [4]}`, loc));
      config = {};
    }
    const argLocs: Record<string, SourceLoc> = {};
    for (const k of Object.keys(config)) argLocs[k] = isPlainObject(args) ? r.source.locate([...argsPath, k]) : loc;
    return { className: 'InputLayer', name, config: { ...config, name }, calls: [], loc, argLocs };
  });
}

function readOutputs(value: unknown, path: Path, r: Reader): TensorRef[] {
  if (value === undefined) {
    r.diagnostics.push(error('no-outputs', 'a functional model (one with inputs:) needs outputs:, the layers whose outputs are the model\'s', r.source.locate([]), 'add outputs: [name_of_last_layer]'));
    return [];
  }
  return readCall(value, path, r);
}

function readModel(data: Record<string, unknown>, path: Path, r: Reader, kind: 'Sequential' | 'Functional'): ModelIR | undefined {
  const { source, diagnostics } = r;
  const top = source.locate(path);
  for (const key of Object.keys(data)) {
    if (!(TOP_LEVEL_KEYS as readonly string[]).includes(key) || (path.length > 0 && key === 'densegraph')) {
      diagnostics.push(error('unknown-key', `unknown key '${key}' in the ${path.length ? 'nested model' : 'spec'}`, source.locate([...path, key]), `valid keys: ${TOP_LEVEL_KEYS.join(', ')}`));
    }
  }
  if (kind === 'Sequential' && ('inputs' in data || 'outputs' in data)) kind = 'Functional';
  const name = data['name'] ?? (kind === 'Sequential' ? 'sequential' : 'functional');
  if (typeof name !== 'string' || name.length === 0) {
    diagnostics.push(error('invalid-name', `the model name must be a non-empty string, got ${JSON.stringify(name)}`, source.locate([...path, 'name'])));
  }
  const layersData = data['layers'];
  if (!Array.isArray(layersData)) {
    diagnostics.push(error('missing-layers', `the spec needs a layers: list, got ${layersData === undefined ? 'none' : JSON.stringify(layersData)}`, source.locate([...path, 'layers']), 'add layers:\n    - Dense: {units: 8, input_dim: 4}'));
    return undefined;
  }
  const layers: LayerIR[] = [];
  const inputs = kind === 'Functional' ? readInputs(data['inputs'] ?? {}, [...path, 'inputs'], r) : [];
  if (kind === 'Functional' && inputs.length === 0) diagnostics.push(error('no-inputs', 'a functional model needs at least one input under inputs:', source.locate([...path, 'inputs']), 'add inputs: {x: {shape: [4]}}'));
  const read: LayerIR[] = [];
  layersData.forEach((item, i) => {
    const layer = readLayer(item, [...path, 'layers', i], r);
    if (!layer) return;
    if (kind === 'Functional' && layer.className === 'InputLayer') {
      diagnostics.push(error('invalid-layer', 'in a functional model, inputs are declared under inputs:, not as InputLayer entries', layer.loc));
      return;
    }
    if (kind === 'Sequential' && layer.calls.length) {
      diagnostics.push(error('invalid-layer', "layers of a Sequential model take the previous layer's output; inbound:/calls: belong to functional models (add inputs: and outputs:)", layer.loc));
    }
    read.push(layer);
  });
  if (kind === 'Sequential') layers.push(...read);
  else {
    // Unnamed layers get their Keras names here already, so that an entry without inbound can
    // refer to the one before it; the names pass then finds every layer named.
    const nameFor = createNamer([...inputs, ...read].map((l) => l.name).filter((n): n is string => n !== undefined));
    let previous: TensorRef | undefined = inputs.length === 1 ? { layer: inputs[0]!.name! } : undefined;
    read.forEach((entry, i) => {
      const name = entry.name ?? nameFor(entry.className);
      let layer: LayerIR = entry.name ? entry : { ...entry, name, config: { ...entry.config, name }, ...(entry.model ? { model: { ...entry.model, name } } : {}) };
      if (layer.calls.length === 0) {
        // Sugar: an entry without inbound takes the output of the entry before it.
        if (!previous) {
          diagnostics.push(error('missing-inbound', `the layer '${name}' (layers[${i}]) does not say what it is called on`, layer.loc, `add inbound: <name of an input or layer>${inputs.length > 1 ? ' (the model has several inputs, so the first layer cannot take one by default)' : ''}`));
          return;
        }
        layer = { ...layer, calls: [[previous]] };
      }
      layers.push(layer);
      previous = { layer: name };
    });
  }
  const outputs = kind === 'Functional' ? readOutputs(data['outputs'], [...path, 'outputs'], r) : [];
  return {
    name: typeof name === 'string' ? name : 'model',
    kind,
    layers: [...inputs, ...layers],
    inputs: inputs.map((l) => l.name!),
    outputs,
    loc: top,
  };
}

/** Builds the IR from parsed spec data. */
export function specToIR(source: ParsedSource): { model?: ModelIR; diagnostics: Diagnostic[] } {
  const r: Reader = { source, diagnostics: [] };
  const data = source.data;
  if (!isPlainObject(data)) {
    return { diagnostics: [error('invalid-spec', 'a densegraph spec is a mapping with a layers: list', source.locate([]), 'see docs/spec-format.md')] };
  }
  const version = data['densegraph'];
  if (version !== undefined && version !== SPEC_FORMAT_VERSION) {
    r.diagnostics.push(error('unsupported-version', `this densegraph reads spec format version ${SPEC_FORMAT_VERSION}, the file says ${JSON.stringify(version)}`, source.locate(['densegraph'])));
  }
  const model = readModel(data, [], r, 'inputs' in data || 'outputs' in data ? 'Functional' : 'Sequential');
  if (!model || r.diagnostics.some((d) => d.severity === 'error')) return { diagnostics: r.diagnostics };
  return { model, diagnostics: r.diagnostics };
}

/** Parses spec text (YAML or JSON). */
export function parseSpec(text: string, file?: string): { model?: ModelIR; diagnostics: Diagnostic[] } {
  const parsed = parseSource(text, file);
  if (!parsed.source) return { diagnostics: parsed.diagnostics };
  return specToIR(parsed.source);
}

function callText(call: readonly TensorRef[]): string | string[] {
  return call.length === 1 ? refText(call[0]!) : call.map(refText);
}

function modelToSpec(model: ModelIR): Record<string, unknown> {
  const out: Record<string, unknown> = { name: model.name };
  if (model.kind === 'Functional') {
    // In the model's input order, which a file may give apart from the layer order.
    const rank = (l: LayerIR) => {
      const i = model.inputs.indexOf(l.name!);
      return i < 0 ? model.inputs.length : i;
    };
    out['inputs'] = Object.fromEntries(
      model.layers.filter((l) => l.className === 'InputLayer').sort((a, b) => rank(a) - rank(b)).map((l) => {
        const { name: _name, ...args } = l.config;
        return [l.name!, args];
      }),
    );
  }
  out['layers'] = model.layers
    .filter((l) => !l.implicit && !(model.kind === 'Functional' && l.className === 'InputLayer'))
    .map((l) => {
      const entry: Record<string, unknown> = { [l.className]: l.model ? { ...modelToSpec(l.model), ...l.config } : { ...l.config } };
      if (model.kind === 'Functional') {
        if (l.calls.length === 1) entry['inbound'] = callText(l.calls[0]!);
        else if (l.calls.length > 1) entry['calls'] = l.calls.map(callText);
      }
      return entry;
    });
  if (model.kind === 'Functional') out['outputs'] = model.outputs.map(refText);
  return out;
}

/**
 * The spec document of a model as written (before the passes): the inverse of specToIR, used
 * by round-trip tests and to turn builder or imported models into specs.
 */
export function irToSpec(model: ModelIR): Record<string, unknown> {
  return { densegraph: SPEC_FORMAT_VERSION, ...modelToSpec(model) };
}
