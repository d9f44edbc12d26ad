// Chooses versions to suggest in quick fixes: the nearest and the latest release no advisory
// affects, the lowest lower bound that makes a whole range safe, and - offline, with no
// registry - the candidate versions the advisory data itself knows about.
import type { Ecosystem } from '../domain';
import type { OsvRecord, ReleaseInfo } from '../domain';
import { affectedEntries, isAffected, versionKey } from './affected';
import { versionsFor } from './index';

export interface SafeVersionOptions {
  ecosystem: Ecosystem;
  name: string;
  /** The version in use; the nearest suggestion is never below it. */
  current?: string;
  releases: ReleaseInfo[];
  advisories: OsvRecord[];
  /** The dependency's specifier. It does not restrict the suggestions (a pin fix replaces it);
   * it admits pre-releases when it names one, and without `current` it sets the floor for
   * `nearest` when some safe release satisfies it. */
  specifier?: string;
}

function affectedByAny(advisories: OsvRecord[], ecosystem: Ecosystem, name: string, version: string): boolean {
  return advisories.some((r) => isAffected(r, ecosystem, name, version));
}

export function chooseSafeVersions(opts: SafeVersionOptions): { nearest?: string; latest?: string } {
  const { ecosystem, name, current, advisories } = opts;
  const ver = versionsFor(ecosystem);
  const spec = opts.specifier?.trim() || undefined;
  const specAdmitsPre = spec !== undefined && opts.releases.some((r) => ver.isPrerelease(r.version) && ver.satisfies(r.version, spec));
  const allowPre = (current !== undefined && ver.isPrerelease(current)) || specAdmitsPre;
  const safe = ver.sortVersions(
    (opts.releases ?? [])
      .filter((r) => r && !r.yanked && ver.isValidVersion(r.version))
      .filter((r) => allowPre || !ver.isPrerelease(r.version))
      .filter((r) => !affectedByAny(advisories, ecosystem, name, r.version))
      .map((r) => r.version),
  );
  if (safe.length === 0) return {};
  const latest = safe[safe.length - 1];
  let nearest: string | undefined;
  if (current !== undefined && ver.isValidVersion(current)) {
    nearest = safe.find((v) => ver.compareVersions(v, current) >= 0);
  } else {
    nearest = (spec && safe.find((v) => ver.satisfies(v, spec, { includePrereleases: allowPre }))) || safe[0];
  }
  return { ...(nearest !== undefined ? { nearest } : {}), latest };
}

/** The smallest release B such that every installable release >= B (not yanked, not a
 * pre-release, within `specifier` when given) is unaffected; undefined when the newest one is
 * affected or no release is known. */
export function lowestSafeLowerBound(opts: Omit<SafeVersionOptions, 'current'>): string | undefined {
  const { ecosystem, name, advisories } = opts;
  const ver = versionsFor(ecosystem);
  const spec = opts.specifier?.trim() ?? '';
  const allowed = ver.sortVersions(
    (opts.releases ?? [])
      .filter((r) => r && !r.yanked && ver.isValidVersion(r.version) && !ver.isPrerelease(r.version))
      .filter((r) => spec === '' || ver.satisfies(r.version, spec))
      .map((r) => r.version),
  );
  let bound: string | undefined;
  for (let i = allowed.length - 1; i >= 0; i--) {
    if (affectedByAny(advisories, ecosystem, name, allowed[i]!)) break;
    bound = allowed[i];
  }
  return bound;
}

/** Offline, with no registry: the versions the advisories mention (fixed, introduced,
 * last_affected, listed), ascending, each as a non-yanked release. */
export function candidateVersionsOffline(advisories: OsvRecord[], name: string, ecosystem: Ecosystem): ReleaseInfo[] {
  const ver = versionsFor(ecosystem);
  const seen = new Map<string, string>();
  const add = (v: string | undefined): void => {
    if (typeof v !== 'string' || !ver.isValidVersion(v)) return;
    const key = versionKey(ecosystem, ver.publicVersion(v));
    if (!seen.has(key)) seen.set(key, v);
  };
  for (const r of advisories) {
    if (!r || r.withdrawn) continue;
    for (const a of affectedEntries(r, ecosystem, name)) {
      for (const v of a.versions ?? []) add(v);
      for (const range of a.ranges ?? []) {
        if (range?.type === 'GIT') continue;
        for (const e of range.events ?? []) {
          add(e.fixed);
          add(e.last_affected);
          if (e.introduced !== '0') add(e.introduced);
        }
      }
    }
  }
  return ver.sortVersions([...seen.values()]).map((version) => ({ version, yanked: false }));
}
