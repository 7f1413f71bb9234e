/**
 * Escaping of user text at each output boundary. A layer named `<script>` or `"];` is a
 * name, never markup (DESIGN.md).
 */

/** Text inside a Graphviz HTML-like label (an XML dialect) and inside SVG/HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * Text inside a Graphviz record label. Record syntax characters get a backslash; `\` itself
 * is doubled; `&` becomes `&amp;` because Graphviz decodes entities in plain labels. The
 * double quote is left alone: the DOT writer escapes it when it quotes the label.
 */
export function escapeRecord(text: string): string {
  return text.replace(/[\\{}|<>&\n]/g, (c) => (c === '&' ? '&amp;' : c === '\n' ? '\\n' : `\\${c}`));
}

const SAFE_ID = /^[\p{L}\p{N}_.]+$/u;

/**
 * A DOT node id derived from a layer name alone (never from run order): the name itself when
 * it is made of letters, digits, `_` and `.`; otherwise every other character becomes
 * `_xHH_` (its code point in hex), so ids stay plain and valid in DOT and in SVG comments.
 */
export function nodeIdFor(name: string): string {
  if (SAFE_ID.test(name)) return name;
  let out = '';
  for (const ch of name) out += /[\p{L}\p{N}_.]/u.test(ch) ? ch : `_x${ch.codePointAt(0)!.toString(16)}_`;
  return out;
}
