/** `densegraph summary`: a model file → a Keras-like summary table (text, Markdown or JSON). */
import { Command, Option } from 'commander';
import { SUMMARY_FORMATS, compileFile, hasErrors, summary, type SummaryFormat } from '../index.js';
import { report, writeAtomic, type Io } from './io.js';
import { withLimitOptions, type LimitFlags } from './options.js';

interface SummaryFlags extends LimitFlags {
  format: SummaryFormat;
  output?: string;
}

export function summaryCommand(io: Io, setExit: (code: number) => void): Command {
  return withLimitOptions(new Command('summary')
    .description('print a summary table of a model: layers, output shapes and parameter counts')
    .argument('<model>', 'model file (densegraph spec, .yaml/.yml/.json), or - for stdin')
    .addOption(new Option('-f, --format <format>', 'text (Keras 3 table), markdown or json').choices(SUMMARY_FORMATS).default('text'))
    .option('-o, --output <file>', 'write to this file instead of stdout')
  ).action(async (model: string, flags: SummaryFlags) => {
      const result = await compileFile(model, { maxBytes: flags.maxBytes, maxLayers: flags.maxLayers, ...(flags.model ? { modelName: flags.model } : {}) });
      report(io, result.diagnostics);
      if (!result.compiled || hasErrors(result.diagnostics)) return setExit(1);
      const text = summary(result.compiled, flags.format);
      if (flags.output) await writeAtomic(flags.output, text);
      else io.stdout(text);
      return setExit(0);
    });
}
