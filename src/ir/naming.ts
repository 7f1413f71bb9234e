import { toSnakeCase } from '../layers/vocab.js';

/**
 * Keras's automatic names: the snake_case class name, then `_1`, `_2`, … (`dense`,
 * `dense_1`), skipping names already taken. Numbering per base name stays linear in the
 * number of layers.
 */
export function createNamer(taken: Iterable<string>): (className: string) => string {
  const used = new Set(taken);
  const next = new Map<string, number>();
  return (className: string) => {
    const base = toSnakeCase(className);
    let i = next.get(base) ?? 0;
    let name = i === 0 ? base : `${base}_${i}`;
    while (used.has(name)) name = `${base}_${++i}`;
    next.set(base, i + 1);
    used.add(name);
    return name;
  };
}
