/**
 * Matrix kernels for matmul and its two backward products, on row-major arrays. Each works on
 * 4×4 tiles of the output held in local variables (JavaScript numbers, so the sums are in
 * double precision) and reads both operands along contiguous rows where it can: register
 * tiling is what speeds up matrix products in JavaScript (reference/executor.md), and the
 * backward products get their own loop orders instead of transposing an operand.
 */
import type { Float } from './tensor.js';

/** C[m×n] = A[m×k] · B[k×n]. */
export function gemmNN(A: Float, B: Float, C: Float, m: number, k: number, n: number): void {
  const m4 = m - (m % 4);
  const n4 = n - (n % 4);
  for (let i = 0; i < m4; i += 4) {
    const a0 = i * k;
    const a1 = a0 + k;
    const a2 = a1 + k;
    const a3 = a2 + k;
    for (let j = 0; j < n4; j += 4) {
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let p = 0, bp = j; p < k; p++, bp += n) {
        const b0 = B[bp]!, b1 = B[bp + 1]!, b2 = B[bp + 2]!, b3 = B[bp + 3]!;
        const x0 = A[a0 + p]!, x1 = A[a1 + p]!, x2 = A[a2 + p]!, x3 = A[a3 + p]!;
        c00 += x0 * b0; c01 += x0 * b1; c02 += x0 * b2; c03 += x0 * b3;
        c10 += x1 * b0; c11 += x1 * b1; c12 += x1 * b2; c13 += x1 * b3;
        c20 += x2 * b0; c21 += x2 * b1; c22 += x2 * b2; c23 += x2 * b3;
        c30 += x3 * b0; c31 += x3 * b1; c32 += x3 * b2; c33 += x3 * b3;
      }
      let c = i * n + j;
      C[c] = c00; C[c + 1] = c01; C[c + 2] = c02; C[c + 3] = c03; c += n;
      C[c] = c10; C[c + 1] = c11; C[c + 2] = c12; C[c + 3] = c13; c += n;
      C[c] = c20; C[c + 1] = c21; C[c + 2] = c22; C[c + 3] = c23; c += n;
      C[c] = c30; C[c + 1] = c31; C[c + 2] = c32; C[c + 3] = c33;
    }
    for (let r = i; r < i + 4; r++) for (let j = n4; j < n; j++) C[r * n + j] = dotNN(A, B, r * k, j, k, n);
  }
  for (let r = m4; r < m; r++) for (let j = 0; j < n; j++) C[r * n + j] = dotNN(A, B, r * k, j, k, n);
}

function dotNN(A: Float, B: Float, a: number, j: number, k: number, n: number): number {
  let s = 0;
  for (let p = 0; p < k; p++) s += A[a + p]! * B[p * n + j]!;
  return s;
}

/** C[m×k] = G[m×n] · Bᵀ where B is [k×n]: rows of G against rows of B. */
export function gemmNT(G: Float, B: Float, C: Float, m: number, n: number, k: number): void {
  const m4 = m - (m % 4);
  const k4 = k - (k % 4);
  for (let i = 0; i < m4; i += 4) {
    const g0 = i * n;
    const g1 = g0 + n;
    const g2 = g1 + n;
    const g3 = g2 + n;
    for (let p = 0; p < k4; p += 4) {
      const b0 = p * n;
      const b1 = b0 + n;
      const b2 = b1 + n;
      const b3 = b2 + n;
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let j = 0; j < n; j++) {
        const x0 = G[g0 + j]!, x1 = G[g1 + j]!, x2 = G[g2 + j]!, x3 = G[g3 + j]!;
        const w0 = B[b0 + j]!, w1 = B[b1 + j]!, w2 = B[b2 + j]!, w3 = B[b3 + j]!;
        c00 += x0 * w0; c01 += x0 * w1; c02 += x0 * w2; c03 += x0 * w3;
        c10 += x1 * w0; c11 += x1 * w1; c12 += x1 * w2; c13 += x1 * w3;
        c20 += x2 * w0; c21 += x2 * w1; c22 += x2 * w2; c23 += x2 * w3;
        c30 += x3 * w0; c31 += x3 * w1; c32 += x3 * w2; c33 += x3 * w3;
      }
      let c = i * k + p;
      C[c] = c00; C[c + 1] = c01; C[c + 2] = c02; C[c + 3] = c03; c += k;
      C[c] = c10; C[c + 1] = c11; C[c + 2] = c12; C[c + 3] = c13; c += k;
      C[c] = c20; C[c + 1] = c21; C[c + 2] = c22; C[c + 3] = c23; c += k;
      C[c] = c30; C[c + 1] = c31; C[c + 2] = c32; C[c + 3] = c33;
    }
    for (let r = i; r < i + 4; r++) for (let p = k4; p < k; p++) C[r * k + p] = dotNT(G, B, r * n, p * n, n);
  }
  for (let r = m4; r < m; r++) for (let p = 0; p < k; p++) C[r * k + p] = dotNT(G, B, r * n, p * n, n);
}

function dotNT(G: Float, B: Float, g: number, b: number, n: number): number {
  let s = 0;
  for (let j = 0; j < n; j++) s += G[g + j]! * B[b + j]!;
  return s;
}

/** C[k×n] = Aᵀ · G where A is [m×k] and G is [m×n]: sums over the rows of both. */
export function gemmTN(A: Float, G: Float, C: Float, m: number, k: number, n: number): void {
  const k4 = k - (k % 4);
  const n4 = n - (n % 4);
  for (let p = 0; p < k4; p += 4) {
    for (let j = 0; j < n4; j += 4) {
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let i = 0, a = p, g = j; i < m; i++, a += k, g += n) {
        const x0 = A[a]!, x1 = A[a + 1]!, x2 = A[a + 2]!, x3 = A[a + 3]!;
        const y0 = G[g]!, y1 = G[g + 1]!, y2 = G[g + 2]!, y3 = G[g + 3]!;
        c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
        c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
        c20 += x2 * y0; c21 += x2 * y1; c22 += x2 * y2; c23 += x2 * y3;
        c30 += x3 * y0; c31 += x3 * y1; c32 += x3 * y2; c33 += x3 * y3;
      }
      let c = p * n + j;
      C[c] = c00; C[c + 1] = c01; C[c + 2] = c02; C[c + 3] = c03; c += n;
      C[c] = c10; C[c + 1] = c11; C[c + 2] = c12; C[c + 3] = c13; c += n;
      C[c] = c20; C[c + 1] = c21; C[c + 2] = c22; C[c + 3] = c23; c += n;
      C[c] = c30; C[c + 1] = c31; C[c + 2] = c32; C[c + 3] = c33;
    }
    for (let q = p; q < p + 4; q++) for (let j = n4; j < n; j++) C[q * n + j] = dotTN(A, G, q, j, m, k, n);
  }
  for (let q = k4; q < k; q++) for (let j = 0; j < n; j++) C[q * n + j] = dotTN(A, G, q, j, m, k, n);
}

function dotTN(A: Float, G: Float, q: number, j: number, m: number, k: number, n: number): number {
  let s = 0;
  for (let i = 0; i < m; i++) s += A[i * k + q]! * G[i * n + j]!;
  return s;
}
