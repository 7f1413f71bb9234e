/** Model export: the densegraph spec (YAML or JSON) and Keras 3 `to_json()` text. */
import { stringify } from 'yaml';
import { error, type Diagnostic } from '../ir/diagnostics.js';
import type { CompiledModel, LayerIR, ModelIR } from '../ir/model.js';
import { irToSpec } from '../frontends/spec.js';
import { resolveAlias } from '../layers/aliases.js';
import { LEGACY_INPUT_ARG_NAMES } from '../layers/common.js';
import { layerDef } from '../layers/registry.js';
import { toKerasJson } from './keras-json.js';

export const CONVERT_TARGETS = ['spec', 'keras-json'] as const;
export type ConvertTarget = (typeof CONVERT_TARGETS)[number];

export interface ConvertResult {
  /** The converted model; absent when it cannot be written in the target format. */
  readonly text?: string;
  readonly diagnostics: readonly Diagnostic[];
}

/** Layers of the model and of its nested models that satisfy `test`, in order. */
function layersWhere(model: ModelIR, test: (l: LayerIR) => boolean): LayerIR[] {
  return model.layers.flatMap((l) => [...(test(l) ? [l] : []), ...(l.model ? layersWhere(l.model, test) : [])]);
}

/**
 * The model as a spec should say it: Keras 1 `Merge` and helper names (`concatenate`) under
 * their class names, and without the input arguments Keras ignores (`input_dim`,
 * `batch_input_shape`, … on any layer but the first of a Sequential: Keras 2 files repeat them
 * on other layers, where they have no effect).
 */
function specModel(model: ModelIR): ModelIR {
  const firstTakesInput = model.kind === 'Sequential' ? model.layers.find((l) => l.className !== 'InputLayer') : undefined;
  const layers = model.layers.map((layer) => {
    const alias = resolveAlias(layer.className, { ...layer.config });
    let { className, config } = 'error' in alias ? layer : alias;
    const schema = layerDef(className)?.schema;
    const ignored = (k: string) => (LEGACY_INPUT_ARG_NAMES as readonly string[]).includes(k) && schema?.[k]?.legacy === true;
    if (layer !== firstTakesInput && className !== 'InputLayer' && Object.keys(config).some(ignored)) {
      config = Object.fromEntries(Object.entries(config).filter(([k]) => !ignored(k)));
    }
    return { ...layer, className, config, ...(layer.model ? { model: specModel(layer.model) } : {}) };
  });
  return { ...model, layers };
}

/**
 * `model` is the model as read (for the spec, which keeps what the file wrote: `input_dim`,
 * defaults left out), `compiled` the same model after the passes (for Keras JSON, which
 * records every shape and default). The spec holds only layers densegraph knows; a model with
 * others is refused, naming them. Keras JSON keeps them as the file described them.
 */
export function convertModel(model: ModelIR, compiled: CompiledModel, to: ConvertTarget, options: { json?: boolean } = {}): ConvertResult {
  // Neither format can say "a size the source computes": converting would turn it into None.
  const guessed = layersWhere(model, (l) => l.unknownDims === true);
  if (guessed.length > 0) {
    const l = guessed[0]!;
    return {
      diagnostics: [
        error('not-convertible', `the shape given to '${l.name ?? l.className}' (${l.className}) is computed by the program, not written as numbers, so it cannot be written to a model file`, { ...(l.loc ?? {}), ...(l.name ? { layer: l.name } : {}) }, 'write the shape as a tuple of numbers in the source, e.g. input_shape=(8,), then convert'),
      ],
    };
  }
  if (to === 'keras-json') return { text: `${toKerasJson(compiled)}\n`, diagnostics: [] };
  const opaque = layersWhere(model, (l) => l.opaque === true);
  if (opaque.length > 0) {
    const names = opaque.map((l) => `'${l.name ?? l.className}' (${l.className})`);
    return {
      diagnostics: [
        error(
          'not-convertible',
          `the spec format holds only layers densegraph knows, and ${names.length === 1 ? 'this model has one it does not' : `this model has ${names.length} it does not`}: ${names.slice(0, 10).join(', ')}${names.length > 10 ? ', …' : ''}`,
          { ...(opaque[0]!.loc ?? {}), ...(opaque[0]!.name ? { layer: opaque[0]!.name } : {}) },
          'convert it with --to keras-json instead, which keeps such layers as the file describes them',
        ),
      ],
    };
  }
  const spec = irToSpec(specModel(model));
  return { text: options.json ? `${JSON.stringify(spec, null, 2)}\n` : stringify(spec, { lineWidth: 0, aliasDuplicateObjects: false }), diagnostics: [] };
}
