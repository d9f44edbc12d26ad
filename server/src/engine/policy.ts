// Joins the project policy into the engine: parses the policy files among the documents (aidr.toml,
// and pyproject.toml with a `[tool.aidr]` table; cached by text), finds each document's nearest
// policy, runs the policy rules on its dependency facts and on the Hub models its code loads, and
// applies the policy's levels and ignores after the user's settings (silencing only where the
// workspace is trusted). A policy file analysed itself gets its validation problems.
import path from 'node:path';
import type { CodeAnalysis } from './code';
import type { EngineDocument } from './documents';
import type { DependencyFacts } from '../rules/dependency/facts';
import type { Finding, ModelInfo, ModelProvider, ParseProblem, Policy } from '../domain';
import { parseTomlIndexed } from '../manifests/tomlIndex';
import { PolicyIndex } from '../policy/find';
import { mayHoldPolicy, parsePolicy, type PolicyParse } from '../policy/parse';
import { applyPolicy, expiryProblems, needsHubFacts, needsRegistryMetadata, policyDependencyFindings, policyModelFindings, REQUIRE_REVISION_NOTE, untrustedProblems, type ModelUse } from '../rules/policy';
import { modelKey } from '../sources/huggingface';

/** aidr.toml, or a pyproject.toml that may hold `[tool.aidr]`. */
export function isPolicySource(doc: Pick<EngineDocument, 'kind' | 'text'>): boolean {
  return doc.kind === 'policy' || (doc.kind === 'pyproject' && mayHoldPolicy(doc.text));
}

export interface DocumentPolicyOptions {
  now: number;
  /** False in an untrusted workspace. */
  silencingAllowed: boolean;
  models?: ModelProvider;
  signal?: AbortSignal;
  /** Give up on the Hub after this long: diagnostics must not wait on it. */
  hubTimeoutMs?: number;
}

interface Entry {
  text: string;
  dir: string;
  parse: PolicyParse;
}

/** The parsed policy files the engine has seen, kept while their documents are. */
export class PolicyStore {
  private readonly parses = new Map<string, Entry>();

  update(docs: readonly EngineDocument[], roots: readonly string[]): PolicySet {
    const seen = new Set<string>();
    for (const d of docs) {
      if (!d.path || !isPolicySource(d)) continue;
      seen.add(d.uri);
      const dir = path.dirname(path.resolve(d.path));
      const hit = this.parses.get(d.uri);
      if (hit && hit.text === d.text && hit.dir === dir) continue;
      const source = d.kind === 'policy' ? 'aidr.toml' : 'pyproject.toml';
      this.parses.set(d.uri, { text: d.text, dir, parse: parsePolicy(d.text, parseTomlIndexed(d.text), { uri: d.uri, dir, source }) });
    }
    for (const uri of [...this.parses.keys()]) if (!seen.has(uri)) this.parses.delete(uri);
    return new PolicySet(new Map(this.parses), roots);
  }
}

export class PolicySet {
  private readonly index: PolicyIndex;
  /** Some policy needs registry metadata for every package (licences, release ages). */
  readonly needsMetadata: boolean;

  constructor(
    private readonly parses: ReadonlyMap<string, Entry>,
    roots: readonly string[],
  ) {
    const policies = [...parses.values()].map((e) => e.parse.policy).filter((p): p is Policy => !!p);
    this.index = new PolicyIndex(policies, roots);
    this.needsMetadata = policies.some((policy) => needsRegistryMetadata({ policy }));
  }

  forDocument(doc: EngineDocument, opts: DocumentPolicyOptions): DocumentPolicy {
    const own = this.parses.get(doc.uri);
    const policy = doc.path ? this.index.policyFor(doc.path) : undefined;
    return new DocumentPolicy(doc, own, policy, opts);
  }
}

type Located = { range: { start: number; end: number }; cell?: number };
type ModelRef = CodeAnalysis['modelRefs'][number];

const inside = (inner: Located['range'], outer: Located['range']) => outer.start <= inner.start && inner.end <= outer.end;
const key = (x: Located) => `${x.cell ?? -1}:${x.range.start}:${x.range.end}`;

/** Whether text[a, b) stays inside one call: from an argument onwards (`fromArgument`) no
 * parenthesis may close the call; from its callee onwards, once its '(' is open it may not close.
 * Bounded: far-apart offsets are not the same call. */
function sameCall(text: string, a: number, b: number, fromArgument: boolean): boolean {
  if (b - a > 4000) return false;
  let depth = 0;
  let opened = false;
  for (let i = a; i < b; i++) {
    const c = text.charCodeAt(i);
    if (c === 40 /* ( */) (depth++, (opened = true));
    else if (c === 41 /* ) */) depth--;
    if (depth < 0 || (!fromArgument && opened && depth === 0)) return false;
  }
  return fromArgument || opened;
}

/** Items that do not overlap (model ids; findings of one rule), per cell, sorted by offset, so the
 * neighbours of a range are found by binary search: dense files stay linear-logarithmic. */
class Sorted<T extends Located> {
  private readonly byCell = new Map<number, T[]>();

  constructor(items: readonly T[]) {
    for (const x of items) {
      const c = x.cell ?? -1;
      let l = this.byCell.get(c);
      if (!l) this.byCell.set(c, (l = []));
      l.push(x);
    }
    for (const l of this.byCell.values()) l.sort((a, b) => a.range.start - b.range.start);
  }

  /** Index of the first item starting at or after `offset`, and the cell's list. */
  private seek(cell: number | undefined, offset: number): [T[], number] {
    const l = this.byCell.get(cell ?? -1) ?? [];
    let lo = 0;
    let hi = l.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (l[mid]!.range.start < offset) lo = mid + 1;
      else hi = mid;
    }
    return [l, lo];
  }

  /** The last item starting at or before `offset`. */
  atOrBefore(cell: number | undefined, offset: number): T | undefined {
    const [l, i] = this.seek(cell, offset + 1);
    return l[i - 1];
  }

  /** The first item starting at or after `offset`. */
  atOrAfter(cell: number | undefined, offset: number): T | undefined {
    const [l, i] = this.seek(cell, offset);
    return l[i];
  }
}

export class DocumentPolicy {
  /** Problems on this document when it is a policy file (validation, expiry, trust). */
  readonly problems: ParseProblem[] = [];
  private refs = new Sorted<ModelRef>([]);
  /** Missing-revision findings, each with the unpinned-model-revision finding it replaces. */
  private replaced: { revision: string; unpinned: string }[] = [];

  constructor(
    private readonly doc: EngineDocument,
    own: Entry | undefined,
    readonly policy: Policy | undefined,
    private readonly opts: DocumentPolicyOptions,
  ) {
    if (!own) return;
    this.problems.push(...own.parse.problems);
    const p = own.parse.policy;
    if (!p) return;
    if (p.source === 'pyproject.toml' && policy && policy !== p && policy.dir === p.dir) {
      const m = /tool\s*\.\s*"?aidr/.exec(doc.text);
      const range = m ? { start: m.index, end: m.index + m[0].length } : { start: 0, end: 0 };
      this.problems.push({ message: `This [tool.aidr] table is not used: ${path.join(policy.dir, 'aidr.toml')} in the same folder wins.`, range, severity: 'warning' });
    }
    this.problems.push(...expiryProblems(p, opts.now));
    if (!opts.silencingAllowed) this.problems.push(...untrustedProblems(p));
  }

  /** Findings the policy adds for this document. `current` are the rules' findings so far (the
   * revision-pin fix is taken from unpinned-model-revision). */
  async findings(facts: readonly DependencyFacts[], code: CodeAnalysis | undefined, current: readonly Finding[]): Promise<Finding[]> {
    const policy = this.policy;
    if (!policy) return [];
    const ctx = { policy, now: this.opts.now };
    const out = policyDependencyFindings(facts, ctx);
    // Policy model rules are about Hub repositories; local files are the model scanner's.
    const refs = (code?.modelRefs ?? []).filter((r): r is Extract<typeof r, { kind: 'hub' }> => r.kind === 'hub');
    this.refs = new Sorted(refs);
    if (refs.length === 0) return out;
    const hub = needsHubFacts(ctx) && this.opts.models ? await this.hubFacts(refs) : undefined;
    // The unpinned-model-revision finding on a reference is the string literal around it.
    const unpinned = new Sorted(current.filter((f) => f.rule === 'unpinned-model-revision'));
    const models: Finding[] = [];
    for (const r of refs) {
      const around = unpinned.atOrBefore(r.cell, r.range.start);
      const pinned = around && inside(r.range, around.range) ? around : undefined;
      const info = hub?.get(modelKey(r.id, r.revision));
      const pin = pinned?.fixes?.[0];
      const use: ModelUse = { id: r.id, range: r.range, ...(r.revision ? { revision: r.revision } : {}), ...(r.cell !== undefined ? { cell: r.cell } : {}), ...(info ? { hub: info } : {}), ...(pin ? { pinFix: pin } : {}) };
      for (const f of policyModelFindings([use], ctx)) {
        models.push(f);
        if (pinned && f.rule === 'model-not-approved' && f.related?.some((x) => x.message === REQUIRE_REVISION_NOTE)) this.replaced.push({ revision: key(f), unpinned: key(pinned) });
      }
    }
    return [...out, ...models];
  }

  /** The policy's levels and ignores, after the user's settings. `textOf` gives the text a
   * finding's range is in (the document, or its notebook cell). */
  apply(findings: Finding[], textOf: (cell?: number) => string): Finding[] {
    const policy = this.policy;
    if (!policy) return findings;
    // Where the policy's revision finding survived the settings, it replaces unpinned-model-revision.
    let list = findings;
    if (this.replaced.length) {
      const present = new Set(findings.filter((f) => f.rule === 'model-not-approved').map(key));
      const drop = new Set(this.replaced.filter((x) => present.has(x.revision)).map((x) => x.unpinned));
      if (drop.size) list = findings.filter((f) => !(f.rule === 'unpinned-model-revision' && drop.has(key(f))));
    }
    const rel = this.doc.path ? path.relative(policy.dir, path.resolve(this.doc.path)).split(path.sep).join('/') : undefined;
    const relPath = rel !== undefined && rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : undefined;
    return applyPolicy(list, {
      policy,
      now: this.opts.now,
      silencingAllowed: this.opts.silencingAllowed,
      ...(relPath !== undefined ? { relPath } : {}),
      modelOf: (f) => this.modelOf(f, textOf),
    }).findings;
  }

  /** The Hub model a code finding is about: the reference inside its range, else the nearest one
   * before or after it in the same call. */
  private modelOf(f: Finding, textOf: (cell?: number) => string): string | undefined {
    const next = this.refs.atOrAfter(f.cell, f.range.start);
    if (next && inside(next.range, f.range)) return next.id;
    if (f.package) return undefined;
    const text = textOf(f.cell);
    const before = this.refs.atOrBefore(f.cell, f.range.start);
    if (before && before.range.end <= f.range.start && sameCall(text, before.range.end, f.range.start, true)) return before.id;
    if (next && f.range.end <= next.range.start && sameCall(text, f.range.end, next.range.start, false)) return next.id;
    return undefined;
  }

  private async hubFacts(refs: Extract<CodeAnalysis['modelRefs'][number], { kind: 'hub' }>[]): Promise<Map<string, ModelInfo> | undefined> {
    const asks = new Map<string, { id: string; revision?: string }>();
    for (const r of refs) asks.set(modelKey(r.id, r.revision), { id: r.id, ...(r.revision ? { revision: r.revision } : {}) });
    const lookup = this.opts.models!.models([...asks.values()], this.opts.signal).catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), this.opts.hubTimeoutMs ?? 3000);
      timer.unref();
    });
    const ans = await Promise.race([lookup, timeout]);
    clearTimeout(timer);
    return ans?.models;
  }
}
