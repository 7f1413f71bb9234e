/**
 * Interprets the Keras model-building statements of parsed Python code. Names are resolved
 * through the imports to Keras symbols; values are literals, layer objects, symbolic tensors,
 * models, or unknown (anything else: data, other libraries, arithmetic on tensors). Statements
 * that do not build a model evaluate to unknown values and change nothing.
 */
import { closest } from '../../ir/suggest.js';
import { error, warning, type Diagnostic, type SourceLoc } from '../../ir/diagnostics.js';
import type { LayerIR, ModelIR } from '../../ir/model.js';
import { resolveAlias } from '../../layers/aliases.js';
import { LAYER_KINDS, layerDef } from '../../layers/registry.js';
import { apply, functional, nested, type SymbolicTensor } from '../builder.js';
import { KERAS1_NAMES } from '../keras-json.js';
import type { Expr, Kwarg, Param, Pos, Stmt } from './parser.js';

interface SeqModel {
  readonly kind: 'Sequential';
  readonly layers: LayerIR[];
  readonly name?: string;
  readonly loc: SourceLoc;
}

interface FnModel {
  readonly kind: 'Functional';
  readonly ir: ModelIR;
  readonly inputs: readonly SymbolicTensor[];
  readonly outputs: readonly SymbolicTensor[];
  readonly loc: SourceLoc;
}

type PyModel = SeqModel | FnModel;

type Value =
  | { t: 'lit'; v: unknown }
  | { t: 'seq'; items: Value[] }
  | { t: 'dict'; entries: [unknown, Value][] }
  | { t: 'module'; path: string }
  | { t: 'layer'; layer: LayerIR }
  | { t: 'tensor'; tensor: SymbolicTensor }
  | { t: 'model'; model: PyModel }
  | { t: 'method'; self: Value; name: string }
  | { t: 'func'; def: Extract<Stmt, { kind: 'def' }> }
  | { t: 'class'; name: string; isModel: boolean; loc: SourceLoc }
  | { t: 'subclassed'; cls: string; loc: SourceLoc }
  | { t: 'unknown' };

const UNKNOWN: Value = { t: 'unknown' };
const NOT_LITERAL = Symbol('not a literal');

interface Candidate {
  readonly names: string[];
  readonly value: Extract<Value, { t: 'model' } | { t: 'subclassed' }>;
  readonly loc: SourceLoc;
  readonly label?: string;
}

class Scope {
  readonly vars = new Map<string, Value>();
  constructor(readonly parent?: Scope) {}
  get(name: string): Value | undefined {
    return this.vars.get(name) ?? this.parent?.get(name);
  }
}

class ReturnSignal {
  constructor(readonly value: Value) {}
}

/** Names that snippets use without importing them. */
const KERAS_CALLABLES: readonly string[] = [...LAYER_KINDS, 'Sequential', 'Model', 'Input'];

const IMPLICIT_MODULES: Readonly<Record<string, string>> = { keras: 'keras', tf: 'tensorflow', tensorflow: 'tensorflow', layers: 'keras.layers', models: 'keras.models' };
const FUNCTIONAL_HELPERS: Readonly<Record<string, string>> = { concatenate: 'Concatenate', add: 'Add', subtract: 'Subtract', multiply: 'Multiply', average: 'Average', maximum: 'Maximum', minimum: 'Minimum' };
const SHAPE_ARGS = new Set(['shape', 'input_shape', 'batch_input_shape', 'batch_shape', 'target_shape', 'dims']);
const KERAS_PREFIXES = ['keras.', 'tensorflow.keras.', 'tensorflow.python.keras.', 'tf_keras.'];
const MODEL_ATTRS = new Set(['Sequential', 'Model', 'Functional']);

function kerasSymbol(path: string): { ns: string[]; sym: string } | undefined {
  const prefix = KERAS_PREFIXES.find((p) => path.startsWith(p));
  if (!prefix) return undefined;
  const parts = path.slice(prefix.length).split('.');
  return { ns: parts.slice(0, -1), sym: parts[parts.length - 1]! };
}

function knownClass(className: string): boolean {
  if (layerDef(className)) return true;
  const r = resolveAlias(className, {});
  return 'className' in r && layerDef(r.className) !== undefined;
}

export interface InterpretOptions {
  readonly modelName?: string;
}

export class Interpreter {
  readonly diagnostics: Diagnostic[] = [];
  private readonly globals = new Scope();
  private readonly candidates: Candidate[] = [];
  private readonly subclasses: { name: string; loc: SourceLoc }[] = [];
  private readonly nestedLayers = new Map<PyModel, LayerIR>();
  private depth = 0;

  constructor(private readonly file?: string) {}

  private loc(p: Pos): SourceLoc {
    return { ...(this.file ? { file: this.file } : {}), line: p.line, column: p.column };
  }

  run(module: readonly Stmt[], options: InterpretOptions): ModelIR | undefined {
    try {
      this.block(module, this.globals);
    } catch (r) {
      // A `return` outside a function (a snippet cut out of one) ends the code.
      if (!(r instanceof ReturnSignal)) throw r;
    }
    return this.pick(options);
  }

  private pick(options: InterpretOptions): ModelIR | undefined {
    const label = (c: Candidate) => `${c.names.length ? c.names.map((n) => `'${n}'`).join(' / ') : (c.label ?? 'a model')} (line ${c.loc.line})`;
    let chosen: Candidate | undefined;
    if (options.modelName !== undefined) {
      chosen = [...this.candidates].reverse().find((c) => c.names.includes(options.modelName!));
      if (!chosen) {
        const names = [...new Set(this.candidates.flatMap((c) => c.names))];
        this.diagnostics.push(error('python-model-not-found', `no model is assigned to a variable named '${options.modelName}'`, this.file ? { file: this.file } : undefined, names.length ? `models in this file: ${names.join(', ')}` : 'the file builds no model densegraph can read'));
        return undefined;
      }
    } else {
      chosen = this.candidates[this.candidates.length - 1];
      if (chosen && this.candidates.length > 1) {
        const others = this.candidates.slice(0, -1).map(label);
        this.diagnostics.push(
          warning('python-several-models', `the file builds ${this.candidates.length} models; reading the last one, ${label(chosen)}. The others: ${others.join(', ')}`, chosen.loc, 'pick another by its variable name: --model NAME (modelName in the API)'),
        );
      }
    }
    if (!chosen) {
      const sub = this.subclasses[0];
      if (sub) {
        this.diagnostics.push(this.subclassError(sub.name, sub.loc));
        return undefined;
      }
      this.diagnostics.push(
        error('python-no-model', 'found no Keras model built in this Python code: expected Sequential(...), Sequential() with .add(...), keras.Model(inputs=..., outputs=...), or one layer with an input size such as Dense(8, input_dim=4)', this.file ? { file: this.file } : undefined),
      );
      return undefined;
    }
    if (chosen.value.t === 'subclassed') {
      this.diagnostics.push(this.subclassError(chosen.value.cls, chosen.value.loc));
      return undefined;
    }
    return this.modelIR(chosen.value.model);
  }

  private subclassError(name: string, loc: SourceLoc): Diagnostic {
    return error(
      'python-subclassed-model',
      `'${name}' is a subclassed model (a class derived from keras Model): its layers are connected by the Python code of its call() method, which cannot be read without running it`,
      loc,
      'write the model with Sequential or the functional API (keras.Input, layer calls, keras.Model(inputs, outputs)), or save it with model.to_json() / model.save("model.keras") after building it',
    );
  }

  private modelIR(m: PyModel): ModelIR {
    if (m.kind === 'Functional') return m.ir;
    return { name: m.name ?? 'sequential', kind: 'Sequential', layers: [...m.layers], inputs: [], outputs: [], loc: m.loc };
  }

  private record(name: string | undefined, value: Value, p: Pos, label?: string): void {
    if (value.t !== 'model' && value.t !== 'subclassed') return;
    const existing = this.candidates.find((c) => c.value === value || (value.t === 'model' && c.value.t === 'model' && c.value.model === value.model));
    if (existing) {
      if (name && !existing.names.includes(name)) existing.names.push(name);
      return;
    }
    this.candidates.push({ names: name ? [name] : [], value, loc: this.loc(p), ...(label ? { label } : {}) });
  }

  // ---- statements ----

  private block(stmts: readonly Stmt[], scope: Scope): void {
    for (const s of stmts) this.stmt(s, scope);
  }

  private stmt(s: Stmt, scope: Scope): void {
    switch (s.kind) {
      case 'import':
        for (const { module, as } of s.names) {
          if (as) scope.vars.set(as, { t: 'module', path: module });
          else scope.vars.set(module.split('.')[0]!, { t: 'module', path: module.split('.')[0]! });
        }
        return;
      case 'from':
        if (s.module.startsWith('.')) return;
        for (const { name, as } of s.names) if (name !== '*') scope.vars.set(as ?? name, { t: 'module', path: `${s.module}.${name}` });
        return;
      case 'assign': {
        const value = this.eval(s.value, scope);
        for (const target of s.targets) this.bind(target, value, scope);
        return;
      }
      case 'augassign':
        return;
      case 'expr': {
        const value = this.eval(s.value, scope);
        if (value.t === 'layer' && scope === this.globals) {
          const c = value.layer.config;
          if (c['input_dim'] !== undefined || c['input_shape'] !== undefined || c['batch_input_shape'] !== undefined) {
            const model: PyModel = { kind: 'Sequential', layers: [value.layer], loc: this.loc(s) };
            this.record(undefined, { t: 'model', model }, s, `the ${value.layer.className} layer`);
          }
        }
        return;
      }
      case 'def':
        scope.vars.set(s.name, { t: 'func', def: s });
        return;
      case 'class': {
        const isModel = s.bases.some((b) => {
          const v = this.eval(b, scope);
          if (v.t === 'class') return v.isModel;
          if (v.t !== 'module') return false;
          const k = kerasSymbol(v.path);
          return k !== undefined && MODEL_ATTRS.has(k.sym);
        });
        if (isModel) this.subclasses.push({ name: s.name, loc: this.loc(s) });
        scope.vars.set(s.name, { t: 'class', name: s.name, isModel, loc: this.loc(s) });
        return;
      }
      case 'if':
        // The condition is not evaluated; the first branch is read (`if __name__ == "__main__":`).
        this.block(s.body, scope);
        return;
      case 'with':
        this.block(s.body, scope);
        return;
      case 'block':
        if (s.keyword === 'try') this.block(s.bodies[0] ?? [], scope);
        else if (this.buildsModel(s.bodies)) {
          this.diagnostics.push(warning('python-loop-skipped', `the ${s.keyword} loop at line ${s.line} is not run: layers it would add or call are not in the model`, this.loc(s), 'write the layers out one by one to see them in the diagram'));
        }
        return;
      case 'return':
        throw new ReturnSignal(s.value ? this.eval(s.value, scope) : { t: 'lit', v: null });
      case 'simple':
        return;
    }
  }

  private buildsModel(bodies: readonly Stmt[][]): boolean {
    const text = JSON.stringify(bodies);
    return /"name":"add"|"kind":"attr","obj":\{[^}]*\},"name":"add"/.test(text) || /"id":"(Dense|Input)"|"name":"(Dense|Input)"/.test(text);
  }

  private bind(target: Expr, value: Value, scope: Scope): void {
    if (target.kind === 'name') {
      scope.vars.set(target.id, value);
      this.record(target.id, value, target);
      return;
    }
    if ((target.kind === 'tuple' || target.kind === 'list') && value.t === 'seq' && value.items.length === target.items.length) {
      target.items.forEach((t, i) => this.bind(t, value.items[i]!, scope));
      return;
    }
    if (target.kind === 'tuple' || target.kind === 'list') for (const t of target.items) this.bind(t, UNKNOWN, scope);
  }

  // ---- expressions ----

  private lookup(name: string, scope: Scope): Value | undefined {
    const v = scope.get(name);
    if (v) return v;
    const implicit = IMPLICIT_MODULES[name];
    if (implicit) return { t: 'module', path: implicit };
    if (name === 'Sequential' || name === 'Model') return { t: 'module', path: `keras.models.${name}` };
    if (name === 'Input' || name === 'merge' || FUNCTIONAL_HELPERS[name] || knownClass(name)) return { t: 'module', path: `keras.layers.${name}` };
    return undefined;
  }

  eval(e: Expr, scope: Scope): Value {
    switch (e.kind) {
      case 'number':
      case 'const':
        return { t: 'lit', v: e.value };
      case 'string':
        return e.fstring ? UNKNOWN : { t: 'lit', v: e.value };
      case 'name':
        return this.lookup(e.id, scope) ?? UNKNOWN;
      case 'tuple':
      case 'list':
        return { t: 'seq', items: e.items.map((i) => (i.kind === 'starred' ? UNKNOWN : this.eval(i, scope))) };
      case 'set':
        return UNKNOWN;
      case 'dict': {
        const entries: [unknown, Value][] = [];
        for (const { key, value } of e.entries) {
          if (!key) return UNKNOWN;
          const k = this.literal(this.eval(key, scope));
          if (k === NOT_LITERAL) return UNKNOWN;
          entries.push([k, this.eval(value, scope)]);
        }
        return { t: 'dict', entries };
      }
      case 'attr': {
        const obj = this.eval(e.obj, scope);
        if (obj.t === 'module') return { t: 'module', path: `${obj.path}.${e.name}` };
        if (obj.t === 'model') {
          const m = obj.model;
          if (m.kind === 'Functional') {
            if (e.name === 'output' && m.outputs.length === 1) return { t: 'tensor', tensor: m.outputs[0]! };
            if (e.name === 'input' && m.inputs.length === 1) return { t: 'tensor', tensor: m.inputs[0]! };
            if (e.name === 'outputs') return { t: 'seq', items: m.outputs.map((tensor) => ({ t: 'tensor', tensor })) };
            if (e.name === 'inputs') return { t: 'seq', items: m.inputs.map((tensor) => ({ t: 'tensor', tensor })) };
          }
          return { t: 'method', self: obj, name: e.name };
        }
        return UNKNOWN;
      }
      case 'subscript': {
        const obj = this.eval(e.obj, scope);
        const idx = this.literal(this.eval(e.index, scope));
        if (obj.t === 'seq' && typeof idx === 'number' && Number.isInteger(idx)) return obj.items[idx < 0 ? obj.items.length + idx : idx] ?? UNKNOWN;
        if (obj.t === 'dict') return obj.entries.find(([k]) => k === idx)?.[1] ?? UNKNOWN;
        if (obj.t === 'lit' && typeof obj.v === 'string' && typeof idx === 'number') return { t: 'lit', v: obj.v[idx < 0 ? obj.v.length + idx : idx] };
        return UNKNOWN;
      }
      case 'unary': {
        const v = this.literal(this.eval(e.operand, scope));
        if (typeof v !== 'number') return UNKNOWN;
        return { t: 'lit', v: e.op === '-' ? -v : e.op === '+' ? v : ~v };
      }
      case 'binary':
        return this.binary(e.op, this.eval(e.left, scope), this.eval(e.right, scope));
      case 'call':
        return this.call(e, scope);
      case 'starred':
      case 'other':
        return UNKNOWN;
    }
  }

  private binary(op: string, l: Value, r: Value): Value {
    if (l.t === 'seq' && r.t === 'seq' && op === '+') return { t: 'seq', items: [...l.items, ...r.items] };
    if (l.t === 'seq' && r.t === 'lit' && op === '*' && typeof r.v === 'number' && r.v * l.items.length <= 10_000) return { t: 'seq', items: Array.from({ length: Math.max(0, r.v) }, () => l.items).flat() };
    if (l.t !== 'lit' || r.t !== 'lit') return UNKNOWN;
    const a = l.v;
    const b = r.v;
    if (typeof a === 'string' && typeof b === 'string' && op === '+') return { t: 'lit', v: a + b };
    if (typeof a !== 'number' || typeof b !== 'number') return UNKNOWN;
    switch (op) {
      case '+': return { t: 'lit', v: a + b };
      case '-': return { t: 'lit', v: a - b };
      case '*': return { t: 'lit', v: a * b };
      case '/': return b === 0 ? UNKNOWN : { t: 'lit', v: a / b };
      case '//': return b === 0 ? UNKNOWN : { t: 'lit', v: Math.floor(a / b) };
      case '%': return b === 0 ? UNKNOWN : { t: 'lit', v: ((a % b) + b) % b };
      case '**': return { t: 'lit', v: a ** b };
      default: return UNKNOWN;
    }
  }

  /** The JS value of a literal (lists and tuples as arrays, function references by name). */
  private literal(v: Value): unknown {
    switch (v.t) {
      case 'lit':
        return v.v;
      case 'seq': {
        const out = v.items.map((i) => this.literal(i));
        return out.includes(NOT_LITERAL) ? NOT_LITERAL : out;
      }
      case 'dict': {
        const out: Record<string, unknown> = {};
        for (const [k, val] of v.entries) {
          const x = this.literal(val);
          if (x === NOT_LITERAL || (typeof k !== 'string' && typeof k !== 'number')) return NOT_LITERAL;
          out[String(k)] = x;
        }
        return out;
      }
      case 'module':
        // tf.nn.relu, keras.activations.softmax, tf.float32: referred to by their names.
        return v.path.split('.').pop();
      default:
        return NOT_LITERAL;
    }
  }

  private tensors(v: Value): SymbolicTensor[] | undefined {
    if (v.t === 'tensor') return [v.tensor];
    if (v.t === 'seq') {
      const out = v.items.map((i) => (i.t === 'tensor' ? i.tensor : undefined));
      return out.every((t) => t !== undefined) ? (out as SymbolicTensor[]) : undefined;
    }
    if (v.t === 'dict') return this.tensors({ t: 'seq', items: v.entries.map(([, x]) => x) });
    return undefined;
  }

  private call(e: Extract<Expr, { kind: 'call' }>, scope: Scope): Value {
    if (e.func.kind === 'name' && this.lookup(e.func.id, scope) === undefined) {
      // An undefined name that is one typo away from a Keras class is a mistake, not a call
      // into another library: say so where it is (other unknown calls are skipped quietly).
      const meant = closest(e.func.id, KERAS_CALLABLES);
      if (meant && meant !== e.func.id) {
        this.diagnostics.push(error('python-undefined-name', `name '${e.func.id}' is not defined. Did you mean '${meant}'?`, this.loc(e), `write ${meant}(...) (and import it from keras.layers or keras.models)`));
        return UNKNOWN;
      }
    }
    // `model.add(...)` on a name never assigned: a snippet cut out of a longer program.
    if (e.func.kind === 'attr' && e.func.name === 'add' && e.func.obj.kind === 'name' && this.lookup(e.func.obj.id, scope) === undefined) {
      const name = e.func.obj.id;
      const model: PyModel = { kind: 'Sequential', layers: [], loc: this.loc(e) };
      const value: Value = { t: 'model', model };
      this.globals.vars.set(name, value);
      this.record(name, value, e);
      this.diagnostics.push(warning('python-implicit-sequential', `'${name}' is not assigned before '${name}.add(...)': read as a Sequential model`, this.loc(e), `the file is probably a part of a longer program; add '${name} = Sequential()' to silence this warning`));
    }
    const func = this.eval(e.func, scope);
    const args = e.args.map((a) => (a.kind === 'starred' ? UNKNOWN : this.eval(a, scope)));
    const kwargs = new Map<string, { value: Value; kw: Kwarg }>();
    let starKwargs = false;
    for (const kw of e.kwargs) {
      if (kw.name === undefined) starKwargs = true;
      else kwargs.set(kw.name, { value: this.eval(kw.value, scope), kw });
    }
    switch (func.t) {
      case 'module':
        return this.kerasCall(func.path, e, args, kwargs, starKwargs);
      case 'layer': {
        const inputs = args[0] ? this.tensors(args[0]) : kwargs.get('inputs') ? this.tensors(kwargs.get('inputs')!.value) : undefined;
        if (!inputs) return this.notTensor(func.layer.className, e);
        return { t: 'tensor', tensor: apply(func.layer, inputs.length === 1 && args[0]?.t === 'tensor' ? inputs[0]! : inputs) };
      }
      case 'model':
        return this.callModel(func.model, args, kwargs, e);
      case 'method':
        return this.method(func, args, e);
      case 'func':
        return this.callUser(func.def, args, kwargs, e);
      case 'class':
        return func.isModel ? { t: 'subclassed', cls: func.name, loc: func.loc } : UNKNOWN;
      default:
        return UNKNOWN;
    }
  }

  private notTensor(what: string, e: Pos): Value {
    this.diagnostics.push(warning('python-unknown-tensor', `line ${e.line}: ${what} is called on something that is not a Keras tensor of this model; the result is ignored`, this.loc(e)));
    return UNKNOWN;
  }

  private callModel(m: PyModel, args: Value[], kwargs: Map<string, { value: Value }>, e: Pos): Value {
    const input = args[0] ?? kwargs.get('inputs')?.value;
    const inputs = input ? this.tensors(input) : undefined;
    if (!inputs) return UNKNOWN;
    let layer = this.nestedLayers.get(m);
    if (!layer) {
      layer = { ...nested(this.modelIR(m)), loc: this.loc(e) };
      this.nestedLayers.set(m, layer);
    }
    return { t: 'tensor', tensor: apply(layer, input!.t === 'tensor' ? inputs[0]! : inputs) };
  }

  private method(m: Extract<Value, { t: 'method' }>, args: Value[], e: Pos): Value {
    if (m.self.t !== 'model' || m.self.model.kind !== 'Sequential') return UNKNOWN;
    const seq = m.self.model;
    if (m.name === 'add') {
      const layer = args[0] ? this.asSequentialLayer(args[0], e) : undefined;
      if (layer) seq.layers.push(layer);
    } else if (m.name === 'pop') seq.layers.pop();
    return UNKNOWN;
  }

  private asSequentialLayer(v: Value, e: Pos): LayerIR | undefined {
    if (v.t === 'layer') return v.layer;
    if (v.t === 'tensor' && v.tensor.node.layer.className === 'InputLayer') return v.tensor.node.layer;
    if (v.t === 'model') {
      const cached = this.nestedLayers.get(v.model);
      if (cached) return cached;
      const layer = { ...nested(this.modelIR(v.model)), loc: this.loc(e) };
      this.nestedLayers.set(v.model, layer);
      return layer;
    }
    this.diagnostics.push(warning('python-unknown-layer', `line ${e.line}: what is added to the Sequential model here is not a Keras layer densegraph can read; it is left out`, this.loc(e)));
    return undefined;
  }

  private callUser(def: Extract<Stmt, { kind: 'def' }>, args: Value[], kwargs: Map<string, { value: Value }>, e: Pos): Value {
    if (this.depth > 20) return UNKNOWN;
    const scope = new Scope(this.globals);
    def.params.forEach((p: Param, i) => {
      if (p.star === '*') scope.vars.set(p.name, { t: 'seq', items: args.slice(i) });
      else if (p.star === '**') scope.vars.set(p.name, UNKNOWN);
      else scope.vars.set(p.name, args[i] ?? kwargs.get(p.name)?.value ?? (p.default ? this.eval(p.default, this.globals) : UNKNOWN));
    });
    this.depth++;
    try {
      this.block(def.body, scope);
    } catch (r) {
      if (r instanceof ReturnSignal) return r.value;
      throw r;
    } finally {
      this.depth--;
    }
    void e;
    return { t: 'lit', v: null };
  }

  private kerasCall(path: string, e: Extract<Expr, { kind: 'call' }>, args: Value[], kwargs: Map<string, { value: Value; kw: Kwarg }>, starKwargs: boolean): Value {
    const k = kerasSymbol(path);
    if (!k) return UNKNOWN;
    const { ns, sym } = k;
    const loc = this.loc(e);
    if (sym === 'Sequential') {
      const nameV = kwargs.get('name')?.value ?? args[1];
      const name = nameV ? this.literal(nameV) : undefined;
      const model: SeqModel = { kind: 'Sequential', layers: [], loc, ...(typeof name === 'string' ? { name } : {}) };
      const list = args[0] ?? kwargs.get('layers')?.value;
      if (list?.t === 'seq') for (const item of list.items) {
        const layer = this.asSequentialLayer(item, e);
        if (layer) model.layers.push(layer);
      }
      return { t: 'model', model };
    }
    if (sym === 'Model' || sym === 'Functional') {
      const inV = args[0] ?? kwargs.get('inputs')?.value ?? kwargs.get('input')?.value;
      const outV = args[1] ?? kwargs.get('outputs')?.value ?? kwargs.get('output')?.value;
      const inputs = inV ? this.tensors(inV) : undefined;
      const outputs = outV ? this.tensors(outV) : undefined;
      if (!inputs || !outputs || inputs.length === 0 || outputs.length === 0) {
        this.diagnostics.push(error('python-unknown-model-tensors', `line ${e.line}: the ${!inputs || inputs.length === 0 ? 'inputs' : 'outputs'} of this Model are not Keras tensors built in this code`, loc, 'give Model(inputs=..., outputs=...) the tensors returned by keras.Input(...) and by the layer calls'));
        return UNKNOWN;
      }
      const nameV = kwargs.get('name')?.value ?? args[2];
      const name = nameV ? this.literal(nameV) : undefined;
      const ir = { ...functional({ inputs, outputs, ...(typeof name === 'string' ? { name } : {}) }), loc };
      return { t: 'model', model: { kind: 'Functional', ir, inputs, outputs, loc } };
    }
    if (sym === 'Input') {
      const layer = this.makeLayer('InputLayer', args.slice(0, 1), kwargs, starKwargs, e);
      return { t: 'tensor', tensor: apply(layer, []) };
    }
    const helper = FUNCTIONAL_HELPERS[sym];
    if ((helper || sym === 'merge') && (ns.length === 0 || ns.includes('layers'))) {
      const layer = this.makeLayer(helper ?? 'Merge', [], kwargs, starKwargs, e);
      const inputs = args[0] ? this.tensors(args[0]) : kwargs.get('inputs') ? this.tensors(kwargs.get('inputs')!.value) : undefined;
      if (!inputs) return this.notTensor(sym, e);
      return { t: 'tensor', tensor: apply(layer, inputs) };
    }
    if (ns.includes('layers') && /^[A-Z]/.test(sym)) return { t: 'layer', layer: this.makeLayer(sym, args, kwargs, starKwargs, e) };
    if (ns.some((n) => n === 'initializers' || n === 'regularizers' || n === 'constraints')) {
      const cfg: Record<string, unknown> = {};
      for (const [name, { value }] of kwargs) {
        const x = this.literal(value);
        if (x !== NOT_LITERAL) cfg[name] = x;
      }
      const a0 = args[0] ? this.literal(args[0]) : undefined;
      if (sym === 'l1' || sym === 'l2') return { t: 'lit', v: { class_name: sym.toUpperCase(), config: { [sym]: a0 ?? cfg[sym] ?? 0.01 } } };
      if (sym === 'l1_l2') return { t: 'lit', v: { class_name: 'L1L2', config: cfg } };
      return { t: 'lit', v: { class_name: sym, config: cfg } };
    }
    return UNKNOWN;
  }

  /** A layer object: positional and keyword arguments as its Keras config. */
  private makeLayer(className: string, args: Value[], kwargs: Map<string, { value: Value; kw: Kwarg }>, starKwargs: boolean, e: Extract<Expr, { kind: 'call' }>): LayerIR {
    const loc = this.loc(e);
    const def = layerDef(className);
    const opaque = !def && !knownClass(className) && className !== 'Merge';
    const config: Record<string, unknown> = {};
    const argLocs: Record<string, SourceLoc> = {};
    const renames = KERAS1_NAMES[className] ?? {};
    const renamed: string[] = [];
    const dropped: string[] = [];
    const positional = def?.positional ?? [];
    const given: [string, Value, Pos][] = [];
    args.forEach((v, i) => {
      const name = positional[i];
      if (name) given.push([name, v, e.args[i]!]);
      else if (!opaque) this.diagnostics.push(warning('python-extra-argument', `line ${e.line}: ${className} takes at most ${positional.length} positional argument${positional.length === 1 ? '' : 's'}; argument ${i + 1} is ignored`, this.loc(e.args[i]!)));
    });
    for (const [name, { value, kw }] of kwargs) given.push([name, value, kw]);
    let unknownDims = false;
    for (const [name, value, pos] of given) {
      let key = name;
      if (def) {
        const newName = renames[name];
        if (newName && !(name in def.schema) && !kwargs.has(newName)) {
          key = newName;
          renamed.push(`${name} → ${newName}`);
        }
        if (!def.schema[key]) {
          dropped.push(name);
          continue;
        }
      }
      let x = this.literal(value);
      if (x === NOT_LITERAL) {
        if (SHAPE_ARGS.has(key)) {
          if (value.t === 'seq') {
            const dims = value.items.map((i) => this.literal(i));
            const unknown = dims.map((d, i) => (d === NOT_LITERAL ? i : -1)).filter((i) => i >= 0);
            x = dims.map((d) => (d === NOT_LITERAL ? null : d));
            unknownDims = true;
            this.diagnostics.push(warning('python-unknown-dimension', `line ${pos.line}: ${key} of ${className} is not a literal: ${unknown.length === 1 ? 'dimension' : 'dimensions'} ${unknown.join(', ')} left unknown (None)`, this.loc(pos), 'write the sizes as numbers to get shapes and parameter counts'));
          } else {
            x = [null];
            unknownDims = true;
            this.diagnostics.push(warning('python-unknown-dimension', `line ${pos.line}: ${key} of ${className} is not a literal: read as one unknown dimension (None,)`, this.loc(pos), 'write the shape as a tuple of numbers, e.g. (8,), to get shapes and parameter counts'));
          }
        } else {
          this.diagnostics.push(warning('python-unknown-argument', `line ${pos.line}: the argument ${key} of ${className} is not a literal densegraph can read; it is left out`, this.loc(pos), 'write the value as a literal (a number, string, tuple or list)'));
          continue;
        }
      }
      const field = def?.schema[key];
      if (x === null && field && !field.nullable && !field.required) continue;
      config[key] = x;
      argLocs[key] = this.loc(pos);
    }
    if (starKwargs) this.diagnostics.push(warning('python-unknown-argument', `line ${e.line}: the **keyword arguments of ${className} cannot be read; they are left out`, loc));
    if (renamed.length) this.diagnostics.push(warning('legacy-argument', `Keras 1 arguments of ${className} read as their Keras 2 names: ${renamed.join(', ')}`, loc));
    if (dropped.length) {
      this.diagnostics.push(
        warning('ignored-argument', `${className} argument${dropped.length === 1 ? '' : 's'} ${dropped.map((k) => `'${k}'`).join(', ')} ${dropped.length === 1 ? 'is' : 'are'} not read by densegraph and ignored`, loc, 'they do not change shapes or parameter counts'),
      );
    }
    const name = config['name'];
    return { className, config, calls: [], loc, argLocs, ...(typeof name === 'string' ? { name } : {}), ...(opaque ? { opaque: true } : {}), ...(unknownDims ? { unknownDims } : {}) };
  }
}
