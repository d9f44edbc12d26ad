// vulnerable-dependency: the pinned, locked or newest-allowed version is affected by an OSV
// advisory; a range that merely admits affected versions is an info with a raise-the-bound fix.
import type { AdvisoryRef, Finding, Fix, Severity } from '../../domain';
import { toAdvisoryRef } from '../../versions/advisoryRef';
import type { OsvRecord } from '../../domain';
import { isAffected } from '../../versions/affected';
import { versionsFor } from '../../versions';
import { chooseSafeVersions, lowestSafeLowerBound } from '../../versions/safeVersion';
import { affectingAdvisories, type DependencyFacts } from './facts';
import { dependencyFinding, type DependencyRule } from './rule';
import { pinFix, raiseLowerBoundFix } from './versionEdits';

const SEVERITY_RANK: Record<string, number> = { CRITICAL: 4, HIGH: 3, MODERATE: 2, MEDIUM: 2, LOW: 1, UNKNOWN: 0 };

export function findingSeverity(refs: AdvisoryRef[]): Severity {
  const top = Math.max(...refs.map((r) => SEVERITY_RANK[r.severity ?? 'UNKNOWN'] ?? 0));
  return top >= 3 ? 'error' : 'warning';
}

function describe(refs: AdvisoryRef[]): string {
  const ids = refs.slice(0, 3).map((r) => `${r.id}${r.severity && r.severity !== 'UNKNOWN' ? ` (${r.severity.toLowerCase()})` : ''}`);
  const more = refs.length > 3 ? ` and ${refs.length - 3} more` : '';
  return ids.join(', ') + more;
}

function sortRefs(refs: AdvisoryRef[]): AdvisoryRef[] {
  return [...refs].sort((a, b) => (SEVERITY_RANK[b.severity ?? 'UNKNOWN'] ?? 0) - (SEVERITY_RANK[a.severity ?? 'UNKNOWN'] ?? 0) || a.id.localeCompare(b.id));
}

function isMalicious(r: OsvRecord): boolean {
  return r.id.startsWith('MAL-');
}

export const vulnerableDependency: DependencyRule = {
  id: 'vulnerable-dependency',
  check(facts: DependencyFacts): Finding[] {
    const { dep } = facts;
    if (dep.url || !facts.evaluated) return [];
    const eco = dep.ecosystem;
    const advisories = facts.advisories.filter((r) => !isMalicious(r));
    if (advisories.length === 0) return [];
    const v = facts.evaluated.version;
    const affecting = affectingAdvisories(facts).filter((r) => !isMalicious(r));
    const pkg = { ecosystem: eco, name: dep.name, version: v };
    const safe = chooseSafeVersions({
      ecosystem: eco,
      name: dep.name,
      current: v,
      releases: facts.candidates,
      advisories,
      specifier: dep.specifier || undefined,
    });

    if (affecting.length > 0) {
      const refs = sortRefs(affecting.map((r) => toAdvisoryRef(r, eco, dep.name)));
      const fixes: Fix[] = [];
      if (safe.nearest) {
        const f = pinFix(dep, safe.nearest, `Pin ${dep.rawName} to ${safe.nearest} (nearest safe version)`, true);
        if (f) fixes.push(f);
      }
      if (safe.latest && safe.latest !== safe.nearest) {
        const f = pinFix(dep, safe.latest, `Pin ${dep.rawName} to ${safe.latest} (latest safe version)`);
        if (f) fixes.push(f);
      }
      if (facts.evaluated.how === 'newest-allowed' && safe.nearest) {
        const bound = lowestSafeLowerBound({ ecosystem: eco, name: dep.name, releases: facts.candidates, advisories, specifier: dep.specifier });
        const f = bound ? raiseLowerBoundFix(dep, bound) : undefined;
        if (f) fixes.push(f);
      }
      const subject =
        facts.evaluated.how === 'pinned'
          ? `${dep.rawName} ${v}`
          : facts.evaluated.how === 'locked'
            ? `${dep.rawName} ${v} (locked)`
            : `${dep.rawName} ${v} (the newest version "${dep.specifier || '(any)'}" allows${facts.candidatesFromAdvisories ? ' among those the advisory data knows' : ''})`;
      const fixedHint = safe.nearest
        ? ` Upgrade to ${safe.nearest}${facts.candidatesFromAdvisories ? ' (from advisory data; registry not checked)' : ''}.`
        : ' No safe version is known.';
      return [
        dependencyFinding(dep, {
          rule: 'vulnerable-dependency',
          severity: findingSeverity(refs),
          message: `${subject} is affected by ${refs.length === 1 ? 'a known vulnerability' : `${refs.length} known vulnerabilities`}: ${describe(refs)}.${fixedHint}`,
          package: pkg,
          advisories: refs,
          fixes,
          ...(facts.lockLocation ? { related: [facts.lockLocation] } : {}),
        }),
      ];
    }

    // The evaluated version is fine; does the range still admit affected releases?
    if (facts.evaluated.how !== 'newest-allowed' || !dep.specifier.trim() && facts.candidates.length === 0) return [];
    const ver = versionsFor(eco);
    const allowed = facts.candidates.filter((r) => !r.yanked && ver.satisfies(r.version, dep.specifier || '>=0'));
    const admitted = new Map<string, string[]>();
    for (const r of advisories) {
      const hits = allowed.filter((a) => isAffected(r, eco, dep.name, a.version)).map((a) => a.version);
      if (hits.length) admitted.set(r.id, hits);
    }
    if (admitted.size === 0) return [];
    const refs = sortRefs(advisories.filter((r) => admitted.has(r.id)).map((r) => toAdvisoryRef(r, eco, dep.name)));
    const versions = [...new Set([...admitted.values()].flat())];
    const sorted = ver.sortVersions(versions);
    const bound = lowestSafeLowerBound({ ecosystem: eco, name: dep.name, releases: facts.candidates, advisories, specifier: dep.specifier });
    const fix = bound ? raiseLowerBoundFix(dep, bound) : undefined;
    const span = sorted.length === 1 ? sorted[0] : `${sorted[0]} … ${sorted[sorted.length - 1]}`;
    return [
      dependencyFinding(dep, {
        rule: 'vulnerable-dependency',
        severity: 'info',
        message: `The range "${dep.specifier || '(any)'}" of ${dep.rawName} admits vulnerable versions (${span}; ${describe(refs)}); the newest allowed${facts.candidatesFromAdvisories ? ' that the advisory data knows' : ''}, ${v}, is not affected.${bound ? ` Raise the lower bound to ${bound}.` : ''}`,
        package: { ecosystem: eco, name: dep.name },
        advisories: refs,
        fixes: fix ? [fix] : [],
      }),
    ];
  },
};
