// Bundles the CLI into one file (dist/bin/densegraph.mjs) after tsc has built dist/. Loading
// one module instead of some two hundred (commander, yaml, ts-graphviz, …) saves about 65 ms
// of a one-shot run (measured in docs/architecture.md). The library entry (dist/index.js)
// stays unbundled; the wasm Graphviz stays external, loaded on first layout.
import { build } from 'esbuild';

await build({
  entryPoints: ['dist/cli/main.js'],
  outfile: 'dist/bin/densegraph.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['@hpcc-js/wasm-graphviz'],
  // commander and yaml are CommonJS inside; an ESM bundle needs a require for them.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
});
