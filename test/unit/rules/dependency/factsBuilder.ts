// Builds DependencyFacts by hand for dependency-rule tests: the dependency comes from the real
// manifest parser, every other fact is given explicitly.
import type { Dependency, Fix } from '../../../../server/src/domain';
import { parseManifest } from '../../../../server/src/manifests';
import type { DependencyFacts } from '../../../../server/src/rules/dependency/facts';
import type { PackageMetadata, ReleaseInfo } from '../../../../server/src/domain';

export function depsOf(text: string, file = 'requirements.txt'): Dependency[] {
  return parseManifest(file, text).dependencies;
}

/** Facts for the dependency named `name` (normalised) in `text`, or the first one. */
export function factsFor(text: string, extra: Partial<DependencyFacts> = {}, opts: { file?: string; name?: string } = {}): DependencyFacts {
  const deps = depsOf(text, opts.file);
  const dep = opts.name ? deps.find((d) => d.name === opts.name) : deps[0];
  if (!dep) throw new Error(`no dependency${opts.name ? ` ${opts.name}` : ''} in ${JSON.stringify(text)}`);
  const evaluated: DependencyFacts['evaluated'] = dep.pinned ? { version: dep.pinned, how: dep.editStyle === 'none' ? 'locked' : 'pinned' } : undefined;
  return { dep, advisories: [], candidates: extra.metadata?.releases ?? [], candidatesFromAdvisories: false, ...(evaluated ? { evaluated } : {}), ...extra };
}

export function release(version: string, opts: Partial<ReleaseInfo> = {}): ReleaseInfo {
  return { version, yanked: false, ...opts };
}

export function metadata(name: string, opts: Partial<PackageMetadata> = {}): PackageMetadata {
  return { ecosystem: 'PyPI', name, releases: [], freshness: { fetchedAt: 0, stale: false, origin: 'network' }, ...opts };
}

/** The text after applying every edit of `fix` (edits do not overlap). */
export function applyFix(text: string, fix: Fix): string {
  const edits = [...fix.edits].sort((a, b) => b.range.start - a.range.start);
  let out = text;
  for (const e of edits) out = out.slice(0, e.range.start) + e.newText + out.slice(e.range.end);
  return out;
}
