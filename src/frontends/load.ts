/**
 * Reading a model: from a file or stdin, within stated size limits, detected by content
 * (then by extension), into IR. Keras 3 `.keras` archives (zip) go to keras-archive.ts.
 */
import { open, readFile, stat } from 'node:fs/promises';
import { error, type Diagnostic } from '../ir/diagnostics.js';
import type { ModelIR } from '../ir/model.js';
import { isZip, MAX_ARCHIVE_BYTES, readKerasArchive } from './keras-archive.js';
import { isKerasJsonData, kerasJsonToIR } from './keras-json.js';
import { parsePython, type PythonOptions } from './python/index.js';
import { parseSource } from './source.js';
import { isSpecData, specToIR } from './spec.js';

export interface Limits {
  /** Largest model file read, in bytes. @default 16 MiB */
  readonly maxBytes?: number;
  /** Most layers in one model. @default 20000 */
  readonly maxLayers?: number;
}

export const DEFAULT_LIMITS: Required<Limits> = { maxBytes: 16 * 1024 * 1024, maxLayers: 20_000 };

export interface LoadResult {
  readonly model?: ModelIR;
  readonly diagnostics: readonly Diagnostic[];
}

/** Parses model text of any supported format. `file` is used in messages and for detection. */
export function parseModel(text: string, file?: string, limits: Limits = {}, python: PythonOptions = {}): LoadResult {
  const maxLayers = limits.maxLayers ?? DEFAULT_LIMITS.maxLayers;
  const loc = file ? { file } : undefined;
  if (file?.toLowerCase().endsWith('.py')) {
    // Python Keras code (frontends/python): `modelName` picks a model when the file builds several.
    const result = parsePython(text, file, python);
    if (result.model && result.model.layers.length > maxLayers) {
      return { diagnostics: [error('too-many-layers', `the model has ${result.model.layers.length} layers, more than the limit of ${maxLayers}`, loc, 'raise the limit with --max-layers if the model is meant to be this large')] };
    }
    return result;
  }
  const parsed = parseSource(text, file);
  if (!parsed.source) return { diagnostics: parsed.diagnostics };
  const data = parsed.source.data;
  const o = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  // A Keras to_json() / TensorFlow.js file, or something that tries to be one (its reader says what is wrong).
  const keras = isKerasJsonData(data) || 'class_name' in o || 'modelTopology' in o;
  if (!keras && !isSpecData(data)) {
    return {
      diagnostics: [error('unknown-format', 'not a model densegraph can read: expected a densegraph spec (a mapping with a layers: list) or a Keras to_json() / TensorFlow.js model.json file', loc, 'see docs/spec-format.md for the format')],
    };
  }
  // Keras to_json() and TensorFlow.js model.json (its modelTopology; the stored weights are
  // read by run/train, see tfjs-weights.ts).
  const result = keras ? kerasJsonToIR(parsed.source, file) : specToIR(parsed.source);
  if (result.model && result.model.layers.length > maxLayers) {
    return {
      diagnostics: [error('too-many-layers', `the model has ${result.model.layers.length} layers, more than the limit of ${maxLayers}`, loc, 'raise the limit with --max-layers if the model is meant to be this large')],
    };
  }
  return result;
}

async function readStdin(maxBytes: number): Promise<string | Diagnostic> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) return tooLarge('<stdin>', size, maxBytes);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function tooLarge(file: string, size: number, maxBytes: number): Diagnostic {
  return error('file-too-large', `the input is ${size} bytes, more than the limit of ${maxBytes} bytes`, { file }, 'raise the limit with --max-bytes if the file is meant to be this large');
}

/** Reads and parses a model file; `-` reads stdin. */
/** What reading a model may be told besides its limits. */
/**
 * A model file's bytes, read elsewhere (from git, say): a `.keras` archive when they start with
 * the zip signature, text otherwise.
 */
export function parseModelBytes(bytes: Uint8Array, file: string, limits: LoadOptions = {}): LoadResult {
  if (isZip(bytes)) {
    const { model, diagnostics } = readKerasArchive(bytes, file, limits);
    return model ? { model, diagnostics } : { diagnostics };
  }
  const maxBytes = limits.maxBytes ?? DEFAULT_LIMITS.maxBytes;
  if (bytes.length > maxBytes) return { diagnostics: [tooLarge(file, bytes.length, maxBytes)] };
  return parseModel(new TextDecoder().decode(bytes), file, limits, limits.modelName !== undefined ? { modelName: limits.modelName } : {});
}

export interface LoadOptions extends Limits {
  /** Python files that build several models: the variable name of the one to read. */
  readonly modelName?: string;
}

export async function loadModel(path: string, limits: LoadOptions = {}): Promise<LoadResult> {
  const python: PythonOptions = limits.modelName !== undefined ? { modelName: limits.modelName } : {};
  const maxBytes = limits.maxBytes ?? DEFAULT_LIMITS.maxBytes;
  if (path === '-') {
    const text = await readStdin(maxBytes);
    if (typeof text !== 'string') return { diagnostics: [text] };
    return parseModel(text, '<stdin>', limits, python);
  }
  try {
    const info = await stat(path);
    if (info.isDirectory()) return { diagnostics: [error('not-a-file', `'${path}' is a directory, not a model file`, { file: path })] };
    // A Keras 3 .keras archive (a zip): detected by its signature, then by the extension.
    const head = new Uint8Array(4);
    const fh = await open(path, 'r');
    try {
      await fh.read(head, 0, 4, 0);
    } finally {
      await fh.close();
    }
    if (isZip(head)) {
      const maxArchive = Math.max(maxBytes, MAX_ARCHIVE_BYTES);
      if (info.size > maxArchive) return { diagnostics: [tooLarge(path, info.size, maxArchive)] };
      const { model, diagnostics } = readKerasArchive(await readFile(path), path, limits);
      return model ? { model, diagnostics } : { diagnostics };
    }
    if (path.toLowerCase().endsWith('.keras')) {
      return { diagnostics: [error('invalid-archive', `'${path}' is not a .keras archive: it does not start with the zip signature PK\\x03\\x04`, { file: path }, 'save the model with Keras 3 model.save("model.keras"), or give its model.to_json() text')] };
    }
    if (info.size > maxBytes) return { diagnostics: [tooLarge(path, info.size, maxBytes)] };
    const text = await readFile(path, 'utf8');
    return parseModel(text, path, limits, python);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    return { diagnostics: [error('cannot-read', `cannot read '${path}': ${reason}`, { file: path }, code === 'ENOENT' ? 'check the path; it is relative to the current directory' : undefined)] };
  }
}
