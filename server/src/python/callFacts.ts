// Turns a call node into a plain CallFact: resolved callee, arguments with their literal values,
// `**kwargs`/`*args`, and the argument list's layout (for fixes that add a keyword).
import type { ArgFact, ArgListShape, ArgValue, Bindings, CallFact, KeywordFact } from './facts';
import type { Node } from './parser';
import { dottedParts, resolveDotted } from './resolve';

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
      const parts = dottedParts(node);
      if (!parts) return { kind: 'expr' };
      const last = node.type === 'attribute' ? node.childForFieldName('attribute') : node;
      return {
        kind: 'name',
        dotted: parts.join('.'),
        resolved: resolveDotted(parts, b),
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

export function callFact(call: Node, text: string, b: Bindings, starKnown?: ReadonlySet<string>): CallFact | undefined {
  if (call.type === 'dictionary') return dictFact(call, b);
  const fn = call.childForFieldName('function');
  if (!fn) return undefined;
  const parts = dottedParts(fn);
  const nameNode = fn.type === 'attribute' ? fn.childForFieldName('attribute') : fn;
  const fact: CallFact = {
    qualifiedName: parts ? resolveDotted(parts, b, starKnown) : undefined,
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
