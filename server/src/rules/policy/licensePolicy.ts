// license-policy: a package's licence (registry metadata) or a Hub model's licence is denied by the
// policy (`[licenses]` for packages, `[models.licenses]` for models) or missing from its allow list.
// A licence expression passes when one of its alternatives passes (`MIT OR GPL-3.0` may be taken
// as MIT); an alternative passes when none of its parts is denied and, with an allow list, all are
// listed. Unknown licence data (not fetched, offline) is not judged.
import type { Finding, PolicyLists, PolicyPattern } from '../../domain';
import type { DependencyFacts } from '../dependency/facts';
import { dependencyFinding } from '../dependency/rule';
import { policyLocation, policyName, type PolicyRuleContext } from './context';
import { licenseAlternatives } from './licenseIds';
import type { ModelUse } from './modelUse';
import { cite, idMatch } from './patterns';

export type LicenseVerdict = { kind: 'denied'; pattern: PolicyPattern } | { kind: 'unlisted'; parts: string[] } | { kind: 'missing' };

/** Undefined when the licence passes (or the lists are empty). */
export function judgeLicense(license: string | undefined, lists: PolicyLists): LicenseVerdict | undefined {
  if (lists.allow.length === 0 && lists.deny.length === 0) return undefined;
  const alternatives = license ? licenseAlternatives(license) : [];
  if (alternatives.length === 0) return lists.allow.length ? { kind: 'missing' } : undefined;
  let first: LicenseVerdict | undefined;
  for (const parts of alternatives) {
    const denied = parts.map((p) => idMatch(lists.deny, p)).find((x) => x !== undefined);
    const unlisted = lists.allow.length ? parts.filter((p) => !idMatch(lists.allow, p)) : [];
    if (!denied && unlisted.length === 0) return undefined;
    if (denied && first?.kind !== 'denied') first = { kind: 'denied', pattern: denied };
    else first ??= { kind: 'unlisted', parts: unlisted };
  }
  return first;
}

function describe(subject: string, license: string | undefined, v: LicenseVerdict, listName: string, file: string): string {
  if (v.kind === 'denied') return `${subject} is licensed under ${license}, which the project policy denies (${cite(v.pattern, file)}).`;
  if (v.kind === 'missing') return `${subject} declares no licence, and the project policy allows only the licences in ${listName}.allow (${file}).`;
  return `${subject} is licensed under ${license}; ${v.parts.map((p) => `'${p}'`).join(', ')} ${v.parts.length === 1 ? 'is' : 'are'} not in ${listName}.allow (${file}).`;
}

function related(ctx: PolicyRuleContext, lists: PolicyLists, v: LicenseVerdict) {
  const at = v.kind === 'denied' ? v.pattern.at : lists.allow[0]?.at;
  return at ? [policyLocation(ctx.policy, at, v.kind === 'denied' ? `denied by "${v.pattern.text}"` : 'the licence allow list')] : [];
}

export function packageLicensePolicy(facts: DependencyFacts, ctx: PolicyRuleContext): Finding[] {
  const { dep, metadata } = facts;
  if (dep.url || dep.constraintOnly || !metadata) return [];
  const lists = ctx.policy.licenses;
  const v = judgeLicense(metadata.license, lists);
  if (!v) return [];
  return [
    dependencyFinding(dep, {
      rule: 'license-policy',
      severity: 'error',
      message: `${describe(dep.rawName, metadata.license, v, 'licenses', policyName(ctx.policy))} Choose another package, or ask the owners of the policy.`,
      related: related(ctx, lists, v),
      fixes: [],
    }),
  ];
}

export function modelLicensePolicy(use: ModelUse, ctx: PolicyRuleContext): Finding[] {
  if (!use.hub) return [];
  const lists = ctx.policy.models.licenses;
  const v = judgeLicense(use.hub.license, lists);
  if (!v) return [];
  return [
    {
      rule: 'license-policy',
      severity: 'error',
      range: use.range,
      ...(use.cell !== undefined ? { cell: use.cell } : {}),
      message: `${describe(`The model ${use.id}`, use.hub.license, v, 'models.licenses', policyName(ctx.policy))} Choose another model, or ask the owners of the policy.`,
      related: related(ctx, lists, v),
      fixes: [],
    },
  ];
}
