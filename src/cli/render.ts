/** `densegraph render`: a model file → DOT or SVG. */
import { Command, InvalidArgumentError, Option } from 'commander';
import { mkdir, readFile } from 'node:fs/promises';
import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path';
import { BUILTIN_STYLES, RANKDIRS, SPLINES, checkLayerRange, error, svgToPng, toMermaid, compileFile, hasErrors, loadStyle, renderDot, renderSvgWithDiagnostics, type LabelStyle, type Rankdir, type Splines } from '../index.js';
import { report, writeAtomic, type Io } from './io.js';
import { withLimitOptions, UsageError, type LimitFlags } from './options.js';
import { expandInputs } from './globs.js';

export const RENDER_FORMATS = ['dot', 'svg', 'png', 'mermaid'] as const;
type RenderFormat = (typeof RENDER_FORMATS)[number];

const EXTENSIONS: Record<string, RenderFormat> = { '.dot': 'dot', '.gv': 'dot', '.svg': 'svg', '.png': 'png', '.mmd': 'mermaid', '.mermaid': 'mermaid' };

interface RenderFlags extends LimitFlags {
  output?: string;
  outDir?: string;
  check?: boolean;
  format?: RenderFormat;
  style: string;
  showShapes: boolean;
  showLayerNames: boolean;
  showDtype?: boolean;
  showLayerActivations?: boolean;
  showTrainable?: boolean;
  showParams?: boolean;
  expandNested?: boolean;
  layerRange?: [string, string];
  rankdir?: Rankdir;
  dpi?: number;
  splines?: Splines;
}

function parseDpi(value: string): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !(n > 0) || n > 2400) throw new InvalidArgumentError('expected a positive number of dots per inch (at most 2400), e.g. 96.');
  return n;
}

function parseLayerRange(value: string): [string, string] {
  const at = value.indexOf(':');
  if (at <= 0 || at === value.length - 1 || value.indexOf(':', at + 1) >= 0) {
    throw new InvalidArgumentError('expected FIRST:LAST, two layer names separated by a colon, e.g. dense:dense_2.');
  }
  return [value.slice(0, at), value.slice(at + 1)];
}

export function outputFormat(flags: { output?: string; format?: RenderFormat }): RenderFormat {
  if (flags.format) return flags.format;
  if (!flags.output) return 'svg';
  const ext = extname(flags.output).toLowerCase();
  const format = EXTENSIONS[ext];
  if (!format) {
    throw new UsageError(`cannot tell the output format from '${flags.output}': use a .svg, .png, .dot, .gv or .mmd file name, or --format ${RENDER_FORMATS.join('|')}`);
  }
  return format;
}

export function renderCommand(io: Io, setExit: (code: number) => void): Command {
  return withLimitOptions(new Command('render')
    .description('draw a model as Graphviz DOT, SVG, PNG or a Mermaid flowchart, with Keras show_shapes-style labels')
    .argument('<models...>', 'model files (spec, Keras JSON, .keras, tfjs model.json, Python) or glob patterns (\'models/**/*.yaml\'), or - for stdin; several need --out-dir')
    .option('--out-dir <dir>', 'write one diagram per model into DIR, named after the model file')
    .option('--check', 'with --out-dir: write nothing, exit 1 listing every diagram that is stale or missing')
    .option('-o, --output <file>', 'write to this file (the format follows its extension); default: stdout')
    .addOption(new Option('-f, --format <format>', 'output format (default: from --output, else svg); png uses the fonts shipped in fonts/').choices(RENDER_FORMATS))
    .option('--style <style>', `label style: ${BUILTIN_STYLES.join(', ')}, or the path of a style file (docs/label-styles.md)`, 'keras3')
    .option('--no-show-shapes', 'leave out the input and output shapes')
    .option('--no-show-layer-names', 'leave out the layer names')
    .option('--show-dtype', 'show each layer\'s output dtype')
    .option('--show-layer-activations', 'show the activation of layers that have one')
    .option('--show-trainable', 'show whether each layer\'s weights are trainable')
    .option('--show-params', 'show each layer\'s parameter count')
    .option('--expand-nested', 'draw nested models as clusters of their layers')
    .addOption(new Option('--layer-range <first:last>', 'draw only the layers from FIRST to LAST (names, inclusive)').argParser(parseLayerRange))
    .addOption(new Option('--rankdir <dir>', 'direction of the graph (default: TB)').choices(RANKDIRS))
    .addOption(new Option('--dpi <n>', 'Graphviz dpi (default: 200 for keras3, 96 for keras2)').argParser(parseDpi))
    .addOption(new Option('--splines <kind>', 'edge routing, as Keras 3.14 plot_model(splines=...) (default: ortho for keras3)').choices(SPLINES))
  ).action(async (args: string[], flags: RenderFlags) => {
      const models = await expandInputs(args);
      const batch = models.length > 1 || flags.outDir !== undefined;
      if (batch && flags.output) throw new UsageError('-o names one output file; with several models use --out-dir DIR');
      if (models.length > 1 && !flags.outDir) throw new UsageError(`${models.length} models need --out-dir DIR for their diagrams (one file each)`);
      if (flags.check && !batch) throw new UsageError('--check compares the files of --out-dir: give --out-dir DIR');
      const format = batch ? (flags.format ?? 'svg') : outputFormat(flags);
      const style = loadStyle(flags.style);
      if (!style.style) {
        report(io, style.diagnostics);
        return setExit(1);
      }
      const render = (model: string) => renderOne(io, model, format, style.style!, flags);
      if (!batch) {
        const out = await render(models[0]!);
        if (out === undefined) return setExit(1);
        if (flags.output) await writeAtomic(flags.output, out);
        else io.stdout(out);
        return setExit(0);
      }
      // Batch: one process renders every model into --out-dir (the wasm loads once).
      // Named after the model file; when two model files have the same name, each keeps its
      // folders below the one they all share (a/x.yaml, b/x.yaml → DIR/a/x.svg, DIR/b/x.svg).
      const stem = (m: string) => `${basename(m).replace(/\.[^.]+$/, '')}.${FORMAT_EXTENSIONS[format]}`;
      const flat = models.map((m) => join(flags.outDir!, stem(m)));
      const base = commonDirectory(models.map((m) => dirname(resolve(m))));
      const targets = new Set(flat).size === flat.length ? flat : models.map((m) => join(flags.outDir!, relative(base, dirname(resolve(m))), stem(m)));
      const clash = targets.find((t, i) => targets.indexOf(t) !== i);
      if (clash) throw new UsageError(`two models would both be written to ${clash}; render them into different --out-dir folders`);
      if (!flags.check) for (const dir of new Set(targets.map((t) => dirname(t)))) await mkdir(dir, { recursive: true });
      const tty = process.stderr.isTTY === true;
      let failed = 0;
      const stale: string[] = [];
      for (const [i, model] of models.entries()) {
        if (tty) io.stderr(`\r\x1b[2K[${i + 1}/${models.length}] ${model}`);
        const out = await render(model);
        if (out === undefined) {
          failed++;
          continue;
        }
        const target = targets[i]!;
        if (flags.check) {
          const current = await readFile(target).catch(() => undefined);
          const fresh = typeof out === 'string' ? Buffer.from(out) : Buffer.from(out);
          if (!current) stale.push(`missing: ${target} (from ${model})`);
          else if (!current.equals(fresh)) stale.push(`stale: ${target} (from ${model})`);
        } else await writeAtomic(target, out);
      }
      if (tty) io.stderr('\r\x1b[2K');
      for (const line of stale) io.stderr(`densegraph: ${line}\n`);
      if (flags.check && stale.length === 0 && failed === 0) io.stderr(`densegraph: ${models.length} diagram${models.length === 1 ? '' : 's'} up to date\n`);
      return setExit(failed > 0 || stale.length > 0 ? 1 : 0);
    });
}

/** The deepest folder that holds all the given (absolute) folders. */
function commonDirectory(dirs: readonly string[]): string {
  let parts = dirs[0]!.split(sep);
  for (const d of dirs.slice(1)) {
    const other = d.split(sep);
    let i = 0;
    while (i < parts.length && i < other.length && parts[i] === other[i]) i++;
    parts = parts.slice(0, i);
  }
  return parts.join(sep) || sep;
}

const FORMAT_EXTENSIONS: Record<RenderFormat, string> = { dot: 'dot', svg: 'svg', png: 'png', mermaid: 'mmd' };

/** One model to its diagram; undefined after reporting an error. */
async function renderOne(io: Io, model: string, format: RenderFormat, style: LabelStyle, flags: RenderFlags): Promise<string | Uint8Array | undefined> {
  const result = await compileFile(model, { maxBytes: flags.maxBytes, maxLayers: flags.maxLayers, ...(flags.model ? { modelName: flags.model } : {}) });
  report(io, result.diagnostics);
  if (!result.compiled || hasErrors(result.diagnostics)) return undefined;
  if (flags.layerRange) {
    const problems = checkLayerRange(result.compiled, flags.layerRange);
    report(io, problems);
    if (hasErrors(problems)) return undefined;
  }
  const options = {
    style,
    showParams: flags.showParams ?? false,
    expandNested: flags.expandNested ?? false,
    ...(flags.layerRange ? { layerRange: flags.layerRange } : {}),
    showShapes: flags.showShapes,
    showLayerNames: flags.showLayerNames,
    showDtype: flags.showDtype ?? false,
    showLayerActivations: flags.showLayerActivations ?? false,
    showTrainable: flags.showTrainable ?? false,
    ...(flags.rankdir ? { rankdir: flags.rankdir } : {}),
    ...(flags.dpi !== undefined ? { dpi: flags.dpi } : {}),
    ...(flags.splines ? { splines: flags.splines } : {}),
  };
  if (format === 'mermaid') {
    return toMermaid(result.compiled, {
      showShapes: flags.showShapes,
      showLayerNames: flags.showLayerNames,
      expandNested: flags.expandNested ?? false,
      ...(flags.layerRange ? { layerRange: flags.layerRange } : {}),
      ...(flags.rankdir ? { direction: flags.rankdir } : {}),
    });
  }
  if (format === 'dot') return renderDot(result.compiled, options);
  const rendered = await renderSvgWithDiagnostics(result.compiled, options);
  report(io, rendered.diagnostics);
  if (format === 'svg') return rendered.svg;
  try {
    return svgToPng(rendered.svg);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    report(io, [error('png-too-large', e.message, undefined, 'pass a lower --dpi, or write SVG')]);
    return undefined;
  }
}
