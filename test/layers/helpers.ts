/** Helpers for the layer tests: validated configs, parameter counts and shape arbitraries. */
import fc from 'fast-check';
import { expect } from 'vitest';
import type { WeightIR } from '../../src/ir/model.js';
import type { Dim, Shape } from '../../src/ir/shape.js';
import type { ShapeResult } from '../../src/layers/layer.js';
import { LAYERS, type LayerKind } from '../../src/layers/registry.js';
import { validateConfig } from '../../src/layers/schema.js';

/** The config a layer gets after validation: defaults applied. Fails the test on any issue. */
export function config(kind: LayerKind, raw: Record<string, unknown>) {
  const def = LAYERS[kind];
  const { config: c, issues } = validateConfig(def.className, def.schema, raw);
  expect(issues).toEqual([]);
  return c as never;
}

/** The issues validation reports for a config. */
export function issues(kind: LayerKind, raw: Record<string, unknown>) {
  const def = LAYERS[kind];
  return validateConfig(def.className, def.schema, raw).issues;
}

/** `outputShape` of a layer with a validated config. */
export function shapeOf(kind: LayerKind, raw: Record<string, unknown>, inputs: readonly Shape[]): ShapeResult {
  return LAYERS[kind].outputShape(config(kind, raw), inputs);
}

/** `weights` of a layer with a validated config. */
export function weightsOf(kind: LayerKind, raw: Record<string, unknown>, inputs: readonly Shape[]): WeightIR[] {
  return LAYERS[kind].weights(config(kind, raw), inputs);
}

const size = (w: WeightIR) => w.shape.reduce((a, b) => a * b, 1);

/** Total, trainable and non-trainable parameter counts, as the summary adds them up. */
export function params(weights: readonly WeightIR[]): { total: number; trainable: number; nonTrainable: number } {
  const trainable = weights.filter((w) => w.trainable).reduce((n, w) => n + size(w), 0);
  const nonTrainable = weights.filter((w) => !w.trainable).reduce((n, w) => n + size(w), 0);
  return { total: trainable + nonTrainable, trainable, nonTrainable };
}

export const knownDim = fc.integer({ min: 1, max: 64 });
export const maybeDim: fc.Arbitrary<Dim> = fc.option(knownDim, { nil: null });
export const batchDim: fc.Arbitrary<Dim> = fc.option(fc.integer({ min: 1, max: 32 }), { nil: null });

/** A shape with its batch axis; `rank` counts the batch axis. */
export function shapeArb(minRank = 1, maxRank = 5, dim: fc.Arbitrary<Dim> = maybeDim): fc.Arbitrary<Shape> {
  return fc.tuple(batchDim, fc.array(dim, { minLength: Math.max(0, minRank - 1), maxLength: maxRank - 1 })).map(([b, rest]) => [b, ...rest]);
}

/** Any list of shapes, including none and ranks that no layer accepts: for "never throws" tests. */
export const anyInputs: fc.Arbitrary<Shape[]> = fc.array(fc.array(fc.option(fc.integer({ min: 1, max: 12 }), { nil: null }), { maxLength: 6 }), { maxLength: 4 });

/** Asserts that a result is a well-formed error: a code and a message, no exception. */
export function expectError(r: ShapeResult, code?: string): void {
  expect(r.ok).toBe(false);
  if (r.ok) return;
  expect(typeof r.code).toBe('string');
  expect(r.message.length).toBeGreaterThan(0);
  if (code) expect(r.code).toBe(code);
}
