/** Shared test helpers: compiling fixtures, parsing DOT back, reading SVG text. */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { fromDot } from 'ts-graphviz';
import { compileModel } from '../src/passes/compile.js';
import { parseSpec } from '../src/frontends/spec.js';
import type { CompiledModel, ModelIR } from '../src/ir/model.js';
import { formatDiagnostic } from '../src/ir/diagnostics.js';

export const root = new URL('../', import.meta.url);

export function fixturePath(rel: string): string {
  return new URL(rel, root).pathname;
}

export function readFixture(rel: string): string {
  return readFileSync(new URL(rel, root), 'utf8');
}

/** Compiles IR and fails the test with the diagnostics if it does not compile. */
export function mustCompile(model: ModelIR): CompiledModel {
  const result = compileModel(model);
  if (!result.compiled) throw new Error(`expected the model to compile:\n${result.diagnostics.map(formatDiagnostic).join('\n')}`);
  return result.compiled;
}

export function specIR(text: string, file?: string): ModelIR {
  const parsed = parseSpec(text, file);
  if (!parsed.model) throw new Error(`expected the spec to parse:\n${parsed.diagnostics.map(formatDiagnostic).join('\n')}`);
  return parsed.model;
}

export function compileSpec(text: string, file?: string): CompiledModel {
  return mustCompile(specIR(text, file));
}

export interface ParsedDot {
  graph: Record<string, unknown>;
  nodes: { id: string; attrs: Record<string, unknown>; effective: Record<string, unknown> }[];
  edges: [string, string][];
  /** Each edge's attributes with the `edge [...]` defaults applied. */
  edgeAttrs: Record<string, unknown>[];
}

/** Parses DOT text with ts-graphviz's parser: a syntax error throws. */
export function parseDot(text: string): ParsedDot {
  const g = fromDot(text);
  const graph: Record<string, unknown> = {};
  for (const [k, v] of g.values) graph[k] = String(v);
  const nodeDefaults: Record<string, unknown> = {};
  for (const [k, v] of g.attributes.node.values) nodeDefaults[k] = v;
  const edgeDefaults: Record<string, unknown> = {};
  for (const [k, v] of g.attributes.edge.values) edgeDefaults[k] = v;
  const nodes = g.nodes.map((n) => {
    const attrs: Record<string, unknown> = {};
    for (const [k, v] of n.attributes.values) attrs[k] = v;
    return { id: n.id, attrs, effective: { ...nodeDefaults, ...attrs } };
  });
  const edges = g.edges.map((e) => {
    const [a, b] = e.targets as unknown as { id: string }[];
    return [a!.id, b!.id] as [string, string];
  });
  const edgeAttrs = g.edges.map((e) => {
    const attrs: Record<string, unknown> = { ...edgeDefaults };
    for (const [k, v] of e.attributes.values) attrs[k] = v;
    return attrs;
  });
  return { graph, nodes, edges, edgeAttrs };
}

/** The text content of every <text> element of an SVG, XML entities decoded. */
export function svgTexts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) =>
    m[1]!
      .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
      .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, '&'),
  );
}

type Mermaid = (typeof import('mermaid'))['default'];

/**
 * The real Mermaid parser, headless: Mermaid needs a DOM even to parse (DOMPurify hooks into
 * it), so a jsdom window is made global first. jsdom ships no types and only its constructor
 * is used, hence require. It takes a second: call it once per file.
 */
export async function loadMermaid(): Promise<Mermaid> {
  const { JSDOM } = createRequire(import.meta.url)('jsdom') as { JSDOM: new (html: string) => { window: Window & typeof globalThis } };
  const { window } = new JSDOM('<!doctype html><html><body></body></html>');
  Object.assign(globalThis, { window, document: window.document });
  const mermaid = (await import('mermaid')).default;
  mermaid.initialize({ startOnLoad: false });
  return mermaid;
}
