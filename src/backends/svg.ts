/**
 * SVG backend: DOT → SVG through the wasm build of Graphviz (@hpcc-js/wasm-graphviz, pinned),
 * so output is byte-identical on every machine. The only async edge of the diagram pipeline.
 */
import type { Graphviz as GraphvizModule } from '@hpcc-js/wasm-graphviz';

let loading: Promise<GraphvizModule> | undefined;

async function graphviz(): Promise<GraphvizModule> {
  // Imported lazily: commands that print DOT or a summary never pay for compiling the wasm.
  loading ??= import('@hpcc-js/wasm-graphviz').then((m) => m.Graphviz.load());
  return loading;
}

/** The Graphviz version inside the wasm build (for `--version` and bug reports). */
export async function graphvizVersion(): Promise<string> {
  return (await graphviz()).version();
}

/** Lays out DOT text with `dot` and returns the SVG. */
export async function dotToSvg(dot: string): Promise<string> {
  const gv = await graphviz();
  try {
    return gv.layout(dot, 'svg', 'dot');
  } catch (e) {
    // A throwing layout unloads the module (reference/rendering.md): load afresh next time.
    loading = undefined;
    throw new Error(`Graphviz could not lay out the graph: ${(e as Error).message}`);
  }
}
