// Builders for engine tests: in-memory advisory/registry providers that record what was asked.
import type { Ecosystem } from '../../../server/src/domain';
import type { AdvisoryAnswer, AdvisoryProvider, OsvRecord, PackageMetadata, PackageQuery, RegistryAnswer, RegistryProvider } from '../../../server/src/domain';
import { isAffected } from '../../../server/src/versions/affected';

export function record(
  id: string,
  name: string,
  events: { introduced?: string; fixed?: string; last_affected?: string }[],
  extra: Partial<OsvRecord> = {},
  ecosystem: Ecosystem = 'PyPI',
): OsvRecord {
  const type = ecosystem === 'npm' ? 'SEMVER' : 'ECOSYSTEM';
  return { id, modified: '2024-01-01T00:00:00Z', summary: `${id} summary`, affected: [{ package: { ecosystem, name }, ranges: [{ type, events }] }], ...extra };
}

/** PyPI names match case-insensitively (normalised); npm names exactly, as OSV does. */
const sameName = (eco: Ecosystem, a: string, b: string) => (eco === 'npm' ? a === b : a.toLowerCase() === b);

export class MemoryAdvisories implements AdvisoryProvider {
  readonly calls: PackageQuery[][] = [];
  constructor(private readonly records: OsvRecord[]) {}
  async query(queries: PackageQuery[]): Promise<AdvisoryAnswer> {
    this.calls.push(queries);
    return {
      results: queries.map((q) =>
        this.records.filter(
          (r) =>
            (r.affected ?? []).some((a) => a.package?.ecosystem === q.ecosystem && sameName(q.ecosystem, a.package.name, q.name)) &&
            (!q.version || isAffected(r, q.ecosystem, q.name, q.version)),
        ),
      ),
      freshness: { fetchedAt: Date.now(), stale: false, origin: 'network' },
      errors: [],
    };
  }
}

export class MemoryRegistry implements RegistryProvider {
  readonly asked: string[][] = [];
  constructor(
    private readonly versions: Record<string, (string | { version: string; yanked: boolean })[]>,
    private readonly license = 'BSD-3-Clause',
  ) {}
  async metadata(ecosystem: Ecosystem, names: string[]): Promise<RegistryAnswer> {
    this.asked.push(names);
    const packages = new Map<string, PackageMetadata>();
    const notFound = new Set<string>();
    for (const n of names) {
      const v = this.versions[n];
      if (!v) {
        notFound.add(n);
        continue;
      }
      const releases = v.map((x) => (typeof x === 'string' ? { version: x, yanked: false } : x));
      packages.set(n, { ecosystem, name: n, license: this.license, latest: releases.filter((r) => !r.yanked).at(-1)?.version, releases, freshness: { fetchedAt: Date.now(), stale: false, origin: 'network' } });
    }
    return { packages, notFound, errors: [] };
  }
}

/** Apply offset edits to a text. */
export function apply(text: string, edits: { range: { start: number; end: number }; newText: string }[]): string {
  return [...edits].sort((a, b) => b.range.start - a.range.start).reduce((t, e) => t.slice(0, e.range.start) + e.newText + t.slice(e.range.end), text);
}
