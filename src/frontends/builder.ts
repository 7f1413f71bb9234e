/**
 * The TypeScript builder API: the same IR as the spec format, written in code.
 *
 *   sequential([
 *     dense(8, { inputDim: 4, kernelInitializer: 'uniform', activation: 'relu' }),
 *     dense(1, { activation: 'sigmoid' }),
 *   ], { name: 'binary_classifier' });
 *
 * Options are the Keras arguments in camelCase; they become snake_case here, the only place
 * besides the Keras frontends where the two spellings meet.
 */
import type { LayerIR, ModelIR } from '../ir/model.js';
import type { activation as activationDef } from '../layers/activation.js';
import type { dense as denseDef } from '../layers/dense.js';
import type { dropout as dropoutDef } from '../layers/dropout.js';
import type { flatten as flattenDef } from '../layers/flatten.js';
import type { inputLayer as inputLayerDef } from '../layers/input-layer.js';
import type { LayerDef } from '../layers/layer.js';
import type { BuilderOptions } from '../layers/schema.js';

type OptionsOf<D> = D extends LayerDef<infer S> ? BuilderOptions<S> : never;

function snake(key: string): string {
  return key.replace(/([A-Z])/g, (c) => `_${c.toLowerCase()}`);
}

function toConfig(options: object | undefined, positional: Record<string, unknown> = {}): Record<string, unknown> {
  const config: Record<string, unknown> = { ...positional };
  for (const [k, v] of Object.entries(options ?? {})) {
    if (v !== undefined) config[snake(k)] = v;
  }
  return config;
}

/** Any registered layer by class name, with Keras (snake_case) arguments. */
export function layer(className: string, config: Record<string, unknown> = {}): LayerIR {
  return { className, config: { ...config }, inbound: [], ...(typeof config['name'] === 'string' ? { name: config['name'] } : {}) };
}

function build(className: string, options: object | undefined, positional: Record<string, unknown> = {}): LayerIR {
  return layer(className, toConfig(options, positional));
}

export type DenseOptions = Omit<OptionsOf<typeof denseDef>, 'units'>;
export type ActivationOptions = Omit<OptionsOf<typeof activationDef>, 'activation'>;
export type DropoutOptions = Omit<OptionsOf<typeof dropoutDef>, 'rate'>;
export type FlattenOptions = OptionsOf<typeof flattenDef>;
export type InputLayerOptions = OptionsOf<typeof inputLayerDef>;

/** `Dense(units, **options)`. */
export function dense(units: number, options?: DenseOptions): LayerIR {
  return build('Dense', options, { units });
}

/** `Activation(activation, **options)`. */
export function activation(name: string, options?: ActivationOptions): LayerIR {
  return build('Activation', options, { activation: name });
}

/** `Dropout(rate, **options)`. */
export function dropout(rate: number, options?: DropoutOptions): LayerIR {
  return build('Dropout', options, { rate });
}

/** `Flatten(**options)`. */
export function flatten(options?: FlattenOptions): LayerIR {
  return build('Flatten', options);
}

/** `InputLayer(shape=…)`: `inputLayer({ shape: [4] })`. */
export function inputLayer(options: InputLayerOptions): LayerIR {
  return build('InputLayer', options);
}

/** `Sequential(layers, name=…)`. */
export function sequential(layers: readonly LayerIR[], options: { name?: string } = {}): ModelIR {
  return { name: options.name ?? 'sequential', kind: 'Sequential', layers: [...layers], inputs: [], outputs: [] };
}
