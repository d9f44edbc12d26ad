// PyPI JSON API client (`/pypi/<name>/json`): releases with yanked state and first upload time,
// latest version, license and summary, through the shared cache with stale fallback. A document
// that does not have PyPI's shape is refused (never cached), so stale good data stays in use.
import type { Ecosystem } from '../domain';
import type { PackageMetadata, RegistryAnswer, RegistryProvider, ReleaseInfo } from '../domain';
import { cachedLookup, INVALID_ANSWER, type LookupDeps, type Parsed } from './cachedLookup';
import type { HttpResponse } from './http';
import { MAX_BYTES, MAX_TEXT } from './limits';
import { isStoredMetadata, pypiDocumentProblem } from './registryShapes';
import { clip } from './shape';

export interface PypiClientOptions extends LookupDeps {
  pypiUrl: string;
}

type Stored = Omit<PackageMetadata, 'freshness'>;

const MAX_LICENSE_CHARS = 80;

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

function obj(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** Some projects paste the whole license text into `license`: keep its first line, bounded. */
function shortLicense(text: string): string {
  const first = text.split(/\r?\n/).find((l) => l.trim() !== '')?.trim() ?? text;
  return first.length > MAX_LICENSE_CHARS ? `${first.slice(0, MAX_LICENSE_CHARS - 1)}…` : first;
}

function licenseOf(info: Record<string, unknown>): string | undefined {
  const expr = str(info.license_expression);
  if (expr) return expr;
  const lic = str(info.license);
  if (lic && !/^unknown$/i.test(lic)) return shortLicense(lic);
  const classifiers = Array.isArray(info.classifiers) ? info.classifiers : [];
  const fromClassifiers = classifiers
    .filter((c): c is string => typeof c === 'string' && c.startsWith('License :: '))
    .map((c) => c.split(' :: ').pop() ?? c)
    .filter((c) => c !== 'OSI Approved');
  return fromClassifiers.length ? fromClassifiers.join(', ') : undefined;
}

function releasesOf(releases: Record<string, unknown>): ReleaseInfo[] {
  const out: ReleaseInfo[] = [];
  for (const [version, files] of Object.entries(releases)) {
    // A release without files cannot be installed, so it is not a release for our purposes.
    if (!Array.isArray(files) || files.length === 0) continue;
    let allYanked = true;
    let reason: string | undefined;
    let first: string | undefined;
    for (const f of files) {
      const file = obj(f) ?? {};
      if (file.yanked === true) reason ??= str(file.yanked_reason);
      else allYanked = false;
      const t = str(file.upload_time_iso_8601) ?? str(file.upload_time);
      if (t && (first === undefined || Date.parse(t) < Date.parse(first))) first = t;
    }
    const r: ReleaseInfo = { version: clip(version, 100) ?? version, yanked: allYanked, uploadTime: clip(first, 40) };
    if (allYanked && reason) r.yankedReason = clip(reason, MAX_TEXT);
    out.push(r);
  }
  return out;
}

/** Turn a PyPI JSON document into metadata, or an error for a document that is not one. */
export function parsePypiDocument(name: string, doc: unknown): Parsed<Stored> {
  const problem = pypiDocumentProblem(doc);
  if (problem) return { kind: 'error', code: INVALID_ANSWER, message: `PyPI: invalid answer for "${name}" (${problem})` };
  const root = obj(doc) ?? {};
  const info = obj(root.info) ?? {};
  const urls = obj(info.project_urls) ?? {};
  const homepage = str(info.home_page) ?? str(urls.Homepage) ?? str(urls.homepage) ?? str(urls.Source);
  const value: Stored = {
    ecosystem: 'PyPI',
    name,
    latest: clip(str(info.version), 100),
    releases: releasesOf(obj(root.releases) ?? {}),
    license: licenseOf(info),
    summary: clip(str(info.summary), MAX_TEXT),
    homepage: clip(homepage, MAX_TEXT),
  };
  return { kind: 'ok', value };
}

export class PypiClient implements RegistryProvider {
  constructor(private readonly opts: PypiClientOptions) {}

  async metadata(ecosystem: Ecosystem, names: string[], signal?: AbortSignal): Promise<RegistryAnswer> {
    const answer: RegistryAnswer = { packages: new Map(), notFound: new Set(), errors: [] };
    if (ecosystem !== 'PyPI') {
      answer.errors.push(`PyPI client asked about a ${ecosystem} package`);
      return answer;
    }
    const base = this.opts.pypiUrl.replace(/\/+$/, '');
    const unique = [...new Set(names)];
    const { results, errors } = await cachedLookup<Stored>(
      'PyPI',
      unique.map((name) => ({
        key: name,
        cacheKey: `pypi:${name}`,
        url: `${base}/pypi/${encodeURIComponent(name)}/json`,
        maxBytes: MAX_BYTES.pypi,
        accept: (v: unknown): v is Stored => isStoredMetadata(v),
        parse: (res: HttpResponse) =>
          res.status === 200 ? parsePypiDocument(name, res.body) : { kind: 'error', message: `PyPI answered HTTP ${res.status} for "${name}"` },
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
