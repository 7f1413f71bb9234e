#!/usr/bin/env node
/**
 * The densegraph GitHub Action (action.yml runs this): which model files a pull request
 * changed, what changed in each (`densegraph diff`), whether the diagrams in Markdown files are
 * up to date (`densegraph md --check`), as one Markdown comment. Reads its inputs from the
 * environment, so it runs the same on a laptop as on a runner (docs/github-action.md):
 *
 *   INPUT_BASE, INPUT_MODELS, INPUT_MARKDOWN, INPUT_MARKDOWN_OUT_DIR, INPUT_MARKDOWN_FORMAT,
 *   INPUT_MARKDOWN_STYLE, INPUT_MARKDOWN_PYTHON, INPUT_FAIL_ON_CHANGE, INPUT_FAIL_ON_ERROR, INPUT_COMMENT_FILE,
 *   INPUT_MAX_MODELS; GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_ACTIONS as a runner sets them;
 *   DENSEGRAPH_BIN, the CLI to run (default: bin/densegraph.js of this checkout).
 *
 * Exit 0: done; 1: stale diagrams, or a change / an unreadable model when the inputs ask to
 * fail on those; 2: bad inputs (an unknown base revision, a bad pattern).
 *
 * File names and contents come from the pull request: nothing here goes through a shell (git
 * and densegraph get argv arrays, names after `--`), model files are only read by densegraph
 * (Python is parsed, never run), names reach Markdown only through comment.mjs, and the log is
 * printed with workflow commands stopped so a file name cannot become one.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { appendFileSync, closeSync, lstatSync, mkdirSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildComment, COMMENT_LIMIT, fenced, SUMMARY_LIMIT } from './comment.mjs';
import { pathFilter } from './glob.mjs';

/** The `models` input's default (also written in action.yml; a test keeps them equal). */
const DEFAULT_MODELS = [
  '**/*.{yaml,yml,json,keras,py}',
  '!**/node_modules/**',
  '!.github/**',
  '!**/package.json',
  '!**/package-lock.json',
  '!**/tsconfig*.json',
].join('\n');

const MAX_OUTPUT = 64 * 1024 * 1024;
/** A densegraph run on one model that takes longer than this is stopped and its file reported. */
const TIMEOUT_MS = 120_000;
/** `md --check` renders every diagram of every Markdown file: it gets longer. */
const MD_TIMEOUT_MS = 900_000;
/** git's modes for a symbolic link and a submodule: never followed. */
const LINK_MODES = new Set(['120000', '160000']);
/** densegraph's messages for a file that is no model at all (load.ts, python/interpreter.ts). */
const NOT_A_MODEL = ['not a model densegraph can read', 'found no Keras model built in this Python code'];
/** densegraph's messages for a file that does not parse as its format at all. */
const UNPARSABLE = /: error: (malformed JSON|malformed YAML|invalid Python)/;
/** Words any model file densegraph reads has in it; a file that does not parse and has none is no model. */
const MODEL_WORDS = /keras|tensorflow|Sequential|Dense|class_name|modelTopology|\blayers\b/i;

class InputError extends Error {}

function bool(env, name, fallback) {
  const v = (env[name] ?? '').trim().toLowerCase();
  if (v === '') return fallback;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new InputError(`${name} must be true or false, not '${env[name]}'`);
}

function readInputs(env) {
  const maxModels = (env.INPUT_MAX_MODELS ?? '').trim() === '' ? 50 : Number(env.INPUT_MAX_MODELS);
  if (!Number.isInteger(maxModels) || maxModels < 1) throw new InputError(`INPUT_MAX_MODELS must be a whole number of at least 1, not '${env.INPUT_MAX_MODELS}'`);
  const format = (env.INPUT_MARKDOWN_FORMAT ?? '').trim();
  if (format !== '' && !/^[a-z]+$/.test(format)) throw new InputError(`INPUT_MARKDOWN_FORMAT must be a format name such as svg or png, not '${format}'`);
  const style = (env.INPUT_MARKDOWN_STYLE ?? '').trim();
  if (style.startsWith('-')) throw new InputError(`INPUT_MARKDOWN_STYLE must be a style name or file, not '${style}'`);
  const base = (env.INPUT_BASE ?? '').trim() || 'HEAD~1';
  if (base.startsWith('-')) throw new InputError(`INPUT_BASE must be a revision, not '${base}'`);
  let models;
  let markdown;
  try {
    models = pathFilter((env.INPUT_MODELS ?? '').trim() || DEFAULT_MODELS);
    markdown = pathFilter(env.INPUT_MARKDOWN ?? '');
  } catch (e) {
    throw new InputError(e.message);
  }
  return {
    base,
    models,
    markdown,
    markdownOutDir: (env.INPUT_MARKDOWN_OUT_DIR ?? '').trim(),
    markdownFormat: format,
    markdownStyle: style,
    markdownPython: bool(env, 'INPUT_MARKDOWN_PYTHON', false),
    failOnChange: bool(env, 'INPUT_FAIL_ON_CHANGE', false),
    failOnError: bool(env, 'INPUT_FAIL_ON_ERROR', false),
    commentFile: resolve((env.INPUT_COMMENT_FILE ?? '').trim() || 'densegraph-comment.md'),
    maxModels,
  };
}

/** Runs git; returns stdout as a Buffer, or throws with git's message. */
function git(cwd, args) {
  const r = spawnSync('git', args, { cwd, maxBuffer: MAX_OUTPUT });
  if (r.status !== 0) throw new Error((r.stderr?.toString() || r.error?.message || `git ${args[0]} failed`).trim());
  return r.stdout;
}

/** Runs the densegraph CLI with argv (never a shell); returns status, stdout and stderr. */
function densegraph(cwd, args, timeout = TIMEOUT_MS) {
  const bin = process.env.DENSEGRAPH_BIN || fileURLToPath(new URL('../bin/densegraph.js', import.meta.url));
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', maxBuffer: MAX_OUTPUT, timeout, stdio: ['ignore', 'pipe', 'pipe'] });
  const stderr = r.error ? `${r.stderr ?? ''}densegraph did not finish: ${r.error.message}` : (r.stderr ?? '');
  return { status: r.status, stdout: r.stdout ?? '', stderr };
}

/**
 * The files that differ between two commits, from `git diff --raw -z` (NUL-separated, so any
 * name is read as it is): status letter, paths, modes and blob ids.
 */
function changedFiles(top, from, to) {
  const fields = git(top, ['diff', '--raw', '-z', '--no-abbrev', '--find-renames', '--no-ext-diff', '--no-textconv', from, to]).toString('utf8').split('\0');
  const changes = [];
  for (let i = 0; i < fields.length; i++) {
    if (!fields[i].startsWith(':')) continue;
    const [oldMode, newMode, oldSha, newSha, status] = fields[i].slice(1).split(' ');
    const letter = status[0];
    if (letter === 'R' || letter === 'C') {
      changes.push({ letter, oldMode, newMode, oldSha, newSha, oldPath: fields[i + 1], path: fields[i + 2] });
      i += 2;
    } else {
      changes.push({ letter, oldMode, newMode, oldSha, newSha, oldPath: fields[i + 1], path: fields[i + 1] });
      i += 1;
    }
  }
  return changes;
}

/** The first `bytes` bytes of a file (fewer if it is shorter; none if it cannot be read). */
function readHead(file, bytes) {
  try {
    const fd = openSync(file, 'r');
    try {
      const buffer = Buffer.alloc(bytes);
      return buffer.subarray(0, readSync(fd, buffer, 0, bytes, 0));
    } finally {
      closeSync(fd);
    }
  } catch {
    return Buffer.alloc(0);
  }
}

function startsWithZip(file) {
  return readHead(file, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
}

/**
 * What densegraph makes of one side of a change: a model (with its parameter count), no model
 * (a file the patterns caught that is something else), or a model with an error. Not every
 * file a pattern for all JSON files selects is a model, and such files must not show as broken
 * models: densegraph's "not a model" message, alone and about the whole file, says so; a file
 * that does not even parse (a Helm template, JSON with comments, Python densegraph's parser
 * does not know) and mentions nothing of a model is taken for no model too.
 */
function readSide(cwd, path) {
  const r = densegraph(cwd, ['summary', '-f', 'json', '--', path]);
  if (r.status === 0) {
    try {
      return { kind: 'ok', params: JSON.parse(r.stdout).totalParams };
    } catch {
      return { kind: 'error', message: `densegraph summary printed no JSON for this file\n${r.stderr}` };
    }
  }
  const errors = r.stderr.split('\n').filter((line) => line.includes('error:'));
  if (errors.length === 1 && NOT_A_MODEL.some((m) => errors[0].startsWith(`densegraph: ${path}: error: ${m}`))) {
    return { kind: 'not-model', reason: 'not a model densegraph reads' };
  }
  if (errors.length === 1 && UNPARSABLE.test(errors[0]) && !MODEL_WORDS.test(readHead(join(cwd, path), 1024 * 1024).toString('utf8'))) {
    return { kind: 'not-model', reason: 'does not parse, and mentions no model' };
  }
  return { kind: 'error', message: r.stderr.trim() || `densegraph exited with ${r.status}` };
}

/** The Markdown densegraph prints, or its message in place of it. */
function markdownOf(r) {
  return r.status === 0 ? r.stdout : `_densegraph could not write this part:_\n\n${fenced(r.stderr.trim())}\n`;
}

/**
 * One changed file → one entry of the comment, or a reason to skip it. The old version is
 * written from its blob into `oldRoot` at the same relative path, so densegraph reads it the
 * way it reads the new one and its messages name the file the reviewer knows.
 */
function examine(top, oldRoot, compare, c) {
  const hasOld = c.letter !== 'A' && c.letter !== 'C' && !LINK_MODES.has(c.oldMode);
  const hasNew = c.letter !== 'D' && !LINK_MODES.has(c.newMode) && !lstatSafe(join(top, c.path))?.isSymbolicLink();
  if (!hasOld && !hasNew) return { skip: 'a symbolic link or a submodule, not followed' };
  let oldFile;
  if (hasOld) {
    oldFile = resolve(oldRoot, c.oldPath);
    if (!oldFile.startsWith(oldRoot + sep)) return { skip: 'a path outside the repository' };
    mkdirSync(dirname(oldFile), { recursive: true });
    writeFileSync(oldFile, git(top, ['cat-file', 'blob', c.oldSha]));
  }
  const entry = { path: c.path, oldPath: c.oldPath };
  let diffError = '';
  if (hasOld && hasNew) {
    // Both ends are models most of the time: diff them straight away (each densegraph run
    // costs a Node start), and ask what each end is only when that fails. The same text file
    // at both ends is compared with `diff --git`, as a user would; renamed files and .keras
    // archives (binary: diff --git reads the old version as text) from oldRoot.
    const sameText = c.oldPath === c.path && !startsWithZip(oldFile) && !startsWithZip(join(top, c.path));
    const diff = (format) => densegraph(top, sameText ? ['diff', '--git', compare, '-f', format, '--', c.path] : ['diff', '-f', format, '--', oldFile, c.path]);
    const json = diff('json');
    let d;
    try {
      d = json.status === 0 ? JSON.parse(json.stdout) : undefined;
    } catch {
      d = undefined;
    }
    diffError = json.stderr.trim();
    if (d) {
      const kind = d.identical ? 'unchanged' : 'modified';
      return { model: { ...entry, kind, oldParams: d.old.totalParams, newParams: d.new.totalParams, body: kind === 'modified' ? markdownOf(diff('markdown')) : '' } };
    }
  }
  const oldSide = hasOld ? readSide(oldRoot, c.oldPath) : { kind: 'absent' };
  const newSide = hasNew ? readSide(top, c.path) : { kind: 'absent' };
  if (newSide.kind === 'error') return { model: { ...entry, kind: 'error', side: 'new', error: newSide.message } };
  if (newSide.kind === 'ok' && oldSide.kind === 'ok') {
    return { model: { ...entry, kind: 'error', side: 'new', error: `densegraph reads both versions of this model but could not compare them:\n${diffError}` } };
  }
  if (newSide.kind === 'ok') {
    const mermaid = densegraph(top, ['render', '-f', 'mermaid', '--', c.path]);
    const diagram = mermaid.status === 0 ? `\`\`\`mermaid\n${mermaid.stdout.trimEnd()}\n\`\`\`` : undefined;
    return { model: { ...entry, kind: 'added', newParams: newSide.params, body: markdownOf(densegraph(top, ['summary', '-f', 'markdown', '--', c.path])), diagram } };
  }
  if (oldSide.kind === 'ok') {
    return { model: { ...entry, kind: 'removed', oldParams: oldSide.params, body: markdownOf(densegraph(oldRoot, ['summary', '-f', 'markdown', '--', c.oldPath])) } };
  }
  if (oldSide.kind === 'error') return { model: { ...entry, kind: 'error', side: 'old', error: oldSide.message } };
  return { skip: newSide.reason ?? oldSide.reason ?? 'not a model densegraph reads' };
}

function lstatSafe(p) {
  try {
    return lstatSync(p);
  } catch {
    return undefined;
  }
}

/** `densegraph md --check` on the Markdown files the input selects (tracked files only). */
function checkMarkdown(top, inputs) {
  const files = git(top, ['ls-files', '-z']).toString('utf8').split('\0')
    .filter((f) => f !== '' && inputs.markdown.matches(f) && !lstatSafe(join(top, f))?.isSymbolicLink());
  const flags = [
    ...(inputs.markdownOutDir ? ['--out-dir', inputs.markdownOutDir] : []),
    ...(inputs.markdownFormat ? ['--format', inputs.markdownFormat] : []),
    ...(inputs.markdownStyle ? ['--style', inputs.markdownStyle] : []),
    ...(inputs.markdownPython ? ['--python'] : []),
  ];
  if (files.length === 0) return { files, flags, ok: true, output: '' };
  const help = densegraph(top, ['md', '--help']);
  if (!help.stdout.includes('densegraph md')) {
    return { files, flags, ok: false, output: 'this densegraph has no `md` command: use a version of the action that has it, or leave the markdown input empty' };
  }
  const r = densegraph(top, ['md', '--check', ...flags, '--', ...files], MD_TIMEOUT_MS);
  return { files, flags, ok: r.status === 0, output: `${r.stdout}${r.stderr}`.trim() };
}

/** A step output, in the delimiter form GitHub reads (safe for any value). */
function setOutput(name, value) {
  const file = process.env.GITHUB_OUTPUT;
  if (!file) return;
  const delimiter = `densegraph_${randomUUID()}`;
  appendFileSync(file, `${name}<<${delimiter}\n${value}\n${delimiter}\n`);
}

function run() {
  const inputs = readInputs(process.env);
  let top;
  try {
    top = git(process.cwd(), ['rev-parse', '--show-toplevel']).toString('utf8').trim();
  } catch (e) {
    throw new InputError(`not inside a git repository (${e.message}): check out the repository first (actions/checkout)`);
  }
  let baseSha;
  try {
    baseSha = git(top, ['rev-parse', '--verify', '--quiet', `${inputs.base}^{commit}`]).toString('utf8').trim();
  } catch {
    throw new InputError(`cannot find the base revision '${inputs.base}': fetch the history (actions/checkout with fetch-depth: 0) or set the base input`);
  }
  // Against the merge base: the pull request's own changes, whether HEAD is the merge commit
  // GitHub checks out or the branch itself. A shallow clone may not have it: then the base.
  let compare = baseSha;
  try {
    compare = git(top, ['merge-base', baseSha, 'HEAD']).toString('utf8').trim();
  } catch {
    console.log(`no merge base of ${baseSha.slice(0, 12)} and HEAD (shallow clone?): comparing with ${baseSha.slice(0, 12)} itself`);
  }
  const oldRoot = mkdtempSync(join(tmpdir(), 'densegraph-action-'));
  try {
    const models = [];
    const skipped = [];
    const overLimit = [];
    for (const c of changedFiles(top, compare, 'HEAD')) {
      if (!inputs.models.matches(c.path) && !inputs.models.matches(c.oldPath)) continue;
      if (models.length + skipped.length >= inputs.maxModels) {
        overLimit.push(c.path);
        continue;
      }
      const r = examine(top, oldRoot, compare, c);
      if (r.skip) skipped.push({ path: c.path, reason: r.skip });
      else models.push(r.model);
      console.log(`${r.skip ? 'skipped' : r.model.kind}: ${JSON.stringify(c.path)}${r.skip ? ` (${r.skip})` : ''}`);
    }
    const markdown = inputs.markdown.empty ? null : checkMarkdown(top, inputs);
    if (markdown) console.log(`densegraph md --check: ${markdown.files.length} file(s), ${markdown.ok ? 'up to date' : 'stale'}\n${markdown.output}`);

    const report = { baseShort: compare.slice(0, 12), models, skipped, overLimit, maxModels: inputs.maxModels, markdown };
    const comment = buildComment(report, COMMENT_LIMIT);
    mkdirSync(dirname(inputs.commentFile), { recursive: true });
    // The default comment file is in the checkout: a pull request could put a symbolic link
    // there to make the action write somewhere else. Replace a link, never write through it.
    if (lstatSafe(inputs.commentFile)?.isSymbolicLink()) rmSync(inputs.commentFile);
    writeFileSync(inputs.commentFile, comment);
    if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, buildComment(report, SUMMARY_LIMIT));

    const count = (k) => models.filter((m) => m.kind === k).length;
    const changed = count('modified') + count('added') + count('removed');
    const staleDocs = markdown !== null && !markdown.ok;
    setOutput('changed', String(changed));
    setOutput('modified', String(count('modified')));
    setOutput('added', String(count('added')));
    setOutput('removed', String(count('removed')));
    setOutput('errors', String(count('error')));
    setOutput('stale-docs', String(staleDocs));
    setOutput('comment-file', inputs.commentFile);
    console.log(`${changed} model file(s) changed, ${count('error')} could not be read; comment written to ${inputs.commentFile}`);

    const failures = [
      ...(staleDocs ? ['diagrams in Markdown files are stale or missing (densegraph md --check)'] : []),
      ...(inputs.failOnChange && changed > 0 ? [`${changed} model file(s) changed and fail-on-change is true`] : []),
      ...(inputs.failOnError && count('error') > 0 ? [`${count('error')} model file(s) could not be read and fail-on-error is true`] : []),
    ];
    for (const f of failures) console.error(`densegraph action: ${f}`);
    return failures.length > 0 ? 1 : 0;
  } finally {
    rmSync(oldRoot, { recursive: true, force: true });
  }
}

// On a runner, a line of output that starts with `::` is a workflow command; the log quotes
// file names from the pull request, so commands are stopped while it is written.
const token = process.env.GITHUB_ACTIONS === 'true' ? randomUUID() : undefined;
if (token) console.log(`::stop-commands::${token}`);
try {
  process.exitCode = run();
} catch (e) {
  console.error(`densegraph action: ${e instanceof InputError ? 'error' : 'internal error (a bug in the action)'}: ${e instanceof InputError ? e.message : e.stack}`);
  process.exitCode = e instanceof InputError ? 2 : 70;
} finally {
  if (token) console.log(`::${token}::`);
}
