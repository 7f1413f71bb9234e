#!/usr/bin/env node
// densegraph benchmark: `npm run bench` (builds first, then runs this file).
//
//   node bench/run.mjs [--styles keras3,keras2] [--sizes 100,1000,5000] [--quick] [--only render|training]
//
// Prints, in one run:
//   1. the machine baseline: `node -e 0` as a whole process;
//   2. the one-shot CLI: `node bin/densegraph.js render <seed> -o <tmp>.svg`, against 0.25 s,
//      and 100 small models rendered by one process with --out-dir, against 3 s;
//   3. in one process, through the public API: compile, DOT and SVG of generated Dense
//      chains (100, 1000, 5000 layers), each phase timed on its own, after one warm-up;
//   4. the same DOT through native `dot -Tsvg` (a child process), if `dot` is on PATH,
//      with the ratio densegraph / native;
//   5. training steps (forward + backward + SGD update) of 4-8-6-1 at batch 32 and 1024 and
//      784-256-128-10 at batch 128, densegraph (`fit`, and lossAndGradients + optimizer)
//      beside tfjs `cpu` and `wasm` (dev dependencies) in the same process, with ratios.
// `--only render` runs 1-4, `--only training` runs 5.
// All figures are medians (and minimums where useful) of wall-clock times. The machine is
// shared and noisy: judge them against the baseline line. Nothing here asserts on time.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(ROOT, 'bin', 'densegraph.js');
const SEED = 'fixtures/seed/binary-classifier.yaml';
const CLI_TARGET_MS = 250;

const { values: args } = parseArgs({
  options: {
    styles: { type: 'string', default: 'keras3,keras2' },
    sizes: { type: 'string', default: '100,1000,5000' },
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
  },
});
if (args.only !== undefined && !['render', 'training'].includes(args.only)) {
  console.error(`--only takes render or training, not ${JSON.stringify(args.only)}`);
  process.exit(2);
}
const RUN_RENDER = args.only !== 'training';
const RUN_TRAINING = args.only !== 'render';
const STYLES = args.styles.split(',').map((s) => s.trim()).filter(Boolean);
const SIZES = args.sizes.split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0);
const PROCESS_RUNS = args.quick ? 5 : 15;
/** Measured runs per chain size (after one warm-up), in process and for native dot. */
const runsFor = (n) => (args.quick ? 1 : n <= 100 ? 10 : n <= 1000 ? 5 : 3);
/** Native dot stops repeating once another run would take it past this much time per cell. */
const NATIVE_BUDGET_MS = args.quick ? 5_000 : 15_000;

// ---------------------------------------------------------------------------------------------
// Helpers

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const min = (xs) => Math.min(...xs);

function ms(x) {
  if (x === undefined || Number.isNaN(x)) return '-';
  if (x >= 10_000) return `${(x / 1000).toFixed(1)} s`;
  if (x >= 1000) return `${(x / 1000).toFixed(2)} s`;
  if (x >= 100) return `${x.toFixed(0)} ms`;
  if (x >= 10) return `${x.toFixed(1)} ms`;
  return `${x.toFixed(2)} ms`;
}

/** Prints rows as a Markdown table; the first column is left-aligned, the others right. */
function table(header, rows) {
  const all = [header, ...rows].map((r) => r.map((c) => String(c)));
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const line = (r) => `| ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  console.log(line(all[0]));
  console.log(`|${widths.map((w, i) => (i === 0 ? ` ${'-'.repeat(w)} ` : ` ${'-'.repeat(w - 1)}: `)).join('|')}|`);
  for (const r of all.slice(1)) console.log(line(r));
}

const oneLine = (text, max = 300) => {
  const s = String(text).replace(/\s+/g, ' ').trim();
  return s.length > max ? `${s.slice(0, max)}…` : s;
};
const errorText = (e) => oneLine(`${e?.name ?? 'Error'}: ${e?.message ?? e}`);

/** Times a child process as a whole, from spawn to exit. */
function timeProcess(cmd, argv, opts = {}) {
  const t0 = performance.now();
  const r = spawnSync(cmd, argv, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
  const elapsed = performance.now() - t0;
  if (r.error) throw r.error;
  if (r.status !== 0) {
    const why = r.signal ? `killed by ${r.signal}` : `exit code ${r.status}`;
    throw new Error(`${[cmd, ...argv].join(' ')}: ${why}: ${oneLine(r.stderr || r.stdout || '')}`);
  }
  return elapsed;
}

function nativeDotVersion() {
  const r = spawnSync('dot', ['-V'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return undefined;
  return oneLine(`${r.stderr}${r.stdout}`);
}

function cpuName() {
  try {
    const m = readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.+)$/m);
    if (m) return m[1].trim();
  } catch {
    // not Linux
  }
  return os.cpus()[0]?.model ?? 'unknown CPU';
}

/** `sequential([dense(8, {inputDim: 4}), dense(8), …])` with n Dense layers. */
function denseChain(api, n) {
  const layers = [api.dense(8, { inputDim: 4, activation: 'relu' })];
  for (let i = 1; i < n; i++) layers.push(api.dense(8, { activation: 'relu' }));
  return api.sequential(layers, { name: `chain_${n}` });
}

// ---------------------------------------------------------------------------------------------
// Training steps: densegraph beside tfjs (cpu, and wasm if it loads), measured in this run.

/** The training-step cases: Dense stacks with their loss, batch and the target to report. */
const TRAINING_CASES = [
  { model: '4-8-6-1', layers: [[8, 'relu'], [6, 'relu'], [1, 'sigmoid']], inputs: 4, init: 'uniform', loss: 'binary_crossentropy', batch: 32, target: { against: 'tfjs cpu', factor: 10 } },
  { model: '4-8-6-1', layers: [[8, 'relu'], [6, 'relu'], [1, 'sigmoid']], inputs: 4, init: 'uniform', loss: 'binary_crossentropy', batch: 1024 },
  { model: '784-256-128-10', layers: [[256, 'relu'], [128, 'relu'], [10, 'softmax']], inputs: 784, loss: 'categorical_crossentropy', batch: 128, target: { against: 'tfjs wasm', factor: 1 } },
];
const TF_LOSS = { binary_crossentropy: 'binaryCrossentropy', categorical_crossentropy: 'categoricalCrossentropy' };
const LEARNING_RATE = 0.01;

/** Deterministic batch: inputs in [0, 1) (pixel-like), targets 0/1 (one unit) or one-hot rows. */
function trainingBatch(c) {
  let s = 12345;
  const next = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296);
  const x = Float32Array.from({ length: c.batch * c.inputs }, next);
  const units = c.layers.at(-1)[0];
  const y = new Float32Array(c.batch * units);
  for (let i = 0; i < c.batch; i++) {
    if (units === 1) y[i] = next() < 0.5 ? 1 : 0;
    else y[i * units + Math.floor(next() * units)] = 1;
  }
  return { x: { shape: [c.batch, c.inputs], data: x }, y: { shape: [c.batch, units], data: y } };
}

/** Steps `step` `warm` times, then until `budgetMs` is spent (at least `minRuns`, at most `maxRuns`). */
async function timeSteps(step, { warm, budgetMs, minRuns, maxRuns }) {
  for (let i = 0; i < warm; i++) await step();
  const times = [];
  let spent = 0;
  while (times.length < maxRuns && (times.length < minRuns || spent < budgetMs)) {
    const t0 = performance.now();
    await step();
    const t = performance.now() - t0;
    times.push(t);
    spent += t;
  }
  return times;
}

async function trainingSection(api) {
  const quick = args.quick;
  // Each implementation is timed in ROUNDS slices, interleaved with the others, so that a
  // burst of load on the shared machine hits them all alike.
  const ROUNDS = quick ? 1 : 3;
  const budgets = (c) =>
    c.inputs * c.layers[0][0] > 10_000
      ? { warm: quick ? 1 : 3, rewarm: 1, budgetMs: quick ? 1000 : 4500, minRuns: quick ? 3 : 9, maxRuns: 60 }
      : { warm: quick ? 10 : 50, rewarm: 10, budgetMs: quick ? 300 : 1500, minRuns: 30, maxRuns: 3000 };
  const { createOptimizer } = await import(pathToFileURL(path.join(ROOT, 'dist', 'exec', 'optimizers.js')).href);

  let tf;
  const backends = [];
  const notes = [];
  try {
    tf = await import('@tensorflow/tfjs');
    tf.enableProdMode(); // only silences tfjs's "install tfjs-node" banner
    backends.push('cpu');
  } catch (e) {
    notes.push(`tfjs not loaded (${errorText(e)}): it is a dev dependency, run npm install`);
  }
  if (tf) {
    try {
      // Importing the wasm backend registers it with a higher priority: every tfjs run below
      // sets its backend explicitly. The .wasm files ship in the package (no download).
      await import('@tensorflow/tfjs-backend-wasm');
      if (!(await tf.setBackend('wasm'))) throw new Error('setBackend("wasm") returned false');
      await tf.ready();
      backends.push('wasm');
    } catch (e) {
      notes.push(`tfjs wasm backend unavailable: ${errorText(e)}`);
    }
  }

  console.log(`## Training steps (forward + backward + SGD update, lr ${LEARNING_RATE}; median ms per step after warm-up)`);
  console.log('');
  console.log(`- densegraph fit: \`fit(model, weights, [x], [y], {loss, optimizer: 'sgd', epochs: 1, batchSize: batch, shuffle: false})\` on exactly one batch, float32 (public API)`);
  console.log("- densegraph loop: `lossAndGradients` + `createOptimizer('sgd').step` (dist/exec/optimizers.js), float32");
  console.log(`- tfjs ${tf ? tf.version.tfjs : '-'} (backends ${backends.join(', ') || 'none'}), the same initial weights: trainOnBatch = \`model.trainOnBatch(x, y)\` after \`compile({optimizer: sgd(${LEARNING_RATE}), loss})\`; minimize = \`sgd.minimize(() => mean(loss(y, model.apply(x))), true)\` and the loss read back (no fit/compile bookkeeping)`);
  console.log(`- each row is timed in ${ROUNDS} slice(s) interleaved with the other rows of its model, after a warm-up`);
  console.log('- GFLOP/s counts 6 · batch · kernel weights (2 for the forward matmuls, 4 for the backward ones)');
  for (const n of notes) console.log(`- ${n}`);
  console.log('');

  const rows = [];
  const summary = [];
  const errors = [];
  for (const c of TRAINING_CASES) {
    const label = `${c.model} b${c.batch}`;
    const budget = budgets(c);
    const flops = 6 * c.batch * c.layers.reduce((acc, [units], i) => acc + (i === 0 ? c.inputs : c.layers[i - 1][0]) * units, 0);
    const ir = api.sequential(
      c.layers.map(([units, activation], i) => api.dense(units, { activation, ...(i === 0 ? { inputDim: c.inputs } : {}), ...(c.init ? { kernelInitializer: c.init } : {}) })),
      { name: `bench_${c.model.replaceAll('-', '_')}` },
    );
    const { compiled: model } = api.compileOrThrow(ir);
    const initial = api.initWeights(model, 0);
    const copy = () => new Map([...initial].map(([k, t]) => [k, { shape: t.shape, data: t.data.slice() }]));
    const { x, y } = trainingBatch(c);
    const names = api.weightList(model).map((w) => w.name);
    const trainable = api.weightList(model).filter((w) => w.weight.trainable).map((w) => w.name);

    const impls = [
      {
        name: 'densegraph fit',
        make: () => {
          const weights = copy();
          const options = { loss: c.loss, optimizer: 'sgd', learningRate: LEARNING_RATE, epochs: 1, batchSize: c.batch, shuffle: false };
          return { step: () => void api.fit(model, weights, [x], [y], options) };
        },
      },
      {
        name: 'densegraph loop',
        make: () => {
          const weights = copy();
          const optimizer = createOptimizer('sgd', { learningRate: LEARNING_RATE });
          return {
            step: () => {
              const r = api.lossAndGradients(model, weights, [x], [y], c.loss);
              optimizer.step(trainable.map((name) => ({ value: weights.get(name), grad: r.gradients.get(name) })));
            },
          };
        },
      },
    ];
    for (const backend of backends) {
      for (const how of ['trainOnBatch', 'minimize']) {
        impls.push({
          name: `tfjs ${backend} ${how}`,
          backend,
          make: async () => {
            if (!(await tf.setBackend(backend))) throw new Error(`setBackend(${backend}) failed`);
            await tf.ready();
            const m = tf.sequential();
            c.layers.forEach(([units, activation], i) => m.add(tf.layers.dense({ units, activation, ...(i === 0 ? { inputShape: [c.inputs] } : {}) })));
            const optimizer = tf.train.sgd(LEARNING_RATE);
            m.compile({ optimizer, loss: TF_LOSS[c.loss] });
            // tfjs orders each Dense's kernel then bias, as densegraph's weightList.
            m.setWeights(names.map((n) => tf.tensor(initial.get(n).data, initial.get(n).shape, 'float32')));
            const xs = tf.tensor(x.data, x.shape, 'float32');
            const ys = tf.tensor(y.data, y.shape, 'float32');
            const lossFn = tf.metrics[TF_LOSS[c.loss]];
            const step =
              how === 'trainOnBatch'
                ? () => m.trainOnBatch(xs, ys)
                : () => {
                    const loss = optimizer.minimize(() => tf.mean(lossFn(ys, m.apply(xs))), true);
                    loss.dataSync();
                    loss.dispose();
                  };
            return {
              step,
              dispose: () => {
                tf.dispose([xs, ys]);
                m.dispose();
              },
            };
          },
        });
      }
    }

    const live = [];
    for (const impl of impls) {
      try {
        live.push({ ...impl, ...(await impl.make()), times: [] });
      } catch (e) {
        errors.push(`${label} ${impl.name}: ${errorText(e)}`);
      }
    }
    for (let round = 0; round < ROUNDS; round++) {
      for (const h of live) {
        if (h.error) continue;
        try {
          if (h.backend && !(await tf.setBackend(h.backend))) throw new Error(`setBackend(${h.backend}) failed`);
          const times = await timeSteps(h.step, {
            warm: round === 0 ? budget.warm : budget.rewarm,
            budgetMs: budget.budgetMs / ROUNDS,
            minRuns: Math.ceil(budget.minRuns / ROUNDS),
            maxRuns: Math.ceil(budget.maxRuns / ROUNDS),
          });
          h.times.push(...times);
        } catch (e) {
          h.error = errorText(e);
          errors.push(`${label} ${h.name}: ${h.error}`);
        }
      }
    }
    const result = {};
    for (const impl of impls) {
      const h = live.find((l) => l.name === impl.name);
      h?.dispose?.();
      if (!h || h.error || !h.times.length) {
        rows.push([label, impl.name, String(h?.times.length ?? 0), 'FAILED', '-', '-']);
        continue;
      }
      const med = median(h.times);
      result[impl.name] = med;
      rows.push([label, impl.name, String(h.times.length), ms(med), ms(min(h.times)), (flops / med / 1e6).toFixed(2)]);
    }

    // tfjs's figure for a backend: the faster of its two ways of stepping.
    const best = (backend) => {
      const xs = ['trainOnBatch', 'minimize'].map((how) => result[`tfjs ${backend} ${how}`]).filter((v) => v !== undefined);
      return xs.length ? Math.min(...xs) : undefined;
    };
    const tfjs = { 'tfjs cpu': best('cpu'), 'tfjs wasm': best('wasm') };
    const dg = result['densegraph fit'];
    const ratio = (other) => (dg && other ? `${(other / dg).toFixed(2)}x` : '-');
    let verdict = '-';
    if (c.target) {
      const other = tfjs[c.target.against];
      const got = dg && other ? other / dg : undefined;
      const want = c.target.factor === 1 ? `at least as fast as ${c.target.against}` : `${c.target.factor}x faster than ${c.target.against}`;
      verdict = got === undefined ? `${want}: not measured` : `${want}: ${got >= c.target.factor ? 'met' : 'NOT met'} (${got.toFixed(2)}x)`;
    }
    summary.push([label, ms(dg), ms(result['densegraph loop']), ms(tfjs['tfjs cpu']), ms(tfjs['tfjs wasm']), ratio(tfjs['tfjs cpu']), ratio(tfjs['tfjs wasm']), verdict]);
  }

  table(['model, batch', 'implementation', 'steps', 'median', 'min', 'GFLOP/s'], rows);
  console.log('');
  table(['model, batch', 'densegraph fit', 'densegraph loop', 'tfjs cpu', 'tfjs wasm', 'tfjs cpu / densegraph', 'tfjs wasm / densegraph', 'target (densegraph fit)'], summary);
  console.log('');
  console.log('tfjs cpu / wasm: the faster of trainOnBatch and minimize. Ratios are tfjs time / densegraph fit time: above 1x densegraph is faster.');
  console.log('');
  if (errors.length) {
    console.log('### Training errors');
    console.log('');
    for (const e of errors) console.log(`- ${e}`);
    console.log('');
  }
}

// ---------------------------------------------------------------------------------------------

const startedAt = performance.now();
const tmp = mkdtempSync(path.join(os.tmpdir(), 'densegraph-bench-'));
const dotVersion = nativeDotVersion();

try {
  const api = await import(pathToFileURL(path.join(ROOT, 'dist', 'index.js')).href);
  let wasmVersion = '?';
  try {
    wasmVersion = await api.graphvizVersion();
  } catch (e) {
    wasmVersion = `unavailable (${errorText(e)})`;
  }

  console.log('# densegraph bench');
  console.log('');
  console.log(`- node ${process.version}, ${os.platform()} ${os.arch()}, ${os.cpus().length} CPUs (${cpuName()})`);
  console.log(`- load average at start: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  console.log(`- Graphviz: wasm ${wasmVersion}; native ${dotVersion ?? 'not on PATH'}`);
  console.log(`- styles: ${STYLES.join(', ')}; chain sizes: ${SIZES.join(', ')}${args.quick ? ' (--quick)' : ''}${args.only ? ` (--only ${args.only})` : ''}`);
  console.log('');

  if (RUN_RENDER) {
    // -- 1 + 2: whole processes. Measured first, while this process is still small (spawning
    //    from a big heap costs a little more).
    console.log(`## Whole processes (${PROCESS_RUNS} runs each, after 1 warm-up)`);
    console.log('');
    const baseline = [];
    timeProcess(process.execPath, ['-e', '0']);
    for (let i = 0; i < PROCESS_RUNS; i++) baseline.push(timeProcess(process.execPath, ['-e', '0']));

    const out = path.join(tmp, 'seed.svg');
    const cliArgs = [CLI, 'render', SEED, '-o', out];
    const cli = [];
    let cliError;
    try {
      timeProcess(process.execPath, cliArgs);
      if (!existsSync(out) || statSync(out).size === 0 || !readFileSync(out, 'utf8').includes('<svg')) {
        throw new Error(`densegraph render wrote no SVG to ${out}`);
      }
      for (let i = 0; i < PROCESS_RUNS; i++) cli.push(timeProcess(process.execPath, cliArgs));
    } catch (e) {
      cliError = errorText(e);
    }

    const rows = [['baseline: node -e 0', ms(median(baseline)), ms(min(baseline)), '', '']];
    if (cliError) {
      rows.push([`densegraph render ${SEED} -o x.svg`, 'FAILED', '', '', `${CLI_TARGET_MS} ms`]);
    } else {
      const m = median(cli);
      rows.push([
        `densegraph render ${path.basename(SEED)} -o x.svg`,
        ms(m),
        ms(min(cli)),
        ms(m - median(baseline)),
        `${CLI_TARGET_MS} ms: ${m <= CLI_TARGET_MS ? 'met' : `over by ${ms(m - CLI_TARGET_MS)}`}`,
      ]);
    }
    // Batch rendering: 100 small models in one process (`render … --out-dir`), target 3 s.
    const batchDir = path.join(tmp, 'batch');
    mkdirSync(batchDir, { recursive: true });
    const batchModels = Array.from({ length: 100 }, (_, i) => {
      const file = path.join(batchDir, `m${i}.yaml`);
      writeFileSync(file, `layers:\n  - Dense: {units: ${(i % 7) + 2}, input_dim: ${(i % 5) + 2}, activation: relu}\n  - Dense: {units: 3, activation: softmax}\n`);
      return file;
    });
    const batchArgs = [CLI, 'render', ...batchModels, '--out-dir', path.join(tmp, 'batch-out')];
    const batch = [];
    timeProcess(process.execPath, batchArgs);
    for (let i = 0; i < Math.min(PROCESS_RUNS, 5); i++) batch.push(timeProcess(process.execPath, batchArgs));
    const bm = median(batch);
    rows.push(['densegraph render 100 small models --out-dir', ms(bm), ms(min(batch)), ms(bm - median(baseline)), `3000 ms: ${bm <= 3000 ? 'met' : `over by ${ms(bm - 3000)}`}`]);
    table(['process', 'median', 'min', 'minus baseline', 'target'], rows);
    if (cliError) console.log(`\nCLI error: ${cliError}`);
    console.log('');

    // -- 3 + 4: Dense chains in this process, then natively.
    // The first layout also pays for compiling the wasm: shown on its own.
    let firstLayout;
    try {
      const t0 = performance.now();
      await api.dotToSvg('digraph { a -> b }');
      firstLayout = performance.now() - t0;
    } catch (e) {
      console.log(`first wasm layout failed: ${errorText(e)}`);
    }
    console.log(`## Dense chains in one process (public API; median of N runs after 1 warm-up)`);
    console.log('');
    console.log(`first dotToSvg of a 2-node graph in this process (wasm already loaded by graphvizVersion()): ${ms(firstLayout)}`);
    console.log('');

    const chainRows = [];
    const nativeRows = [];
    const errors = [];
    for (const style of STYLES) {
      for (const n of SIZES) {
        const runs = runsFor(n);
        const label = `${style} ${n}`;
        const t = { compile: [], dot: [], svg: [] };
        let dot;
        let svgError;
        let fallback = false;
        let failedAt;
        try {
          const ir = denseChain(api, n);
          for (let i = 0; i <= runs; i++) {
            const warm = i === 0;
            failedAt = 'compile';
            let t0 = performance.now();
            const result = api.compile(ir);
            const tCompile = performance.now() - t0;
            const problems = (result.diagnostics ?? []).filter((d) => d.severity === 'error');
            if (!result.compiled || problems.length > 0) {
              throw new Error(`${oneLine(problems.map((d) => d.message).join('; ') || 'no compiled model')}`);
            }
            failedAt = 'DOT';
            t0 = performance.now();
            dot = api.renderDot(result.compiled, { style });
            const tDot = performance.now() - t0;
            failedAt = undefined;
            if (!warm) {
              t.compile.push(tCompile);
              t.dot.push(tDot);
            }
            if (svgError) continue; // a layout that threw once throws again: time the rest only
            if (fallback) dot = api.renderDot(result.compiled, { style, splines: 'spline' });
            t0 = performance.now();
            try {
              let svg;
              try {
                svg = await api.dotToSvg(dot);
              } catch (e) {
                // What `densegraph render` does too: orthogonal routing runs out of wasm stack
                // at about 900 nodes, and the graph is drawn with curved edges instead.
                if (fallback || !dot.includes('splines = "ortho"')) throw e;
                fallback = true;
                errors.push(`${label}: orthogonal edges failed (${errorText(e)}); timed with --splines spline, as the CLI falls back`);
                dot = api.renderDot(result.compiled, { style, splines: 'spline' });
                t0 = performance.now();
                svg = await api.dotToSvg(dot);
              }
              if (!svg.includes('<svg')) throw new Error('dotToSvg returned no <svg>');
              if (!warm) t.svg.push(performance.now() - t0);
            } catch (e) {
              svgError = `${errorText(e)} (after ${ms(performance.now() - t0)})`;
              errors.push(`${label}: SVG (dotToSvg) failed: ${svgError}`);
            }
          }
        } catch (e) {
          errors.push(`${label}: ${failedAt ?? 'run'} failed: ${errorText(e)}`);
        }
        const mc = t.compile.length ? median(t.compile) : undefined;
        const md = t.dot.length ? median(t.dot) : undefined;
        const msvg = t.svg.length ? median(t.svg) : undefined;
        const total = mc !== undefined && md !== undefined && msvg !== undefined ? mc + md + msvg : undefined;
        chainRows.push([
          fallback ? `${label} (curved)` : label,
          String(Math.max(t.compile.length, t.svg.length)),
          ms(mc),
          ms(md),
          svgError ? 'FAILED' : ms(msvg),
          ms(total),
          dot ? `${(dot.length / 1024).toFixed(0)} KiB` : '-',
        ]);

        // Native dot on the same DOT text.
        if (!dotVersion) continue;
        if (!dot) {
          nativeRows.push([label, '0', 'no DOT', '-', '-', '-']);
          continue;
        }
        const file = path.join(tmp, `chain-${style}-${n}.dot`);
        writeFileSync(file, dot);
        const native = [];
        let nativeError;
        try {
          const svgOut = path.join(tmp, `chain-${style}-${n}.svg`);
          let spent = 0;
          for (let i = 0; i < runs; i++) {
            const last = native.at(-1) ?? 0;
            if (i > 0 && spent + last > NATIVE_BUDGET_MS) break;
            const x = timeProcess('dot', ['-Tsvg', file, '-o', svgOut]);
            native.push(x);
            spent += x;
          }
        } catch (e) {
          nativeError = errorText(e);
          errors.push(`${label}: native dot failed: ${nativeError}`);
        }
        const mn = native.length ? median(native) : undefined;
        const ratio = (a) => (a !== undefined && mn ? `${(a / mn).toFixed(2)}x` : '-');
        nativeRows.push([label, String(native.length), nativeError ? 'FAILED' : ms(mn), ms(msvg), ratio(msvg), ratio(total)]);
      }
    }

    table(['chain (style, layers)', 'runs', 'compile', 'DOT', 'SVG (wasm)', 'total', 'DOT size'], chainRows);
    console.log('');

    console.log('## Native dot -Tsvg on the same DOT (whole process, median)');
    console.log('');
    if (!dotVersion) {
      console.log('skipped: `dot` is not on PATH (install graphviz to compare; it is not a dependency).');
    } else {
      table(['chain (style, layers)', 'runs', 'native dot', 'densegraph SVG', 'SVG / native', 'total / native'], nativeRows);
      console.log('');
      console.log('densegraph SVG = wasm layout in a warm process; total = compile + DOT + SVG. Below 1x: densegraph is faster.');
    }
    console.log('');

    if (errors.length) {
      console.log('## Errors');
      console.log('');
      for (const e of errors) console.log(`- ${e}`);
      console.log('');
    }
  }

  if (RUN_TRAINING) await trainingSection(api);

  console.log(`bench took ${ms(performance.now() - startedAt)}; load average at end: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
