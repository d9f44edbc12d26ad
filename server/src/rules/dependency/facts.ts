// What the engine knows about one dependency after enrichment; dependency rules read only this.
import type { Dependency, RelatedLocation } from '../../engine/types';
import type { Freshness, OsvRecord, PackageMetadata, ReleaseInfo } from '../../sources/types';

export interface DependencyFacts {
  dep: Dependency;
  /** Every advisory known for the package (all versions), withdrawn removed. */
  advisories: OsvRecord[];
  /** The version the rules evaluate: the pin, the locked version, or the newest allowed release. */
  evaluated?: { version: string; how: 'pinned' | 'locked' | 'newest-allowed' };
  /** The lockfile entry that fixed the version, when `how` is 'locked'. */
  lockLocation?: RelatedLocation;
  /** The registry answered that no such package exists (404). */
  notFound?: boolean;
  /** The manifest names another index (`--index-url`/`--extra-index-url`): names missing from the
   * public registry may be internal, and a public look-alike is a dependency-confusion risk. */
  indexUrls?: string[];
  /** Registry metadata when it was fetched. */
  metadata?: PackageMetadata;
  /** Release candidates for fixes: the registry's list, or what advisory data knows offline. */
  candidates: ReleaseInfo[];
  /** Candidates come from advisory data only (no registry list): fixes are best-effort. */
  candidatesFromAdvisories: boolean;
  /** Records the advisory service reported for the exact version although our own range
   * evaluation disagrees; the service's answer wins. */
  knownAffecting?: Set<string>;
  /** How fresh the advisory data is. */
  freshness?: Freshness;
}
