/**
 * Keras 3 `.keras` archives (reference/keras.md §6.3): a zip holding `metadata.json`,
 * `config.json` (the model's `to_json()` object) and `model.weights.h5`. Only the config is
 * read, and handed to the Keras JSON reader; the HDF5 weights are not read (there is no
 * maintained pure-JS HDF5 reader), so running such a model starts from initialised weights
 * or a `--weights` file.
 *
 * Limits against zip bombs: at most {@link MAX_ARCHIVE_ENTRIES} central-directory entries are
 * looked at; `config.json` may declare at most the model size limit (16 MiB by default) and
 * `metadata.json` at most 1 MiB uncompressed. Declared sizes are checked before inflating,
 * and fflate inflates into a buffer of exactly the declared size, so a lying header cannot
 * make it produce more.
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

/** Reads a `.keras` archive's model config into IR. `file` is used in messages. */
export function readKerasArchive(bytes: Uint8Array, file: string, limits: Limits = {}): ArchiveResult {
  const maxConfig = limits.maxBytes ?? DEFAULT_LIMITS.maxBytes;
  const loc = { file };
  const fail = (code: string, message: string, hint?: string): ArchiveResult => ({ diagnostics: [error(code, message, loc, hint)] });
  let entries = 0;
  let total = 0;
  const names: string[] = [];
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (f: UnzipFileInfo) => {
        if (++entries > MAX_ARCHIVE_ENTRIES) throw new ArchiveLimit(`the archive has more than ${MAX_ARCHIVE_ENTRIES} entries; a .keras file has a handful`);
        if (names.length < 10) names.push(f.name);
        const max = f.name === 'config.json' ? maxConfig : f.name === 'metadata.json' ? MAX_METADATA_BYTES : -1;
        if (max < 0) return false;
        if (f.originalSize > max) throw new ArchiveLimit(`${f.name} would be ${f.originalSize} bytes uncompressed, more than the limit of ${max} bytes`);
        total += f.originalSize;
        if (total > maxConfig + MAX_METADATA_BYTES) throw new ArchiveLimit(`the entries read would be ${total} bytes uncompressed, more than the limit of ${maxConfig + MAX_METADATA_BYTES} bytes`);
        return true;
      },
    });
  } catch (e) {
    if (e instanceof ArchiveLimit) return fail('archive-too-large', e.message, 'raise the limit with --max-bytes if the config is meant to be this large');
    return fail('invalid-archive', `not a readable .keras (zip) archive: ${(e as Error).message}`, 'the file may be truncated or damaged; save it again with model.save("model.keras")');
  }
  const config = files['config.json'];
  if (!config) {
    return fail('invalid-archive', `the archive has no config.json, so it is not a Keras 3 .keras file (entries: ${names.length ? names.join(', ') : 'none'})`, 'save the model with Keras 3 model.save("model.keras"), or give its model.to_json() text');
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
