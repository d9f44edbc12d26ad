// Builds the engine and its sources from settings, and reuses them while the settings that shape
// them (endpoints, offline, advisory DBs, cache) stay the same. Shared by the server and the CLI.
import type { Settings } from '../settings';
import { createSources } from '../sources';
import { Engine, type Sources } from './engine';

export type LogFn = (level: 'debug' | 'info' | 'warn' | 'error', msg: string) => void;

export interface Runtime {
  engine: Engine;
  sources: Sources;
  /** Problems loading offline advisory DBs (bad zip, unreadable folder). */
  loadErrors: string[];
  dispose(): Promise<void>;
}

export function sourceKey(s: Settings, cacheDir?: string): string {
  return JSON.stringify([s.offline, s.advisoryDb, s.osvUrl, s.pypiUrl, s.npmUrl, s.hfUrl, s.cacheTtlHours, s.requestTimeoutMs, s.proxy, cacheDir]);
}

export async function createRuntime(settings: Settings, opts: { cacheDir?: string; log?: LogFn }): Promise<Runtime> {
  const src = await createSources(settings, { cacheDir: opts.cacheDir, log: opts.log });
  const sources: Sources = {
    advisories: src.advisories,
    registries: { PyPI: src.registry.pypi, npm: src.registry.npm },
    models: src.models,
  };
  return {
    engine: new Engine(sources, settings),
    sources,
    loadErrors: src.offlineErrors,
    dispose: () => src.dispose(),
  };
}

/** Keeps one runtime per distinct source configuration. */
export class RuntimePool {
  private readonly pool = new Map<string, Promise<Runtime>>();

  constructor(private readonly opts: { cacheDir?: string; log?: LogFn }) {}

  private bypassCache = false;

  get(settings: Settings): Promise<Runtime> {
    const k = sourceKey(settings, this.opts.cacheDir);
    let r = this.pool.get(k);
    if (!r) {
      r = createRuntime(this.bypassCache ? { ...settings, cacheTtlHours: 0 } : settings, this.opts);
      this.pool.set(k, r);
      r.catch(() => this.pool.delete(k));
    }
    return r;
  }

  /** Run `work` with runtimes whose cache entries all count as expired (so everything is fetched
   * again and the disk cache refreshed); afterwards runtimes use the normal TTL again. */
  async refresh<T>(work: () => Promise<T>): Promise<T> {
    await this.clear();
    this.bypassCache = true;
    try {
      return await work();
    } finally {
      this.bypassCache = false;
      await this.clear();
    }
  }

  async clear(): Promise<void> {
    const all = [...this.pool.values()];
    this.pool.clear();
    await Promise.all(all.map(async (p) => (await p.catch(() => undefined))?.dispose()));
  }
}
