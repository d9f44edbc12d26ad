// The shape of a dependency rule: a pure function from one dependency's facts to findings.
import type { Finding, RuleId } from '../../engine/types';
import type { DependencyFacts } from './facts';

export interface DependencyRule {
  id: RuleId;
  check(facts: DependencyFacts): Finding[];
}
