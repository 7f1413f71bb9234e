/**
 * The GitHub Action (action.yml, action/run.mjs), run as a runner runs it: in a git repository
 * with a pull request's two commits, inputs as INPUT_* variables, GITHUB_OUTPUT and
 * GITHUB_STEP_SUMMARY pointing at files. Uses the built CLI (npm run build).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { strToU8, zipSync } from 'fflate';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath, readFixture } from '../helpers.js';

const script = fixturePath('action/run.mjs');
const bin = fixturePath('bin/densegraph.js');

const HOSTILE = {
  img: 'models/<img src=x onerror=alert(1)>.yaml',
  ticks: 'models/a`b|c $(touch pwned).yaml',
  newline: 'models/evil\n::error::boom.yaml',
  dashes: '--help.yaml',
  mention: 'models/@octocat #1.yaml',
};
/** A model whose own names are hostile too (densegraph escapes them in what it prints). */
const hostileModel = 'name: "@octocat <img src=x onerror=alert(1)>"\nlayers:\n  - Dense: {units: 4, input_dim: 6, name: "<script>alert(1)</script> @octocat #1"}\n';

const seed = readFixture('fixtures/seed/binary-classifier.yaml');
/** The seed classifier with Dense(6) → Dense(16) and a Dropout after it. */
const changedSeed = seed.replace('  - Dense: {units: 6, kernel_initializer: uniform, activation: relu}\n', '  - Dense: {units: 16, kernel_initializer: uniform, activation: relu}\n  - Dropout: {rate: 0.5}\n');
const kerasConfig = readFixture('fixtures/keras/k3_01_derived_seed_sequential.json');
const keras = (config: string) => zipSync({ 'metadata.json': strToU8('{"keras_version": "3.5.0"}'), 'config.json': strToU8(config) });
// 4 → 8 → 6 → 1 and 4 → 8 → 16 → 1 (the Dropout has no weights): Dense params are in*units + units.
const SEED_PARAMS = 4 * 8 + 8 + 8 * 6 + 6 + 6 * 1 + 1;
const CHANGED_PARAMS = 4 * 8 + 8 + 8 * 16 + 16 + 16 * 1 + 1;

const tempDirs: string[] = [];
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function write(repo: string, path: string, data: string | Uint8Array) {
  mkdirSync(join(repo, path, '..'), { recursive: true });
  writeFileSync(join(repo, path), data);
}

function newRepo(prefix: string): string {
  const repo = tempDir(prefix);
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'config', 'user.email', 'test@example.invalid');
  git(repo, 'config', 'user.name', 'test');
  return repo;
}

function commit(repo: string, message: string): string {
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', message);
  return git(repo, 'rev-parse', 'HEAD').trim();
}

interface ActionRun {
  code: number | null;
  stdout: string;
  stderr: string;
  comment: string;
  commentFile: string;
  summary: string;
  outputs: Record<string, string>;
}

/** Runs the action's script in `repo` with the environment a runner gives it. */
function runAction(repo: string, inputs: Record<string, string>, extraEnv: Record<string, string> = {}): ActionRun {
  const files = tempDir('densegraph-action-files-');
  const summaryFile = join(files, 'step-summary.md');
  const outputFile = join(files, 'output.txt');
  writeFileSync(summaryFile, '');
  writeFileSync(outputFile, '');
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', GITHUB_STEP_SUMMARY: summaryFile, GITHUB_OUTPUT: outputFile, ...extraEnv };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase().replace(/-/g, '_')}`] = v;
  env.INPUT_COMMENT_FILE ??= join(files, 'comment.md');
  const r = spawnSync(process.execPath, [script], { cwd: repo, env, encoding: 'utf8' });
  const outputs: Record<string, string> = {};
  for (const m of readFileSync(outputFile, 'utf8').matchAll(/^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2\n/gm)) outputs[m[1]!] = m[3]!;
  const commentFile = resolve(repo, env.INPUT_COMMENT_FILE);
  const comment = existsSync(commentFile) ? readFileSync(commentFile, 'utf8') : '';
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, comment, commentFile, summary: readFileSync(summaryFile, 'utf8'), outputs };
}

/** Markdown text back to the characters it shows (the entities the comment uses; zero-width spaces dropped). */
function shown(md: string): string {
  return md.replace(/&#8203;/g, '').replace(/&#92;u\{([0-9A-F]+)\}/g, (_, h: string) => String.fromCodePoint(parseInt(h, 16))).replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)));
}

/** The rows of the comment's overview table: file (as shown) → change. */
function tableRows(comment: string): Array<[string, string, string]> {
  const lines = comment.split('\n');
  const start = lines.indexOf('| model file | change | total params |');
  if (start < 0) return [];
  const rows: Array<[string, string, string]> = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    const cells = line.split('|');
    expect(cells, `a row of the table with four pipes: ${line}`).toHaveLength(5);
    rows.push([shown(cells[1]!.trim()), cells[2]!.trim(), cells[3]!.trim()]);
  }
  return rows;
}

let repo: string;
let base: string;
/** The action run on the pull request with default inputs, as on a runner (GITHUB_ACTIONS). */
let pr: ActionRun;

beforeAll(() => {
  // The pull request: the base commit on main, then one commit on a branch.
  repo = newRepo('densegraph-action-');
  write(repo, 'models/binary-classifier.yaml', seed);
  write(repo, 'models/old.yaml', readFixture('fixtures/seed/output-softmax.yaml'));
  write(repo, 'models/same.yaml', 'layers:\n  - Dense: {units: 8, input_dim: 4, activation: relu}\n');
  write(repo, 'models/mlp.yaml', readFixture('fixtures/seed/dense-8-relu.yaml'));
  write(repo, 'models/broken.yaml', 'layers:\n  - Dense: {units: 8, input_dim: 4, activation: relu}\n');
  write(repo, 'models/seed.keras', keras(kerasConfig));
  write(repo, 'models/data.json', '{"rows": [1, 2, 3]}\n');
  write(repo, 'docs/models.md', '# Models\n');
  base = commit(repo, 'base');
  git(repo, 'checkout', '-q', '-b', 'pr');
  write(repo, 'models/binary-classifier.yaml', changedSeed);
  unlinkSync(join(repo, 'models/old.yaml'));
  write(repo, 'models/same.yaml', '# the same model, written out\nlayers:\n  - Dense:\n      units: 8\n      input_dim: 4\n      activation: relu\n');
  renameSync(join(repo, 'models/mlp.yaml'), join(repo, 'models/mlp-renamed.yaml'));
  write(repo, 'models/broken.yaml', 'layers:\n  - Dense: {units: 8, input_dim: 4, activation: rleu}\n');
  write(repo, 'models/seed.keras', keras(kerasConfig.replace('"units": 6', '"units": 16')));
  write(repo, 'models/data.json', '{"rows": [1, 2, 3, 4]}\n');
  write(repo, 'models/new.yaml', readFixture('fixtures/seed/hidden-relu.yaml'));
  write(repo, 'tool.py', 'print("not a model")\n');
  // No models, and densegraph cannot parse them: JSON with comments, Python it does not know.
  write(repo, 'config/settings.json', '{\n  // editor settings\n  "tabSize": 2\n}\n');
  write(repo, 'scripts/route.py', 'def route(x):\n    match x:\n        case 1:\n            return "one"\n');
  // A model (it says so) that does not parse: an error to show, not a file to skip.
  write(repo, 'models/broken-syntax.py', 'from keras.models import Sequential\nmodel = Sequential([\n');
  for (const name of Object.values(HOSTILE)) write(repo, name, hostileModel);
  symlinkSync('/etc/passwd', join(repo, 'models/passwd.yaml'));
  commit(repo, 'change the models');
  pr = runAction(repo, { base }, { GITHUB_ACTIONS: 'true' });
}, 120_000);

describe('the action on a pull request', () => {
  it('lists exactly the changed, added and removed models with the change of parameters', () => {
    const r = pr;
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rows = tableRows(r.comment);
    const kinds = Object.fromEntries(rows.map(([file, change]) => [file, change]));
    expect(kinds).toEqual({
      'models/binary-classifier.yaml': '🟡 modified',
      'models/seed.keras': '🟡 modified',
      'models/new.yaml': '🟢 added',
      [HOSTILE.img]: '🟢 added',
      [HOSTILE.ticks]: '🟢 added',
      [HOSTILE.newline]: '🟢 added',
      [HOSTILE.dashes]: '🟢 added',
      [HOSTILE.mention]: '🟢 added',
      'models/old.yaml': '🔴 removed',
      'models/same.yaml': '⚪ file changed, model the same',
      'models/mlp.yaml → models/mlp-renamed.yaml': '⚪ file changed, model the same',
      'models/broken.yaml': '❌ cannot be read',
      'models/broken-syntax.py': '❌ cannot be read',
    });
    const params = Object.fromEntries(rows.map(([file, , p]) => [file, p]));
    expect(params['models/binary-classifier.yaml']).toBe(`${SEED_PARAMS} → ${CHANGED_PARAMS} (+${CHANGED_PARAMS - SEED_PARAMS})`);
    expect(params['models/seed.keras']).toBe(params['models/binary-classifier.yaml']);
    // Files that match the patterns but are no models are listed as skipped, not as models.
    expect(r.comment).toMatch(/<details><summary>5 changed files matching <code>models<\/code> skipped<\/summary>/);
    expect(r.comment).toContain('- config/settings.json: does not parse, and mentions no model');
    expect(r.comment).toContain('- scripts/route.py: does not parse, and mentions no model');
    expect(r.comment).toContain('- models/data.json: not a model densegraph reads');
    expect(r.comment).toContain('- tool.py: not a model densegraph reads');
    // A symbolic link is not followed (it could point anywhere on the runner).
    expect(r.comment).toContain('- models/passwd.yaml: a symbolic link or a submodule, not followed');
  });

  it('pastes the diff densegraph prints for each modified model, and the summary of added and removed ones', () => {
    const r = pr;
    const diff = execFileSync(process.execPath, [bin, 'diff', '--git', base, '-f', 'markdown', '--', 'models/binary-classifier.yaml'], { cwd: repo, encoding: 'utf8' });
    expect(diff).toMatch(/^### Model diff/);
    expect(r.comment).toContain(`### 🟡 models/binary-classifier.yaml\n\n#${diff.trimEnd()}\n`);
    expect(r.comment).toContain(`Total params: ${SEED_PARAMS} → ${CHANGED_PARAMS} (+${CHANGED_PARAMS - SEED_PARAMS})`);
    expect(r.comment).toMatch(/\| dropout \| 🟢 added \|/);
    const added = execFileSync(process.execPath, [bin, 'summary', '-f', 'markdown', 'models/new.yaml'], { cwd: repo, encoding: 'utf8' });
    expect(r.comment).toContain(`### 🟢 models/new.yaml (new model)\n\n${added.trimEnd()}\n`);
    expect(r.comment).toContain(`### 🔴 models/old.yaml (removed)\n\nThe model had ${4 * 3 + 3} parameters.`);
    expect(r.comment).toMatch(/### ❌ models\/broken\.yaml\n\ndensegraph could not read this model:\n\n~~~\n.*unknown activation 'rleu'\. Did you mean 'relu'\?/);
  });

  it('writes the same Markdown to the step summary, and the outputs', () => {
    const r = pr;
    expect(r.summary).toBe(r.comment);
    const rows = tableRows(r.comment);
    const count = (change: string) => rows.filter(([, c]) => c.endsWith(change)).length;
    expect(r.outputs).toEqual({
      changed: String(count('modified') + count('added') + count('removed')),
      modified: '2',
      added: '6',
      removed: '1',
      errors: '2',
      'stale-docs': 'false',
      'comment-file': r.commentFile,
    });
    expect(r.outputs.changed).toBe('9');
  });

  it('writes the comment where comment-file says, relative to the working directory', () => {
    // Run from a subfolder: paths are the repository's all the same; the comment goes to
    // comment-file relative to the working directory, and the output gives its full path.
    const r = runAction(join(repo, 'models'), { base, models: 'models/binary-classifier.yaml', 'comment-file': 'out/comment.md' });
    expect(r.code).toBe(0);
    expect(r.outputs['comment-file']).toBe(join(repo, 'models/out/comment.md'));
    expect(r.comment).toMatch(/^<!-- densegraph-action -->\n/);
    expect(tableRows(r.comment).map(([file]) => file)).toEqual(['models/binary-classifier.yaml']);
    rmSync(join(repo, 'models/out'), { recursive: true });
  }, 60_000);

  it('does not write through a symbolic link the pull request put where the comment goes', () => {
    const victim = join(tempDir('densegraph-action-victim-'), 'victim.txt');
    writeFileSync(victim, 'untouched\n');
    const linked = newRepo('densegraph-action-link-');
    write(linked, 'model.yaml', seed);
    commit(linked, 'base');
    symlinkSync(victim, join(linked, 'densegraph-comment.md'));
    commit(linked, 'a link where the comment goes');
    const r = spawnSync(process.execPath, [script], { cwd: linked, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', INPUT_BASE: 'HEAD~1' } });
    expect(r.status).toBe(0);
    expect(readFileSync(victim, 'utf8')).toBe('untouched\n');
    expect(readFileSync(join(linked, 'densegraph-comment.md'), 'utf8')).toMatch(/^<!-- densegraph-action -->/);
  });

  it('fails on a change only with fail-on-change, and on an unreadable model only with fail-on-error', () => {
    expect(pr.code).toBe(0); // both false by default, with changes and an unreadable model
    const changed = runAction(repo, { base, models: 'models/binary-classifier.yaml', 'fail-on-change': 'true' });
    expect(changed.code).toBe(1);
    expect(changed.stderr).toMatch(/1 model file\(s\) changed and fail-on-change is true/);
    expect(changed.comment).toMatch(/^<!-- densegraph-action -->/); // the comment is written all the same
    expect(runAction(repo, { base, models: 'models/binary-classifier.yaml', 'fail-on-change': 'false' }).code).toBe(0);
    const broken = runAction(repo, { base, models: 'models/broken.yaml', 'fail-on-error': 'true' });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/1 model file\(s\) could not be read/);
    // A file that is no model is not an unreadable model.
    expect(runAction(repo, { base, models: 'models/data.json\nconfig/settings.json', 'fail-on-error': 'true' }).code).toBe(0);
    // Nothing changed since HEAD: nothing to fail on.
    const none = runAction(repo, { base: 'HEAD', 'fail-on-change': 'true', 'fail-on-error': 'true' });
    expect(none.code).toBe(0);
    expect(none.outputs.changed).toBe('0');
    expect(none.comment).toMatch(/No model file changed since `[0-9a-f]{12}` \(the merge base\)\./);
  }, 180_000);

  it('the models input selects the files', () => {
    const r = runAction(repo, { base, models: 'models/*.yaml\n!models/broken.yaml' });
    expect(tableRows(r.comment).map(([file]) => file).sort()).toEqual([
      HOSTILE.img, HOSTILE.ticks, HOSTILE.newline, HOSTILE.mention, 'models/binary-classifier.yaml', 'models/mlp.yaml → models/mlp-renamed.yaml', 'models/new.yaml', 'models/old.yaml', 'models/same.yaml',
    ].sort());
    expect(r.comment.match(/^- .*$/gm)).toEqual(['- models/passwd.yaml: a symbolic link or a submodule, not followed']);
    const limited = runAction(repo, { base, 'max-models': '3' });
    expect(tableRows(limited.comment).length + (limited.comment.match(/^- /gm)?.length ?? 0)).toBe(3);
    expect(limited.comment).toMatch(/⚠️ \d+ more matching files were not examined \(the `max-models` input is 3\)/);
  }, 120_000);

  it('hostile file names are inert: no HTML, no code spans or table cells of their own, no shell, no workflow commands', () => {
    const r = pr;
    expect(r.code).toBe(0);
    expect(r.comment).not.toMatch(/<img/i);
    expect(r.comment).toContain('models/&#60;img src&#61;x onerror&#61;alert&#40;1&#41;&#62;.yaml');
    expect(r.comment).not.toContain('a`b');
    expect(r.comment).not.toContain('b|c');
    expect(r.comment).not.toMatch(/^::/m);
    // Outside code blocks (where GitHub looks for them) no @mention and no #issue reference,
    // neither from file names nor from the model and layer names densegraph prints.
    const prose = r.comment.replace(/^```[\s\S]*?^```$/gm, '').replace(/^~~~[\s\S]*?^~~~$/gm, '');
    expect(prose).toContain('models/&#64;&#8203;octocat &#35;&#8203;1.yaml');
    expect(prose).toContain('@&#8203;octocat');
    expect(prose).not.toMatch(/@\w/);
    expect(prose).not.toMatch(/(?<!^#*|&)#\d/m);
    expect(existsSync(join(repo, 'pwned'))).toBe(false);
    // The only HTML tags are the comment's own.
    const allowed = ['<details>', '</details>', '<summary>', '</summary>', '<code>', '</code>', '<br>'];
    expect((r.comment.match(/<\/?[a-z][^>]*>/gi) ?? []).filter((tag) => !allowed.includes(tag))).toEqual([]);
    // Workflow commands are stopped for the whole log, so a name cannot issue one.
    const lines = r.stdout.trimEnd().split('\n');
    const token = /^::stop-commands::(\S+)$/.exec(lines[0]!)?.[1];
    expect(token).toBeTruthy();
    expect(lines.at(-1)).toBe(`::${token}::`);
    expect(lines.slice(1, -1).filter((l) => l.startsWith('::'))).toEqual([]);
  });

  it('the models default of action.yml is the script\'s own default', () => {
    const action = parse(readFileSync(fixturePath('action.yml'), 'utf8'));
    const withDefault = runAction(repo, { base, models: action.inputs.models.default });
    expect(withDefault.comment).toBe(pr.comment);
    expect(tableRows(pr.comment).length).toBeGreaterThan(0);
  }, 60_000);

  it('bad inputs exit 2 with a message', () => {
    const r = runAction(repo, { base: 'no-such-branch' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot find the base revision 'no-such-branch': fetch the history \(actions\/checkout with fetch-depth: 0\)/);
    expect(runAction(repo, { base: '--output=x' }).code).toBe(2);
    expect(runAction(repo, { base, 'fail-on-change': 'yes' }).stderr).toMatch(/INPUT_FAIL_ON_CHANGE must be true or false/);
    expect(runAction(repo, { base, models: '**/*.{yaml' }).code).toBe(2);
  });
});

describe('the comment within GitHub\'s size limit', () => {
  it('shortens the sections of the last models, then leaves them out; the table keeps every file', async () => {
    const { buildComment, COMMENT_LIMIT } = await import(pathToFileURL(fixturePath('action/comment.mjs')).href);
    const big = (i: number) => ({ path: `models/m${i}.yaml`, kind: 'modified', oldParams: i, newParams: i + 1, body: `### Model diff: m${i}\n\n${'x'.repeat(5000)}\n` });
    const report = (n: number) => ({ baseShort: 'abc', models: Array.from({ length: n }, (_, i) => big(i)), skipped: [], overLimit: [], maxModels: 50, markdown: null });
    const small = buildComment(report(3), COMMENT_LIMIT);
    expect(small).toContain('x'.repeat(5000));
    expect(small).not.toMatch(/left out/);
    const shortened = buildComment(report(20), COMMENT_LIMIT);
    expect(shortened.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(tableRows(shortened)).toHaveLength(20);
    expect(shortened).toContain('### 🟡 models/m0.yaml\n\n#### Model diff: m0'); // the first ones in full
    expect(shortened).toContain('### 🟡 models/m19.yaml\n\nTotal params: 19 → 20 (+1)\n\n_Details left out');
    const dropped = buildComment(report(20), 3000);
    expect(dropped.length).toBeLessThanOrEqual(3000);
    expect(tableRows(dropped)).toHaveLength(20);
    expect(dropped).toMatch(/_\d+ more model sections left out to keep the comment within GitHub's size limit; the table above lists every file\._/);
  });
});

describe('action.yml', () => {
  const text = readFileSync(fixturePath('action.yml'), 'utf8');
  const action = parse(text);
  const steps: Array<Record<string, any>> = action.runs.steps;

  it('is a composite action whose every referenced input is declared', () => {
    expect(action.runs.using).toBe('composite');
    const referenced = new Set([...text.matchAll(/inputs\.([A-Za-z0-9_-]+)/g)].map((m) => m[1]));
    expect([...referenced].filter((name) => !(name! in action.inputs))).toEqual([]);
    // and every declared input is used
    expect(Object.keys(action.inputs).filter((name) => !referenced.has(name))).toEqual([]);
  });

  it('passes inputs to the script as environment variables it reads, never in the command line', () => {
    const review = steps.find((s) => s.id === 'review')!;
    const source = readFileSync(script, 'utf8');
    const read = new Set([...source.matchAll(/\bINPUT_[A-Z_]+/g)].map((m) => m[0]));
    expect(new Set(Object.keys(review.env))).toEqual(read);
    for (const [name, value] of Object.entries(review.env as Record<string, string>)) {
      const input = /^\$\{\{ inputs\.([a-z-]+) \}\}$/.exec(value)?.[1];
      expect(input, name).toBeDefined();
      expect(`INPUT_${input!.toUpperCase().replace(/-/g, '_')}`).toBe(name);
    }
    // An expression in `run:` would be pasted into the shell script: script injection.
    for (const s of steps) if (s.run) expect(s.run).not.toContain('${{');
  });

  it('every run step runs a script of the action that exists', () => {
    const runs = steps.filter((s) => s.run);
    expect(runs.length).toBeGreaterThan(0);
    for (const s of runs) {
      expect(s.shell).toBe('bash');
      const path = /"\$GITHUB_ACTION_PATH\/([^"]+)"/.exec(s.run)?.[1];
      expect(path, s.run).toBeDefined();
      expect(existsSync(fixturePath(path!)), path).toBe(true);
    }
  });

  it('declares as outputs what the script writes', () => {
    const source = readFileSync(script, 'utf8');
    const written = new Set([...source.matchAll(/setOutput\('([a-z-]+)'/g)].map((m) => m[1]));
    expect(new Set(Object.keys(action.outputs))).toEqual(written);
    for (const [name, o] of Object.entries(action.outputs as Record<string, { value: string }>)) {
      expect(o.value).toBe(`\${{ steps.review.outputs.${name} }}`);
    }
  });
});

describe('the example workflow (docs/examples/densegraph-pr.yml)', () => {
  const action = parse(readFileSync(fixturePath('action.yml'), 'utf8'));
  const workflow = parse(readFileSync(fixturePath('docs/examples/densegraph-pr.yml'), 'utf8'));
  const steps: Array<Record<string, any>> = workflow.jobs.review.steps;

  it('checks out the history, uses only inputs the action declares, and may post the comment', () => {
    expect(Object.keys(workflow.on)).toEqual(['pull_request']);
    expect(workflow.permissions['pull-requests']).toBe('write');
    expect(steps[0]).toMatchObject({ uses: 'actions/checkout@v4', with: { 'fetch-depth': 0 } });
    const use = steps.find((s) => /\/densegraph@/.test(s.uses ?? ''))!;
    expect(Object.keys(use.with).filter((k) => !(k in action.inputs))).toEqual([]);
    // The step that posts reads the file the action writes by default.
    const post = steps.find((s) => s.name === 'Post the comment')!;
    expect(post.with.path).toBe(action.inputs['comment-file'].default);
    expect(post.if).toContain(`hashFiles('${action.inputs['comment-file'].default}')`);
  });

  it('is shown in docs/github-action.md as it is', () => {
    const doc = readFileSync(fixturePath('docs/github-action.md'), 'utf8');
    expect(doc).toContain(`\`\`\`yaml\n${readFileSync(fixturePath('docs/examples/densegraph-pr.yml'), 'utf8')}\`\`\`\n`);
  });
});

/** `densegraph md` is another command; its part of the action runs when the CLI has it. */
const hasMd = spawnSync(process.execPath, [bin, 'md', '--help'], { encoding: 'utf8' }).stdout.includes('densegraph md');

describe.runIf(hasMd)('the action checks the diagrams in Markdown files', () => {
  let docs: string;
  beforeAll(() => {
    docs = newRepo('densegraph-action-md-');
    write(docs, 'docs/guide.md', `# Guide\n\n\`\`\`densegraph\n${seed}\`\`\`\n`);
    write(docs, 'README.md', '# Readme\n');
    write(docs, 'docs/it`s <b>.md', `# Hostile name\n\n\`\`\`densegraph\n${readFixture('fixtures/seed/hidden-relu.yaml')}\`\`\`\n`);
    commit(docs, 'base');
    write(docs, 'docs/guide.md', `# Guide\n\n\`\`\`densegraph\n${changedSeed}\`\`\`\n`);
    commit(docs, 'change the guide');
  });

  it('fails with stale-docs when a diagram is missing, and passes once md wrote it', () => {
    const stale = runAction(docs, { base: 'HEAD~1', markdown: 'docs/*.md' });
    expect(stale.code).toBe(1);
    expect(stale.outputs['stale-docs']).toBe('true');
    expect(stale.stderr).toMatch(/stale or missing \(densegraph md --check\)/);
    expect(stale.comment).toMatch(/### Diagrams in Markdown files\n\n❌ Stale or missing diagrams: 2 files checked/);
    // The fix, as a shell command with the names quoted, in a fenced block (so `<b>` is text).
    expect(stale.comment).toContain(`~~~sh\nnpx densegraph md docs/guide.md ${"'docs/it`s <b>.md'"}\n~~~`);
    execFileSync(process.execPath, [bin, 'md', '--', 'docs/it`s <b>.md', 'docs/guide.md'], { cwd: docs, stdio: 'ignore' });
    const fresh = runAction(docs, { base: 'HEAD~1', markdown: 'docs/*.md' });
    expect(fresh.outputs['stale-docs']).toBe('false');
    expect(fresh.code).toBe(0);
    expect(fresh.comment).toMatch(/✅ Up to date: 2 files checked/);
    // The diagrams are where md writes them by default: another out-dir makes them missing.
    const elsewhere = runAction(docs, { base: 'HEAD~1', markdown: 'docs/guide.md', 'markdown-out-dir': 'diagrams' });
    expect(elsewhere.outputs['stale-docs']).toBe('true');
    expect(elsewhere.comment).toContain('npx densegraph md --out-dir diagrams docs/guide.md');
  }, 60_000);

  it('skips the check when the markdown input is empty', () => {
    const r = runAction(docs, { base: 'HEAD~1' });
    expect(r.outputs['stale-docs']).toBe('false');
    expect(r.comment).not.toMatch(/Diagrams in Markdown/);
  });
});
