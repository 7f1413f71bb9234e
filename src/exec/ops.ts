/**
 * The primitive operations, each with its backward rule: matmul, broadcasting binary ops,
 * elementwise maps, reductions, softmax, and the data movers (reshape, transpose, concat,
 * gather, broadcast). Everything else (activations, losses, layers) is composed from these.
 */
import { accumulate, type Tape, type Var } from './autograd.js';
import { gemmNN, gemmNT, gemmTN } from './kernels.js';
import { alloc, dtypeOf, sizeOf, type Float, type Tensor } from './tensor.js';

/** An array for an op's result: from the tape's pool when it matches the value's dtype. */
function like(tape: Tape, v: Var, n: number): Float {
  return dtypeOf(v.value.data) === tape.dtype ? tape.alloc(n) : alloc(dtypeOf(v.value.data), n);
}

function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let k = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = k;
    k *= shape[i]!;
  }
  return s;
}

/** `x · w` on the last axis of x into a new array: `[..., k] · [k, n] → [..., n]`, m rows. */
function product(tape: Tape, x: Var, w: Var, op: string): { Y: Float; m: number; k: number; n: number } {
  const xs = x.value.shape;
  const [k, n] = w.value.shape as [number, number];
  if (xs[xs.length - 1] !== k) throw new Error(`${op}: last axis ${xs[xs.length - 1]} does not match ${k}`);
  const m = x.value.data.length / k;
  const Y = like(tape, x, m * n);
  gemmNN(x.value.data, w.value.data, Y, m, k, n);
  return { Y, m, k, n };
}

/** The backward pass of `product`: `dX = G · Wᵀ`, `dW = Xᵀ · G`, for the inputs that need them. */
function productBackward(tape: Tape, x: Var, w: Var, G: Float, m: number, k: number, n: number): void {
  if (x.requiresGrad) {
    const dX = like(tape, x, m * k);
    gemmNT(G, w.value.data, dX, m, n, k);
    accumulate(x, dX);
  }
  if (w.requiresGrad) {
    const dW = like(tape, w, k * n);
    gemmTN(x.value.data, G, dW, m, k, n);
    accumulate(w, dW);
  }
}

/** `x · w` on the last axis of x: `[..., k] · [k, n] → [..., n]`. */
export function matmul(tape: Tape, x: Var, w: Var): Var {
  const { Y, m, k, n } = product(tape, x, w, 'matmul');
  return tape.record({ shape: [...x.value.shape.slice(0, -1), n], data: Y }, [x, w], (G) => productBackward(tape, x, w, G, m, k, n));
}

/** NumPy broadcasting of two shapes; throws if they do not broadcast. */
export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) throw new Error(`cannot broadcast (${a.join(', ')}) with (${b.join(', ')})`);
    out.push(Math.max(da, db));
  }
  return out;
}

/** For each element of `out`, the index into an operand of `shape` broadcast to it. */
function broadcastIndex(shape: readonly number[], out: readonly number[]): Int32Array {
  const n = sizeOf(out);
  const index = new Int32Array(n);
  const rank = out.length;
  const own = stridesOf(shape);
  const strides = out.map((_, i) => {
    const j = i - (rank - shape.length);
    return j >= 0 && shape[j] !== 1 ? own[j]! : 0;
  });
  const counter = new Array<number>(rank).fill(0);
  let offset = 0;
  for (let i = 0; i < n; i++) {
    index[i] = offset;
    for (let d = rank - 1; d >= 0; d--) {
      counter[d]!++;
      offset += strides[d]!;
      if (counter[d]! < out[d]!) break;
      offset -= strides[d]! * out[d]!;
      counter[d] = 0;
    }
  }
  return index;
}

/** Whether `shape` (leading 1s aside) equals the last axes of `out`. */
function isTrailing(shape: readonly number[], out: readonly number[]): boolean {
  let start = 0;
  while (start < shape.length && shape[start] === 1) start++;
  const core = shape.slice(start);
  const offset = out.length - core.length;
  return offset >= 0 && core.every((d, i) => d === out[offset + i]);
}

export interface BinaryRule {
  f(a: number, b: number): number;
  /** ∂f/∂a and ∂f/∂b at (a, b) with output y. */
  da(a: number, b: number, y: number): number;
  db(a: number, b: number, y: number): number;
}

export const ADD: BinaryRule = { f: (a, b) => a + b, da: () => 1, db: () => 1 };
export const SUB: BinaryRule = { f: (a, b) => a - b, da: () => 1, db: () => -1 };
export const MUL: BinaryRule = { f: (a, b) => a * b, da: (_a, b) => b, db: (a) => a };
export const DIV: BinaryRule = { f: (a, b) => a / b, da: (_a, b) => 1 / b, db: (a, b) => -a / (b * b) };
// Ties send the gradient to the first operand, as TensorFlow's maximum/minimum do.
export const MAX: BinaryRule = { f: (a, b) => (a >= b ? a : b), da: (a, b) => (a >= b ? 1 : 0), db: (a, b) => (a >= b ? 0 : 1) };
export const MIN: BinaryRule = { f: (a, b) => (a <= b ? a : b), da: (a, b) => (a <= b ? 1 : 0), db: (a, b) => (a <= b ? 0 : 1) };

/** An elementwise binary operation with NumPy broadcasting. */
export function binary(tape: Tape, a: Var, b: Var, rule: BinaryRule): Var {
  const shape = broadcastShapes(a.value.shape, b.value.shape);
  const n = sizeOf(shape);
  const A = a.value.data;
  const B = b.value.data;
  // An operand that is a trailing block of the output (a bias, a scalar) repeats with period
  // its length: no index table is needed for it.
  const ia = A.length === n || isTrailing(a.value.shape, shape) ? null : broadcastIndex(a.value.shape, shape);
  const ib = B.length === n || isTrailing(b.value.shape, shape) ? null : broadcastIndex(b.value.shape, shape);
  const na = A.length;
  const nb = B.length;
  const Y = like(tape, a, n);
  for (let i = 0; i < n; i++) Y[i] = rule.f(A[ia ? ia[i]! : i % na]!, B[ib ? ib[i]! : i % nb]!);
  return tape.record({ shape, data: Y }, [a, b], (G) => {
    if (a.requiresGrad) {
      const dA = like(tape, a, na);
      for (let i = 0; i < n; i++) {
        const j = ia ? ia[i]! : i % na;
        dA[j]! += G[i]! * rule.da(A[j]!, B[ib ? ib[i]! : i % nb]!, Y[i]!);
      }
      accumulate(a, dA);
    }
    if (b.requiresGrad) {
      const dB = like(tape, b, nb);
      for (let i = 0; i < n; i++) {
        const j = ib ? ib[i]! : i % nb;
        dB[j]! += G[i]! * rule.db(A[ia ? ia[i]! : i % na]!, B[j]!, Y[i]!);
      }
      accumulate(b, dB);
    }
  });
}

export const add = (t: Tape, a: Var, b: Var) => binary(t, a, b, ADD);
export const sub = (t: Tape, a: Var, b: Var) => binary(t, a, b, SUB);
export const mul = (t: Tape, a: Var, b: Var) => binary(t, a, b, MUL);
export const div = (t: Tape, a: Var, b: Var) => binary(t, a, b, DIV);
export const maximum = (t: Tape, a: Var, b: Var) => binary(t, a, b, MAX);
export const minimum = (t: Tape, a: Var, b: Var) => binary(t, a, b, MIN);

/** A scalar as a constant of the tape's dtype, for use in binary ops. */
export function scalar(tape: Tape, value: number): Var {
  const data = alloc(tape.dtype, 1);
  data[0] = value;
  return tape.constant({ shape: [], data });
}

export interface UnaryRule {
  f(x: number): number;
  /** dy/dx at x with output y. */
  df(x: number, y: number): number;
}

/** An elementwise function with its derivative. */
export function unary(tape: Tape, x: Var, rule: UnaryRule): Var {
  const X = x.value.data;
  const Y = like(tape, x, X.length);
  for (let i = 0; i < X.length; i++) Y[i] = rule.f(X[i]!);
  return tape.record({ shape: x.value.shape, data: Y }, [x], (G) => {
    const dX = like(tape, x, X.length);
    for (let i = 0; i < X.length; i++) dX[i] = G[i]! * rule.df(X[i]!, Y[i]!);
    accumulate(x, dX);
  });
}

function normalizeAxes(axes: readonly number[], rank: number): number[] {
  return [...new Set(axes.map((a) => (a < 0 ? a + rank : a)))].sort((p, q) => p - q);
}

/** Sum over `axes` (all when omitted); `keepDims` keeps them as size 1. */
export function sum(tape: Tape, x: Var, axes?: readonly number[], keepDims = false): Var {
  const shape = x.value.shape;
  const rank = shape.length;
  const ax = axes ? normalizeAxes(axes, rank) : shape.map((_, i) => i);
  const kept = shape.map((d, i) => (ax.includes(i) ? 1 : d));
  const outShape = keepDims ? kept : shape.filter((_, i) => !ax.includes(i));
  const map = broadcastIndex(kept, shape);
  const X = x.value.data;
  const Y = like(tape, x, sizeOf(kept));
  for (let i = 0; i < X.length; i++) Y[map[i]!]! += X[i]!;
  return tape.record({ shape: outShape, data: Y }, [x], (G) => {
    const dX = like(tape, x, X.length);
    for (let i = 0; i < X.length; i++) dX[i] = G[map[i]!]!;
    accumulate(x, dX);
  });
}

/** Mean over `axes` (all when omitted). */
export function mean(tape: Tape, x: Var, axes?: readonly number[], keepDims = false): Var {
  const s = sum(tape, x, axes, keepDims);
  return mul(tape, s, scalar(tape, s.value.data.length / x.value.data.length));
}

/**
 * Calls `lane(base, stride, n)` for every 1-D lane along `axis`: the lane's elements are at
 * `base + j·stride`, j < n. Softmax-like operations work lane by lane.
 */
function forEachLane(shape: readonly number[], axis: number, lane: (base: number, stride: number, n: number) => void): void {
  const a = axis < 0 ? axis + shape.length : axis;
  const outer = sizeOf(shape.slice(0, a));
  const n = shape[a]!;
  const inner = sizeOf(shape.slice(a + 1));
  for (let o = 0; o < outer; o++) for (let k = 0; k < inner; k++) lane(o * n * inner + k, inner, n);
}

/** The largest value of a lane (the shift that keeps exp from overflowing). */
function laneMax(X: Float, base: number, stride: number, n: number): number {
  let max = -Infinity;
  for (let j = 0; j < n; j++) max = Math.max(max, X[base + j * stride]!);
  return max;
}

/** Softmax over `axis`, computed from `x − max` for stability. */
export function softmax(tape: Tape, x: Var, axis = -1): Var {
  const X = x.value.data;
  const Y = like(tape, x, X.length);
  forEachLane(x.value.shape, axis, (base, stride, n) => {
    const max = laneMax(X, base, stride, n);
    let total = 0;
    for (let j = 0; j < n; j++) total += Y[base + j * stride] = Math.exp(X[base + j * stride]! - max);
    for (let j = 0; j < n; j++) Y[base + j * stride]! /= total;
  });
  return tape.record({ shape: x.value.shape, data: Y }, [x], (G) => {
    const dX = like(tape, x, X.length);
    forEachLane(x.value.shape, axis, (base, stride, n) => {
      let dot = 0;
      for (let j = 0; j < n; j++) dot += G[base + j * stride]! * Y[base + j * stride]!;
      for (let j = 0; j < n; j++) dX[base + j * stride] = Y[base + j * stride]! * (G[base + j * stride]! - dot);
    });
    accumulate(x, dX);
  });
}

/** log(softmax(x)) over `axis`, without forming the softmax's logarithm of small numbers. */
export function logSoftmax(tape: Tape, x: Var, axis = -1): Var {
  const X = x.value.data;
  const Y = like(tape, x, X.length);
  forEachLane(x.value.shape, axis, (base, stride, n) => {
    const max = laneMax(X, base, stride, n);
    let total = 0;
    for (let j = 0; j < n; j++) total += Math.exp(X[base + j * stride]! - max);
    const lse = max + Math.log(total);
    for (let j = 0; j < n; j++) Y[base + j * stride] = X[base + j * stride]! - lse;
  });
  return tape.record({ shape: x.value.shape, data: Y }, [x], (G) => {
    const dX = like(tape, x, X.length);
    forEachLane(x.value.shape, axis, (base, stride, n) => {
      let total = 0;
      for (let j = 0; j < n; j++) total += G[base + j * stride]!;
      for (let j = 0; j < n; j++) dX[base + j * stride] = G[base + j * stride]! - Math.exp(Y[base + j * stride]!) * total;
    });
    accumulate(x, dX);
  });
}

/** The same data with another shape (one -1 allowed). */
export function reshape(tape: Tape, x: Var, shape: readonly number[]): Var {
  const known = shape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  const out = shape.map((d) => (d === -1 ? x.value.data.length / known : d));
  if (sizeOf(out) !== x.value.data.length) throw new Error(`reshape: cannot view ${x.value.data.length} elements as (${shape.join(', ')})`);
  return tape.record({ shape: out, data: x.value.data }, [x], (G) => accumulate(x, G));
}

/** Axes reordered: output axis i is input axis perm[i]. */
export function transpose(tape: Tape, x: Var, perm: readonly number[]): Var {
  const shape = x.value.shape;
  const out = perm.map((p) => shape[p]!);
  const inStrides = stridesOf(shape);
  const X = x.value.data;
  const Y = like(tape, x, X.length);
  const src = new Int32Array(X.length);
  const counter = new Array<number>(out.length).fill(0);
  let offset = 0;
  const strides = perm.map((p) => inStrides[p]!);
  for (let i = 0; i < X.length; i++) {
    src[i] = offset;
    Y[i] = X[offset]!;
    for (let d = out.length - 1; d >= 0; d--) {
      counter[d]!++;
      offset += strides[d]!;
      if (counter[d]! < out[d]!) break;
      offset -= strides[d]! * out[d]!;
      counter[d] = 0;
    }
  }
  return tape.record({ shape: out, data: Y }, [x], (G) => {
    const dX = like(tape, x, X.length);
    for (let i = 0; i < src.length; i++) dX[src[i]!] = G[i]!;
    accumulate(x, dX);
  });
}

/** Joins tensors along `axis`; their other axes must match. */
export function concat(tape: Tape, xs: readonly Var[], axis = -1): Var {
  const first = xs[0]!.value.shape;
  const a = axis < 0 ? axis + first.length : axis;
  const outer = sizeOf(first.slice(0, a));
  const inner = sizeOf(first.slice(a + 1));
  const sizes = xs.map((x) => x.value.shape[a]!);
  const total = sizes.reduce((p, q) => p + q, 0);
  const out = [...first.slice(0, a), total, ...first.slice(a + 1)];
  const Y = like(tape, xs[0]!, sizeOf(out));
  let at = 0;
  xs.forEach((x, t) => {
    const block = sizes[t]! * inner;
    for (let o = 0; o < outer; o++) Y.set(x.value.data.subarray(o * block, (o + 1) * block), o * total * inner + at * inner);
    at += sizes[t]!;
  });
  return tape.record({ shape: out, data: Y }, xs, (G) => {
    let from = 0;
    xs.forEach((x, t) => {
      const block = sizes[t]! * inner;
      if (x.requiresGrad) {
        const dX = like(tape, x, x.value.data.length);
        for (let o = 0; o < outer; o++) dX.set(G.subarray(o * total * inner + from * inner, o * total * inner + from * inner + block), o * block);
        accumulate(x, dX);
      }
      from += sizes[t]!;
    });
  });
}

/** Rows of `table` ([V, D]) picked by integer `indices` (any shape S) → S + [D]. */
export function gather(tape: Tape, table: Var, indices: Tensor): Var {
  const [v, d] = table.value.shape as [number, number];
  const I = indices.data;
  const T = table.value.data;
  const Y = like(tape, table, I.length * d);
  for (let i = 0; i < I.length; i++) {
    const row = I[i]!;
    if (!Number.isInteger(row) || row < 0 || row >= v) throw new RangeError(`index ${row} is outside the table of ${v} rows (indices must be integers from 0 to ${v - 1})`);
    Y.set(T.subarray(row * d, row * d + d), i * d);
  }
  return tape.record({ shape: [...indices.shape, d], data: Y }, [table], (G) => {
    const dT = like(tape, table, T.length);
    for (let i = 0; i < I.length; i++) {
      const row = I[i]!;
      for (let j = 0; j < d; j++) dT[row * d + j]! += G[i * d + j]!;
    }
    accumulate(table, dT);
  });
}

/** Broadcasts to `shape` (NumPy rules); the gradient sums back. */
export function broadcastTo(tape: Tape, x: Var, shape: readonly number[]): Var {
  const map = broadcastIndex(x.value.shape, shape);
  const X = x.value.data;
  const Y = like(tape, x, map.length);
  for (let i = 0; i < map.length; i++) Y[i] = X[map[i]!]!;
  return tape.record({ shape: [...shape], data: Y }, [x], (G) => {
    const dX = like(tape, x, X.length);
    for (let i = 0; i < map.length; i++) dX[map[i]!]! += G[i]!;
    accumulate(x, dX);
  });
}

/**
 * `activation(x · w + b)` in one step: Dense's forward pass, fused. The composed form is
 * three recorded ops with three temporary arrays; for small models the per-op overhead, not
 * the arithmetic, is the cost (reference/executor.md). Same values and gradients as
 * `unary(add(matmul(x, w), b), rule)`, which the tests check.
 */
export function dense(tape: Tape, x: Var, w: Var, b: Var | null, rule: UnaryRule | null): Var {
  const { Y: Z, m, k, n } = product(tape, x, w, 'dense');
  if (b) {
    const B = b.value.data;
    for (let i = 0; i < m * n; i++) Z[i]! += B[i % n]!;
  }
  let Y = Z;
  if (rule) {
    Y = like(tape, x, m * n);
    for (let i = 0; i < m * n; i++) Y[i] = rule.f(Z[i]!);
  }
  const inputs = b ? [x, w, b] : [x, w];
  return tape.record({ shape: [...x.value.shape.slice(0, -1), n], data: Y }, inputs, (G) => {
    let D = G;
    if (rule) {
      D = like(tape, x, m * n);
      for (let i = 0; i < m * n; i++) D[i] = G[i]! * rule.df(Z[i]!, Y[i]!);
    }
    productBackward(tape, x, w, D, m, k, n);
    if (b?.requiresGrad) {
      const dB = like(tape, b, n);
      for (let i = 0; i < m * n; i++) dB[i % n]! += D[i]!;
      accumulate(b, dB);
    }
  });
}

/** `1 / sqrt(v + epsilon)` with its derivative `-y³ / 2`: the normalisation layers' divisor. */
export function rsqrt(tape: Tape, v: Var, epsilon: number): Var {
  return unary(tape, v, { f: (x) => 1 / Math.sqrt(x + epsilon), df: (_x, y) => -0.5 * y * y * y });
}
