// Function scopes, just enough to stop a local name from passing for an import or a module
// constant (`def f(torch): torch.load(p)`), and to follow a local bound once to something we can
// read (`flag = False`, `load = torch.load`, `pipe = Pipeline.from_pretrained(...)`,
// `kw = {"weights_only": True}`). A name is local to a function when it is a parameter or is
// assigned in the function's own body (not in nested functions or classes) and the function does
// not import it itself. Everything is collected iteratively (no recursion on nesting depth) and
// memoised per function, so nested scopes cost O(1) per look-up after the first.
import type { ArgValue } from '../domain';
import { constantValue } from './constants';
import type { Node, Tree } from './parser';
import { FUNCTION_TYPES, type TreeIndex } from './treeIndex';

const NESTED_SCOPES = new Set(['function_definition', 'class_definition', 'decorated_definition', 'lambda']);
const TARGET_PATTERNS = new Set(['pattern_list', 'tuple_pattern', 'list_pattern', 'list_splat_pattern', 'tuple', 'list', 'parenthesized_expression']);
const CLAUSES = new Set(['else_clause', 'elif_clause', 'except_clause', 'finally_clause', 'case_clause', 'except_group_clause']);

interface LocalNames {
  assigned: Set<string>;
  imported: Set<string>;
  /** How often each name is bound (parameters count twice: never a constant). */
  counts: Map<string, number>;
  values: Map<string, ArgValue>;
  /** The right-hand side of a plain `name = expr` (meaningful only when bound once). */
  rhs: Map<string, Node>;
}

export interface LocalBinding {
  /** `name` is a local of an enclosing function (so not the module's import or constant). */
  shadowed: boolean;
  /** The literal of a local assigned once to a literal. */
  value?: ArgValue;
  /** The expression of a local assigned once (`load = torch.load`, `kw = {...}`). */
  rhs?: Node;
}

const NOT_LOCAL: LocalBinding = { shadowed: false };

/** An indented assignment of a literal: the only way a function local stands for a literal. */
const LOCAL_LITERAL = /^[ \t]+([A-Za-z_]\w*)[ \t]*(?::[^=\n\r]*)?=(?!=)[ \t]*(?=[rRbBuU]{0,2}["']|True\b|False\b|None\b|\d)/gm;
/** An indented assignment of a name, call or display (aliases, call results, `**kwargs` dicts). */
const LOCAL_VALUE = /^[ \t]+([A-Za-z_]\w*)[ \t]*=(?!=)[ \t]*(?=[A-Za-z_{(])/gm;

const IDENT = /[A-Za-z_]\w*/g;

/** Names that bind function locals, found in the text (a superset; the tree decides). */
function possibleLocalNames(text: string): Set<string> {
  const names = new Set<string>();
  const add = (s: string): void => {
    for (const id of s.matchAll(IDENT)) names.add(id[0]);
  };
  // `def f(a, b=1, *c)` / `lambda a, b:`: parameter lists, each read once even when unclosed
  // headers overlap (`def f(def g(...`), so the scan stays linear.
  let coveredUntil = -1;
  for (const kw of ['def', 'lambda']) {
    coveredUntil = -1;
    if (!text.includes(kw)) continue;
    for (let i = text.indexOf(kw); i !== -1; i = text.indexOf(kw, i + kw.length)) {
      if ((i > 0 && isWordChar(text.charCodeAt(i - 1))) || isWordChar(text.charCodeAt(i + kw.length))) continue;
      if (i < coveredUntil) continue;
      const stop = kw === 'def' ? text.indexOf(')', i) : lambdaColon(text, i);
      const end = stop === -1 ? text.length : stop;
      add(text.slice(i + kw.length, end));
      coveredUntil = end;
    }
  }
  // Indented assignment targets (`a = `, `a, b = `, `a += `, `a: int = `), loop targets, `as` targets,
  // walrus, nested defs. Each scan runs only when its marker occurs at all.
  if (text.includes('=')) {
    for (const m of text.matchAll(/^[ \t]+([A-Za-z_][\w, \t*()[\]]{0,200})(?::[^=\n\r]{0,200})?(?:[-+*/%&|^@]|\/\/|\*\*|>>|<<)?=(?!=)/gm)) add(m[1]!);
  }
  if (text.includes('for')) for (const m of text.matchAll(/\bfor\b([^\n\r]{0,400}?)\bin\b/g)) add(m[1]!);
  if (text.includes(' as')) {
    // `with ... as x`, `except E as x` (an `import ... as x` is an import, not a local).
    const importLines = [...text.matchAll(/^[ \t]*(?:import|from)\b[^\n\r]*/gm)].map((m) => [m.index, m.index + m[0].length] as const);
    let k = 0;
    for (const m of text.matchAll(/\bas[ \t]+\(?([A-Za-z_]\w*)/g)) {
      while (k < importLines.length && importLines[k]![1] < m.index) k++;
      const line = importLines[k];
      if (!line || m.index < line[0]) names.add(m[1]!);
    }
  }
  if (text.includes(':=')) for (const m of text.matchAll(/\b([A-Za-z_]\w*)(?!\w)[ \t]*:=/g)) names.add(m[1]!);
  if (text.includes('def') || text.includes('class')) for (const m of text.matchAll(/^[ \t]+(?:async[ \t]+)?(?:def|class)[ \t]+(\w+)/gm)) names.add(m[1]!);
  return names;
}

const isWordChar = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c > 127;

/** The `:` ending a lambda's parameters on its line (or the line end). */
function lambdaColon(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 58 /* : */ || c === 10 || c === 13) return i;
  }
  return -1;
}

/** Per tree: which names could be function locals at all (from the text), and each function's locals. */
export class Scopes {
  private possibleMemo?: Set<string>;
  private literalNames?: Set<string>;
  private valueNames?: Set<string>;
  private readonly perFunction = new Map<number, LocalNames>();
  private readonly resolved = new Map<number, Map<string, LocalBinding>>();

  constructor(
    readonly tree: Tree,
    readonly text: string,
    readonly ix: TreeIndex,
  ) {}

  /** Read from the text on first use: most texts without candidates never need it. */
  private get possible(): Set<string> {
    this.possibleMemo ??= possibleLocalNames(this.text);
    return this.possibleMemo;
  }

  /** Cheap pre-check: could `name` be a function local anywhere in this tree? */
  mayBeLocal(name: string): boolean {
    return this.possible.has(name);
  }

  /** Whether `name` could be a function local assigned a literal (cheap, from the text). */
  mayBeLocalLiteral(name: string): boolean {
    this.literalNames ??= new Set([...this.text.matchAll(LOCAL_LITERAL)].map((m) => m[1]!));
    return this.literalNames.has(name);
  }

  /** Whether `name` could be a function local assigned a name, call or display. */
  mayBeLocalValue(name: string): boolean {
    this.valueNames ??= new Set([...this.text.matchAll(LOCAL_VALUE)].map((m) => m[1]!));
    return this.valueNames.has(name);
  }

  /** Names that may be local aliases or call results (for the word scan). */
  localValueNames(): ReadonlySet<string> {
    this.valueNames ??= new Set([...this.text.matchAll(LOCAL_VALUE)].map((m) => m[1]!));
    return this.valueNames;
  }

  /** What `name`, used at `node`, is in the enclosing functions. */
  binding(node: Node, name: string): LocalBinding {
    if (!this.possible.has(name)) return NOT_LOCAL;
    const fn = this.ix.enclosing(node, FUNCTION_TYPES);
    return fn ? this.bindingIn(fn, name) : NOT_LOCAL;
  }

  shadowed(node: Node, name: string): boolean {
    return this.binding(node, name).shadowed;
  }

  /** `name` as seen from inside function `fn`: its own locals, else the enclosing function's. */
  private bindingIn(fn: Node, name: string): LocalBinding {
    // Iterative over the chain of enclosing functions; every function visited gets the answer.
    const visited: Node[] = [];
    let result: LocalBinding = NOT_LOCAL;
    for (let f: Node | null = fn; f; f = this.ix.enclosing(f, FUNCTION_TYPES)) {
      const memo = this.resolved.get(f.id)?.get(name);
      if (memo) {
        result = memo;
        break;
      }
      visited.push(f);
      const n = this.locals(f);
      if (n.imported.has(name)) break;
      if (n.assigned.has(name)) {
        const once = n.counts.get(name) === 1;
        const value = once ? n.values.get(name) : undefined;
        const rhs = once ? n.rhs.get(name) : undefined;
        result = { shadowed: true, ...(value ? { value } : {}), ...(rhs ? { rhs } : {}) };
        break;
      }
    }
    // The answer found in an outer function holds for the inner ones that do not bind the name.
    for (const f of visited) {
      let m = this.resolved.get(f.id);
      if (!m) this.resolved.set(f.id, (m = new Map()));
      m.set(name, result);
    }
    return result;
  }

  private locals(fn: Node): LocalNames {
    let names = this.perFunction.get(fn.id);
    if (!names) this.perFunction.set(fn.id, (names = collectLocals(fn, this.ix)));
    return names;
  }
}

function parameterNames(params: Node | null, out: LocalNames): void {
  if (!params) return;
  for (const p of params.namedChildren) {
    if (!p) continue;
    let name: string | undefined;
    if (p.type === 'identifier') name = p.text;
    else {
      const n = p.childForFieldName('name') ?? p.namedChildren.find((c) => c?.type === 'identifier');
      if (n?.type === 'identifier') name = n.text;
    }
    if (name) {
      out.assigned.add(name);
      out.counts.set(name, 2);
    }
  }
}

/** Bind the identifiers of an assignment target (`a`, `a, b`, `(a, [b, *c])`); not `a.b` or `a[0]`. */
function bindTarget(t: Node | null, names: LocalNames, right?: Node | null): void {
  if (!t) return;
  const stack: Node[] = [t];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'identifier') {
      names.assigned.add(n.text);
      names.counts.set(n.text, (names.counts.get(n.text) ?? 0) + 1);
      if (right && n.id === t.id) {
        const v = constantValue(right);
        if (v) names.values.set(n.text, v);
        names.rhs.set(n.text, right);
      }
    } else if (TARGET_PATTERNS.has(n.type)) {
      for (const c of n.namedChildren) if (c) stack.push(c);
    }
  }
}

function importedNames(stmt: Node, out: Set<string>): void {
  for (const n of stmt.childrenForFieldName('name')) {
    if (!n) continue;
    const alias = n.type === 'aliased_import' ? n.childForFieldName('alias') : undefined;
    const name = alias?.text ?? (stmt.type === 'import_statement' ? n.namedChildren[0]?.text : n.text);
    if (name) out.add(name);
  }
}

/** The names bound in a function: parameters, then its body's statements (not nested scopes). */
function collectLocals(fn: Node, ix: TreeIndex): LocalNames {
  const names: LocalNames = { assigned: new Set(), imported: new Set(), counts: new Map(), values: new Map(), rhs: new Map() };
  parameterNames(fn.childForFieldName('parameters'), names);
  const body = fn.childForFieldName('body');
  // A lambda's body is an expression: only its parameters are local.
  if (body?.type !== 'block') return names;
  const blocks: Node[] = [body];
  while (blocks.length) {
    const block = blocks.pop()!;
    for (const s of block.namedChildren) {
      if (!s) continue;
      ix.adopt(block, s);
      if (NESTED_SCOPES.has(s.type)) {
        // `def name` / `class name` bind their own name in this scope.
        const n = s.type === 'decorated_definition' ? s.childForFieldName('definition')?.childForFieldName('name') : s.childForFieldName('name');
        if (n) bindTarget(n, names);
        continue;
      }
      statementBindings(s, names);
      // Compound statements: their blocks (and else/except/finally clauses) share this scope.
      for (const c of s.namedChildren) {
        if (!c) continue;
        if (c.type === 'block') blocks.push(c);
        else if (CLAUSES.has(c.type)) for (const b of c.namedChildren) if (b?.type === 'block') blocks.push(b);
      }
    }
  }
  return names;
}

function statementBindings(s: Node, names: LocalNames): void {
  switch (s.type) {
    case 'expression_statement':
      for (const e of s.namedChildren) {
        let a: Node | null = e;
        // `a = b = value`: each left side binds; only the plain `a = value` records the value.
        while (a && (a.type === 'assignment' || a.type === 'augmented_assignment')) {
          const right = a.childForFieldName('right');
          const plain = a.type === 'assignment' && right !== null && right.type !== 'assignment';
          bindTarget(a.childForFieldName('left'), names, plain ? right : undefined);
          a = right;
        }
      }
      break;
    case 'import_statement':
    case 'import_from_statement':
      importedNames(s, names.imported);
      break;
    case 'for_statement':
      bindTarget(s.childForFieldName('left'), names);
      break;
    case 'with_statement':
      // `with a as x, b as (y, z):` — only the clause's items, not the body (read separately).
      for (const clause of s.namedChildren) {
        if (clause?.type !== 'with_clause') continue;
        for (const item of clause.namedChildren) {
          const pat = item?.type === 'with_item' ? item.namedChildren[0] : null;
          if (pat?.type !== 'as_pattern') continue;
          const alias = pat.childForFieldName('alias');
          bindTarget(alias?.namedChildren[0] ?? alias, names);
        }
      }
      break;
  }
}
