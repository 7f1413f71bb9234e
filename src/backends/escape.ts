/**
 * Escaping of user text at each output boundary. A layer named `<script>` or `"];` is a
 * name, never markup (DESIGN.md).
 */

const HTML_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
  // Keras draws HTML labels on record-shaped nodes, and Graphviz then still reads the record
  // syntax characters inside the text: `{braces}` loses the whole label, a trailing `\` is
  // dropped. As character references they are plain text.
  '{': '&#123;', '}': '&#125;', '|': '&#124;', '\\': '&#92;',
};

/** Text inside a Graphviz HTML-like label (an XML dialect); also valid in SVG and HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'{}|\\]/g, (c) => HTML_ENTITIES[c]!);
}

/**
 * Text inside a Graphviz record label. Record syntax characters get a backslash; `\` itself
 * is doubled; `&` becomes `&amp;` because Graphviz decodes entities in plain labels. The
 * double quote is left alone: the DOT writer escapes it when it quotes the label.
 */
export function escapeRecord(text: string): string {
  return text.replace(/[\\{}|<>&\n]/g, (c) => (c === '&' ? '&amp;' : c === '\n' ? '\\n' : `\\${c}`));
}

// Characters a quoted DOT id cannot hold as themselves (`"`, `\`), or that would read as an
// HTML-like id or an entity (`<`, `>`, `&`).
const UNSAFE_ID_CHAR = /["\\<>&]/g;

/**
 * A DOT node id derived from the layer name alone (never from run order): the name itself,
 * with `"` `\` `<` `>` `&` written as `_xHH_` (their code point in hex).
 */
export function nodeIdFor(name: string): string {
  return name.replace(UNSAFE_ID_CHAR, (ch) => `_x${ch.codePointAt(0)!.toString(16)}_`);
}
