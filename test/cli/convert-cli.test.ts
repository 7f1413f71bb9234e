import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { fixturePath } from '../helpers.js';

const bin = fixturePath('bin/densegraph.js');

/** Runs the built CLI as a user would; returns exit code and output. */
function cli(...argv: string[]) {
  try {
    const stdout = execFileSync(process.execPath, [bin, ...argv], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { code: 0, stdout, stderr: '' };
  } catch (e) {
    const err = e as { status: number; stdout: string; stderr: string };
    return { code: err.status, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('densegraph convert', () => {
  const dir = mkdtempSync(join(tmpdir(), 'densegraph-convert-'));

  it('Python → Keras JSON → spec → Keras JSON: the same model and the same file each time', () => {
    const json = join(dir, 'seed.json');
    expect(cli('convert', fixturePath('fixtures/seed/binary-classifier.py'), '--to', 'keras-json', '-o', json).code).toBe(0);
    const spec = join(dir, 'seed.yaml');
    const r = cli('convert', json, '--to', 'spec', '-o', spec);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(parseYaml(readFileSync(spec, 'utf8'))).toMatchObject({ densegraph: 1, name: 'sequential' });
    const again = cli('convert', spec, '--to', 'keras-json');
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(readFileSync(json, 'utf8'));
    const summaries = [fixturePath('fixtures/seed/binary-classifier.yaml'), json, spec].map((f) => cli('summary', '-f', 'json', f).stdout);
    expect(summaries[1]).toBe(summaries[0]);
    expect(summaries[2]).toBe(summaries[0]);
  });

  it('--to spec writes JSON for a .json output or with --json', () => {
    const out = join(dir, 'spec.json');
    expect(cli('convert', fixturePath('fixtures/seed/hidden-relu.yaml'), '--to', 'spec', '-o', out).code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ densegraph: 1 });
    expect(JSON.parse(cli('convert', fixturePath('fixtures/seed/hidden-relu.yaml'), '--to', 'spec', '--json').stdout)).toEqual(JSON.parse(readFileSync(out, 'utf8')));
  });

  it('a model with layers the spec cannot hold: exit 1, the layers named, the way out given, no file written', () => {
    const out = join(dir, 'resnet.yaml');
    const r = cli('convert', fixturePath('fixtures/keras/k2_07_kotlindl_toyresnet_modelConfig.json'), '--to', 'spec', '-o', out);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/k2_07_kotlindl_toyresnet_modelConfig\.json:\d+:\d+ .*error: the spec format holds only layers densegraph knows.*'conv2d_34' \(Conv2D\)/);
    expect(r.stderr).toContain('--to keras-json');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
  });

  it('usage errors: no --to, an unknown --to (exit 2); an invalid model (exit 1)', () => {
    expect(cli('convert', fixturePath('fixtures/seed/hidden-relu.yaml')).code).toBe(2);
    const bad = cli('convert', fixturePath('fixtures/seed/hidden-relu.yaml'), '--to', 'onnx');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('spec, keras-json');
    expect(cli('convert', fixturePath('fixtures/python/p20_moshebeutel_functional_smart_quotes.py'), '--to', 'spec').code).toBe(1);
  });
});
