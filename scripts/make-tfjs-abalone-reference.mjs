#!/usr/bin/env node
// Writes fixtures/reference/abalone-tfjs-predictions.json: the predictions of the shared
// TensorFlow.js abalone model (fixtures/tfjs/t1_tfjs_examples_abalone, trained by the
// tfjs-examples authors) computed by TensorFlow.js itself — its own model.json loader
// (tf.loadLayersModel over the file's topology, weight manifest and weights.bin), the cpu
// backend, float32 — for test/frontends/tfjs-weights.test.ts, which checks that
// `densegraph run` on the same file gives the same numbers.
//
//   node scripts/make-tfjs-abalone-reference.mjs [--check]
//
// Inputs: six rows shaped like the example's features (8 numbers: the abalone measurements,
// scaled as in tfjs-examples' abalone-node data.js), written out below; no densegraph code runs here.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIR = path.join(ROOT, 'fixtures', 'tfjs', 't1_tfjs_examples_abalone');
const OUT = path.join(ROOT, 'fixtures', 'reference', 'abalone-tfjs-predictions.json');

tf.env().set('PROD', true);
await tf.setBackend('cpu');
await tf.ready();

const json = JSON.parse(readFileSync(path.join(DIR, 'model.json'), 'utf8'));
const bin = readFileSync(path.join(DIR, json.weightsManifest[0].paths[0]));
const handler = tf.io.fromMemory({
  modelTopology: json.modelTopology,
  weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
  weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
});
const model = await tf.loadLayersModel(handler);

const inputs = [
  [0, 0.455, 0.365, 0.095, 0.514, 0.2245, 0.101, 0.15],
  [1, 0.35, 0.265, 0.09, 0.2255, 0.0995, 0.0485, 0.07],
  [2, 0.53, 0.42, 0.135, 0.677, 0.2565, 0.1415, 0.21],
  [0, 0.44, 0.365, 0.125, 0.516, 0.2155, 0.114, 0.155],
  [2, 0.33, 0.255, 0.08, 0.205, 0.0895, 0.0395, 0.055],
  [1, 0.7, 0.55, 0.2, 1.5, 0.6, 0.3, 0.45],
];
const outputs = model.predict(tf.tensor2d(inputs)).arraySync();
const record = {
  source: `TensorFlow.js ${tf.version.tfjs} (tfjs-layers ${tf.version['tfjs-layers']}, tf.loadLayersModel, backend cpu, float32), Node ${process.version}: node scripts/make-tfjs-abalone-reference.mjs`,
  model: 'fixtures/tfjs/t1_tfjs_examples_abalone/model.json',
  inputs,
  outputs: outputs.map((row) => row.map((v) => Number(v.toPrecision(9)))),
};
const text = `${JSON.stringify(record, null, 2)}\n`;
if (process.argv.includes('--check')) {
  const strip = (s) => s.replace(/^ {2}"source": .*\n/m, '');
  const same = strip(readFileSync(OUT, 'utf8')) === strip(text);
  console.log(same ? 'abalone-tfjs-predictions.json matches tfjs' : 'abalone-tfjs-predictions.json differs from what tfjs computes now');
  process.exitCode = same ? 0 : 1;
} else {
  writeFileSync(OUT, text);
  console.log(`${path.relative(ROOT, OUT)}: ${outputs.length} predictions`);
}
