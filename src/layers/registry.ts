/**
 * The layer registry: the only place that knows which layer kinds exist. Backends and passes
 * ask it, never switch on class names. A kind listed in LAYER_KINDS without a definition, or
 * the other way round, is a compile error (STYLE.md rule 2).
 */
import { activation } from './activation.js';
import { dense } from './dense.js';
import { dropout } from './dropout.js';
import { flatten } from './flatten.js';
import { inputLayer } from './input-layer.js';
import type { LayerDef } from './layer.js';

export const LAYER_KINDS = ['InputLayer', 'Dense', 'Activation', 'Dropout', 'Flatten'] as const;
export type LayerKind = (typeof LAYER_KINDS)[number];

/**
 * A definition seen from outside its file. Configs reach it validated against its own
 * schema (passes/validate.ts), which is the invariant the `any` stands for.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyLayerDef = LayerDef<any>;

export const LAYERS = {
  InputLayer: inputLayer,
  Dense: dense,
  Activation: activation,
  Dropout: dropout,
  Flatten: flatten,
} as const satisfies Record<LayerKind, AnyLayerDef>;

export function isLayerKind(name: string): name is LayerKind {
  return Object.prototype.hasOwnProperty.call(LAYERS, name);
}

export function layerDef(className: string): AnyLayerDef | undefined {
  return isLayerKind(className) ? LAYERS[className] : undefined;
}
