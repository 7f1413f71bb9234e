/**
 * Helpers for the forward-pass tests: run one layer on float64 tensors with its declared
 * weights, and check every input and trainable weight gradient against finite differences
 * (the one oracle of STYLE.md rule 7, as test/exec/ops.test.ts uses it).
 */
import { expect } from 'vitest';
import { Tape, type Var } from '../../src/exec/autograd.js';
import { gradcheck } from '../../src/exec/gradcheck.js';
import { createRng, type Rng } from '../../src/exec/random.js';
import { cast, fromNested, toNested, type Tensor } from '../../src/exec/tensor.js';
import type { ForwardContext } from '../../src/layers/layer.js';
import { LAYERS, type LayerKind } from '../../src/layers/registry.js';
import { config } from './helpers.js';

export type Nested = number | Nested[];

export const t64 = (value: Nested): Tensor => fromNested(value, 'float64');

/** A float64 tensor of `shape` with values in ±[0.1, 2] (away from 0, where relu-like kinks sit). */
export function rand(shape: number[], seed: number): Tensor {
  let s = seed;
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const u = s / 2147483648;
    data[i] = (u < 0.5 ? -1 : 1) * (0.1 + 1.9 * Math.abs(u * 2 - 1));
  }
  return { shape, data };
}

/** An Rng that plays back given draws, so a test knows every mask entry; it fails if overdrawn. */
export function scriptedRng(uniform: readonly number[], normal: readonly number[] = []): Rng & { used(): [number, number] } {
  let u = 0;
  let z = 0;
  return {
    next() {
      if (u >= uniform.length) throw new Error(`scripted rng: more than ${uniform.length} uniform draws`);
      return uniform[u++]!;
    },
    normal() {
      if (z >= normal.length) throw new Error(`scripted rng: more than ${normal.length} normal draws`);
      return normal[z++]!;
    },
    int() {
      throw new Error('scripted rng: int() not expected');
    },
    used: () => [u, z],
  };
}

export interface RunOptions {
  training?: boolean;
  rng?: Rng;
}

/** The weight names and shapes a layer declares for these inputs must be exactly those given. */
function checkDeclared(kind: LayerKind, cfg: never, inputs: readonly Tensor[], weights: Record<string, Tensor>) {
  const declared = LAYERS[kind].weights(cfg, inputs.map((t) => t.shape));
  expect(Object.fromEntries(Object.entries(weights).map(([n, t]) => [n, [...t.shape]]))).toEqual(Object.fromEntries(declared.map((w) => [w.name, w.shape])));
  return declared;
}

/** Runs `kind`'s forward pass in float64; weights are variables, as trainable ones are in training. */
export function runLayer(kind: LayerKind, raw: Record<string, unknown>, inputs: readonly (Nested | Tensor)[], weights: Record<string, Nested | Tensor> = {}, options: RunOptions = {}) {
  const cfg = config(kind, raw);
  const tensors = inputs.map((x) => (typeof x === 'object' && 'data' in x ? cast(x, 'float64') : t64(x)));
  const wt = Object.fromEntries(Object.entries(weights).map(([n, x]) => [n, typeof x === 'object' && 'data' in x ? cast(x, 'float64') : t64(x)]));
  checkDeclared(kind, cfg, tensors, wt);
  const tape = new Tape('float64');
  const updates = new Map<string, Tensor>();
  const ctx: ForwardContext = { tape, training: options.training ?? false, rng: options.rng ?? createRng(0), updateWeight: (n, v) => void updates.set(n, v), activationOptions: {} };
  const ins = tensors.map((x) => tape.variable(x));
  const w = Object.fromEntries(Object.entries(wt).map(([n, x]) => [n, tape.variable(x)]));
  const out = LAYERS[kind].forward!(ctx, cfg, ins, w);
  return { out, value: toNested(out.value), shape: out.value.shape, updates, tape, inputs: ins, weights: w };
}

export interface GradOptions {
  training?: boolean;
  /** Seed of a fresh createRng for every evaluation, so random layers draw the same noise each time. */
  seed?: number;
  /** Inputs that are not differentiable (Embedding's indices) stay constants. */
  constantInputs?: boolean;
}

/**
 * Every input and every trainable weight: analytic gradient against float64 central finite
 * differences, and not identically zero (so a layer that ignores a weight fails here too).
 * Non-trainable weights (moving statistics) are constants, as the executor makes them.
 */
export function expectLayerGradients(kind: LayerKind, raw: Record<string, unknown>, inputs: readonly Tensor[], weights: Record<string, Tensor> = {}, options: GradOptions = {}) {
  const cfg = config(kind, raw);
  const declared = checkDeclared(kind, cfg, inputs, weights);
  const trainable = declared.filter((w) => w.trainable).map((w) => w.name);
  const frozen = declared.filter((w) => !w.trainable).map((w) => w.name);
  const varying = options.constantInputs ? [] : inputs;
  const labels = [...varying.map((_, i) => `input ${i}`), ...trainable];
  const fn = (tape: Tape, vars: Var[]) => {
    const ins = options.constantInputs ? inputs.map((x) => tape.constant(cast(x, 'float64'))) : vars.slice(0, inputs.length);
    const w: Record<string, Var> = {};
    trainable.forEach((n, i) => (w[n] = vars[varying.length + i]!));
    for (const n of frozen) w[n] = tape.constant(cast(weights[n]!, 'float64'));
    const ctx: ForwardContext = { tape, training: options.training ?? false, rng: createRng(options.seed ?? 0), updateWeight: () => {}, activationOptions: {} };
    return LAYERS[kind].forward!(ctx, cfg, ins, w);
  };
  const differentiated = [...varying, ...trainable.map((n) => weights[n]!)];
  const { relativeErrors, absoluteErrors } = gradcheck(fn, differentiated);
  relativeErrors.forEach((r, i) => expect(r < 1e-6 || absoluteErrors[i]! < 1e-8, `${kind} ${labels[i]}: relative error ${r}, absolute ${absoluteErrors[i]}`).toBe(true));
  const tape = new Tape('float64');
  const vars = differentiated.map((x) => tape.variable(cast(x, 'float64')));
  const out = fn(tape, vars);
  // An irregular seed: a per-channel constant one gives normalisation layers a zero input gradient.
  tape.backward(out, Float64Array.from(out.value.data, (_, i) => Math.sin(1 + 1.3 * i)));
  vars.forEach((v, i) => expect(v.grad?.some((g) => g !== 0) ?? false, `${kind} ${labels[i]} gets a gradient`).toBe(true));
}

/** Mean and (biased) variance of an array of numbers. */
export function stats(values: ArrayLike<number>): { mean: number; variance: number } {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  const mean = s / values.length;
  let q = 0;
  for (let i = 0; i < values.length; i++) q += (values[i]! - mean) ** 2;
  return { mean, variance: q / values.length };
}

/** Elementwise closeness of nested arrays (same nesting, numbers within 10^-digits). */
export function expectClose(actual: unknown, expected: Nested, digits = 12): void {
  if (typeof expected === 'number') {
    expect(typeof actual).toBe('number');
    expect(actual as number).toBeCloseTo(expected, digits);
    return;
  }
  expect(Array.isArray(actual)).toBe(true);
  expect((actual as unknown[]).length).toBe(expected.length);
  expected.forEach((e, i) => expectClose((actual as unknown[])[i], e, digits));
}
