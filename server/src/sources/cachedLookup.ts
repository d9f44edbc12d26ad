// The fetch-through-cache loop shared by the PyPI, npm and Hugging Face clients: fresh cache hits
// cost no request, misses are fetched (bounded by the HTTP client), 404s are remembered, and when
// the origin cannot be reached an expired entry is used and flagged stale. Cache-only mode (the
// `offline` setting) never touches the network.
import type { Freshness } from '../domain';
import type { DiskCache } from './diskCache';
import { errorCode, isAbortError, type HttpClient, type HttpResponse } from './http';

/** How long "this package does not exist" is believed: names get registered (typosquats too). */
export const NOT_FOUND_TTL_MS = 60 * 60 * 1000;

type Cached<T> = { kind: 'ok'; value: T } | { kind: 'notFound' };

export type Parsed<T> = { kind: 'ok'; value: T } | { kind: 'notFound' } | { kind: 'error'; message: string };

export interface LookupItem<T> {
  /** Caller's key for the answer (normalised name, model id). */
  key: string;
  cacheKey: string;
  url: string;
  parse(res: HttpResponse): Parsed<T>;
}

export type LookupResult<T> =
  | { kind: 'ok'; value: T; freshness: Freshness }
  | { kind: 'notFound' }
  | { kind: 'unknown' };

export interface LookupDeps {
  http?: HttpClient;
  cache: DiskCache;
  /** Answer from the cache only, even expired entries; never the network. */
  cacheOnly?: boolean;
  now?: () => number;
}

export function formatAge(ms: number): string {
  const min = Math.round(ms / 60_000);
  if (min < 1) return 'less than a minute ago';
  if (min < 60) return `${min} min ago`;
  const h = Math.round(min / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.round(h / 24)} days ago`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "<Source> unreachable (CODE); using cached data from 3 h ago" / "...; no cached data for 12 packages". */
export function unreachableMessage(source: string, code: string | undefined, oldestStaleAt: number | undefined, staleCount: number, missingCount: number, now: number, noun = 'package'): string[] {
  // The origin answering with an error is not the same as not reaching it.
  const state = code === 'HTTP 429' ? 'rate-limited us' : code && /^(HTTP 4|EBADJSON|malformed)/.test(code) ? 'answered with an error' : 'unreachable';
  const head = `${source} ${state}${code ? ` (${code})` : ''}`;
  const out: string[] = [];
  if (staleCount > 0 && oldestStaleAt !== undefined) {
    out.push(`${head}; using cached data from ${formatAge(now - oldestStaleAt)} for ${plural(staleCount, noun)}`);
  }
  if (missingCount > 0) out.push(`${head}; no cached data for ${plural(missingCount, noun)}`);
  return out;
}

export async function cachedLookup<T>(
  source: string,
  items: LookupItem<T>[],
  deps: LookupDeps,
  signal?: AbortSignal,
  noun = 'package',
): Promise<{ results: Map<string, LookupResult<T>>; errors: string[] }> {
  const now = deps.now ?? Date.now;
  const results = new Map<string, LookupResult<T>>();
  const errors: string[] = [];
  const codes = new Map<string, number>();
  let staleCount = 0;
  let missingCount = 0;
  let oldestStale: number | undefined;

  const fromCache = (item: LookupItem<T>, stale: boolean, count = stale): boolean => {
    const e = deps.cache.get<Cached<T>>(item.cacheKey);
    if (!e) return false;
    if (e.value.kind === 'notFound') results.set(item.key, { kind: 'notFound' });
    else results.set(item.key, { kind: 'ok', value: e.value.value, freshness: { fetchedAt: e.storedAt, stale: stale || e.expired, origin: 'cache' } });
    if (count) {
      staleCount++;
      oldestStale = Math.min(oldestStale ?? e.storedAt, e.storedAt);
    }
    return true;
  };

  await Promise.all(
    items.map(async (item) => {
      const hit = deps.cache.get<Cached<T>>(item.cacheKey);
      const ttl = hit?.value.kind === 'notFound' ? Math.min(NOT_FOUND_TTL_MS, deps.cache.ttlMs) : deps.cache.ttlMs;
      const fresh = hit && now() - hit.storedAt <= ttl;
      if (hit && (fresh || deps.cacheOnly || !deps.http)) {
        fromCache(item, false);
        return;
      }
      if (deps.cacheOnly || !deps.http) {
        results.set(item.key, { kind: 'unknown' });
        return;
      }
      let failure: string;
      try {
        const res = await deps.http.getJson(item.url, { signal });
        const parsed = res.status === 404 ? ({ kind: 'notFound' } as const) : item.parse(res);
        if (parsed.kind === 'error') {
          // The origin answered, but not usefully (gated model, HTTP 400, odd body): say so as is.
          if (!errors.includes(parsed.message)) errors.push(parsed.message);
          if (!fromCache(item, true, false)) results.set(item.key, { kind: 'unknown' });
          return;
        }
        deps.cache.set(item.cacheKey, parsed satisfies Cached<T>);
        results.set(item.key, parsed.kind === 'ok' ? { kind: 'ok', value: parsed.value, freshness: { fetchedAt: now(), stale: false, origin: 'network' } } : parsed);
        return;
      } catch (e) {
        if (isAbortError(e)) throw e;
        failure = errorCode(e);
      }
      codes.set(failure, (codes.get(failure) ?? 0) + 1);
      if (!fromCache(item, true)) {
        missingCount++;
        results.set(item.key, { kind: 'unknown' });
      }
    }),
  );
  if (codes.size) {
    const summary = [...codes.keys()].slice(0, 3).join(', ');
    errors.push(...unreachableMessage(source, summary, oldestStale, staleCount, missingCount, now(), noun));
  }
  return { results, errors };
}
