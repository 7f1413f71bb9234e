import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatShape, type Dim, type Shape } from '../../src/ir/shape.js';
import { broadcastPair } from '../../src/layers/base-merge.js';
import { LAYERS, type LayerKind } from '../../src/layers/registry.js';
import { batchDim, expectError, knownDim, maybeDim, shapeOf, weightsOf } from './helpers.js';

const ELEMENTWISE = ['Add', 'Subtract', 'Multiply', 'Average', 'Maximum', 'Minimum'] as const satisfies readonly LayerKind[];
const MANY = ['Add', 'Multiply', 'Average', 'Maximum', 'Minimum'] as const satisfies readonly LayerKind[];
const elementwise = fc.constantFrom(...ELEMENTWISE);
const many = fc.constantFrom(...MANY);

/** Inputs for an elementwise merge of `kind`: two for Subtract, 2 to 4 otherwise. */
const countFor = (kind: LayerKind) => (kind === 'Subtract' ? fc.constant(2) : fc.integer({ min: 2, max: 4 }));

/**
 * A shape `s` (non-batch dims) and shapes that broadcast to it under Keras's rule: each drops
 * some leading axes and puts 1 on some others. Whatever the mix, the result is `s` itself: a 1
 * gives the other side, and an unknown size on `s`'s side stays unknown.
 */
const broadcastFamily = (count: number) =>
  fc.array(maybeDim, { maxLength: 4 }).chain((s) =>
    fc.tuple(
      fc.constant(s),
      fc.array(
        fc.tuple(fc.integer({ min: 0, max: s.length }), fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length })).map(([drop, ones]) =>
          s.map((d, i) => (ones[i] ? 1 : d)).slice(drop),
        ),
        { minLength: count - 1, maxLength: count - 1 },
      ),
    ),
  );

describe('elementwise merges (Keras base_merge broadcasting)', () => {
  it('give the full shape when every other input broadcasts to it, in any order (property)', () => {
    fc.assert(
      fc.property(
        elementwise.chain((kind) => countFor(kind).chain((n) => fc.tuple(fc.constant(kind), broadcastFamily(n), batchDim, fc.nat()))),
        ([kind, [full, others], batch, rot]) => {
          const all: Shape[] = [full, ...others].map((s) => [batch, ...s]);
          const k = rot % all.length;
          const inputs = [...all.slice(k), ...all.slice(0, k)];
          expect(shapeOf(kind, {}, inputs)).toEqual({ ok: true, shape: [batch, ...full] });
        },
      ),
    );
  });

  it('are commutative: swapping two inputs gives the same shape or the same error code (property)', () => {
    fc.assert(
      fc.property(elementwise, fc.array(maybeDim, { maxLength: 3 }), fc.array(maybeDim, { maxLength: 3 }), (kind, a, b) => {
        const ab = shapeOf(kind, {}, [[null, ...a], [null, ...b]]);
        const ba = shapeOf(kind, {}, [[null, ...b], [null, ...a]]);
        expect(ab.ok).toBe(ba.ok);
        if (ab.ok && ba.ok) expect(ab.shape).toEqual(ba.shape);
      }),
    );
  });

  it('keep an axis unknown when either side is unknown, even against a known size (Keras: None and n give None)', () => {
    fc.assert(
      fc.property(elementwise, fc.array(knownDim, { minLength: 1, maxLength: 4 }), fc.nat(), (kind, s, at) => {
        const i = at % s.length;
        const withNull: Dim[] = s.map((d, j) => (j === i ? null : d));
        const r = shapeOf(kind, {}, [[null, ...s], [null, ...withNull]]);
        expect(r).toEqual({ ok: true, shape: [null, ...withNull] });
      }),
    );
    expect(shapeOf('Add', {}, [[null, 16], [null, null]])).toEqual({ ok: true, shape: [null, null] });
    expect(shapeOf('Add', {}, [[null, 1], [null, null]])).toEqual({ ok: true, shape: [null, null] });
  });

  it('align ranks from the right, as Keras expands the shorter input after the batch axis', () => {
    expect(shapeOf('Add', {}, [[null, 5, 16], [null, 16]])).toEqual({ ok: true, shape: [null, 5, 16] });
    expect(shapeOf('Multiply', {}, [[null, 1], [null, 3, 4]])).toEqual({ ok: true, shape: [null, 3, 4] });
    expect(shapeOf('Add', {}, [[null], [null, 7]])).toEqual({ ok: true, shape: [null, 7] });
    expect(shapeOf('Average', {}, [[null, 4, 1], [null, 1, 6], [null, 6]])).toEqual({ ok: true, shape: [null, 4, 6] });
  });

  it('take the one known batch size, and refuse two different ones', () => {
    expect(shapeOf('Add', {}, [[null, 4], [32, 4]])).toEqual({ ok: true, shape: [32, 4] });
    const r = shapeOf('Add', {}, [[32, 4], [16, 4]]);
    expectError(r, 'batch-size-mismatch');
    if (!r.ok) expect(r.message).toContain('(32, 4) and (16, 4)');
  });

  it('refuse clashing sizes with an error that names both shapes, never an exception (property)', () => {
    fc.assert(
      fc.property(
        elementwise,
        fc.array(maybeDim, { maxLength: 3 }),
        fc.integer({ min: 2, max: 64 }),
        fc.integer({ min: 2, max: 64 }),
        fc.array(maybeDim, { maxLength: 2 }),
        (kind, head, x, y, tail) => {
          fc.pre(x !== y);
          const a: Shape = [null, ...head, x, ...tail];
          const b: Shape = [null, ...head, y, ...tail];
          const r = shapeOf(kind, {}, [a, b]);
          expectError(r, 'incompatible-shapes');
          if (!r.ok) {
            expect(r.message).toContain(formatShape(a));
            expect(r.message).toContain(formatShape(b));
          }
        },
      ),
    );
  });

  it('word the error per layer: "cannot add (None, 16) and (None, 32): …"', () => {
    const r = shapeOf('Add', {}, [[null, 16], [null, 32]]);
    expectError(r, 'incompatible-shapes');
    if (!r.ok) expect(r.message).toMatch(/^cannot add \(None, 16\) and \(None, 32\): sizes 16 and 32 on the last axis/);
    const m = shapeOf('Maximum', {}, [[null, 2, 3], [null, 4, 3]]);
    if (!m.ok) expect(m.message).toMatch(/^cannot take the maximum of \(None, 2, 3\) and \(None, 4, 3\): .*axis -2/);
    else expect.fail('Maximum of (None, 2, 3) and (None, 4, 3) must fail');
  });

  it('with three inputs, say which ones clashed', () => {
    const r = shapeOf('Add', {}, [[null, 8], [null, 8], [null, 4]]);
    expectError(r, 'incompatible-shapes');
    if (!r.ok) expect(r.message).toBe('cannot add (None, 8) (inputs 1 to 2 broadcast together) and (None, 4) (input 3): sizes 8 and 4 on the last axis are neither equal nor 1');
  });

  it('need at least two inputs; Subtract exactly two', () => {
    fc.assert(
      fc.property(many, fc.integer({ min: 0, max: 1 }), (kind, n) => {
        expectError(shapeOf(kind, {}, Array.from({ length: n }, () => [null, 3])), 'wrong-input-count');
      }),
    );
    expectError(shapeOf('Subtract', {}, [[null, 3], [null, 3], [null, 3]]), 'wrong-input-count');
    expect(shapeOf('Subtract', {}, [[null, 3], [null, 3]])).toEqual({ ok: true, shape: [null, 3] });
    expect(shapeOf('Add', {}, [[null, 3], [null, 3], [null, 3], [null, 3]])).toEqual({ ok: true, shape: [null, 3] });
  });

  it('have no weights, no positional arguments and take many inputs', () => {
    for (const kind of [...ELEMENTWISE, 'Concatenate'] as const) {
      expect(LAYERS[kind].arity).toBe('many');
      expect(weightsOf(kind, {}, [[null, 3], [null, 3]])).toEqual([]);
    }
    for (const kind of ELEMENTWISE) expect(LAYERS[kind].positional).toEqual([]);
    expect(LAYERS.Concatenate.positional).toEqual(['axis']);
  });

  it('broadcastPair reports where the clash is, counted from the end', () => {
    expect(broadcastPair([3, 4], [5, 4])).toEqual({ ok: false, fromEnd: 2, sizes: [3, 5] });
    expect(broadcastPair([4], [2, 5])).toEqual({ ok: false, fromEnd: 1, sizes: [4, 5] });
    expect(broadcastPair([], [2, 5])).toEqual({ ok: true, dims: [2, 5] });
  });
});

/** Concatenate inputs: same rank, any sizes on the concat axis, the other axes equal or unknown. */
const concatCase = fc
  .tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 2, max: 4 }))
  .chain(([rank, n]) =>
    fc.tuple(
      fc.integer({ min: -rank, max: rank - 1 }),
      fc.array(maybeDim, { minLength: rank, maxLength: rank }),
      fc.array(fc.tuple(fc.array(fc.boolean(), { minLength: rank, maxLength: rank }), maybeDim), { minLength: n, maxLength: n }),
    ),
  )
  .map(([axis, base, per]) => {
    const a = axis < 0 ? axis + base.length : axis;
    const inputs: Shape[] = per.map(([unknown, own]) => base.map((d, i) => (i === a ? own : unknown[i] ? null : d)));
    return { axis, a, inputs };
  });

describe('Concatenate', () => {
  it('sums the concatenation axis (unknown if any is) and keeps the first input elsewhere (property)', () => {
    fc.assert(
      fc.property(concatCase, ({ axis, a, inputs }) => {
        const r = shapeOf('Concatenate', { axis }, inputs);
        if (!r.ok) return expect.fail(r.message);
        const sizes = inputs.map((s) => s[a]);
        const sum = sizes.some((d) => d === null) ? null : sizes.reduce((x: number, d) => x + (d as number), 0);
        expect(r.shape).toHaveLength(inputs[0]!.length);
        expect(r.shape[a]).toBe(sum);
        r.shape.forEach((d, i) => i !== a && expect(d).toBe(inputs[0]![i]));
      }),
    );
  });

  it('concatenates on the last axis by default: (None, 8) + (None, 4) → (None, 12)', () => {
    expect(shapeOf('Concatenate', {}, [[null, 8], [null, 4]])).toEqual({ ok: true, shape: [null, 12] });
    expect(shapeOf('Concatenate', { axis: 1 }, [[null, 2, 5], [null, 1, 5]])).toEqual({ ok: true, shape: [null, 3, 5] });
    expect(shapeOf('Concatenate', {}, [[null, 8], [null, null]])).toEqual({ ok: true, shape: [null, null] });
  });

  it('refuses a different known size on another axis, naming both shapes (property)', () => {
    fc.assert(
      fc.property(concatCase, fc.nat(), fc.integer({ min: 1, max: 64 }), ({ axis, a, inputs }, pick, other) => {
        const rank = inputs[0]!.length;
        fc.pre(rank >= 2);
        const i = [...Array(rank).keys()].filter((x) => x !== a)[pick % (rank - 1)]!;
        const a0: Shape = inputs[0]!.map((d, j) => (j === i ? other : d));
        const a1: Shape = inputs[1]!.map((d, j) => (j === i ? other + 1 : d));
        const r = shapeOf('Concatenate', { axis }, [a0, a1, ...inputs.slice(2)]);
        expectError(r, 'incompatible-shapes');
        if (!r.ok) expect(r.message).toContain(formatShape(a1));
      }),
    );
  });

  it('refuses inputs of different ranks and axes out of range', () => {
    expectError(shapeOf('Concatenate', {}, [[null, 8], [null, 2, 8]]), 'rank-mismatch');
    expectError(shapeOf('Concatenate', { axis: 2 }, [[null, 8], [null, 8]]), 'axis-out-of-range');
    expectError(shapeOf('Concatenate', { axis: -3 }, [[null, 8], [null, 8]]), 'axis-out-of-range');
    expectError(shapeOf('Concatenate', {}, [[null, 8]]), 'wrong-input-count');
    const r = shapeOf('Concatenate', { axis: -1 }, [[null, 4, 8], [null, 5, 8]]);
    expectError(r, 'incompatible-shapes');
    if (!r.ok) expect(r.message).toBe('cannot concatenate (None, 4, 8) and (None, 5, 8) on axis -1: axis 1 is 4 in one and 5 in the other');
  });
});

describe('merge layers never throw', () => {
  it('on any list of shapes: a shape or an error with a code (property)', () => {
    const shapes = fc.array(fc.array(fc.option(fc.integer({ min: 1, max: 6 }), { nil: null }), { maxLength: 5 }), { maxLength: 4 });
    fc.assert(
      fc.property(fc.constantFrom(...ELEMENTWISE, 'Concatenate' as const), fc.integer({ min: -6, max: 6 }), shapes, (kind, axis, inputs) => {
        const r = shapeOf(kind, kind === 'Concatenate' ? { axis } : {}, inputs);
        if (r.ok) expect(Array.isArray(r.shape)).toBe(true);
        else expectError(r);
      }),
    );
  });
});
