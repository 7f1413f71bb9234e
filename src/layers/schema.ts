/**
 * Layer configs are written once, as a schema; the TypeScript type, the defaults, the
 * validation and its error texts, the JSON Schema of the spec format and the argument tables
 * in the docs are all derived from it (STYLE.md rule 3).
 */
import type { Dim } from '../ir/shape.js';
import { resolveInitializer } from '../exec/initializers.js';
import { didYouMean } from '../ir/suggest.js';
import {
  ACTIVATIONS, CONSTRAINT_NAMES, DTYPES, DTYPE_POLICIES, INITIALIZER_NAMES, REGULARIZER_NAMES,
  constraintClass, initializerClass, regularizerClass,
} from './vocab.js';

interface FieldBase {
  /** One line for the docs and the JSON Schema. */
  readonly doc: string;
  readonly required?: boolean;
  readonly nullable?: boolean;
  readonly default?: unknown;
  /** Accepted for compatibility with older Keras; see the docs for what it maps to. */
  readonly legacy?: boolean;
}

export type FieldSpec = FieldBase &
  (
    | { readonly type: 'int'; readonly min?: number }
    | { readonly type: 'float'; readonly min?: number; readonly max?: number }
    | { readonly type: 'bool' }
    | { readonly type: 'string' }
    | { readonly type: 'enum'; readonly values: readonly string[] }
    | { readonly type: 'activation' }
    | { readonly type: 'initializer' }
    | { readonly type: 'regularizer' }
    | { readonly type: 'constraint' }
    | { readonly type: 'dims' }
    /** One axis or several, e.g. LayerNormalization's `axis`: `-1` or `[1, 2]` (no repeats). */
    | { readonly type: 'intOrIntList' }
    /** Reshape's `target_shape`: positive sizes, at most one of them `-1` (inferred). */
    | { readonly type: 'targetShape' }
    /** Permute's `dims`: the numbers 1…n in some order (the batch axis is not counted). */
    | { readonly type: 'permutation' }
    | { readonly type: 'dtype' }
    | { readonly type: 'any' }
  );

export type Schema = Readonly<Record<string, FieldSpec>>;

/** A Keras identifier object: `{class_name: 'RandomUniform', config: {minval: -0.1}}`. */
export interface KerasObject {
  readonly class_name: string;
  readonly config: Readonly<Record<string, unknown>>;
}

type TsOf<F> = F extends { type: 'int' | 'float' }
  ? number
  : F extends { type: 'bool' }
    ? boolean
    : F extends { type: 'enum'; values: readonly (infer V)[] }
      ? V
      : F extends { type: 'string' | 'activation' | 'dtype' }
        ? string
        : F extends { type: 'initializer' | 'regularizer' | 'constraint' }
          ? string | KerasObject
          : F extends { type: 'dims' }
            ? readonly Dim[]
            : F extends { type: 'intOrIntList' }
              ? number | readonly number[]
              : F extends { type: 'targetShape' | 'permutation' }
                ? readonly number[]
                : unknown;

type Resolved<F> = F extends { nullable: true }
  ? TsOf<F> | null
  : F extends { required: true }
    ? TsOf<F>
    : F extends { default: unknown }
      ? TsOf<F>
      : TsOf<F> | undefined;

/** The validated config of a layer: every argument present, defaults applied. */
export type ConfigOf<S extends Schema> = { readonly [K in keyof S]: Resolved<S[K]> };

type CamelCase<S extends string> = S extends `${infer H}_${infer T}` ? `${H}${Capitalize<CamelCase<T>>}` : S;
/** The builder API's options: the same arguments, camelCase, all optional. */
export type BuilderOptions<S extends Schema> = {
  readonly [K in keyof S as CamelCase<K & string>]?: TsOf<S[K]> | (S[K] extends { nullable: true } ? null : never);
};

const DTYPE_ALIASES: Readonly<Record<string, string>> = { float: 'float32', double: 'float64', half: 'float16' };

export type ValueCheck = { ok: true; value: unknown } | { ok: false; message: string; hint?: string };

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `a list (${JSON.stringify(value)})`;
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `'${value}'`;
  return `${typeof value} ${String(value)}`;
}

function checkKerasObject(
  value: unknown,
  what: string,
  lookup: (n: string) => string | undefined,
  names: readonly string[],
): ValueCheck {
  if (typeof value === 'string') {
    const cls = lookup(value);
    if (cls) return { ok: true, value };
    return {
      ok: false,
      message: `unknown ${what} '${value}'.${didYouMean(value, names)}`,
      hint: `valid ${what}s: ${names.join(', ')}`,
    };
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    if (typeof o['class_name'] !== 'string') {
      return { ok: false, message: `a ${what} given as a mapping needs a 'class_name' string, got ${describe(value)}` };
    }
    const cls = lookup(o['class_name']);
    if (!cls) {
      return {
        ok: false,
        message: `unknown ${what} class '${o['class_name']}'.${didYouMean(o['class_name'], names)}`,
        hint: `valid ${what}s: ${names.join(', ')}`,
      };
    }
    const config = o['config'] ?? {};
    if (typeof config !== 'object' || config === null || Array.isArray(config)) {
      return { ok: false, message: `the 'config' of a ${what} must be a mapping, got ${describe(config)}` };
    }
    return { ok: true, value: { class_name: o['class_name'], config } };
  }
  return { ok: false, message: `expected a ${what} name or {class_name, config}, got ${describe(value)}` };
}

/** Checks one value against its field type; normalises where Keras does (None activation → linear). */
export function checkValue(field: FieldSpec, value: unknown): ValueCheck {
  if (value === null || value === undefined) {
    if (field.type === 'activation') return { ok: true, value: 'linear' };
    if (field.nullable || !field.required) return { ok: true, value: value === undefined ? field.default ?? null : null };
    return { ok: false, message: 'a value is required here, got null' };
  }
  switch (field.type) {
    case 'int':
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        return { ok: false, message: `expected ${field.min === 1 ? 'a positive integer' : 'an integer'}, got ${describe(value)}` };
      }
      if (field.min !== undefined && value < field.min) {
        return { ok: false, message: `expected ${field.min === 1 ? 'a positive integer' : `an integer >= ${field.min}`}, got ${value}` };
      }
      return { ok: true, value };
    case 'float':
      if (typeof value !== 'number' || !Number.isFinite(value)) return { ok: false, message: `expected a number, got ${describe(value)}` };
      if ((field.min !== undefined && value < field.min) || (field.max !== undefined && value > field.max)) {
        return { ok: false, message: `expected a number between ${field.min ?? '-inf'} and ${field.max ?? 'inf'}, got ${value}` };
      }
      return { ok: true, value };
    case 'bool':
      return typeof value === 'boolean' ? { ok: true, value } : { ok: false, message: `expected true or false, got ${describe(value)}` };
    case 'string':
      return typeof value === 'string' ? { ok: true, value } : { ok: false, message: `expected a string, got ${describe(value)}` };
    case 'enum':
      if (typeof value === 'string' && field.values.includes(value)) return { ok: true, value };
      return {
        ok: false,
        message: `expected one of ${field.values.map((v) => `'${v}'`).join(', ')}, got ${describe(value)}.${typeof value === 'string' ? didYouMean(value, field.values) : ''}`,
      };
    case 'activation':
      if (typeof value !== 'string') return { ok: false, message: `expected an activation name, got ${describe(value)}` };
      if ((ACTIVATIONS as readonly string[]).includes(value)) return { ok: true, value };
      return {
        ok: false,
        message: `unknown activation '${value}'.${didYouMean(value, ACTIVATIONS)}`,
        hint: `valid activations: ${ACTIVATIONS.join(', ')}`,
      };
    case 'initializer': {
      const checked = checkKerasObject(value, 'initializer', initializerClass, INITIALIZER_NAMES);
      if (!checked.ok) return checked;
      // The initializer's own arguments (gain, stddev, mode, …) are checked where they are
      // defined, so a bad one is reported here and not when the model first runs.
      try {
        resolveInitializer(checked.value);
      } catch (e) {
        return { ok: false, message: (e as Error).message };
      }
      return checked;
    }
    case 'regularizer':
      return checkKerasObject(value, 'regularizer', regularizerClass, REGULARIZER_NAMES);
    case 'constraint':
      return checkKerasObject(value, 'constraint', constraintClass, CONSTRAINT_NAMES);
    case 'dims':
      if (typeof value === 'number' && Number.isInteger(value) && value > 0) return { ok: true, value: [value] };
      if (!Array.isArray(value) || !value.every((d) => d === null || (typeof d === 'number' && Number.isInteger(d) && d > 0))) {
        return { ok: false, message: `expected a list of positive integers or null (unknown), got ${describe(value)}` };
      }
      return { ok: true, value: [...value] };
    case 'intOrIntList':
      if (typeof value === 'number' && Number.isInteger(value)) return { ok: true, value };
      if (!Array.isArray(value) || value.length === 0 || !value.every((d) => typeof d === 'number' && Number.isInteger(d))) {
        return { ok: false, message: `expected an integer or a non-empty list of integers, got ${describe(value)}` };
      }
      if (new Set(value).size !== value.length) return { ok: false, message: `the list ${JSON.stringify(value)} names an axis twice` };
      return { ok: true, value: [...value] };
    case 'targetShape': {
      if (!Array.isArray(value) || !value.every((d) => typeof d === 'number' && Number.isInteger(d) && (d > 0 || d === -1))) {
        return { ok: false, message: `expected a list of positive integers, one of which may be -1, got ${describe(value)}` };
      }
      if (value.filter((d) => d === -1).length > 1) {
        return {
          ok: false,
          message: `at most one dimension may be -1 (inferred), got ${JSON.stringify(value)}`,
          hint: 'give every dimension but one explicitly',
        };
      }
      return { ok: true, value: [...value] };
    }
    case 'permutation': {
      const sorted = Array.isArray(value) && value.every((d) => typeof d === 'number' && Number.isInteger(d))
        ? [...(value as number[])].sort((a, b) => a - b)
        : null;
      if (!sorted || sorted.length === 0 || !sorted.every((d, i) => d === i + 1)) {
        return {
          ok: false,
          message: `expected a permutation of 1…n (the axes after the batch axis, counted from 1), got ${describe(value)}`,
          hint: 'e.g. [2, 1] swaps the two axes of a (batch, 10, 64) input',
        };
      }
      return { ok: true, value: [...(value as number[])] };
    }
    case 'dtype': {
      const name = typeof value === 'object' && value !== null && 'config' in value
        ? ((value as { config?: { name?: unknown } }).config?.name as unknown)
        : value;
      if (typeof name === 'string' && ((DTYPES as readonly string[]).includes(name) || name in DTYPE_POLICIES)) {
        return { ok: true, value: name };
      }
      // Older Keras files spell dtypes as NumPy/TensorFlow aliases (x2: "float").
      if (typeof name === 'string' && name in DTYPE_ALIASES) return { ok: true, value: DTYPE_ALIASES[name] };
      const all = [...DTYPES, ...Object.keys(DTYPE_POLICIES)];
      return {
        ok: false,
        message: `unknown dtype ${describe(name)}.${typeof name === 'string' ? didYouMean(name, all) : ''}`,
        hint: `valid dtypes: ${all.join(', ')}`,
      };
    }
    case 'any':
      return { ok: true, value };
  }
}

export interface ConfigIssue {
  /** The argument the issue is about, if any. */
  readonly arg?: string;
  readonly code: string;
  readonly message: string;
  readonly hint?: string;
}

/**
 * Validates raw Keras arguments against a schema: unknown names, missing required ones,
 * wrong values. Returns the config with every argument present and defaults applied.
 */
export function validateConfig(
  className: string,
  schema: Schema,
  raw: Readonly<Record<string, unknown>>,
): { config: Record<string, unknown>; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const config: Record<string, unknown> = {};
  const names = Object.keys(schema);
  for (const key of Object.keys(raw)) {
    if (!(key in schema)) {
      issues.push({
        arg: key,
        code: 'unknown-argument',
        message: `${className} has no argument '${key}'.${didYouMean(key, names)}`,
        hint: `valid arguments of ${className}: ${names.join(', ')}`,
      });
    }
  }
  for (const [key, field] of Object.entries(schema)) {
    const given = Object.prototype.hasOwnProperty.call(raw, key);
    if (!given) {
      if (field.required) {
        issues.push({ arg: key, code: 'missing-argument', message: `${className} needs the argument '${key}' (${field.doc})` });
        continue;
      }
      const d = checkValue(field, field.default);
      config[key] = d.ok ? d.value : field.default;
      continue;
    }
    const checked = checkValue(field, raw[key]);
    if (checked.ok) config[key] = checked.value;
    else {
      issues.push({
        arg: key,
        code: `invalid-${field.type === 'activation' || field.type === 'initializer' || field.type === 'dtype' ? field.type : 'argument'}`,
        message: `${className} argument '${key}': ${checked.message}`,
        ...(checked.hint ? { hint: checked.hint } : {}),
      });
    }
  }
  return { config, issues };
}

const KERAS_OBJECT_SCHEMA = {
  type: 'object',
  required: ['class_name'],
  properties: { class_name: { type: 'string' }, config: { type: 'object' } },
} as const;

/** The JSON Schema (draft 2020-12) fragment of one argument. */
export function fieldJsonSchema(field: FieldSpec): Record<string, unknown> {
  let s: Record<string, unknown>;
  switch (field.type) {
    case 'int':
      s = { type: 'integer', ...(field.min !== undefined ? { minimum: field.min } : {}) };
      break;
    case 'float':
      s = { type: 'number', ...(field.min !== undefined ? { minimum: field.min } : {}), ...(field.max !== undefined ? { maximum: field.max } : {}) };
      break;
    case 'bool':
      s = { type: 'boolean' };
      break;
    case 'string':
      s = { type: 'string' };
      break;
    case 'enum':
      s = { enum: [...field.values] };
      break;
    case 'activation':
      s = { enum: [...ACTIVATIONS] };
      break;
    case 'initializer':
      s = { anyOf: [{ enum: [...INITIALIZER_NAMES] }, KERAS_OBJECT_SCHEMA] };
      break;
    case 'regularizer':
      s = { anyOf: [{ enum: [...REGULARIZER_NAMES] }, KERAS_OBJECT_SCHEMA] };
      break;
    case 'constraint':
      s = { anyOf: [{ enum: [...CONSTRAINT_NAMES] }, KERAS_OBJECT_SCHEMA] };
      break;
    case 'dims':
      s = {
        anyOf: [
          { type: 'integer', minimum: 1 },
          { type: 'array', items: { anyOf: [{ type: 'integer', minimum: 1 }, { type: 'null' }] } },
        ],
      };
      break;
    case 'intOrIntList':
      s = { anyOf: [{ type: 'integer' }, { type: 'array', items: { type: 'integer' }, minItems: 1, uniqueItems: true }] };
      break;
    case 'targetShape':
      s = { type: 'array', items: { anyOf: [{ type: 'integer', minimum: 1 }, { const: -1 }] } };
      break;
    case 'permutation':
      s = { type: 'array', items: { type: 'integer', minimum: 1 }, minItems: 1, uniqueItems: true };
      break;
    case 'dtype':
      s = { anyOf: [{ enum: [...DTYPES, ...Object.keys(DTYPE_POLICIES)] }, KERAS_OBJECT_SCHEMA] };
      break;
    case 'any':
      s = {};
      break;
  }
  if (field.nullable || field.type === 'activation') s = { anyOf: [s, { type: 'null' }] };
  return { description: field.doc, ...s, ...(field.default !== undefined ? { default: field.default } : {}) };
}

/** How an argument's type reads in the docs. */
export function fieldTypeText(field: FieldSpec): string {
  const base: Record<FieldSpec['type'], string> = {
    int: field.type === 'int' && field.min === 1 ? 'positive integer' : 'integer',
    float: 'number',
    bool: 'boolean',
    string: 'string',
    enum: field.type === 'enum' ? field.values.map((v) => `\`${v}\``).join(' \\| ') : '',
    activation: 'activation name',
    initializer: 'initializer',
    regularizer: 'regularizer',
    constraint: 'constraint',
    dims: 'list of dims',
    intOrIntList: 'integer or list of integers',
    targetShape: 'list of dims (one may be -1)',
    permutation: 'permutation of 1…n',
    dtype: 'dtype',
    any: 'any',
  };
  return base[field.type] + (field.nullable ? ' or null' : '');
}
