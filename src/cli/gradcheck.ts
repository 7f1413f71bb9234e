/** `densegraph gradcheck`: every analytic gradient against central differences in float64. */
import { Command, Option } from 'commander';
import { LAYERS, LAYER_KINDS, createRng, gradcheckModel, initWeights, lossAndGradients, lossValue, predict, type CompiledModel, type Tensor } from '../index.js';
import { parsePositive, parseSeed, runnableModel } from './exec-common.js';
import type { Io } from './io.js';
import { withLimitOptions, type LimitFlags } from './options.js';

const LAYERS_TAKING_INDICES = new Set<string>(LAYER_KINDS.filter((k) => (LAYERS[k] as { takesIndices?: boolean }).takesIndices));

interface GradcheckFlags extends LimitFlags {
  seed: number;
  tolerance: number;
}

/** Random data of a shape: unknown axes get 3 (the batch 4); integer inputs get small ids. */
function randomTensor(shape: readonly (number | null)[], seed: number, integer: boolean): Tensor {
  const rng = createRng(seed);
  const dims = shape.map((d, i) => d ?? (i === 0 ? 4 : 3));
  const n = dims.reduce((a, b) => a * b, 1);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = integer ? rng.int(2) : rng.next() * 0.8 + 0.1;
  return { shape: dims, data };
}

export function gradcheckCommand(io: Io, setExit: (code: number) => void): Command {
  return withLimitOptions(
    new Command('gradcheck')
      .description('check every analytic gradient against central finite differences in float64')
      .argument('<model>', 'model file, or - for stdin')
      .addOption(new Option('--seed <n>', 'seed of the weights, inputs and targets').argParser(parseSeed).default(0))
      .addOption(new Option('--tolerance <x>', 'largest relative error accepted').argParser(parsePositive).default(1e-5)),
  ).action(async (path: string, flags: GradcheckFlags) => {
    const model: CompiledModel = await runnableModel(io, path, flags);
    const weights = initWeights(model, flags.seed, 'float64');
    const inputs = model.inputs.map((name, i) => {
      const layer = model.layers.find((l) => l.name === name)!;
      // Inputs read as indices (an Embedding's) get small integer ids instead of features.
      const indices = model.layers.some((l) => l.inbound.includes(name) && LAYERS_TAKING_INDICES.has(l.className));
      return randomTensor(layer.outputShape!, flags.seed + 1 + i, indices || layer.dtype.startsWith('int'));
    });
    const outputs = predict(model, weights, inputs, 'float64');
    const targets = outputs.map((o, i) => randomTensor(o.shape, flags.seed + 100 + i, false));
    const r = lossAndGradients(model, weights, inputs, targets, 'mse', { dtype: 'float64' });
    const checks = gradcheckModel((w) => lossValue(model, w, inputs, targets, 'mse', 'float64'), r.gradients, weights);
    const passes = (c: { relativeError: number }) => c.relativeError <= flags.tolerance;
    for (const c of checks) {
      io.stdout(`${passes(c) ? 'ok  ' : 'FAIL'} ${c.name}: worst relative error ${c.relativeError.toExponential(2)} (absolute ${c.absoluteError.toExponential(2)}, ${c.checked} entries)\n`);
    }
    if (checks.length === 0) io.stdout('the model has no trainable weights\n');
    const failed = checks.filter((c) => !passes(c)).length;
    io.stdout(`${checks.length - failed} passed, ${failed} failed (tolerance ${flags.tolerance})\n`);
    return setExit(failed === 0 ? 0 : 1);
  });
}
