/**
 * Shapes and their Keras text forms. A shape includes the batch axis; `null` is an unknown
 * dimension (Python `None`).
 */
export type Dim = number | null;
export type Shape = readonly Dim[];

/** Python tuple repr as Keras prints it: `(None, 4)`, rank 1 keeps the comma `(None,)`. */
export function formatShape(shape: Shape): string {
  const dims = shape.map((d) => (d === null ? 'None' : String(d)));
  if (dims.length === 1) return `(${dims[0]},)`;
  return `(${dims.join(', ')})`;
}

/** Several shapes as a Python list: `[(None, 4), (None, 3)]`. */
export function formatShapeList(shapes: readonly Shape[]): string {
  return `[${shapes.map(formatShape).join(', ')}]`;
}

/** Product of the known dimensions, or `null` if any is unknown. */
export function knownProduct(dims: readonly Dim[]): number | null {
  let n = 1;
  for (const d of dims) {
    if (d === null) return null;
    n *= d;
  }
  return n;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * `1234567` → `1,234,567`, as Python's `f"{n:,}"`. Not `toLocaleString`: its first call loads
 * ICU locale data, a quarter of a small one-shot render.
 */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
