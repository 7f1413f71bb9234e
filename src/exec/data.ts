/**
 * Data for the executor: JSON arrays (one row per sample) and CSV files (with or without a
 * header row, detected), features and a label column, text labels as class ids or one-hot.
 * Every bad cell is reported with its line and column.
 */
import { parse } from 'csv-parse/sync';
import { error, type Diagnostic } from '../ir/diagnostics.js';
import { fromNested, type ExecDType, type Tensor } from './tensor.js';

export interface Table {
  readonly x: Tensor;
  readonly y?: Tensor;
  /** Class names in id order, when the labels were text or one-hot encoded. */
  readonly classes?: readonly string[];
  readonly header?: readonly string[];
}

const NUMBER = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

function isNumber(cell: string): boolean {
  return NUMBER.test(cell);
}

export interface CsvOptions {
  /** The label column: a header name, or a 0-based index (negative counts from the end). Default: the last column. */
  readonly label?: string | number;
  /** Whether the file has a label column at all (inputs for `run` do not). */
  readonly withLabel?: boolean;
  /** Encode the labels one-hot (classes in sorted order). */
  readonly oneHot?: boolean;
  readonly dtype?: ExecDType;
}

/** Reads CSV text into features (and labels). */
export function parseCsv(text: string, file: string, options: CsvOptions = {}): { table?: Table; diagnostics: Diagnostic[] } {
  let rows: string[][];
  try {
    rows = parse(text, { skip_empty_lines: true, trim: true, relax_column_count: false }) as string[][];
  } catch (e) {
    const err = e as Error & { lines?: number; column?: number };
    return { diagnostics: [error('invalid-csv', `malformed CSV: ${err.message.replace(/^Invalid Record Length: /, '')}`, { file, ...(err.lines ? { line: err.lines } : {}) })] };
  }
  if (rows.length === 0) return { diagnostics: [error('empty-data', 'the CSV file has no rows', { file })] };
  if (rows.length === 1 && rows[0]!.some((c) => !isNumber(c))) {
    return { diagnostics: [error('empty-data', 'the CSV file has only a header row and no data', { file, line: 1 })] };
  }
  // A header is a first row with a text cell where the second row has a number.
  const hasHeader = rows.length > 1 && rows[0]!.some((c, i) => !isNumber(c) && isNumber(rows[1]![i] ?? ''));
  const header = hasHeader ? rows[0]! : undefined;
  const body = hasHeader ? rows.slice(1) : rows;
  const firstLine = hasHeader ? 2 : 1;
  const width = rows[0]!.length;
  const withLabel = options.withLabel ?? true;
  let labelIndex = -1;
  if (withLabel) {
    const label = options.label ?? width - 1;
    if (typeof label === 'number' || /^-?\d+$/.test(String(label))) {
      const k = Number(label);
      labelIndex = k < 0 ? width + k : k;
      if (labelIndex < 0 || labelIndex >= width) return { diagnostics: [error('invalid-label', `--label ${label} is outside the ${width} columns (0 to ${width - 1})`, { file })] };
    } else {
      labelIndex = header ? header.indexOf(String(label)) : -1;
      if (labelIndex < 0) {
        return { diagnostics: [error('invalid-label', header ? `no column is named '${label}'` : `--label '${label}' is a name, but the file has no header row`, { file }, header ? `columns: ${header.join(', ')}` : 'give the label column by index, e.g. --label 4')] };
      }
    }
  }
  const diagnostics: Diagnostic[] = [];
  const features: number[][] = [];
  const labels: string[] = [];
  body.forEach((row, r) => {
    const line = firstLine + r;
    const values: number[] = [];
    row.forEach((cell, c) => {
      if (c === labelIndex) {
        if (cell === '') diagnostics.push(error('missing-value', `row ${line} has no label (column ${c + 1} is empty)`, { file, line, column: c + 1 }));
        labels.push(cell);
        return;
      }
      if (cell === '') diagnostics.push(error('missing-value', `line ${line}, column ${c + 1}${header ? ` (${header[c]})` : ''} is empty`, { file, line, column: c + 1 }, 'fill in or remove the row; densegraph does not impute missing values'));
      else if (!isNumber(cell)) diagnostics.push(error('not-a-number', `line ${line}, column ${c + 1}${header ? ` (${header[c]})` : ''} is '${cell}', not a number`, { file, line, column: c + 1 }));
      values.push(Number(cell));
    });
    features.push(values);
  });
  if (diagnostics.length) return { diagnostics: diagnostics.slice(0, 20) };
  const dtype = options.dtype ?? 'float32';
  const x = fromNested(features, dtype);
  if (!withLabel) return { table: { x, ...(header ? { header } : {}) }, diagnostics };
  const numeric = labels.every(isNumber);
  let y: Tensor;
  let classes: string[] | undefined;
  if (numeric && !options.oneHot) y = fromNested(labels.map((l) => [Number(l)]), dtype);
  else {
    classes = [...new Set(labels)].sort((a, b) => (numeric ? Number(a) - Number(b) : a < b ? -1 : a > b ? 1 : 0));
    const id = new Map(classes.map((c, i) => [c, i]));
    y = options.oneHot ? fromNested(labels.map((l) => classes!.map((_, i) => (i === id.get(l) ? 1 : 0))), dtype) : fromNested(labels.map((l) => [id.get(l)!]), dtype);
  }
  return { table: { x, y, ...(classes ? { classes } : {}), ...(header ? { header } : {}) }, diagnostics };
}

/** A JSON array with one row per sample (numbers or nested arrays of numbers). */
export function parseJsonArray(data: unknown, file: string, dtype: ExecDType = 'float32'): { tensor?: Tensor; diagnostics: Diagnostic[] } {
  if (!Array.isArray(data) || data.length === 0) return { diagnostics: [error('invalid-data', 'expected a non-empty JSON array with one row per sample', { file })] };
  try {
    const rows = data.map((r) => (Array.isArray(r) ? r : [r]));
    return { tensor: fromNested(rows, dtype), diagnostics: [] };
  } catch (e) {
    return { diagnostics: [error('invalid-data', `the array is not a regular grid of numbers: ${(e as Error).message}`, { file })] };
  }
}
