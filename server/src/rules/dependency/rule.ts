// The shape of a dependency rule: a pure function from one dependency's facts to findings.
import type { Dependency, Finding, RuleId } from '../../domain';
import type { DependencyFacts } from './facts';

export interface DependencyRule {
  id: RuleId;
  check(facts: DependencyFacts): Finding[];
}

/** A finding on the dependency's name: the package (name; add `version` where it matters) and
 * the notebook cell come from the dependency, so every rule reports them the same way. */
export function dependencyFinding(dep: Dependency, f: Omit<Finding, 'range' | 'cell' | 'package'> & Partial<Pick<Finding, 'range' | 'package'>>): Finding {
  return {
    range: dep.nameRange,
    package: { ecosystem: dep.ecosystem, name: dep.name },
    ...f,
    ...(dep.cell !== undefined ? { cell: dep.cell } : {}),
  };
}
