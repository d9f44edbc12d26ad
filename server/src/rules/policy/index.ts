// The policy rules in one place: what a policy says about a document's dependencies and the Hub
// models its code loads, and the step that applies the policy's levels and ignores afterwards.
import type { Finding } from '../../domain';
import type { DependencyFacts } from '../dependency/facts';
import type { PolicyRuleContext } from './context';
import { modelLicensePolicy, packageLicensePolicy } from './licensePolicy';
import { modelNotApproved } from './modelNotApproved';
import type { ModelUse } from './modelUse';
import { newRelease } from './newRelease';
import { packageDenied } from './packageDenied';

export type { PolicyRuleContext } from './context';
export type { ModelUse } from './modelUse';
export { REQUIRE_REVISION_NOTE } from './modelNotApproved';
export { applyPolicy, expiryProblems, untrustedProblems, type ExpiredIgnore, type PolicyApplyContext, type PolicyApplyResult } from './apply';

export function policyDependencyFindings(facts: readonly DependencyFacts[], ctx: PolicyRuleContext): Finding[] {
  const out: Finding[] = [];
  for (const f of facts) out.push(...packageDenied(f, ctx), ...packageLicensePolicy(f, ctx), ...newRelease(f, ctx));
  return out;
}

export function policyModelFindings(uses: readonly ModelUse[], ctx: PolicyRuleContext): Finding[] {
  const out: Finding[] = [];
  for (const u of uses) out.push(...modelNotApproved(u, ctx), ...modelLicensePolicy(u, ctx));
  return out;
}

/** Whether the policy's rules need registry metadata (licences, upload times) for every package. */
export function needsRegistryMetadata(ctx: Pick<PolicyRuleContext, 'policy'>): boolean {
  const p = ctx.policy;
  return !!p.packages.minReleaseAge || p.licenses.allow.length > 0 || p.licenses.deny.length > 0;
}

/** Whether the policy's rules need Hub facts (licence, files) for the models code loads. */
export function needsHubFacts(ctx: Pick<PolicyRuleContext, 'policy'>): boolean {
  const m = ctx.policy.models;
  return !!m.formats || m.licenses.allow.length > 0 || m.licenses.deny.length > 0;
}
