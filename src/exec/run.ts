/**
 * Runs a compiled model forward on a tape, call by call in dependency order: shared layers
 * once per call with the same weights, nested models recursively. The tape then gives every
 * gradient (autograd.ts).
 */
import type { CompiledLayer, CompiledModel, TensorRef } from '../ir/model.js';
import { layerDef } from '../layers/registry.js';
import type { ForwardContext } from '../layers/layer.js';
import type { ActivationOptions } from './activations.js';
import type { Tape, Var } from './autograd.js';
import type { Rng } from './random.js';
import type { Tensor } from './tensor.js';
import type { WeightStore } from './weights.js';

/** A model densegraph can draw but not run (a layer kind without a forward pass). */
export class NotRunnableError extends Error {}

/** A layer refused the data it was given (an Embedding index out of range, …): a user error. */
export class LayerDataError extends Error {}

export interface RunContext {
  readonly tape: Tape;
  readonly training: boolean;
  readonly rng: Rng;
  readonly weights: WeightStore;
  /** The tape variables of the weights, by name, made on first use. */
  readonly vars: Map<string, Var>;
  /** New values of non-trainable weights produced by this pass (moving statistics). */
  readonly updates: Map<string, Tensor>;
  readonly activationOptions: ActivationOptions;
}

/** Layers of a model (nested ones included) that have no forward pass. */
export function unrunnableLayers(model: CompiledModel, prefix = ''): string[] {
  return model.layers.flatMap((l) => {
    if (l.model) return unrunnableLayers(l.model, `${prefix}${l.name}/`);
    if (l.className === 'InputLayer' || layerDef(l.className)?.forward) return [];
    return [`${prefix}${l.name} (${l.className})`];
  });
}

function weightVar(ctx: RunContext, name: string, trainable: boolean): Var {
  let v = ctx.vars.get(name);
  if (!v) {
    const value = ctx.weights.get(name);
    if (!value) throw new Error(`internal: no value for weight '${name}'`);
    v = trainable ? ctx.tape.variable(value) : ctx.tape.constant(value);
    ctx.vars.set(name, v);
  }
  return v;
}

function callLayer(layer: CompiledLayer, inputs: Var[], ctx: RunContext, prefix: string): Var[] {
  if (layer.model) return forwardGraph(layer.model, inputs, ctx, `${prefix}${layer.name}/`);
  const def = layerDef(layer.className);
  if (!def?.forward) throw new NotRunnableError(`layer '${prefix}${layer.name}' (${layer.className}) cannot be run: densegraph has no forward pass for ${layer.className}`);
  const weights: Record<string, Var> = {};
  for (const w of layer.weights) weights[w.name] = weightVar(ctx, `${prefix}${layer.name}/${w.name}`, w.trainable);
  const fctx: ForwardContext = {
    tape: ctx.tape,
    training: ctx.training,
    rng: ctx.rng,
    updateWeight: (name, value) => void ctx.updates.set(`${prefix}${layer.name}/${name}`, value),
    activationOptions: ctx.activationOptions,
  };
  try {
    return [def.forward(fctx, layer.config, inputs, weights)];
  } catch (e) {
    // Layers throw RangeError for data they cannot take; name the layer for the user.
    if (e instanceof RangeError) throw new LayerDataError(`layer '${prefix}${layer.name}' (${layer.className}): ${e.message}`);
    throw e;
  }
}

/** The model's outputs for `inputs` (one per model input, in order). */
export function forwardGraph(model: CompiledModel, inputs: readonly Var[], ctx: RunContext, prefix = ''): Var[] {
  const produced = new Map<string, Var[]>();
  const key = (layer: string, call: number) => `${layer}\u0000${call}`;
  const pending: { layer: CompiledLayer; call: number }[] = [];
  for (const layer of model.layers) {
    if (layer.className === 'InputLayer') {
      const at = model.inputs.indexOf(layer.name);
      const input = inputs[at];
      if (!input) throw new Error(`internal: no value for input '${layer.name}'`);
      produced.set(key(layer.name, 0), [input]);
    } else layer.calls.forEach((_, call) => pending.push({ layer, call }));
  }
  const valueOf = (ref: TensorRef) => produced.get(key(ref.layer, ref.call ?? 0))?.[ref.output ?? 0];
  // Layers are in the order of their first call; later calls of a shared layer may wait.
  while (pending.length) {
    const before = pending.length;
    for (let i = 0; i < pending.length; ) {
      const { layer, call } = pending[i]!;
      const ins = layer.calls[call]!.inbound.map(valueOf);
      if (ins.every((v): v is Var => v !== undefined)) {
        produced.set(key(layer.name, call), callLayer(layer, ins, ctx, prefix));
        pending.splice(i, 1);
      } else i++;
    }
    if (pending.length === before) throw new Error('internal: the model has a call that can never run');
  }
  return model.outputs.map((ref) => valueOf(ref)!);
}
