// npm registry client: the packument (`GET <registry>/<name>`) gives versions, publish times,
// dist-tags.latest, license and per-version `deprecated`; through the shared cache.
import type { Ecosystem } from '../domain';
import type { PackageMetadata, RegistryAnswer, RegistryProvider, ReleaseInfo } from '../domain';
import { cachedLookup, type LookupDeps, type Parsed } from './cachedLookup';
import type { HttpResponse } from './http';

export interface NpmClientOptions extends LookupDeps {
  npmUrl: string;
}

type Stored = Omit<PackageMetadata, 'freshness'>;

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

function obj(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** `@scope/name` -> `@scope%2fname`, as the registry expects; plain names are encoded as a whole. */
export function npmPath(name: string): string {
  if (name.startsWith('@') && name.includes('/')) {
    const [scope, rest] = [name.slice(0, name.indexOf('/')), name.slice(name.indexOf('/') + 1)];
    return `@${encodeURIComponent(scope.slice(1))}%2f${encodeURIComponent(rest)}`;
  }
  return encodeURIComponent(name);
}

function licenseOf(v: unknown): string | undefined {
  if (typeof v === 'string') return str(v);
  const o = obj(v);
  if (o) return str(o.type);
  if (Array.isArray(v)) {
    const parts = v.map(licenseOf).filter((x): x is string => !!x);
    return parts.length ? parts.join(' OR ') : undefined;
  }
  return undefined;
}

export function parsePackument(name: string, doc: unknown): Parsed<Stored> {
  const root = obj(doc);
  if (!root) return { kind: 'error', message: `npm: unexpected answer for "${name}"` };
  const versions = obj(root.versions) ?? {};
  const time = obj(root.time) ?? {};
  const latest = str(obj(root['dist-tags'])?.latest);
  const releases: ReleaseInfo[] = Object.keys(versions).map((version) => ({
    version,
    yanked: false,
    uploadTime: str(time[version]),
  }));
  const latestDoc = latest ? obj(versions[latest]) : undefined;
  const value: Stored = {
    ecosystem: 'npm',
    name,
    latest,
    releases,
    license: licenseOf(latestDoc?.license) ?? licenseOf(root.license),
    summary: str(root.description) ?? str(latestDoc?.description),
    // npm deprecates versions one by one; the package counts as deprecated when its latest is.
    deprecated: str(latestDoc?.deprecated),
    homepage: str(root.homepage) ?? str(latestDoc?.homepage),
  };
  return { kind: 'ok', value };
}

export class NpmClient implements RegistryProvider {
  constructor(private readonly opts: NpmClientOptions) {}

  async metadata(ecosystem: Ecosystem, names: string[], signal?: AbortSignal): Promise<RegistryAnswer> {
    const answer: RegistryAnswer = { packages: new Map(), notFound: new Set(), errors: [] };
    if (ecosystem !== 'npm') {
      answer.errors.push(`npm client asked about a ${ecosystem} package`);
      return answer;
    }
    const base = this.opts.npmUrl.replace(/\/+$/, '');
    const { results, errors } = await cachedLookup<Stored>(
      'npm registry',
      [...new Set(names)].map((name) => ({
        key: name,
        cacheKey: `npm:${name}`,
        url: `${base}/${npmPath(name)}`,
        parse: (res: HttpResponse) =>
          res.status === 200 ? parsePackument(name, res.body) : { kind: 'error', message: `npm registry answered HTTP ${res.status} for "${name}"` },
      })),
      this.opts,
      signal,
    );
    for (const [name, r] of results) {
      if (r.kind === 'ok') answer.packages.set(name, { ...r.value, freshness: r.freshness });
      else if (r.kind === 'notFound') answer.notFound.add(name);
    }
    answer.errors.push(...errors);
    return answer;
  }
}
