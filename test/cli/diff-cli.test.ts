import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
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
