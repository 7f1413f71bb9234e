/**
 * Diagnostics: how every user error travels from a frontend or pass to the CLI.
 * Frontends and passes never throw for bad input; they return diagnostics with a location.
 */

/** Where something is: a file position, a JSON path inside the document, a layer name. */
export interface SourceLoc {
  file?: string;
  /** 1-based line. */
  line?: number;
  /** 1-based column. */
  column?: number;
  /** JSON path inside the document, e.g. `layers[1].Dense.units`. */
  path?: string;
  /** The layer the problem belongs to, once names are known. */
  layer?: string;
}

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  severity: Severity;
  /** Stable machine-readable code, e.g. `unknown-activation`. */
  code: string;
  /** What was found and what was expected, in one sentence or two. */
  message: string;
  /** How to fix it. */
  hint?: string;
  loc?: SourceLoc;
}

export function error(code: string, message: string, loc?: SourceLoc, hint?: string): Diagnostic {
  return { severity: 'error', code, message, ...(hint ? { hint } : {}), ...(loc ? { loc } : {}) };
}

export function warning(code: string, message: string, loc?: SourceLoc, hint?: string): Diagnostic {
  return { severity: 'warning', code, message, ...(hint ? { hint } : {}), ...(loc ? { loc } : {}) };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** `file:line:col` (or what is known of it), then the JSON path and the layer. */
export function formatLoc(loc: SourceLoc | undefined): string {
  if (!loc) return '';
  let where = loc.file ?? '';
  if (loc.line !== undefined) {
    where += `${where ? ':' : 'line '}${loc.line}`;
    if (loc.column !== undefined) where += `:${loc.column}`;
  }
  const extra: string[] = [];
  if (loc.path) extra.push(`at ${loc.path}`);
  if (loc.layer) extra.push(`layer '${loc.layer}'`);
  if (extra.length) where += where ? ` (${extra.join(', ')})` : extra.join(', ');
  return where;
}

/** One paragraph per diagnostic: `where: error: message` then an indented hint. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = formatLoc(d.loc);
  const head = `${where ? `${where}: ` : ''}${d.severity}: ${d.message}`;
  return d.hint ? `${head}\n  hint: ${d.hint}` : head;
}

/** Thrown only by the library's convenience wrappers; carries the diagnostics. */
export class DiagnosticsError extends Error {
  readonly diagnostics: readonly Diagnostic[];
  constructor(diagnostics: readonly Diagnostic[]) {
    super(diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic).join('\n'));
    this.name = 'DiagnosticsError';
    this.diagnostics = diagnostics;
  }
}
