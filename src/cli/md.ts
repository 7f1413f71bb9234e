/**
 * `densegraph md`: the Markdown docs pipeline. Renders one diagram per model block of each
 * Markdown file and keeps an image link after the block (src/md/markdown.ts does the text).
 */
import { lstat, mkdir, readdir, readFile, stat, unlink } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { Command, Option } from 'commander';
import {
  BUILTIN_STYLES, DEFAULT_LIMITS, compileModel, diagramAlt, diagramFileName, error, findBlocks, hasErrors, isDiagramFile, loadStyle, markdownHref,
  markerKeys, parseModel, renderSvgWithDiagnostics, svgToPng, updateMarkdown, type BlockUpdate, type Diagnostic, type LabelStyle, type MdBlock,
} from '../index.js';
import { parseCount } from './exec-common.js';
import { report, writeAtomic, type Io } from './io.js';

const MD_FORMATS = ['svg', 'png'] as const;
type MdFormat = (typeof MD_FORMATS)[number];

interface MdFlags {
  outDir?: string;
  format: MdFormat;
  style: string;
  check?: boolean;
  prune?: boolean;
  python?: boolean;
  maxBytes: number;
  maxLayers: number;
}

/** A diagram to be written: where, its bytes, and the blocks it is drawn from (for messages). */
interface Target {
  readonly path: string;
  readonly shown: string;
  readonly bytes: Buffer;
  readonly from: string[];
}

interface Run {
  readonly io: Io;
  readonly flags: MdFlags;
  readonly style: LabelStyle;
  failed: number;
  readonly problems: string[];
  readonly targets: Map<string, Target>;
  /** Per output folder: the diagram file names still linked or written. */
  readonly used: Map<string, { shown: string; names: Set<string> }>;
}

export function mdCommand(io: Io, setExit: (code: number) => void): Command {
  return new Command('md')
    .description('render the model blocks of Markdown files (```densegraph, ```python densegraph) and keep an image link after each')
    .argument('<files...>', 'Markdown files, updated in place')
    .option('--out-dir <dir>', 'folder of the diagrams (relative to the current directory); default: each Markdown file\'s folder')
    .addOption(new Option('-f, --format <format>', 'diagram format').choices(MD_FORMATS).default('svg'))
    .option('--style <style>', `label style: ${BUILTIN_STYLES.join(', ')}, or the path of a style file`, 'keras3')
    .option('--check', 'write nothing; exit 1 listing every stale or missing diagram and every Markdown file whose links would change')
    .option('--prune', 'remove densegraph-*.svg/png files in the output folders that no block uses any more')
    .option('--python', 'read every ```python block (a block that builds no model is skipped), not only ```python densegraph ones')
    .addOption(new Option('--max-bytes <n>', 'largest Markdown file read, in bytes').argParser(parseCount).default(DEFAULT_LIMITS.maxBytes))
    .addOption(new Option('--max-layers <n>', 'most layers in one model').argParser(parseCount).default(DEFAULT_LIMITS.maxLayers))
    .action(async (files: string[], flags: MdFlags) => {
      const style = loadStyle(flags.style);
      if (!style.style) {
        report(io, style.diagnostics);
        return setExit(1);
      }
      const run: Run = { io, flags, style: style.style, failed: 0, problems: [], targets: new Map(), used: new Map() };
      const mdWrites: { path: string; text: string }[] = [];
      let blocks = 0;
      for (const file of new Set(files)) {
        const result = await processFile(run, file);
        if (!result) continue;
        blocks += result.blocks;
        if (result.text === undefined) continue;
        if (flags.check) run.problems.push(`${file}: its diagram links are out of date (${result.changed.join(', ')})`);
        else mdWrites.push({ path: file, text: result.text });
      }
      // Diagrams first, then the Markdown, so a link never points at a file not yet written.
      let written = 0;
      for (const target of run.targets.values()) {
        const current = await readFile(target.path).catch(() => undefined);
        if (current?.equals(target.bytes)) continue;
        if (flags.check) run.problems.push(`${current ? 'stale' : 'missing'}: ${target.shown} (from ${target.from.join(', ')})`);
        else {
          await mkdir(dirname(target.path), { recursive: true });
          await writeAtomic(target.path, target.bytes);
          io.stderr(`densegraph: wrote ${target.shown}\n`);
          written++;
        }
      }
      for (const w of mdWrites) {
        await writeAtomic(w.path, w.text);
        io.stderr(`densegraph: updated ${w.path}\n`);
      }
      await orphans(run);
      for (const p of run.problems) io.stderr(`densegraph: ${p}\n`);
      const stale = run.problems.length > 0;
      if (run.failed === 0 && !stale && written === 0 && mdWrites.length === 0) {
        io.stderr(`densegraph: ${blocks} diagram${blocks === 1 ? '' : 's'} in ${files.length} Markdown file${files.length === 1 ? '' : 's'} up to date\n`);
      }
      return setExit(run.failed > 0 || stale ? 1 : 0);
    });
}

/** Where a path is shown in messages: as the user gave it, with the platform's separators. */
function shownJoin(dir: string, name: string): string {
  return dir === '' || dir === '.' ? name : join(dir, name);
}

function useFile(run: Run, dir: string, shownDir: string, name: string): void {
  let entry = run.used.get(dir);
  if (!entry) run.used.set(dir, (entry = { shown: shownDir, names: new Set() }));
  entry.names.add(name);
}

/** One Markdown file: render its blocks, return the new text (undefined if unchanged). */
async function processFile(run: Run, file: string): Promise<{ blocks: number; text?: string; changed: string[] } | undefined> {
  const { io, flags } = run;
  const text = await readMarkdown(run, file);
  if (text === undefined) return undefined;
  const shownDir = flags.outDir ?? dirname(file);
  const outDir = resolve(shownDir);
  const found = findBlocks(text, { python: flags.python ?? false });
  if (!run.used.has(outDir)) run.used.set(outDir, { shown: shownDir, names: new Set() });
  const updates: BlockUpdate[] = [];
  const changed: string[] = [];
  let drawn = 0;
  for (const block of found) {
    const where = `${file}:${block.line}`;
    if (!block.closed || block.markerError) {
      const message = !block.closed ? `this ${block.kind === 'python' ? 'python' : 'densegraph'} block is not closed: the document ends inside it` : block.markerError!;
      report(io, [error('md-block', message, { file, line: block.line }, !block.closed ? 'close it with a fence line of the same character, at least as long' : 'add the end marker, or delete the begin marker and run again')]);
      run.failed++;
      updates.push({ action: 'keep' });
      continue;
    }
    const drawnBlock = await drawBlock(run, file, block);
    if (drawnBlock === 'skip') {
      io.stderr(`densegraph: ${where}: note: skipped this python block: it builds no Keras model (mark it \`\`\`python densegraph to require one)\n`);
      updates.push({ action: 'remove' });
      if (block.marker) changed.push(`line ${block.line}: link removed`);
      continue;
    }
    if (drawnBlock === undefined) {
      run.failed++;
      updates.push({ action: 'keep' });
      continue;
    }
    drawn++;
    const name = diagramFileName({ format: flags.format, style: flags.style, kind: block.kind, text: block.text, modelName: drawnBlock.modelName });
    const path = join(outDir, name);
    const target = run.targets.get(path);
    if (target) target.from.push(where);
    else run.targets.set(path, { path, shown: shownJoin(shownDir, name), bytes: drawnBlock.bytes, from: [where] });
    useFile(run, outDir, shownDir, name);
    const href = markdownHref(relative(dirname(resolve(file)), path).split(sep).join('/'));
    const update: BlockUpdate = { action: 'link', key: name, alt: diagramAlt(drawnBlock.modelName), href };
    updates.push(update);
    const single = updateMarkdown(text, [block], [update]);
    if (single !== text) changed.push(`line ${block.line}: link ${block.marker ? 'out of date' : 'missing'}`);
  }
  const next = updateMarkdown(text, found, updates);
  // Diagrams the Markdown still links to (a block that failed keeps its last good one).
  for (const key of markerKeys(next)) useFile(run, outDir, shownDir, key);
  return { blocks: drawn, changed, ...(next !== text ? { text: next } : {}) };
}

async function readMarkdown(run: Run, file: string): Promise<string | undefined> {
  const fail = (message: string, hint?: string) => {
    report(run.io, [error('cannot-read', message, { file }, hint)]);
    run.failed++;
    return undefined;
  };
  try {
    const info = await stat(file);
    if (info.isDirectory()) return fail(`'${file}' is a directory, not a Markdown file`, 'give the .md files, e.g. docs/*.md');
    if (info.size > run.flags.maxBytes) return fail(`the file is ${info.size} bytes, more than the limit of ${run.flags.maxBytes} bytes`, 'raise the limit with --max-bytes if the file is meant to be this large');
    const bytes = await readFile(file);
    const text = bytes.toString('utf8');
    // Rewriting text that is not UTF-8 would change bytes outside the markers.
    if (!Buffer.from(text, 'utf8').equals(bytes)) return fail('the file is not valid UTF-8 text, so it cannot be updated without changing other bytes', 'save it as UTF-8');
    return text;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return fail(`cannot read '${file}': ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (e as Error).message}`, code === 'ENOENT' ? 'check the path; it is relative to the current directory' : undefined);
  }
}

/** Messages of a block, with its lines and columns moved to where they are in the Markdown file. */
function inMarkdown(diagnostics: readonly Diagnostic[], file: string, block: MdBlock): Diagnostic[] {
  return diagnostics.map((d) => {
    const loc = d.loc ?? {};
    const line = loc.line !== undefined ? block.contentLine - 1 + loc.line : block.line;
    const column = loc.line !== undefined && loc.column !== undefined ? loc.column + block.indent : undefined;
    // The Python reader names lines in its messages too ("line 3: …", "(line 3)"): those move as well.
    const message = d.message.replace(/^line (\d+):|\(line (\d+)\)/g, (m, a: string | undefined, b: string | undefined) =>
      a !== undefined ? `line ${block.contentLine - 1 + Number(a)}:` : `(line ${block.contentLine - 1 + Number(b)})`);
    return { ...d, message, loc: { ...loc, file, line, ...(column !== undefined ? { column } : {}) } };
  });
}

/** The diagram of one block; 'skip' for a python block that builds no model (not opted in); undefined after an error. */
async function drawBlock(run: Run, file: string, block: MdBlock): Promise<{ bytes: Buffer; modelName: string } | 'skip' | undefined> {
  const { io, flags } = run;
  // The virtual file name only picks the frontend; messages name the Markdown file.
  const loaded = parseModel(block.text, block.kind === 'python' ? 'block.py' : 'block.yaml', { maxLayers: flags.maxLayers });
  if (!block.optedIn && block.kind === 'python' && buildsNoModel(block.text, loaded.diagnostics)) return 'skip';
  const compiled = loaded.model ? compileModel(loaded.model) : undefined;
  const diagnostics = [...loaded.diagnostics, ...(compiled?.diagnostics ?? [])];
  report(io, inMarkdown(diagnostics, file, block));
  if (!compiled?.compiled || hasErrors(diagnostics)) return undefined;
  // Layout is the slow part: a progress line on a terminal, nothing in CI.
  const tty = process.stderr.isTTY === true;
  if (tty) io.stderr(`\r\x1b[2Kdrawing ${file}:${block.line}`);
  const rendered = await renderSvgWithDiagnostics(compiled.compiled, { style: run.style });
  if (tty) io.stderr('\r\x1b[2K');
  report(io, inMarkdown(rendered.diagnostics, file, block));
  if (flags.format === 'svg') return { bytes: Buffer.from(rendered.svg), modelName: compiled.compiled.name };
  try {
    return { bytes: Buffer.from(svgToPng(rendered.svg)), modelName: compiled.compiled.name };
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    report(io, inMarkdown([error('png-too-large', e.message, undefined, 'write SVG (--format svg) for this model')], file, block));
    return undefined;
  }
}

/**
 * With --python every python block is read; one that builds no model (or is not Python
 * densegraph can read and does not mention Keras) is an example of something else.
 */
function buildsNoModel(text: string, diagnostics: readonly Diagnostic[]): boolean {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length === 0) return false;
  if (errors.every((d) => d.code === 'python-no-model')) return true;
  return errors.every((d) => d.code === 'python-syntax') && !/\b(keras|Sequential|Model|Dense|Input)\b/.test(text);
}

/** Diagram files in the output folders that nothing uses: reported, removed with --prune. */
async function orphans(run: Run): Promise<void> {
  const { io, flags } = run;
  for (const [dir, { shown, names }] of run.used) {
    const entries = await readdir(dir).catch(() => [] as string[]);
    for (const name of entries.sort()) {
      if (!isDiagramFile(name) || names.has(name)) continue;
      const path = join(dir, name);
      const info = await lstat(path).catch(() => undefined);
      if (!info?.isFile()) continue;
      const where = shownJoin(shown, name);
      if (flags.prune && !flags.check) {
        await unlink(path);
        io.stderr(`densegraph: removed ${where}: no block uses it any more\n`);
      } else {
        io.stderr(`densegraph: warning: ${where} is not used by any block any more${flags.check ? '' : '; --prune removes it'}\n`);
      }
    }
  }
}
