/**
 * A tokenizer for the Python subset model code uses: names, numbers, strings in every quote
 * style (prefixes, triple quotes), operators, comments, line continuation, INDENT/DEDENT from
 * spaces or tabs (tabs to the next multiple of 8, as CPython), LF, CRLF or CR line ends. The
 * first character that is not Python stops it with an error that says where and what it was.
 */
import { error, type Diagnostic } from '../../ir/diagnostics.js';

export type TokenKind = 'name' | 'number' | 'string' | 'op' | 'newline' | 'indent' | 'dedent' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** The source text (for strings: the decoded value; for numbers: the text). */
  readonly value: string;
  readonly line: number;
  readonly column: number;
  /** String prefix letters, lowercased (`r`, `b`, `f`, `rb`, …). */
  readonly prefix?: string;
}

export interface TokenizeResult {
  readonly tokens: Token[];
  readonly diagnostics: Diagnostic[];
}

const OPERATORS = [
  '**=', '//=', '>>=', '<<=', '...', '->', ':=',
  '**', '//', '<<', '>>', '<=', '>=', '==', '!=', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '@=',
  '+', '-', '*', '/', '%', '@', '&', '|', '^', '~', '<', '>', '(', ')', '[', ']', '{', '}', ',', ':', '.', ';', '=',
];

const NAMED_CHARS: Readonly<Record<string, string>> = {
  '\u2018': "the typographic quote ‘ (U+2018 LEFT SINGLE QUOTATION MARK)",
  '\u2019': "the typographic quote ’ (U+2019 RIGHT SINGLE QUOTATION MARK)",
  '\u201C': 'the typographic quote “ (U+201C LEFT DOUBLE QUOTATION MARK)',
  '\u201D': 'the typographic quote ” (U+201D RIGHT DOUBLE QUOTATION MARK)',
  '\u00A0': 'a no-break space (U+00A0)',
  '\u2013': 'an en dash – (U+2013)',
  '\u2014': 'an em dash — (U+2014)',
};

function describeChar(ch: string): string {
  const named = NAMED_CHARS[ch];
  if (named) return named;
  const cp = ch.codePointAt(0)!;
  return `the character ${JSON.stringify(ch)} (U+${cp.toString(16).toUpperCase().padStart(4, '0')})`;
}

function isIdStart(ch: string): boolean {
  return /[\p{L}\p{Nl}_]/u.test(ch);
}

function isIdChar(ch: string): boolean {
  return /[\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}_]/u.test(ch);
}

const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '0': '\0' };

function decode(body: string, raw: boolean): string {
  if (raw) return body;
  return body.replace(/\\(\r\n|\n|\r|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|N\{[^}]*\}|.)/gs, (m, e: string) => {
    if (e === '\n' || e === '\r\n' || e === '\r') return '';
    if (/^[xuU]/.test(e) && e.length > 1) return String.fromCodePoint(parseInt(e.slice(1), 16));
    return ESCAPES[e] ?? m;
  });
}

export function tokenize(text: string, file?: string): TokenizeResult {
  const tokens: Token[] = [];
  const diagnostics: Diagnostic[] = [];
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let i = 0;
  let line = 1;
  let lineStart = 0;
  let depth = 0;
  const indents: number[] = [0];
  let atLineStart = true;
  const col = (pos: number) => pos - lineStart + 1;
  const fail = (message: string, l: number, c: number, hint?: string): TokenizeResult => {
    diagnostics.push(error('python-syntax', message, { ...(file ? { file } : {}), line: l, column: c }, hint));
    return { tokens, diagnostics };
  };
  const newlineAt = (pos: number): number => (src[pos] === '\r' && src[pos + 1] === '\n' ? 2 : src[pos] === '\n' || src[pos] === '\r' ? 1 : 0);

  while (i <= src.length) {
    if (atLineStart && depth === 0) {
      // Measure the indentation; blank and comment-only lines do not count.
      let width = 0;
      let j = i;
      while (j < src.length && (src[j] === ' ' || src[j] === '\t' || src[j] === '\f')) {
        width = src[j] === '\t' ? (Math.floor(width / 8) + 1) * 8 : src[j] === ' ' ? width + 1 : 0;
        j++;
      }
      if (j >= src.length) {
        i = j;
        break;
      }
      const nl = newlineAt(j);
      if (nl || src[j] === '#') {
        while (j < src.length && !newlineAt(j)) j++;
        const n = newlineAt(j);
        i = j + n;
        if (n) {
          line++;
          lineStart = i;
        }
        if (i >= src.length) break;
        continue;
      }
      i = j;
      atLineStart = false;
      const top = indents[indents.length - 1]!;
      if (width > top) {
        indents.push(width);
        tokens.push({ kind: 'indent', value: '', line, column: 1 });
      } else if (width < top) {
        while (width < indents[indents.length - 1]!) {
          indents.pop();
          tokens.push({ kind: 'dedent', value: '', line, column: 1 });
        }
        if (width !== indents[indents.length - 1]) return fail('the indentation of this line does not match any outer indentation level', line, col(i));
      }
    }
    if (i >= src.length) break;
    const ch = src[i]!;
    const nl = newlineAt(i);
    if (nl) {
      if (depth === 0) {
        tokens.push({ kind: 'newline', value: '', line, column: col(i) });
        atLineStart = true;
      }
      i += nl;
      line++;
      lineStart = i;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\f') {
      i++;
      continue;
    }
    if (ch === '#') {
      while (i < src.length && !newlineAt(i)) i++;
      continue;
    }
    if (ch === '\\' && newlineAt(i + 1)) {
      i += 1 + newlineAt(i + 1);
      line++;
      lineStart = i;
      continue;
    }
    const startLine = line;
    const startCol = col(i);
    // Strings, with an optional prefix.
    const pm = /^([rRbBuUfF]{0,2})(['"])/.exec(src.slice(i, i + 3));
    if (pm && /^(|r|u|b|f|rb|br|fr|rf)$/i.test(pm[1]!)) {
      const prefix = pm[1]!.toLowerCase();
      const quote = pm[2]!;
      let j = i + pm[1]!.length;
      const triple = src.startsWith(quote.repeat(3), j);
      const delim = triple ? quote.repeat(3) : quote;
      j += delim.length;
      const bodyStart = j;
      for (;;) {
        if (j >= src.length) return fail(`this string is not closed: it starts with ${delim} and the file ends before the closing ${delim}`, startLine, startCol);
        const c = src[j]!;
        if (c === '\\') {
          const n = newlineAt(j + 1);
          if (n) {
            j += 1 + n;
            line++;
            lineStart = j;
          } else j += 2;
          continue;
        }
        const n = newlineAt(j);
        if (n) {
          if (!triple) return fail(`this string is not closed on its line: it starts with ${quote} and the line ends before the closing ${quote}`, startLine, startCol);
          j += n;
          line++;
          lineStart = j;
          continue;
        }
        if (src.startsWith(delim, j)) break;
        j++;
      }
      const body = src.slice(bodyStart, j);
      tokens.push({ kind: 'string', value: decode(body, prefix.includes('r')), line: startLine, column: startCol, prefix });
      i = j + delim.length;
      continue;
    }
    if (isIdStart(ch)) {
      let j = i + 1;
      while (j < src.length && isIdChar(src[j]!)) j++;
      tokens.push({ kind: 'name', value: src.slice(i, j), line, column: startCol });
      i = j;
      continue;
    }
    const num = /^(?:0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d[\d_]*)?)[jJ]?/.exec(src.slice(i, i + 200));
    if (num && /^\.?\d/.test(src.slice(i, i + 2))) {
      tokens.push({ kind: 'number', value: num[0], line, column: startCol });
      i += num[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => src.startsWith(o, i));
    if (op) {
      if (op === '(' || op === '[' || op === '{') depth++;
      else if (op === ')' || op === ']' || op === '}') depth = Math.max(0, depth - 1);
      tokens.push({ kind: 'op', value: op, line, column: startCol });
      i += op.length;
      continue;
    }
    const cp = src.codePointAt(i)!;
    const c = String.fromCodePoint(cp);
    const quoteHint = /[\u2018\u2019\u201C\u201D]/.test(c) ? "replace the typographic quotes with straight quotes ' or \" (they come from pasting code through a word processor or web page)" : undefined;
    return fail(`this is not Python: found ${describeChar(c)}${quoteHint ? ", where Python expects a straight quote ' or \"" : ''}`, line, startCol, quoteHint);
  }
  const last = tokens[tokens.length - 1];
  if (last && last.kind !== 'newline' && last.kind !== 'dedent') tokens.push({ kind: 'newline', value: '', line, column: col(i) });
  while (indents.length > 1) {
    indents.pop();
    tokens.push({ kind: 'dedent', value: '', line, column: 1 });
  }
  tokens.push({ kind: 'eof', value: '', line, column: col(i) });
  return { tokens, diagnostics };
}
