// npm registry client: the packument (`GET <registry>/<name>`) gives versions, publish times,
// dist-tags.latest, license and per-version `deprecated`; through the shared cache. A packument
// without the documented shape is refused (never cached), so stale good data stays in use.
import type { Ecosystem } from '../domain';
import type { PackageMetadata, RegistryAnswer, RegistryProvider, ReleaseInfo } from '../domain';
import { cachedLookup, INVALID_ANSWER, type LookupDeps, type Parsed } from './cachedLookup';
import type { HttpResponse } from './http';
import { MAX_BYTES, MAX_TEXT } from './limits';
import { isStoredMetadata, packumentProblem } from './registryShapes';
import { clip } from './shape';

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
  const problem = packumentProblem(doc);
  if (problem) return { kind: 'error', code: INVALID_ANSWER, message: `npm registry: invalid answer for "${name}" (${problem})` };
  const root = obj(doc) ?? {};
  const versions = obj(root.versions) ?? {};
  const time = obj(root.time) ?? {};
  const latest = str(obj(root['dist-tags'])?.latest);
  const releases: ReleaseInfo[] = Object.keys(versions).map((version) => ({
    version: clip(version, 100) ?? version,
    yanked: false,
    uploadTime: clip(str(time[version]), 40),
  }));
  const latestDoc = latest ? obj(versions[latest]) : undefined;
  const value: Stored = {
    ecosystem: 'npm',
    name,
    latest: clip(latest, 100),
    releases,
    license: clip(licenseOf(latestDoc?.license) ?? licenseOf(root.license), MAX_TEXT),
    summary: clip(str(root.description) ?? str(latestDoc?.description), MAX_TEXT),
    // npm deprecates versions one by one; the package counts as deprecated when its latest is.
    deprecated: clip(str(latestDoc?.deprecated), MAX_TEXT),
    homepage: clip(str(root.homepage) ?? str(latestDoc?.homepage), MAX_TEXT),
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
        maxBytes: MAX_BYTES.npm,
        accept: (v: unknown): v is Stored => isStoredMetadata(v),
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
