// The fetch-through-cache loop shared by the PyPI, npm and Hugging Face clients: fresh cache hits
// cost no request, misses are fetched (bounded by the HTTP client), 404s are remembered, and when
// the origin cannot be reached, or answers with something that is not a valid answer, an expired
// entry is used and flagged stale. Only validated answers are ever stored; cached values are checked
// again when read back. Cache-only mode (the `offline` setting) never touches the network.
import type { Freshness } from '../domain';
import type { DiskCache } from './diskCache';
import { errorCode, isAbortError, type HttpClient, type HttpResponse, type RedirectPolicy } from './http';

/** How long "this package does not exist" is believed: names get registered (typosquats too). */
export const NOT_FOUND_TTL_MS = 60 * 60 * 1000;

/** The failure code of an answer that arrived but does not have the documented shape. */
export const INVALID_ANSWER = 'invalid answer';

/** Detailed messages kept per lookup round; the rest are counted. */
const MAX_DETAILS = 3;

type Cached<T> = { kind: 'ok'; value: T } | { kind: 'notFound' };

/**
 * A parsed answer. An `error` with a `code` is a failed lookup like a network error (counted in the
 * "unreachable / answered with an error" summary, stale data used); without one it is a plain
 * statement about the item (private model, HTTP 400) shown as is.
 */
export type Parsed<T> = { kind: 'ok'; value: T } | { kind: 'notFound' } | { kind: 'error'; message: string; code?: string };

export interface LookupItem<T> {
  /** Caller's key for the answer (normalised name, model id). */
  key: string;
  cacheKey: string;
  url: string;
  /** POST this JSON body instead of a GET. */
  post?: unknown;
  /** Cap on the answer's size. */
  maxBytes?: number;
  redirects?: RedirectPolicy;
  parse(res: HttpResponse): Parsed<T>;
  /** Checks a value read back from the cache (a file on disk may be old, foreign or tampered with). */
  accept?(value: unknown): value is T;
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
  if (n === 1) return `${n} ${word}`;
  return /[^aeiou]y$/.test(word) ? `${n} ${word.slice(0, -1)}ies` : `${n} ${word}s`;
}

/** True for failure codes that mean "the origin answered, but not usefully" rather than "not reached". */
export function answeredBadly(code: string): boolean {
  return /^(HTTP 4|EBADJSON|ETOOBIG|EREDIRECT|malformed|invalid answer)/.test(code);
}

/** "<Source> unreachable (CODE); using cached data from 3 h ago" / "...; no cached data for 12 packages". */
export function unreachableMessage(source: string, code: string | undefined, oldestStaleAt: number | undefined, staleCount: number, missingCount: number, now: number, noun = 'package'): string[] {
  // The origin answering with an error is not the same as not reaching it.
  const state = code === 'HTTP 429' ? 'rate-limited us' : code && answeredBadly(code) ? 'answered with an error' : 'unreachable';
  const head = `${source} ${state}${code ? ` (${code})` : ''}`;
  const out: string[] = [];
  if (staleCount > 0 && oldestStaleAt !== undefined) {
    out.push(`${head}; using cached data from ${formatAge(now - oldestStaleAt)} for ${plural(staleCount, noun)}`);
  }
  if (missingCount > 0) out.push(`${head}; no cached data for ${plural(missingCount, noun)}`);
  return out;
}

/** Collects up to MAX_DETAILS distinct detail messages and counts the rest. */
export class DetailLog {
  private readonly kept: string[] = [];
  private more = 0;
  add(message: string): void {
    if (this.kept.includes(message)) return;
    if (this.kept.length < MAX_DETAILS) this.kept.push(message);
    else this.more++;
  }
  messages(): string[] {
    return this.more ? [...this.kept, `… and ${this.more} more like these`] : [...this.kept];
  }
}

export async function cachedLookup<T>(
  source: string,
  items: LookupItem<T>[],
  deps: LookupDeps,
  signal?: AbortSignal,
  noun = 'package',
): Promise<{ results: Map<string, LookupResult<T>>; errors: string[]; failures: string[] }> {
  const now = deps.now ?? Date.now;
  const results = new Map<string, LookupResult<T>>();
  const details = new DetailLog();
  const plain: string[] = [];
  const codes = new Map<string, number>();
  let staleCount = 0;
  let missingCount = 0;
  let oldestStale: number | undefined;

  const cached = (item: LookupItem<T>) => {
    const e = deps.cache.get<Cached<T>>(item.cacheKey);
    if (!e) return undefined;
    const v = e.value as unknown;
    if (!v || typeof v !== 'object') return undefined;
    const kind = (v as { kind?: unknown }).kind;
    if (kind === 'notFound') return e;
    if (kind !== 'ok') return undefined;
    return !item.accept || item.accept((v as { value?: unknown }).value) ? e : undefined;
  };

  const fromCache = (item: LookupItem<T>, stale: boolean, count = stale, entry = cached(item)): boolean => {
    const e = entry;
    if (!e) return false;
    if (e.value.kind === 'notFound') results.set(item.key, { kind: 'notFound' });
    else results.set(item.key, { kind: 'ok', value: e.value.value, freshness: { fetchedAt: e.storedAt, stale: stale || e.expired, origin: 'cache' } });
    if (count) {
      staleCount++;
      oldestStale = Math.min(oldestStale ?? e.storedAt, e.storedAt);
    }
    return true;
  };

  const failed = (item: LookupItem<T>, code: string): void => {
    codes.set(code, (codes.get(code) ?? 0) + 1);
    if (!fromCache(item, true)) {
      missingCount++;
      results.set(item.key, { kind: 'unknown' });
    }
  };

  await Promise.all(
    items.map(async (item) => {
      const hit = cached(item);
      const ttl = hit?.value.kind === 'notFound' ? Math.min(NOT_FOUND_TTL_MS, deps.cache.ttlMs) : deps.cache.ttlMs;
      const fresh = hit && now() - hit.storedAt <= ttl;
      if (hit && (fresh || deps.cacheOnly || !deps.http)) {
        fromCache(item, false, false, hit);
        return;
      }
      if (deps.cacheOnly || !deps.http) {
        results.set(item.key, { kind: 'unknown' });
        return;
      }
      let res: HttpResponse;
      try {
        const opts = { signal, maxBytes: item.maxBytes, redirects: item.redirects };
        res = item.post !== undefined ? await deps.http.postJson(item.url, item.post, opts) : await deps.http.getJson(item.url, opts);
      } catch (e) {
        if (isAbortError(e)) throw e;
        failed(item, errorCode(e));
        return;
      }
      const parsed = res.status === 404 ? ({ kind: 'notFound' } as const) : item.parse(res);
      if (parsed.kind === 'error') {
        if (parsed.code) {
          details.add(parsed.message);
          failed(item, parsed.code);
          return;
        }
        // The origin answered, but not usefully (gated model, HTTP 400): say so as is.
        if (!plain.includes(parsed.message)) plain.push(parsed.message);
        if (!fromCache(item, true, false)) results.set(item.key, { kind: 'unknown' });
        return;
      }
      deps.cache.set(item.cacheKey, parsed satisfies Cached<T>);
      results.set(item.key, parsed.kind === 'ok' ? { kind: 'ok', value: parsed.value, freshness: { fetchedAt: now(), stale: false, origin: 'network' } } : parsed);
    }),
  );
  // `failures`: what went wrong with the origin (network, invalid answers), without the plain notes.
  const failures = details.messages();
  if (codes.size) {
    const summary = [...codes.keys()].slice(0, 3).join(', ');
    failures.push(...unreachableMessage(source, summary, oldestStale, staleCount, missingCount, now(), noun));
  }
  return { results, errors: [...plain, ...failures], failures };
}
