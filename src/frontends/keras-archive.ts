/**
 * Keras 3 `.keras` archives (reference/keras.md §6.3): a zip holding `metadata.json`,
 * `config.json` (the model's `to_json()` object) and `model.weights.h5`. Here the config is
 * read and handed to the Keras JSON reader; the HDF5 weights are read by run and train
 * through keras-weights.ts, which takes its entries from {@link readArchiveEntries}.
 *
 * Limits against zip bombs: at most {@link MAX_ARCHIVE_ENTRIES} central-directory entries are
 * looked at; `config.json` may declare at most the model size limit (16 MiB by default) and
 * `metadata.json` at most 1 MiB uncompressed (`model.weights.h5`: see keras-weights.ts).
 * Declared sizes are checked before inflating, and fflate inflates into a buffer of exactly
 * the declared size, so a lying header cannot make it produce more.
 */
import { unzipSync, type UnzipFileInfo } from 'fflate';
import { error } from '../ir/diagnostics.js';
import { DEFAULT_LIMITS, parseModel, type Limits, type LoadResult } from './load.js';

/** Most zip entries looked at before the archive is refused. */
export const MAX_ARCHIVE_ENTRIES = 64;
/** Largest `metadata.json`, uncompressed. */
export const MAX_METADATA_BYTES = 1024 * 1024;
/** Largest `.keras` file read (it holds the weights too). */
export const MAX_ARCHIVE_BYTES = 512 * 1024 * 1024;

/** True if the bytes start with a zip local file header (`PK\x03\x04`). */
export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

class ArchiveLimit extends Error {}

export interface ArchiveResult extends LoadResult {
  /** `keras_version` from `metadata.json`, when it has one. */
  readonly kerasVersion?: string;
}

/** What {@link readArchiveEntries} found: the entries asked for, or why it stopped. */
export type ArchiveEntries =
  | { readonly files: Record<string, Uint8Array>; readonly names: readonly string[] }
  | { readonly tooLarge: string }
  | { readonly broken: string };

/**
 * Inflates the entries named in `wanted` (name → largest uncompressed size) and lists the
 * names of all entries. Sizes are checked from the headers before anything is inflated; the
 * entries inflated together may not exceed the sum of their limits.
 */
export function readArchiveEntries(bytes: Uint8Array, wanted: Readonly<Record<string, number>>): ArchiveEntries {
  const total = Object.values(wanted).reduce((a, b) => a + b, 0);
  let entries = 0;
  let size = 0;
  const names: string[] = [];
  try {
    const files = unzipSync(bytes, {
      filter: (f: UnzipFileInfo) => {
        if (++entries > MAX_ARCHIVE_ENTRIES) throw new ArchiveLimit(`the archive has more than ${MAX_ARCHIVE_ENTRIES} entries; a .keras file has a handful`);
        names.push(f.name);
        const max = Object.hasOwn(wanted, f.name) ? wanted[f.name]! : -1;
        if (max < 0) return false;
        if (f.originalSize > max) throw new ArchiveLimit(`${f.name} would be ${f.originalSize} bytes uncompressed, more than the limit of ${max} bytes`);
        size += f.originalSize;
        if (size > total) throw new ArchiveLimit(`the entries read would be ${size} bytes uncompressed, more than the limit of ${total} bytes`);
        return true;
      },
    });
    return { files, names };
  } catch (e) {
    if (e instanceof ArchiveLimit) return { tooLarge: e.message };
    return { broken: `not a readable .keras (zip) archive: ${(e as Error).message}` };
  }
}

/** Reads a `.keras` archive's model config into IR. `file` is used in messages. */
export function readKerasArchive(bytes: Uint8Array, file: string, limits: Limits = {}): ArchiveResult {
  const maxConfig = limits.maxBytes ?? DEFAULT_LIMITS.maxBytes;
  const loc = { file };
  const fail = (code: string, message: string, hint?: string): ArchiveResult => ({ diagnostics: [error(code, message, loc, hint)] });
  const read = readArchiveEntries(bytes, { 'config.json': maxConfig, 'metadata.json': MAX_METADATA_BYTES });
  if ('tooLarge' in read) return fail('archive-too-large', read.tooLarge, 'raise the limit with --max-bytes if the config is meant to be this large');
  if ('broken' in read) return fail('invalid-archive', read.broken, 'the file may be truncated or damaged; save it again with model.save("model.keras")');
  const { files, names } = read;
  const config = files['config.json'];
  if (!config) {
    return fail('invalid-archive', `the archive has no config.json, so it is not a Keras 3 .keras file (entries: ${names.length ? names.slice(0, 10).join(', ') : 'none'})`, 'save the model with Keras 3 model.save("model.keras"), or give its model.to_json() text');
  }
  let kerasVersion: string | undefined;
  const meta = files['metadata.json'];
  if (meta) {
    try {
      const m: unknown = JSON.parse(new TextDecoder().decode(meta));
      const v = typeof m === 'object' && m !== null ? (m as Record<string, unknown>)['keras_version'] : undefined;
      if (typeof v === 'string') kerasVersion = v;
    } catch {
      // metadata.json is informative only.
    }
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(config);
  } catch {
    return fail('invalid-archive', 'config.json in the archive is not UTF-8 text');
  }
  const result = parseModel(text, `${file}!/config.json`, limits);
  return { ...result, ...(kerasVersion !== undefined ? { kerasVersion } : {}) };
}
