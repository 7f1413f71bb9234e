/** The pass pipeline: validate → names → infer. Stops at the first stage with errors. */
import { hasErrors, type Diagnostic } from '../ir/diagnostics.js';
import type { CompiledModel, ModelIR } from '../ir/model.js';
import { inferShapes } from './infer.js';
import { resolveNames } from './names.js';
import { validateModel } from './validate.js';

export interface CompileResult {
  /** Present when no stage reported an error. */
  readonly compiled?: CompiledModel;
  readonly diagnostics: readonly Diagnostic[];
}

export function compileModel(model: ModelIR): CompileResult {
  const diagnostics: Diagnostic[] = [];
  const validated = validateModel(model);
  diagnostics.push(...validated.diagnostics);
  if (hasErrors(diagnostics)) return { diagnostics };
  const named = resolveNames(validated.model);
  diagnostics.push(...named.diagnostics);
  if (hasErrors(diagnostics)) return { diagnostics };
  const inferred = inferShapes(named.model);
  diagnostics.push(...inferred.diagnostics);
  if (hasErrors(diagnostics) || !inferred.model) return { diagnostics };
  return { compiled: inferred.model, diagnostics };
}
