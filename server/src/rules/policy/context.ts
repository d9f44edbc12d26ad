// What every policy rule receives besides its facts, and how findings point back at the policy
// entry that decided them (a related location in the policy file).
import type { Policy, PolicySpan, RelatedLocation } from '../../domain';

export interface PolicyRuleContext {
  policy: Policy;
  /** Milliseconds since the epoch (injected: release ages and expiry are testable). */
  now: number;
}

/** How the policy file is named in messages. */
export function policyName(policy: Policy): string {
  return policy.source === 'aidr.toml' ? 'aidr.toml' : 'pyproject.toml [tool.aidr]';
}

export function policyLocation(policy: Policy, at: PolicySpan, message: string): RelatedLocation {
  return { uri: policy.uri, range: at.lines, message };
}
