// Facts of unchanged calls are reused across keystrokes: keyed by the bindings and the call's
// own text, stored relative to the call's start, and shifted back into place on reuse. Big calls
// (nested loaders, huge literals) are not cached: their text as a key would cost as much as the
// fact, and nested ones would make the keys quadratic in size.
import type { OffsetRange } from '../domain';
import type { ArgFact, ArgValue, Bindings, CallFact, KeywordFact } from '../domain';
import { callFact, type FactContext } from './callFacts';
import type { Node } from './parser';

const factCache = new Map<string, CallFact | null>();
const FACT_CACHE_LIMIT = 20_000;
/** Calls longer than this are analysed directly. */
const MAX_CACHED_CALL = 2_000;
const sr = (r: OffsetRange, d: number): OffsetRange => ({ start: r.start + d, end: r.end + d });

function shiftValue(v: ArgValue, d: number): ArgValue {
  if (v.kind === 'string') return { ...v, contentRange: sr(v.contentRange, d) };
  if (v.kind === 'name') return { ...v, lastRange: sr(v.lastRange, d) };
  return v;
}

const shiftArg = (a: ArgFact, d: number): ArgFact => ({ range: sr(a.range, d), value: shiftValue(a.value, d) });
const shiftKw = (k: KeywordFact, d: number): KeywordFact => ({ name: k.name, whole: sr(k.whole, d), range: sr(k.range, d), value: shiftValue(k.value, d), ...(k.via ? { via: k.via } : {}) });

/** A copy of `f` moved by `d` (fresh objects, so findings never alias cached facts). */
function shifted(f: CallFact, d: number): CallFact {
  const out: CallFact = {
    qualifiedName: f.qualifiedName,
    calleeText: f.calleeText,
    calleeRange: sr(f.calleeRange, d),
    nameRange: sr(f.nameRange, d),
    range: sr(f.range, d),
    positional: f.positional.map((a) => shiftArg(a, d)),
    keywords: f.keywords.map((k) => shiftKw(k, d)),
    dictEntries: f.dictEntries.map((k) => shiftKw(k, d)),
    hasKwSplat: f.hasKwSplat,
    hasStarArgs: f.hasStarArgs,
  };
  if (f.splatKeywords) out.splatKeywords = f.splatKeywords.map((k) => shiftKw(k, d));
  if (f.args) {
    const a = f.args;
    out.args = { open: a.open + d, close: a.close + d };
    if (a.lastEnd !== undefined) out.args.lastEnd = a.lastEnd + d;
    if (a.lastStart !== undefined) out.args.lastStart = a.lastStart + d;
    if (a.trailingComma !== undefined) out.args.trailingComma = a.trailingComma + d;
  }
  return out;
}

/**
 * A stable signature of the bindings, so cached facts are not reused across import changes. It
 * goes into every cache key, so it is a digest (two 32-bit hashes and the length), not the text:
 * a module with thousands of bindings would otherwise make the keys quadratic in total size.
 */
export function bindingsSignature(b: Bindings & { values?: ReadonlyMap<string, Node> }): string {
  const constants = [...(b.constants ?? [])].map(([k, v]) => [k, v.kind, 'value' in v ? v.value : null]);
  // Module values (dicts feeding `**kwargs`, paths, call results): their text is part of what a call means.
  const values = [...(b.values ?? [])].filter(([, n]) => n.type === 'dictionary' || n.type === 'call').map(([k, n]) => [k, n.endIndex - n.startIndex > 4_000 ? `#${n.startIndex}:${n.endIndex}` : n.text]);
  return digest(JSON.stringify([[...b.names], b.starModules, constants, values]));
}

/** FNV-1a and a second multiplicative hash over the string, with its length. */
export function digest(s: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x9e3779b9;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 + c, 0x85ebca6b) ^ (h2 >>> 13);
  }
  return `${(h1 >>> 0).toString(36)}.${(h2 >>> 0).toString(36)}.${s.length.toString(36)}`;
}

/**
 * The function locals that affect a call's facts (its callee root and names in its arguments
 * that locals may bind), for cache keys: the same call text can mean different things in two
 * functions. Only called for small calls (the scan below is bounded by MAX_CACHED_CALL).
 */
function localsKey(call: Node, fc: FactContext): string {
  const { scopes } = fc.unit;
  const b = fc.resolver.bindings;
  const out: string[] = [];
  const text = fc.text.slice(call.startIndex, call.endIndex);
  for (const m of text.matchAll(/[A-Za-z_]\w*/g)) {
    const name = m[0];
    // Only names whose local binding changes the fact: imports and module values a local could
    // hide, and locals bound to a literal or an expression we read (aliases, paths, dicts).
    if (!scopes.mayBeLocal(name)) continue;
    if (!b.names.has(name) && !(b.constants?.has(name) ?? false) && !b.values.has(name) && !scopes.mayBeLocalLiteral(name) && !scopes.mayBeLocalValue(name)) continue;
    const local = scopes.binding(call, name);
    if (!local.shadowed) continue;
    out.push(`${name}=${local.value ? JSON.stringify(local.value) : local.rhs ? rhsKey(local.rhs) : '?'}`);
  }
  return [...new Set(out)].join(',');
}

/** A local's right-hand side as part of a key: its text when short, else where it is. */
function rhsKey(n: Node): string {
  return n.endIndex - n.startIndex <= 200 ? n.text : `@${n.startIndex}:${n.endIndex}`;
}

export function cachedCallFact(call: Node, fc: FactContext, signature: string): CallFact | undefined {
  // A function reference's facts depend on the call around it (`partial(...)`): not cached.
  if ((call.type !== 'call' && call.type !== 'dictionary') || call.endIndex - call.startIndex > MAX_CACHED_CALL) return callFact(call, fc);
  const start = call.startIndex;
  // Which names are function locals here depends on text outside the call: part of the key.
  const key = `${signature}\u0000${localsKey(call, fc)}\u0000${fc.text.slice(start, call.endIndex)}`;
  let rel = factCache.get(key);
  if (rel === undefined) {
    const fact = callFact(call, fc);
    rel = fact ? shifted(fact, -start) : null;
    if (factCache.size >= FACT_CACHE_LIMIT) factCache.clear();
    factCache.set(key, rel);
  }
  return rel ? shifted(rel, start) : undefined;
}
