// insecure-model-source: model or weights fetched over plain http (anyone on the path can swap
// them) — by a loader's URL argument, a generic HTTP client fetching a model file, or a Hub
// endpoint set to http:// (HF_ENDPOINT); `use_safetensors=False` and pickle-format weight files
// (.bin/.ckpt/.pt) given to loaders that also read safetensors. APIs in catalog/.
import type { ArgFact, CallFact, Finding, KeywordFact } from '../../domain';
import { entriesOf, switchesSet, ENV_SETTERS, type SourceEntry } from './catalog/index';
import { argument, keyword, keywordFix, wholeRange } from './helpers';
import { MODEL_FILE, PICKLE_WEIGHTS } from './hubIds';
import type { CodeRule, CodeRuleContext } from './types';

const TABLE = entriesOf('insecure-model-source');
const LOOPBACK = /^http:\/\/(localhost|127\.\d+\.\d+\.\d+|\[::1\])(?=[:/]|$)/i;

/** A URL that names a model file (or a Hub file), for generic HTTP clients. */
function modelUrl(u: string): boolean {
  const path = u.replace(/[?#].*$/, '');
  return MODEL_FILE.test(path) || /\/resolve\/[^/]+\//.test(path);
}

function urlArgs(call: CallFact, entry: SourceEntry): (ArgFact | KeywordFact)[] {
  if (!entry.urls) return [...call.positional, ...call.keywords];
  const out: (ArgFact | KeywordFact)[] = [];
  for (const spec of entry.urls) {
    const a = argument(call, spec.keyword, spec.index) ?? call.dictEntries.find((d) => d.name === spec.keyword);
    if (a) out.push(a);
  }
  return out;
}

function httpFinding(a: ArgFact | KeywordFact, ctx: CodeRuleContext, what: string): Finding | undefined {
  if (a.value.kind !== 'string') return undefined;
  const { value, contentRange, constant } = a.value;
  if (!/^http:\/\//i.test(value.trim()) || LOOPBACK.test(value.trim())) return undefined;
  // A URL named by a constant (or read through **kwargs) is fixed where it is defined.
  const inPlace = constant === undefined && /^http:\/\//i.test(ctx.text.slice(contentRange.start, contentRange.start + 7));
  return {
    rule: 'insecure-model-source',
    severity: 'warning',
    range: a.range,
    message: `${what} over plain http://${constant !== undefined ? ` (${constant})` : ''}, so anyone on the network path can replace them with code-running files; use https://.`,
    fixes: inPlace ? [{ title: 'Use https://', edits: [{ range: { start: contentRange.start, end: contentRange.start + 7 }, newText: 'https://' }], isPreferred: true }] : [],
  };
}

function check(call: CallFact, ctx: CodeRuleContext): Finding[] {
  const out: Finding[] = [];
  const st = keyword(call, 'use_safetensors');
  if (st && st.value.kind === 'bool' && !st.value.value) {
    out.push({
      rule: 'insecure-model-source',
      severity: 'warning',
      range: wholeRange(st),
      message: 'use_safetensors=False forces pickle-based weights (.bin/.pt), which can run code when loaded; use safetensors weights.',
      fixes: keywordFix(ctx.text, call, 'use_safetensors', 'True', 'Load with use_safetensors=True'),
    });
  }
  for (const { sw, a } of switchesSet(call, 'insecure-model-source')) {
    const f = httpFinding(a.value, ctx, `${sw.variable} ${sw.risk}: models and code are fetched`);
    if (f) out.push({ ...f, range: a.at });
  }
  const entry = TABLE.best(call.qualifiedName);
  if (!entry) return out;
  for (const a of urlArgs(call, entry)) {
    if (entry.modelUrlsOnly && (a.value.kind !== 'string' || !modelUrl(a.value.value))) continue;
    const f = httpFinding(a, ctx, 'The model or weights are fetched');
    if (f) out.push(f);
  }
  for (const spec of entry.weightFiles ?? []) {
    const a = argument(call, spec.keyword, spec.index);
    if (a?.value.kind !== 'string' || !PICKLE_WEIGHTS.test(a.value.value.replace(/[?#].*$/, '').trim())) continue;
    out.push({
      rule: 'insecure-model-source',
      severity: 'warning',
      range: a.range,
      message: `${entry.risk}: this file is a pickle and can run code when loaded; use the .safetensors version of the weights.`,
    });
    break;
  }
  return out;
}

export const insecureModelSource: CodeRule = {
  id: 'insecure-model-source',
  callees: [...TABLE.apis, ...ENV_SETTERS],
  keywords: ['use_safetensors'],
  check,
};
