/**
 * Keras `model.to_json()` files (reference/keras.md §6.1-6.2), and TensorFlow.js `model.json`
 * files that carry such a config under `modelTopology` (§6.4; their weight shards are read by
 * tfjs-weights.ts when the model is run).
 *
 * - Keras 2 / tf.keras: `{"class_name": "Sequential" | "Model" | "Functional", "config": …}`.
 *   A Sequential config is a mapping with `layers`, or (Keras 1, Keras 2.0) the bare list.
 *   Functional layers name their calls in `inbound_nodes`, one list per call of
 *   `[layer, node, tensor, kwargs]` entries (Keras 1: without kwargs); `input_layers` and
 *   `output_layers` are lists of `[layer, node, tensor]`.
 * - Keras 3: the same, plus `module`/`registered_name`/`build_config`, calls as
 *   `{"args": […], "kwargs": {…}}` whose tensors are `__keras_tensor__` objects with a
 *   `keras_history`, and `input_layers`/`output_layers` possibly flat (`["dense_8", 0, 0]`).
 *   The shapes Keras recorded (a `__keras_tensor__`'s `shape`, a layer's
 *   `build_config.input_shape`) become the `recordedShapes` of the layer that produced that
 *   tensor, so that shapes after a layer densegraph does not know are still known. Keras 2's
 *   `batch_input_shape` on a layer that is not first is not used: Keras ignores it, and real
 *   files carry stale copies of the model's input shape there (k2_08).
 *
 * Layer configs keep Keras's snake_case keys. For classes in the registry, keys its schema does
 * not know are dropped with one `ignored-argument` warning per layer, Keras 1 argument names are
 * read as their Keras 2 names with a `legacy-argument` warning, and `null` for an optional
 * argument that cannot be null means "not given". Classes densegraph does not know keep their
 * config as written; the validate pass reports them. Only structure is read here: values are
 * checked by passes/validate.ts, references to layers here so that errors point into the file.
 */
import { error, hasErrors, warning, type Diagnostic, type SourceLoc } from '../ir/diagnostics.js';
import type { LayerIR, ModelIR, ModelKind, TensorRef } from '../ir/model.js';
import type { Shape } from '../ir/shape.js';
import { didYouMean } from '../ir/suggest.js';
import { resolveAlias } from '../layers/aliases.js';
import { layerDef } from '../layers/registry.js';
import type { ParsedSource } from './source.js';

type Path = (string | number)[];

/** Keras class names of whole models; `Model` is Keras 2's (≤ TF 2.3) name of Functional. */
const MODEL_CLASSES: Readonly<Record<string, ModelKind>> = { Sequential: 'Sequential', Functional: 'Functional', Model: 'Functional' };

/**
 * Keras 1 argument names and the Keras 2 names they became (Keras 2.0 `legacy/interfaces.py`),
 * for the registry classes Keras 1 files use.
 */
export const KERAS1_NAMES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  Dense: {
    output_dim: 'units', init: 'kernel_initializer', bias: 'use_bias',
    W_regularizer: 'kernel_regularizer', b_regularizer: 'bias_regularizer',
    W_constraint: 'kernel_constraint', b_constraint: 'bias_constraint', input_dtype: 'dtype',
  },
  Embedding: { init: 'embeddings_initializer', W_regularizer: 'embeddings_regularizer', W_constraint: 'embeddings_constraint', input_dtype: 'dtype' },
  Dropout: { p: 'rate' },
  SpatialDropout1D: { p: 'rate' },
  GaussianDropout: { p: 'rate' },
  AlphaDropout: { p: 'rate' },
  GaussianNoise: { sigma: 'stddev' },
  BatchNormalization: { beta_init: 'beta_initializer', gamma_init: 'gamma_initializer' },
};

/** Recorded output shapes of one model's layers: layer name → call → output → shape. */
type Recorded = Map<string, (Shape | null)[][]>;

interface Reader {
  readonly source: ParsedSource;
  readonly diagnostics: Diagnostic[];
  /** The shapes recorded so far in the model being read. */
  recorded: Recorded;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isIndex(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= 0;
}

function isKerasObject(x: unknown): x is Record<string, unknown> {
  return isPlainObject(x) && typeof x['class_name'] === 'string' && 'config' in x;
}

/** Where the Keras model object is: the top level, or inside a TensorFlow.js `modelTopology`. */
function modelPath(data: unknown): Path | undefined {
  if (!isPlainObject(data)) return undefined;
  const topology = data['modelTopology'];
  if (isPlainObject(topology)) return isPlainObject(topology['model_config']) ? ['modelTopology', 'model_config'] : ['modelTopology'];
  if (isKerasObject(data)) return [];
  return undefined;
}

/** True if parsed data is a Keras to_json() object or a TensorFlow.js model.json (format detection). */
export function isKerasJsonData(data: unknown): boolean {
  return modelPath(data) !== undefined;
}

function at(data: unknown, path: Path): unknown {
  let v = data;
  for (const k of path) v = (v as Record<string | number, unknown>)[k];
  return v;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function ref(layer: string, call: number, output: number): TensorRef {
  return { layer, ...(call ? { call } : {}), ...(output ? { output } : {}) };
}

/**
 * One tensor as Keras 2 writes it: `[layer, node, tensor]` (input/output layers, Keras 1
 * inbound entries) or `[layer, node, tensor, kwargs]`.
 */
function readListRef(value: unknown, path: Path, names: ReadonlySet<string>, what: string, r: Reader): TensorRef | undefined {
  const loc = r.source.locate(path);
  if (!Array.isArray(value) || (value.length !== 3 && value.length !== 4) || typeof value[0] !== 'string' || !isIndex(value[1]) || !isIndex(value[2]) || (value.length === 4 && !isPlainObject(value[3]))) {
    r.diagnostics.push(error('invalid-tensor', `${what}: a tensor is written [layer_name, node_index, tensor_index] (optionally with a kwargs mapping), got ${describe(value)}`, loc));
    return undefined;
  }
  return checkName(ref(value[0], value[1], value[2]), loc, names, what, r);
}

function checkName(t: TensorRef, loc: SourceLoc, names: ReadonlySet<string>, what: string, r: Reader): TensorRef | undefined {
  if (names.has(t.layer)) return t;
  r.diagnostics.push(error('dangling-reference', `${what} names the layer '${t.layer}', but the model has no layer of that name.${didYouMean(t.layer, [...names])}`, loc, `layers in this model: ${[...names].slice(0, 20).join(', ')}`));
  return undefined;
}

/** The `__keras_tensor__` objects in a Keras 3 call's args (in order, also inside lists). */
function kerasTensors(value: unknown, path: Path, names: ReadonlySet<string>, what: string, r: Reader, out: TensorRef[]): number {
  let found = 0;
  if (Array.isArray(value)) {
    value.forEach((v, i) => (found += kerasTensors(v, [...path, i], names, what, r, out)));
  } else if (isPlainObject(value) && value['class_name'] === '__keras_tensor__') {
    found = 1;
    const history = isPlainObject(value['config']) ? value['config']['keras_history'] : undefined;
    const hpath = [...path, 'config', 'keras_history'];
    if (!Array.isArray(history) || history.length !== 3 || typeof history[0] !== 'string' || !isIndex(history[1]) || !isIndex(history[2])) {
      r.diagnostics.push(error('invalid-tensor', `${what}: a __keras_tensor__ needs config.keras_history: [layer_name, node_index, tensor_index], got ${describe(history)}`, r.source.locate(hpath)));
    } else {
      const t = checkName(ref(history[0], history[1], history[2]), r.source.locate(hpath), names, what, r);
      if (t) {
        out.push(t);
        const shape = asShape((value['config'] as Record<string, unknown>)['shape']);
        if (shape) record(r.recorded, t, shape);
      }
    }
  } else if (isPlainObject(value)) {
    for (const [k, v] of Object.entries(value)) found += kerasTensors(v, [...path, k], names, what, r, out);
  }
  return found;
}

/** A shape as Keras writes it (`[null, 28, 28, 1]`), or undefined for anything else. */
function asShape(value: unknown): Shape | undefined {
  return Array.isArray(value) && value.length > 0 && value.every((d) => d === null || isIndex(d)) ? (value as Shape) : undefined;
}

/** Notes the shape of tensor `t`, unless one was already noted (a `__keras_tensor__` comes first). */
function record(recorded: Recorded, t: TensorRef, shape: Shape): void {
  const calls = recorded.get(t.layer) ?? [];
  recorded.set(t.layer, calls);
  const outputs = (calls[t.call ?? 0] ??= []);
  outputs[t.output ?? 0] ??= shape;
}

/**
 * `build_config.input_shape` (Keras 3, tf.keras 2.13+): the shapes of the tensors a layer was
 * first called on, which are the outputs of the layers it takes them from — in a functional
 * model its first call's tensors, in a Sequential the layer listed before it.
 */
function recordBuildShapes(items: readonly unknown[], layers: readonly (LayerIR | undefined)[], kind: ModelKind, recorded: Recorded): void {
  items.forEach((item, i) => {
    const build = isPlainObject(item) ? item['build_config'] : undefined;
    const given = isPlainObject(build) ? build['input_shape'] : undefined;
    if (given === undefined || given === null) return;
    const single = asShape(given);
    const several = Array.isArray(given) && given.length > 0 && given.every((g) => asShape(g)) ? (given as Shape[]) : undefined;
    if (kind === 'Sequential') {
      const previous = layers[i - 1]?.name;
      if (previous !== undefined && single) record(recorded, { layer: previous }, single);
      return;
    }
    const inbound = layers[i]?.calls[0] ?? [];
    if (inbound.length === 1 && single) record(recorded, inbound[0]!, single);
    else if (several && several.length === inbound.length) inbound.forEach((t, j) => record(recorded, t, several[j]!));
  });
}

/** `inbound_nodes`: one entry per call, in the Keras 2 list form or the Keras 3 args form. */
function readInboundNodes(value: unknown, path: Path, names: ReadonlySet<string>, layerName: string, r: Reader): TensorRef[][] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    r.diagnostics.push(error('invalid-inbound-nodes', `'inbound_nodes' of layer '${layerName}' must be a list with one entry per call, got ${describe(value)}`, r.source.locate(path)));
    return [];
  }
  const what = `an inbound node of layer '${layerName}'`;
  const calls: TensorRef[][] = [];
  value.forEach((node, i) => {
    const npath = [...path, i];
    const call: TensorRef[] = [];
    if (Array.isArray(node)) {
      if (node.length === 0) r.diagnostics.push(error('invalid-inbound-nodes', `${what} lists no tensors`, r.source.locate(npath)));
      node.forEach((entry, j) => {
        const t = readListRef(entry, [...npath, j], names, what, r);
        if (t) call.push(t);
      });
    } else if (isPlainObject(node) && ('args' in node || 'kwargs' in node)) {
      // Keras 3: tensors are the __keras_tensor__ objects in args; a layer called with
      // keyword arguments only (`layer(inputs=x)`) has them in kwargs.
      let found = kerasTensors(node['args'], [...npath, 'args'], names, what, r, call);
      if (found === 0) found = kerasTensors(node['kwargs'], [...npath, 'kwargs'], names, what, r, call);
      if (found === 0) r.diagnostics.push(error('invalid-inbound-nodes', `${what} is called on no tensor (no __keras_tensor__ in its args)`, r.source.locate(npath)));
    } else {
      r.diagnostics.push(
        error('invalid-inbound-nodes', `${what} must be a list of [layer_name, node_index, tensor_index, kwargs] entries (Keras 2) or a mapping with args and kwargs (Keras 3), got ${describe(node)}`, r.source.locate(npath)),
      );
    }
    calls.push(call);
  });
  return calls;
}

/** `input_layers` / `output_layers`: a list of `[name, node, tensor]`, or one flat (Keras 3), or a mapping of them. */
function readEndpoints(value: unknown, path: Path, names: ReadonlySet<string>, key: string, r: Reader): TensorRef[] {
  const what = `'${key}'`;
  if (value === undefined) {
    r.diagnostics.push(error('invalid-keras-model', `a functional model needs '${key}', a list of [layer_name, node_index, tensor_index]`, r.source.locate(path.slice(0, -1))));
    return [];
  }
  if (Array.isArray(value) && typeof value[0] === 'string') {
    const t = readListRef(value, path, names, what, r);
    return t ? [t] : [];
  }
  const entries: [unknown, Path][] = Array.isArray(value)
    ? value.map((v, i) => [v, [...path, i]])
    : isPlainObject(value)
      ? Object.entries(value).map(([k, v]) => [v, [...path, k]])
      : [];
  if (entries.length === 0) {
    r.diagnostics.push(error('invalid-keras-model', `${what} must be a non-empty list of [layer_name, node_index, tensor_index], got ${describe(value)}`, r.source.locate(path)));
    return [];
  }
  return entries.map(([v, p]) => readListRef(v, p, names, what, r)).filter((t): t is TensorRef => t !== undefined);
}

/** Keras 1's regularizer mapping `{name: 'L1L2Regularizer', l1, l2}` as a Keras 2 object. */
function keras1Value(value: unknown): unknown {
  if (isPlainObject(value) && typeof value['name'] === 'string' && /Regularizer$/.test(value['name']) && !('class_name' in value)) {
    const { name: _name, ...config } = value;
    return { class_name: 'L1L2', config };
  }
  return value;
}

/** A registry layer's config: keys of its schema kept, Keras 1 names renamed, others dropped. */
function readConfig(className: string, cfg: Record<string, unknown>, cfgPath: Path, loc: SourceLoc, r: Reader): { config: Record<string, unknown>; argLocs: Record<string, SourceLoc> } {
  const config: Record<string, unknown> = {};
  const argLocs: Record<string, SourceLoc> = {};
  const def = layerDef(className);
  if (!def) {
    // Unknown here (Conv2D, LSTM, Keras 1 Merge, …): kept as written for the validate pass.
    for (const [k, v] of Object.entries(cfg)) {
      config[k] = v;
      argLocs[k] = r.source.locate([...cfgPath, k]);
    }
    return { config, argLocs };
  }
  const schema = def.schema;
  const renames = KERAS1_NAMES[className] ?? {};
  const dropped: string[] = [];
  const renamed: string[] = [];
  for (const [k, v] of Object.entries(cfg)) {
    let key = k;
    let value = v;
    const newName = renames[k];
    if (newName && !(k in schema) && !(newName in cfg)) {
      key = newName;
      value = keras1Value(v);
      renamed.push(`${k} → ${key}`);
    }
    const field = schema[key];
    if (!field) {
      dropped.push(k);
      continue;
    }
    // Keras writes None for an argument that was not given.
    if (value === null && !field.nullable && !field.required) continue;
    config[key] = value;
    argLocs[key] = r.source.locate([...cfgPath, k]);
  }
  if (renamed.length) {
    r.diagnostics.push(warning('legacy-argument', `Keras 1 arguments of ${className} read as their Keras 2 names: ${renamed.join(', ')}`, loc));
  }
  if (dropped.length) {
    r.diagnostics.push(
      warning('ignored-argument', `${className} argument${dropped.length === 1 ? '' : 's'} ${dropped.map((k) => `'${k}'`).join(', ')} ${dropped.length === 1 ? 'is' : 'are'} not read by densegraph and ignored`, loc, 'they do not change shapes or parameter counts; remove them to silence this warning'),
    );
  }
  return { config, argLocs };
}

function readLayer(item: unknown, path: Path, kind: ModelKind, names: ReadonlySet<string>, r: Reader): LayerIR | undefined {
  const { source, diagnostics } = r;
  const loc = source.locate(path);
  if (!isPlainObject(item)) {
    diagnostics.push(error('invalid-layer', `a layer is a mapping with class_name and config, got ${describe(item)}`, loc));
    return undefined;
  }
  const className = item['class_name'];
  if (typeof className !== 'string' || className.length === 0) {
    diagnostics.push(error('invalid-layer', `a layer needs a 'class_name' string, got ${describe(className)}`, source.locate([...path, 'class_name'])));
    return undefined;
  }
  const cfgPath = [...path, 'config'];
  const cfg = item['config'];
  const modelKind = MODEL_CLASSES[className];
  if (!isPlainObject(cfg) && !(modelKind === 'Sequential' && Array.isArray(cfg))) {
    diagnostics.push(error('missing-config', `the ${className} layer needs a 'config' mapping with its arguments, got ${describe(cfg)}`, cfg === undefined ? loc : source.locate(cfgPath)));
    return undefined;
  }
  const entryName = typeof item['name'] === 'string' ? item['name'] : undefined;
  const cfgName = isPlainObject(cfg) && typeof cfg['name'] === 'string' ? cfg['name'] : undefined;
  const name = entryName ?? cfgName;
  const calls = kind === 'Functional' ? readInboundNodes(item['inbound_nodes'], [...path, 'inbound_nodes'], names, name ?? className, r) : [];
  if (modelKind) {
    const inner = readModel(item, path, modelKind, r);
    if (!inner) return undefined;
    const config: Record<string, unknown> = { ...(name !== undefined ? { name } : {}), ...(isPlainObject(cfg) && typeof cfg['trainable'] === 'boolean' ? { trainable: cfg['trainable'] } : {}) };
    return { className: inner.kind, config, calls, model: name !== undefined ? { ...inner, name } : inner, loc, ...(name !== undefined ? { name } : {}) };
  }
  const { config, argLocs } = readConfig(className, cfg as Record<string, unknown>, cfgPath, loc, r);
  if (name !== undefined) {
    config['name'] = name;
    argLocs['name'] ??= source.locate(entryName !== undefined ? [...path, 'name'] : [...cfgPath, 'name']);
  }
  // A class the registry does not know (under none of Keras's names) is kept as it is.
  const known = layerDef(className) ?? layerDef((resolveAlias(className, { ...config }) as { className?: string }).className ?? '');
  return { className, config, calls, loc, argLocs, ...(name !== undefined ? { name } : {}), ...(known ? {} : { opaque: true }) };
}

function readModel(obj: Record<string, unknown>, path: Path, kind: ModelKind, r: Reader): ModelIR | undefined {
  const { source, diagnostics } = r;
  const cfgPath = [...path, 'config'];
  const cfg = obj['config'];
  let layersData: unknown;
  let layersPath: Path;
  let name: unknown;
  if (Array.isArray(cfg) && kind === 'Sequential') {
    // Keras 1 and 2.0: the Sequential config is the list of layers.
    layersData = cfg;
    layersPath = cfgPath;
  } else if (isPlainObject(cfg)) {
    layersData = cfg['layers'];
    layersPath = [...cfgPath, 'layers'];
    name = cfg['name'];
  } else {
    diagnostics.push(error('invalid-keras-model', `the config of a ${String(obj['class_name'])} model must be a mapping with a layers list${kind === 'Sequential' ? ' (or the list itself)' : ''}, got ${describe(cfg)}`, source.locate(cfg === undefined ? path : cfgPath)));
    return undefined;
  }
  if (name !== undefined && (typeof name !== 'string' || name.length === 0)) {
    diagnostics.push(error('invalid-name', `the model name must be a non-empty string, got ${describe(name)}`, source.locate([...cfgPath, 'name'])));
  }
  if (!Array.isArray(layersData)) {
    diagnostics.push(error('missing-layers', `the model config needs a 'layers' list, got ${describe(layersData)}`, source.locate(layersData === undefined ? cfgPath : layersPath)));
    return undefined;
  }
  const names = new Set<string>();
  for (const item of layersData) {
    if (!isPlainObject(item)) continue;
    const n = typeof item['name'] === 'string' ? item['name'] : isPlainObject(item['config']) ? item['config']['name'] : undefined;
    if (typeof n === 'string') names.add(n);
  }
  const outer = r.recorded;
  r.recorded = new Map();
  const read = layersData.map((item, i) => readLayer(item, [...layersPath, i], kind, names, r));
  recordBuildShapes(layersData, read, kind, r.recorded);
  const recorded = r.recorded;
  r.recorded = outer;
  const layers = read
    .filter((l): l is LayerIR => l !== undefined)
    .map((l) => {
      const shapes = l.name !== undefined ? recorded.get(l.name) : undefined;
      return shapes ? { ...l, recordedShapes: Array.from(shapes, (outputs) => Array.from(outputs ?? [], (s) => s ?? null)) } : l;
    });
  const modelName = typeof name === 'string' && name.length > 0 ? name : kind === 'Sequential' ? 'sequential' : 'functional';
  const loc = source.locate(path);
  if (kind === 'Sequential') return { name: modelName, kind, layers, inputs: [], outputs: [], loc };
  const c = cfg as Record<string, unknown>;
  const inputs = readEndpoints(c['input_layers'], [...cfgPath, 'input_layers'], names, 'input_layers', r);
  const outputs = readEndpoints(c['output_layers'], [...cfgPath, 'output_layers'], names, 'output_layers', r);
  return { name: modelName, kind, layers, inputs: inputs.map((t) => t.layer), outputs, loc };
}

/** Builds the IR from a parsed Keras to_json() or TensorFlow.js model.json document. */
export function kerasJsonToIR(source: ParsedSource, file?: string): { model?: ModelIR; diagnostics: Diagnostic[] } {
  const r: Reader = { source, diagnostics: [], recorded: new Map() };
  const data = source.data;
  const path = modelPath(data);
  const obj = path ? at(data, path) : undefined;
  const where = (p: Path): SourceLoc => ({ ...(file ? { file } : {}), ...source.locate(p) });
  if (!path || !isKerasObject(obj)) {
    const p = path ?? [];
    return {
      diagnostics: [
        error('invalid-keras-model', `expected a Keras model object {"class_name": "Sequential" | "Functional" | "Model", "config": {…}}${p.length ? ` at ${p.join('.')}` : ''}, got ${describe(obj ?? data)}`, where(p), 'write the file with model.to_json()'),
      ],
    };
  }
  const className = obj['class_name'] as string;
  const kind = MODEL_CLASSES[className];
  if (!kind) {
    return {
      diagnostics: [error('invalid-keras-model', `the top-level object is a '${className}', not a model (Sequential, Functional or Model)`, where([...path, 'class_name']), 'write the file with model.to_json() of a Sequential or functional model')],
    };
  }
  const model = readModel(obj, path, kind, r);
  if (!model || hasErrors(r.diagnostics)) return { diagnostics: r.diagnostics };
  return { model, diagnostics: r.diagnostics };
}
