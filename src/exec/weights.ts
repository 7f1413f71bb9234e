/**
 * Weights of a compiled model: created by the layers' initializers from a seeded PRNG, or
 * read from the weights file of DESIGN.md (`{"dense/kernel": [[…]], "dense/bias": […]}`,
 * Keras layout), and written back in the same format.
 */
import { error, type Diagnostic } from '../ir/diagnostics.js';
import type { CompiledModel, WeightIR } from '../ir/model.js';
import { formatShape } from '../ir/shape.js';
import { initialize } from './initializers.js';
import { createRng, type Rng } from './random.js';
import { fromNested, toNested, type ExecDType, type Tensor } from './tensor.js';

/** Weights by `"<layer>/<variable>"`; a nested model's as `"<model>/<layer>/<variable>"`. */
export type WeightStore = Map<string, Tensor>;

/** Every weight of a model with its full name, in layer order (trainable first within a layer). */
export function weightList(model: CompiledModel, prefix = ''): { name: string; weight: WeightIR }[] {
  const out: { name: string; weight: WeightIR }[] = [];
  for (const layer of model.layers) {
    if (layer.model) out.push(...weightList(layer.model, `${prefix}${layer.name}/`));
    for (const weight of layer.weights) out.push({ name: `${prefix}${layer.name}/${weight.name}`, weight });
  }
  return out;
}

/** Fresh weights from each layer's initializers, drawn in layer order from `seed`. */
export function initWeights(model: CompiledModel, seed: number, dtype: ExecDType = 'float32'): WeightStore {
  const rng: Rng = createRng(seed);
  const store: WeightStore = new Map();
  for (const { name, weight } of weightList(model)) store.set(name, initialize(weight.initializer ?? 'zeros', weight.shape, rng, dtype));
  return store;
}

/**
 * Reads a weights file's parsed JSON against a model. Every missing, unknown or misshapen
 * weight is reported, not just the first.
 */
export function readWeights(model: CompiledModel, data: unknown, file: string, dtype: ExecDType = 'float32'): { weights?: WeightStore; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { diagnostics: [error('invalid-weights', 'a weights file is a JSON object mapping "<layer>/<variable>" to nested arrays', { file })] };
  }
  const given = data as Record<string, unknown>;
  const expected = weightList(model);
  const names = new Set(expected.map((e) => e.name));
  const store: WeightStore = new Map();
  for (const { name, weight } of expected) {
    if (!(name in given)) {
      diagnostics.push(error('missing-weight', `the weights file has no '${name}' (expected shape ${formatShape(weight.shape)})`, { file, path: name }));
      continue;
    }
    let t: Tensor;
    try {
      t = fromNested(given[name], dtype);
    } catch (e) {
      diagnostics.push(error('invalid-weight', `'${name}' is not an array of numbers: ${(e as Error).message}`, { file, path: name }));
      continue;
    }
    const want = weight.shape.length === 0 ? [] : weight.shape;
    if (t.shape.length !== want.length || t.shape.some((d, i) => d !== want[i])) {
      diagnostics.push(error('weight-shape', `'${name}' has shape ${formatShape(t.shape)}, the model needs ${formatShape(want)}`, { file, path: name }));
      continue;
    }
    store.set(name, t);
  }
  for (const name of Object.keys(given)) {
    if (!names.has(name)) diagnostics.push(error('unknown-weight', `the weights file has '${name}', which the model does not have`, { file, path: name }, `the model's weights: ${[...names].join(', ')}`));
  }
  return diagnostics.length ? { diagnostics } : { weights: store, diagnostics };
}

/** The weights file's JSON object, in the model's weight order. */
export function weightsToJson(model: CompiledModel, store: WeightStore): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { name } of weightList(model)) {
    const t = store.get(name);
    if (t) out[name] = toNested(t);
  }
  return out;
}
