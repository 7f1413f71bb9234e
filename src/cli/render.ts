/** `densegraph render`: a model file → DOT or SVG. */
import { Command, InvalidArgumentError, Option } from 'commander';
import { extname } from 'node:path';
import { BUILTIN_STYLES, RANKDIRS, SPLINES, checkLayerRange, error, svgToPng, toMermaid, compileFile, hasErrors, loadStyle, renderDot, renderSvgWithDiagnostics, type Rankdir, type Splines } from '../index.js';
import { report, writeAtomic, type Io } from './io.js';
import { withLimitOptions, UsageError, type LimitFlags } from './options.js';

export const RENDER_FORMATS = ['dot', 'svg', 'png', 'mermaid'] as const;
type RenderFormat = (typeof RENDER_FORMATS)[number];

const EXTENSIONS: Record<string, RenderFormat> = { '.dot': 'dot', '.gv': 'dot', '.svg': 'svg', '.png': 'png', '.mmd': 'mermaid', '.mermaid': 'mermaid' };

interface RenderFlags extends LimitFlags {
  output?: string;
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
    .argument('<model>', 'model file (densegraph spec, .yaml/.yml/.json), or - for stdin')
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
  ).action(async (model: string, flags: RenderFlags) => {
      const format = outputFormat(flags);
      const style = loadStyle(flags.style);
      if (!style.style) {
        report(io, style.diagnostics);
        return setExit(1);
      }
      const result = await compileFile(model, { maxBytes: flags.maxBytes, maxLayers: flags.maxLayers });
      report(io, result.diagnostics);
      if (!result.compiled || hasErrors(result.diagnostics)) return setExit(1);
      if (flags.layerRange) {
        const problems = checkLayerRange(result.compiled, flags.layerRange);
        report(io, problems);
        if (hasErrors(problems)) return setExit(1);
      }
      const options = {
        style: style.style,
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
      let out: string | Uint8Array;
      if (format === 'mermaid') {
        out = toMermaid(result.compiled, {
          showShapes: flags.showShapes,
          showLayerNames: flags.showLayerNames,
          expandNested: flags.expandNested ?? false,
          ...(flags.layerRange ? { layerRange: flags.layerRange } : {}),
          ...(flags.rankdir ? { direction: flags.rankdir } : {}),
        });
      } else if (format === 'dot') out = renderDot(result.compiled, options);
      else {
        const rendered = await renderSvgWithDiagnostics(result.compiled, options);
        report(io, rendered.diagnostics);
        out = rendered.svg;
        if (format === 'png') {
          try {
            out = svgToPng(rendered.svg);
          } catch (e) {
            if (!(e instanceof RangeError)) throw e;
            report(io, [error('png-too-large', e.message, undefined, 'pass a lower --dpi, or write SVG')]);
            return setExit(1);
          }
        }
      }
      if (flags.output) await writeAtomic(flags.output, out);
      else io.stdout(out);
      return setExit(0);
    });
}
