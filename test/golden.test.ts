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
  const files = readdirSync(fixturePath(dir)).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();
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
