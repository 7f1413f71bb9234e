/**
 * The model IR: plain, serialisable, immutable data. Frontends produce it, passes map it to
 * new IR, backends read it. No class instances and no hidden state.
 */
import type { SourceLoc } from './diagnostics.js';
import type { Shape } from './shape.js';

/**
 * A tensor: output `output` of call `call` of layer `layer` (Keras's `[name, node_index,
 * tensor_index]`). Both indices default to 0; written `name`, `name[1]` or `name[1][0]` in text.
 */
export interface TensorRef {
  readonly layer: string;
  readonly call?: number;
  readonly output?: number;
}

/** A layer as declared: its Keras class, its Keras (snake_case) config, and where it came from. */
export interface LayerIR {
  /** Unique within the model once the names pass ran; may be absent before it. */
  readonly name?: string;
  /** Keras class name, e.g. `Dense`; `Sequential` or `Functional` for a nested model. */
  readonly className: string;
  /** Keras arguments by their Keras names (snake_case), as written. */
  readonly config: Readonly<Record<string, unknown>>;
  /**
   * Each call of the layer with the tensors it was called on, in argument order. A shared
   * layer has several calls; an InputLayer none. In a Sequential model as written these are
   * filled by the names pass.
   */
  readonly calls: readonly (readonly TensorRef[])[];
  /** The inner model of a nested `Sequential` / `Functional` layer. */
  readonly model?: ModelIR;
  /** Where the layer was declared. */
  readonly loc?: SourceLoc;
  /** Where each config argument was declared, by argument name. */
  readonly argLocs?: Readonly<Record<string, SourceLoc>>;
  /** True for the InputLayer that a Sequential model creates from `input_dim`/`input_shape`. */
  readonly implicit?: boolean;
  /**
   * A class densegraph does not know, read from a model file (Conv2D, LSTM, a custom layer):
   * kept as the file describes it, drawn with unknown shapes, never run.
   */
  readonly opaque?: boolean;
  /**
   * Output shapes the model file records for this layer, by call then output: Keras 3's
   * `__keras_tensor__` shapes and the `build_config.input_shape` of the layers it feeds. Used
   * where densegraph cannot infer the shape itself (opaque layers); `null` where not recorded.
   */
  readonly recordedShapes?: readonly (readonly (Shape | null)[])[];
  /**
   * A shape argument of this layer was not a literal in the source (Python
   * `input_shape=(X.shape[1],)`): those dimensions read as `None` but may be anything, so a
   * shape rule that fails on them makes the shapes after it unknown instead of an error.
   */
  readonly unknownDims?: boolean;
}

export type ModelKind = 'Sequential' | 'Functional';

export interface ModelIR {
  readonly name: string;
  readonly kind: ModelKind;
  /** All layers, input layers included, in declaration order. */
  readonly layers: readonly LayerIR[];
  /** Names of the InputLayer layers, in model input order. */
  readonly inputs: readonly string[];
  /** The model's output tensors, in order. */
  readonly outputs: readonly TensorRef[];
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

/** One call of a compiled layer: what it was called on and the shapes in and out. */
export interface CompiledCall {
  readonly inbound: readonly TensorRef[];
  readonly inputShapes: readonly Shape[];
  /** One shape per output; `null` where inference could not get this far. */
  readonly outputShapes: readonly (Shape | null)[];
}

/** A layer after every pass: named, validated, with defaults, shapes and parameters. */
export interface CompiledLayer {
  readonly name: string;
  readonly className: string;
  /** The full config with Keras defaults applied; legacy input arguments removed. */
  readonly config: Readonly<Record<string, unknown>>;
  /** Every call, in call order; an InputLayer has one call with no inbound tensors. */
  readonly calls: readonly CompiledCall[];
  /** Names of the layers this one takes tensors from, over all calls, without repeats. */
  readonly inbound: readonly string[];
  readonly implicit: boolean;
  /** The first call's input shapes (Keras 3's `layer.input`). */
  readonly inputShapes: readonly Shape[];
  /** The first call's first output shape; `null` when inference could not get this far. */
  readonly outputShape: Shape | null;
  /** The dtype the layer computes in (and outputs). */
  readonly dtype: DType;
  /** The dtype its weights are stored in (`float32` under a mixed policy). */
  readonly weightDtype: DType;
  /** Its own weights; a nested model's are in `model`. */
  readonly weights: readonly WeightIR[];
  /** Parameters, a nested model's included. */
  readonly params: number;
  readonly trainableParams: number;
  readonly nonTrainableParams: number;
  /** Activation name for layers that have one (`linear` for Dense without one). */
  readonly activation: string | null;
  readonly trainable: boolean;
  /** The compiled inner model of a nested `Sequential` / `Functional` layer. */
  readonly model?: CompiledModel;
  /** A class densegraph does not know (see LayerIR.opaque). */
  readonly opaque: boolean;
  /** False when the parameter count cannot be known (an opaque layer, or weights after one). */
  readonly paramsKnown: boolean;
  readonly loc?: SourceLoc;
}

export interface CompiledModel {
  readonly name: string;
  readonly kind: ModelKind;
  /** Layers in topological order of their first call (inputs first). */
  readonly layers: readonly CompiledLayer[];
  readonly inputs: readonly string[];
  readonly outputs: readonly TensorRef[];
  readonly totalParams: number;
  readonly trainableParams: number;
  readonly nonTrainableParams: number;
}

/** `name`, `name[1]`, `name[1][2]`: the shortest text that says which tensor. */
export function refText(ref: TensorRef): string {
  const call = ref.call ?? 0;
  const output = ref.output ?? 0;
  if (output !== 0) return `${ref.layer}[${call}][${output}]`;
  if (call !== 0) return `${ref.layer}[${call}]`;
  return ref.layer;
}

/** Keras's `Connected to` form: `name[call][output]`. */
export function refKerasText(ref: TensorRef): string {
  return `${ref.layer}[${ref.call ?? 0}][${ref.output ?? 0}]`;
}

/** Reads `name`, `name[1]` or `name[1][0]`. */
export function parseRef(text: string): TensorRef {
  const m = /^(.*?)\[(\d+)\](?:\[(\d+)\])?$/s.exec(text);
  if (!m || m[1] === '') return { layer: text };
  return { layer: m[1]!, ...(Number(m[2]) ? { call: Number(m[2]) } : {}), ...(m[3] !== undefined && Number(m[3]) ? { output: Number(m[3]) } : {}) };
}

export function sameRef(a: TensorRef, b: TensorRef): boolean {
  return a.layer === b.layer && (a.call ?? 0) === (b.call ?? 0) && (a.output ?? 0) === (b.output ?? 0);
}
