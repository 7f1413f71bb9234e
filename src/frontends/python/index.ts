/**
 * Python Keras model code (`.py`): tokenizer → parser → interpreter of the model-building
 * statements. Every problem with the input is a diagnostic with file:line:column.
 */
import { error, hasErrors, type Diagnostic } from '../../ir/diagnostics.js';
import type { ModelIR } from '../../ir/model.js';
import { Interpreter } from './interpreter.js';
import { parseTokens } from './parser.js';
import { tokenize } from './tokenizer.js';

export { tokenize, type Token } from './tokenizer.js';
export { parseTokens, type Expr, type Stmt } from './parser.js';

export interface PythonOptions {
  /** The variable the model to read is assigned to; default: the last model built. */
  readonly modelName?: string;
}

export function parsePython(text: string, file?: string, options: PythonOptions = {}): { model?: ModelIR; diagnostics: Diagnostic[] } {
  const tokens = tokenize(text, file);
  if (hasErrors(tokens.diagnostics)) return { diagnostics: tokens.diagnostics };
  const parsed = parseTokens(tokens.tokens, file);
  if (!parsed.module) return { diagnostics: parsed.diagnostics };
  const interpreter = new Interpreter(file);
  let model: ModelIR | undefined;
  try {
    model = interpreter.run(parsed.module, options);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    return { diagnostics: [error('python-too-deep', 'the Python code nests calls or expressions too deeply to be read', file ? { file } : undefined)] };
  }
  const diagnostics = interpreter.diagnostics;
  if (!model || hasErrors(diagnostics)) return { diagnostics };
  return { model, diagnostics };
}
