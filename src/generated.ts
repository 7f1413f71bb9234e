/**
 * Files derived from the code and committed: the spec's JSON Schema, the layer reference and
 * the pictures of the docs, drawn by densegraph itself. `npm run gen` writes them;
 * test/generated.test.ts fails when one is out of date.
 */
import { readFileSync } from 'node:fs';
import { dotToSvg } from './backends/svg.js';
import { toDot } from './backends/dot.js';
import { loadStyle } from './backends/style.js';
import { specJsonSchema } from './frontends/spec-schema.js';
import { parseSpec } from './frontends/spec.js';
import { compileModel } from './passes/compile.js';
import { LAYER_KINDS, LAYERS } from './layers/registry.js';
import { fieldTypeText } from './layers/schema.js';

const root = new URL('../', import.meta.url);

function cell(value: unknown): string {
  return value === undefined ? '' : `\`${JSON.stringify(value)}\``;
}

/** docs/layers.md: one table of arguments per layer kind, from the schemas. */
export function layersDoc(): string {
  const parts = [
    '# Layer reference',
    '',
    '<!-- Generated from the layer schemas by `npm run gen`; do not edit by hand. -->',
    '',
    'Arguments keep their Keras names. *Legacy* arguments are accepted as Keras 2 accepted them (see `docs/spec-format.md`).',
    '',
  ];
  for (const kind of LAYER_KINDS) {
    const def = LAYERS[kind];
    parts.push(`## ${kind}`, '', `${def.doc} Keras: <${def.kerasUrl}>`, '');
    if (def.positional.length) parts.push(`Positional arguments, in order: ${def.positional.map((p) => `\`${p}\``).join(', ')}.`, '');
    parts.push('| argument | type | default | meaning |', '|---|---|---|---|');
    for (const [name, field] of Object.entries(def.schema)) {
      const dflt = field.required ? '*required*' : cell(field.default);
      parts.push(`| \`${name}\`${field.legacy ? ' *(legacy)*' : ''} | ${fieldTypeText(field)} | ${dflt} | ${field.doc.replace(/\|/g, '\\|')} |`);
    }
    parts.push('');
  }
  return parts.join('\n');
}

async function renderFixture(path: string, style: string): Promise<string> {
  const parsed = parseSpec(readFileSync(new URL(path, root), 'utf8'), path);
  const compiled = parsed.model && compileModel(parsed.model).compiled;
  if (!compiled) throw new Error(`${path} does not compile`);
  return dotToSvg(toDot(compiled, loadStyle(style).style!));
}

export async function generatedFiles(): Promise<Record<string, string>> {
  return {
    'schema/spec.schema.json': `${JSON.stringify(specJsonSchema(), null, 2)}\n`,
    'docs/layers.md': layersDoc(),
    'docs/images/binary-classifier.svg': await renderFixture('fixtures/seed/binary-classifier.yaml', 'keras3'),
    'docs/images/binary-classifier-keras2.svg': await renderFixture('fixtures/seed/binary-classifier.yaml', 'keras2'),
    'docs/images/architecture.svg': await dotToSvg(readFileSync(new URL('docs/architecture.dot', root), 'utf8')),
  };
}
