/**
 * Golden files: every fixture model has sibling expected outputs under fixtures/golden/.
 * `npm run test:update` (UPDATE_GOLDEN=1) rewrites them; review that diff like code.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toDot } from '../src/backends/dot.js';
import { loadStyle } from '../src/backends/style.js';
import { summary } from '../src/backends/summary.js';
import { dotToSvg } from '../src/backends/svg.js';
import { svgToPng } from '../src/backends/png.js';
import { toMermaid } from '../src/backends/mermaid.js';
import { createHash } from 'node:crypto';
import { compileSpec, fixturePath } from './helpers.js';
import { parseModel } from '../src/frontends/load.js';
import { compileModel } from '../src/passes/compile.js';
import { formatDiagnostic } from '../src/ir/diagnostics.js';

const update = process.env['UPDATE_GOLDEN'] === '1';
const fixtureDirs = ['fixtures/seed', 'fixtures/models', 'fixtures/functional'];

function golden(path: string, actual: string): void {
  if (update || !existsSync(path)) {
    if (!update) throw new Error(`golden file ${path} is missing: run npm run test:update and review it`);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  expect(actual, `${path} differs; if the change is intended run npm run test:update`).toBe(readFileSync(path, 'utf8'));
}

for (const dir of fixtureDirs) {
  const files = readdirSync(fixturePath(dir)).filter((f) => /\.(ya?ml)$/.test(f)).sort();
  describe(dir, () => {
    for (const file of files) {
      const name = basename(file).replace(/\.(ya?ml|json)$/, '');
      const out = (ext: string) => fixturePath(join('fixtures/golden', basename(dir), `${name}.${ext}`));
      it(`${file}: DOT in both styles, SVG, PNG, Mermaid and summaries`, async () => {
        const model = compileSpec(readFileSync(fixturePath(join(dir, file)), 'utf8'), file);
        const keras3 = toDot(model, loadStyle('keras3').style!);
        golden(out('keras3.dot'), keras3);
        golden(out('keras2.dot'), toDot(model, loadStyle('keras2').style!));
        const svg = await dotToSvg(keras3);
        golden(out('svg'), svg);
        // PNGs are kept as their digest: byte-stable output without binary files in the repo.
        const png = svgToPng(svg);
        golden(out('png.sha256'), `${createHash('sha256').update(png).digest('hex')}\n`);
        golden(out('mmd'), toMermaid(model));
        if (model.layers.some((l) => l.model)) {
          golden(out('expanded.mmd'), toMermaid(model, { expandNested: true }));
          const expanded = toDot(model, loadStyle('keras3').style!, { expandNested: true });
          golden(out('expanded.keras3.dot'), expanded);
          golden(out('expanded.svg'), await dotToSvg(expanded));
        }
        golden(out('summary.txt'), summary(model, 'text'));
        golden(out('summary.md'), summary(model, 'markdown'));
        golden(out('summary.json'), summary(model, 'json'));
      });
    }
  });
}

/**
 * Models in other formats (Keras JSON, TensorFlow.js, Python): golden summary and DOT, read
 * through format detection as the CLI reads them.
 */
const imported = [
  ...readdirSync(fixturePath('fixtures/keras')).filter((f) => f.endsWith('.json')).map((f) => `fixtures/keras/${f}`),
  ...readdirSync(fixturePath('fixtures/python')).filter((f) => f.endsWith('.py')).map((f) => `fixtures/python/${f}`),
  'fixtures/tfjs/t1_tfjs_examples_abalone/model.json',
  'fixtures/tfjs/t4_tfjs_rn_bundle_list_config/bundle_model_test.json',
  'fixtures/tfjs/t3_tfjs_e2e_embedding_gru/model.json',
].sort();

describe('imported formats', () => {
  for (const file of imported) {
    it(`${file}: summary and DOT`, async () => {
      const parsed = parseModel(readFileSync(fixturePath(file), 'utf8'), file);
      const result = parsed.model ? compileModel(parsed.model) : { diagnostics: parsed.diagnostics };
      const name = file.replace(/^fixtures\//, '').replace(/[/.]/g, '_');
      const out = (ext: string) => fixturePath(join('fixtures/golden/imported', `${name}.${ext}`));
      if (!('compiled' in result) || !result.compiled) {
        // Files that are refused (a subclassed model, typographic quotes) keep their messages;
        // every other shared case must import and draw (issue 5).
        expect(file).toMatch(/p16_handson_subclassed|p20_moshebeutel_functional_smart_quotes/);
        golden(out('errors.txt'), `${result.diagnostics.map(formatDiagnostic).join('\n')}\n`);
        return;
      }
      golden(out('summary.txt'), summary(result.compiled, 'text'));
      golden(out('keras3.dot'), toDot(result.compiled, loadStyle('keras3').style!));
    });
  }
});

describe('the seed examples as Python', () => {
  for (const name of ['dense-8-relu', 'output-sigmoid', 'output-softmax', 'hidden-relu', 'binary-classifier']) {
    it(`${name}.py gives exactly the summary of ${name}.yaml`, () => {
      const py = parseModel(readFileSync(fixturePath(`fixtures/seed/${name}.py`), 'utf8'), `${name}.py`);
      const compiled = compileModel(py.model!).compiled!;
      const yaml = compileSpec(readFileSync(fixturePath(`fixtures/seed/${name}.yaml`), 'utf8'));
      expect(summary(compiled, 'json')).toBe(summary(yaml, 'json'));
      expect(summary(compiled, 'text')).toBe(summary(yaml, 'text'));
    });
  }
});
