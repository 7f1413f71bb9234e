/**
 * The weights stored in a Keras 3 `.keras` archive's `model.weights.h5` (reference/keras.md
 * §6.3, K3 `keras/src/saving/saving_lib.py`). Every layer with variables has a group
 * `<path>/vars` holding datasets `"0"`, `"1"`, … in the layer's variable order (trainable, then
 * non-trainable: the order of a layer's weights in the IR). The children of a Sequential or
 * Functional model live under `layers/<snake_case class name>[_k]`, counted per container and
 * per class name in the order of the model's `layers` (the order of config.json), never by the
 * layer's own name; a nested model's under `layers/sequential/layers/…`. Keras loads by these
 * paths and ignores the `name` attribute newer versions write, so densegraph does too.
 * Optimizer and metric state (`optimizer/vars`, …) is not read.
 *
 * The HDF5 file is parsed by jsfive (pure JavaScript), loaded on first use. It reads what h5py
 * writes by default, which is what Keras writes; newer HDF5 layouts it does not know (chunked
 * datasets in the 1.10 format) are reported as an unreadable file. Only float32 datasets are
 * read, and float64 ones converted; other dtypes are refused. `model.weights.npz` archives
 * (`weights_format="npz"`) are not read.
 *
 * Limits: `model.weights.h5` may declare at most {@link MAX_KERAS_WEIGHT_BYTES} uncompressed
 * (checked before inflating); only datasets whose shape matches a weight of the model are
 * read, so their values are bounded by the model's size; the walk over the file's groups stops
 * after {@link MAX_H5_OBJECTS} objects or {@link MAX_H5_DEPTH} levels.
 */
import { error, warning, type Diagnostic } from '../ir/diagnostics.js';
import type { CompiledModel, ModelKind } from '../ir/model.js';
import { formatShape } from '../ir/shape.js';
import { toSnakeCase } from '../layers/vocab.js';
import { weightList, type WeightStore } from '../exec/weights.js';
import { alloc, type ExecDType } from '../exec/tensor.js';
import { MAX_METADATA_BYTES, readArchiveEntries } from './keras-archive.js';
import { DEFAULT_LIMITS, parseModel, type Limits } from './load.js';

/** Largest `model.weights.h5` read, uncompressed. */
export const MAX_KERAS_WEIGHT_BYTES = 512 * 1024 * 1024;
/** Most HDF5 groups and datasets looked at. */
export const MAX_H5_OBJECTS = 100_000;
/** Deepest group nesting followed (HDF5 links may form cycles). */
export const MAX_H5_DEPTH = 64;

const WEIGHTS_H5 = 'model.weights.h5';
const WEIGHTS_NPZ = 'model.weights.npz';

export interface KerasWeightsOptions extends Limits {
  /** Largest `model.weights.h5`, uncompressed, in bytes. @default 512 MiB */
  readonly maxWeightBytes?: number;
  /** Precision of the weights returned. @default 'float32' */
  readonly dtype?: ExecDType;
}

export interface KerasWeightsResult {
  /** The stored weights; absent when there are none to read (a warning says why) or on errors. */
  readonly weights?: WeightStore;
  readonly diagnostics: Diagnostic[];
}

/** A model or a layer list as far as the weight paths need it: IR and compiled models both fit. */
export interface WeightContainer {
  readonly kind: ModelKind;
  readonly layers: readonly { readonly name?: string; readonly className: string; readonly model?: WeightContainer }[];
}

/**
 * The HDF5 group of every layer, by its full densegraph name (`dense`, `encoder/code`):
 * Keras 3's `_save_container_state`. Sequential's `layers` leave out its InputLayer and
 * Functional's keep it; either way only layers of the same class count against each other.
 * `model` must list the layers in Keras's order (config.json's), as the IR does.
 */
export function kerasWeightPaths(model: WeightContainer, prefix = '', namePrefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Map<string, number>();
  for (const layer of model.layers) {
    if (model.kind === 'Sequential' && layer.className === 'InputLayer') continue;
    const base = toSnakeCase(layer.className);
    const k = used.has(base) ? used.get(base)! + 1 : 0;
    used.set(base, k);
    const path = `${prefix}layers/${k === 0 ? base : `${base}_${k}`}`;
    if (layer.name === undefined) continue;
    out.set(`${namePrefix}${layer.name}`, path);
    if (layer.model) for (const [n, p] of kerasWeightPaths(layer.model, `${path}/`, `${namePrefix}${layer.name}/`)) out.set(n, p);
  }
  return out;
}

/** The subset of jsfive's API used here (it ships no types). */
interface H5Node {
  readonly keys?: string[];
  readonly shape?: number[];
  readonly dtype?: unknown;
  readonly value?: ArrayLike<number>;
  get?(path: string): H5Node;
}
interface Jsfive {
  File: new (buffer: ArrayBuffer, name: string) => H5Node;
  Group: abstract new (...args: never[]) => H5Node;
  Dataset: abstract new (...args: never[]) => H5Node & { readonly shape: number[] };
}

let jsfive: Promise<Jsfive> | undefined;
function loadJsfive(): Promise<Jsfive> {
  // @ts-expect-error -- jsfive ships no type declarations; the part used is typed by Jsfive.
  jsfive ??= import('jsfive') as Promise<Jsfive>;
  return jsfive;
}

/** `<f4` → float32, `<i4` → int32, `|u1` → uint8; anything else as written. */
function dtypeName(dtype: unknown): string {
  const m = typeof dtype === 'string' ? /^[<>|=]?([fiu])(\d+)$/.exec(dtype) : null;
  if (!m) return typeof dtype === 'string' ? dtype : JSON.stringify(dtype) ?? String(dtype);
  return `${{ f: 'float', i: 'int', u: 'uint' }[m[1] as 'f' | 'i' | 'u']}${Number(m[2]) * 8}`;
}

/** True if the bytes hold the HDF5 signature where a superblock may start (0, 512, 1024, …). */
export function isHdf5(bytes: Uint8Array): boolean {
  const sig = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
  for (let at = 0; at + 8 <= bytes.length; at = at === 0 ? 512 : at * 2) {
    if (sig.every((b, i) => bytes[at + i] === b)) return true;
  }
  return false;
}

class H5Limit extends Error {}

/**
 * Every dataset of the model's own `vars` group and under `layers` whose parent is a `vars`
 * group, by path: the stored variables.
 */
function storedVariables(file: H5Node, Group: Jsfive['Group'], Dataset: Jsfive['Dataset']): Map<string, H5Node> {
  const found = new Map<string, H5Node>();
  let seen = 0;
  const walk = (node: H5Node, path: string, depth: number) => {
    if (depth > MAX_H5_DEPTH) throw new H5Limit(`groups nested deeper than ${MAX_H5_DEPTH} levels (at '${path.length > 80 ? `${path.slice(0, 80)}…` : path}'); links may form a cycle`);
    for (const key of node.keys ?? []) {
      if (++seen > MAX_H5_OBJECTS) throw new H5Limit(`more than ${MAX_H5_OBJECTS} groups and datasets`);
      const child = node.get!(key);
      const childPath = path ? `${path}/${key}` : key;
      if (child instanceof Dataset) {
        if (path === 'vars' || path.endsWith('/vars')) found.set(childPath, child);
      } else if (child instanceof Group) walk(child, childPath, depth + 1);
    }
  };
  // The model's own variables and its layers'; optimizer and metric state are not the model's.
  for (const top of ['vars', 'layers']) {
    if ((file.keys ?? []).includes(top)) {
      const node = file.get!(top);
      if (node instanceof Group) walk(node, top, 1);
    }
  }
  return found;
}

/**
 * Reads the weights stored in a `.keras` archive (its bytes; `file` is used in messages) for
 * `model`, compiled from the same archive. An archive without `model.weights.h5` gives no
 * weights and a warning; every missing, unexpected, misshapen or non-float variable is
 * reported, not just the first.
 */
export async function readKerasWeights(bytes: Uint8Array, file: string, model: CompiledModel, options: KerasWeightsOptions = {}): Promise<KerasWeightsResult> {
  const maxWeights = options.maxWeightBytes ?? MAX_KERAS_WEIGHT_BYTES;
  const maxConfig = options.maxBytes ?? DEFAULT_LIMITS.maxBytes;
  const dtype = options.dtype ?? 'float32';
  const h5File = `${file}!/${WEIGHTS_H5}`;
  const fail = (code: string, message: string, where: string, hint?: string, path?: string): KerasWeightsResult => ({
    diagnostics: [error(code, message, { file: where, ...(path ? { path } : {}) }, hint)],
  });
  const read = readArchiveEntries(bytes, { 'config.json': maxConfig, 'metadata.json': MAX_METADATA_BYTES, [WEIGHTS_H5]: maxWeights });
  if ('tooLarge' in read) {
    return fail('weights-too-large', read.tooLarge, file, `model.weights.h5 may be at most ${maxWeights} bytes (maxWeightBytes in the API); or give the weights as a JSON file with --weights`);
  }
  if ('broken' in read) return fail('invalid-archive', read.broken, file, 'the file may be truncated or damaged; save it again with model.save("model.keras")');
  const h5 = read.files[WEIGHTS_H5];
  if (!h5) {
    const npz = read.names.includes(WEIGHTS_NPZ);
    return {
      diagnostics: [
        warning(
          'no-stored-weights',
          npz ? `the archive stores its weights as ${WEIGHTS_NPZ}, which densegraph does not read; the weights are initialised instead` : `the archive has no ${WEIGHTS_H5}; the weights are initialised instead`,
          { file },
          npz ? 'save the model with the default weights_format ("h5"), or give the weights with --weights' : 'give the weights with --weights',
        ),
      ],
    };
  }
  const config = read.files['config.json'];
  if (!config) return fail('invalid-archive', 'the archive has no config.json, so it is not a Keras 3 .keras file', file);
  // Keras's order of the layers, which numbers the paths: config.json's, kept by the IR.
  const ir = parseModel(new TextDecoder().decode(config), `${file}!/config.json`, options);
  if (!ir.model) return { diagnostics: [...ir.diagnostics] };
  const paths = kerasWeightPaths(ir.model);

  if (!isHdf5(h5)) {
    return fail('invalid-keras-weights', `${WEIGHTS_H5} is not an HDF5 file (it does not start with the HDF5 signature)`, h5File, 'the archive may be damaged; save the model again with model.save("model.keras")');
  }
  const unreadable = (e: unknown, path?: string) => {
    const text = e instanceof Error ? e.message : String(e);
    // jsfive's failed internal assertions surface as this TypeError.
    const why = text === 'thing is not a function' ? 'a structure it does not support, or a damaged one' : `"${text}"`;
    return fail(
      'invalid-keras-weights',
      `cannot read ${WEIGHTS_H5}${path ? ` at '${path}'` : ''}: the HDF5 reader (jsfive) stopped on ${why}`,
      h5File,
      'the file may be damaged, or use an HDF5 layout jsfive does not read (it reads what h5py and Keras write by default); give the weights with --weights instead',
      path,
    );
  };
  const lib = await loadJsfive();
  let stored: Map<string, H5Node>;
  try {
    const buffer = h5.byteOffset === 0 && h5.byteLength === h5.buffer.byteLength ? (h5.buffer as ArrayBuffer) : h5.slice().buffer;
    stored = storedVariables(new lib.File(buffer, WEIGHTS_H5), lib.Group, lib.Dataset);
  } catch (e) {
    if (e instanceof H5Limit) return fail('weights-too-large', `${WEIGHTS_H5} has ${e.message}, more than densegraph looks at`, h5File, 'a Keras weights file has a few groups per layer; give the weights with --weights instead');
    return unreadable(e);
  }

  const diagnostics: Diagnostic[] = [];
  const store: WeightStore = new Map();
  const expected = new Set<string>();
  const layerOf = (name: string) => name.slice(0, name.lastIndexOf('/'));
  const indexInLayer = new Map<string, number>();
  for (const { name, weight } of weightList(model)) {
    const layer = layerOf(name);
    const index = indexInLayer.get(layer) ?? 0;
    indexInLayer.set(layer, index + 1);
    const group = paths.get(layer);
    if (group === undefined) {
      diagnostics.push(error('missing-weight', `the model's '${name}' has no place in ${WEIGHTS_H5}: its layer is not in config.json`, { file: h5File, path: name }));
      continue;
    }
    const path = `${group}/vars/${index}`;
    expected.add(path);
    const node = stored.get(path);
    if (!node) {
      diagnostics.push(error('missing-weight', `${WEIGHTS_H5} has no '${path}' for the model's '${name}' (expected shape ${formatShape(weight.shape)})`, { file: h5File, path }));
      continue;
    }
    try {
      const shape = node.shape ?? [];
      if (shape.length !== weight.shape.length || shape.some((d, i) => d !== weight.shape[i])) {
        diagnostics.push(error('weight-shape', `'${path}' has shape ${formatShape(shape)}, the model's '${name}' needs ${formatShape(weight.shape)}`, { file: h5File, path }));
        continue;
      }
      const dt = dtypeName(node.dtype);
      if (dt !== 'float32' && dt !== 'float64') {
        diagnostics.push(error('unsupported-weights', `'${path}' (the model's '${name}') is ${dt}; densegraph reads float32 weights (and converts float64)`, { file: h5File, path }, 'save the model with a float32 dtype policy, or give the weights with --weights'));
        continue;
      }
      const n = shape.reduce((a, b) => a * b, 1);
      const value = node.value;
      if (!value || value.length !== n) throw new Error(`'${path}' holds ${value?.length ?? 0} values, its shape ${formatShape(shape)} needs ${n}`);
      const data = alloc(dtype, n);
      for (let i = 0; i < n; i++) data[i] = value[i]!;
      store.set(name, { shape: [...shape], data });
    } catch (e) {
      return unreadable(e, path);
    }
  }
  for (const [path, node] of stored) {
    if (expected.has(path)) continue;
    let shape = '';
    try {
      shape = ` (shape ${formatShape(node.shape ?? [])})`;
    } catch {
      // The shape is only for the message.
    }
    diagnostics.push(error('unknown-weight', `${WEIGHTS_H5} has '${path}'${shape}, which is no variable of the model`, { file: h5File, path }, 'the weights do not belong to this config.json, or a layer has variables densegraph does not know'));
  }
  return diagnostics.length ? { diagnostics } : { weights: store, diagnostics };
}
