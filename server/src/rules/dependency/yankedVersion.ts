// yanked-version: the pinned or locked version was withdrawn by its maintainers (PyPI yank),
// usually for a serious bug or a security problem. Quick fix: pin the nearest safe release.
import type { Finding, Fix } from '../../domain';
import { versionsFor } from '../../versions';
import { chooseSafeVersions } from '../../versions/safeVersion';
import type { DependencyFacts } from './facts';
import { dependencyFinding, type DependencyRule } from './rule';
import { pinFix } from './versionEdits';

export const yankedVersion: DependencyRule = {
  id: 'yanked-version',
  check(facts: DependencyFacts): Finding[] {
    const { dep, evaluated, metadata } = facts;
    if (dep.url || !evaluated || evaluated.how === 'newest-allowed' || !metadata) return [];
    const ver = versionsFor(dep.ecosystem);
    const v = evaluated.version;
    const release = metadata.releases.find((r) => r.version === v || ver.equalVersions(r.version, v));
    if (!release?.yanked) return [];

    const releases = metadata.releases;
    const safe = chooseSafeVersions({ ecosystem: dep.ecosystem, name: dep.name, current: v, releases, advisories: facts.advisories });
    // Nothing newer may exist (the newest release itself was yanked): fall back to the latest safe one.
    const target = safe.nearest ?? safe.latest;
    const fixes: Fix[] = [];
    const f = target ? pinFix(dep, target, `Pin ${dep.rawName} to ${target} (nearest release that is not yanked)`, true) : undefined;
    if (f) fixes.push(f);

    const reason = release.yankedReason?.trim() ? ` ("${release.yankedReason.trim()}")` : ' (no reason given)';
    const subject = `${dep.rawName} ${v}${evaluated.how === 'locked' ? ' (locked)' : ''}`;
    const action = target ? `pin ${target} instead` : 'choose another release';
    return [
      dependencyFinding(dep, {
        rule: 'yanked-version',
        severity: 'warning',
        message: `${subject} was yanked by its maintainers${reason}, usually for a serious bug or a security problem: ${action}.`,
        package: { ecosystem: dep.ecosystem, name: dep.name, version: v },
        fixes,
        ...(facts.lockLocation ? { related: [facts.lockLocation] } : {}),
      }),
    ];
  },
};
