import { describe, expect, it } from 'vitest';
import { createRng, shuffle } from '../../src/exec/random.js';

/**
 * splitmix32 seeding + sfc32, written a second time with BigInt arithmetic mod 2³² from the
 * algorithms' published definitions: the oracle that random.ts is what it says it is.
 */
function referenceU32(seed: number): () => bigint {
  const M = (1n << 32n) - 1n;
  const rotl = (x: bigint, k: bigint) => ((x << k) | (x >> (32n - k))) & M;
  const mix = (z: bigint) => {
    z = ((z ^ (z >> 16n)) * 0x21f0aaadn) & M;
    z = ((z ^ (z >> 15n)) * 0x735a2d97n) & M;
    return z ^ (z >> 15n);
  };
  const big = BigInt(seed);
  let weyl = big & M;
  const split = () => mix((weyl = (weyl + 0x9e3779b9n) & M));
  let a = split();
  let b = split();
  let c = split() ^ mix(((big >> 32n) & M) ^ 0x5bd1e995n);
  let d = 1n;
  const step = () => {
    const t = (a + b + d) & M;
    d = (d + 1n) & M;
    a = b ^ (b >> 9n);
    b = (c + (c << 3n)) & M;
    c = (rotl(c, 21n) + t) & M;
    return t;
  };
  for (let i = 0; i < 12; i++) step();
  return step;
}

describe('createRng', () => {
  it('a fixed seed gives fixed numbers (a change to the generator is noticed here)', () => {
    const r = createRng(42);
    expect([r.next(), r.next(), r.next()]).toEqual([0.5241931603548337, 0.07746678659991357, 0.8755439349699211]);
    expect([r.normal(), r.normal(), r.normal()]).toEqual([0.7048098911446153, 0.9985020373693758, -2.472175277933644]);
    const r7 = createRng(7);
    expect(Array.from({ length: 8 }, () => r7.int(10))).toEqual([0, 0, 5, 3, 9, 1, 0, 4]);
    expect([createRng(0).next(), createRng(1).next(), createRng(-1).next(), createRng(2 ** 32).next()]).toEqual([
      0.734916498592739, 0.7519337624789205, 0.07380353464610401, 0.8065739679189378,
    ]);
  });

  it('is sfc32 seeded by splitmix32, 53-bit uniforms from two outputs (independent BigInt oracle)', () => {
    for (const seed of [0, 1, 42, -7, 2 ** 40 + 3, Number.MAX_SAFE_INTEGER]) {
      const r = createRng(seed);
      const u32 = referenceU32(seed);
      for (let i = 0; i < 500; i++) {
        const hi = Number(u32() >> 5n);
        const lo = Number(u32() >> 6n);
        expect(r.next()).toBe((hi * 2 ** 26 + lo) / 2 ** 53);
      }
    }
  });

  it('same seed, same sequence; different seeds (also above 2³²), different sequences', () => {
    const a = createRng(123);
    const b = createRng(123);
    for (let i = 0; i < 1000; i++) expect(a.normal()).toBe(b.normal());
    const firsts = [0, 1, 2, 3, -1, 2 ** 32, 2 ** 33, 2 ** 32 + 1].map((s) => createRng(s).next());
    expect(new Set(firsts).size).toBe(firsts.length);
  });

  it('refuses seeds that are not safe integers', () => {
    expect(() => createRng(1.5)).toThrow(/safe integer/);
    expect(() => createRng(NaN)).toThrow(/safe integer/);
    expect(() => createRng(2 ** 60)).toThrow(/safe integer/);
  });

  it('next() is uniform on [0, 1): range, mean, variance and a χ² test on 20 bins', () => {
    const r = createRng(2024);
    const n = 200_000;
    const bins = new Array<number>(20).fill(0);
    let sum = 0;
    let sq = 0;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const u = r.next();
      if (!(u >= 0 && u < 1)) outside++;
      bins[Math.floor(u * 20)]!++;
      sum += u;
      sq += u * u;
    }
    expect(outside).toBe(0);
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(0.003);
    expect(Math.abs(sq / n - (sum / n) ** 2 - 1 / 12)).toBeLessThan(0.001);
    const chi2 = bins.reduce((s, o) => s + (o - n / 20) ** 2 / (n / 20), 0);
    expect(chi2).toBeLessThan(43.82); // p = 0.001 for 19 degrees of freedom
  });

  it('normal() has mean 0, variance 1, no skew, kurtosis 3, and the 68-95 rule', () => {
    const r = createRng(99);
    const n = 200_000;
    let m1 = 0;
    let m2 = 0;
    let m3 = 0;
    let m4 = 0;
    let within1 = 0;
    let within2 = 0;
    for (let i = 0; i < n; i++) {
      const z = r.normal();
      m1 += z;
      m2 += z * z;
      m3 += z ** 3;
      m4 += z ** 4;
      if (Math.abs(z) < 1) within1++;
      if (Math.abs(z) < 2) within2++;
    }
    expect(Math.abs(m1 / n)).toBeLessThan(0.01);
    expect(Math.abs(m2 / n - 1)).toBeLessThan(0.01);
    expect(Math.abs(m3 / n)).toBeLessThan(0.03);
    expect(Math.abs(m4 / n - 3)).toBeLessThan(0.06);
    expect(Math.abs(within1 / n - 0.6826894921370859)).toBeLessThan(0.004);
    expect(Math.abs(within2 / n - 0.9544997361036416)).toBeLessThan(0.002);
  });

  it('int(n) covers 0…n−1 evenly, for small n, n near 2³², and n above it', () => {
    const r = createRng(5);
    const counts = new Array<number>(7).fill(0);
    for (let i = 0; i < 70_000; i++) counts[r.int(7)]!++;
    const chi2 = counts.reduce((s, o) => s + (o - 10_000) ** 2 / 10_000, 0);
    expect(chi2).toBeLessThan(22.46); // p = 0.001 for 6 degrees of freedom
    expect(r.int(1)).toBe(0);
    // n = 3·2³⁰: without rejection, the low third would come up twice as often as the top one.
    const n = 3 * 2 ** 30;
    let low = 0;
    let high = 0;
    let bad = 0;
    for (let i = 0; i < 30_000; i++) {
      const v = r.int(n);
      if (!(Number.isInteger(v) && v >= 0 && v < n)) bad++;
      if (v < 2 ** 30) low++;
      else if (v >= 2 ** 31) high++;
    }
    expect(Math.abs(low - high)).toBeLessThan(600);
    const big = 2 ** 40 + 17;
    for (let i = 0; i < 1000; i++) {
      const v = r.int(big);
      if (!(Number.isInteger(v) && v >= 0 && v < big)) bad++;
    }
    expect(bad).toBe(0);
    expect(() => r.int(0)).toThrow(/positive integer/);
    expect(() => r.int(2.5)).toThrow(/positive integer/);
  });
});

describe('shuffle', () => {
  it('permutes in place, deterministically per seed', () => {
    const a = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    const out = shuffle(createRng(1), a);
    expect(out).toBe(a);
    expect(a).toEqual([2, 9, 8, 7, 6, 4, 0, 1, 5, 3]);
    expect(shuffle(createRng(1), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])).toEqual(a);
    expect(shuffle(createRng(2), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])).not.toEqual(a);
    expect(shuffle(createRng(3), [])).toEqual([]);
    expect(shuffle(createRng(3), ['x'])).toEqual(['x']);
  });

  it('shuffles typed arrays too', () => {
    const idx = Int32Array.from({ length: 50 }, (_, i) => i);
    shuffle(createRng(8), idx);
    expect([...idx].sort((p, q) => p - q)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect([...idx]).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('puts every element at every position equally often (all 24 orders of 4 equally likely)', () => {
    const r = createRng(11);
    const counts = new Map<string, number>();
    const n = 48_000;
    for (let i = 0; i < n; i++) {
      const key = shuffle(r, [0, 1, 2, 3]).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(24);
    const chi2 = [...counts.values()].reduce((s, o) => s + (o - n / 24) ** 2 / (n / 24), 0);
    expect(chi2).toBeLessThan(49.73); // p = 0.001 for 23 degrees of freedom
  });
});
