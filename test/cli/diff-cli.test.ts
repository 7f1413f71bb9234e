import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixturePath } from '../helpers.js';

const bin = fixturePath('bin/densegraph.js');
let repo: string;

/** Runs the built CLI in `cwd` as a user would; returns exit code and output. */
function cli(cwd: string, ...argv: string[]) {
  try {
    const stdout = execFileSync(process.execPath, [bin, ...argv], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { code: 0, stdout, stderr: '' };
  } catch (e) {
    const err = e as { status: number; stdout: string; stderr: string };
    return { code: err.status, stdout: err.stdout, stderr: err.stderr };
  }
}

beforeAll(() => {
  // A repository with two commits of one model file, as a CI job sees a pull request.
  repo = mkdtempSync(join(tmpdir(), 'densegraph-diff-'));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'test@example.invalid');
  git('config', 'user.name', 'test');
  writeFileSync(join(repo, 'model.yaml'), 'layers:\n  - Dense: {units: 8, input_dim: 4, activation: relu}\n  - Dense: {units: 1, activation: sigmoid}\n');
  git('add', 'model.yaml');
  git('commit', '-q', '-m', 'first');
  writeFileSync(join(repo, 'model.yaml'), 'layers:\n  - Dense: {units: 12, input_dim: 4, activation: relu}\n  - Dense: {units: 1, activation: sigmoid}\n');
});

describe('densegraph diff', () => {
  it('--git REV compares the working file with its committed version', () => {
    const r = cli(repo, 'diff', '--git', 'HEAD', 'model.yaml', '-f', 'json');
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d.totalParamsChange).toBe(12 * 4 + 12 + 13 - 49);
    expect(d.layers.find((l: { name: string }) => l.name === 'dense').arguments).toEqual([{ argument: 'units', old: 8, new: 12 }]);
  });

  it('--exit-code returns 1 when the models differ and 0 when they do not', () => {
    expect(cli(repo, 'diff', '--git', 'HEAD', 'model.yaml', '--exit-code').code).toBe(1);
    const seed = fixturePath('fixtures/seed/binary-classifier.yaml');
    expect(cli(repo, 'diff', seed, seed, '--exit-code').code).toBe(0);
  });

  it('a revision that does not have the file is a clear error', () => {
    const r = cli(repo, 'diff', '--git', 'nosuchbranch', 'model.yaml');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot read 'model\.yaml' at git revision 'nosuchbranch'/);
  });

  it('usage mistakes exit 2', () => {
    expect(cli(repo, 'diff', 'model.yaml').code).toBe(2);
    expect(cli(repo, 'diff', '--git', 'HEAD', 'model.yaml', 'other.yaml').code).toBe(2);
    expect(cli(repo, 'diff', 'model.yaml', 'model.yaml', '-f', 'pdf').code).toBe(2);
  });

  it('writes svg and markdown', () => {
    const svg = cli(repo, 'diff', '--git', 'HEAD', 'model.yaml', '-f', 'svg');
    expect(svg.stdout).toMatch(/^<\?xml[\s\S]*units: 8 → 12[\s\S]*<\/svg>\n$/);
    expect(cli(repo, 'diff', '--git', 'HEAD', 'model.yaml').stdout).toMatch(/^### Model diff: sequential\n\nTotal params: 49 → 73 \(\+24\)/);
  });
});

describe('the seed model with Dense(6) changed to Dense(16) and a Dropout added (issue 6)', () => {
  // The seed's Python, as a pull request would change it: in a git repository, old and new.
  const seedPy = readFileSync(fixturePath('fixtures/seed/binary-classifier.py'), 'utf8');
  const changedPy = seedPy.replace(/Dense\(6,([^\n]*)\)\)\n/, 'Dense(16,$1))\nmodel.add(Dropout(0.2))\n').replace(/from keras.layers import Dense\b/, 'from keras.layers import Dense, Dropout');
  let dir: string;

  beforeAll(() => {
    expect(changedPy).not.toBe(seedPy);
    expect(changedPy).toContain('Dense(16');
    dir = mkdtempSync(join(tmpdir(), 'densegraph-seed-diff-'));
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
    git('init', '-q', '-b', 'main');
    git('config', 'user.email', 'test@example.invalid');
    git('config', 'user.name', 'test');
    writeFileSync(join(dir, 'model.py'), seedPy);
    git('add', 'model.py');
    git('commit', '-q', '-m', 'seed');
    writeFileSync(join(dir, 'model.py'), changedPy);
  });

  it('json: exactly dense_1 changed (units 6 → 16), dropout added, dense_2 fed by it; +100 parameters', () => {
    const r = cli(dir, 'diff', '--git', 'HEAD', 'model.py', '-f', 'json', '--exit-code');
    expect(r.code).toBe(1);
    const d = JSON.parse(r.stdout);
    const changed = d.layers.filter((l: { kind: string }) => l.kind !== 'unchanged');
    expect(changed.map((l: { name: string; kind: string }) => [l.name, l.kind])).toEqual([['dense_1', 'changed'], ['dropout', 'added'], ['dense_2', 'changed']]);
    expect(changed[0].arguments).toEqual([{ argument: 'units', old: 6, new: 16 }]);
    expect(changed[0].params).toEqual({ old: 54, new: 8 * 16 + 16 });
    expect(changed[2].arguments).toEqual([]);
    expect(changed[2].inbound).toEqual({ old: ['dense_1'], new: ['dropout'] });
    expect(changed[2].params).toEqual({ old: 7, new: 17 });
    expect([d.old.totalParams, d.new.totalParams, d.totalParamsChange]).toEqual([101, 201, 100]);
  });

  it('markdown, dot, svg and mermaid say the same', () => {
    const md = cli(dir, 'diff', '--git', 'HEAD', 'model.py').stdout;
    expect(md).toContain('Total params: 101 → 201 (+100); layers: 1 added, 0 removed, 2 changed');
    expect(md).toMatch(/\| dense\\_1 \| 🟡 changed \| units: 6 → 16<br>[^|]*params: 54 → 144/);
    expect(md).toMatch(/\| dropout \| 🟢 added \|/);
    const dot = cli(dir, 'diff', '--git', 'HEAD', 'model.py', '-f', 'dot').stdout;
    expect(dot).toContain('units: 6 → 16');
    expect(dot).toMatch(/"dropout" \[[^\]]*fillcolor = "#dafbe1"/);
    const svg = cli(dir, 'diff', '--git', 'HEAD', 'model.py', '-f', 'svg').stdout;
    expect(svg).toContain('units: 6 → 16');
    const mmd = cli(dir, 'diff', '--git', 'HEAD', 'model.py', '-f', 'mermaid').stdout;
    expect(mmd).toMatch(/^flowchart TB/);
    expect(mmd).toContain('dropout');
    expect(mmd).toContain('16');
  });
});

describe('diff --git on a .keras archive (read as bytes from git)', () => {
  it('compares the committed archive with the working one', async () => {
    const { zipSync, strToU8 } = await import('fflate');
    const dir = mkdtempSync(join(tmpdir(), 'densegraph-keras-diff-'));
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
    const keras = (spec: string) => {
      writeFileSync(join(dir, 'm.yaml'), spec);
      const config = cli(dir, 'convert', 'm.yaml', '--to', 'keras-json').stdout;
      return zipSync({ 'metadata.json': strToU8('{"keras_version": "3.5.0", "date_saved": "2026-11-29@10:00:00"}'), 'config.json': strToU8(config) });
    };
    git('init', '-q', '-b', 'main');
    git('config', 'user.email', 'test@example.invalid');
    git('config', 'user.name', 'test');
    writeFileSync(join(dir, 'model.keras'), keras('layers:\n  - Dense: {units: 8, input_dim: 4}\n  - Dense: {units: 1}\n'));
    git('add', 'model.keras');
    git('commit', '-q', '-m', 'first');
    writeFileSync(join(dir, 'model.keras'), keras('layers:\n  - Dense: {units: 10, input_dim: 4}\n  - Dense: {units: 1}\n'));
    const r = cli(dir, 'diff', '--git', 'HEAD', 'model.keras', '-f', 'json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).layers.find((l: { name: string }) => l.name === 'dense').arguments).toEqual([{ argument: 'units', old: 8, new: 10 }]);
  });
});
