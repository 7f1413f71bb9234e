/**
 * The model IR: plain, serialisable, immutable data. Frontends produce it, passes map it to
 * new IR, backends read it. No class instances and no hidden state.
 */
import type { SourceLoc } from './diagnostics.js';
import type { Shape } from './shape.js';

/** A layer as declared: its Keras class, its Keras (snake_case) config, and where it came from. */
export interface LayerIR {
  /** Unique within the model once the names pass ran; may be absent before it. */
  readonly name?: string;
  /** Keras class name, e.g. `Dense`. */
  readonly className: string;
  /** Keras arguments by their Keras names (snake_case), as written. */
  readonly config: Readonly<Record<string, unknown>>;
  /**
   * Names of the layers whose outputs this layer consumes, in call order. Empty for inputs.
   * In a Sequential model as written these are filled by the names pass.
   */
  readonly inbound: readonly string[];
  /** Where the layer was declared. */
  readonly loc?: SourceLoc;
  /** Where each config argument was declared, by argument name. */
  readonly argLocs?: Readonly<Record<string, SourceLoc>>;
  /** True for the InputLayer that a Sequential model creates from `input_dim`/`input_shape`. */
  readonly implicit?: boolean;
}

export type ModelKind = 'Sequential' | 'Functional';

export interface ModelIR {
  readonly name: string;
  readonly kind: ModelKind;
  /** All layers, input layers included, in declaration order. */
  readonly layers: readonly LayerIR[];
  /** Names of the InputLayer layers, in model input order. */
  readonly inputs: readonly string[];
  /** Names of the output layers, in model output order. */
  readonly outputs: readonly string[];
  readonly loc?: SourceLoc;
}

export type DType = 'float16' | 'bfloat16' | 'float32' | 'float64' | 'int32' | 'int64';

/** One weight variable of a layer, in Keras order (trainable first). */
export interface WeightIR {
  /** Variable name as Keras names it, e.g. `kernel`, `bias`. */
  readonly name: string;
  readonly shape: readonly number[];
  readonly trainable: boolean;
  /** Initializer identifier from the config, for the executor. */
  readonly initializer?: unknown;
}

/** A layer after every pass: named, validated, with defaults, shapes and parameters. */
export interface CompiledLayer {
  readonly name: string;
  readonly className: string;
  /** The full config with Keras defaults applied; legacy input arguments removed. */
  readonly config: Readonly<Record<string, unknown>>;
  readonly inbound: readonly string[];
  readonly implicit: boolean;
  readonly inputShapes: readonly Shape[];
  /** `null` when inference could not get this far. */
  readonly outputShape: Shape | null;
  /** The dtype the layer computes in (and outputs). */
  readonly dtype: DType;
  /** The dtype its weights are stored in (`float32` under a mixed policy). */
  readonly weightDtype: DType;
  readonly weights: readonly WeightIR[];
  readonly params: number;
  readonly trainableParams: number;
  readonly nonTrainableParams: number;
  /** Activation name for layers that have one (`linear` for Dense without one). */
  readonly activation: string | null;
  readonly trainable: boolean;
  readonly loc?: SourceLoc;
}

export interface CompiledModel {
  readonly name: string;
  readonly kind: ModelKind;
  /** Layers in topological order (inputs first). */
  readonly layers: readonly CompiledLayer[];
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly totalParams: number;
  readonly trainableParams: number;
  readonly nonTrainableParams: number;
}
