// OSV.dev client: `POST /v1/querybatch` (≤1,000 queries a call, chunks in parallel, per-query
// `next_page_token` pagination) gives advisory ids per package, then `GET /v1/vulns/{id}` gives
// the records, cached by id+modified so an unchanged advisory is never fetched twice. Every answer
// is size-capped, must come from the configured origin (no cross-host redirects) and must have
// OSV's shape; when OSV cannot be reached or answers badly, expired cache entries are used and the
// answer is flagged stale. Nothing that failed validation is ever cached.
import type { AdvisoryAnswer, AdvisoryProvider, OsvRecord, PackageQuery } from '../domain';
import type { DiskCache } from './diskCache';
import { errorCode, HttpError, isAbortError, type HttpClient } from './http';
import { DetailLog, INVALID_ANSWER, unreachableMessage } from './cachedLookup';
import { MAX_BYTES, MAX_VULNS_PER_QUERY } from './limits';
import { isVulnRefs, querybatchProblem, storedRecord, vulnProblem } from './osvShapes';
import { redactUrl } from './redactUrl';

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

/** One validated querybatch result (see querybatchProblem). */
function refsOf(result: { vulns?: { id: string; modified?: string | null }[] | null; next_page_token?: string | null }): { refs: VulnRef[]; next?: string } {
  const refs = (result.vulns ?? []).map((v) => ({ id: v.id, modified: v.modified ?? '' }));
  return { refs, next: result.next_page_token || undefined };
}

/** A cached record, if it is still a valid record for `id`. */
function usableRecord(v: unknown, id: string): OsvRecord | undefined {
  return vulnProblem(v, id) === undefined ? (v as OsvRecord) : undefined;
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
    // What was wrong with invalid answers, for the errors list.
    const log = new DetailLog();
    const refsByKey = new Map<string, VulnRef[]>();
    const unique = new Map<string, PackageQuery>();
    for (const q of queries) unique.set(queryKey(q), q);

    let oldest: number | undefined;
    let stale = false;
    let fromNetwork = false;
    const useCached = (key: string, asStale: boolean): boolean => {
      const e = cache.get<VulnRef[]>(`osv:q:${key}`);
      if (!e || !isVulnRefs(e.value)) return false;
      refsByKey.set(key, e.value);
      oldest = Math.min(oldest ?? e.storedAt, e.storedAt);
      if (asStale || e.expired) stale = true;
      return true;
    };

    const toFetch: Pending[] = [];
    for (const [key, query] of unique) {
      const e = cache.get<VulnRef[]>(`osv:q:${key}`);
      if (e && isVulnRefs(e.value) && (!e.expired || !http)) useCached(key, false);
      else if (http) toFetch.push({ key, query });
    }

    if (http && toFetch.length) {
      const { fetched, failed } = await this.batches(http, toFetch, signal, log);
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

    const { records, staleAt } = await this.details(http, refsByKey, signal, errors, log);
    if (staleAt !== undefined) {
      stale = true;
      oldest = Math.min(oldest ?? staleAt, staleAt);
    }
    errors.unshift(...log.messages());
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
  private async batches(http: HttpClient, initial: Pending[], signal: AbortSignal | undefined, log: DetailLog): Promise<{ fetched: Map<string, VulnRef[]>; failed: Map<string, string> }> {
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
            const url = `${this.base}/v1/querybatch`;
            const res = await http.postJson(url, body, { signal, maxBytes: MAX_BYTES.osvQuerybatch, redirects: 'same-origin' });
            if (res.status !== 200) throw new HttpError(`querybatch: HTTP ${res.status}`, `HTTP ${res.status}`, redactUrl(this.base), res.status);
            const problem = querybatchProblem(res.body, part.length);
            if (problem) {
              log.add(`OSV querybatch: invalid answer (${problem})`);
              throw new HttpError(`querybatch: invalid answer (${problem})`, INVALID_ANSWER, redactUrl(url));
            }
            const results = (res.body as { results: Parameters<typeof refsOf>[0][] }).results;
            part.forEach((p, i) => {
              const { refs, next: token } = refsOf(results[i] ?? {});
              const all = [...(acc.get(p.key) ?? []), ...refs];
              acc.set(p.key, all.length > MAX_VULNS_PER_QUERY ? all.slice(0, MAX_VULNS_PER_QUERY) : all);
              // A server that keeps paging past the cap is not followed further.
              if (token && all.length < MAX_VULNS_PER_QUERY) next.push({ ...p, pageToken: token });
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
  private async details(http: HttpClient | undefined, refsByKey: Map<string, VulnRef[]>, signal: AbortSignal | undefined, errors: string[], log: DetailLog): Promise<{ records: Map<string, OsvRecord>; staleAt?: number }> {
    const wanted = new Map<string, string>();
    for (const refs of refsByKey.values()) for (const r of refs) wanted.set(r.id, r.modified);
    const out = new Map<string, OsvRecord>();
    const failures = new Map<string, number>();
    let missing = 0;
    let staleCount = 0;
    let staleAt: number | undefined;
    await Promise.all(
      [...wanted].map(async ([id, modified]) => {
        const cached = this.opts.cache.get<OsvRecord>(`osv:vuln:${id}`);
        const usable = cached ? usableRecord(cached.value, id) : undefined;
        if (usable && (usable.modified === modified || !http)) {
          out.set(id, usable);
          return;
        }
        if (http) {
          try {
            const res = await http.getJson(`${this.base}/v1/vulns/${encodeURIComponent(id)}`, { signal, maxBytes: MAX_BYTES.osvVuln, redirects: 'same-origin' });
            const problem = res.status === 200 ? vulnProblem(res.body, id) : undefined;
            if (res.status === 200 && !problem) {
              const record = storedRecord(res.body as OsvRecord);
              this.opts.cache.set(`osv:vuln:${id}`, record);
              out.set(id, record);
              return;
            }
            const code = problem ? INVALID_ANSWER : `HTTP ${res.status}`;
            if (problem) log.add(`OSV: invalid answer for advisory ${id} (${problem})`);
            failures.set(code, (failures.get(code) ?? 0) + 1);
          } catch (e) {
            if (isAbortError(e)) throw e;
            const code = errorCode(e);
            failures.set(code, (failures.get(code) ?? 0) + 1);
          }
        }
        if (usable && cached) {
          out.set(id, usable); // an older revision of the advisory beats none, labelled stale
          staleCount++;
          staleAt = Math.min(staleAt ?? cached.storedAt, cached.storedAt);
          return;
        }
        // Keep the id: an advisory we cannot describe is still an advisory.
        missing++;
        out.set(id, { id, modified, summary: 'Details unavailable (OSV could not be reached or gave no valid record)' });
      }),
    );
    const codes = [...failures.keys()].slice(0, 3).join(', ');
    if (staleCount) errors.push(...unreachableMessage('OSV', codes || undefined, staleAt, staleCount, 0, this.now(), 'advisory'));
    if (missing) errors.push(`OSV advisory details unavailable${codes ? ` (${codes})` : ''} for ${missing} advisor${missing === 1 ? 'y' : 'ies'}`);
    return { records: out, staleAt };
  }
}
