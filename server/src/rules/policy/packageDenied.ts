// package-denied: the policy's `packages.deny` names the package, or `packages.allow` restricts its
// ecosystem and does not name it. There is no automatic fix: the policy says what not to use, not
// what to use instead.
import type { Finding } from '../../domain';
import type { DependencyFacts } from '../dependency/facts';
import { dependencyFinding } from '../dependency/rule';
import { policyLocation, policyName, type PolicyRuleContext } from './context';
import { cite, packageMatch, restricts } from './patterns';

export function packageDenied(facts: DependencyFacts, ctx: PolicyRuleContext): Finding[] {
  const { dep } = facts;
  const { policy } = ctx;
  // A constraint (`-c`) installs nothing by itself.
  if (dep.constraintOnly) return [];
  const file = policyName(policy);
  const denied = packageMatch(policy.packages.deny, dep.ecosystem, dep.name);
  if (denied) {
    return [
      dependencyFinding(dep, {
        rule: 'package-denied',
        severity: 'error',
        message: `${dep.rawName} is denied by the project policy (${cite(denied, file)}): remove it. No replacement is suggested, because the policy does not say which package to use instead.`,
        related: [policyLocation(policy, denied.at, `denied by "${denied.text}"`)],
        fixes: [],
      }),
    ];
  }
  const allow = policy.packages.allow;
  if (!restricts(allow, dep.ecosystem) || packageMatch(allow, dep.ecosystem, dep.name)) return [];
  const first = allow.find((p) => !p.ecosystem || p.ecosystem === dep.ecosystem)!;
  return [
    dependencyFinding(dep, {
      rule: 'package-denied',
      severity: 'error',
      message: `${dep.rawName} is not on the project's list of approved ${dep.ecosystem} packages (packages.allow in ${file}): remove it, or ask the owners of the policy to approve it.`,
      related: [policyLocation(policy, first.at, 'the allow list')],
      fixes: [],
    }),
  ];
}
