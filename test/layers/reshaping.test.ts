import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { knownProduct, type Shape } from '../../src/ir/shape.js';
import { batchDim, expectError, issues, maybeDim, shapeArb, shapeOf, weightsOf } from './helpers.js';

const small = fc.integer({ min: 1, max: 6 });

/**
 * A fully known input and a target shape with the same number of values: the input's axes,
 * shuffled, with random neighbours multiplied together; sometimes one entry becomes -1.
 */
const reshapeCase = fc
  .tuple(batchDim, fc.array(small, { minLength: 1, maxLength: 4 }))
  .chain(([batch, rest]) =>
    fc.tuple(
      fc.constant<Shape>([batch, ...rest]),
      fc.shuffledSubarray(rest, { minLength: rest.length, maxLength: rest.length }),
      fc.array(fc.boolean(), { minLength: rest.length, maxLength: rest.length }),
      fc.option(fc.nat(), { nil: null }),
    ),
  )
  .map(([input, shuffled, joins, minusAt]) => {
    const resolved: number[] = [];
    shuffled.forEach((d, i) => (i > 0 && joins[i] ? (resolved[resolved.length - 1]! *= d) : resolved.push(d)));
    const target = minusAt === null ? resolved : resolved.map((d, i) => (i === minusAt % resolved.length ? -1 : d));
    return { input, target, resolved };
  });

describe('Reshape', () => {
  it('keeps the number of values per sample and infers -1 from it (property)', () => {
    fc.assert(
      fc.property(reshapeCase, ({ input, target, resolved }) => {
        const r = shapeOf('Reshape', { target_shape: target }, [input]);
        expect(r).toEqual({ ok: true, shape: [input[0], ...resolved] });
        if (r.ok) expect(knownProduct(r.shape.slice(1))).toBe(knownProduct(input.slice(1)));
      }),
    );
  });

  it('refuses a target with a different number of values, never throwing (property)', () => {
    fc.assert(
      fc.property(reshapeCase, small, fc.boolean(), ({ input, resolved }, extra, withMinus) => {
        const size = knownProduct(input.slice(1))!;
        // A target whose known part cannot produce `size` values: one more than size, or a
        // -1 next to a dim that does not divide it.
        const bad = withMinus ? [-1, size + extra] : [...resolved, extra + 1];
        const r = shapeOf('Reshape', { target_shape: bad }, [input]);
        expectError(r, 'reshape-size-mismatch');
        if (!r.ok) expect(r.message).toContain(`${size} values per sample`);
      }),
    );
  });

  it('with an unknown input size, checks nothing and leaves -1 unknown (Keras compute_reshape_output_shape)', () => {
    fc.assert(
      fc.property(shapeArb(2, 5), fc.array(fc.oneof(small, fc.constant(-1)), { maxLength: 4 }), (input, target) => {
        fc.pre(input.slice(1).includes(null) && target.filter((d) => d === -1).length <= 1);
        const r = shapeOf('Reshape', { target_shape: target }, [input]);
        expect(r).toEqual({ ok: true, shape: [input[0], ...target.map((d) => (d === -1 ? null : d))] });
      }),
    );
  });

  it('gives the Keras docstring examples: (None, 12) → (3, 4) and (-1, 2, 2)', () => {
    expect(shapeOf('Reshape', { target_shape: [3, 4] }, [[null, 12]])).toEqual({ ok: true, shape: [null, 3, 4] });
    expect(shapeOf('Reshape', { target_shape: [-1, 2, 2] }, [[null, 12]])).toEqual({ ok: true, shape: [null, 3, 2, 2] });
    expect(weightsOf('Reshape', { target_shape: [12] }, [[null, 3, 4]])).toEqual([]);
  });

  it('refuses two -1s, zero and other junk in target_shape at validation', () => {
    expect(issues('Reshape', { target_shape: [-1, -1] })[0]!.message).toContain('at most one dimension may be -1');
    for (const bad of [[0, 4], [-2], [1.5], 'abc', 7, [null]]) {
      expect(issues('Reshape', { target_shape: bad }).map((i) => i.code)).toEqual(['invalid-argument']);
    }
    expect(issues('Reshape', {})[0]!.code).toBe('missing-argument');
  });
});

const permuteCase = fc
  .array(maybeDim, { minLength: 1, maxLength: 5 })
  .chain((rest) => fc.tuple(batchDim, fc.constant(rest), fc.shuffledSubarray([...rest.keys()].map((i) => i + 1), { minLength: rest.length, maxLength: rest.length })));

describe('Permute', () => {
  it('is a permutation of the non-batch axes, undone by the inverse permutation (property)', () => {
    fc.assert(
      fc.property(permuteCase, ([batch, rest, dims]) => {
        const input: Shape = [batch, ...rest];
        const r = shapeOf('Permute', { dims }, [input]);
        if (!r.ok) return expect.fail(r.message);
        expect(r.shape[0]).toBe(batch);
        dims.forEach((d, i) => expect(r.shape[i + 1]).toBe(input[d]));
        const inverse = dims.map((_, i) => dims.indexOf(i + 1) + 1);
        expect(shapeOf('Permute', { dims: inverse }, [r.shape])).toEqual({ ok: true, shape: input });
      }),
    );
  });

  it('swaps (None, 10, 64) to (None, 64, 10) as in the Keras docstring', () => {
    expect(shapeOf('Permute', { dims: [2, 1] }, [[null, 10, 64]])).toEqual({ ok: true, shape: [null, 64, 10] });
  });

  it('refuses an input whose rank is not len(dims) + 1 (property)', () => {
    fc.assert(
      fc.property(permuteCase, shapeArb(0, 7), ([, rest, dims], input) => {
        fc.pre(input.length !== rest.length + 1);
        expectError(shapeOf('Permute', { dims }, [input]), 'wrong-rank');
      }),
    );
  });

  it('accepts only permutations of 1…n as dims (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -2, max: 6 }), { maxLength: 5 }), (dims) => {
        const isPerm = dims.length > 0 && [...dims].sort((a, b) => a - b).every((d, i) => d === i + 1);
        expect(issues('Permute', { dims }).length === 0).toBe(isPerm);
      }),
    );
  });
});

describe('RepeatVector', () => {
  it('turns (batch, d) into (batch, n, d) (property)', () => {
    fc.assert(
      fc.property(batchDim, maybeDim, fc.integer({ min: 1, max: 100 }), (b, d, n) => {
        expect(shapeOf('RepeatVector', { n }, [[b, d]])).toEqual({ ok: true, shape: [b, n, d] });
      }),
    );
    expect(shapeOf('RepeatVector', { n: 3 }, [[null, 32]])).toEqual({ ok: true, shape: [null, 3, 32] });
  });

  it('refuses inputs of any other rank (property)', () => {
    fc.assert(
      fc.property(shapeArb(0, 6), (input) => {
        fc.pre(input.length !== 2);
        expectError(shapeOf('RepeatVector', { n: 2 }, [input]), 'wrong-rank');
      }),
    );
  });

  it('needs a positive integer n', () => {
    expect(issues('RepeatVector', { n: 0 })[0]!.code).toBe('invalid-argument');
    expect(issues('RepeatVector', { n: 2.5 })[0]!.code).toBe('invalid-argument');
  });
});

describe('single-input reshaping layers', () => {
  it('refuse a wrong number of inputs', () => {
    expectError(shapeOf('Reshape', { target_shape: [4] }, []), 'wrong-input-count');
    expectError(shapeOf('Permute', { dims: [1] }, [[null, 4], [null, 4]]), 'wrong-input-count');
    expectError(shapeOf('RepeatVector', { n: 2 }, []), 'wrong-input-count');
  });
});
