/**
 * The JSON Schema of the spec format, derived from the layer schemas (STYLE.md rule 3).
 * Published as schema/spec.schema.json; a test keeps the file equal to this function's output.
 */
import { LAYER_KINDS, LAYERS } from '../layers/registry.js';
import { fieldJsonSchema, type Schema } from '../layers/schema.js';
import { SPEC_FORMAT_VERSION } from './spec.js';

export const SPEC_SCHEMA_ID = 'https://densegraph.dev/schema/spec-v1.json';

function layerArgsSchema(schema: Schema): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  for (const [name, field] of Object.entries(schema)) {
    properties[name] = fieldJsonSchema(field);
    if (field.required) required.push(name);
  }
  return { type: 'object', properties, additionalProperties: false, ...(required.length ? { required } : {}) };
}

export function specJsonSchema(): Record<string, unknown> {
  const defs: Record<string, unknown> = {};
  const entries: unknown[] = [];
  for (const kind of LAYER_KINDS) {
    const def = LAYERS[kind];
    const args = layerArgsSchema(def.schema);
    defs[`${kind}Args`] = args;
    const firstPositional = def.positional[0];
    const forms: unknown[] = [{ $ref: `#/$defs/${kind}Args` }, { type: 'null' }];
    if (firstPositional) forms.push((args['properties'] as Record<string, unknown>)[firstPositional]);
    if (def.positional.length) forms.push({ type: 'array', maxItems: def.positional.length });
    entries.push({
      type: 'object',
      description: def.doc,
      properties: { [kind]: { anyOf: forms } },
      required: [kind],
      additionalProperties: false,
    });
    const noRequired = Object.values(def.schema).every((f) => !f.required);
    if (noRequired) entries.push({ const: kind, description: `${kind} with default arguments` });
    entries.push({
      type: 'object',
      description: `${kind} in Keras's own serialisation form`,
      properties: { class_name: { const: kind }, config: { $ref: `#/$defs/${kind}Args` } },
      required: ['class_name'],
      additionalProperties: false,
    });
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: SPEC_SCHEMA_ID,
    title: 'densegraph model spec',
    description: 'A neural-network model as Keras-style layers with Keras argument names. See docs/spec-format.md.',
    type: 'object',
    properties: {
      densegraph: { const: SPEC_FORMAT_VERSION, description: 'Spec format version.' },
      name: { type: 'string', minLength: 1, default: 'sequential', description: 'Model name.' },
      layers: { type: 'array', description: 'The layers of a Sequential model, in order.', items: { anyOf: entries } },
    },
    required: ['layers'],
    additionalProperties: false,
    $defs: defs,
  };
}
