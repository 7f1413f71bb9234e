/**
 * Markdown docs pipeline, the pure part: finding the fenced code blocks that hold a model,
 * naming their diagrams, and writing the image link after each block between markers.
 *
 *   ```densegraph            <- a block: spec YAML/JSON, or `python densegraph` for Keras code
 *   layers: ...
 *   ```
 *
 *   <!-- densegraph:begin densegraph-sequential-0123456789ab.svg -->
 *   ![Diagram of the model 'sequential'](images/densegraph-sequential-0123456789ab.svg)
 *   <!-- densegraph:end -->
 *
 * Everything outside the markers is kept byte for byte (line endings included), and running
 * the update on its own output changes nothing. File IO and rendering live in `cli/md.ts`.
 */
import { createHash } from 'node:crypto';

/** What a block holds: a densegraph spec (YAML or JSON) or Python Keras code. */
export type MdBlockKind = 'spec' | 'python';

/** The marker pair written after a block, as found in the text. */
export interface MarkerRegion {
  /** The key on the begin marker (the diagram's file name). */
  readonly key: string;
  /** 1-based line of the begin marker. */
  readonly line: number;
  /** Offset of the begin marker line. */
  readonly start: number;
  /** Offset just after the end marker (before its line ending). */
  readonly end: number;
  /** Offset of the blank line between block and markers, or `start` when there is none. */
  readonly gapStart: number;
  /** Offset after the end marker's line ending. */
  readonly endWithEol: number;
  /** Offset of the closing fence's line ending. */
  readonly fenceEnd: number;
}

/** A fenced code block that holds a model. */
export interface MdBlock {
  readonly kind: MdBlockKind;
  /** The info string names densegraph (`densegraph`, `python densegraph`): a block that builds no model is an error. */
  readonly optedIn: boolean;
  readonly info: string;
  /** The block's content with the fence's indentation removed, lines ended by `\n`. */
  readonly text: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** 1-based line of the first content line. */
  readonly contentLine: number;
  /** Spaces before the opening fence (removed from the content lines, CommonMark). */
  readonly indent: number;
  /** False when the document ends before a closing fence: such a block is not touched. */
  readonly closed: boolean;
  /** Offset just after the closing fence line, its line ending included. */
  readonly end: number;
  /** The closing fence line's ending (`''` at the end of the file). */
  readonly eol: string;
  /** The marker pair that directly follows the block (one blank line allowed). */
  readonly marker?: MarkerRegion;
  /** A begin marker follows the block but no end marker closes it. */
  readonly markerError?: string;
}

export interface FindBlocksOptions {
  /** Treat every `python` block as a model block (else only `python densegraph`). @default false */
  readonly python?: boolean;
}

interface Line {
  readonly text: string;
  readonly start: number;
  /** Offset after the line ending. */
  readonly next: number;
  readonly eol: string;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  const re = /\r\n|\n|\r/g;
  let start = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    lines.push({ text: text.slice(start, m.index), start, next: m.index + m[0].length, eol: m[0] });
    start = m.index + m[0].length;
  }
  if (start < text.length) lines.push({ text: text.slice(start), start, next: text.length, eol: '' });
  return lines;
}

const OPEN_FENCE = /^( {0,3})(`{3,}|~{3,})(.*)$/;
const CLOSE_FENCE = /^ {0,3}(`{3,}|~{3,})[ \t]*$/;
const BEGIN_MARKER = /^ {0,3}<!-- densegraph:begin (\S+) -->[ \t]*$/;
const END_MARKER = /^ {0,3}<!-- densegraph:end -->[ \t]*$/;
/** How far below a begin marker its end marker is looked for. */
const MAX_MARKER_LINES = 20;

const PYTHON_LANGS = new Set(['python', 'py', 'python3']);
const SPEC_LANGS = new Set(['yaml', 'yml', 'json']);

/** Which blocks are model blocks, from the info string's words. */
function blockKind(info: string, options: FindBlocksOptions): { kind: MdBlockKind; optedIn: boolean } | undefined {
  const words = info.split(/[ \t]+/).filter(Boolean).map((w) => w.toLowerCase());
  const lang = words[0];
  if (lang === undefined) return undefined;
  if (lang === 'densegraph') return { kind: 'spec', optedIn: true };
  const named = words.slice(1).includes('densegraph');
  if (SPEC_LANGS.has(lang) && named) return { kind: 'spec', optedIn: true };
  if (PYTHON_LANGS.has(lang) && (named || options.python)) return { kind: 'python', optedIn: named };
  return undefined;
}

function findMarker(lines: readonly Line[], after: number): { marker?: MarkerRegion; markerError?: string } {
  let i = after;
  const gap = lines[i];
  if (gap && gap.text.trim() === '' && lines[i + 1] && BEGIN_MARKER.test(lines[i + 1]!.text)) i++;
  const begin = lines[i];
  const m = begin && BEGIN_MARKER.exec(begin.text);
  if (!begin || !m) return {};
  for (let j = i + 1; j < lines.length && j <= i + MAX_MARKER_LINES; j++) {
    const l = lines[j]!;
    if (BEGIN_MARKER.test(l.text) || OPEN_FENCE.test(l.text)) break;
    if (END_MARKER.test(l.text)) {
      return {
        marker: { key: m[1]!, line: i + 1, start: begin.start, end: l.start + l.text.length, gapStart: lines[after]!.start, endWithEol: l.next, fenceEnd: lines[after - 1]!.start + lines[after - 1]!.text.length },
      };
    }
  }
  return { markerError: `the densegraph:begin marker on line ${i + 1} has no <!-- densegraph:end --> line after it` };
}

/**
 * The model blocks of a Markdown text, in order: fenced with ``` or ~~~ (three or more,
 * indented up to three spaces), info string `densegraph`, `yaml densegraph`, `json densegraph`
 * or `python densegraph` (every `python` block with `python: true`). Blocks inside other
 * fenced blocks are content, not blocks; container blocks (lists, quotes) are not looked into.
 */
export function findBlocks(text: string, options: FindBlocksOptions = {}): MdBlock[] {
  const lines = splitLines(text);
  const blocks: MdBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    // A byte order mark is not part of the first line's text (CommonMark).
    const open = OPEN_FENCE.exec(i === 0 ? lines[0]!.text.replace(/^\uFEFF/, '') : lines[i]!.text);
    if (!open) continue;
    const indent = open[1]!.length;
    const fence = open[2]!;
    const info = open[3]!.trim();
    if (fence[0] === '`' && info.includes('`')) continue; // not a fence (CommonMark): inline code
    let close = i + 1;
    while (close < lines.length) {
      const c = CLOSE_FENCE.exec(lines[close]!.text);
      if (c && c[1]![0] === fence[0] && c[1]!.length >= fence.length) break;
      close++;
    }
    const kind = blockKind(info, options);
    if (kind) {
      const content = lines.slice(i + 1, close).map((l) => l.text.replace(new RegExp(`^ {0,${indent}}`), ''));
      const closed = close < lines.length;
      const last = closed ? lines[close]! : undefined;
      blocks.push({
        ...kind,
        info,
        text: content.map((l) => `${l}\n`).join(''),
        line: i + 1,
        contentLine: i + 2,
        indent,
        closed,
        end: last ? last.next : text.length,
        eol: last ? last.eol : '',
        ...(closed ? findMarker(lines, close + 1) : {}),
      });
    }
    i = close;
  }
  return blocks;
}

/** What to do after one block. */
export type BlockUpdate =
  /** Insert the image link, or replace the markers that are there. */
  | { readonly action: 'link'; readonly key: string; readonly alt: string; readonly href: string }
  /** Leave the text as it is (a block that failed: its last good diagram stays linked). */
  | { readonly action: 'keep' }
  /** Remove the markers, if any (a block that no longer builds a model). */
  | { readonly action: 'remove' };

/** The text between and including the markers, with the given line ending. */
export function markerRegion(key: string, alt: string, href: string, eol = '\n'): string {
  return `<!-- densegraph:begin ${key} -->${eol}![${escapeMarkdownText(alt)}](${href})${eol}<!-- densegraph:end -->`;
}

/** The line ending new lines get: the block's own, else the file's first, else `\n`. */
function eolFor(text: string, block: MdBlock): string {
  if (block.eol) return block.eol;
  return /\r\n|\n|\r/.exec(text)?.[0] ?? '\n';
}

/**
 * The Markdown text with each block's update applied; `updates[i]` belongs to `blocks[i]`
 * (as `findBlocks` returned them for this same text). Text outside the markers is unchanged.
 */
export function updateMarkdown(text: string, blocks: readonly MdBlock[], updates: readonly BlockUpdate[]): string {
  if (blocks.length !== updates.length) throw new Error('internal error (a bug in densegraph): updateMarkdown needs one update per block');
  let out = '';
  let at = 0;
  blocks.forEach((block, i) => {
    const update = updates[i]!;
    if (!block.closed || block.markerError || update.action === 'keep') return;
    const eol = eolFor(text, block);
    if (update.action === 'remove') {
      if (!block.marker) return;
      // Markers at the very end of the file: the file ended with the block before they came.
      const atEof = block.marker.endWithEol === block.marker.end;
      out += text.slice(at, atEof ? block.marker.fenceEnd : block.marker.gapStart);
      at = block.marker.endWithEol;
      return;
    }
    const region = markerRegion(update.key, update.alt, update.href, eol);
    if (block.marker) {
      out += text.slice(at, block.marker.start) + region;
      at = block.marker.end;
    } else {
      out += text.slice(at, block.end) + (block.eol ? `${eol}${region}${eol}` : `${eol}${eol}${region}`);
      at = block.end;
    }
  });
  return out + text.slice(at);
}

/** Every key named by a begin marker in the text (diagrams a Markdown file still links to). */
export function markerKeys(text: string): string[] {
  return splitLines(text).flatMap((l) => {
    const m = BEGIN_MARKER.exec(l.text);
    return m ? [m[1]!] : [];
  });
}

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/**
 * Text made inert for Markdown link text (alt text): HTML's special characters become entity
 * references (renderers that copy alt text into the attribute as it is, such as marked, stay
 * safe), Markdown's other syntax characters are backslash-escaped, and line breaks and other
 * control characters become spaces, so a model named `](javascript:x)` or `<script>` stays a name.
 */
export function escapeMarkdownText(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
    .replace(/[&<>"\\`*_{}[\]()!|~$]/g, (c) => HTML_ENTITIES[c] ?? `\\${c}`);
}

/** A path as a Markdown link destination: forward slashes, each segment percent-encoded. */
export function markdownHref(relativePath: string): string {
  return relativePath
    .split(/[\\/]/)
    .map((s) => encodeURIComponent(s).replace(/[()'!*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/');
}

/** Diagram files densegraph md writes (and the only files `--prune` may remove). */
export const DIAGRAM_FILE_PATTERN = /^densegraph-(?:[a-z0-9]+(?:-[a-z0-9]+)*-)?[0-9a-f]{12}\.(?:svg|png)$/;

export function isDiagramFile(name: string): boolean {
  return DIAGRAM_FILE_PATTERN.test(name);
}

export interface DiagramNameInput {
  readonly format: 'svg' | 'png';
  /** The label style as given (`keras3`, `keras2` or a style file path). */
  readonly style: string;
  readonly kind: MdBlockKind;
  /** The block text (`MdBlock.text`); line endings are normalised to `\n` here. */
  readonly text: string;
  /** Put into the name after sanitising to `[a-z0-9-]`; left out if nothing is left. */
  readonly modelName?: string;
}

/** `densegraph-<model name>-<12 hex of sha256(format, style, kind, text)>.<format>`. */
export function diagramFileName(input: DiagramNameInput): string {
  const text = input.text.replace(/\r\n?/g, '\n');
  const hash = createHash('sha256').update(`${input.format}\n${input.style}\n${input.kind}\n${text}`).digest('hex').slice(0, 12);
  const name = (input.modelName ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return `densegraph-${name ? `${name}-` : ''}${hash}.${input.format}`;
}

/** The alt text of a diagram's image link (escaped when written). */
export function diagramAlt(modelName: string): string {
  const name = modelName.length > 200 ? `${modelName.slice(0, 200)}…` : modelName;
  return `Diagram of the model '${name}'`;
}
