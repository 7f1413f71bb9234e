/** `densegraph train`: fit a model on a CSV file, as Keras's `fit`. */
import { Command, InvalidArgumentError, Option } from 'commander';
import { readFile } from 'node:fs/promises';
import { curvesSvg, DivergedError, error, fit, weightsToJson, type CompiledModel } from '../index.js';
import { parseCsv } from '../index.js';
import { report, writeAtomic, type Io } from './io.js';
import { loadWeights, parseCount, parsePositive, parseSeed, Reported, runnableModel } from './exec-common.js';
import { withLimitOptions, type LimitFlags } from './options.js';

interface TrainFlags extends LimitFlags {
  data: string;
  label?: string;
  oneHot?: boolean;
  loss?: string;
  optimizer: 'sgd' | 'adam' | 'rmsprop';
  lr?: number;
  epochs: number;
  batchSize: number;
  validationSplit?: number;
  seed: number;
  weights?: string;
  saveWeights?: string;
  plot?: string;
  dtype: 'float32' | 'float64';
  hardSigmoid: 'keras3' | 'keras2';
  format: 'text' | 'json';
}

function parseFraction(value: string): number {
  const n = Number(value);
  if (!(n >= 0 && n < 1)) throw new InvalidArgumentError('expected a fraction from 0 to below 1, e.g. 0.2.');
  return n;
}

/**
 * Keras needs a loss; without --loss we take the one the output activation asks for:
 * sigmoid → binary_crossentropy, softmax → categorical (one-hot) or sparse categorical
 * crossentropy, anything else → mse.
 */
export function defaultLoss(model: CompiledModel, oneHot: boolean): string {
  const out = model.layers.find((l) => l.name === model.outputs[0]!.layer);
  const act = out?.activation ?? (out?.className === 'Softmax' ? 'softmax' : null);
  if (act === 'sigmoid') return 'binary_crossentropy';
  if (act === 'softmax') return oneHot ? 'categorical_crossentropy' : 'sparse_categorical_crossentropy';
  return 'mse';
}

function epochLine(epoch: number, epochs: number, logs: Record<string, number>): string {
  return `Epoch ${epoch}/${epochs} - ${Object.entries(logs).map(([k, v]) => `${k}: ${v.toFixed(4)}`).join(' - ')}`;
}

export function trainCommand(io: Io, setExit: (code: number) => void): Command {
  return withLimitOptions(
    new Command('train')
      .description('train a model on a CSV file (Keras fit) and print the final loss and metrics')
      .argument('<model>', 'model file, or - for stdin')
      .requiredOption('--data <file.csv>', 'training data: features and a label column (header row optional)')
      .option('--label <column>', 'label column: a header name or a 0-based index (default: the last column)')
      .option('--one-hot', 'one-hot encode the labels (classes in sorted order)')
      .option('--loss <name>', 'loss (Keras name); default from the output activation: sigmoid → binary_crossentropy, softmax → (sparse_)categorical_crossentropy, else mse')
      .addOption(new Option('--optimizer <name>', 'optimizer').choices(['sgd', 'adam', 'rmsprop']).default('rmsprop'))
      .addOption(new Option('--lr <x>', 'learning rate (default: Keras\'s for the optimizer)').argParser(parsePositive))
      .addOption(new Option('--epochs <n>', 'epochs').argParser(parseCount).default(1))
      .addOption(new Option('--batch-size <n>', 'batch size').argParser(parseCount).default(32))
      .addOption(new Option('--validation-split <f>', 'fraction of the data, taken from the end, to validate on').argParser(parseFraction))
      .addOption(new Option('--seed <n>', 'seed of the initial weights and of the shuffling').argParser(parseSeed).default(0))
      .option('--weights <file>', 'start from these weights instead of fresh ones')
      .option('--save-weights <file>', 'write the trained weights (JSON, Keras layout)')
      .option('--plot <file.svg>', 'write an SVG of loss and accuracy per epoch')
      .addOption(new Option('--dtype <dtype>', 'computation precision').choices(['float32', 'float64']).default('float32'))
      .addOption(new Option('--hard-sigmoid <form>', "hard_sigmoid as Keras 3 (x/6 + 0.5) or Keras 2 (0.2x + 0.5)").choices(['keras3', 'keras2']).default('keras3'))
      .addOption(new Option('-f, --format <format>', 'text, or json (the history object of DESIGN.md)').choices(['text', 'json']).default('text')),
  ).action(async (path: string, flags: TrainFlags) => {
    const model = await runnableModel(io, path, flags);
    if (model.inputs.length !== 1 || model.outputs.length !== 1) {
      report(io, [error('not-trainable-from-csv', `train reads one CSV file, so the model must have one input and one output; it has ${model.inputs.length} and ${model.outputs.length}`)]);
      return setExit(1);
    }
    let text: string;
    try {
      text = await readFile(flags.data, 'utf8');
    } catch (e) {
      report(io, [error('cannot-read', `cannot read the data '${flags.data}': ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`, { file: flags.data })]);
      return setExit(1);
    }
    const parsed = parseCsv(text, flags.data, { ...(flags.label !== undefined ? { label: flags.label } : {}), oneHot: flags.oneHot ?? false, dtype: flags.dtype });
    if (!parsed.table) {
      report(io, parsed.diagnostics);
      return setExit(1);
    }
    const { x, y } = parsed.table;
    const inputShape = model.layers.find((l) => l.name === model.inputs[0])!.outputShape!;
    if (inputShape.length !== 2 || (inputShape[1] !== null && inputShape[1] !== x.shape[1])) {
      report(io, [error('input-shape', `the model's input is ${JSON.stringify(inputShape).replace(/null/g, 'None')}, but the CSV has ${x.shape[1]} feature columns`, { file: flags.data })]);
      return setExit(1);
    }
    const weights = await loadWeights(io, model, flags.weights, flags.seed, flags.dtype, path);
    const loss = flags.loss ?? defaultLoss(model, flags.oneHot ?? false);
    const tty = process.stderr.isTTY === true;
    let history;
    try {
      history = fit(model, weights, [x], [y!], {
        loss,
        optimizer: flags.optimizer,
        ...(flags.lr !== undefined ? { learningRate: flags.lr } : {}),
        epochs: flags.epochs,
        batchSize: flags.batchSize,
        ...(flags.validationSplit !== undefined ? { validationSplit: flags.validationSplit } : {}),
        seed: flags.seed,
        dtype: flags.dtype,
        hardSigmoid: flags.hardSigmoid,
        // One line per epoch: rewritten in place on a terminal, plain lines in logs and CI.
        onEpoch: (epoch, logs) => io.stderr(tty ? `\r\x1b[2K${epochLine(epoch, flags.epochs, logs)}${epoch === flags.epochs ? '\n' : ''}` : `${epochLine(epoch, flags.epochs, logs)}\n`),
      });
    } catch (e) {
      if (e instanceof DivergedError) {
        report(io, [error('diverged', `${e.message}`, undefined, 'lower the learning rate (--lr), scale the features, or check the data for extreme values')]);
        return setExit(1);
      }
      if (e instanceof Error && /shape|loss|labels?/i.test(e.message) && !(e instanceof TypeError)) {
        report(io, [error('invalid-training', e.message, undefined, `the loss is ${loss}; check --loss and --one-hot against the labels`)]);
        return setExit(1);
      }
      throw e;
    }
    if (flags.saveWeights) await writeAtomic(flags.saveWeights, `${JSON.stringify(weightsToJson(model, weights))}\n`);
    if (flags.plot) await writeAtomic(flags.plot, curvesSvg(history.history));
    if (flags.format === 'json') io.stdout(`${JSON.stringify({ history: history.history, epochs: history.epochs })}\n`);
    else {
      const last = Object.fromEntries(Object.entries(history.history).map(([k, v]) => [k, v[v.length - 1]!]));
      io.stdout(`trained ${history.epochs} epoch${history.epochs === 1 ? '' : 's'} on ${x.shape[0]} samples (loss ${loss}, optimizer ${flags.optimizer})\n`);
      for (const [k, v] of Object.entries(last)) io.stdout(`${k}: ${v.toFixed(4)}\n`);
    }
    return setExit(0);
  });
}

export { Reported };
