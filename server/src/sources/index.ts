// Builds the data sources from settings: one HTTP client and one disk cache shared by OSV, PyPI,
// npm and Hugging Face; the offline OSV index when advisory DBs are given; and offline mode,
// where nothing touches the network (advisories from the offline index, the rest from cache).
import * as os from 'node:os';
import * as path from 'node:path';
import type { Settings } from '../settings';
import type { AdvisoryAnswer, AdvisoryProvider, ModelProvider, OsvRecord, PackageQuery, RegistryProvider } from '../domain';
import { DiskCache } from './diskCache';
import { HttpClient, type Transport } from './http';
import { OsvClient } from './osv';
import { PypiClient } from './pypi';
import { NpmClient } from './npm';
import { HuggingFaceClient } from './huggingface';
import { OfflineAdvisoryIndex } from './osvOffline';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface SourcesOptions {
  /** Cache folder; defaults to `defaultCacheDir()`. Pass null for a memory-only cache. */
  cacheDir?: string | null;
  log?: (level: LogLevel, msg: string) => void;
  /** Replaces the undici transport (embedders, tests). */
  fetchImpl?: Transport;
  now?: () => number;
  /** Concurrent requests at most (default 16). */
  concurrency?: number;
  env?: Record<string, string | undefined>;
}

export interface Sources {
  advisories: AdvisoryProvider;
  registry: { pypi: RegistryProvider; npm: RegistryProvider };
  models: ModelProvider;
  /** Problems loading `advisoryDb` paths. */
  offlineErrors: string[];
  /** Undefined in offline mode. */
  http?: HttpClient;
  cache: DiskCache;
  dispose(): Promise<void>;
}

export function defaultCacheDir(env: Record<string, string | undefined> = process.env): string {
  const base = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(os.homedir(), '.cache');
  return path.join(base, 'ai-dependency-risk');
}

/** Union of several providers' answers by advisory id (the newest `modified` wins). */
export class MergedAdvisoryProvider implements AdvisoryProvider {
  constructor(private readonly providers: AdvisoryProvider[]) {}

  async query(queries: PackageQuery[], signal?: AbortSignal): Promise<AdvisoryAnswer> {
    const answers = await Promise.all(this.providers.map((p) => p.query(queries, signal)));
    const results = queries.map((_, i) => {
      const byId = new Map<string, OsvRecord>();
      for (const a of answers) {
        for (const r of a.results[i] ?? []) {
          const prev = byId.get(r.id);
          if (!prev || (r.modified ?? '') > (prev.modified ?? '')) byId.set(r.id, r);
        }
      }
      return [...byId.values()];
    });
    const first = answers[0]?.freshness ?? { fetchedAt: Date.now(), stale: false, origin: 'offline-db' as const };
    return {
      results,
      freshness: {
        fetchedAt: Math.min(...answers.map((a) => a.freshness.fetchedAt)),
        stale: answers.some((a) => a.freshness.stale),
        origin: answers.some((a) => a.freshness.origin === 'network') ? 'network' : first.origin,
      },
      errors: answers.flatMap((a) => a.errors),
    };
  }
}

/** Offline with no advisory DB: every answer is empty, and says why. */
class NoAdvisories implements AdvisoryProvider {
  async query(queries: PackageQuery[]): Promise<AdvisoryAnswer> {
    return {
      results: queries.map(() => []),
      freshness: { fetchedAt: Date.now(), stale: false, origin: 'offline-db' },
      errors: queries.length ? ['Offline mode without an advisory database: vulnerabilities were not checked'] : [],
    };
  }
}

export async function createSources(settings: Settings, opts: SourcesOptions = {}): Promise<Sources> {
  const log = opts.log ?? (() => undefined);
  const now = opts.now ?? Date.now;
  const cacheDir = opts.cacheDir === null ? undefined : opts.cacheDir ?? defaultCacheDir(opts.env);
  const cache = new DiskCache({ dir: cacheDir, ttlMs: settings.cacheTtlHours * 3_600_000, now });
  const http = settings.offline
    ? undefined
    : new HttpClient({
        timeoutMs: settings.requestTimeoutMs,
        concurrency: opts.concurrency,
        proxy: settings.proxy,
        env: opts.env,
        transport: opts.fetchImpl,
        now,
      });

  let offline: OfflineAdvisoryIndex | undefined;
  const offlineErrors: string[] = [];
  if (settings.advisoryDb.length) {
    const loaded = await OfflineAdvisoryIndex.load(settings.advisoryDb);
    offline = loaded.index;
    offlineErrors.push(...loaded.errors);
    for (const e of loaded.errors) log('warn', e);
  }

  let advisories: AdvisoryProvider;
  if (settings.offline) advisories = offline ?? new NoAdvisories();
  else {
    const online = new OsvClient({ http, cache, osvUrl: settings.osvUrl, now });
    advisories = offline ? new MergedAdvisoryProvider([online, offline]) : online;
  }
  const deps = { http, cache, cacheOnly: settings.offline, now };
  log('info', `sources: ${settings.offline ? 'offline' : 'online'}, cache ${cacheDir ?? '(memory only)'}, ${settings.advisoryDb.length} advisory DB path(s)`);
  return {
    advisories,
    registry: {
      pypi: new PypiClient({ ...deps, pypiUrl: settings.pypiUrl }),
      npm: new NpmClient({ ...deps, npmUrl: settings.npmUrl }),
    },
    models: new HuggingFaceClient({ ...deps, hfUrl: settings.hfUrl }),
    offlineErrors,
    http,
    cache,
    async dispose() {
      await http?.dispose();
      await cache.flush();
    },
  };
}
