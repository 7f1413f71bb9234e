/** What every layer kind file exports: the whole layer in one definition (STYLE.md rule 1). */
import type { Tape, Var } from '../exec/autograd.js';
import type { ActivationOptions } from '../exec/activations.js';
import type { Rng } from '../exec/random.js';
import type { Tensor } from '../exec/tensor.js';
import type { WeightIR } from '../ir/model.js';
import type { Dim, Shape } from '../ir/shape.js';
import type { ConfigOf, Schema } from './schema.js';

export type ShapeResult =
  | { readonly ok: true; readonly shape: Shape }
  | { readonly ok: false; readonly code: string; readonly message: string; readonly hint?: string };

export function shapeOk(shape: Shape): ShapeResult {
  return { ok: true, shape };
}

export function shapeError(code: string, message: string, hint?: string): ShapeResult {
  return { ok: false, code, message, ...(hint ? { hint } : {}) };
}

/** What a layer's forward pass may use besides its inputs and weights. */
export interface ForwardContext {
  readonly tape: Tape;
  /** Training mode: dropout and noise are active, BatchNormalization uses batch statistics. */
  readonly training: boolean;
  /** Seeded randomness for dropout and noise. */
  readonly rng: Rng;
  /** Sets a new value of a non-trainable weight (BatchNormalization's moving statistics). */
  updateWeight(name: string, value: Tensor): void;
  /** Which formulas activations follow where Keras versions differ (Keras 2's hard_sigmoid). */
  readonly activationOptions: ActivationOptions;
}

export interface LayerDef<S extends Schema = Schema> {
  /** The Keras class name. */
  readonly className: string;
  /** One sentence for the docs. */
  readonly doc: string;
  /** The Keras API page this layer mirrors. */
  readonly kerasUrl: string;
  readonly schema: S;
  /** Arguments that may be given positionally, in Keras order (`Dense(8)` → units). */
  readonly positional: readonly (keyof S & string)[];
  /** How many inbound tensors the layer takes. */
  readonly arity: 'none' | 'one' | 'many';
  /** Output shape from the config and the input shapes (batch axis included). */
  outputShape(config: ConfigOf<S>, inputs: readonly Shape[]): ShapeResult;
  /** Weight variables in Keras order; shapes only depend on config and input shapes. */
  weights(config: ConfigOf<S>, inputs: readonly Shape[]): WeightIR[];
  /** The activation a label shows, for layers that have an `activation` attribute in Keras. */
  activation?(config: ConfigOf<S>): string | null;
  /**
   * The input shape (without the batch axis) a layer's own arguments imply when it is the
   * first layer of a Sequential model, e.g. Keras 2's `Embedding(input_length=10)`.
   */
  impliedInputShape?(config: ConfigOf<S>): Dim[] | undefined;
  /** The layer reads its input as integer indices (Embedding), not as features. */
  readonly takesIndices?: boolean;
  /**
   * The forward pass, composed of the differentiable ops of exec/ops.ts so that its backward
   * pass follows from theirs. `weights` are by Keras variable name.
   */
  forward?(ctx: ForwardContext, config: ConfigOf<S>, inputs: readonly Var[], weights: Readonly<Record<string, Var>>): Var;
}

/** Identity helper that keeps the schema's literal type for `ConfigOf`. */
export function defineLayer<const S extends Schema>(def: LayerDef<S>): LayerDef<S> {
  return def;
}
