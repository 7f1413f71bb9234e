/**
 * Parsing JSON/YAML text into plain data with positions, shared by the text frontends.
 * JSON syntax errors come from JSON.parse (its messages are the ones JSON users know);
 * positions of values come from the YAML parser's AST (valid JSON is valid YAML 1.2).
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { error, type Diagnostic, type SourceLoc } from '../ir/diagnostics.js';

export interface ParsedSource {
  readonly data: unknown;
  /** Location of the value at a path (keys and indices), or of its nearest parent. */
  locate(path: readonly (string | number)[]): SourceLoc;
}

function positionToLineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

export function looksLikeJson(text: string): boolean {
  return /^\s*[[{]/.test(text) && !/^\s*\{\s*\w+\s*:/.test(text);
}

export function pathText(path: readonly (string | number)[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${p}` : p;
  return out;
}

export function parseSource(text: string, file: string | undefined): { source?: ParsedSource; diagnostics: Diagnostic[] } {
  const fileLoc = file ? { file } : {};
  const isJson = looksLikeJson(text) || (file?.toLowerCase().endsWith('.json') ?? false);
  if (isJson) {
    try {
      JSON.parse(text);
    } catch (e) {
      const message = (e as Error).message;
      const m = /at position (\d+)/.exec(message);
      const pos = m ? positionToLineColumn(text, Number(m[1])) : undefined;
      return {
        diagnostics: [
          error('invalid-json', `malformed JSON: ${message.replace(/ in JSON at position \d+.*$/, '').replace(/\s+/g, ' ')}`, { ...fileLoc, ...pos }, 'fix the JSON syntax at that position (a missing comma, quote or bracket is the usual cause)'),
        ],
      };
    }
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      diagnostics: doc.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        return error('invalid-yaml', `malformed ${isJson ? 'JSON' : 'YAML'}: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`, { ...fileLoc, line: pos.line, column: pos.col }, 'fix the syntax at that position (indent with spaces, close every bracket and brace)');
      }),
    };
  }
  const data: unknown = doc.toJS({ maxAliasCount: 100 });
  const locate = (path: readonly (string | number)[]): SourceLoc => {
    let node: unknown = doc.contents;
    let found: YamlNode | undefined = (node as YamlNode) ?? undefined;
    for (const key of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === key);
        if (!pair) break;
        node = pair.value ?? pair.key;
      } else if (isSeq(node) && typeof key === 'number') {
        node = node.items[key];
      } else break;
      if (node && typeof node === 'object' && 'range' in node) found = node as YamlNode;
    }
    const start = found?.range?.[0];
    const pos = start !== undefined ? lineCounter.linePos(start) : undefined;
    return { ...fileLoc, ...(pos ? { line: pos.line, column: pos.col } : {}), ...(path.length ? { path: pathText(path) } : {}) };
  };
  return { source: { data, locate }, diagnostics: [] };
}
