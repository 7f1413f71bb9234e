/** What the executor commands share: loading a runnable model, weights and data from flags. */
import { open, readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { InvalidArgumentError } from 'commander';
import {
  compileFile, error, hasErrors, hasTfjsWeights, readTfjsWeights, initWeights, isZip, MAX_ARCHIVE_BYTES, parseCsv, parseJsonArray, readKerasWeights, readWeights, unrunnableLayers,
  type CompiledModel, type Diagnostic, type ExecDType, type Tensor, type WeightStore,
} from '../index.js';
import { report, type Io } from './io.js';
import type { LimitFlags } from './options.js';

/** A failure already reported to the user: exit code 1. */
export class Reported extends Error {}

export function parseSeed(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a non-negative integer.');
  return Number(value);
}

export function parsePositive(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number.');
  return n;
}

export function parseCount(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError('expected a positive integer.');
  return Number(value);
}

function fail(io: Io, diagnostics: readonly Diagnostic[]): never {
  report(io, diagnostics);
  throw new Reported();
}

/** Compiles the model and checks the executor can run every layer of it. */
export async function runnableModel(io: Io, path: string, limits: LimitFlags): Promise<CompiledModel> {
  const result = await compileFile(path, { maxBytes: limits.maxBytes, maxLayers: limits.maxLayers, ...(limits.model ? { modelName: limits.model } : {}) });
  report(io, result.diagnostics);
  if (!result.compiled || hasErrors(result.diagnostics)) throw new Reported();
  const missing = unrunnableLayers(result.compiled);
  if (missing.length) {
    fail(io, [error('not-runnable', `the executor cannot run ${missing.join(', ')}: densegraph draws these layers but has no forward pass for them`, { file: path }, 'render the model instead, or replace those layers')]);
  }
  return result.compiled;
}

async function readText(io: Io, path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    fail(io, [error('cannot-read', `cannot read the ${what} '${path}': ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`, { file: path })]);
  }
}

function parseJson(io: Io, text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    fail(io, [error('invalid-json', `malformed JSON: ${(e as Error).message}`, { file })]);
  }
}

/**
 * Tensors for the model's inputs (or output layers) from `--input`/`--target`: a JSON file,
 * a CSV file (every column), or inline JSON; several inputs as a JSON object by name.
 */
export async function readTensors(io: Io, spec: string, names: readonly string[], what: string, dtype: ExecDType): Promise<Tensor[]> {
  const inline = /^\s*[[{]/.test(spec);
  const file = inline ? `--${what}` : spec;
  const text = inline ? spec : await readText(io, spec, what);
  if (!inline && extname(spec).toLowerCase() === '.csv') {
    if (names.length > 1) fail(io, [error('invalid-data', `the model has ${names.length} ${what}s (${names.join(', ')}); give them as a JSON object by name, not a CSV file`, { file })]);
    const r = parseCsv(text, file, { withLabel: false, dtype });
    if (!r.table) fail(io, r.diagnostics);
    return [r.table.x];
  }
  const data = parseJson(io, text, file);
  const one = (value: unknown, where: string) => {
    const r = parseJsonArray(value, where, dtype);
    if (!r.tensor) fail(io, r.diagnostics);
    return r.tensor;
  };
  if (Array.isArray(data)) {
    if (names.length > 1) fail(io, [error('invalid-data', `the model has ${names.length} ${what}s (${names.join(', ')}); give a JSON object mapping each name to its array`, { file })]);
    return [one(data, file)];
  }
  if (typeof data === 'object' && data !== null) {
    const obj = data as Record<string, unknown>;
    const unknown = Object.keys(obj).filter((k) => !names.includes(k));
    const missing = names.filter((n) => !(n in obj));
    if (unknown.length || missing.length) {
      fail(io, [error('invalid-data', `the ${what}s are named ${names.join(', ')}${missing.length ? `; missing: ${missing.join(', ')}` : ''}${unknown.length ? `; unknown: ${unknown.join(', ')}` : ''}`, { file })]);
    }
    return names.map((n) => one(obj[n], `${file} (${n})`));
  }
  fail(io, [error('invalid-data', `expected a JSON array (one row per sample) or an object of them, got ${JSON.stringify(data)?.slice(0, 40)}`, { file })]);
}

/** The parsed model file if it is a TensorFlow.js model.json that lists stored weights. */
async function tfjsModelJson(modelPath: string | undefined): Promise<unknown> {
  if (!modelPath || modelPath === '-' || !modelPath.toLowerCase().endsWith('.json')) return undefined;
  try {
    const data: unknown = JSON.parse(await readFile(modelPath, 'utf8'));
    return hasTfjsWeights(data) ? data : undefined;
  } catch {
    return undefined;
  }
}

/** The bytes of the model file if it is a zip (a `.keras` archive), else undefined. */
async function kerasArchive(modelPath: string | undefined): Promise<Uint8Array | undefined> {
  if (!modelPath || modelPath === '-') return undefined;
  try {
    const handle = await open(modelPath, 'r');
    try {
      const head = new Uint8Array(4);
      await handle.read(head, 0, 4, 0);
      return isZip(head) ? await handle.readFile() : undefined;
    } finally {
      await handle.close();
    }
  } catch {
    return undefined;
  }
}

/**
 * Weights from `--weights`; else those stored with a TensorFlow.js model.json or in a `.keras`
 * archive (`modelPath`); else fresh ones from the seed.
 */
export async function loadWeights(io: Io, model: CompiledModel, path: string | undefined, seed: number, dtype: ExecDType, modelPath?: string): Promise<WeightStore> {
  if (!path) {
    const archive = await kerasArchive(modelPath);
    if (archive) {
      // The config already passed the user's --max-bytes/--max-layers when the model was compiled.
      const r = await readKerasWeights(archive, modelPath!, model, { dtype, maxBytes: MAX_ARCHIVE_BYTES, maxLayers: Number.MAX_SAFE_INTEGER });
      if (hasErrors(r.diagnostics)) fail(io, r.diagnostics);
      report(io, r.diagnostics);
      if (!r.weights) return initWeights(model, seed, dtype);
      io.stderr(`densegraph: using the weights stored with the model (${modelPath})\n`);
      return r.weights;
    }
    const tfjs = await tfjsModelJson(modelPath);
    if (tfjs === undefined) return initWeights(model, seed, dtype);
    const r = await readTfjsWeights(modelPath!, tfjs, model, dtype);
    if (!r.weights) fail(io, r.diagnostics);
    io.stderr(`densegraph: using the weights stored with the model (${modelPath})\n`);
    return r.weights;
  }
  const r = readWeights(model, parseJson(io, await readText(io, path, 'weights file'), path), path, dtype);
  if (!r.weights) fail(io, r.diagnostics);
  return r.weights;
}

/** Checks every row count agrees. */
export function checkRows(io: Io, tensors: readonly Tensor[], what: string): number {
  const n = tensors[0]!.shape[0]!;
  if (tensors.some((t) => t.shape[0] !== n)) fail(io, [error('invalid-data', `the ${what} have different numbers of rows: ${tensors.map((t) => t.shape[0]).join(', ')}`)]);
  return n;
}
