import { describe, expect, it } from 'vitest';
import { TRUNCATED_NORMAL_STDDEV, computeFans, initialize, orthonormalize, resolveInitializer } from '../../src/exec/initializers.js';
import { createRng } from '../../src/exec/random.js';
import type { Tensor } from '../../src/exec/tensor.js';

const init = (initializer: unknown, shape: number[], seed = 1, dtype: 'float32' | 'float64' = 'float64') =>
  initialize(initializer, shape, createRng(seed), dtype);

function stats(t: Tensor) {
  const d = t.data;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of d) {
    sum += v;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const mean = sum / d.length;
  let sq = 0;
  let beyond2 = 0;
  for (const v of d) sq += (v - mean) ** 2;
  const std = Math.sqrt(sq / d.length);
  for (const v of d) if (Math.abs(v - mean) > 2 * std) beyond2++;
  return { mean, std, min, max, beyond2: beyond2 / d.length };
}

/** Uniform on ±limit: inside the bounds, reaching near both, σ = limit/√3. */
function expectUniform(t: Tensor, limit: number) {
  const s = stats(t);
  expect(s.min).toBeGreaterThanOrEqual(-limit);
  expect(s.max).toBeLessThanOrEqual(limit);
  expect(s.min).toBeLessThan(-0.995 * limit);
  expect(s.max).toBeGreaterThan(0.995 * limit);
  expect(Math.abs(s.mean)).toBeLessThan(0.01 * limit);
  expect(Math.abs(s.std / (limit / Math.sqrt(3)) - 1)).toBeLessThan(0.01);
}

/** A normal truncated at ±2σ₀ whose resulting σ is `std` (σ₀ = std / 0.8796…). */
function expectTruncated(t: Tensor, std: number, mean = 0) {
  const s = stats(t);
  const bound = (2 * std) / TRUNCATED_NORMAL_STDDEV;
  expect(s.max - mean).toBeLessThanOrEqual(bound);
  expect(mean - s.min).toBeLessThanOrEqual(bound);
  expect(s.max - mean).toBeGreaterThan(0.97 * bound);
  expect(Math.abs(s.mean - mean)).toBeLessThan(0.01 * std);
  expect(Math.abs(s.std / std - 1)).toBeLessThan(0.01);
}

/** An untruncated normal: σ, and about 4.55% of draws beyond 2σ. */
function expectNormal(t: Tensor, std: number, mean = 0) {
  const s = stats(t);
  expect(Math.abs(s.mean - mean)).toBeLessThan(0.01 * std);
  expect(Math.abs(s.std / std - 1)).toBeLessThan(0.01);
  expect(Math.abs(s.beyond2 - 0.0455)).toBeLessThan(0.003);
}

describe('Keras defaults (reference/keras.md §4.2)', () => {
  it("'uniform' is U(±0.05)", () => expectUniform(init('uniform', [200, 500]), 0.05));
  it("'random_uniform' takes minval/maxval", () => {
    const s = stats(init({ class_name: 'RandomUniform', config: { minval: 1, maxval: 3 } }, [100_000]));
    expect(s.min).toBeGreaterThanOrEqual(1);
    expect(s.max).toBeLessThanOrEqual(3);
    expect(Math.abs(s.mean - 2)).toBeLessThan(0.01);
  });
  it("'normal' is N(0, 0.05²), untruncated", () => expectNormal(init('normal', [200, 500]), 0.05));
  it('RandomNormal takes mean/stddev', () => expectNormal(init({ class_name: 'RandomNormal', config: { mean: 3, stddev: 2 } }, [100_000]), 2, 3));
  it('TruncatedNormal: stddev 0.05 before truncation at ±2σ, so 0.05·0.8796 after', () => {
    expectTruncated(init('TruncatedNormal', [200, 500]), 0.05 * TRUNCATED_NORMAL_STDDEV);
    expectTruncated(init({ class_name: 'TruncatedNormal', config: { mean: -1, stddev: 0.5 } }, [100_000]), 0.5 * TRUNCATED_NORMAL_STDDEV, -1);
  });
  it('Zeros, Ones and Constant (value 0 by default)', () => {
    expect(Array.from(init('zeros', [2, 3]).data)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(Array.from(init('zero', [2]).data)).toEqual([0, 0]);
    expect(Array.from(init('Ones', [3]).data)).toEqual([1, 1, 1]);
    expect(Array.from(init('one', [1, 1]).data)).toEqual([1]);
    expect(Array.from(init('constant', [2]).data)).toEqual([0, 0]);
    expect(Array.from(init({ class_name: 'Constant', config: { value: 0.3 } }, [2], 1, 'float32').data)).toEqual([Math.fround(0.3), Math.fround(0.3)]);
  });
  it('Identity: gain·I, rectangular allowed, 2-D only', () => {
    expect(Array.from(init({ class_name: 'Identity', config: { gain: 2 } }, [2, 3]).data)).toEqual([2, 0, 0, 0, 2, 0]);
    expect(Array.from(init('IdentityInitializer', [3, 2]).data)).toEqual([1, 0, 0, 1, 0, 0]);
    expect(() => init('identity', [2, 2, 2])).toThrow(/Identity initializer only makes 2-D matrices, got shape \(2, 2, 2\)/);
    expect(() => init('identity', [4])).toThrow(/2-D/);
  });
});

describe('VarianceScaling and its presets (§4.3)', () => {
  it('compute_fans', () => {
    expect(computeFans([])).toEqual([1, 1]);
    expect(computeFans([7])).toEqual([7, 7]);
    expect(computeFans([4, 8])).toEqual([4, 8]);
    expect(computeFans([3, 3, 16, 32])).toEqual([144, 288]);
    expect(computeFans([5, 2, 3])).toEqual([10, 15]);
  });

  it('glorot_uniform: U(±√(6/(in+out))), ±0.7071 for a 4×8 kernel', () => {
    const small = stats(init('glorot_uniform', [4, 8]));
    expect(Math.max(-small.min, small.max)).toBeLessThanOrEqual(Math.sqrt(0.5));
    expect(Math.max(-small.min, small.max)).toBeGreaterThan(0.3);
    expectUniform(init('GlorotUniform', [300, 500]), Math.sqrt(6 / 800));
  });

  it('he_uniform and lecun_uniform: U(±√(6/in)) and U(±√(3/in))', () => {
    expectUniform(init('he_uniform', [250, 400]), Math.sqrt(6 / 250));
    expectUniform(init('lecun_uniform', [250, 400]), Math.sqrt(3 / 250));
  });

  it('glorot_normal, he_normal, lecun_normal: truncated normals with σ = √(scale/fan) after the 0.8796 correction', () => {
    expectTruncated(init('glorot_normal', [300, 500]), Math.sqrt(2 / 800));
    expectTruncated(init('he_normal', [250, 400]), Math.sqrt(2 / 250));
    expectTruncated(init('LecunNormal', [250, 400]), Math.sqrt(1 / 250));
  });

  it('defaults to scale 1, fan_in, truncated normal', () => {
    expectTruncated(init('variance_scaling', [400, 250]), Math.sqrt(1 / 400));
  });

  it('honours scale, mode and distribution', () => {
    const vs = (config: Record<string, unknown>, shape: number[]) => init({ class_name: 'VarianceScaling', config }, shape);
    expectUniform(vs({ scale: 3, mode: 'fan_out', distribution: 'uniform' }, [100, 1000]), Math.sqrt((3 * 3) / 1000));
    expectNormal(vs({ scale: 2, mode: 'fan_avg', distribution: 'untruncated_normal' }, [200, 600]), Math.sqrt(2 / 400));
    // Keras 2 wrote 'normal' (and Keras reads it case-insensitively) for the truncated normal.
    expectTruncated(vs({ scale: 2, mode: 'fan_in', distribution: 'normal', seed: null }, [200, 600]), Math.sqrt(2 / 200));
    expectTruncated(vs({ distribution: 'Truncated_Normal' }, [200, 600]), Math.sqrt(1 / 200));
    // Convolution kernel: fan_in = 3·3·16.
    expectTruncated(init('he_normal', [3, 3, 16, 2000]), Math.sqrt(2 / 144));
    // An empty weight draws nothing.
    expect(init('he_uniform', [0, 5]).data.length).toBe(0);
  });

  it('rank 0 and rank 1 shapes', () => {
    expect(Math.abs(init('glorot_uniform', []).data[0]!)).toBeLessThanOrEqual(Math.sqrt(3));
    expectUniform(init('lecun_uniform', [100_000]), Math.sqrt(3 / 100_000));
  });
});

describe('Orthogonal', () => {
  /** Gram matrix of the columns (`cols`) or of the rows. */
  function gram(t: Tensor, of: 'cols' | 'rows'): number[][] {
    const c = t.shape[t.shape.length - 1]!;
    const r = t.data.length / c;
    const [n, len, at] = of === 'cols' ? [c, r, (v: number, k: number) => k * c + v] : [r, c, (v: number, k: number) => v * c + k];
    return Array.from({ length: n }, (_, i) =>
      Array.from({ length: n }, (_, j) => {
        let s = 0;
        for (let k = 0; k < len; k++) s += t.data[at(i, k)]! * t.data[at(j, k)]!;
        return s;
      }),
    );
  }

  function expectOrthonormal(t: Tensor, of: 'cols' | 'rows', gain = 1) {
    const g = gram(t, of);
    let worst = 0;
    g.forEach((row, i) => row.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - (i === j ? gain * gain : 0))))));
    expect(worst).toBeLessThan(1e-10);
  }

  it('QᵀQ = I for square and tall kernels, QQᵀ = I for wide ones (float64)', () => {
    expectOrthonormal(init('orthogonal', [16, 16]), 'cols');
    expectOrthonormal(init('orthogonal', [20, 7]), 'cols');
    expectOrthonormal(init('Orthogonal', [5, 12]), 'rows');
    // rows = ∏ shape[:-1]: a (2, 3, 8) kernel is 6×8, so wide.
    expectOrthonormal(init('OrthogonalInitializer', [2, 3, 8]), 'rows');
    expectOrthonormal(init({ class_name: 'Orthogonal', config: { gain: 1.5 } }, [9, 4]), 'cols', 1.5);
    expectOrthonormal(init('orthogonal', [300, 40]), 'cols');
  });

  it("is the Q of QR(A) with diag(R) > 0, A the max×min normal matrix drawn first (Keras's sign fix)", () => {
    for (const [rows, cols] of [[6, 4], [4, 6], [5, 5]] as const) {
      const w = init('orthogonal', [rows, cols], 77);
      const m = Math.max(rows, cols);
      const n = Math.min(rows, cols);
      const rng = createRng(77);
      const a = Float64Array.from({ length: m * n }, () => rng.normal());
      // q (m×n) is w, or wᵀ when the kernel is wide.
      const q = (i: number, j: number) => (rows >= cols ? w.data[i * cols + j]! : w.data[j * cols + i]!);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let r = 0; // R = QᵀA
          for (let k = 0; k < m; k++) r += q(k, i) * a[k * n + j]!;
          if (i > j) expect(Math.abs(r)).toBeLessThan(1e-12);
          if (i === j) expect(r).toBeGreaterThan(0);
        }
      }
    }
  });

  it('orthonormalize reproduces A = QR on a fixed matrix', () => {
    const a = Float64Array.from([2, -1, 0, 1, 3, 1, -2, 0.5, 4, 1, 1, -3]); // 4×3
    const q = orthonormalize(a, 4, 3);
    // R = QᵀA, then QR must give A back.
    const r = Array.from({ length: 3 }, (_, i) => Array.from({ length: 3 }, (_, j) => [0, 1, 2, 3].reduce((s, k) => s + q[k * 3 + i]! * a[k * 3 + j]!, 0)));
    for (let i = 0; i < 4; i++) for (let j = 0; j < 3; j++) {
      const back = [0, 1, 2].reduce((s, k) => s + q[i * 3 + k]! * r[k]![j]!, 0);
      expect(Math.abs(back - a[i * 3 + j]!)).toBeLessThan(1e-14);
    }
  });

  it('refuses rank < 2', () => {
    expect(() => init('orthogonal', [5])).toThrow(/rank 2 or more, got shape \(5\) of rank 1/);
    expect(() => init('orthogonal', [])).toThrow(/rank 0/);
  });
});

describe('seeds, order and dtype', () => {
  const NAMES = ['uniform', 'normal', 'truncated_normal', 'glorot_uniform', 'glorot_normal', 'he_uniform', 'he_normal', 'lecun_uniform', 'lecun_normal', 'orthogonal', 'variance_scaling'];

  it('same seed → identical tensors; different seed → different', () => {
    for (const name of NAMES) {
      const a = init(name, [6, 5], 3, 'float32');
      expect(init(name, [6, 5], 3, 'float32'), name).toEqual(a);
      expect(Array.from(init(name, [6, 5], 4, 'float32').data), name).not.toEqual(Array.from(a.data));
    }
  });

  it('draws from the shared generator in turn, so two weights differ', () => {
    const rng = createRng(5);
    const a = initialize('glorot_uniform', [3, 3], rng, 'float64');
    const b = initialize('glorot_uniform', [3, 3], rng, 'float64');
    expect(Array.from(a.data)).not.toEqual(Array.from(b.data));
  });

  it("a config seed gives the initializer its own generator (Keras 3's seeded initializers)", () => {
    const seeded = { class_name: 'RandomNormal', config: { seed: 12 } };
    expect(initialize(seeded, [4], createRng(1), 'float64')).toEqual(initialize(seeded, [4], createRng(2), 'float64'));
    expect(initialize(seeded, [4], createRng(1), 'float64')).toEqual(initialize('normal', [4], createRng(12), 'float64'));
  });

  it('draws in row-major order, computing in float64 and rounding once', () => {
    const rng = createRng(9);
    const expected = Array.from({ length: 6 }, () => -0.05 + 0.1 * rng.next());
    const t64 = init('uniform', [2, 3], 9);
    expect(t64.shape).toEqual([2, 3]);
    expect(t64.data).toBeInstanceOf(Float64Array);
    Array.from(t64.data).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 16));
    const t32 = init('uniform', [2, 3], 9, 'float32');
    expect(t32.data).toBeInstanceOf(Float32Array);
    expect(Array.from(t32.data)).toEqual(Array.from(t64.data, Math.fround));
  });
});

describe('configs', () => {
  it('resolves every Keras spelling and fills the defaults', () => {
    expect(resolveInitializer('glorot_uniform')).toEqual({ className: 'GlorotUniform', config: {}, seed: null });
    expect(resolveInitializer('GlorotUniform').className).toBe('GlorotUniform');
    expect(resolveInitializer('uniform')).toEqual({ className: 'RandomUniform', config: { minval: -0.05, maxval: 0.05 }, seed: null });
    expect(resolveInitializer({ class_name: 'VarianceScaling' }).config).toEqual({ scale: 1, mode: 'fan_in', distribution: 'truncated_normal' });
    expect(resolveInitializer({ class_name: 'VarianceScaling', config: { distribution: 'normal' } }).config['distribution']).toBe('truncated_normal');
    expect(resolveInitializer({ class_name: 'Orthogonal', config: { gain: 2, seed: 4 } })).toEqual({ className: 'Orthogonal', config: { gain: 2 }, seed: 4 });
    // Keras 3 writes module and registered_name next to class_name; older files put dtype in the config.
    expect(resolveInitializer({ module: 'keras.initializers', class_name: 'Zeros', config: { dtype: 'float32' }, registered_name: null }).className).toBe('Zeros');
  });

  it('refuses bad configs, saying which field, what was found and what was expected', () => {
    expect(() => resolveInitializer('glorot')).toThrow(/unknown initializer "glorot"/);
    expect(() => resolveInitializer(42)).toThrow(/unknown initializer 42/);
    expect(() => resolveInitializer({ class_name: 'VarianceScaling', config: { mode: 'fan' } })).toThrow(/'VarianceScaling': 'mode' must be one of 'fan_in', 'fan_out', 'fan_avg', got "fan"/);
    expect(() => resolveInitializer({ class_name: 'VarianceScaling', config: { scale: 0 } })).toThrow(/'scale' must be a positive number, got 0/);
    expect(() => resolveInitializer({ class_name: 'VarianceScaling', config: { distribution: 'cauchy' } })).toThrow(/'distribution' must be one of/);
    expect(() => resolveInitializer({ class_name: 'RandomNormal', config: { stdev: 1 } })).toThrow(/'RandomNormal' has no argument 'stdev'; its arguments are 'mean', 'stddev', 'seed'/);
    expect(() => resolveInitializer({ class_name: 'Zeros', config: { seed: 1 } })).toThrow(/'Zeros' has no argument 'seed'; it takes no arguments/);
    expect(() => resolveInitializer({ class_name: 'RandomUniform', config: { minval: 'a' } })).toThrow(/'minval' must be a finite number, got "a"/);
    expect(() => resolveInitializer({ class_name: 'RandomUniform', config: { seed: 1.5 } })).toThrow(/'seed' must be an integer or null/);
    expect(() => resolveInitializer({ class_name: 'Ones', config: [] })).toThrow(/'config' must be a mapping/);
  });
});
