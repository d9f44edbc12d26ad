// Facts of unchanged calls are reused across keystrokes: keyed by the bindings and the call's
// own text, stored relative to the call's start, and shifted back into place on reuse.
import type { OffsetRange } from '../domain';
import type { ArgFact, ArgValue, Bindings, CallFact, KeywordFact } from '../domain';
import type { Node } from './parser';
import { callFact, localsKey } from './callFacts';

const factCache = new Map<string, CallFact | null>();
const FACT_CACHE_LIMIT = 20_000;
const sr = (r: OffsetRange, d: number): OffsetRange => ({ start: r.start + d, end: r.end + d });

function shiftValue(v: ArgValue, d: number): ArgValue {
  if (v.kind === 'string') return { ...v, contentRange: sr(v.contentRange, d) };
  if (v.kind === 'name') return { ...v, lastRange: sr(v.lastRange, d) };
  return v;
}

const shiftArg = (a: ArgFact, d: number): ArgFact => ({ range: sr(a.range, d), value: shiftValue(a.value, d) });
const shiftKw = (k: KeywordFact, d: number): KeywordFact => ({ name: k.name, whole: sr(k.whole, d), range: sr(k.range, d), value: shiftValue(k.value, d) });
const opt = (n: number | undefined, d: number) => (n === undefined ? undefined : n + d);

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
  if (f.args) {
    const a = f.args;
    out.args = { open: a.open + d, close: a.close + d };
    if (a.lastEnd !== undefined) out.args.lastEnd = a.lastEnd + d;
    if (a.lastStart !== undefined) out.args.lastStart = opt(a.lastStart, d);
    if (a.trailingComma !== undefined) out.args.trailingComma = a.trailingComma + d;
  }
  return out;
}

/** A stable signature of the bindings, so cached facts are not reused across import changes. */
export function bindingsSignature(b: Bindings): string {
  const constants = [...(b.constants ?? [])].map(([k, v]) => [k, v.kind, 'value' in v ? v.value : null]);
  return JSON.stringify([[...b.names], b.starModules, constants]);
}

export function cachedCallFact(call: Node, text: string, b: Bindings, signature: string, starKnown?: ReadonlySet<string>): CallFact | undefined {
  // A function reference's facts depend on the call around it (`partial(...)`): not cached.
  if (call.type !== 'call' && call.type !== 'dictionary') return callFact(call, text, b, starKnown);
  const start = call.startIndex;
  // Which names are function locals here depends on text outside the call: part of the key.
  const key = `${signature}\u0000${localsKey(call, b)}\u0000${text.slice(start, call.endIndex)}`;
  let rel = factCache.get(key);
  if (rel === undefined) {
    const fact = callFact(call, text, b, starKnown);
    rel = fact ? shifted(fact, -start) : null;
    if (factCache.size >= FACT_CACHE_LIMIT) factCache.clear();
    factCache.set(key, rel);
  }
  return rel ? shifted(rel, start) : undefined;
}
