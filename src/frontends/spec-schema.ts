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

const TENSOR_REF = { type: 'string', minLength: 1, description: "A layer's output: 'name', or 'name[1]' for the output of its second call." };
const CALL = { anyOf: [TENSOR_REF, { type: 'array', items: TENSOR_REF, minItems: 1 }] };
const CALL_PROPERTIES = {
  inbound: { ...CALL, description: 'What the layer is called on (functional models); default: the entry before it.' },
  calls: { type: 'array', items: CALL, minItems: 1, description: 'Several calls of one shared layer, each a tensor or a list of tensors.' },
};

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
      properties: { [kind]: { anyOf: forms }, ...CALL_PROPERTIES },
      required: [kind],
      additionalProperties: false,
    });
    const noRequired = Object.values(def.schema).every((f) => !f.required);
    if (noRequired) entries.push({ const: kind, description: `${kind} with default arguments` });
    entries.push({
      type: 'object',
      description: `${kind} in Keras's own serialisation form`,
      properties: { class_name: { const: kind }, config: { $ref: `#/$defs/${kind}Args` }, ...CALL_PROPERTIES },
      required: ['class_name'],
      additionalProperties: false,
    });
  }
  for (const kind of ['Sequential', 'Functional', 'Model']) {
    entries.push({
      type: 'object',
      description: `A nested ${kind === 'Model' ? 'Functional' : kind} model used as a layer.`,
      properties: { [kind]: { $ref: '#/$defs/model' }, ...CALL_PROPERTIES },
      required: [kind],
      additionalProperties: false,
    });
  }
  defs['layer'] = { anyOf: entries };
  defs['model'] = {
    type: 'object',
    properties: {
      densegraph: { const: SPEC_FORMAT_VERSION, description: 'Spec format version (top level only).' },
      name: { type: 'string', minLength: 1, description: 'Model name (default: sequential, or functional with inputs:).' },
      trainable: { type: 'boolean', description: 'A nested model: whether its weights are trainable.' },
      inputs: {
        type: 'object',
        description: 'A functional model: its inputs, by name, with InputLayer arguments (or just the shape).',
        additionalProperties: { anyOf: [{ $ref: '#/$defs/InputLayerArgs' }, { type: 'array' }, { type: 'integer' }] },
      },
      layers: { type: 'array', description: 'The layers, in order.', items: { $ref: '#/$defs/layer' } },
      outputs: { ...CALL, description: "A functional model: its output tensors." },
    },
    required: ['layers'],
    additionalProperties: false,
  };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: SPEC_SCHEMA_ID,
    title: 'densegraph model spec',
    description: 'A neural-network model as Keras-style layers with Keras argument names. See docs/spec-format.md.',
    $ref: '#/$defs/model',
    $defs: defs,
  };
}
