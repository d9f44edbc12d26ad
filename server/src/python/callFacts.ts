// Turns a call node into a plain CallFact: resolved callee, arguments with their literal values,
// `**kwargs`/`*args`, and the argument list's layout (for fixes that add a keyword).
import type { ArgFact, ArgListShape, ArgValue, Bindings, CallFact, KeywordFact } from '../domain';
import type { Node } from './parser';
import { dottedParts, resolveDotted } from './resolve';
import { localBinding, mayBeLocal, mayBeLocalLiteral, shadowedLocally } from './scope';

/**
 * The literal a name stands for at `node`: a function local assigned once to a literal, else a
 * module constant (unless a parameter or other local hides it). Strings get the use site's range.
 */
function constantAt(node: Node, b: Bindings): ArgValue | undefined {
  if (!mayStandForLiteral(node, b)) return undefined;
  const local = localBinding(node, node.text);
  const v = local.shadowed ? local.value : b.names.has(node.text) ? undefined : b.constants?.get(node.text);
  if (!v) return undefined;
  return v.kind === 'string' ? { ...v, contentRange: { start: node.startIndex, end: node.endIndex }, constant: node.text } : v;
}

/** Cheap pre-check: only imports, module constants and literal-assigned locals can change meaning. */
function mayStandForLiteral(node: Node, b: Bindings): boolean {
  const name = node.text;
  return b.names.has(name) || (b.constants?.has(name) ?? false) || mayBeLocalLiteral(node, name);
}

/** Whether the callee's root name is an import here (not a parameter or local of a function). */
function rootIsModuleLevel(fn: Node, root: string): boolean {
  if (!mayBeLocal(fn, root)) return true;
  let n: Node | null = fn;
  while (n && n.type === 'attribute') n = n.childForFieldName('object');
  return !n || !shadowedLocally(n, root);
}

/**
 * The function locals that affect a call's facts (its callee root and constant-named
 * arguments), for cache keys: the same call text can mean different things in two functions.
 */
export function localsKey(call: Node, b: Bindings): string {
  if (call.type !== 'call') return '';
  const out: string[] = [];
  const fn = call.childForFieldName('function');
  const parts = fn ? dottedParts(fn) : undefined;
  if (fn && parts && (b.names.has(parts[0]!) || b.starModules.length > 0) && !rootIsModuleLevel(fn, parts[0]!)) out.push(parts[0]!);
  const args = call.childForFieldName('arguments');
  // Most calls name nothing that could stand for a literal: decide that from the text first.
  const argText = args?.text ?? '';
  let candidate = false;
  for (const m of argText.matchAll(/[A-Za-z_]\w*/g)) {
    if (b.names.has(m[0]) || b.constants?.has(m[0]) || mayBeLocalLiteral(call, m[0])) {
      candidate = true;
      break;
    }
  }
  if (!candidate) return out.join(',');
  for (const a of args?.namedChildren ?? []) {
    const v = a?.type === 'keyword_argument' ? a.childForFieldName('value') : a;
    if (v?.type !== 'identifier' || !mayStandForLiteral(v, b)) continue;
    const local = localBinding(v, v.text);
    if (local.shadowed) out.push(`${v.text}=${JSON.stringify(local.value ?? null)}`);
  }
  return out.join(',');
}

function stringValue(node: Node): ArgValue {
  if (node.type === 'concatenated_string') {
    let value = '';
    let first: ArgValue | undefined;
    for (const part of node.namedChildren) {
      if (!part || part.type === 'comment') continue;
      const v = stringValue(part);
      if (v.kind !== 'string') return { kind: 'expr' };
      first ??= v;
      value += v.value;
    }
    return first && first.kind === 'string' ? { kind: 'string', value, contentRange: first.contentRange } : { kind: 'expr' };
  }
  const start = node.namedChildren.find((c) => c?.type === 'string_start');
  const end = node.namedChildren.find((c) => c?.type === 'string_end');
  if (!start || !end) return { kind: 'expr' };
  if (node.namedChildren.some((c) => c?.type === 'interpolation')) return { kind: 'expr' };
  const contentRange = { start: start.endIndex, end: end.startIndex };
  return { kind: 'string', value: node.text.slice(start.endIndex - node.startIndex, end.startIndex - node.startIndex), contentRange };
}

export function literalValue(node: Node, b: Bindings): ArgValue {
  switch (node.type) {
    case 'string':
    case 'concatenated_string':
      return stringValue(node);
    case 'true':
      return { kind: 'bool', value: true };
    case 'false':
      return { kind: 'bool', value: false };
    case 'none':
      return { kind: 'none' };
    case 'integer':
    case 'float': {
      const v = Number(node.text.replace(/_/g, ''));
      return Number.isNaN(v) ? { kind: 'expr' } : { kind: 'number', value: v };
    }
    case 'unary_operator': {
      const arg = node.childForFieldName('argument');
      const op = node.child(0)?.text;
      const v = arg ? literalValue(arg, b) : undefined;
      if (v?.kind === 'number' && (op === '-' || op === '+')) return { kind: 'number', value: op === '-' ? -v.value : v.value };
      return { kind: 'expr' };
    }
    case 'parenthesized_expression': {
      const inner = node.namedChildren.find((c) => c && c.type !== 'comment');
      return inner ? literalValue(inner, b) : { kind: 'expr' };
    }
    case 'list':
    case 'tuple':
    case 'set':
    case 'dictionary':
      return { kind: 'collection', empty: !node.namedChildren.some((c) => c && c.type !== 'comment') };
    case 'identifier':
    case 'attribute': {
      if (node.type === 'identifier') {
        const c = constantAt(node, b);
        if (c) return c;
      }
      const parts = dottedParts(node);
      if (!parts) return { kind: 'expr' };
      const last = node.type === 'attribute' ? node.childForFieldName('attribute') : node;
      let root: Node | null = node;
      while (root?.type === 'attribute') root = root.childForFieldName('object');
      return {
        kind: 'name',
        dotted: parts.join('.'),
        resolved: root && shadowedLocally(root, parts[0]!) ? undefined : resolveDotted(parts, b),
        lastRange: { start: last!.startIndex, end: last!.endIndex },
      };
    }
    default:
      return { kind: 'expr' };
  }
}

const range = (n: Node) => ({ start: n.startIndex, end: n.endIndex });

function argFact(n: Node, b: Bindings): ArgFact {
  return { range: range(n), value: literalValue(n, b) };
}

function dictEntries(dict: Node, b: Bindings, out: KeywordFact[]): void {
  for (const pair of dict.namedChildren) {
    if (pair?.type !== 'pair') continue;
    const key = pair.childForFieldName('key');
    const value = pair.childForFieldName('value');
    if (!key || !value) continue;
    const k = literalValue(key, b);
    if (k.kind === 'string') out.push({ name: k.value, whole: range(pair), ...argFact(value, b) });
  }
}

/** A dict display on its own: a fact without a callee, carrying only its string-keyed entries. */
function dictFact(dict: Node, b: Bindings): CallFact {
  const r = range(dict);
  const fact: CallFact = { calleeText: '', calleeRange: r, nameRange: r, range: r, positional: [], keywords: [], dictEntries: [], hasKwSplat: false, hasStarArgs: false };
  dictEntries(dict, b, fact.dictEntries);
  return fact;
}

/**
 * A function reference handed to a caller (`map(pickle.load, fs)`), as a call without arguments;
 * for `functools.partial(f, ...)` the partial's remaining arguments are f's (and fixes edit them).
 */
function referenceFact(expr: Node, text: string, b: Bindings, starKnown?: ReadonlySet<string>): CallFact | undefined {
  const parts = dottedParts(expr);
  if (!parts) return undefined;
  const resolved = resolveDotted(parts, b, starKnown);
  const last = expr.type === 'attribute' ? expr.childForFieldName('attribute') : expr;
  const r = range(expr);
  const fact: CallFact = {
    qualifiedName: resolved && rootIsModuleLevel(expr, parts[0]!) ? resolved : undefined,
    calleeText: parts.join('.'),
    calleeRange: r,
    nameRange: last ? range(last) : r,
    range: r,
    positional: [],
    keywords: [],
    dictEntries: [],
    hasKwSplat: false,
    hasStarArgs: false,
  };
  const call = expr.parent?.type === 'argument_list' ? expr.parent.parent : null;
  const fn = call?.childForFieldName('function');
  const fnParts = fn ? dottedParts(fn) : undefined;
  if (call && fnParts?.[fnParts.length - 1] === 'partial' && call.childForFieldName('arguments')?.namedChildren.find((c) => c?.type !== 'comment')?.equals(expr)) {
    const whole = callFact(call, text, b, starKnown);
    if (whole) {
      const { qualifiedName, calleeText, calleeRange, nameRange } = fact;
      return { ...whole, qualifiedName, calleeText, calleeRange, nameRange, positional: whole.positional.slice(1) };
    }
  }
  return fact;
}

export function callFact(call: Node, text: string, b: Bindings, starKnown?: ReadonlySet<string>): CallFact | undefined {
  if (call.type === 'dictionary') return dictFact(call, b);
  if (call.type === 'attribute' || call.type === 'identifier') return referenceFact(call, text, b, starKnown);
  const fn = call.childForFieldName('function');
  if (!fn) return undefined;
  const parts = dottedParts(fn);
  const nameNode = fn.type === 'attribute' ? fn.childForFieldName('attribute') : fn;
  const resolved = parts ? resolveDotted(parts, b, starKnown) : undefined;
  const fact: CallFact = {
    qualifiedName: resolved && rootIsModuleLevel(fn, parts![0]!) ? resolved : undefined,
    calleeText: parts ? parts.join('.') : fn.text,
    calleeRange: range(fn),
    nameRange: nameNode ? range(nameNode) : range(fn),
    range: range(call),
    positional: [],
    keywords: [],
    dictEntries: [],
    hasKwSplat: false,
    hasStarArgs: false,
  };
  const argsNode = call.childForFieldName('arguments');
  if (!argsNode || argsNode.type !== 'argument_list') return fact;
  const shape: ArgListShape = { open: argsNode.startIndex, close: argsNode.endIndex - 1 };
  for (const a of argsNode.namedChildren) {
    if (!a || a.type === 'comment') continue;
    shape.lastStart = a.startIndex;
    shape.lastEnd = a.endIndex;
    if (a.type === 'keyword_argument') {
      const name = a.childForFieldName('name');
      const value = a.childForFieldName('value');
      if (name && value) fact.keywords.push({ name: name.text, whole: range(a), ...argFact(value, b) });
      if (value?.type === 'dictionary') dictEntries(value, b, fact.dictEntries);
    } else if (a.type === 'dictionary_splat') {
      fact.hasKwSplat = true;
      const inner = a.namedChildren[0];
      if (inner?.type === 'dictionary') dictEntries(inner, b, fact.dictEntries);
    } else if (a.type === 'list_splat') {
      fact.hasStarArgs = true;
    } else {
      fact.positional.push(argFact(a, b));
      if (a.type === 'dictionary') dictEntries(a, b, fact.dictEntries);
    }
  }
  if (shape.lastEnd !== undefined) {
    // A trailing comma is the first non-blank, non-comment character after the last argument.
    const tail = text.slice(shape.lastEnd, shape.close);
    const m = /^(?:\s|#[^\n]*)*,/.exec(tail);
    if (m) shape.trailingComma = shape.lastEnd + m[0].length - 1;
  }
  fact.args = shape;
  return fact;
}
