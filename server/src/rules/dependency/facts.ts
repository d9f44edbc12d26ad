// What the engine knows about one dependency after enrichment; dependency rules read only this.
import type { Dependency, RelatedLocation } from '../../domain';
import type { Freshness, OsvRecord, PackageMetadata, ReleaseInfo } from '../../domain';
import { isAffected } from '../../versions/affected';

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
  /** For a pinned or locked version: the ids the advisory service returned when asked for that
   * exact version. The service's answer is authoritative (OSV semantics), so these, and only
   * these, affect the version. Undefined for ranges, where our own evaluation decides. */
  affectingIds?: Set<string>;
  /** How fresh the advisory data is. */
  freshness?: Freshness;
}

/** The advisories that affect the evaluated version. */
export function affectingAdvisories(facts: DependencyFacts): OsvRecord[] {
  const v = facts.evaluated?.version;
  if (!v) return [];
  if (facts.affectingIds && (facts.evaluated!.how === 'pinned' || facts.evaluated!.how === 'locked')) {
    return facts.advisories.filter((r) => facts.affectingIds!.has(r.id));
  }
  return facts.advisories.filter((r) => isAffected(r, facts.dep.ecosystem, facts.dep.name, v));
}
