/**
 * Glob patterns in file arguments (`'models/**\/*.json'`), expanded here so that they work
 * the same when a shell does not expand them: quoted, on Windows, or from a CI config.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { UsageError } from './options.js';

/**
 * Each argument that names an existing file, or `-`, is kept as it is; any other argument
 * with glob syntax is replaced by the files it matches, sorted, less those already named
 * before it; an argument that matches nothing is an error.
 */
export async function expandInputs(args: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const arg of args) {
    if (arg === '-' || existsSync(arg) || !isDynamicPattern(arg)) {
      out.push(arg);
      seen.add(resolve(arg));
      continue;
    }
    const files = await glob(arg, { onlyFiles: true, expandDirectories: false, dot: false, absolute: isAbsolute(arg) });
    if (files.length === 0) throw new UsageError(`no file matches the pattern '${arg}'`);
    for (const f of files.sort()) {
      if (seen.has(resolve(f))) continue;
      seen.add(resolve(f));
      out.push(f);
    }
  }
  return out;
}
