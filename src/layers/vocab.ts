/**
 * The Keras vocabularies that configs refer to by string: activations, initializers,
 * regularizers, constraints and dtypes (reference/keras.md §3-§4).
 */

/** Keras 3 activation names (`keras/src/activations/__init__.py`) plus Keras 2's aliases. */
export const ACTIVATIONS = [
  'celu', 'elu', 'exponential', 'gelu', 'glu', 'hard_shrink', 'hard_sigmoid', 'hard_silu',
  'hard_swish', 'hard_tanh', 'leaky_relu', 'linear', 'log_sigmoid', 'log_softmax', 'mish',
  'relu', 'relu6', 'selu', 'sigmoid', 'silu', 'soft_shrink', 'softmax', 'softplus', 'softsign',
  'sparse_plus', 'sparse_sigmoid', 'sparsemax', 'squareplus', 'swish', 'tanh', 'tanh_shrink',
] as const;
export type ActivationName = (typeof ACTIVATIONS)[number];

/**
 * Initializer identifiers Keras accepts as strings, mapped to their class names
 * (reference/keras.md §4.1: class names, their snake_case, and the short aliases).
 */
export const INITIALIZER_CLASSES = [
  'Constant', 'GlorotNormal', 'GlorotUniform', 'HeNormal', 'HeUniform', 'Identity',
  'LecunNormal', 'LecunUniform', 'Ones', 'Orthogonal', 'RandomNormal', 'RandomUniform',
  'TruncatedNormal', 'VarianceScaling', 'Zeros',
] as const;
export type InitializerClass = (typeof INITIALIZER_CLASSES)[number];

const INITIALIZER_ALIASES: Readonly<Record<string, InitializerClass>> = {
  normal: 'RandomNormal',
  uniform: 'RandomUniform',
  one: 'Ones',
  zero: 'Zeros',
  IdentityInitializer: 'Identity',
  OrthogonalInitializer: 'Orthogonal',
};

/** `GlorotUniform` → `glorot_uniform` (Keras's snake_case rule). */
export function toSnakeCase(name: string): string {
  return name
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

const INITIALIZER_LOOKUP: ReadonlyMap<string, InitializerClass> = new Map<string, InitializerClass>([
  ...INITIALIZER_CLASSES.map((c) => [c, c] as const),
  ...INITIALIZER_CLASSES.map((c) => [toSnakeCase(c), c] as const),
  ...Object.entries(INITIALIZER_ALIASES),
]);

/** Every string Keras accepts as an initializer identifier. */
export const INITIALIZER_NAMES: readonly string[] = [...INITIALIZER_LOOKUP.keys()].sort();

export function initializerClass(name: string): InitializerClass | undefined {
  return INITIALIZER_LOOKUP.get(name);
}

/** Regularizers: `l1`, `l2`, `l1_l2`, `orthogonal_regularizer` and their class names. */
const REGULARIZER_LOOKUP: ReadonlyMap<string, string> = new Map([
  ['l1', 'L1'], ['L1', 'L1'], ['l2', 'L2'], ['L2', 'L2'], ['l1_l2', 'L1L2'], ['L1L2', 'L1L2'],
  ['orthogonal_regularizer', 'OrthogonalRegularizer'], ['OrthogonalRegularizer', 'OrthogonalRegularizer'],
]);
export const REGULARIZER_NAMES: readonly string[] = [...REGULARIZER_LOOKUP.keys()];
export function regularizerClass(name: string): string | undefined {
  return REGULARIZER_LOOKUP.get(name);
}

/** Constraints: class names, snake_case and Keras's lowercase aliases. */
const CONSTRAINT_LOOKUP: ReadonlyMap<string, string> = new Map([
  ['MaxNorm', 'MaxNorm'], ['max_norm', 'MaxNorm'], ['maxnorm', 'MaxNorm'],
  ['MinMaxNorm', 'MinMaxNorm'], ['min_max_norm', 'MinMaxNorm'], ['minmaxnorm', 'MinMaxNorm'],
  ['NonNeg', 'NonNeg'], ['non_neg', 'NonNeg'], ['nonneg', 'NonNeg'],
  ['UnitNorm', 'UnitNorm'], ['unit_norm', 'UnitNorm'], ['unitnorm', 'UnitNorm'],
]);
export const CONSTRAINT_NAMES: readonly string[] = [...CONSTRAINT_LOOKUP.keys()];
export function constraintClass(name: string): string | undefined {
  return CONSTRAINT_LOOKUP.get(name);
}

export const DTYPES = ['float16', 'bfloat16', 'float32', 'float64', 'int32', 'int64'] as const;
/** Mixed-precision policies: variables in float32, computation in the half type. */
export const DTYPE_POLICIES: Readonly<Record<string, (typeof DTYPES)[number]>> = {
  mixed_float16: 'float16',
  mixed_bfloat16: 'bfloat16',
};

/** Bytes per element, for the summary's memory figures. */
export const DTYPE_BYTES: Readonly<Record<(typeof DTYPES)[number], number>> = {
  float16: 2, bfloat16: 2, float32: 4, float64: 8, int32: 4, int64: 8,
};
