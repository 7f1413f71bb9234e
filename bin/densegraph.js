#!/usr/bin/env node
// A one-shot CLI spends most of its time compiling the Graphviz wasm; Liftoff alone compiles
// it in about half the time (reference/rendering.md). Set before the wasm module is loaded.
import v8 from 'node:v8';

v8.setFlagsFromString('--liftoff-only');
const { run } = await import('../dist/cli/main.js');
process.exitCode = await run(process.argv.slice(2));
