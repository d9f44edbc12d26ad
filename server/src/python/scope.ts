// Function scopes, just enough to stop a local name from passing for an import or a module
// constant: `def f(torch): torch.load(p)` or `yaml = YAML(); yaml.load(p)` inside a function.
// A name is local to a function when it is a parameter or is assigned in the function's own body
// (not in nested functions or classes) and the function does not import it itself. A local
// assigned exactly once, to a literal, stands for that literal (`flag = False; f(x=flag)`).
import type { ArgValue } from '../domain';
import type { Node } from './parser';
import { constantValue } from './constants';

const NESTED_SCOPES = new Set(['function_definition', 'class_definition', 'decorated_definition', 'lambda']);

function parameterNames(params: Node | null, out: Set<string>): void {
  if (!params) return;
  for (const p of params.namedChildren) {
    if (!p) continue;
    if (p.type === 'identifier') out.add(p.text);
    else {
      const n = p.childForFieldName('name') ?? p.namedChildren.find((c) => c?.type === 'identifier');
      if (n?.type === 'identifier') out.add(n.text);
    }
  }
}

/** Identifiers bound by an assignment target (`a`, `a, b`, `(a, [b, *c])`); not `a.b` or `a[0]`. */
function targetNames(t: Node | null, out: Set<string>): void {
  if (!t) return;
  if (t.type === 'identifier') out.add(t.text);
  else if (['pattern_list', 'tuple_pattern', 'list_pattern', 'list_splat_pattern', 'tuple', 'list', 'parenthesized_expression'].includes(t.type)) {
    for (const c of t.namedChildren) targetNames(c, out);
  }
}

interface LocalNames {
  assigned: Set<string>;
  imported: Set<string>;
  /** How often each name is bound (parameters count twice: never a constant). */
  counts: Map<string, number>;
  values: Map<string, ArgValue>;
}

function bindTarget(t: Node | null, names: LocalNames, value?: ArgValue): void {
  const found = new Set<string>();
  targetNames(t, found);
  for (const n of found) {
    names.assigned.add(n);
    names.counts.set(n, (names.counts.get(n) ?? 0) + 1);
    if (value && t?.type === 'identifier') names.values.set(n, value);
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

/** Names bound in the statements of `block` (descending into compound statements, not scopes). */
function collect(block: Node, names: LocalNames): void {
  for (const s of block.namedChildren) {
    if (!s || NESTED_SCOPES.has(s.type)) {
      // `def name` / `class name` bind their own name in this scope.
      const n = s?.type === 'decorated_definition' ? s.childForFieldName('definition')?.childForFieldName('name') : s?.childForFieldName('name');
      if (n) bindTarget(n, names);
      continue;
    }
    switch (s.type) {
      case 'expression_statement':
        for (const e of s.namedChildren) {
          let a: Node | null = e;
          // `a = b = value`: each left side binds.
          while (a && (a.type === 'assignment' || a.type === 'augmented_assignment')) {
            const right = a.childForFieldName('right');
            const plain = a.type === 'assignment' && right?.type !== 'assignment';
            bindTarget(a.childForFieldName('left'), names, plain ? constantValue(right) : undefined);
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
        for (const item of s.descendantsOfType('as_pattern')) {
          if (item?.parent?.type === 'with_item') bindTarget(item.childForFieldName('alias')?.namedChildren[0] ?? item.childForFieldName('alias'), names);
        }
        break;
    }
    // Compound statements: their blocks (and else/except/finally clauses) share this scope.
    for (const c of s.namedChildren) {
      if (!c) continue;
      if (c.type === 'block') collect(c, names);
      else if (['else_clause', 'elif_clause', 'except_clause', 'finally_clause', 'case_clause'].includes(c.type)) {
        for (const b of c.namedChildren) if (b?.type === 'block') collect(b, names);
      }
    }
  }
}

// Per tree (a new parse is a new Tree object): the names that could be function locals at all,
// from the text (parameters, indented assignment targets, loop and `as` targets), so that most
// look-ups never touch the tree; and each function's locals, collected once.
const possible = new WeakMap<object, Set<string>>();
const possibleLiterals = new WeakMap<object, Set<string>>();

/** An indented assignment of a literal: the only way a function local stands for a literal. */
const LOCAL_LITERAL = /^[ \t]+([A-Za-z_]\w*)[ \t]*(?::[^=\n]*)?=(?!=)[ \t]*(?=[rRbBuU]{0,2}["']|True\b|False\b|None\b|\d)/gm;

/** Whether `name` could be a function local assigned a literal (cheap, from the text). */
export function mayBeLocalLiteral(node: Node, name: string): boolean {
  let names = possibleLiterals.get(node.tree);
  if (!names) {
    names = new Set([...node.tree.rootNode.text.matchAll(LOCAL_LITERAL)].map((m) => m[1]!));
    possibleLiterals.set(node.tree, names);
  }
  return names.has(name);
}
const locals = new WeakMap<object, Map<number, LocalNames>>();

const IDENT = /[A-Za-z_]\w*/g;
/** Patterns that bind function locals, each with a substring it cannot match without. */
const LOCAL_BINDERS: [RegExp, string][] = [
  [/\bdef[ \t]+\w+[ \t]*\(([^)]*)\)/g, 'def'],
  [/\blambda\b([^:\n]*):/g, 'lambda'],
  [/^[ \t]+([A-Za-z_][\w, \t*()[\]]*?)[ \t]*(?::[^=\n]*)?(?:[-+*\/%&|^@]|\/\/|\*\*|>>|<<)?=(?!=)/gm, '='],
  [/\bfor\b([^\n]*?)\bin\b/g, 'for'],
  // `with ... as x`, `except E as x` (an `import ... as x` is an import, not a local).
  [/^(?![ \t]*(?:import|from)\b)[^\n]*?\bas[ \t]+\(?([A-Za-z_]\w*)/gm, ' as'],
  [/([A-Za-z_]\w*)[ \t]*:=/g, ':='],
  [/^[ \t]+(?:async[ \t]+)?(?:def|class)[ \t]+(\w+)/gm, ' '],
];

function possibleLocals(node: Node): Set<string> {
  let names = possible.get(node.tree);
  if (!names) {
    names = new Set();
    const text = node.tree.rootNode.text;
    for (const [re, marker] of LOCAL_BINDERS) {
      if (!text.includes(marker)) continue;
      for (const m of text.matchAll(re)) for (const id of m[1]!.matchAll(IDENT)) names.add(id[0]);
    }
    possible.set(node.tree, names);
  }
  return names;
}

/** Cheap pre-check for localBinding: could `name` be a function local anywhere in this tree? */
export const mayBeLocal = (node: Node, name: string): boolean => possibleLocals(node).has(name);

function localNames(fn: Node): LocalNames {
  let perTree = locals.get(fn.tree);
  if (!perTree) locals.set(fn.tree, (perTree = new Map()));
  let names = perTree.get(fn.startIndex);
  if (!names) perTree.set(fn.startIndex, (names = collectLocals(fn)));
  return names;
}

function collectLocals(fn: Node): LocalNames {
  const names: LocalNames = { assigned: new Set(), imported: new Set(), counts: new Map(), values: new Map() };
  parameterNames(fn.childForFieldName('parameters'), names.assigned);
  for (const p of names.assigned) names.counts.set(p, 2);
  const body = fn.childForFieldName('body');
  // A lambda's body is an expression: only its parameters are local.
  if (body?.type === 'block') collect(body, names);
  return names;
}

export interface LocalBinding {
  /** `name` is a local of an enclosing function (so not the module's import or constant). */
  shadowed: boolean;
  /** The literal of a local assigned once to a literal. */
  value?: ArgValue;
}

/** What `name`, used at `node`, is in the enclosing functions. */
export function localBinding(node: Node, name: string): LocalBinding {
  if (!possibleLocals(node).has(name)) return { shadowed: false };
  for (let p = node.parent; p; p = p.parent) {
    if (p.type !== 'function_definition' && p.type !== 'lambda') continue;
    const n = localNames(p);
    if (n.imported.has(name)) return { shadowed: false };
    if (n.assigned.has(name)) {
      const value = n.counts.get(name) === 1 ? n.values.get(name) : undefined;
      return value ? { shadowed: true, value } : { shadowed: true };
    }
  }
  return { shadowed: false };
}

export const shadowedLocally = (node: Node, name: string): boolean => localBinding(node, name).shadowed;
