/** `densegraph diff`: what changed between two versions of a model, for reviews. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Command, Option } from 'commander';
import {
  compileFile, compileModel, diffDot, diffMarkdown, diffMermaid, diffModels, dotToSvg, error, hasErrors, parseModelBytes,
  type CompiledModel, type Diagnostic,
} from '../index.js';
import { report, writeAtomic, type Io } from './io.js';
import { withLimitOptions, type LimitFlags, UsageError } from './options.js';

const DIFF_FORMATS = ['markdown', 'json', 'dot', 'svg', 'mermaid'] as const;

interface DiffFlags extends LimitFlags {
  format: (typeof DIFF_FORMATS)[number];
  output?: string;
  exitCode?: boolean;
  git?: string;
}

/** The file as it is at a git revision, read with git itself. */
/** The file's bytes at a git revision (bytes: a .keras archive is a zip). */
async function gitVersion(rev: string, path: string): Promise<{ bytes?: Uint8Array; diagnostics: Diagnostic[] }> {
  try {
    const { stdout } = await promisify(execFile)('git', ['show', `${rev}:./${path}`], { encoding: 'buffer', maxBuffer: 256 * 1024 * 1024 });
    return { bytes: stdout, diagnostics: [] };
  } catch (e) {
    const stderr = (e as { stderr?: Buffer | string }).stderr;
    const message = (stderr !== undefined && stderr.length > 0 ? String(stderr) : (e as Error).message).trim().split('\n')[0];
    return { diagnostics: [error('git-failed', `cannot read '${path}' at git revision '${rev}': ${message}`, { file: path }, 'check the revision name and that the file existed there (run inside the repository)')] };
  }
}

export function diffCommand(io: Io, setExit: (code: number) => void): Command {
  return withLimitOptions(
    new Command('diff')
      .description('compare two versions of a model: added, removed and changed layers, and the change of parameters')
      .argument('<old>', 'the old model file (or, with --git, the model file to compare with its version at REV)')
      .argument('[new]', 'the new model file')
      .addOption(new Option('-f, --format <format>', 'markdown (a review comment), json, dot, svg or mermaid').choices(DIFF_FORMATS).default('markdown'))
      .option('-o, --output <file>', 'write to this file instead of stdout')
      .option('--exit-code', 'exit with 1 when the models differ (for CI)')
      .option('--git <rev>', 'read the old version of <old> from git at REV (e.g. main)'),
  ).action(async (first: string, second: string | undefined, flags: DiffFlags) => {
    const limits = { maxBytes: flags.maxBytes, maxLayers: flags.maxLayers, ...(flags.model ? { modelName: flags.model } : {}) };
    let oldModel: CompiledModel | undefined;
    let newPath: string;
    if (flags.git) {
      if (second) throw new UsageError('with --git give one model file: its version at REV is the old one');
      newPath = first;
      const old = await gitVersion(flags.git, first);
      if (old.bytes === undefined) {
        report(io, old.diagnostics);
        return setExit(1);
      }
      const parsed = parseModelBytes(old.bytes, `${flags.git}:${first}`, limits);
      const compiled = parsed.model ? compileModel(parsed.model) : { diagnostics: parsed.diagnostics };
      report(io, [...(parsed.model ? parsed.diagnostics : []), ...compiled.diagnostics]);
      if (!('compiled' in compiled) || !compiled.compiled || hasErrors(compiled.diagnostics)) return setExit(1);
      oldModel = compiled.compiled;
    } else {
      if (!second) throw new UsageError('give two model files (old and new), or one with --git REV');
      newPath = second;
      const r = await compileFile(first, limits);
      report(io, r.diagnostics);
      if (!r.compiled || hasErrors(r.diagnostics)) return setExit(1);
      oldModel = r.compiled;
    }
    const r = await compileFile(newPath, limits);
    report(io, r.diagnostics);
    if (!r.compiled || hasErrors(r.diagnostics)) return setExit(1);
    const newModel = r.compiled;
    const d = diffModels(oldModel, newModel);
    let out: string;
    if (flags.format === 'json') out = `${JSON.stringify(d, null, 2)}\n`;
    else if (flags.format === 'markdown') out = diffMarkdown(d, oldModel, newModel);
    else if (flags.format === 'mermaid') out = diffMermaid(d, oldModel, newModel);
    else {
      const dot = diffDot(d, oldModel, newModel);
      out = flags.format === 'svg' ? await dotToSvg(dot) : dot;
    }
    if (flags.output) await writeAtomic(flags.output, out);
    else io.stdout(out);
    return setExit(flags.exitCode && !d.identical ? 1 : 0);
  });
}
