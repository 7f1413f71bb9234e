/**
 * densegraph's public API: everything the CLI does, as functions.
 *
 *   const { compiled } = compile(sequential([dense(8, { inputDim: 4 }), dense(1)]));
 *   const dot = renderDot(compiled!, { style: 'keras2' });
 *   const svg = await renderSvg(compiled!);
 */
import { DiagnosticsError, hasErrors, warning, type Diagnostic } from './ir/diagnostics.js';
import type { CompiledModel, ModelIR } from './ir/model.js';
import { toDot, type DiagramOptions } from './backends/dot.js';
import { loadStyle, type LabelStyle } from './backends/style.js';
import { dotToSvg } from './backends/svg.js';
import { compileModel, type CompileResult } from './passes/compile.js';
import { loadModel, type LoadOptions } from './frontends/load.js';

export * from './ir/diagnostics.js';
export type * from './ir/model.js';
export { parseRef, refText } from './ir/model.js';
export { formatShape, formatShapeList, type Dim, type Shape } from './ir/shape.js';
export { LAYER_KINDS, LAYERS, layerDef, type LayerKind } from './layers/registry.js';
export { activation, apply, dense, dropout, flatten, functional, input, inputLayer, layer, nested, outputOf, sequential, type SymbolicTensor } from './frontends/builder.js';
export type { DenseOptions, ActivationOptions, DropoutOptions, FlattenOptions, InputLayerOptions } from './frontends/builder.js';
export { parseSpec, irToSpec, SPEC_FORMAT_VERSION } from './frontends/spec.js';
export { parseModel, parseModelBytes, loadModel, DEFAULT_LIMITS, type Limits, type LoadOptions, type LoadResult } from './frontends/load.js';
export { kerasJsonToIR, isKerasJsonData } from './frontends/keras-json.js';
export { readKerasArchive, isZip } from './frontends/keras-archive.js';
export { MAX_ARCHIVE_BYTES, readArchiveEntries, type ArchiveEntries } from './frontends/keras-archive.js';
export { readKerasWeights, kerasWeightPaths, isHdf5, MAX_KERAS_WEIGHT_BYTES, type KerasWeightsOptions, type KerasWeightsResult, type WeightContainer } from './frontends/keras-weights.js';
export { readTfjsWeights, hasTfjsWeights } from './frontends/tfjs-weights.js';
export { compileModel, type CompileResult } from './passes/compile.js';
export { toDot, checkLayerRange, RANKDIRS, SPLINES, type DiagramOptions, type Rankdir, type Splines } from './backends/dot.js';
export { BUILTIN_STYLES, loadStyle, parseStyle, type LabelStyle } from './backends/style.js';
export { dotToSvg, graphvizVersion } from './backends/svg.js';
export { svgToPng, MAX_PNG_PIXELS, type PngOptions } from './backends/png.js';
export { toMermaid, escapeMermaid, mermaidIdFor, type MermaidOptions } from './backends/mermaid.js';
export { summary, summaryText, summaryMarkdown, summaryJson, summaryJsonObject, SUMMARY_FORMATS, type SummaryFormat, type SummaryJson } from './backends/summary.js';
export { reportHtml, reportData, reportCsp, jsonForScript, loadReportTemplate, REPORT_THEMES, type ReportOptions, type ReportTheme, type ReportTemplate, type ReportData } from './backends/report.js';
export { specJsonSchema } from './frontends/spec-schema.js';
export { toKerasJson } from './backends/keras-json.js';
export { convertModel, CONVERT_TARGETS, type ConvertTarget, type ConvertResult } from './backends/convert.js';
export { findBlocks, updateMarkdown, markerRegion, markerKeys, escapeMarkdownText, markdownHref, diagramFileName, diagramAlt, isDiagramFile, DIAGRAM_FILE_PATTERN, type MdBlock, type MdBlockKind, type MarkerRegion, type BlockUpdate, type FindBlocksOptions, type DiagramNameInput } from './md/markdown.js';

/** Compiles IR: validation, names, shapes, parameters. Alias of `compileModel`. */
export function compile(model: ModelIR): CompileResult {
  return compileModel(model);
}

/** Reads and compiles a model file (`-` for stdin). */
export async function compileFile(path: string, limits: LoadOptions = {}): Promise<CompileResult> {
  const loaded = await loadModel(path, limits);
  if (!loaded.model) return { diagnostics: loaded.diagnostics };
  const compiled = compileModel(loaded.model);
  return { ...compiled, diagnostics: [...loaded.diagnostics, ...compiled.diagnostics] };
}

export interface RenderOptions extends DiagramOptions {
  /** A built-in style name (`keras3`, `keras2`), a style file path, or a loaded style. @default 'keras3' */
  readonly style?: string | LabelStyle;
}

function resolveStyle(style: string | LabelStyle | undefined): LabelStyle {
  if (typeof style === 'object') return style;
  const loaded = loadStyle(style ?? 'keras3');
  if (!loaded.style) throw new DiagnosticsError(loaded.diagnostics);
  return loaded.style;
}

/** DOT text of a compiled model. Throws DiagnosticsError if the style cannot be loaded. */
export function renderDot(model: CompiledModel, options: RenderOptions = {}): string {
  return toDot(model, resolveStyle(options.style), options);
}

/**
 * SVG of a compiled model, laid out by the wasm Graphviz, with the warnings of the layout.
 * Orthogonal edge routing (Keras 3's default) exhausts the wasm stack at about 900 nodes; such
 * a graph is drawn again with curved edges and a warning says so.
 */
export async function renderSvgWithDiagnostics(model: CompiledModel, options: RenderOptions = {}): Promise<{ svg: string; diagnostics: Diagnostic[] }> {
  const style = resolveStyle(options.style);
  const dot = toDot(model, style, options);
  const splines = options.splines ?? style.graph['splines'];
  try {
    return { svg: await dotToSvg(dot), diagnostics: [] };
  } catch (e) {
    if (splines !== 'ortho') throw e;
    const svg = await dotToSvg(toDot(model, style, { ...options, splines: 'spline' }));
    return {
      svg,
      diagnostics: [
        warning('layout-fallback', `Graphviz could not route orthogonal edges for this graph of ${model.layers.length} layers; it is drawn with curved edges instead`, { layer: model.name }, 'pass --splines spline (or polyline) to choose the edges yourself'),
      ],
    };
  }
}

/** SVG of a compiled model, laid out by the wasm Graphviz. */
export async function renderSvg(model: CompiledModel, options: RenderOptions = {}): Promise<string> {
  return (await renderSvgWithDiagnostics(model, options)).svg;
}

/** Compiles IR and throws DiagnosticsError on errors: for scripts that want a value or an exception. */
export function compileOrThrow(model: ModelIR): { compiled: CompiledModel; warnings: Diagnostic[] } {
  const result = compileModel(model);
  if (!result.compiled || hasErrors(result.diagnostics)) throw new DiagnosticsError(result.diagnostics);
  return { compiled: result.compiled, warnings: result.diagnostics.filter((d) => d.severity === 'warning') };
}

// The reference executor.
export { predict, evaluate, lossAndGradients, lossValue, fit, DivergedError, type FitOptions, type History, type LossResult } from './exec/execute.js';
export { initWeights, readWeights, weightsToJson, weightList, type WeightStore } from './exec/weights.js';
export { unrunnableLayers, NotRunnableError, LayerDataError } from './exec/run.js';
export { parseCsv, parseJsonArray, type Table, type CsvOptions } from './exec/data.js';
export { gradcheckModel, type WeightCheck } from './exec/gradcheck.js';
export { fromNested, toNested, type Tensor, type ExecDType } from './exec/tensor.js';
export { curvesSvg } from './backends/curves.js';
export { diffModels, diffDot, diffMermaid, diffMarkdown, changeLines, totalsLine, type ModelDiff, type LayerDiff, type ChangeKind } from './backends/diff.js';
export { createRng, type Rng } from './exec/random.js';
