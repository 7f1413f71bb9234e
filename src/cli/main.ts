/**
 * The CLI: a thin commander adapter over the library API. `run(argv)` returns the exit code:
 * 0 success, 1 invalid input, 2 wrong usage (DESIGN.md).
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { processIo, type Io } from './io.js';
import { UsageError } from './options.js';
import { renderCommand } from './render.js';
import { summaryCommand } from './summary.js';
import { runCommand } from './run.js';
import { trainCommand } from './train.js';
import { gradcheckCommand } from './gradcheck.js';
import { diffCommand } from './diff.js';
import { convertCommand } from './convert.js';
import { reportCommand } from './report.js';
import { mdCommand } from './md.js';
import { Reported } from './exec-common.js';
import { LayerDataError } from '../index.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

export async function run(argv: readonly string[], io: Io = processIo): Promise<number> {
  let exitCode = 0;
  const setExit = (code: number) => {
    exitCode = code;
  };
  const debug = argv.includes('--debug');
  const program = new Command('densegraph')
    .description('Compile Keras-style models to diagrams (DOT, SVG, PNG, Mermaid) and summaries, and run, train and gradient-check them.')
    .version(pkg.version, '-V, --version')
    .option('--debug', 'print the stack trace of internal errors')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) })
    .exitOverride();
  for (const command of [renderCommand(io, setExit), summaryCommand(io, setExit), runCommand(io, setExit), trainCommand(io, setExit), gradcheckCommand(io, setExit), diffCommand(io, setExit), convertCommand(io, setExit), reportCommand(io, setExit), mdCommand(io, setExit)]) {
    program.addCommand(command.exitOverride().showHelpAfterError('(run with --help for usage)').configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) }));
  }
  const args = argv.filter((a) => a !== '--debug');
  if (args.length === 0) {
    program.outputHelp({ error: true });
    return 2;
  }
  try {
    await program.parseAsync(args, { from: 'user' });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return 0;
      return 2;
    }
    if (e instanceof Reported) return 1;
    if (e instanceof LayerDataError) {
      io.stderr(`densegraph: error: ${e.message}\n`);
      return 1;
    }
    if (e instanceof UsageError) {
      io.stderr(`densegraph: error: ${e.message}\n`);
      return 2;
    }
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT' || err.code === 'EACCES' || err.code === 'EISDIR' || err.code === 'ENOTDIR') {
      io.stderr(`densegraph: error: cannot write the output: ${err.message}\n`);
      return 1;
    }
    io.stderr(`densegraph: internal error (this is a bug in densegraph; please report it): ${err.message}\n`);
    if (debug) io.stderr(`${err.stack}\n`);
    else io.stderr('run again with --debug to print the stack trace\n');
    return 70;
  }
}
