// malicious-package: an OSV MAL- record names this package (and this version, when known).
import type { Finding } from '../../domain';
import { toAdvisoryRef } from '../../versions/advisoryRef';
import { affectingAdvisories, type DependencyFacts } from './facts';
import { dependencyFinding, type DependencyRule } from './rule';

export const maliciousPackage: DependencyRule = {
  id: 'malicious-package',
  check(facts: DependencyFacts): Finding[] {
    const { dep } = facts;
    const mal = facts.advisories.filter((r) => r.id.startsWith('MAL-'));
    if (mal.length === 0) return [];
    const v = facts.evaluated?.version;
    // A MAL record with no version information covers the whole package.
    const affecting = new Set(affectingAdvisories(facts).map((r) => r.id));
    const hits = mal.filter(
      (r) => !v || affecting.has(r.id) || !(r.affected ?? []).some((a) => (a.versions?.length ?? 0) > 0 || (a.ranges?.length ?? 0) > 0),
    );
    if (hits.length === 0) return [];
    const refs = hits.map((r) => toAdvisoryRef(r, dep.ecosystem, dep.name));
    return [
      dependencyFinding(dep, {
        rule: 'malicious-package',
        severity: 'error',
        message: `${dep.rawName}${v ? ` ${v}` : ''} is reported as malicious (${refs.map((r) => r.id).join(', ')}): remove it and check the machines that installed it.`,
        package: { ecosystem: dep.ecosystem, name: dep.name, ...(v ? { version: v } : {}) },
        advisories: refs,
      }),
    ];
  },
};
