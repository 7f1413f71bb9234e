/**
 * Tensors of the reference executor: a shape and a row-major Float32Array or Float64Array.
 * Plain data; the operations live in ops.ts.
 */
export type ExecDType = 'float32' | 'float64';
export type Float = Float32Array | Float64Array;

export interface Tensor {
  readonly shape: readonly number[];
  readonly data: Float;
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function alloc(dtype: ExecDType, n: number): Float {
  return dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
}

export function dtypeOf(data: Float): ExecDType {
  return data instanceof Float64Array ? 'float64' : 'float32';
}

export function zeros(shape: readonly number[], dtype: ExecDType = 'float32'): Tensor {
  return { shape: [...shape], data: alloc(dtype, sizeOf(shape)) };
}

export function fill(shape: readonly number[], value: number, dtype: ExecDType = 'float32'): Tensor {
  const t = zeros(shape, dtype);
  t.data.fill(value);
  return t;
}

/** A tensor from nested arrays (`[[1, 2], [3, 4]]`); the shape is read from the nesting. */
export function fromNested(value: unknown, dtype: ExecDType = 'float32'): Tensor {
  const shape: number[] = [];
  let v: unknown = value;
  while (Array.isArray(v)) {
    shape.push(v.length);
    v = v[0];
  }
  const data = alloc(dtype, sizeOf(shape));
  let i = 0;
  const walk = (x: unknown, depth: number) => {
    if (depth === shape.length) {
      if (typeof x !== 'number') throw new TypeError(`expected a number, got ${JSON.stringify(x)}`);
      data[i++] = x;
      return;
    }
    if (!Array.isArray(x) || x.length !== shape[depth]) throw new TypeError(`ragged array: expected ${shape[depth]} entries at depth ${depth}`);
    for (const y of x) walk(y, depth + 1);
  };
  walk(value, 0);
  return { shape, data };
}

/** Nested arrays of a tensor, for JSON output. */
export function toNested(t: Tensor): unknown {
  if (t.shape.length === 0) return t.data[0];
  let i = 0;
  const build = (depth: number): unknown => {
    const n = t.shape[depth]!;
    const out: unknown[] = new Array(n);
    for (let k = 0; k < n; k++) out[k] = depth === t.shape.length - 1 ? t.data[i++] : build(depth + 1);
    return out;
  };
  return build(0);
}

export function cast(t: Tensor, dtype: ExecDType): Tensor {
  if (dtypeOf(t.data) === dtype) return t;
  const data = alloc(dtype, t.data.length);
  data.set(t.data);
  return { shape: t.shape, data };
}
