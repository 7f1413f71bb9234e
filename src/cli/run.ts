/** `densegraph run`: a model forward (and backward with targets) on given inputs. */
import { Command, Option } from 'commander';
import { error, formatShape, lossAndGradients, predict, toNested, type CompiledModel, type Tensor } from '../index.js';
import { report, type Io } from './io.js';
import { checkRows, loadWeights, parseSeed, readTensors, Reported, runnableModel } from './exec-common.js';
import { withLimitOptions, type LimitFlags } from './options.js';

interface RunFlags extends LimitFlags {
  input: string;
  target?: string;
  weights?: string;
  seed: number;
  loss: string;
  dtype: 'float32' | 'float64';
  hardSigmoid: 'keras3' | 'keras2';
  format: 'json' | 'text';
}

/** Checks tensors against the model's input shapes (batch axis aside). */
function checkInputs(io: Io, model: CompiledModel, inputs: readonly Tensor[]): void {
  const problems = model.inputs.flatMap((name, i) => {
    const declared = model.layers.find((l) => l.name === name)!.outputShape!;
    const got = inputs[i]!.shape;
    const fits = got.length === declared.length && declared.every((d, k) => k === 0 || d === null || d === got[k]);
    return fits ? [] : [error('input-shape', `input '${name}' expects ${formatShape(declared)}, got data of shape ${formatShape([null, ...got.slice(1)])}`, undefined, 'give one row per sample with the input\'s features')];
  });
  if (problems.length) {
    report(io, problems);
    throw new Reported();
  }
}

export function runCommand(io: Io, setExit: (code: number) => void): Command {
  return withLimitOptions(
    new Command('run')
      .description('run a model forward on inputs; with --target also the loss and the gradient of every weight')
      .argument('<model>', 'model file, or - for stdin')
      .requiredOption('--input <data>', 'inputs: a JSON file or inline JSON array (one row per sample), a CSV file, or a JSON object by input name')
      .option('--target <data>', 'targets, in the same forms (by output layer name for several outputs)')
      .option('--weights <file>', 'weights file ("<layer>/<variable>": nested arrays); default: initialised from --seed')
      .addOption(new Option('--seed <n>', 'seed of the initial weights').argParser(parseSeed).default(0))
      .option('--loss <name>', 'loss for --target (Keras name)', 'mse')
      .addOption(new Option('--dtype <dtype>', 'computation precision').choices(['float32', 'float64']).default('float32'))
      .addOption(new Option('--hard-sigmoid <form>', "hard_sigmoid as Keras 3 (x/6 + 0.5) or Keras 2 (0.2x + 0.5)").choices(['keras3', 'keras2']).default('keras3'))
      .addOption(new Option('-f, --format <format>', 'json (DESIGN.md contract) or text').choices(['json', 'text']).default('json')),
  ).action(async (path: string, flags: RunFlags) => {
    const model = await runnableModel(io, path, flags);
    const inputs = await readTensors(io, flags.input, model.inputs, 'input', flags.dtype);
    checkRows(io, inputs, 'inputs');
    checkInputs(io, model, inputs);
    const weights = await loadWeights(io, model, flags.weights, flags.seed, flags.dtype, path);
    const multi = model.outputs.length > 1;
    let result: Record<string, unknown>;
    if (flags.target) {
      const targets = await readTensors(io, flags.target, model.outputs.map((o) => o.layer), 'target', flags.dtype);
      checkRows(io, [...inputs, ...targets], 'inputs and targets');
      let r;
      try {
        r = lossAndGradients(model, weights, inputs, targets, flags.loss, { dtype: flags.dtype, hardSigmoid: flags.hardSigmoid });
      } catch (e) {
        if (!(e instanceof Error) || !/shape|loss/i.test(e.message)) throw e;
        report(io, [error('invalid-target', e.message)]);
        return setExit(1);
      }
      const outputs = r.outputs.map(toNested);
      result = {
        outputs: multi ? outputs : outputs[0],
        loss: r.loss,
        gradients: Object.fromEntries([...r.gradients].map(([name, g]) => [name, toNested({ shape: weights.get(name)!.shape, data: g })])),
      };
    } else {
      const outputs = predict(model, weights, inputs, flags.dtype, { hardSigmoid: flags.hardSigmoid }).map(toNested);
      result = { outputs: multi ? outputs : outputs[0] };
    }
    if (flags.format === 'json') io.stdout(`${JSON.stringify(result)}\n`);
    else {
      io.stdout(`outputs: ${JSON.stringify(result['outputs'])}\n`);
      if ('loss' in result) {
        io.stdout(`loss (${flags.loss}): ${result['loss']}\n`);
        for (const [name, g] of Object.entries(result['gradients'] as Record<string, unknown>)) io.stdout(`d loss / d ${name}: ${JSON.stringify(g)}\n`);
      }
    }
    return setExit(0);
  });
}
