// new-release: the pinned or locked version was uploaded more recently than the policy's
// `packages.min-release-age`. Compromised releases are usually caught and yanked within days (the
// crypto-mining ultralytics 8.3.41, 8.3.42, 8.3.45 and 8.3.46 were each pulled within about a day),
// so a waiting period keeps them out.
// Fix: pin the newest earlier release that is old enough and has no known advisory.
import type { Finding, Fix, ReleaseInfo } from '../../domain';
import { versionsFor } from '../../versions';
import { isAffected } from '../../versions/affected';
import type { DependencyFacts } from '../dependency/facts';
import { dependencyFinding } from '../dependency/rule';
import { pinFix } from '../dependency/versionEdits';
import { policyLocation, policyName, type PolicyRuleContext } from './context';

const HOUR = 3_600_000;

export function describeDuration(ms: number): string {
  if (ms < HOUR) return 'less than an hour';
  if (ms < 48 * HOUR) return `${Math.floor(ms / HOUR)} hour${Math.floor(ms / HOUR) === 1 ? '' : 's'}`;
  return `${Math.floor(ms / (24 * HOUR))} days`;
}

const uploaded = (r: ReleaseInfo): number | undefined => {
  const t = r.uploadTime ? Date.parse(r.uploadTime) : NaN;
  return Number.isFinite(t) ? t : undefined;
};

export function newRelease(facts: DependencyFacts, ctx: PolicyRuleContext): Finding[] {
  const age = ctx.policy.packages.minReleaseAge;
  const { dep, evaluated, metadata } = facts;
  if (!age || dep.url || !evaluated || evaluated.how === 'newest-allowed' || !metadata) return [];
  const ver = versionsFor(dep.ecosystem);
  const v = evaluated.version;
  const release = metadata.releases.find((r) => r.version === v || ver.equalVersions(r.version, v));
  const at = release && uploaded(release);
  if (at === undefined) return [];
  const old = ctx.now - at;
  if (old >= age.ms) return [];

  const oldEnough = (r: ReleaseInfo) => {
    const t = uploaded(r);
    return t !== undefined && ctx.now - t >= age.ms;
  };
  const prerelease = ver.isPrerelease(v);
  let target: string | undefined;
  for (const r of metadata.releases) {
    if (r.yanked || !ver.isValidVersion(r.version) || ver.compareVersions(r.version, v) >= 0 || !oldEnough(r)) continue;
    if (!prerelease && ver.isPrerelease(r.version)) continue;
    if (facts.advisories.some((a) => isAffected(a, dep.ecosystem, dep.name, r.version))) continue;
    if (target === undefined || ver.compareVersions(r.version, target) > 0) target = r.version;
  }
  const fixes: Fix[] = [];
  const fix = target ? pinFix(dep, target, `Pin ${dep.rawName} to ${target} (newest earlier release older than ${age.text})`, true) : undefined;
  if (fix) fixes.push(fix);

  const subject = `${dep.rawName} ${v}${evaluated.how === 'locked' ? ' (locked)' : ''}`;
  const when = new Date(at).toISOString().slice(0, 16).replace('T', ' ');
  const action = target
    ? fix
      ? `pin ${target}, the newest earlier release that is old enough, or wait`
      : `pin ${target} (the newest earlier release that is old enough) in the manifest, or wait`
    : 'wait until it is old enough, or pin an earlier release';
  return [
    dependencyFinding(dep, {
      rule: 'new-release',
      severity: 'warning',
      message: `${subject} was released ${describeDuration(old)} ago (${when} UTC); the project policy (${policyName(ctx.policy)}) wants releases at least ${age.text} old, because compromised versions are usually caught in their first days: ${action}.`,
      package: { ecosystem: dep.ecosystem, name: dep.name, version: v },
      fixes,
      related: [policyLocation(ctx.policy, age.at, `min-release-age = "${age.text}"`), ...(facts.lockLocation ? [facts.lockLocation] : [])],
    }),
  ];
}
