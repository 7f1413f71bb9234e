/** `densegraph convert`: a model file → a densegraph spec (YAML/JSON) or Keras 3 `to_json()` text. */
import { Command, Option } from 'commander';
import { extname } from 'node:path';
import { CONVERT_TARGETS, compileModel, convertModel, hasErrors, loadModel, type ConvertTarget } from '../index.js';
import { report, writeAtomic, type Io } from './io.js';
import { withLimitOptions, type LimitFlags } from './options.js';

interface ConvertFlags extends LimitFlags {
  to: ConvertTarget;
  output?: string;
  json?: boolean;
}

export function convertCommand(io: Io, setExit: (code: number) => void): Command {
  return withLimitOptions(new Command('convert')
    .description('write a model in another format: a densegraph spec, or Keras 3 model.to_json() text (loadable with keras.models.model_from_json)')
    .argument('<model>', 'model file (spec, Keras JSON, .keras, tfjs model.json, Python), or - for stdin')
    .addOption(new Option('--to <format>', 'spec (YAML; JSON with --json or a .json output) or keras-json').choices(CONVERT_TARGETS).makeOptionMandatory())
    .option('--json', 'with --to spec: write the spec as JSON instead of YAML')
    .option('-o, --output <file>', 'write to this file instead of stdout')
  ).action(async (model: string, flags: ConvertFlags) => {
      const loaded = await loadModel(model, { maxBytes: flags.maxBytes, maxLayers: flags.maxLayers, ...(flags.model ? { modelName: flags.model } : {}) });
      report(io, loaded.diagnostics);
      if (!loaded.model || hasErrors(loaded.diagnostics)) return setExit(1);
      // Only a model that compiles is converted: the output must load again.
      const compiled = compileModel(loaded.model);
      report(io, compiled.diagnostics);
      if (!compiled.compiled || hasErrors(compiled.diagnostics)) return setExit(1);
      const json = flags.json === true || (flags.output !== undefined && extname(flags.output).toLowerCase() === '.json');
      const result = convertModel(loaded.model, compiled.compiled, flags.to, { json });
      report(io, result.diagnostics);
      if (result.text === undefined) return setExit(1);
      if (flags.output) await writeAtomic(flags.output, result.text);
      else io.stdout(result.text);
      return setExit(0);
    });
}
