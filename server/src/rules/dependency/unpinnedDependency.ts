// unpinned-dependency: no exact pin and no lockfile entry, so installs are not reproducible.
import type { Finding } from '../../domain';
import type { DependencyFacts } from './facts';
import { dependencyFinding, type DependencyRule } from './rule';
import { pinFix } from './versionEdits';

export const unpinnedDependency: DependencyRule = {
  id: 'unpinned-dependency',
  check(facts: DependencyFacts): Finding[] {
    const { dep } = facts;
    if (dep.pinned || dep.url || dep.constraintOnly || dep.editStyle === 'none') return [];
    if (facts.evaluated && facts.evaluated.how !== 'newest-allowed') return [];
    const v = facts.evaluated?.version;
    // Offline, the newest version advisory data knows may be years old: no pin suggestion then.
    const fix = v && !facts.candidatesFromAdvisories ? pinFix(dep, v, `Pin ${dep.rawName} to ${v} (the newest version the range allows)`) : undefined;
    return [
      dependencyFinding(dep, {
        rule: 'unpinned-dependency',
        severity: 'hint',
        message: `${dep.rawName} is not pinned${dep.specifier ? ` ("${dep.specifier}")` : ''} and no lockfile fixes its version: installs may differ from machine to machine.`,
        fixes: fix ? [fix] : [],
      }),
    ];
  },
};
