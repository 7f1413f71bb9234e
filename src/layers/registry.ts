/**
 * The layer registry: the only place that knows which layer kinds exist. Backends and passes
 * ask it, never switch on class names. A kind listed in LAYER_KINDS without a definition, or
 * the other way round, is a compile error (STYLE.md rule 2).
 */
import { activation } from './activation.js';
import { activityRegularization } from './activity-regularization.js';
import { add } from './add.js';
import { alphaDropout } from './alpha-dropout.js';
import { average } from './average.js';
import { batchNormalization } from './batch-normalization.js';
import { concatenate } from './concatenate.js';
import { dense } from './dense.js';
import { dropout } from './dropout.js';
import { elu } from './elu.js';
import { embedding } from './embedding.js';
import { flatten } from './flatten.js';
import { gaussianDropout } from './gaussian-dropout.js';
import { gaussianNoise } from './gaussian-noise.js';
import { inputLayer } from './input-layer.js';
import type { LayerDef } from './layer.js';
import { layerNormalization } from './layer-normalization.js';
import { leakyReLU } from './leaky-relu.js';
import { maximum } from './maximum.js';
import { minimum } from './minimum.js';
import { multiply } from './multiply.js';
import { permute } from './permute.js';
import { prelu } from './prelu.js';
import { relu } from './relu.js';
import { repeatVector } from './repeat-vector.js';
import { reshape } from './reshape.js';
import { softmax } from './softmax.js';
import { spatialDropout1D } from './spatial-dropout-1d.js';
import { subtract } from './subtract.js';

export const LAYER_KINDS = [
  'InputLayer', 'Dense', 'Activation', 'Dropout', 'Flatten',
  'Embedding',
  'Concatenate', 'Add', 'Subtract', 'Multiply', 'Average', 'Maximum', 'Minimum',
  'Reshape', 'Permute', 'RepeatVector',
  'BatchNormalization', 'LayerNormalization',
  'GaussianNoise', 'GaussianDropout', 'AlphaDropout', 'SpatialDropout1D', 'ActivityRegularization',
  'LeakyReLU', 'PReLU', 'ELU', 'ReLU', 'Softmax',
] as const;
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
  Embedding: embedding,
  Concatenate: concatenate,
  Add: add,
  Subtract: subtract,
  Multiply: multiply,
  Average: average,
  Maximum: maximum,
  Minimum: minimum,
  Reshape: reshape,
  Permute: permute,
  RepeatVector: repeatVector,
  BatchNormalization: batchNormalization,
  LayerNormalization: layerNormalization,
  GaussianNoise: gaussianNoise,
  GaussianDropout: gaussianDropout,
  AlphaDropout: alphaDropout,
  SpatialDropout1D: spatialDropout1D,
  ActivityRegularization: activityRegularization,
  LeakyReLU: leakyReLU,
  PReLU: prelu,
  ELU: elu,
  ReLU: relu,
  Softmax: softmax,
} as const satisfies Record<LayerKind, AnyLayerDef>;

export function isLayerKind(name: string): name is LayerKind {
  return Object.prototype.hasOwnProperty.call(LAYERS, name);
}

export function layerDef(className: string): AnyLayerDef | undefined {
  return isLayerKind(className) ? LAYERS[className] : undefined;
}
