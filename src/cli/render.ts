/** `densegraph render`: a model file → DOT or SVG. */
import { Command, InvalidArgumentError, Option } from 'commander';
import { extname } from 'node:path';
import { BUILTIN_STYLES, RANKDIRS, SPLINES, compileFile, hasErrors, loadStyle, renderDot, renderSvgWithDiagnostics, type Rankdir, type Splines } from '../index.js';
import { report, writeAtomic, type Io } from './io.js';
import { withLimitOptions, UsageError, type LimitFlags } from './options.js';

export const RENDER_FORMATS = ['dot', 'svg'] as const;
type RenderFormat = (typeof RENDER_FORMATS)[number];

const EXTENSIONS: Record<string, RenderFormat> = { '.dot': 'dot', '.gv': 'dot', '.svg': 'svg' };

interface RenderFlags extends LimitFlags {
  output?: string;
  format?: RenderFormat;
  style: string;
  showShapes: boolean;
  showLayerNames: boolean;
  showDtype?: boolean;
  showLayerActivations?: boolean;
  showTrainable?: boolean;
  rankdir?: Rankdir;
  dpi?: number;
  splines?: Splines;
}

function parseDpi(value: string): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !(n > 0) || n > 2400) throw new InvalidArgumentError('expected a positive number of dots per inch (at most 2400), e.g. 96.');
  return n;
}

export function outputFormat(flags: { output?: string; format?: RenderFormat }): RenderFormat {
  if (flags.format) return flags.format;
  if (!flags.output) return 'svg';
  const ext = extname(flags.output).toLowerCase();
  const format = EXTENSIONS[ext];
  if (!format) {
    throw new UsageError(`cannot tell the output format from '${flags.output}': use a .svg, .dot or .gv file name, or --format ${RENDER_FORMATS.join('|')}`);
  }
  return format;
}

export function renderCommand(io: Io, setExit: (code: number) => void): Command {
  return withLimitOptions(new Command('render')
    .description('draw a model as Graphviz DOT or SVG, with Keras show_shapes-style labels')
    .argument('<model>', 'model file (densegraph spec, .yaml/.yml/.json), or - for stdin')
    .option('-o, --output <file>', 'write to this file (the format follows its extension); default: stdout')
    .addOption(new Option('-f, --format <format>', 'output format (default: from --output, else svg)').choices(RENDER_FORMATS))
    .option('--style <style>', `label style: ${BUILTIN_STYLES.join(', ')}, or the path of a style file (docs/label-styles.md)`, 'keras3')
    .option('--no-show-shapes', 'leave out the input and output shapes')
    .option('--no-show-layer-names', 'leave out the layer names')
    .option('--show-dtype', 'show each layer\'s output dtype')
    .option('--show-layer-activations', 'show the activation of layers that have one')
    .option('--show-trainable', 'show whether each layer\'s weights are trainable')
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
      const options = {
        style: style.style,
        showShapes: flags.showShapes,
        showLayerNames: flags.showLayerNames,
        showDtype: flags.showDtype ?? false,
        showLayerActivations: flags.showLayerActivations ?? false,
        showTrainable: flags.showTrainable ?? false,
        ...(flags.rankdir ? { rankdir: flags.rankdir } : {}),
        ...(flags.dpi !== undefined ? { dpi: flags.dpi } : {}),
        ...(flags.splines ? { splines: flags.splines } : {}),
      };
      let out: string;
      if (format === 'svg') {
        const rendered = await renderSvgWithDiagnostics(result.compiled, options);
        report(io, rendered.diagnostics);
        out = rendered.svg;
      } else out = renderDot(result.compiled, options);
      if (flags.output) await writeAtomic(flags.output, out);
      else io.stdout(out);
      return setExit(0);
    });
}
