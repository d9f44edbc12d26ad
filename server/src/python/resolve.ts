// Import and alias resolution: which local names mean which modules and functions.
// Scope model (deliberately simple): an import anywhere in the module (also inside a function or
// an `if`/`try`) is visible everywhere; a module-level `def`/`class` or a plain assignment of a
// value we cannot read shadows the name from that point on; `name = torch.load`,
// `name = getattr(torch, "load")` are aliases and `pipe = Pipeline.from_pretrained(...)` binds the
// call's result (`…from_pretrained()`), so `pipe.load_lora_weights` resolves. Function parameters
// and locals are handled per call site (scope.ts, meaning.ts). Module values: a name bound once
// at module level keeps its right-hand side (literals become constants, dicts feed `**kwargs`).
import type { ArgValue, Bindings } from '../domain';
import { constantValue, moduleValues, type ModuleValues } from './constants';
import type { Node } from './parser';
import { isIdentChar } from './textScan';
import type { PyUnit } from './unit';

/** Bindings plus the module values' syntax (python/ internal: the domain type stays plain data). */
export interface ModuleBindings extends Bindings {
  /** Names bound exactly once at module level -> the right-hand side of that assignment. */
  values: Map<string, Node>;
}

/** Spellings that name the same API (`cPickle` is `pickle` on Python 2, `tf.keras` is Keras). */
export const CANONICAL_PREFIXES: [string, string][] = [
  ['cPickle', 'pickle'],
  ['_pickle', 'pickle'],
  ['sklearn.externals.joblib', 'joblib'],
  ['tensorflow.python.keras', 'keras'],
  ['tensorflow.keras', 'keras'],
  ['tf_keras', 'keras'],
  ['keras.src.saving', 'keras.saving'],
  ['keras_nlp', 'keras_hub'],
  ['ruamel.yaml', 'ruamel_yaml'],
  ['pandas.io.pickle', 'pandas'],
  ['pandas.io.pytables', 'pandas'],
  ['torch.serialization.load', 'torch.load'],
  ['pytorch_lightning', 'lightning.pytorch'],
  ['langchain.load', 'langchain_core.load'],
  ['llama_index.legacy', 'llama_index.core'],
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
  /** An assignment whose right side decides (alias, getattr, call result, or shadow). */
  rhs?: Node;
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

const MODULE_DEF = /^(?:async[ \t]+)?(?:def|class)[ \t]+([A-Za-z_]\w*)/gm;
const MODULE_ASSIGN = /^([A-Za-z_]\w*)[ \t]*(?::[^=\n\r]*)?=(?!=)[ \t]*([A-Za-z_][\w.]*)?/gm;

/** Import statements anywhere, found from the `import` keywords in the text (cheap on big files). */
function importStatements(unit: PyUnit): Node[] {
  const { text } = unit;
  const at: number[] = [];
  for (let i = text.indexOf('import'); i !== -1; i = text.indexOf('import', i + 6)) {
    if ((i > 0 && isIdentChar(text.charCodeAt(i - 1))) || isIdentChar(text.charCodeAt(i + 6))) continue;
    at.push(i);
  }
  const seen = new Map<number, Node>();
  unit.ix.locate(at.map((i) => [i, i + 6] as const)).forEach((kw) => {
    const stmt = kw && unit.ix.parentOf(kw);
    if (stmt && (stmt.type === 'import_statement' || stmt.type === 'import_from_statement')) seen.set(stmt.id, stmt);
  });
  return [...seen.values()];
}

/**
 * Import statements anywhere, and the module-level `def`/`class`/assignments (column 0) that
 * rebind an imported name or alias an import. Text finds candidates; the tree confirms them
 * (so a `def load` inside a docstring does not count).
 */
function unitEvents(unit: PyUnit, index: number, out: BindingEvent[], known: Set<string>): void {
  const { text, ix } = unit;
  const base = index * 1e9;
  for (const imp of importStatements(unit)) {
    const before = out.length;
    importEvents(imp, base + imp.startIndex, out);
    for (let i = before; i < out.length; i++) known.add(out[i]!.name);
  }
  const defs = [...text.matchAll(MODULE_DEF)].filter((m) => known.has(m[1]!));
  // In text order, so that an alias of an alias (`load = torch.load; L = load`) is kept too.
  const assigns = [...text.matchAll(MODULE_ASSIGN)].filter((m) => {
    const root = m[2]?.split('.')[0];
    const keep = known.has(m[1]!) || (root !== undefined && (known.has(root) || root === 'getattr'));
    if (keep) known.add(m[1]!);
    return keep;
  });
  const defIds = ix.locate(defs.map((m) => {
    const at = m.index + m[0].length - m[1]!.length;
    return [at, at + m[1]!.length] as const;
  }));
  defs.forEach((m, k) => {
    const id = defIds[k];
    const def = id?.type === 'identifier' ? ix.parentOf(id) : null;
    if (!def || (def.type !== 'function_definition' && def.type !== 'class_definition')) return;
    const holder = ix.parentOf(def);
    const stmt = holder?.type === 'decorated_definition' ? holder : def;
    if (ix.parentOf(stmt)?.type === 'module') out.push({ order: base + m.index, name: m[1]! });
  });
  const assignIds = ix.locate(assigns.map((m) => [m.index, m.index + m[1]!.length] as const));
  assigns.forEach((m, k) => {
    const id = assignIds[k];
    const a = id?.type === 'identifier' ? ix.parentOf(id) : null;
    if (a?.type !== 'assignment' || a.childForFieldName('left')?.id !== id!.id) return;
    const stmt = ix.parentOf(a);
    if (stmt?.type !== 'expression_statement' || ix.parentOf(stmt)?.type !== 'module') return;
    const rhs = ix.field(a, 'right');
    out.push({ order: base + m.index, name: m[1]!, ...(rhs ? { rhs } : {}) });
  });
}

/** What a module-level right-hand side means with the bindings so far: an alias or a call result. */
function moduleExpr(n: Node, b: Bindings, depth = 0): string | undefined {
  if (depth > 8) return undefined;
  switch (n.type) {
    case 'identifier':
    case 'attribute': {
      const parts = dottedParts(n);
      return parts ? resolveDotted(parts, b) : undefined;
    }
    case 'parenthesized_expression': {
      const inner = n.namedChildren.find((c) => c && c.type !== 'comment');
      return inner ? moduleExpr(inner, b, depth + 1) : undefined;
    }
    case 'call': {
      const fn = n.childForFieldName('function');
      if (!fn) return undefined;
      const args = (n.childForFieldName('arguments')?.namedChildren ?? []).filter((c) => c && c.type !== 'comment') as Node[];
      if (fn.type === 'identifier' && fn.text === 'getattr' && !b.names.has('getattr')) {
        const attr = args[1] ? constantValue(args[1]) : undefined;
        const obj = args[0] && args.length === 2 ? moduleExpr(args[0], b, depth + 1) : undefined;
        return obj && attr?.kind === 'string' && /^[A-Za-z_]\w*$/.test(attr.value) ? canonicalName(`${obj}.${attr.value}`) : undefined;
      }
      const callee = moduleExpr(fn, b, depth + 1);
      return callee ? `${callee}()` : undefined;
    }
    default:
      return undefined;
  }
}

/** Build the bindings of a module (or of a notebook: one tree per cell, in cell order). */
export function collectBindings(units: readonly PyUnit[]): ModuleBindings {
  const events: BindingEvent[] = [];
  const known = new Set<string>();
  units.forEach((u, i) => unitEvents(u, i, events, known));
  events.sort((a, b) => a.order - b.order);
  const mv: ModuleValues = { counts: new Map(), rhs: new Map() };
  for (const u of units) moduleValues(u.ix, u.text, mv);
  const constants = new Map<string, ArgValue>();
  const values = new Map<string, Node>();
  for (const [name, rhs] of mv.rhs) {
    if (mv.counts.get(name) !== 1) continue;
    values.set(name, rhs);
    const v = constantValue(rhs);
    if (v) constants.set(name, v);
  }
  const b: ModuleBindings = { names: new Map(), starModules: [], constants, values };
  for (const e of events) {
    if (e.star !== undefined) {
      b.starModules.push(e.star);
    } else if (e.rhs) {
      const target = moduleExpr(e.rhs, b);
      if (target) b.names.set(e.name, target);
      else b.names.delete(e.name);
    } else if (e.target === undefined) {
      b.names.delete(e.name);
    } else {
      b.names.set(e.name, e.target);
    }
  }
  for (const [name, target] of b.names) {
    constants.delete(name);
    // A call's result keeps its expression: `p = hf_hub_download(...)` is a path, `KW = dict(...)` a dict.
    if (!target.endsWith('()')) values.delete(name);
  }
  return b;
}

/** Dotted names longer than this are no API anyone documents; refusing them keeps joins cheap. */
export const MAX_PARTS = 64;

/**
 * Resolve `parts` (`['T', 'load']`) to a canonical qualified name, or undefined when the root is
 * not an import. `starKnown` lets `from pickle import *` resolve a bare `loads` we care about.
 */
export function resolveDotted(parts: readonly string[], b: Bindings, starKnown?: ReadonlySet<string>): string | undefined {
  const root = parts[0];
  if (!root || parts.length > MAX_PARTS) return undefined;
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

/** The identifiers of a pure dotted expression (`a.b.c`), or undefined for anything else (or too long). */
export function dottedParts(node: Node): string[] | undefined {
  const parts: string[] = [];
  let n: Node | null = node;
  while (n && n.type === 'attribute') {
    const attr = n.childForFieldName('attribute');
    if (!attr || parts.length >= MAX_PARTS) return undefined;
    parts.push(attr.text);
    n = n.childForFieldName('object');
  }
  if (!n || n.type !== 'identifier') return undefined;
  parts.push(n.text);
  return parts.reverse();
}

/** A local name bound to `module` itself (for fixes that write `yaml.SafeLoader`). */
export function moduleAlias(b: Bindings, module: string): string | undefined {
  for (const [name, target] of b.names) if (target === module) return name;
  return undefined;
}
