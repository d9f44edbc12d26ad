// Applies a policy's `[rules]` levels and `[[ignore]]` entries to a document's findings. The policy
// is workspace content: where silencing is not allowed (an untrusted workspace) an ignore never
// applies and a level applies only where it raises a finding's severity; deny lists and stricter
// levels always apply. An expired ignore stops working and says so, on the finding it no longer
// hides and (see expiryProblems) on the ignore entry in the policy file.
import type { Finding, ParseProblem, Policy, PolicyIgnore, PolicySeverity, Severity } from '../../domain';
import { policyLocation, policyName } from './context';
import { packageMatch, idMatch, pathMatch } from './patterns';

const RANK: Record<Severity, number> = { hint: 0, info: 1, warning: 2, error: 3 };

export interface PolicyApplyContext {
  policy: Policy;
  now: number;
  /** False in an untrusted workspace: nothing from the workspace may silence findings. */
  silencingAllowed: boolean;
  /** The analysed file relative to the policy's folder ('/'-separated); undefined when the file
   * is not below it (path ignores then never match). */
  relPath?: string;
  /** The Hub model a finding is about, when it is about one. */
  modelOf?: (f: Finding) => string | undefined;
}

export interface ExpiredIgnore {
  ignore: PolicyIgnore;
  /** A finding it would have hidden. */
  finding: Finding;
}

export interface PolicyApplyResult {
  findings: Finding[];
  /** Ignores that matched a finding but had expired (the finding is reported again). */
  expired: ExpiredIgnore[];
}

function ignoreMatches(ig: PolicyIgnore, f: Finding, ctx: PolicyApplyContext): boolean {
  if (ig.rule !== f.rule) return false;
  if (ig.package && !(f.package && packageMatch([ig.package], f.package.ecosystem, f.package.name))) return false;
  if (ig.model) {
    const id = ctx.modelOf?.(f);
    if (!id || !idMatch([ig.model], id)) return false;
  }
  if (ig.path && !(ctx.relPath !== undefined && pathMatch(ig.path, ctx.relPath))) return false;
  return true;
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function level(f: Finding, l: PolicySeverity | undefined, silencingAllowed: boolean): Finding | undefined {
  if (!l) return f;
  if (l === 'off') return silencingAllowed ? undefined : f;
  if (l === f.severity || (!silencingAllowed && RANK[l] < RANK[f.severity])) return f;
  return { ...f, severity: l };
}

export function applyPolicy(findings: readonly Finding[], ctx: PolicyApplyContext): PolicyApplyResult {
  const { policy } = ctx;
  const levels = new Map<string, PolicySeverity>(policy.rules.map((r) => [r.rule, r.severity]));
  const ignores = policy.ignores;
  const out: Finding[] = [];
  const expired: ExpiredIgnore[] = [];
  for (const original of findings) {
    const f = level(original, levels.get(original.rule), ctx.silencingAllowed);
    if (!f) continue;
    const matching = ignores.length ? ignores.filter((ig) => ignoreMatches(ig, f, ctx)) : [];
    if (matching.length === 0) {
      out.push(f);
      continue;
    }
    const live = matching.find((ig) => !ig.expires || ig.expires.at > ctx.now);
    if (live && ctx.silencingAllowed) continue;
    if (live) {
      out.push(f);
      continue;
    }
    // Every matching ignore has expired: report the finding again, and say why it is back.
    const ig = matching[0]!;
    expired.push({ ignore: ig, finding: f });
    out.push({
      ...f,
      message: `${f.message} (The ignore for this in ${policyName(policy)} expired on ${day(ig.expires!.at)}.)`,
      related: [...(f.related ?? []), policyLocation(policy, ig.at, `expired ignore: ${ig.reason}`)],
    });
  }
  return { findings: out, expired };
}

const SOON = 14 * 86_400_000;

/** Problems to show on the policy file itself: expired ignores (warning) and ignores about to
 * expire (info). */
export function expiryProblems(policy: Policy, now: number): ParseProblem[] {
  const out: ParseProblem[] = [];
  for (const ig of policy.ignores) {
    if (!ig.expires) continue;
    const left = ig.expires.at - now;
    if (left <= 0) {
      out.push({
        message: `This ignore expired on ${day(ig.expires.at)}: it no longer applies, and the ${ig.rule} findings it covered are reported again. Fix them, or renew the ignore with a new date and reason.`,
        range: ig.expires.span.range,
        severity: 'warning',
      });
    } else if (left <= SOON) {
      const days = Math.ceil(left / 86_400_000);
      out.push({ message: `This ignore expires in ${days} day${days === 1 ? '' : 's'} (${day(ig.expires.at)}).`, range: ig.expires.span.range, severity: 'info' });
    }
  }
  return out;
}

/** In an untrusted workspace: which entries of the policy do not apply, said on the entries. */
export function untrustedProblems(policy: Policy): ParseProblem[] {
  const out: ParseProblem[] = [];
  for (const ig of policy.ignores) {
    out.push({ message: 'Not applied: this workspace is not trusted, and nothing in it may silence findings. Trust the workspace to apply ignores.', range: ig.at.range, severity: 'info' });
  }
  for (const r of policy.rules) {
    if (r.severity === 'error') continue;
    out.push({
      message: `Applied only where it raises a finding's severity: this workspace is not trusted, and nothing in it may ${r.severity === 'off' ? 'turn a rule off' : 'lower a severity'}.`,
      range: r.at.range,
      severity: 'info',
    });
  }
  return out;
}
