/** `densegraph report`: a model file → one self-contained HTML page (docs/report.md). */
import { Command, Option } from 'commander';
import { BUILTIN_STYLES, REPORT_THEMES, compileFile, hasErrors, loadStyle, renderSvgWithDiagnostics, reportHtml, type ReportTheme } from '../index.js';
import { report, writeAtomic, type Io } from './io.js';
import { withLimitOptions, type LimitFlags } from './options.js';

interface ReportFlags extends LimitFlags {
  output?: string;
  style: string;
  theme: ReportTheme;
}

export function reportCommand(io: Io, setExit: (code: number) => void): Command {
  return withLimitOptions(new Command('report')
    .description('write one self-contained HTML page of a model: its diagram, summary table and layer details, with search and themes')
    .argument('<model>', 'model file (spec, Keras JSON, .keras, tfjs model.json, Python), or - for stdin')
    .option('-o, --output <file>', 'write the page to this file (e.g. model.html); default: stdout')
    .option('--style <style>', `diagram label style: ${BUILTIN_STYLES.join(', ')}, or the path of a style file (docs/label-styles.md)`, 'keras3')
    .addOption(new Option('--theme <theme>', 'colour theme the page opens in; auto follows the browser (a button switches)').choices(REPORT_THEMES).default('auto'))
  ).action(async (model: string, flags: ReportFlags) => {
      const style = loadStyle(flags.style);
      if (!style.style) {
        report(io, style.diagnostics);
        return setExit(1);
      }
      const result = await compileFile(model, { maxBytes: flags.maxBytes, maxLayers: flags.maxLayers, ...(flags.model ? { modelName: flags.model } : {}) });
      report(io, result.diagnostics);
      if (!result.compiled || hasErrors(result.diagnostics)) return setExit(1);
      const rendered = await renderSvgWithDiagnostics(result.compiled, { style: style.style });
      report(io, rendered.diagnostics);
      const html = reportHtml(result.compiled, rendered.svg, { theme: flags.theme, style: style.style });
      if (flags.output) await writeAtomic(flags.output, html);
      else io.stdout(html);
      return setExit(0);
    });
}
