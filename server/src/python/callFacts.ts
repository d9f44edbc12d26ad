// Turns a call node into a plain CallFact: resolved callee, arguments with their literal values,
// `**kwargs` (read when they are a dict we can see), `*args`, and the argument list's layout (for
// fixes that add a keyword).
import type { ArgFact, ArgListShape, ArgValue, CallFact, KeywordFact, OffsetRange } from '../domain';
import type { Resolver } from './meaning';
import type { Node } from './parser';
import { PathFolder, shapePath } from './paths';
import { dottedParts } from './resolve';
import type { PyUnit } from './unit';

export interface FactContext {
  unit: PyUnit;
  resolver: Resolver;
  /** The text findings and fixes refer to (a cell's original source: same offsets as unit.text). */
  text: string;
}

const range = (n: Node): OffsetRange => ({ start: n.startIndex, end: n.endIndex });
/** Callee text longer than this is shortened in facts (it only feeds messages and shape checks). */
const MAX_CALLEE_TEXT = 120;

/**
 * The literal a name stands for at `node`: a function local assigned once to a literal, else a
 * module constant (unless a parameter or other local hides it). Strings get the use site's range.
 */
function constantAt(node: Node, fc: FactContext): ArgValue | undefined {
  const name = node.text;
  const { scopes } = fc.unit;
  const b = fc.resolver.bindings;
  if (!b.names.has(name) && !(b.constants?.has(name) ?? false) && !scopes.mayBeLocalLiteral(name)) return undefined;
  const local = scopes.binding(node, name);
  const v = local.shadowed ? local.value : b.names.has(name) ? undefined : b.constants?.get(name);
  if (!v) return undefined;
  return v.kind === 'string' ? { ...v, contentRange: range(node), constant: name } : v;
}

function stringValue(node: Node): ArgValue {
  if (node.type === 'concatenated_string') {
    let value = '';
    let first: ArgValue | undefined;
    for (const part of node.namedChildren) {
      if (!part || part.type === 'comment') continue;
      const v = part.type === 'string' ? stringValue(part) : { kind: 'expr' as const };
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

/** Parentheses and unary signs nest as deep as the input does: unwrap them in a loop, capped. */
const MAX_UNWRAP = 256;

/** Short displays carry their elements (one level deep: nested displays do not). */
const MAX_ITEMS = 32;

/** A path-building expression's value, when `node` is one (see paths.ts). */
function pathOf(node: Node, fc: FactContext): ArgValue | undefined {
  const shape = new PathFolder(fc.resolver).shape(node);
  if (!shape) return undefined;
  const path = shapePath(shape);
  return path !== undefined ? { kind: 'path', path, base: shape.base } : { kind: 'path', base: shape.base };
}

export function literalValue(start: Node, fc: FactContext, items = true): ArgValue {
  const { ix } = fc.unit;
  let node = start;
  let sign = 1;
  let signed = false;
  for (let i = 0; i < MAX_UNWRAP; i++) {
    if (node.type === 'parenthesized_expression') {
      const inner = ix.named(node)[0];
      if (!inner) return { kind: 'expr' };
      node = inner;
    } else if (node.type === 'unary_operator') {
      const op = node.child(0)?.text;
      const arg = ix.field(node, 'argument');
      if (!arg || (op !== '-' && op !== '+')) return { kind: 'expr' };
      if (op === '-') sign = -sign;
      signed = true;
      node = arg;
    } else break;
  }
  if (signed && node.type !== 'integer' && node.type !== 'float') return { kind: 'expr' };
  switch (node.type) {
    case 'string': {
      const v = stringValue(node);
      return v.kind === 'string' ? v : (pathOf(node, fc) ?? v);
    }
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
      return Number.isNaN(v) ? { kind: 'expr' } : { kind: 'number', value: sign * v };
    }
    case 'list':
    case 'tuple':
    case 'set':
    case 'dictionary': {
      const elements = ix.named(node);
      if (!items || node.type === 'dictionary' || elements.length > MAX_ITEMS) return { kind: 'collection', empty: elements.length === 0 };
      return { kind: 'collection', empty: elements.length === 0, items: elements.map((e) => literalValue(e, fc, false)) };
    }
    case 'call':
    case 'binary_operator': {
      const p = pathOf(node, fc);
      if (p) return p;
      const fn = node.type === 'call' ? node.childForFieldName('function') : null;
      const call = fn ? fc.resolver.qualified(fn) : undefined;
      return call ? { kind: 'expr', call } : { kind: 'expr' };
    }
    case 'identifier':
    case 'attribute': {
      if (node.type === 'identifier') {
        const c = constantAt(node, fc);
        if (c) return c;
      }
      const p = pathOf(node, fc);
      if (p) return p;
      const parts = dottedParts(node);
      if (!parts) return { kind: 'expr' };
      const last = node.type === 'attribute' ? node.childForFieldName('attribute') : node;
      const resolved = fc.resolver.qualified(node);
      return { kind: 'name', dotted: parts.join('.'), ...(resolved ? { resolved } : {}), lastRange: range(last!) } as ArgValue;
    }
    default:
      return { kind: 'expr' };
  }
}

function argFact(n: Node, fc: FactContext): ArgFact {
  return { range: range(n), value: literalValue(n, fc) };
}

function dictEntries(dict: Node, fc: FactContext, out: KeywordFact[]): void {
  const { ix } = fc.unit;
  for (const pair of ix.named(dict)) {
    if (pair.type !== 'pair') continue;
    const key = ix.field(pair, 'key');
    const value = ix.field(pair, 'value');
    if (!key || !value) continue;
    const k = literalValue(key, fc);
    if (k.kind === 'string') out.push({ name: k.value, whole: range(pair), ...argFact(value, fc) });
  }
}

/** `dict(a=1, **more)` called as the builtin (not shadowed). */
function isDictCall(n: Node, fc: FactContext): boolean {
  if (n.type !== 'call') return false;
  const fn = n.childForFieldName('function');
  return fn?.type === 'identifier' && fn.text === 'dict' && !fc.resolver.bindings.names.has('dict') && !fc.unit.scopes.shadowed(fn, 'dict');
}

/** The keywords a dict display or `dict(...)` call carries (string keys only). */
function dictKeywords(n: Node, fc: FactContext): KeywordFact[] | undefined {
  const out: KeywordFact[] = [];
  if (n.type === 'dictionary') {
    // A `**inner` entry hides keys: the dict is then not fully known.
    if (n.namedChildren.some((c) => c?.type === 'dictionary_splat')) return undefined;
    dictEntries(n, fc, out);
    return out;
  }
  if (isDictCall(n, fc)) {
    const { ix } = fc.unit;
    const args = ix.field(n, 'arguments');
    for (const a of args ? ix.named(args) : []) {
      if (a.type !== 'keyword_argument') return undefined;
      const name = a.childForFieldName('name');
      const value = ix.field(a, 'value');
      if (name && value) out.push({ name: name.text, whole: range(a), ...argFact(value, fc) });
    }
    return out;
  }
  return undefined;
}

/**
 * The keywords behind `**expr`: an inline dict display or `dict(...)`, or a name bound once (in
 * the function, or at module level) to one. Keywords read through a name get the `**name`
 * argument's range (the dict may sit in another cell), and are marked `via: 'splat'` so that no
 * fix edits them in place.
 */
function splatKeywords(splat: Node, fc: FactContext): KeywordFact[] | undefined {
  const inner = fc.unit.ix.named(splat)[0];
  if (!inner) return undefined;
  const inline = dictKeywords(inner, fc);
  if (inline) return inline.map((k) => ({ ...k, via: 'splat' as const }));
  if (inner.type !== 'identifier') return undefined;
  const local = fc.unit.scopes.binding(inner, inner.text);
  const rhs = local.shadowed ? local.rhs : fc.resolver.bindings.values.get(inner.text);
  if (!rhs) return undefined;
  const kws = dictKeywords(rhs, fc);
  if (!kws) return undefined;
  const at = range(splat);
  return kws.map((k) => {
    const value: ArgValue = k.value.kind === 'string' ? { ...k.value, contentRange: at, constant: inner.text } : k.value.kind === 'name' ? { ...k.value, lastRange: at } : k.value;
    return { name: k.name, whole: at, range: at, value, via: 'splat' as const };
  });
}

/** A dict display on its own: a fact without a callee, carrying only its string-keyed entries. */
function dictFact(dict: Node, fc: FactContext): CallFact {
  const r = range(dict);
  const fact: CallFact = { calleeText: '', calleeRange: r, nameRange: r, range: r, positional: [], keywords: [], dictEntries: [], hasKwSplat: false, hasStarArgs: false };
  dictEntries(dict, fc, fact.dictEntries);
  return fact;
}

function calleeText(fn: Node, fc: FactContext): string {
  const parts = dottedParts(fn);
  if (parts) return parts.join('.');
  if (fn.endIndex - fn.startIndex <= MAX_CALLEE_TEXT) return fn.text;
  const last = fn.type === 'attribute' ? fn.childForFieldName('attribute') : null;
  return `${fc.text.slice(fn.startIndex, fn.startIndex + 40)}…${last ? `.${last.text}` : ''}`;
}

/** Calls that call their first argument: `functools.partial(f, ...)` (also under another name). */
export function isPartial(fn: Node, fc: FactContext): boolean {
  const name = fn.type === 'attribute' ? fn.childForFieldName('attribute')?.text : fn.type === 'identifier' ? fn.text : undefined;
  if (name === 'partial') return true;
  const q = fc.resolver.qualified(fn);
  return q === 'functools.partial' || q === 'functools.partialmethod';
}

/**
 * A function reference handed to a caller (`map(pickle.load, fs)`), as a call without arguments;
 * for `functools.partial(f, ...)` the partial's remaining arguments are f's (and fixes edit them).
 */
function referenceFact(expr: Node, fc: FactContext): CallFact | undefined {
  const { ix } = fc.unit;
  const last = expr.type === 'attribute' ? expr.childForFieldName('attribute') : expr;
  const r = range(expr);
  const q = fc.resolver.qualified(expr);
  const fact: CallFact = {
    ...(q ? { qualifiedName: q } : {}),
    calleeText: calleeText(expr, fc),
    calleeRange: r,
    nameRange: last ? range(last) : r,
    range: r,
    positional: [],
    keywords: [],
    dictEntries: [],
    hasKwSplat: false,
    hasStarArgs: false,
  };
  const args = ix.parentOf(expr);
  const call = args?.type === 'argument_list' ? ix.parentOf(args) : null;
  const fn = call?.type === 'call' ? call.childForFieldName('function') : null;
  if (call && fn && isPartial(fn, fc) && ix.named(args!)[0]?.id === expr.id) {
    const whole = callFact(call, fc);
    if (whole) {
      const { qualifiedName, calleeText: text, calleeRange, nameRange } = fact;
      return { ...whole, qualifiedName, calleeText: text, calleeRange, nameRange, positional: whole.positional.slice(1) };
    }
  }
  return fact;
}

/** The offset of a trailing comma after the last argument: only blanks and comments in between. */
function trailingComma(text: string, from: number, to: number): number | undefined {
  let i = from;
  while (i < to) {
    const c = text.charCodeAt(i);
    if (c === 44 /* , */) return i;
    if (c === 35 /* # */) {
      while (i < to && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
      continue;
    }
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 92 /* line continuation */) {
      i++;
      continue;
    }
    return undefined;
  }
  return undefined;
}

/** `os.environ[key] = value`, as the call Python makes (`os.environ.__setitem__(key, value)`). */
function environFact(assign: Node, fc: FactContext): CallFact | undefined {
  const { ix } = fc.unit;
  const sub = ix.field(assign, 'left');
  const key = sub && ix.field(sub, 'subscript');
  const value = ix.field(assign, 'right');
  const target = sub && ix.field(sub, 'value');
  if (!sub || !key || !value || !target) return undefined;
  const q = fc.resolver.qualified(target);
  return {
    ...(q ? { qualifiedName: `${q}.__setitem__` } : {}),
    calleeText: `${calleeText(target, fc)}[]`,
    calleeRange: range(sub),
    nameRange: range(key),
    range: range(assign),
    positional: [argFact(key, fc), argFact(value, fc)],
    keywords: [],
    dictEntries: [],
    hasKwSplat: false,
    hasStarArgs: false,
  };
}

export function callFact(call: Node, fc: FactContext): CallFact | undefined {
  if (call.type === 'dictionary') return dictFact(call, fc);
  if (call.type === 'assignment') return environFact(call, fc);
  if (call.type === 'attribute' || call.type === 'identifier') return referenceFact(call, fc);
  const { ix } = fc.unit;
  const fn = ix.field(call, 'function');
  if (!fn) return undefined;
  const nameNode = fn.type === 'attribute' ? fn.childForFieldName('attribute') : fn;
  const q = fc.resolver.qualified(fn);
  const fact: CallFact = {
    ...(q ? { qualifiedName: q } : {}),
    calleeText: calleeText(fn, fc),
    calleeRange: range(fn),
    nameRange: nameNode ? range(nameNode) : range(fn),
    range: range(call),
    positional: [],
    keywords: [],
    dictEntries: [],
    hasKwSplat: false,
    hasStarArgs: false,
  };
  const argsNode = ix.field(call, 'arguments');
  if (!argsNode || argsNode.type !== 'argument_list') return fact;
  const shape: ArgListShape = { open: argsNode.startIndex, close: argsNode.endIndex - 1 };
  const splats: KeywordFact[] = [];
  for (const a of ix.named(argsNode)) {
    shape.lastStart = a.startIndex;
    shape.lastEnd = a.endIndex;
    if (a.type === 'keyword_argument') {
      const name = a.childForFieldName('name');
      const value = ix.field(a, 'value');
      if (name && value) fact.keywords.push({ name: name.text, whole: range(a), ...argFact(value, fc) });
      if (value?.type === 'dictionary') dictEntries(value, fc, fact.dictEntries);
      else if (value && isDictCall(value, fc)) fact.dictEntries.push(...(dictKeywords(value, fc) ?? []));
    } else if (a.type === 'dictionary_splat') {
      const inner = ix.named(a)[0];
      if (inner?.type === 'dictionary') dictEntries(inner, fc, fact.dictEntries);
      const known = splatKeywords(a, fc);
      if (known) splats.push(...known);
      else fact.hasKwSplat = true;
    } else if (a.type === 'list_splat') {
      fact.hasStarArgs = true;
    } else {
      fact.positional.push(argFact(a, fc));
      if (a.type === 'dictionary') dictEntries(a, fc, fact.dictEntries);
    }
  }
  if (splats.length) fact.splatKeywords = splats;
  if (shape.lastEnd !== undefined) {
    const comma = trailingComma(fc.text, shape.lastEnd, shape.close);
    if (comma !== undefined) shape.trailingComma = comma;
  }
  fact.args = shape;
  return fact;
}
