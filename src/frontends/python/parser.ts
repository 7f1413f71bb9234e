/**
 * A recursive-descent parser for the Python subset model code uses. Statements it does not
 * interpret (while, try, return, …) are parsed and kept as opaque blocks so that their
 * bodies are still checked for syntax; expressions it cannot evaluate (comparisons,
 * comprehensions, lambda) become `other` nodes.
 */
import { error, type Diagnostic } from '../../ir/diagnostics.js';
import type { Token } from './tokenizer.js';

export interface Pos {
  readonly line: number;
  readonly column: number;
}

export type Expr =
  | ({ kind: 'name'; id: string } & Pos)
  | ({ kind: 'number'; value: number } & Pos)
  | ({ kind: 'string'; value: string; fstring: boolean } & Pos)
  | ({ kind: 'const'; value: null | boolean } & Pos)
  | ({ kind: 'tuple' | 'list' | 'set'; items: Expr[] } & Pos)
  | ({ kind: 'dict'; entries: { key?: Expr; value: Expr }[] } & Pos)
  | ({ kind: 'attr'; obj: Expr; name: string } & Pos)
  | ({ kind: 'call'; func: Expr; args: Expr[]; kwargs: Kwarg[] } & Pos)
  | ({ kind: 'subscript'; obj: Expr; index: Expr } & Pos)
  | ({ kind: 'starred'; value: Expr } & Pos)
  | ({ kind: 'unary'; op: string; operand: Expr } & Pos)
  | ({ kind: 'binary'; op: string; left: Expr; right: Expr } & Pos)
  | ({ kind: 'other'; what: string } & Pos);

/** A keyword argument; `name` undefined for `**mapping`. */
export interface Kwarg extends Pos {
  readonly name?: string;
  readonly value: Expr;
}

export interface Param {
  readonly name: string;
  readonly default?: Expr;
  readonly star?: '*' | '**';
}

export type Stmt =
  | ({ kind: 'import'; names: { module: string; as?: string }[] } & Pos)
  | ({ kind: 'from'; module: string; names: { name: string; as?: string }[] } & Pos)
  | ({ kind: 'assign'; targets: Expr[]; value: Expr } & Pos)
  | ({ kind: 'augassign'; target: Expr; op: string; value: Expr } & Pos)
  | ({ kind: 'expr'; value: Expr } & Pos)
  | ({ kind: 'def'; name: string; params: Param[]; body: Stmt[] } & Pos)
  | ({ kind: 'class'; name: string; bases: Expr[]; body: Stmt[] } & Pos)
  | ({ kind: 'if'; test: Expr; body: Stmt[]; orelse: Stmt[] } & Pos)
  | ({ kind: 'with'; items: Expr[]; body: Stmt[] } & Pos)
  | ({ kind: 'return'; value?: Expr } & Pos)
  | ({ kind: 'block'; keyword: string; bodies: Stmt[][] } & Pos)
  | ({ kind: 'simple'; keyword: string } & Pos);

export interface ParseResult {
  readonly module?: Stmt[];
  readonly diagnostics: Diagnostic[];
}

class SyntaxErr extends Error {
  constructor(
    message: string,
    readonly tok: Token,
  ) {
    super(message);
  }
}

const KEYWORDS = new Set(['False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield']);
const AUG_OPS = new Set(['+=', '-=', '*=', '/=', '//=', '%=', '**=', '@=', '&=', '|=', '^=', '>>=', '<<=']);
const COMPARE_OPS = new Set(['<', '>', '==', '>=', '<=', '!=']);

function describe(t: Token): string {
  switch (t.kind) {
    case 'newline':
      return 'the end of the line';
    case 'eof':
      return 'the end of the file';
    case 'indent':
      return 'an indented line';
    case 'dedent':
      return 'the end of an indented block';
    case 'string':
      return 'a string';
    default:
      return `'${t.value}'`;
  }
}

class Parser {
  private i = 0;
  constructor(private readonly toks: readonly Token[]) {}

  private get t(): Token {
    return this.toks[this.i]!;
  }
  private kind(): Token['kind'] {
    return this.t.kind;
  }
  private peek(n = 1): Token {
    return this.toks[Math.min(this.i + n, this.toks.length - 1)]!;
  }
  private next(): Token {
    const t = this.t;
    if (this.i < this.toks.length - 1) this.i++;
    return t;
  }
  private isOp(v: string, t: Token = this.t): boolean {
    return t.kind === 'op' && t.value === v;
  }
  private isKw(v: string, t: Token = this.t): boolean {
    return t.kind === 'name' && t.value === v;
  }
  private eatOp(v: string): boolean {
    if (this.isOp(v)) {
      this.next();
      return true;
    }
    return false;
  }
  private eatKw(v: string): boolean {
    if (this.isKw(v)) {
      this.next();
      return true;
    }
    return false;
  }
  private expectOp(v: string, what?: string): Token {
    if (!this.isOp(v)) throw new SyntaxErr(`expected '${v}'${what ? ` ${what}` : ''}, found ${describe(this.t)}`, this.t);
    return this.next();
  }
  private name(): string {
    const t = this.t;
    if (t.kind !== 'name' || KEYWORDS.has(t.value)) throw new SyntaxErr(`expected a name, found ${describe(t)}`, t);
    this.next();
    return t.value;
  }

  module(): Stmt[] {
    const out: Stmt[] = [];
    while (this.t.kind !== 'eof') {
      if (this.t.kind === 'newline') {
        this.next();
        continue;
      }
      const t = this.t;
      if (t.kind === 'indent') throw new SyntaxErr('unexpected indentation', t);
      out.push(...this.statement());
    }
    return out;
  }

  private suite(): Stmt[] {
    if (this.t.kind !== 'newline') return this.simpleLine();
    this.next();
    if (this.kind() !== 'indent') throw new SyntaxErr(`expected an indented block, found ${describe(this.t)}`, this.t);
    this.next();
    const out: Stmt[] = [];
    while (this.kind() !== 'dedent' && this.kind() !== 'eof') {
      if (this.t.kind === 'newline') {
        this.next();
        continue;
      }
      out.push(...this.statement());
    }
    this.next();
    return out;
  }

  private statement(): Stmt[] {
    const t = this.t;
    const pos = { line: t.line, column: t.column };
    if (t.kind === 'name') {
      switch (t.value) {
        case 'def':
          return [this.def(pos)];
        case 'async':
          this.next();
          return this.statement();
        case 'class': {
          this.next();
          const name = this.name();
          const bases: Expr[] = [];
          if (this.eatOp('(')) {
            const call = this.callArgs(pos);
            bases.push(...call.args);
          }
          this.expectOp(':', 'after the class header');
          return [{ kind: 'class', name, bases, body: this.suite(), ...pos }];
        }
        case 'if':
          return [this.ifStmt(pos)];
        case 'with': {
          this.next();
          const items: Expr[] = [];
          do {
            items.push(this.test());
            if (this.eatKw('as')) this.target();
          } while (this.eatOp(','));
          this.expectOp(':', 'after the with header');
          return [{ kind: 'with', items, body: this.suite(), ...pos }];
        }
        case 'for':
        case 'while':
        case 'try': {
          this.next();
          const bodies: Stmt[][] = [];
          if (t.value === 'for') {
            this.targetList();
            if (!this.eatKw('in')) throw new SyntaxErr(`expected 'in' in the for statement, found ${describe(this.t)}`, this.t);
            this.testList();
          } else if (t.value === 'while') this.test();
          this.expectOp(':', `after the ${t.value} header`);
          bodies.push(this.suite());
          for (;;) {
            if (this.isKw('except')) {
              this.next();
              if (!this.isOp(':')) {
                this.test();
                if (this.eatKw('as')) this.name();
              }
            } else if (this.isKw('else') || this.isKw('finally')) this.next();
            else break;
            this.expectOp(':');
            bodies.push(this.suite());
          }
          return [{ kind: 'block', keyword: t.value, bodies, ...pos }];
        }
        case 'import':
        case 'from':
        case 'return':
        case 'pass':
        case 'break':
        case 'continue':
        case 'raise':
        case 'del':
        case 'global':
        case 'nonlocal':
        case 'assert':
          return this.simpleLine();
      }
    }
    if (this.isOp('@')) {
      this.next();
      this.test();
      this.endLine();
      return this.statement();
    }
    return this.simpleLine();
  }

  private endLine(): void {
    if (this.t.kind === 'newline') this.next();
    else if (this.t.kind !== 'eof' && this.t.kind !== 'dedent') throw new SyntaxErr(`expected the end of the statement, found ${describe(this.t)}`, this.t);
  }

  private simpleLine(): Stmt[] {
    const out: Stmt[] = [this.simple()];
    while (this.eatOp(';')) {
      if (this.t.kind === 'newline' || this.t.kind === 'eof') break;
      out.push(this.simple());
    }
    this.endLine();
    return out;
  }

  private dotted(): string {
    let s = '';
    while (this.isOp('.') || this.isOp('...')) s += this.next().value;
    if (this.t.kind === 'name' && !this.isKw('import')) {
      s += this.name();
      while (this.eatOp('.')) s += `.${this.name()}`;
    }
    return s;
  }

  private simple(): Stmt {
    const t = this.t;
    const pos = { line: t.line, column: t.column };
    if (this.eatKw('import')) {
      const names: { module: string; as?: string }[] = [];
      do {
        const module = this.dotted();
        names.push(this.eatKw('as') ? { module, as: this.name() } : { module });
      } while (this.eatOp(','));
      return { kind: 'import', names, ...pos };
    }
    if (this.eatKw('from')) {
      const module = this.dotted();
      if (!this.eatKw('import')) throw new SyntaxErr(`expected 'import' after 'from ${module}', found ${describe(this.t)}`, this.t);
      const names: { name: string; as?: string }[] = [];
      if (this.eatOp('*')) return { kind: 'from', module, names: [{ name: '*' }], ...pos };
      const paren = this.eatOp('(');
      do {
        if (paren && this.isOp(')')) break;
        const name = this.name();
        names.push(this.eatKw('as') ? { name, as: this.name() } : { name });
      } while (this.eatOp(','));
      if (paren) this.expectOp(')');
      return { kind: 'from', module, names, ...pos };
    }
    if (this.eatKw('return')) {
      if (this.t.kind === 'newline' || this.isOp(';') || this.t.kind === 'eof') return { kind: 'return', ...pos };
      return { kind: 'return', value: this.testList(), ...pos };
    }
    for (const kw of ['pass', 'break', 'continue', 'raise', 'del', 'global', 'nonlocal', 'assert']) {
      if (this.eatKw(kw)) {
        if (!(this.t.kind === 'newline' || this.isOp(';') || this.t.kind === 'eof')) {
          this.testList();
          if (this.eatKw('from') || this.eatOp(',')) this.test();
        }
        return { kind: 'simple', keyword: kw, ...pos };
      }
    }
    const first = this.testList(true);
    if (this.isOp(':')) {
      // An annotated assignment: `x: int = 3`.
      this.next();
      this.test();
      if (this.eatOp('=')) return { kind: 'assign', targets: [first], value: this.testList(true), ...pos };
      return { kind: 'expr', value: first, ...pos };
    }
    if (this.t.kind === 'op' && AUG_OPS.has(this.t.value)) {
      const op = this.next().value;
      return { kind: 'augassign', target: first, op: op.slice(0, -1), value: this.testList(true), ...pos };
    }
    if (this.isOp('=')) {
      const targets = [first];
      let value = first;
      while (this.eatOp('=')) {
        value = this.isKw('yield') ? this.yieldExpr() : this.testList(true);
        targets.push(value);
      }
      targets.pop();
      return { kind: 'assign', targets, value, ...pos };
    }
    return { kind: 'expr', value: first, ...pos };
  }

  private yieldExpr(): Expr {
    const t = this.next();
    if (!(this.t.kind === 'newline' || this.isOp(')') || this.t.kind === 'eof')) {
      this.eatKw('from');
      this.testList();
    }
    return { kind: 'other', what: 'yield', line: t.line, column: t.column };
  }

  private def(pos: Pos): Stmt {
    this.next();
    const name = this.name();
    this.expectOp('(', `after 'def ${name}'`);
    const params: Param[] = [];
    while (!this.isOp(')')) {
      if (this.eatOp('/')) {
        if (!this.eatOp(',')) break;
        continue;
      }
      let star: '*' | '**' | undefined;
      if (this.eatOp('*')) star = '*';
      else if (this.eatOp('**')) star = '**';
      if (star === '*' && (this.isOp(',') || this.isOp(')'))) {
        if (!this.eatOp(',')) break;
        continue;
      }
      const pname = this.name();
      if (this.eatOp(':')) this.test();
      const dflt = this.eatOp('=') ? this.test() : undefined;
      params.push({ name: pname, ...(dflt ? { default: dflt } : {}), ...(star ? { star } : {}) });
      if (!this.eatOp(',')) break;
    }
    this.expectOp(')', `to close the parameters of '${name}'`);
    if (this.eatOp('->')) this.test();
    this.expectOp(':', `after the header of 'def ${name}'`);
    return { kind: 'def', name, params, body: this.suite(), ...pos };
  }

  private ifStmt(pos: Pos): Stmt {
    this.next();
    const test = this.test();
    this.expectOp(':', 'after the if condition');
    const body = this.suite();
    let orelse: Stmt[] = [];
    if (this.isKw('elif')) orelse = [this.ifStmt({ line: this.t.line, column: this.t.column })];
    else if (this.eatKw('else')) {
      this.expectOp(':', "after 'else'");
      orelse = this.suite();
    }
    return { kind: 'if', test, body, orelse, ...pos };
  }

  private target(): Expr {
    return this.orExpr(true);
  }

  private targetList(): Expr {
    const first = this.target();
    if (!this.isOp(',')) return first;
    const items = [first];
    while (this.eatOp(',')) {
      if (this.isKw('in') || this.isOp('=')) break;
      items.push(this.target());
    }
    return { kind: 'tuple', items, line: first.line, column: first.column };
  }

  /** A comma-separated list of expressions: one expression, or a tuple. */
  testList(allowStar = false): Expr {
    const start = this.t;
    const first = allowStar && this.isOp('*') ? this.starred() : this.test();
    if (!this.isOp(',')) return first;
    const items = [first];
    while (this.eatOp(',')) {
      if (!this.startsExpr()) break;
      items.push(allowStar && this.isOp('*') ? this.starred() : this.test());
    }
    return { kind: 'tuple', items, line: start.line, column: start.column };
  }

  private startsExpr(): boolean {
    const t = this.t;
    if (t.kind === 'name') return !KEYWORDS.has(t.value) || ['None', 'True', 'False', 'not', 'lambda', 'await'].includes(t.value);
    if (t.kind === 'number' || t.kind === 'string') return true;
    return t.kind === 'op' && ['(', '[', '{', '-', '+', '~', '*', '...'].includes(t.value);
  }

  private starred(): Expr {
    const t = this.next();
    return { kind: 'starred', value: this.orExpr(), line: t.line, column: t.column };
  }

  test(): Expr {
    const t = this.t;
    if (this.eatKw('lambda')) {
      while (!this.isOp(':')) {
        if (this.t.kind === 'newline' || this.t.kind === 'eof') throw new SyntaxErr(`expected ':' in the lambda, found ${describe(this.t)}`, this.t);
        this.next();
      }
      this.next();
      this.test();
      return { kind: 'other', what: 'lambda', line: t.line, column: t.column };
    }
    const e = this.orTest();
    if (this.isKw('if') ) {
      this.next();
      this.orTest();
      if (!this.eatKw('else')) throw new SyntaxErr(`expected 'else' in the conditional expression, found ${describe(this.t)}`, this.t);
      this.test();
      return { kind: 'other', what: 'conditional expression', line: t.line, column: t.column };
    }
    if (this.isOp(':=')) {
      this.next();
      return this.test();
    }
    return e;
  }

  private orTest(): Expr {
    const t = this.t;
    let e = this.andTest();
    while (this.eatKw('or')) {
      this.andTest();
      e = { kind: 'other', what: 'or', line: t.line, column: t.column };
    }
    return e;
  }

  private andTest(): Expr {
    const t = this.t;
    let e = this.notTest();
    while (this.eatKw('and')) {
      this.notTest();
      e = { kind: 'other', what: 'and', line: t.line, column: t.column };
    }
    return e;
  }

  private notTest(): Expr {
    const t = this.t;
    if (this.eatKw('not')) {
      this.notTest();
      return { kind: 'other', what: 'not', line: t.line, column: t.column };
    }
    return this.comparison();
  }

  private comparison(): Expr {
    const t = this.t;
    let e = this.orExpr();
    for (;;) {
      if (this.t.kind === 'op' && COMPARE_OPS.has(this.t.value)) this.next();
      else if (this.isKw('in')) this.next();
      else if (this.isKw('not') && this.isKw('in', this.peek())) {
        this.next();
        this.next();
      } else if (this.isKw('is')) {
        this.next();
        this.eatKw('not');
      } else break;
      this.orExpr();
      e = { kind: 'other', what: 'comparison', line: t.line, column: t.column };
    }
    return e;
  }

  private orExpr(noIn = false): Expr {
    return this.binary(0, noIn);
  }

  private static readonly LEVELS: readonly (readonly string[])[] = [['|'], ['^'], ['&'], ['<<', '>>'], ['+', '-'], ['*', '/', '//', '%', '@']];

  private binary(level: number, noIn: boolean): Expr {
    if (level >= Parser.LEVELS.length) return this.unary();
    let left = this.binary(level + 1, noIn);
    while (this.t.kind === 'op' && Parser.LEVELS[level]!.includes(this.t.value)) {
      const op = this.next().value;
      const right = this.binary(level + 1, noIn);
      left = { kind: 'binary', op, left, right, line: left.line, column: left.column };
    }
    return left;
  }

  private unary(): Expr {
    const t = this.t;
    if (this.isOp('-') || this.isOp('+') || this.isOp('~')) {
      this.next();
      return { kind: 'unary', op: t.value, operand: this.unary(), line: t.line, column: t.column };
    }
    return this.power();
  }

  private power(): Expr {
    const t = this.t;
    if (this.eatKw('await')) return this.power();
    const base = this.primary();
    if (this.eatOp('**')) {
      const exp = this.unary();
      return { kind: 'binary', op: '**', left: base, right: exp, line: t.line, column: t.column };
    }
    return base;
  }

  private primary(): Expr {
    let e = this.atom();
    for (;;) {
      const t = this.t;
      if (this.eatOp('.')) {
        const nt = this.t;
        if (nt.kind !== 'name') throw new SyntaxErr(`expected an attribute name after '.', found ${describe(nt)}`, nt);
        this.next();
        e = { kind: 'attr', obj: e, name: nt.value, line: nt.line, column: nt.column };
      } else if (this.eatOp('(')) {
        const { args, kwargs } = this.callArgs(t);
        e = { kind: 'call', func: e, args, kwargs, line: e.line, column: e.column };
      } else if (this.eatOp('[')) {
        const index = this.subscriptList();
        this.expectOp(']', 'to close the subscript');
        e = { kind: 'subscript', obj: e, index, line: e.line, column: e.column };
      } else return e;
    }
  }

  private subscriptList(): Expr {
    const t = this.t;
    const items: Expr[] = [];
    do {
      if (this.isOp(']')) break;
      items.push(this.subscriptItem());
    } while (this.eatOp(','));
    return items.length === 1 && !this.isOp(',') ? items[0]! : { kind: 'tuple', items, line: t.line, column: t.column };
  }

  private subscriptItem(): Expr {
    const t = this.t;
    let slice = false;
    let value: Expr | undefined;
    if (!this.isOp(':')) value = this.test();
    while (this.isOp(':')) {
      slice = true;
      this.next();
      if (!this.isOp(':') && !this.isOp(']') && !this.isOp(',')) this.test();
    }
    return slice || !value ? { kind: 'other', what: 'slice', line: t.line, column: t.column } : value;
  }

  callArgs(open: Pos): { args: Expr[]; kwargs: Kwarg[] } {
    const args: Expr[] = [];
    const kwargs: Kwarg[] = [];
    while (!this.isOp(')')) {
      const t = this.t;
      if (this.t.kind === 'eof') throw new SyntaxErr(`this '(' is not closed`, { kind: 'op', value: '(', ...open });
      if (this.eatOp('**')) kwargs.push({ value: this.test(), line: t.line, column: t.column });
      else if (this.isOp('*')) args.push(this.starred());
      else if (t.kind === 'name' && this.isOp('=', this.peek())) {
        this.next();
        this.next();
        kwargs.push({ name: t.value, value: this.test(), line: t.line, column: t.column });
      } else {
        const value = this.test();
        if (this.isKw('for') || this.isKw('async')) {
          this.comprehension();
          args.push({ kind: 'other', what: 'generator expression', line: value.line, column: value.column });
        } else args.push(value);
      }
      if (!this.eatOp(',')) break;
    }
    this.expectOp(')', 'to close the call');
    return { args, kwargs };
  }

  private comprehension(): void {
    while (this.eatKw('async') || this.isKw('for')) {
      this.next();
      this.targetList();
      if (!this.eatKw('in')) throw new SyntaxErr(`expected 'in' in the comprehension, found ${describe(this.t)}`, this.t);
      this.orTest();
      while (this.eatKw('if')) this.orTest();
    }
  }

  private atom(): Expr {
    const t = this.t;
    const pos = { line: t.line, column: t.column };
    if (t.kind === 'number') {
      this.next();
      const text = t.value.replace(/_/g, '');
      if (/[jJ]$/.test(text)) return { kind: 'other', what: 'complex number', ...pos };
      const value = /^0[oO]/.test(text) ? parseInt(text.slice(2), 8) : /^0[bB]/.test(text) ? parseInt(text.slice(2), 2) : Number(text);
      return { kind: 'number', value, ...pos };
    }
    if (t.kind === 'string') {
      let value = '';
      let fstring = false;
      while (this.t.kind === 'string') {
        const s = this.next();
        value += s.value;
        if (s.prefix?.includes('f')) fstring = true;
      }
      return { kind: 'string', value, fstring, ...pos };
    }
    if (t.kind === 'name') {
      if (t.value === 'None' || t.value === 'True' || t.value === 'False') {
        this.next();
        return { kind: 'const', value: t.value === 'None' ? null : t.value === 'True', ...pos };
      }
      if (t.value === 'yield') return this.yieldExpr();
      return { kind: 'name', id: this.name(), ...pos };
    }
    if (this.eatOp('...')) return { kind: 'other', what: 'Ellipsis', ...pos };
    if (this.eatOp('(')) {
      if (this.eatOp(')')) return { kind: 'tuple', items: [], ...pos };
      if (this.isKw('yield')) {
        const y = this.yieldExpr();
        this.expectOp(')');
        return y;
      }
      const first = this.isOp('*') ? this.starred() : this.test();
      if (this.isKw('for') || this.isKw('async')) {
        this.comprehension();
        this.expectOp(')', 'to close the generator expression');
        return { kind: 'other', what: 'generator expression', ...pos };
      }
      if (this.eatOp(')')) return first;
      const items = [first];
      while (this.eatOp(',')) {
        if (this.isOp(')')) break;
        items.push(this.isOp('*') ? this.starred() : this.test());
      }
      this.expectOp(')', 'to close the parenthesis');
      return { kind: 'tuple', items, ...pos };
    }
    if (this.eatOp('[')) {
      const items: Expr[] = [];
      while (!this.isOp(']')) {
        items.push(this.isOp('*') ? this.starred() : this.test());
        if (items.length === 1 && (this.isKw('for') || this.isKw('async'))) {
          this.comprehension();
          this.expectOp(']', 'to close the list comprehension');
          return { kind: 'other', what: 'list comprehension', ...pos };
        }
        if (!this.eatOp(',')) break;
      }
      this.expectOp(']', 'to close the list');
      return { kind: 'list', items, ...pos };
    }
    if (this.eatOp('{')) {
      const entries: { key?: Expr; value: Expr }[] = [];
      const items: Expr[] = [];
      let isSet = false;
      while (!this.isOp('}')) {
        if (this.eatOp('**')) entries.push({ value: this.orExpr() });
        else {
          const k = this.isOp('*') ? this.starred() : this.test();
          if (this.eatOp(':')) entries.push({ key: k, value: this.test() });
          else {
            isSet = true;
            items.push(k);
          }
          if (entries.length + items.length === 1 && (this.isKw('for') || this.isKw('async'))) {
            this.comprehension();
            this.expectOp('}', 'to close the comprehension');
            return { kind: 'other', what: 'comprehension', ...pos };
          }
        }
        if (!this.eatOp(',')) break;
      }
      this.expectOp('}', isSet ? 'to close the set' : 'to close the dict');
      return isSet ? { kind: 'set', items, ...pos } : { kind: 'dict', entries, ...pos };
    }
    throw new SyntaxErr(`expected an expression, found ${describe(t)}`, t);
  }
}

/** Parses tokens into statements; a syntax error is one diagnostic at its line and column. */
export function parseTokens(tokens: readonly Token[], file?: string): ParseResult {
  try {
    return { module: new Parser(tokens).module(), diagnostics: [] };
  } catch (e) {
    if (e instanceof SyntaxErr) {
      return { diagnostics: [error('python-syntax', `invalid Python: ${e.message}`, { ...(file ? { file } : {}), line: e.tok.line, column: e.tok.column })] };
    }
    if (e instanceof RangeError) {
      return { diagnostics: [error('python-too-deep', 'the Python code nests expressions too deeply to be read', file ? { file } : undefined)] };
    }
    throw e;
  }
}
