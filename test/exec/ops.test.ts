import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Tape } from '../../src/exec/autograd.js';
import { gradcheck } from '../../src/exec/gradcheck.js';
import * as ops from '../../src/exec/ops.js';
import { fromNested, toNested, type Tensor } from '../../src/exec/tensor.js';
import { rand } from '../layers/forward-helpers.js';

/** The one helper every op goes through: gradients against float64 finite differences. */
function expectGradients(fn: Parameters<typeof gradcheck>[0], inputs: Tensor[]) {
  const { relativeErrors, absoluteErrors } = gradcheck(fn, inputs);
  relativeErrors.forEach((r, i) => expect(r < 1e-6 || absoluteErrors[i]! < 1e-8, `input ${i}: relative error ${r}`).toBe(true));
}

describe('forward values', () => {
  it('matmul on the last axis', () => {
    const t = new Tape();
    const y = ops.matmul(t, t.constant(fromNested([[1, 2], [3, 4]])), t.constant(fromNested([[1, 0, 2], [0, 1, 3]])));
    expect(toNested(y.value)).toEqual([[1, 2, 8], [3, 4, 18]]);
  });

  it('broadcasts like NumPy', () => {
    const t = new Tape();
    const y = ops.add(t, t.constant(fromNested([[1, 2, 3], [4, 5, 6]])), t.constant(fromNested([10, 20, 30])));
    expect(toNested(y.value)).toEqual([[11, 22, 33], [14, 25, 36]]);
    expect(() => ops.add(t, t.constant(fromNested([1, 2])), t.constant(fromNested([1, 2, 3])))).toThrow(/cannot broadcast/);
  });

  it('softmax rows sum to one and are stable for large inputs', () => {
    const t = new Tape('float64');
    const y = ops.softmax(t, t.constant(fromNested([[1000, 1001, 1002], [0, 0, 0]], 'float64')));
    const rows = toNested(y.value) as number[][];
    for (const r of rows) expect(r.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(rows[0]![2]).toBeCloseTo(0.6652409557748219, 12);
  });

  it('transpose, concat and gather move data as expected', () => {
    const t = new Tape();
    const x = t.constant(fromNested([[[1, 2], [3, 4], [5, 6]]]));
    expect(toNested(ops.transpose(t, x, [0, 2, 1]).value)).toEqual([[[1, 3, 5], [2, 4, 6]]]);
    expect(toNested(ops.concat(t, [t.constant(fromNested([[1], [2]])), t.constant(fromNested([[3, 4], [5, 6]]))], -1).value)).toEqual([[1, 3, 4], [2, 5, 6]]);
    expect(toNested(ops.gather(t, t.constant(fromNested([[0, 1], [2, 3], [4, 5]])), fromNested([[2, 0]])).value)).toEqual([[[4, 5], [0, 1]]]);
    expect(() => ops.gather(t, t.constant(fromNested([[0, 1]])), fromNested([3]))).toThrow(/outside the table/);
  });
});

describe('gradients against float64 finite differences', () => {
  it('matmul, for any batch shape (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.nat(), (batch, k, n, seed) => {
        expectGradients((t, [x, w]) => ops.matmul(t, x!, w!), [rand([...batch, k], seed), rand([k, n], seed + 1)]);
      }),
      { numRuns: 25 },
    );
  });

  for (const [name, op] of [['add', ops.add], ['sub', ops.sub], ['mul', ops.mul], ['div', ops.div], ['maximum', ops.maximum], ['minimum', ops.minimum]] as const) {
    it(`${name} with broadcasting`, () => {
      expectGradients((t, [a, b]) => op(t, a!, b!), [rand([2, 3], 1), rand([2, 3], 2)]);
      expectGradients((t, [a, b]) => op(t, a!, b!), [rand([2, 3], 3), rand([3], 4)]);
      expectGradients((t, [a, b]) => op(t, a!, b!), [rand([2, 1, 3], 5), rand([4, 1], 6)]);
    });
  }

  it('reductions, softmax and logSoftmax over any axis', () => {
    expectGradients((t, [x]) => ops.sum(t, x!, [1]), [rand([2, 3, 2], 7)]);
    expectGradients((t, [x]) => ops.mean(t, x!, [0, 2], true), [rand([2, 3, 2], 8)]);
    expectGradients((t, [x]) => ops.softmax(t, x!, -1), [rand([2, 4], 9)]);
    expectGradients((t, [x]) => ops.softmax(t, x!, 1), [rand([2, 3, 2], 10)]);
    expectGradients((t, [x]) => ops.logSoftmax(t, x!, -1), [rand([3, 4], 11)]);
  });

  it('reshape, transpose, concat, gather and broadcastTo', () => {
    expectGradients((t, [x]) => ops.reshape(t, x!, [3, -1]), [rand([2, 3], 12)]);
    expectGradients((t, [x]) => ops.transpose(t, x!, [2, 0, 1]), [rand([2, 3, 4], 13)]);
    expectGradients((t, [a, b]) => ops.concat(t, [a!, b!], 1), [rand([2, 2, 3], 14), rand([2, 1, 3], 15)]);
    expectGradients((t, [table]) => ops.gather(t, table!, fromNested([[1, 1], [0, 2]])), [rand([3, 2], 16)]);
    expectGradients((t, [x]) => ops.broadcastTo(t, x!, [2, 3, 4]), [rand([3, 1], 17)]);
  });

  it('a value used twice gets the sum of both gradients', () => {
    expectGradients((t, [x]) => ops.mul(t, x!, x!), [rand([4], 18)]);
  });
});

describe('matrix kernels', () => {
  it('agree with the plain triple loop for every size around the 4×4 tiles (property)', async () => {
    const { gemmNN, gemmNT, gemmTN } = await import('../../src/exec/kernels.js');
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 11 }), fc.integer({ min: 1, max: 11 }), fc.integer({ min: 1, max: 11 }), fc.nat(), (m, k, n, s) => {
        const A = rand([m, k], s).data;
        const B = rand([k, n], s + 1).data;
        const G = rand([m, n], s + 2).data;
        const naive = (f: (i: number, j: number) => number, rows: number, cols: number) => Float64Array.from({ length: rows * cols }, (_, x) => f(Math.floor(x / cols), x % cols));
        const sum = (len: number, t: (p: number) => number) => Array.from({ length: len }, (_, p) => t(p)).reduce((a, b) => a + b, 0);
        const close = (a: Float64Array, b: Float64Array) => a.forEach((v, i) => expect(v).toBeCloseTo(b[i]!, 12));
        const c1 = new Float64Array(m * n);
        gemmNN(A, B, c1, m, k, n);
        close(c1, naive((i, j) => sum(k, (p) => A[i * k + p]! * B[p * n + j]!), m, n));
        const c2 = new Float64Array(m * k);
        gemmNT(G, B, c2, m, n, k);
        close(c2, naive((i, p) => sum(n, (j) => G[i * n + j]! * B[p * n + j]!), m, k));
        const c3 = new Float64Array(k * n);
        gemmTN(A, G, c3, m, k, n);
        close(c3, naive((p, j) => sum(m, (i) => A[i * k + p]! * G[i * n + j]!), k, n));
      }),
      { numRuns: 150 },
    );
  });
});

describe('fused dense', () => {
  it('equals unary(add(matmul(x, w), b)) in values and every gradient', async () => {
    const { ACTIVATION_RULES } = await import('../../src/exec/activations.js');
    for (const rule of [null, ACTIVATION_RULES.tanh, ACTIVATION_RULES.sigmoid]) {
      for (const withBias of [true, false]) {
        const inputs = [rand([5, 3], 21), rand([3, 6], 22), rand([6], 23)];
        const fused = (t: Tape, [x, w, b]: Parameters<Parameters<typeof gradcheck>[0]>[1]) => ops.dense(t, x!, w!, withBias ? b! : null, rule);
        const composed = (t: Tape, [x, w, b]: Parameters<Parameters<typeof gradcheck>[0]>[1]) => {
          let y = ops.matmul(t, x!, w!);
          if (withBias) y = ops.add(t, y, b!);
          return rule ? ops.unary(t, y, rule) : y;
        };
        const run = (f: typeof fused) => {
          const t = new Tape('float64');
          const vars = inputs.map((v) => t.variable(v));
          const out = f(t, vars);
          t.backward(out);
          return { out: Array.from(out.value.data), grads: vars.map((v) => Array.from(v.grad ?? [])) };
        };
        const a = run(fused);
        const b = run(composed);
        a.out.forEach((v, i) => expect(v).toBeCloseTo(b.out[i]!, 12));
        a.grads.forEach((g, j) => g.forEach((v, i) => expect(v).toBeCloseTo(b.grads[j]![i]!, 12)));
        expectGradients(fused, inputs);
      }
    }
  });
});
