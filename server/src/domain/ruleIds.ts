// Every rule id as a runtime list, for code that must validate ids written by people (the policy
// file's `[rules]` table and `[[ignore]]` entries). The type check below fails the build when a
// rule is added to `RuleId` and not here.
import type { RuleId } from './types';

export const RULE_IDS = [
  'vulnerable-dependency',
  'malicious-package',
  'typosquat-suspect',
  'unknown-package',
  'yanked-version',
  'deprecated-package',
  'unpinned-dependency',
  'license-notice',
  'unsafe-torch-load',
  'pickle-deserialization',
  'numpy-allow-pickle',
  'trust-remote-code',
  'unpinned-model-revision',
  'unsafe-keras-load',
  'unsafe-yaml-load',
  'torch-hub-load',
  'dangerous-deserialization-flag',
  'insecure-model-source',
  'unsafe-model-file',
  'package-denied',
  'model-not-approved',
  'license-policy',
  'new-release',
] as const satisfies readonly Exclude<RuleId, 'parse-error'>[];

type Missing = Exclude<RuleId, 'parse-error' | (typeof RULE_IDS)[number]>;
/** Compile-time only: `true` type-checks only when no rule id is missing from the list. */
export const RULE_IDS_COMPLETE: [Missing] extends [never] ? true : Missing = true;

export function isRuleId(s: string): s is Exclude<RuleId, 'parse-error'> {
  return (RULE_IDS as readonly string[]).includes(s);
}
