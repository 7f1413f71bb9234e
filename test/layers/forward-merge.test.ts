import { describe, expect, it } from 'vitest';
import { expectClose, expectLayerGradients, rand, runLayer } from './forward-helpers.js';

const a = [[1, -2, 3], [4, 5, -6]];
const b = [[0.5, 2, -1], [4, -1, 2]];
const c = [[2, 2, 2], [-3, 0, 1]];

/** The elementwise reference: `f` on matching entries of equal-shape nested arrays. */
const zip = (f: (...v: number[]) => number, ...xs: number[][][]) => xs[0]!.map((row, i) => row.map((_, j) => f(...xs.map((x) => x[i]![j]!))));

describe('elementwise merges: values', () => {
  it('Add, Subtract, Multiply, Average, Maximum and Minimum on equal shapes', () => {
    expect(runLayer('Add', {}, [a, b, c]).value).toEqual(zip((p, q, r) => p + q + r, a, b, c));
    expect(runLayer('Subtract', {}, [a, b]).value).toEqual(zip((p, q) => p - q, a, b));
    expect(runLayer('Multiply', {}, [a, b, c]).value).toEqual(zip((p, q, r) => p * q * r, a, b, c));
    expectClose(runLayer('Average', {}, [a, b, c]).value, zip((p, q, r) => (p + q + r) / 3, a, b, c), 14);
    expect(runLayer('Maximum', {}, [a, b, c]).value).toEqual(zip(Math.max, a, b, c));
    expect(runLayer('Minimum', {}, [a, b, c]).value).toEqual(zip(Math.min, a, b, c));
  });

  it('broadcast a size-1 axis', () => {
    expect(runLayer('Add', {}, [a, [[10], [20]]]).value).toEqual([[11, 8, 13], [24, 25, 14]]);
    expect(runLayer('Subtract', {}, [[[10], [20]], a]).value).toEqual([[9, 12, 7], [16, 15, 26]]);
  });

  it('give a lower-rank input new axes after the batch axis, as Keras (not in front, as NumPy)', () => {
    // (2, 3) with (2, 2, 3): Keras reads the first as (2, 1, 3), so sample i meets sample i.
    const big = [[[0, 0, 0], [10, 10, 10]], [[0, 0, 0], [100, 100, 100]]];
    const expected = big.map((sample, i) => sample.map((row) => row.map((v, k) => v + a[i]![k]!)));
    expect(runLayer('Add', {}, [a, big]).value).toEqual(expected);
    expect(runLayer('Add', {}, [big, a]).value).toEqual(expected);
    expect(runLayer('Maximum', {}, [a, big]).shape).toEqual([2, 2, 3]);
  });

  it('Average divides the sum by the number of inputs', () => {
    expect(runLayer('Average', {}, [[[1, 2]], [[3, 6]]]).value).toEqual([[2, 4]]);
  });
});

describe('elementwise merges: gradients', () => {
  for (const kind of ['Add', 'Subtract', 'Multiply', 'Average', 'Maximum', 'Minimum'] as const) {
    it(`${kind}: equal shapes, a size-1 axis and a lower rank`, () => {
      expectLayerGradients(kind, {}, [rand([2, 3], 1), rand([2, 3], 2)]);
      expectLayerGradients(kind, {}, [rand([2, 3], 3), rand([2, 1], 4)]);
      expectLayerGradients(kind, {}, [rand([2, 3], 5), rand([2, 2, 3], 6)]);
      if (kind !== 'Subtract') expectLayerGradients(kind, {}, [rand([3, 2], 7), rand([3, 2], 8), rand([3, 2], 9)]);
    });
  }
});

describe('Concatenate', () => {
  it('joins on the last axis by default', () => {
    expect(runLayer('Concatenate', {}, [[[1], [2]], [[3, 4], [5, 6]]]).value).toEqual([[1, 3, 4], [2, 5, 6]]);
  });

  it('joins on a positive or negative axis of a rank-3 input', () => {
    const x = [[[1, 2], [3, 4]]];
    const y = [[[5, 6]]];
    const expected = [[[1, 2], [3, 4], [5, 6]]];
    expect(runLayer('Concatenate', { axis: 1 }, [x, y]).value).toEqual(expected);
    expect(runLayer('Concatenate', { axis: -2 }, [x, y]).value).toEqual(expected);
    expect(runLayer('Concatenate', { axis: 0 }, [x, [[[7, 8], [9, 10]]]]).value).toEqual([[[1, 2], [3, 4]], [[7, 8], [9, 10]]]);
  });

  it('refuses actual tensors whose other axes differ', () => {
    expect(() => runLayer('Concatenate', { axis: -1 }, [[[1, 2]], [[1], [2]]])).toThrow(/cannot join tensors of shapes \(1, 2\) and \(2, 1\)/);
  });

  it('passes each input its slice of the gradient', () => {
    expectLayerGradients('Concatenate', {}, [rand([2, 3], 10), rand([2, 1], 11), rand([2, 2], 12)]);
    expectLayerGradients('Concatenate', { axis: 1 }, [rand([2, 2, 3], 13), rand([2, 1, 3], 14)]);
  });
});
