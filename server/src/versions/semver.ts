// npm versions and ranges, the same surface as pep440.ts, on top of the `semver` package.
// Every call is guarded: `semver` throws on some malformed input and we never want to.
import semverLib from 'semver';
import { maxSatisfyingWith, sortWith, type SatisfyOptions, type VersionKey, type VersionScheme } from './scheme';

function parsed(version: string): semverLib.SemVer | null {
  try {
    return typeof version === 'string' ? semverLib.parse(version.trim()) : null;
  } catch {
    return null;
  }
}

export function isValidVersion(version: string): boolean {
  return parsed(version) !== null;
}

export function compareVersions(a: string, b: string): number {
  const pa = parsed(a);
  const pb = parsed(b);
  if (pa && pb) return pa.compare(pb);
  if (pa) return 1;
  if (pb) return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function equalVersions(a: string, b: string): boolean {
  const pa = parsed(a);
  const pb = parsed(b);
  return pa !== null && pb !== null && pa.compare(pb) === 0;
}

export function isPrerelease(version: string): boolean {
  return (parsed(version)?.prerelease.length ?? 0) > 0;
}

export function publicVersion(version: string): string {
  return parsed(version)?.version ?? version.trim();
}

export function satisfies(version: string, range: string, opts: SatisfyOptions = {}): boolean {
  const v = parsed(version);
  if (!v || typeof range !== 'string') return false;
  try {
    return semverLib.satisfies(v, range, { includePrerelease: opts.includePrereleases === true });
  } catch {
    return false;
  }
}

export const sortVersions = sortWith(compareVersions);

export const maxSatisfying = maxSatisfyingWith(satisfies, compareVersions);

/** `1.2.3`, `=1.2.3`, `v1.2.3`: the exact version; any real range gives undefined. */
export function exactPin(range: string): string | undefined {
  if (typeof range !== 'string') return undefined;
  const text = range.trim().replace(/^=\s*/, '');
  return parsed(text)?.version;
}

export const semver: VersionScheme = {
  key: (version) => (parsed(version) as unknown as VersionKey | null) ?? undefined,
  compareKeys: (a, b) => (a as unknown as semverLib.SemVer).compare(b as unknown as semverLib.SemVer),
  isValidVersion,
  compareVersions,
  equalVersions,
  isPrerelease,
  satisfies,
  maxSatisfying,
  sortVersions,
  exactPin,
  publicVersion,
};
