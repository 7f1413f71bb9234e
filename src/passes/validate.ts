/**
 * Validate: every layer's class is known and its arguments fit the schema; defaults applied.
 * IR → IR (configs normalised) + diagnostics.
 */
import { error, warning, type Diagnostic, type SourceLoc } from '../ir/diagnostics.js';
import { resolveAlias } from '../layers/aliases.js';
import type { LayerIR, ModelIR } from '../ir/model.js';
import { didYouMean } from '../ir/suggest.js';
import { LAYER_KINDS, layerDef } from '../layers/registry.js';
import { validateConfig } from '../layers/schema.js';

// Control characters would break every output format and mean nothing in a layer name.
const CONTROL = /[\u0000-\u001f\u007f]/;

function where(layer: LayerIR, arg?: string): SourceLoc | undefined {
  const loc = (arg && layer.argLocs?.[arg]) || layer.loc;
  const name = typeof layer.name === 'string' ? layer.name : undefined;
  if (!loc && !name) return undefined;
  return { ...loc, ...(name ? { layer: name } : {}) };
}

const NESTED_ARGS = ['name', 'trainable'];

/** A nested Sequential/Functional layer: its own arguments, then its inner model. */
function validateNested(layer: LayerIR, diagnostics: Diagnostic[], opaque: Opaque): LayerIR {
  for (const key of Object.keys(layer.config)) {
    if (!NESTED_ARGS.includes(key)) diagnostics.push(error('unknown-argument', `a nested ${layer.className} has no argument '${key}'`, where(layer, key), `valid arguments: ${NESTED_ARGS.join(', ')}`));
  }
  const trainable = layer.config['trainable'];
  if (trainable !== undefined && typeof trainable !== 'boolean') diagnostics.push(error('invalid-argument', `'trainable' must be true or false, got ${JSON.stringify(trainable)}`, where(layer, 'trainable')));
  const inner = validateLayers(layer.model!, diagnostics, opaque);
  return { ...layer, config: { ...layer.config, trainable: trainable ?? true }, model: inner };
}

/** Layers of classes densegraph does not know, by class: reported once per class. */
type Opaque = Map<string, { first: LayerIR; names: string[] }>;

export function validateModel(model: ModelIR): { model: ModelIR; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const opaque: Opaque = new Map();
  const validated = validateLayers(model, diagnostics, opaque);
  for (const [className, { first, names }] of opaque) {
    const others = names.length > 1 ? ` (${names.length} layers: ${names.slice(0, 6).map((n) => `'${n}'`).join(', ')}${names.length > 6 ? ', …' : ''})` : '';
    diagnostics.push(
      warning('opaque-layer', `densegraph does not know the Keras class '${className}'${others}: it is drawn as a box with what the file says, its output shape is unknown unless the file records it, and the model cannot be run`, where(first)),
    );
  }
  return { model: validated, diagnostics };
}

function validateLayers(model: ModelIR, diagnostics: Diagnostic[], opaque: Opaque): ModelIR {
  const layers = model.layers.map((layer): LayerIR => {
    if (layer.model) return validateNested(layer, diagnostics, opaque);
    // Keras's other names for registry layers: `concatenate`, Keras 1's Merge(mode=…).
    const alias = resolveAlias(layer.className, { ...layer.config });
    if ('error' in alias) {
      diagnostics.push(error('unsupported-layer', alias.error, where(layer), alias.hint));
      return layer;
    }
    if (alias.warning) diagnostics.push(warning('legacy-layer', alias.warning, where(layer)));
    if (alias.className !== layer.className) layer = { ...layer, className: alias.className, config: alias.config };
    const def = layerDef(layer.className);
    if (!def && layer.opaque) {
      const seen = opaque.get(layer.className);
      if (seen) seen.names.push(layer.name ?? layer.className);
      else opaque.set(layer.className, { first: layer, names: [layer.name ?? layer.className] });
      return layer;
    }
    if (!def) {
      diagnostics.push(
        error(
          'unknown-layer',
          `unknown layer class '${layer.className}'.${didYouMean(layer.className, LAYER_KINDS)}`,
          where(layer),
          `layer classes densegraph knows: ${LAYER_KINDS.join(', ')}`,
        ),
      );
      return layer;
    }
    const { config, issues } = validateConfig(def.className, def.schema, layer.config);
    for (const issue of issues) {
      diagnostics.push(error(issue.code, issue.message, where(layer, issue.arg), issue.hint));
    }
    const name = config['name'];
    if (typeof name === 'string' && (name.length === 0 || CONTROL.test(name))) {
      diagnostics.push(
        error('invalid-name', `layer name ${JSON.stringify(name)} is empty or contains control characters`, where(layer, 'name'), 'use a name of printable characters'),
      );
    }
    return { ...layer, config, ...(typeof name === 'string' ? { name } : {}) };
  });
  return { ...model, layers };
}
