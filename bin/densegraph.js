#!/usr/bin/env node
// A one-shot CLI spends most of its time compiling the Graphviz wasm; Liftoff alone compiles
// it faster (reference/rendering.md). Set before the wasm module is loaded.
import v8 from 'node:v8';

v8.setFlagsFromString('--liftoff-only');
// The CLI as one bundled module (scripts/bundle-cli.mjs): much quicker to load than dist/.
const { run } = await import('../dist/bin/densegraph.mjs');
process.exitCode = await run(process.argv.slice(2));
