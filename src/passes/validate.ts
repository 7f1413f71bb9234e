/**
 * Validate: every layer's class is known and its arguments fit the schema; defaults applied.
 * IR → IR (configs normalised) + diagnostics.
 */
import { error, type Diagnostic, type SourceLoc } from '../ir/diagnostics.js';
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

export function validateModel(model: ModelIR): { model: ModelIR; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const layers = model.layers.map((layer): LayerIR => {
    const def = layerDef(layer.className);
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
  return { model: { ...model, layers }, diagnostics };
}
