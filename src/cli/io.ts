/** CLI plumbing: reporting diagnostics, and writing output files whole or not at all. */
import { randomBytes } from 'node:crypto';
import { rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { formatDiagnostic, type Diagnostic } from '../index.js';

export interface Io {
  stdout(text: string | Uint8Array): void;
  stderr(text: string): void;
}

export const processIo: Io = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
};

export function report(io: Io, diagnostics: readonly Diagnostic[]): void {
  for (const d of diagnostics) io.stderr(`densegraph: ${formatDiagnostic(d)}\n`);
}

/**
 * Writes through a temporary file in the same folder and renames it into place, so a failed
 * or interrupted run never leaves a half-written output.
 */
export async function writeAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
}
