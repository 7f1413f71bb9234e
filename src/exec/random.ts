/**
 * The executor's seeded random numbers: weight initialisation, shuffling, dropout masks.
 *
 * Generator: sfc32 (Chris Doty-Humphrey's "small fast counting" generator from PractRand:
 * 128 bits of state, one of them a counter, so no seed falls into a short cycle; passes
 * PractRand and BigCrush). Its state is filled from the seed by splitmix32, so nearby seeds
 * (0, 1, 2, …) start far apart. Only 32-bit integer arithmetic (`Math.imul`, shifts, `| 0`):
 * the same seed gives the same integers on every machine and engine. `normal()` also uses
 * `Math.log`/`Math.sqrt`/`Math.cos`/`Math.sin`; V8 computes those with its own fdlibm port,
 * so under Node the normals are bit-identical everywhere too (another engine could differ in
 * the last bit).
 *
 * Keras's and tfjs's generators are different algorithms: weights drawn here do not equal
 * theirs for the same seed; compare against frameworks with explicit weights (executor.md).
 */

export interface Rng {
  /** Uniform in [0, 1), with 53 random bits (every float64 multiple of 2⁻⁵³). */
  next(): number;
  /** Standard normal (mean 0, variance 1), by the Box–Muller transform. */
  normal(): number;
  /** Uniform integer in [0, n), without modulo bias; n a positive integer up to 2⁵³. */
  int(n: number): number;
}

const TWO_32 = 4294967296;

/** splitmix32's output function: a bijective 32-bit mix. */
function mix32(z: number): number {
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) >>> 0;
}

/**
 * A generator seeded with an integer (any safe integer; negative ones too). Its two 32-bit
 * halves both enter the state, so seeds that differ only above bit 32 differ.
 */
export function createRng(seed: number): Rng {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);
  const lo = seed >>> 0;
  const hi = Math.floor(seed / TWO_32) >>> 0;
  // splitmix32: a Weyl sequence through the mixer.
  let weyl = lo;
  const split = () => mix32((weyl = (weyl + 0x9e3779b9) | 0));
  let a = split();
  let b = split();
  let c = split() ^ mix32(hi ^ 0x5bd1e995);
  let d = 1;

  /** One sfc32 step: the next uniform 32-bit integer. */
  const u32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  // Mix the seed through the state before the first output (as PractRand's seeding does).
  for (let i = 0; i < 12; i++) u32();

  const next = (): number => {
    // 27 + 26 bits: the standard 53-bit construction.
    const hi27 = u32() >>> 5;
    const lo26 = u32() >>> 6;
    return (hi27 * 67108864 + lo26) / 9007199254740992;
  };

  // Box–Muller makes normals in pairs; the second is kept for the next call.
  let spare = 0;
  let hasSpare = false;
  const normal = (): number => {
    if (hasSpare) {
      hasSpare = false;
      return spare;
    }
    const r = Math.sqrt(-2 * Math.log(1 - next())); // 1 − u ∈ (0, 1]: no log(0)
    const theta = 2 * Math.PI * next();
    spare = r * Math.sin(theta);
    hasSpare = true;
    return r * Math.cos(theta);
  };

  const int = (n: number): number => {
    if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`int(n) needs a positive integer n, got ${n}`);
    if (n <= TWO_32) {
      // Rejection from the largest multiple of n below 2³² removes the modulo bias.
      const limit = TWO_32 - (TWO_32 % n);
      let x = u32();
      while (x >= limit) x = u32();
      return x % n;
    }
    return Math.floor(next() * n);
  };

  return { next, normal, int };
}

type IndexArray = Int32Array | Uint32Array | Float32Array | Float64Array;

/** Fisher–Yates shuffle, in place (plain or typed arrays); returns the same array. */
export function shuffle<T>(rng: Rng, array: T[]): T[];
export function shuffle<A extends IndexArray>(rng: Rng, array: A): A;
export function shuffle(rng: Rng, array: { length: number; [i: number]: unknown }): unknown {
  for (let i = array.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = array[i];
    array[i] = array[j];
    array[j] = t;
  }
  return array;
}
