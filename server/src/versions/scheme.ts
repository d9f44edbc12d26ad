// The one interface every ecosystem's version logic implements, so callers (affected ranges,
// safe-version choice, rules) never branch on PEP 440 vs semver themselves.

export interface SatisfyOptions {
  /** Let pre-releases match even when the specifier does not mention one. */
  includePrereleases?: boolean;
}

/** A parsed version, opaque outside its scheme; lets hot loops parse once and compare often. */
export interface VersionKey {
  readonly __versionKey: never;
}

export interface VersionScheme {
  /** The parsed form of a valid version, undefined when invalid. */
  key(version: string): VersionKey | undefined;
  compareKeys(a: VersionKey, b: VersionKey): number;
  isValidVersion(version: string): boolean;
  /** Negative, zero or positive. Invalid versions sort before valid ones, then by text. */
  compareVersions(a: string, b: string): number;
  /** True when both are valid and denote the same version (`1.0` == `1.0.0` in PEP 440). */
  equalVersions(a: string, b: string): boolean;
  isPrerelease(version: string): boolean;
  /** False for an invalid version or specifier, never throws. */
  satisfies(version: string, specifier: string, opts?: SatisfyOptions): boolean;
  maxSatisfying(versions: readonly string[], specifier: string, opts?: SatisfyOptions): string | undefined;
  /** Ascending, a new array. */
  sortVersions(versions: readonly string[]): string[];
  /** The version an exact specifier pins (`==1.2.3`, `===x`, npm `1.2.3`), else undefined. */
  exactPin(specifier: string): string | undefined;
  /** The version's public part: PEP 440 drops `+local`; semver drops `+build`. */
  publicVersion(version: string): string;
}

/** `sortVersions` for a scheme, from its comparison. */
export function sortWith(compare: (a: string, b: string) => number): (versions: readonly string[]) => string[] {
  return (versions) => [...versions].sort(compare);
}

/** `maxSatisfying` for a scheme, from its matching and comparison. */
export function maxSatisfyingWith(
  satisfies: (version: string, specifier: string, opts?: SatisfyOptions) => boolean,
  compare: (a: string, b: string) => number,
): (versions: readonly string[], specifier: string, opts?: SatisfyOptions) => string | undefined {
  return (versions, specifier, opts = {}) => {
    let best: string | undefined;
    for (const v of versions) {
      if (satisfies(v, specifier, opts) && (best === undefined || compare(v, best) > 0)) best = v;
    }
    return best;
  };
}
