// OSV.dev client: `POST /v1/querybatch` (≤1,000 queries a call, chunks in parallel, per-query
// `next_page_token` pagination) gives advisory ids per package, then `GET /v1/vulns/{id}` gives
// the records, cached by id+modified so an unchanged advisory is never fetched twice. When OSV
// cannot be reached, expired cache entries are used and the answer is flagged stale.
import type { AdvisoryAnswer, AdvisoryProvider, OsvRecord, PackageQuery } from '../domain';
import type { DiskCache } from './diskCache';
import { errorCode, HttpError, isAbortError, type HttpClient } from './http';
import { unreachableMessage } from './cachedLookup';

export interface OsvClientOptions {
  http?: HttpClient;
  cache: DiskCache;
  osvUrl: string;
  /** Answer from the cache only (expired entries included); never the network. */
  cacheOnly?: boolean;
  now?: () => number;
  /** Queries per querybatch call (OSV's limit is 1,000). */
  maxBatch?: number;
}

interface VulnRef {
  id: string;
  modified: string;
}

interface Pending {
  key: string;
  query: PackageQuery;
  pageToken?: string;
}

/** Guards against a server that keeps handing out page tokens. */
const MAX_PAGE_ROUNDS = 20;

export function queryKey(q: PackageQuery): string {
  return `${q.ecosystem}:${q.name}:${q.version ?? '*'}`;
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function refsOf(result: unknown): { refs: VulnRef[]; next?: string } {
  const r = (result && typeof result === 'object' ? result : {}) as { vulns?: unknown; next_page_token?: unknown };
  const refs: VulnRef[] = [];
  if (Array.isArray(r.vulns)) {
    for (const v of r.vulns as { id?: unknown; modified?: unknown }[]) {
      if (v && typeof v.id === 'string') refs.push({ id: v.id, modified: typeof v.modified === 'string' ? v.modified : '' });
    }
  }
  return { refs, next: typeof r.next_page_token === 'string' && r.next_page_token ? r.next_page_token : undefined };
}

function isRecord(v: unknown): v is OsvRecord {
  return !!v && typeof v === 'object' && typeof (v as { id?: unknown }).id === 'string';
}

export class OsvClient implements AdvisoryProvider {
  private readonly base: string;
  private readonly now: () => number;

  constructor(private readonly opts: OsvClientOptions) {
    this.base = opts.osvUrl.replace(/\/+$/, '');
    this.now = opts.now ?? Date.now;
  }

  async query(queries: PackageQuery[], signal?: AbortSignal): Promise<AdvisoryAnswer> {
    const { cache } = this.opts;
    const http = this.opts.cacheOnly ? undefined : this.opts.http;
    const errors: string[] = [];
    const refsByKey = new Map<string, VulnRef[]>();
    const unique = new Map<string, PackageQuery>();
    for (const q of queries) unique.set(queryKey(q), q);

    let oldest: number | undefined;
    let stale = false;
    let fromNetwork = false;
    const useCached = (key: string, asStale: boolean): boolean => {
      const e = cache.get<VulnRef[]>(`osv:q:${key}`);
      if (!e || !Array.isArray(e.value)) return false;
      refsByKey.set(key, e.value);
      oldest = Math.min(oldest ?? e.storedAt, e.storedAt);
      if (asStale || e.expired) stale = true;
      return true;
    };

    const toFetch: Pending[] = [];
    for (const [key, query] of unique) {
      const e = cache.get<VulnRef[]>(`osv:q:${key}`);
      if (e && (!e.expired || !http)) useCached(key, false);
      else if (http) toFetch.push({ key, query });
    }

    if (http && toFetch.length) {
      const { fetched, failed } = await this.batches(http, toFetch, signal);
      for (const [key, refs] of fetched) {
        refsByKey.set(key, refs);
        cache.set(`osv:q:${key}`, refs);
        fromNetwork = true;
      }
      if (failed.size) {
        let staleCount = 0;
        let missing = 0;
        const before = oldest;
        oldest = undefined;
        for (const key of failed.keys()) {
          if (useCached(key, true)) staleCount++;
          else missing++;
        }
        const staleOldest = oldest;
        oldest = Math.min(before ?? Infinity, oldest ?? Infinity);
        if (!Number.isFinite(oldest)) oldest = undefined;
        const codes = [...new Set(failed.values())].slice(0, 3).join(', ');
        errors.push(...unreachableMessage('OSV', codes, staleOldest, staleCount, missing, this.now()));
      }
    }

    const records = await this.details(http, refsByKey, signal, errors);
    const results = queries.map((q) =>
      (refsByKey.get(queryKey(q)) ?? [])
        .map((ref) => records.get(ref.id))
        .filter((r): r is OsvRecord => !!r && !r.withdrawn),
    );
    return {
      results,
      freshness: {
        fetchedAt: oldest ?? this.now(),
        stale,
        origin: fromNetwork ? 'network' : 'cache',
      },
      errors,
    };
  }

  /** Run querybatch over all pending queries, following page tokens; never throws but on abort. */
  private async batches(http: HttpClient, initial: Pending[], signal?: AbortSignal): Promise<{ fetched: Map<string, VulnRef[]>; failed: Map<string, string> }> {
    const acc = new Map<string, VulnRef[]>();
    const failed = new Map<string, string>();
    let pending = initial;
    for (let round = 0; pending.length && round < MAX_PAGE_ROUNDS; round++) {
      const next: Pending[] = [];
      await Promise.all(
        chunk(pending, this.opts.maxBatch ?? 1000).map(async (part) => {
          try {
            const body = {
              queries: part.map((p) => ({
                package: { ecosystem: p.query.ecosystem, name: p.query.name },
                ...(p.query.version !== undefined ? { version: p.query.version } : {}),
                ...(p.pageToken ? { page_token: p.pageToken } : {}),
              })),
            };
            const res = await http.postJson(`${this.base}/v1/querybatch`, body, { signal });
            if (res.status !== 200) throw new HttpError(`querybatch: HTTP ${res.status}`, `HTTP ${res.status}`, this.base, res.status);
            const results = (res.body as { results?: unknown } | undefined)?.results;
            if (!Array.isArray(results) || results.length !== part.length) {
              throw new HttpError('querybatch: malformed answer', 'malformed answer', this.base);
            }
            part.forEach((p, i) => {
              const { refs, next: token } = refsOf(results[i]);
              acc.set(p.key, [...(acc.get(p.key) ?? []), ...refs]);
              if (token) next.push({ ...p, pageToken: token });
            });
          } catch (e) {
            if (isAbortError(e)) throw e;
            for (const p of part) failed.set(p.key, errorCode(e));
          }
        }),
      );
      pending = next;
    }
    for (const key of failed.keys()) acc.delete(key);
    return { fetched: acc, failed };
  }

  /** Full records for every referenced id: cache when `modified` matches, else GET /v1/vulns/{id}. */
  private async details(http: HttpClient | undefined, refsByKey: Map<string, VulnRef[]>, signal: AbortSignal | undefined, errors: string[]): Promise<Map<string, OsvRecord>> {
    const wanted = new Map<string, string>();
    for (const refs of refsByKey.values()) for (const r of refs) wanted.set(r.id, r.modified);
    const out = new Map<string, OsvRecord>();
    const failures = new Map<string, number>();
    let missing = 0;
    await Promise.all(
      [...wanted].map(async ([id, modified]) => {
        const cached = this.opts.cache.get<OsvRecord>(`osv:vuln:${id}`);
        const usable = cached && isRecord(cached.value) ? cached.value : undefined;
        if (usable && (usable.modified === modified || !http)) {
          out.set(id, usable);
          return;
        }
        if (http) {
          try {
            const res = await http.getJson(`${this.base}/v1/vulns/${encodeURIComponent(id)}`, { signal });
            if (res.status === 200 && isRecord(res.body)) {
              this.opts.cache.set(`osv:vuln:${id}`, res.body);
              out.set(id, res.body);
              return;
            }
            failures.set(`HTTP ${res.status}`, (failures.get(`HTTP ${res.status}`) ?? 0) + 1);
          } catch (e) {
            if (isAbortError(e)) throw e;
            const code = errorCode(e);
            failures.set(code, (failures.get(code) ?? 0) + 1);
          }
        }
        if (usable) {
          out.set(id, usable); // an older revision of the advisory beats none
          return;
        }
        // Keep the id: an advisory we cannot describe is still an advisory.
        missing++;
        out.set(id, { id, modified, summary: 'Details unavailable (OSV could not be reached)' });
      }),
    );
    if (missing) {
      const codes = [...failures.keys()].slice(0, 3).join(', ');
      errors.push(`OSV advisory details unavailable${codes ? ` (${codes})` : ''} for ${missing} advisor${missing === 1 ? 'y' : 'ies'}`);
    }
    return out;
  }
}
