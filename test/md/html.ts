/** Markdown → HTML → DOM, to look at what a reader's renderer makes of densegraph's output. */
import { createRequire } from 'node:module';
import { marked } from 'marked';

// jsdom ships no types; this is the part of its API the tests use.
const { JSDOM } = createRequire(import.meta.url)('jsdom') as { JSDOM: new (text: string, options?: { contentType?: string }) => { window: { document: Document } } };

/** The DOM a Markdown renderer (marked, as GitHub-flavoured renderers do) makes of `markdown`. */
export function markdownDom(markdown: string): Document {
  return new JSDOM(marked.parse(markdown, { async: false }) as string).window.document;
}

/** An SVG document parsed as XML. */
export function svgDom(svg: string): Document {
  return new JSDOM(svg, { contentType: 'image/svg+xml' }).window.document;
}
