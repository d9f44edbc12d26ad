// unpinned-model-revision: a Hugging Face download without `revision=<commit sha>` fetches whatever
// the repository holds today. Covers every library that takes a Hub id (catalog/huggingface.ts,
// vision.ts, serving.ts, keras.ts), in their id syntaxes (`hf-hub:org/name@rev`, `hf://org/name`,
// Hub file URLs). Local paths, path expressions and downloads' return values are not Hub ids.
import type { ArgFact, CallFact, Finding, KeywordFact } from '../../domain';
import { entriesOf, type HubEntry } from './catalog/index';
import { argument, confidenceFor, isCommitSha, keyword, keywordFix, lower, truthy } from './helpers';
import { parseHubId, stringRange, type HubRef } from './hubIds';
import type { CodeRule, CodeRuleContext } from './types';

export const HUB = entriesOf('unpinned-model-revision');

/** The best Hub entry for a call, and whether it downloads at all (timm needs pretrained=True). */
export function hubEntry(call: CallFact): HubEntry | undefined {
  return HUB.best(call.qualifiedName);
}

/** The repository a call names, when its id argument is a literal Hub id. */
export function hubRef(call: CallFact, entry: HubEntry, text: string): { arg: ArgFact | KeywordFact; ref: HubRef } | undefined {
  const arg = argument(call, entry.source.keyword, entry.source.index);
  const s = arg && stringRange(arg.value, text);
  if (!arg || !s) return undefined;
  if (entry.notHub?.includes(s.value)) return undefined;
  const ref = parseHubId(s, entry.forms ?? ['plain']);
  if (!ref || (entry.needsOwner && !ref.id.includes('/'))) return undefined;
  return { arg, ref };
}

/** The revision given for a call: a keyword (or `model_kwargs={"revision": ...}`). */
export function revisionArg(call: CallFact, entry: HubEntry): KeywordFact | undefined {
  const names = entry.revision ?? ['revision'];
  for (const n of names) {
    const k = keyword(call, n) ?? call.dictEntries.find((d) => d.name === n);
    if (k) return k;
  }
  return undefined;
}

function check(call: CallFact, ctx: CodeRuleContext): Finding[] {
  const entry = hubEntry(call);
  if (!entry) return [];
  if (entry.onlyIf) {
    const p = argument(call, entry.onlyIf.keyword, entry.onlyIf.index);
    if (!p || truthy(p.value) !== true) return [];
  }
  const arg = argument(call, entry.source.keyword, entry.source.index);
  if (!arg) return [];
  const forms = entry.forms ?? ['plain'];
  const found = hubRef(call, entry, ctx.text);
  // A computed id may be a local directory; a path expression or a download's result is one.
  const computed = !found && forms.includes('plain') && (arg.value.kind === 'expr' || arg.value.kind === 'name');
  if (!found && !computed) return [];
  const local = keyword(call, 'local_files_only');
  if (local && truthy(local.value) === true) return [];
  const canPin = (entry.revision ?? ['revision']).length > 0;
  const rev = canPin ? revisionArg(call, entry) : undefined;
  const embedded = found?.ref.revision;
  if (rev) {
    // A computed revision gets the benefit of the doubt.
    if (rev.value.kind !== 'string' && rev.value.kind !== 'none') return [];
    if (rev.value.kind === 'string' && isCommitSha(rev.value.value)) return [];
  } else if (embedded !== undefined && isCommitSha(embedded)) {
    return [];
  }
  let { severity, confidence } = confidenceFor(call, 'info');
  if (computed) {
    severity = lower('info');
    confidence = 'low';
  }
  const fn = call.calleeText.split('.').pop();
  const what = rev
    ? `revision=${ctx.text.slice(rev.range.start, Math.min(rev.range.end, rev.range.start + 60))} is a movable ref, so ${fn}()`
    : embedded !== undefined
      ? `the ref "${embedded}" in the id is movable, so ${fn}()`
      : canPin
        ? `${fn}() without revision=`
        : `${fn}() (which cannot pin a revision)`;
  const sha = found ? ctx.modelShas?.get(found.ref.id) : undefined;
  const f: Finding = {
    rule: 'unpinned-model-revision',
    severity,
    range: found ? arg.range : call.calleeRange,
    message: canPin
      ? `${what} downloads whatever the Hub repository holds today (weights and code can change under you); pin revision= to a commit sha.`
      : `${what}: ${entry.risk}.`,
    fixes: sha && canPin && !rev?.via ? keywordFix(ctx.text, call, (entry.revision ?? ['revision'])[0]!, `"${sha}"`, `Pin revision to ${sha.slice(0, 12)} (current Hub commit)`) : [],
  };
  if (confidence) f.confidence = confidence;
  return [f];
}

export const unpinnedModelRevision: CodeRule = { id: 'unpinned-model-revision', callees: HUB.apis, check };
