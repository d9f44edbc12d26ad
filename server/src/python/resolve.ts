// Import and alias resolution: which local names mean which modules and functions.
// Scope model (deliberately simple): an import anywhere in the module (also inside a function or
// an `if`/`try`) is visible everywhere; a module-level `def`/`class` or a plain assignment of a
// non-import value shadows the name from that point on; `name = torch.load` is an alias.
// Function parameters and locals that hide an import are handled per call site (scope.ts).
// Module constants: a name bound once at module level, to a literal, is recorded with its value.
import type { Node, Tree } from './parser';
import { moduleConstants } from './constants';
import type { ArgValue, Bindings } from '../domain';

/** Spellings that name the same API (`cPickle` is `pickle` on Python 2, `tf.keras` is Keras). */
export const CANONICAL_PREFIXES: [string, string][] = [
  ['cPickle', 'pickle'],
  ['_pickle', 'pickle'],
  ['sklearn.externals.joblib', 'joblib'],
  ['tensorflow.python.keras', 'keras'],
  ['tensorflow.keras', 'keras'],
  ['tf_keras', 'keras'],
  ['keras.src.saving', 'keras.saving'],
  ['ruamel.yaml', 'ruamel_yaml'],
  ['pandas.io.pickle', 'pandas'],
  ['torch.serialization.load', 'torch.load'],
];

export function canonicalName(qualified: string): string {
  for (const [from, to] of CANONICAL_PREFIXES) {
    if (qualified === from || qualified.startsWith(from + '.')) return to + qualified.slice(from.length);
  }
  return qualified;
}

interface BindingEvent {
  /** Ordering key: units in order, offsets within a unit. */
  order: number;
  name: string;
  /** undefined = shadowed by something that is not an import. */
  target?: string;
  star?: string;
}

function dottedText(node: Node): string {
  // dotted_name may contain whitespace in odd code (`a . b`); identifiers joined are canonical.
  return node.namedChildren.filter((c) => c?.type === 'identifier').map((c) => c!.text).join('.');
}

function importEvents(node: Node, order: number, out: BindingEvent[]): void {
  if (node.type === 'import_statement') {
    for (const n of node.childrenForFieldName('name')) {
      if (!n) continue;
      if (n.type === 'aliased_import') {
        const mod = n.childForFieldName('name');
        const alias = n.childForFieldName('alias');
        if (mod && alias) out.push({ order, name: alias.text, target: dottedText(mod) });
      } else if (n.type === 'dotted_name') {
        // `import a.b.c` binds `a`, through which `a.b.c` is reachable.
        const root = n.namedChildren[0]?.text;
        if (root) out.push({ order, name: root, target: root });
      }
    }
    return;
  }
  if (node.type !== 'import_from_statement') return;
  const modNode = node.childForFieldName('module_name');
  if (!modNode) return;
  // Relative modules keep their dots (`.`, `..pkg`); they never resolve to a library API.
  const mod = modNode.type === 'relative_import' ? modNode.text.replace(/\s+/g, '') : dottedText(modNode);
  const join = (name: string) => (mod.endsWith('.') ? mod + name : `${mod}.${name}`);
  if (node.namedChildren.some((c) => c?.type === 'wildcard_import')) {
    out.push({ order, name: '*', star: mod });
    return;
  }
  for (const n of node.childrenForFieldName('name')) {
    if (!n) continue;
    if (n.type === 'aliased_import') {
      const nm = n.childForFieldName('name');
      const alias = n.childForFieldName('alias');
      if (nm && alias) out.push({ order, name: alias.text, target: join(dottedText(nm)) });
    } else if (n.type === 'dotted_name') {
      out.push({ order, name: n.text, target: join(dottedText(n)) });
    }
  }
}

const isIdent = (c: number): boolean =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c > 127;

/** Import statements anywhere, found from the `import` keywords in the text (cheap on big files). */
function importStatements(tree: Tree, text: string): Node[] {
  const seen = new Map<number, Node>();
  for (let i = text.indexOf('import'); i !== -1; i = text.indexOf('import', i + 6)) {
    if ((i > 0 && isIdent(text.charCodeAt(i - 1))) || isIdent(text.charCodeAt(i + 6))) continue;
    const kw = tree.rootNode.descendantForIndex(i, i + 6);
    const stmt = kw?.parent;
    if (stmt && (stmt.type === 'import_statement' || stmt.type === 'import_from_statement')) seen.set(stmt.id, stmt);
  }
  return [...seen.values()];
}

const MODULE_DEF = /^(?:async[ \t]+)?(?:def|class)[ \t]+([A-Za-z_]\w*)/gm;
const MODULE_ASSIGN = /^([A-Za-z_]\w*)[ \t]*(?::[^=\n]*)?=(?!=)[ \t]*([A-Za-z_][\w.]*)?/gm;

/**
 * Import statements anywhere, and the module-level `def`/`class`/assignments (column 0) that
 * rebind an imported name or alias an import. Text finds candidates; the tree confirms them
 * (so a `def load` inside a docstring does not count).
 */
function unitEvents(tree: Tree, text: string, unit: number, out: BindingEvent[]): void {
  const base = unit * 1e9;
  const imported = new Set<string>();
  for (const imp of importStatements(tree, text)) {
    const before = out.length;
    importEvents(imp, base + imp.startIndex, out);
    for (let i = before; i < out.length; i++) imported.add(out[i]!.name);
  }
  const topLevel = (nameStart: number, name: string, parentTypes: string[]): boolean => {
    const id = tree.rootNode.descendantForIndex(nameStart, nameStart + name.length);
    let p = id?.type === 'identifier' ? id.parent : null;
    if (!p || !parentTypes.includes(p.type)) return false;
    if (p.type === 'assignment') p = p.parent;
    else if (p.parent?.type === 'decorated_definition') p = p.parent;
    return p?.parent?.type === 'module';
  };
  for (const m of text.matchAll(MODULE_DEF)) {
    const name = m[1]!;
    if (!imported.has(name)) continue;
    const at = m.index + m[0].length - name.length;
    if (topLevel(at, name, ['function_definition', 'class_definition'])) out.push({ order: base + m.index, name });
  }
  for (const m of text.matchAll(MODULE_ASSIGN)) {
    const name = m[1]!;
    const rhs = m[2];
    const rhsRoot = rhs?.split('.')[0];
    if (!imported.has(name) && !(rhsRoot && imported.has(rhsRoot))) continue;
    if (!topLevel(m.index, name, ['assignment'])) continue;
    // Only a whole-statement dotted right-hand side is an alias; anything else shadows.
    const lineEnd = text.indexOf('\n', m.index);
    const rest = text.slice(m.index + m[0].length, lineEnd === -1 ? text.length : lineEnd).trim();
    const alias = rhs !== undefined && (rest === '' || rest.startsWith('#'));
    out.push({ order: base + m.index, name, target: alias ? `=${rhs}` : undefined });
  }
}

/** Build the bindings of a module (or of a notebook: one tree per cell, in cell order). */
export function collectBindings(units: readonly { tree: Tree; text: string }[]): Bindings {
  const events: BindingEvent[] = [];
  units.forEach((u, i) => unitEvents(u.tree, u.text, i, events));
  events.sort((a, b) => a.order - b.order);
  const constants = new Map<string, ArgValue>();
  const counts = new Map<string, number>();
  const values = new Map<string, ArgValue>();
  for (const u of units) moduleConstants(u.tree, u.text, counts, values);
  for (const [name, v] of values) if (counts.get(name) === 1) constants.set(name, v);
  const b: Bindings = { names: new Map(), starModules: [], constants };
  for (const e of events) {
    if (e.star !== undefined) {
      b.starModules.push(e.star);
    } else if (e.target === undefined) {
      b.names.delete(e.name);
    } else if (e.target.startsWith('=')) {
      const resolved = resolveDotted(e.target.slice(1).split('.'), b);
      if (resolved) b.names.set(e.name, resolved);
      else b.names.delete(e.name);
    } else {
      b.names.set(e.name, e.target);
    }
  }
  for (const name of b.names.keys()) constants.delete(name);
  return b;
}

/**
 * Resolve `parts` (`['T', 'load']`) to a canonical qualified name, or undefined when the root is
 * not an import. `starKnown` lets `from pickle import *` resolve a bare `loads` we care about.
 */
export function resolveDotted(parts: readonly string[], b: Bindings, starKnown?: ReadonlySet<string>): string | undefined {
  const root = parts[0];
  if (!root) return undefined;
  const target = b.names.get(root);
  if (target !== undefined) return canonicalName([target, ...parts.slice(1)].join('.'));
  if (starKnown) {
    for (const mod of b.starModules) {
      const candidate = canonicalName([mod, ...parts].join('.'));
      if (starKnown.has(candidate)) return candidate;
    }
  }
  return undefined;
}

/** The identifiers of a pure dotted expression (`a.b.c`), or undefined for anything else. */
export function dottedParts(node: Node): string[] | undefined {
  const parts: string[] = [];
  let n: Node | null = node;
  while (n && n.type === 'attribute') {
    const attr = n.childForFieldName('attribute');
    if (!attr) return undefined;
    parts.unshift(attr.text);
    n = n.childForFieldName('object');
  }
  if (!n || n.type !== 'identifier') return undefined;
  parts.unshift(n.text);
  return parts;
}

/** A local name bound to `module` itself (for fixes that write `yaml.SafeLoader`). */
export function moduleAlias(b: Bindings, module: string): string | undefined {
  for (const [name, target] of b.names) if (target === module) return name;
  return undefined;
}
