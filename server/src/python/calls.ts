// Finds the calls the code rules care about. Candidates are found by one scan of the text for the
// identifiers of interest (and a cheap resolution of the dotted name before them), then the tree
// is asked, in one forward pass, what each survivor is: much cheaper than walking every node of a
// big file, and strings and comments are rejected by the tree (their occurrences are not
// identifiers). Also found: a loader handed to something that calls it (`map(pickle.load, fs)`,
// as its reference expression), `getattr(module, "loader")(...)`, calls through local aliases and
// on call results (`Pipeline.from_pretrained(...).load_lora_weights(...)`), and assignments to
// `os.environ[...]` (process-wide switches).
import type { Node } from './parser';
import type { Resolver } from './meaning';
import { resolveDotted, type ModuleBindings } from './resolve';
import { chainStart, isIdentChar, scanWords, type WordSet } from './textScan';
import type { PyUnit } from './unit';

export interface CallScanSpec {
  /** Terminal identifiers of interesting callees (`load`, `from_pretrained`). */
  names: ReadonlySet<string>;
  /** Keyword names that make any call interesting (`trust_remote_code`). */
  keywords: ReadonlySet<string>;
  /** Qualified names the rules inspect (also reachable through `from m import *`). */
  starKnown: ReadonlySet<string>;
  /** Whether the rules inspect qualified name `q` (a reference, not a call, must match exactly). */
  matches(q: string, called: boolean): boolean;
  /** Terminal names of methods the rules inspect on call results (`load_lora_weights`). */
  methods: ReadonlySet<string>;
  bindings: ModuleBindings;
  /** names ∪ keywords ∪ {getattr, environ}, prepared once for the word scan. */
  words: WordSet;
}

/** The call whose callee ends with identifier `id` (the text already showed `chain(`). */
function callOfCalleeName(id: Node, dotted: boolean, unit: PyUnit): Node | undefined {
  const { ix } = unit;
  const fn = dotted ? ix.parentOf(id) : id;
  if (!fn || (dotted && (fn.type !== 'attribute' || fn.childForFieldName('attribute')?.id !== id.id))) return undefined;
  const call = ix.parentOf(fn);
  return call?.type === 'call' && call.childForFieldName('function')?.id === fn.id ? call : undefined;
}

/**
 * The call in whose arguments a keyword named `id` appears; for a `"key": value` entry, the call
 * the dict display is passed to, or the dict display itself (`cfg = {"trust_remote_code": True}`).
 */
function callOfKeyword(id: Node, unit: PyUnit): Node | undefined {
  const { ix } = unit;
  let n: Node | null = ix.parentOf(id);
  if (n?.type === 'keyword_argument') {
    if (n.childForFieldName('name')?.id !== id.id) return undefined;
    const args = ix.parentOf(n);
    const call = args ? ix.parentOf(args) : null;
    return call?.type === 'call' ? call : undefined;
  }
  if (n?.type === 'string_content') n = ix.parentOf(n);
  const pair = n?.type === 'string' ? ix.parentOf(n) : null;
  if (pair?.type === 'pair' && pair.childForFieldName('key')?.id === n!.id) {
    const dict = ix.parentOf(pair);
    if (dict?.type !== 'dictionary') return undefined;
    const holder = ix.parentOf(dict);
    const holderParent = holder ? ix.parentOf(holder) : null;
    if (holder?.type === 'argument_list' && holderParent?.type === 'call') return holderParent;
    if (holder?.type === 'dictionary_splat') {
      const call = holderParent ? ix.parentOf(holderParent) : null;
      if (holderParent?.type === 'argument_list' && call?.type === 'call') return call;
    }
    if (holder?.type === 'keyword_argument' && holderParent?.type === 'argument_list') {
      const call = ix.parentOf(holderParent);
      if (call?.type === 'call') return call;
    }
    return dict;
  }
  return undefined;
}

/** Callers that call the function they are given (`map(pickle.load, fs)`, `pool.imap(...)`). */
const INVOKERS = new Set(['map', 'partial', 'partialmethod', 'imap', 'imap_unordered', 'starmap', 'apply', 'apply_async', 'map_async', 'starmap_async', 'submit', 'run_in_executor']);

/**
 * A loader passed to something that calls it: an argument of `map`/`partial`/a pool or executor
 * method, or `loader=` (torchvision's `DatasetFolder(root, loader=torch.load)`). Returns the
 * reference expression. Other mentions (`inspect.signature(torch.load)`) are not calls.
 */
function invokedReference(id: Node, dotted: boolean, unit: PyUnit, resolver: Resolver): Node | undefined {
  const { ix } = unit;
  const expr = dotted ? ix.parentOf(id) : id;
  if (!expr || (dotted && (expr.type !== 'attribute' || expr.childForFieldName('attribute')?.id !== id.id))) return undefined;
  const parent = ix.parentOf(expr);
  if (parent?.type === 'keyword_argument') {
    return parent.childForFieldName('name')?.text === 'loader' && parent.childForFieldName('value')?.id === expr.id ? expr : undefined;
  }
  const call = parent?.type === 'argument_list' ? ix.parentOf(parent) : null;
  if (call?.type !== 'call') return undefined;
  const fn = call.childForFieldName('function');
  const name = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : fn?.type === 'identifier' ? fn.text : undefined;
  if (name !== undefined && INVOKERS.has(name)) return expr;
  // `from functools import partial as bind`: the callee resolves to functools.partial.
  const q = fn ? resolver.qualified(fn) : undefined;
  return q === 'functools.partial' || q === 'functools.partialmethod' ? expr : undefined;
}

type Look = { shape: 'dotted' | 'bare'; called: boolean };

/**
 * A cheap textual pre-check: the dotted chain ending at the occurrence resolves to something a
 * rule inspects (or may, through a local alias or a call result), and is called (`(` follows)
 * or may be handed to a caller (`,`/`)` follow; exact names only). Survivors go to the tree.
 */
function looksInteresting(text: string, i: number, name: string, spec: CallScanSpec, unit: PyUnit): Look | undefined {
  let j = i + name.length;
  while (j < text.length && (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9)) j++;
  const next = text.charCodeAt(j);
  const called = next === 40; /* ( */
  if (!called && next !== 44 && next !== 41 && next !== 10 && next !== 13 && !Number.isNaN(next)) return undefined;
  const k = chainStart(text, i + name.length, i);
  if (k < 0) return undefined;
  if (text.charCodeAt(k) === 46 /* . */) {
    // `<call>.name(`: a method on a call's result, decided by the tree.
    return called && spec.methods.has(name) ? { shape: 'dotted', called } : undefined;
  }
  const chain = text.slice(k, i + name.length).split('.');
  const shape = k < i ? 'dotted' : 'bare';
  const q = resolveDotted(chain, spec.bindings, spec.starKnown);
  if (q !== undefined && spec.matches(q, called)) return { shape, called };
  // A function-local alias or call result (`load = torch.load`, `pipe = P.from_pretrained(...)`).
  if (called && unit.scopes.mayBeLocalValue(chain[0]!)) return { shape, called };
  return undefined;
}

/** `os.environ[...] = value` (the assignment), for `environ` at `id`. */
function environAssignment(id: Node, unit: PyUnit): Node | undefined {
  const { ix } = unit;
  let n: Node | null = ix.parentOf(id);
  if (n?.type === 'attribute') {
    if (n.childForFieldName('attribute')?.id !== id.id) return undefined;
  } else n = id;
  const sub = n ? ix.parentOf(n) : null;
  if (sub?.type !== 'subscript' || sub.childForFieldName('value')?.id !== n!.id) return undefined;
  const assign = ix.parentOf(sub);
  return assign?.type === 'assignment' && assign.childForFieldName('left')?.id === sub.id ? assign : undefined;
}

/** `getattr(module, "name")(...)`: the outer call, for `getattr` at `id`. */
function callThroughGetattr(id: Node, unit: PyUnit): Node | undefined {
  const inner = callOfCalleeName(id, false, unit);
  if (!inner) return undefined;
  const outer = unit.ix.parentOf(inner);
  return outer?.type === 'call' && outer.childForFieldName('function')?.id === inner.id ? outer : undefined;
}

/**
 * The calls (and `os.environ[...]` assignments, dict displays with interesting keys) the rules
 * inspect, in text order. With `within`, only those whose identifier sits at an offset it accepts
 * (the spans the server could not reuse from the last keystroke).
 */
export function findCandidateCalls(unit: PyUnit, spec: CallScanSpec, resolver: Resolver, within?: (at: number) => boolean): Node[] {
  const { text, ix } = unit;
  const found = new Map<number, Node>();
  const localNames = unit.scopes.localValueNames();
  const hits = scanWords(text, spec.words);
  // Local aliases and call results (`tl = torch.load`) vary per text: found by a native search
  // each (there are few).
  for (const n of localNames) {
    if (spec.words.words.has(n)) continue;
    const at: number[] = [];
    for (let i = text.indexOf(n); i !== -1; i = text.indexOf(n, i + n.length)) {
      if ((i > 0 && isIdentChar(text.charCodeAt(i - 1))) || isIdentChar(text.charCodeAt(i + n.length))) continue;
      at.push(i);
    }
    if (at.length) hits.set(n, at);
  }
  type Probe = { at: number; len: number; kind: 'name' | 'keyword' | 'getattr' | 'environ'; look?: Look };
  const probes: Probe[] = [];
  for (const [word, positions] of hits) {
    const isName = spec.names.has(word) || localNames.has(word);
    for (const i of positions) {
      if (within && !within(i)) continue;
      if (isName) {
        const look = looksInteresting(text, i, word, spec, unit);
        if (look) probes.push({ at: i, len: word.length, kind: 'name', look });
      }
      if (spec.keywords.has(word)) probes.push({ at: i, len: word.length, kind: 'keyword' });
      if (word === 'getattr' && text.charCodeAt(i - 1) !== 46 && nextNonBlank(text, i + 7) === 40) probes.push({ at: i, len: 7, kind: 'getattr' });
      if (word === 'environ' && nextNonBlank(text, i + 7) === 91 /* [ */) {
        const k = chainStart(text, i + 7, i);
        if (k >= 0 && resolveDotted(text.slice(k, i + 7).split('.'), spec.bindings) === 'os.environ') probes.push({ at: i, len: 7, kind: 'environ' });
      }
    }
  }
  const nodes = ix.locate(probes.map((p) => [p.at, p.at + p.len] as const));
  probes.forEach((p, k) => {
    const node = nodes[k];
    if (!node) return;
    let hit: Node | undefined;
    if (p.kind === 'keyword') hit = callOfKeyword(node, unit);
    else if (node.type !== 'identifier') return;
    else if (p.kind === 'name') hit = p.look!.called ? callOfCalleeName(node, p.look!.shape === 'dotted', unit) : invokedReference(node, p.look!.shape === 'dotted', unit, resolver);
    else if (p.kind === 'getattr') hit = callThroughGetattr(node, unit);
    else hit = environAssignment(node, unit);
    if (hit) found.set(hit.id, hit);
  });
  return [...found.values()].sort((a, b) => a.startIndex - b.startIndex);
}

function nextNonBlank(text: string, from: number): number {
  let j = from;
  while (j < text.length && (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9)) j++;
  return text.charCodeAt(j);
}

