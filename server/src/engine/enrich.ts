// Gathers the facts dependency rules need, for many dependencies at once: one batch of OSV
// queries (pins by version, ranges by name), then registry metadata only for the packages whose
// answer depends on it (ranges with advisories, and affected versions that need fix candidates).
import type { Dependency, Ecosystem, RelatedLocation } from '../domain';
import type { DependencyFacts } from '../rules/dependency/facts';
import type {
  AdvisoryProvider,
  Freshness,
  OsvRecord,
  PackageMetadata,
  PackageQuery,
  RegistryProvider,
  ReleaseInfo,
} from '../domain';
import { versionsFor } from '../versions';
import { candidateVersionsOffline } from '../versions/safeVersion';
import { isPopular } from '../data/popular';

export interface LockedVersion {
  version: string;
  location?: RelatedLocation;
}

export interface EnrichContext {
  advisories: AdvisoryProvider;
  registries: Partial<Record<Ecosystem, RegistryProvider>>;
  /** The version a lockfile (or a constraint file) of the dependency's own environment fixes. */
  lockedFor?: (dep: Dependency) => LockedVersion | undefined;
  /** Fetch registry metadata for every dependency (the editor wants the newest version, yanked
   * flags and deprecation for hovers); otherwise only where a finding depends on it: packages with
   * advisories, unpinned ones with advisories, and names too rare to assume they exist. */
  metadataForAll?: boolean;
  signal?: AbortSignal;
}

export interface EnrichResult {
  facts: DependencyFacts[];
  errors: string[];
  freshness?: Freshness;
}

const key = (eco: Ecosystem, name: string, version?: string) => `${eco}:${name}${version ? `@${version}` : ''}`;

function mergeFreshness(a: Freshness | undefined, b: Freshness | undefined): Freshness | undefined {
  if (!a) return b;
  if (!b) return a;
  return { fetchedAt: Math.min(a.fetchedAt, b.fetchedAt), stale: a.stale || b.stale, origin: a.stale ? a.origin : b.origin };
}

function fixedPin(dep: Dependency, lockedFor: EnrichContext['lockedFor']): DependencyFacts['evaluated'] & { location?: RelatedLocation } | undefined {
  if (dep.url) return undefined;
  if (dep.pinned) return { version: dep.pinned, how: dep.editStyle === 'none' ? 'locked' : 'pinned' };
  const l = lockedFor?.(dep);
  if (l) return { version: l.version, how: 'locked', location: l.location };
  return undefined;
}

export async function enrichDependencies(deps: Dependency[], ctx: EnrichContext): Promise<EnrichResult> {
  const errors: string[] = [];
  let freshness: Freshness | undefined;
  const active = deps.filter((d) => !d.url);

  // 1. One batch of advisory queries.
  const queries = new Map<string, PackageQuery>();
  const pins = new Map<Dependency, ReturnType<typeof fixedPin>>();
  for (const d of active) {
    const pin = fixedPin(d, ctx.lockedFor);
    pins.set(d, pin);
    const q: PackageQuery = pin ? { ecosystem: d.ecosystem, name: d.name, version: pin.version } : { ecosystem: d.ecosystem, name: d.name };
    queries.set(key(q.ecosystem, q.name, q.version), q);
  }
  const byQuery = new Map<string, OsvRecord[]>();
  const ask = async (qs: PackageQuery[]) => {
    if (qs.length === 0) return;
    const ans = await ctx.advisories.query(qs, ctx.signal);
    errors.push(...ans.errors);
    freshness = mergeFreshness(freshness, ans.freshness);
    qs.forEach((q, i) => byQuery.set(key(q.ecosystem, q.name, q.version), ans.results[i] ?? []));
  };
  await ask([...queries.values()]);

  // 2. Packages with an affected pin need every advisory of the package to choose a safe version.
  const second: PackageQuery[] = [];
  for (const d of active) {
    const pin = pins.get(d);
    const k = key(d.ecosystem, d.name);
    if (pin && (byQuery.get(key(d.ecosystem, d.name, pin.version))?.length ?? 0) > 0 && !byQuery.has(k) && !second.some((q) => key(q.ecosystem, q.name) === k)) {
      second.push({ ecosystem: d.ecosystem, name: d.name });
    }
  }
  await ask(second);

  const allFor = (d: Dependency): OsvRecord[] => {
    const out = new Map<string, OsvRecord>();
    for (const r of byQuery.get(key(d.ecosystem, d.name)) ?? []) out.set(r.id, r);
    const pin = pins.get(d);
    if (pin) for (const r of byQuery.get(key(d.ecosystem, d.name, pin.version)) ?? []) out.set(r.id, r);
    return [...out.values()];
  };

  // 3. Registry metadata where the answer depends on it.
  const wanted = new Map<Ecosystem, Set<string>>();
  for (const d of active) {
    const hasAdvisories = allFor(d).length > 0;
    if (ctx.metadataForAll || hasAdvisories || !isPopular(d.ecosystem, d.name)) {
      if (!wanted.has(d.ecosystem)) wanted.set(d.ecosystem, new Set());
      wanted.get(d.ecosystem)!.add(d.name);
    }
  }
  const metadata = new Map<string, PackageMetadata>();
  const notFound = new Set<string>();
  await Promise.all(
    [...wanted].map(async ([eco, names]) => {
      const reg = ctx.registries[eco];
      if (!reg || names.size === 0) return;
      try {
        const ans = await reg.metadata(eco, [...names], ctx.signal);
        errors.push(...ans.errors);
        for (const n of ans.notFound) notFound.add(key(eco, n));
        for (const [n, m] of ans.packages) {
          metadata.set(key(eco, n), m);
          freshness = mergeFreshness(freshness, m.freshness);
        }
      } catch (e) {
        if (ctx.signal?.aborted) throw e;
        errors.push(`${eco} registry: ${(e as Error).message}`);
      }
    }),
  );

  // 4. Facts per dependency.
  const facts: DependencyFacts[] = deps.map((dep) => {
    const advisories = dep.url ? [] : allFor(dep);
    const meta = metadata.get(key(dep.ecosystem, dep.name));
    let candidates: ReleaseInfo[] = meta?.releases ?? [];
    let fromAdvisories = false;
    if (candidates.length === 0 && advisories.length > 0) {
      candidates = candidateVersionsOffline(advisories, dep.name, dep.ecosystem);
      fromAdvisories = true;
    }
    const pin = pins.get(dep);
    let evaluated: DependencyFacts['evaluated'];
    if (pin) evaluated = { version: pin.version, how: pin.how };
    else if (!dep.url && candidates.length > 0) {
      const ver = versionsFor(dep.ecosystem);
      const allowed = candidates.filter((r) => !r.yanked).map((r) => r.version);
      const newest = ver.maxSatisfying(allowed, dep.specifier || '');
      if (newest) evaluated = { version: newest, how: 'newest-allowed' };
    }
    // OSV's own answer for a pinned version is authoritative: keep what it returned even where our
    // range evaluation would differ (e.g. records matched through GIT ranges).
    const osvSaid = pin ? byQuery.get(key(dep.ecosystem, dep.name, pin.version)) ?? [] : [];
    const affectingIds = pin ? new Set(osvSaid.map((r) => r.id)) : undefined;
    return {
      dep,
      advisories,
      evaluated,
      ...(pin?.location ? { lockLocation: pin.location } : {}),
      ...(meta ? { metadata: meta } : {}),
      ...(notFound.has(key(dep.ecosystem, dep.name)) ? { notFound: true } : {}),
      candidates,
      candidatesFromAdvisories: fromAdvisories,
      ...(affectingIds ? { affectingIds } : {}),
      ...(freshness ? { freshness } : {}),
    };
  });
  return { facts, errors: [...new Set(errors)], ...(freshness ? { freshness } : {}) };
}
