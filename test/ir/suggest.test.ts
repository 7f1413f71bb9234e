import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closest, editDistance } from '../../src/ir/suggest.js';

describe('editDistance', () => {
  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('rleu', 'relu')).toBe(1);
    expect(editDistance('sigmiod', 'sigmoid')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('is a metric on the basics: zero to itself, symmetric, bounded by the longer length (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
        expect(editDistance(a, a)).toBe(0);
        expect(editDistance(a, b)).toBe(editDistance(b, a));
        expect(editDistance(a, b)).toBeLessThanOrEqual(Math.max(a.length, b.length));
        expect(editDistance(a, b)).toBeGreaterThanOrEqual(Math.abs(a.length - b.length));
      }),
    );
  });
});

describe('closest', () => {
  it('finds the word meant and stays quiet when nothing is close', () => {
    expect(closest('rleu', ['elu', 'relu', 'selu'])).toBe('relu');
    expect(closest('softmx', ['softmax', 'softplus'])).toBe('softmax');
    expect(closest('Sigmoid', ['sigmoid', 'tanh'])).toBe('sigmoid');
    expect(closest('convolution', ['relu', 'tanh'])).toBeUndefined();
  });
});

describe('formatCount', () => {
  it('groups thousands as Python f"{n:,}" and Intl do (property)', async () => {
    const { formatCount } = await import('../../src/ir/shape.js');
    expect(formatCount(669706)).toBe('669,706');
    expect(formatCount(0)).toBe('0');
    fc.assert(
      fc.property(fc.nat(), (n) => {
        expect(formatCount(n)).toBe(n.toLocaleString('en-US'));
      }),
    );
  });
});
