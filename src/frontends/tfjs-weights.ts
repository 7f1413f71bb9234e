/**
 * The weights stored with a TensorFlow.js `model.json` (reference/keras.md §6.4): every group
 * of `weightsManifest` names its shard files (relative to the JSON file's folder) and its
 * weights; the shards concatenated hold the weights' values in manifest order, little-endian
 * float32, kernels row-major `[in, out]` (the Keras layout densegraph uses).
 *
 * Manifest names are `<layer>/<variable>` (the converter: `dense/kernel`; tfjs-layers:
 * `dense_Dense1/kernel`, its layer names). A name that is not a weight of the model is matched
 * to a layer whose name is its prefix (or the end of its prefix), and then by order within
 * that layer. Only float32 weights are read; quantized or other dtypes are refused.
 */
import { readFile, stat } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { error, type Diagnostic } from '../ir/diagnostics.js';
import type { CompiledModel } from '../ir/model.js';
import { formatShape } from '../ir/shape.js';
import { weightList, type WeightStore } from '../exec/weights.js';
import { alloc, type ExecDType } from '../exec/tensor.js';

/** Largest total size of the shards read. */
export const MAX_WEIGHT_BYTES = 512 * 1024 * 1024;

interface ManifestWeight {
  name: string;
  shape: number[];
  group: number;
  /** Byte offset in the group's concatenated shards. */
  offset: number;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** True if parsed JSON is a TensorFlow.js model.json that lists stored weights. */
export function hasTfjsWeights(data: unknown): boolean {
  return isPlainObject(data) && isPlainObject(data['modelTopology']) && Array.isArray(data['weightsManifest']) && data['weightsManifest'].length > 0;
}

/**
 * Reads the shards of a parsed `model.json` at `modelJsonPath` into weights of `model`. Every
 * missing, unknown or misshapen weight is reported, not just the first.
 */
export async function readTfjsWeights(modelJsonPath: string, data: unknown, model: CompiledModel, dtype: ExecDType = 'float32'): Promise<{ weights?: WeightStore; diagnostics: Diagnostic[] }> {
  const file = modelJsonPath;
  const bad = (message: string, hint?: string) => ({ diagnostics: [error('invalid-weights-manifest', message, { file }, hint)] });
  const manifest = isPlainObject(data) ? data['weightsManifest'] : undefined;
  if (!Array.isArray(manifest)) return bad('the model.json has no weightsManifest list');
  const folder = dirname(modelJsonPath);
  const entries: ManifestWeight[] = [];
  const shards: { paths: string[]; bytes: number }[] = [];
  for (const [g, group] of manifest.entries()) {
    if (!isPlainObject(group) || !Array.isArray(group['paths']) || !Array.isArray(group['weights'])) {
      return bad(`weightsManifest[${g}] must be a mapping with a paths list and a weights list`);
    }
    const paths: string[] = [];
    for (const p of group['paths']) {
      if (typeof p !== 'string' || p.length === 0) return bad(`weightsManifest[${g}].paths must list file names, got ${JSON.stringify(p)}`);
      if (isAbsolute(p) || /^[a-z][a-z0-9+.-]*:/i.test(p)) return bad(`weightsManifest[${g}] names the shard '${p}'; only files relative to the model.json folder are read`);
      paths.push(p);
    }
    let offset = 0;
    for (const [i, w] of group['weights'].entries()) {
      if (!isPlainObject(w) || typeof w['name'] !== 'string' || !Array.isArray(w['shape']) || !w['shape'].every((d) => Number.isInteger(d) && (d as number) >= 0)) {
        return bad(`weightsManifest[${g}].weights[${i}] must have a name and a shape (a list of sizes), got ${JSON.stringify(w)?.slice(0, 80)}`);
      }
      const dt = w['dtype'] ?? 'float32';
      if (dt !== 'float32' || 'quantization' in w) {
        return {
          diagnostics: [error('unsupported-weights', `the stored weight '${w['name']}' is ${'quantization' in w ? `quantized (${JSON.stringify(w['quantization'])})` : `of dtype ${JSON.stringify(dt)}`}; densegraph reads only float32 weights from a model.json`, { file }, 'convert the model again without quantization, or give the weights with --weights')],
        };
      }
      const shape = w['shape'] as number[];
      entries.push({ name: w['name'], shape, group: g, offset });
      offset += shape.reduce((a, b) => a * b, 1) * 4;
    }
    shards.push({ paths, bytes: offset });
  }

  // The shards, checked against the sizes the manifest needs.
  const buffers: Uint8Array[] = [];
  let read = 0;
  for (const [g, { paths, bytes }] of shards.entries()) {
    const parts: Uint8Array[] = [];
    const sizes: number[] = [];
    for (const p of paths) {
      const full = resolve(folder, p);
      try {
        const info = await stat(full);
        read += info.size;
        if (read > MAX_WEIGHT_BYTES) return { diagnostics: [error('weights-too-large', `the weight shards are more than ${MAX_WEIGHT_BYTES} bytes`, { file: full })] };
        const buf = await readFile(full);
        parts.push(buf);
        sizes.push(buf.length);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        return {
          diagnostics: [error('missing-shard', `cannot read the weight shard '${p}' named in weightsManifest[${g}] (${full}): ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`, { file }, 'keep the .bin files next to the model.json, as the manifest names them')],
        };
      }
    }
    const got = sizes.reduce((a, b) => a + b, 0);
    if (got !== bytes) {
      const which = paths.length === 1 ? `the shard '${paths[0]}' has ${got} bytes` : `the shards ${paths.map((p, i) => `'${p}' (${sizes[i]} bytes)`).join(', ')} have ${got} bytes in all`;
      return {
        diagnostics: [error('shard-size', `${which}, but the weights weightsManifest[${g}] lists need ${bytes} bytes (float32)`, { file }, 'the .bin files do not belong to this model.json, or are truncated')],
      };
    }
    const all = new Uint8Array(got);
    let at = 0;
    for (const part of parts) {
      all.set(part, at);
      at += part.length;
    }
    buffers.push(all);
  }

  // Manifest names → the model's weight names.
  const expected = weightList(model);
  const byName = new Map(expected.map((e) => [e.name, e]));
  const layerOf = (name: string) => name.slice(0, name.lastIndexOf('/'));
  const layers = new Map<string, string[]>();
  for (const { name } of expected) {
    const l = layerOf(name);
    layers.set(l, [...(layers.get(l) ?? []), name]);
  }
  const diagnostics: Diagnostic[] = [];
  const assigned = new Map<string, ManifestWeight>();
  const unmatched: ManifestWeight[] = [];
  for (const e of entries) {
    if (byName.has(e.name) && !assigned.has(e.name)) assigned.set(e.name, e);
    else unmatched.push(e);
  }
  for (const e of unmatched) {
    const prefix = e.name.includes('/') ? layerOf(e.name) : '';
    const segments = prefix.split('/');
    let layer: string | undefined;
    for (let k = 0; k < segments.length && !layer; k++) {
      const candidate = segments.slice(k).join('/');
      if (candidate && layers.has(candidate)) layer = candidate;
    }
    const target = layer ? layers.get(layer)!.find((n) => !assigned.has(n)) : undefined;
    if (target) assigned.set(target, e);
    else diagnostics.push(error('unknown-weight', `the stored weights have '${e.name}', which the model does not have`, { file, path: e.name }, `the model's weights: ${[...byName.keys()].join(', ')}`));
  }
  const store: WeightStore = new Map();
  for (const { name, weight } of expected) {
    const e = assigned.get(name);
    if (!e) {
      diagnostics.push(error('missing-weight', `the stored weights have no '${name}' (expected shape ${formatShape(weight.shape)})`, { file, path: name }));
      continue;
    }
    const want = weight.shape;
    if (e.shape.length !== want.length || e.shape.some((d, i) => d !== want[i])) {
      diagnostics.push(error('weight-shape', `'${e.name}' has shape ${formatShape(e.shape)}, the model's '${name}' needs ${formatShape(want)}`, { file, path: name }));
      continue;
    }
    const n = e.shape.reduce((a, b) => a * b, 1);
    const buf = buffers[e.group]!;
    const view = new DataView(buf.buffer, buf.byteOffset + e.offset, n * 4);
    const values = alloc(dtype, n);
    for (let i = 0; i < n; i++) values[i] = view.getFloat32(i * 4, true);
    store.set(name, { shape: [...e.shape], data: values });
  }
  return diagnostics.length ? { diagnostics } : { weights: store, diagnostics };
}
