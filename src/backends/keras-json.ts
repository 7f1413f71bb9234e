/**
 * Keras 3 `model.to_json()` text of a compiled model (reference/keras.md §6.2), so that a model
 * drawn from a spec or from Python code can be loaded by Keras (`keras.models.model_from_json`)
 * and read back by densegraph.
 *
 * What is written, as Keras 3 writes it:
 * - every object as `{"module", "class_name", "config", "registered_name"}`, layers with
 *   `build_config: {"input_shape": …}` (the shapes of their first call) when those are known;
 * - a Sequential lists its InputLayer first and has `build_input_shape`; a Functional model
 *   names each layer's calls in `inbound_nodes` as `{"args": […], "kwargs": {}}` with
 *   `__keras_tensor__` objects carrying shape, dtype and `keras_history`; `input_layers` and
 *   `output_layers` are flat for a single tensor, lists otherwise (as `Model(x, y)` writes them);
 * - layer configs complete with their defaults, `dtype` as a `DTypePolicy` object, initializers
 *   given by name as initializer objects. Keras 2 arguments that Keras 3 no longer has are left
 *   out when they hold their default (`input_dim`, `batch_input_shape`, …);
 * - layers densegraph does not know keep the config their file gave.
 *
 * Not written: `compile_config` (densegraph models carry no optimizer) and weights.
 */
import { refText, type CompiledLayer, type CompiledModel, type TensorRef } from '../ir/model.js';
import type { Shape } from '../ir/shape.js';
import { layerDef } from '../layers/registry.js';
import { initializerClass } from '../layers/vocab.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Initializers whose output does not depend on a seed: Keras writes their config empty. */
const UNSEEDED = new Set(['Zeros', 'Ones', 'Constant', 'Identity']);

function dtypePolicy(dtype: unknown): Json {
  if (typeof dtype === 'object' && dtype !== null) return dtype as Json;
  return { module: 'keras', class_name: 'DTypePolicy', config: { name: typeof dtype === 'string' ? dtype : 'float32' }, registered_name: null };
}

/** Arguments Keras 3's `get_config` writes only when they are set (Dense, EinsumDense, …). */
const ONLY_WHEN_SET = new Set(['activity_regularizer', 'lora_rank', 'lora_alpha', 'quantization_config']);

function initializerObject(value: unknown): Json {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const { class_name: className, config, ...rest } = value as Record<string, Json>;
    return { module: 'keras.initializers', class_name: className ?? null, config: config ?? {}, registered_name: null, ...rest };
  }
  if (typeof value !== 'string') return value as Json;
  const className = initializerClass(value);
  if (!className) return value;
  return { module: 'keras.initializers', class_name: className, config: UNSEEDED.has(className) ? {} : { seed: null }, registered_name: null };
}

function shapeJson(shape: Shape): Json {
  return [...shape];
}

/** A layer's Keras 3 config: name, trainable and dtype first, then its arguments in schema order. */
function layerConfig(layer: CompiledLayer): { [key: string]: Json } {
  const def = layerDef(layer.className);
  const out: { [key: string]: Json } = { name: layer.name, trainable: layer.trainable, dtype: dtypePolicy(layer.config['dtype']) };
  for (const [key, value] of Object.entries(layer.config)) {
    if (key in out || value === undefined) continue;
    const field = def?.schema[key];
    if (field?.legacy && (value === null || value === field.default)) continue;
    if (field && value === null && ONLY_WHEN_SET.has(key)) continue;
    out[key] = field?.type === 'initializer' ? initializerObject(value) : (value as Json);
  }
  return out;
}

function inputLayerConfig(layer: CompiledLayer): { [key: string]: Json } {
  const dtype = layer.config['dtype'];
  return {
    batch_shape: layer.outputShape ? shapeJson(layer.outputShape) : null,
    dtype: typeof dtype === 'string' ? dtype : 'float32',
    sparse: layer.config['sparse'] === true,
    ragged: false,
    name: layer.name,
  };
}

/** `build_config` of a layer: the shapes of its first call, when they are all known. */
function buildConfig(layer: CompiledLayer): { build_config?: Json } {
  const shapes = layer.calls[0]?.inputShapes ?? [];
  const expected = layer.calls[0]?.inbound.length ?? 0;
  if (expected === 0 || shapes.length !== expected) return {};
  return { build_config: { input_shape: shapes.length === 1 ? shapeJson(shapes[0]!) : shapes.map(shapeJson) } };
}

function kerasTensor(ref: TensorRef, model: CompiledModel, byName: ReadonlyMap<string, CompiledLayer>): Json {
  const producer = byName.get(ref.layer);
  if (!producer) throw new Error(`internal: '${refText(ref)}' names no layer of model '${model.name}'`);
  const shape = producer.calls[ref.call ?? 0]?.outputShapes[ref.output ?? 0] ?? null;
  return {
    class_name: '__keras_tensor__',
    config: { shape: shape ? shapeJson(shape) : null, dtype: producer.dtype, keras_history: [ref.layer, ref.call ?? 0, ref.output ?? 0] },
  };
}

function endpoint(ref: TensorRef): Json {
  return [ref.layer, ref.call ?? 0, ref.output ?? 0];
}

/** A layer or nested model as an entry of its model's `layers` list. */
function layerEntry(layer: CompiledLayer, parent: CompiledModel, byName: ReadonlyMap<string, CompiledLayer>): { [key: string]: Json } {
  let entry: { [key: string]: Json };
  if (layer.model) {
    entry = modelObject(layer.model, layer.trainable);
  } else if (layer.className === 'InputLayer') {
    entry = { module: 'keras.layers', class_name: 'InputLayer', config: inputLayerConfig(layer), registered_name: null };
  } else {
    entry = { module: 'keras.layers', class_name: layer.className, config: layerConfig(layer), registered_name: null, ...buildConfig(layer) };
  }
  if (parent.kind === 'Functional') {
    const takesList = (layerDef(layer.className)?.arity ?? 'one') === 'many' || (layer.model?.inputs.length ?? 1) > 1;
    entry['name'] = layer.name;
    entry['inbound_nodes'] = layer.calls.filter((call) => call.inbound.length > 0).map((call) => {
      const tensors = call.inbound.map((ref) => kerasTensor(ref, parent, byName));
      return { args: takesList ? [tensors] : tensors, kwargs: {} };
    });
  }
  return entry;
}

function modelObject(model: CompiledModel, trainable = true): { [key: string]: Json } {
  const byName = new Map(model.layers.map((l) => [l.name, l]));
  const layers = model.layers.map((l) => layerEntry(l, model, byName));
  if (model.kind === 'Sequential') {
    const input = model.layers.find((l) => l.className === 'InputLayer');
    const inputShape = input?.outputShape ? shapeJson(input.outputShape) : null;
    return {
      module: 'keras',
      class_name: 'Sequential',
      config: { name: model.name, trainable, dtype: dtypePolicy('float32'), layers, build_input_shape: inputShape },
      registered_name: null,
      build_config: { input_shape: inputShape },
    };
  }
  const ends = (refs: readonly TensorRef[]): Json => (refs.length === 1 ? endpoint(refs[0]!) : refs.map(endpoint));
  return {
    module: 'keras.src.models.functional',
    class_name: 'Functional',
    config: { name: model.name, trainable, layers, input_layers: ends(model.inputs.map((layer) => ({ layer }))), output_layers: ends(model.outputs) },
    registered_name: 'Functional',
    build_config: { input_shape: null },
  };
}

/** The model as Keras 3's `model.to_json()` would write it (one line, Python's separators). */
export function toKerasJson(model: CompiledModel): string {
  return pythonJson(modelObject(model));
}

/** `json.dumps` with its default separators (`", "`, `": "`) and ASCII escapes, as Keras writes. */
function pythonJson(value: Json): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return Number.isInteger(value) && !Object.is(value, -0) ? String(value) : pythonFloat(value);
  if (typeof value === 'string') return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(', ')}]`;
  return `{${Object.entries(value).map(([k, v]) => `${pythonJson(k)}: ${pythonJson(v)}`).join(', ')}}`;
}

/** Python's float repr: shortest round-trip digits, always with a point or exponent. */
function pythonFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  const text = String(x);
  if (/e/.test(text)) {
    const [m, e] = text.split('e') as [string, string];
    const exp = Number(e);
    return `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return text.includes('.') ? text : `${text}.0`;
}
