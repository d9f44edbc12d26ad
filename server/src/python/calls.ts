// Finds the calls the code rules care about. Candidates are found by scanning the text for the
// few identifiers of interest (and a cheap resolution of the dotted name before them), then asking
// the tree what each survivor is: much cheaper than walking every node of a big file, and strings
// and comments are rejected by the tree (their occurrences are not identifiers). A loader handed
// to something that calls it (`map(pickle.load, fs)`) is found as its reference expression.
import type { Bindings } from '../domain';
import type { Node, Tree } from './parser';
import { resolveDotted } from './resolve';

export interface CallScanSpec {
  /** Terminal identifiers of interesting callees (`load`, `from_pretrained`). */
  names: ReadonlySet<string>;
  /** Keyword names that make any call interesting (`trust_remote_code`). */
  keywords: ReadonlySet<string>;
  /** Qualified names the rules inspect (also reachable through `from m import *`). */
  starKnown: ReadonlySet<string>;
  /** Qualified-name suffixes the rules inspect (`.from_pretrained`). */
  suffixes: readonly string[];
  bindings: Bindings;
}

const isIdentChar = (c: number): boolean =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c > 127;

function* wordOccurrences(text: string, word: string): Generator<number> {
  for (let i = text.indexOf(word); i !== -1; i = text.indexOf(word, i + word.length)) {
    if (i > 0 && isIdentChar(text.charCodeAt(i - 1))) continue;
    const after = i + word.length;
    if (after < text.length && isIdentChar(text.charCodeAt(after))) continue;
    yield i;
  }
}

/** The call whose callee ends with identifier `id` (the text already showed `chain(`). */
function callOfCalleeName(id: Node, dotted: boolean): Node | undefined {
  const fn = dotted ? id.parent : id;
  if (dotted && fn?.type !== 'attribute') return undefined;
  const call = fn?.parent;
  return call?.type === 'call' && call.startIndex === fn!.startIndex ? call : undefined;
}

/**
 * The call in whose arguments a keyword named `id` appears; for a `"key": value` entry, the call
 * the dict display is passed to, or the dict display itself (`cfg = {"trust_remote_code": True}`).
 */
function callOfKeyword(id: Node): Node | undefined {
  let n: Node | null = id.parent;
  if (n?.type === 'keyword_argument') return n.parent?.parent?.type === 'call' ? n.parent.parent : undefined;
  if (n?.type === 'string_content') n = n.parent;
  if (n?.type === 'string' && n.parent?.type === 'pair' && n.parent.childForFieldName('key')?.equals(n)) {
    const dict = n.parent.parent;
    if (dict?.type !== 'dictionary') return undefined;
    const args = dict.parent;
    if (args?.type === 'argument_list' && args.parent?.type === 'call') return args.parent;
    if (args?.type === 'keyword_argument' && args.parent?.parent?.type === 'call') return args.parent.parent;
    return dict;
  }
  return undefined;
}

/** Callers that call the function they are given (`map(pickle.load, fs)`, `pool.imap(...)`). */
const INVOKERS = new Set(['map', 'partial', 'imap', 'imap_unordered', 'starmap', 'apply', 'apply_async', 'map_async', 'starmap_async', 'submit', 'run_in_executor']);

/**
 * A loader passed to something that calls it: an argument of `map`/`partial`/a pool or executor
 * method, or `loader=` (torchvision's `DatasetFolder(root, loader=torch.load)`). Returns the
 * reference expression. Other mentions (`inspect.signature(torch.load)`) are not calls.
 */
function invokedReference(id: Node, dotted: boolean): Node | undefined {
  const expr = dotted ? id.parent : id;
  if (!expr || (dotted && (expr.type !== 'attribute' || !expr.childForFieldName('attribute')?.equals(id)))) return undefined;
  const parent = expr.parent;
  if (parent?.type === 'keyword_argument') {
    return parent.childForFieldName('name')?.text === 'loader' && parent.childForFieldName('value')?.equals(expr) ? expr : undefined;
  }
  const call = parent?.type === 'argument_list' ? parent.parent : null;
  if (call?.type !== 'call') return undefined;
  const fn = call.childForFieldName('function');
  const name = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : fn?.type === 'identifier' ? fn.text : undefined;
  return name !== undefined && INVOKERS.has(name) ? expr : undefined;
}

/**
 * A cheap textual pre-check: the dotted chain ending at the occurrence resolves to something a
 * rule inspects, and is called (`(` follows) or may be handed to a caller (`,`/`)` follow; exact
 * names only). Only survivors are looked up in the tree.
 */
function looksInteresting(text: string, i: number, name: string, spec: CallScanSpec): { shape: 'dotted' | 'bare'; called: boolean } | undefined {
  let j = i + name.length;
  while (j < text.length && (text[j] === ' ' || text[j] === '\t')) j++;
  const called = text[j] === '(';
  if (!called && text[j] !== ',' && text[j] !== ')' && text[j] !== '\n' && text[j] !== '\r') return undefined;
  let k = i;
  while (k > 0) {
    const c = text.charCodeAt(k - 1);
    if (isIdentChar(c) || c === 46 /* . */) k--;
    else break;
  }
  const chain = text.slice(k, i + name.length);
  if (chain.startsWith('.')) return undefined;
  const q = resolveDotted(chain.split('.'), spec.bindings, spec.starKnown);
  if (q === undefined || !(spec.starKnown.has(q) || (called && spec.suffixes.some((s) => q.endsWith(s))))) return undefined;
  return { shape: k < i ? 'dotted' : 'bare', called };
}

export function findCandidateCalls(tree: Tree, text: string, spec: CallScanSpec): Node[] {
  const root = tree.rootNode;
  const found = new Map<number, Node>();
  for (const name of spec.names) {
    for (const i of wordOccurrences(text, name)) {
      const look = looksInteresting(text, i, name, spec);
      if (!look) continue;
      const id = root.descendantForIndex(i, i + name.length);
      if (id?.type !== 'identifier') continue;
      const node = look.called ? callOfCalleeName(id, look.shape === 'dotted') : invokedReference(id, look.shape === 'dotted');
      if (node) found.set(node.id, node);
    }
  }
  for (const kw of spec.keywords) {
    for (const i of wordOccurrences(text, kw)) {
      const node = root.descendantForIndex(i, i + kw.length);
      if (!node) continue;
      const call = callOfKeyword(node);
      if (call) found.set(call.id, call);
    }
  }
  return [...found.values()].sort((a, b) => a.startIndex - b.startIndex);
}
