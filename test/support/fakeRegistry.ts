// A real HTTP(S) server on 127.0.0.1 that plays OSV, PyPI, npm and Hugging Face for unit,
// protocol and e2e tests and for benchmarks. OSV answers are computed from a list of records with
// the project's own `isAffected`; the rest come from fixture maps. Latency, a request log and
// failures (see faultBodies.ts: drops, hangs, drips, resets, 429/5xx, malformed, truncated,
// wrong-typed and endless bodies, redirect loops and downgrades) are built in.
// No test-framework imports here.
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Ecosystem } from '../../server/src/domain';
import type { OsvRecord } from '../../server/src/domain';
import { isAffected } from '../../server/src/versions/affected';
import { normalizePackageName } from '../../server/src/versions/index';
import { sendFault, type FailMode, type FailureRule, type FakeRoute } from './faultBodies';

export type { FailMode, FailureRule, FakeRoute } from './faultBodies';
export { FAULT_MARKER } from './faultBodies';

export interface FakeRegistryOptions {
  osvRecords?: OsvRecord[];
  /** PyPI JSON documents by project name (as requested in the URL, case-insensitively). */
  pypi?: Record<string, unknown>;
  /** npm packuments by package name (`@scope/name` unencoded). */
  npm?: Record<string, unknown>;
  /** HF model documents by `id` or `id@revision`; a number answers with that HTTP status. */
  hf?: Record<string, unknown>;
  /** HF paths-info answers by `id@revision` or `id` (a number: that HTTP status). Default: each
   * asked path as a file with no security status. */
  hfPaths?: Record<string, unknown>;
  /** Serve HTTPS with this key and certificate instead of plain HTTP. */
  tls?: { key: string | Buffer; cert: string | Buffer };
  latencyMs?: number;
  /** Vulns per OSV query result page; more than this yields `next_page_token`. */
  pageSize?: number;
  failures?: FailureRule[];
}

export interface RequestLogEntry {
  method: string;
  path: string;
  route: FakeRoute;
  bodySize: number;
  /** querybatch only: number of queries in the call. */
  queries?: number;
  /** The Host header (which name the client used for this server). */
  host?: string;
  /** The fault this request was answered with, if any. */
  failed?: FailMode;
}

export interface FakeServerHandle {
  url: string;
  close(): Promise<void>;
}

/** Synthesise a PyPI JSON document. Each release gets one file unless `files` says otherwise. */
export function pypiDocument(
  name: string,
  releases: { version: string; yanked?: boolean; yankedReason?: string; uploadTime?: string; files?: { yanked?: boolean; uploadTime?: string }[] }[],
  info: Record<string, unknown> = {},
): Record<string, unknown> {
  const rel: Record<string, unknown[]> = {};
  for (const r of releases) {
    const files = r.files ?? [{ yanked: r.yanked, uploadTime: r.uploadTime }];
    rel[r.version] = files.map((f, i) => ({
      filename: `${name}-${r.version}-${i}.tar.gz`,
      upload_time_iso_8601: f.uploadTime ?? r.uploadTime ?? '2024-01-01T00:00:00.000000Z',
      yanked: f.yanked ?? r.yanked ?? false,
      yanked_reason: (f.yanked ?? r.yanked) ? (r.yankedReason ?? null) : null,
    }));
  }
  const last = releases.filter((r) => !r.yanked).at(-1)?.version ?? releases.at(-1)?.version ?? '0';
  return { info: { name, version: last, summary: `${name} package`, license: 'MIT', ...info }, releases: rel, urls: [] };
}

function routeOf(method: string, p: string): FakeRoute {
  if (method === 'POST' && p === '/v1/querybatch') return 'osv-querybatch';
  if (method === 'GET' && p.startsWith('/v1/vulns/')) return 'osv-vulns';
  if (method === 'GET' && /^\/pypi\/[^/]+\/json\/?$/.test(p)) return 'pypi';
  if (method === 'POST' && p.startsWith('/api/models/') && p.includes('/paths-info/')) return 'hf-paths-info';
  if (method === 'GET' && p.startsWith('/api/models/')) return 'hf';
  if (method === 'GET' && p.length > 1 && !p.startsWith('/v1/')) return 'npm';
  return 'other';
}

export class FakeRegistry {
  readonly requests: RequestLogEntry[] = [];
  /** Requests being handled right now, and the most seen at once (for concurrency checks). */
  inFlight = 0;
  peakInFlight = 0;
  private server: http.Server | undefined;
  private readonly failureCounts = new Map<FailureRule, number>();
  private readonly failureStarts = new Map<FailureRule, number>();
  private readonly sockets = new Set<import('node:net').Socket>();
  private index: { source: OsvRecord[]; size: number; map: Map<string, OsvRecord[]> } | undefined;

  constructor(public options: FakeRegistryOptions = {}) {}

  /** Requests seen on a route (all routes without an argument). */
  count(route?: FakeRoute): number {
    return route ? this.requests.filter((r) => r.route === route).length : this.requests.length;
  }

  reset(): void {
    this.requests.length = 0;
    this.peakInFlight = this.inFlight;
    this.failureCounts.clear();
    this.failureStarts.clear();
  }

  setFailures(failures: FailureRule[]): void {
    this.options.failures = failures;
    this.failureCounts.clear();
    this.failureStarts.clear();
  }

  start(): Promise<FakeServerHandle> {
    const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => void this.handle(req, res);
    const tls = this.options.tls;
    const server: http.Server = tls ? https.createServer({ key: tls.key, cert: tls.cert }, handler) : http.createServer(handler);
    server.keepAliveTimeout = 1000;
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        resolve({ url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`, close: () => this.close() });
      });
    });
  }

  close(): Promise<void> {
    const server = this.server;
    if (!server) return Promise.resolve();
    this.server = undefined;
    for (const s of this.sockets) s.destroy(); // hung requests would otherwise keep close() waiting
    return new Promise((resolve) => server.close(() => resolve()));
  }

  /** Records naming a package, via an index rebuilt when the record list is replaced or grows. */
  private recordsNaming(ecosystem: string, name: string): OsvRecord[] {
    const records = this.options.osvRecords ?? [];
    if (this.index?.source !== records || this.index.size !== records.length) {
      const map = new Map<string, OsvRecord[]>();
      for (const r of records) {
        const keys = new Set((r.affected ?? []).map((a) => packageKey(a.package?.ecosystem ?? '', a.package?.name ?? '')));
        for (const k of keys) {
          const list = map.get(k);
          if (list) list.push(r);
          else map.set(k, [r]);
        }
      }
      this.index = { source: records, size: records.length, map };
    }
    return this.index.map.get(packageKey(ecosystem, name)) ?? [];
  }

  private pickFailure(route: FakeRoute, host: string): FailureRule | undefined {
    for (const f of this.options.failures ?? []) {
      if (f.route !== '*' && f.route !== route) continue;
      if (f.onHost !== undefined && !host.startsWith(f.onHost)) continue;
      if (f.forMs !== undefined) {
        const start = this.failureStarts.get(f) ?? Date.now();
        this.failureStarts.set(f, start);
        if (Date.now() - start >= f.forMs) continue;
        return f;
      }
      const used = this.failureCounts.get(f) ?? 0;
      if (f.count !== undefined && used >= f.count) continue;
      this.failureCounts.set(f, used + 1);
      return f;
    }
    return undefined;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    this.inFlight++;
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
    let counted = true;
    const done = (): void => {
      if (counted) this.inFlight--;
      counted = false;
    };
    res.on('close', done);
    req.socket.on('close', done);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const route = routeOf(method, url.pathname);
    const host = req.headers.host ?? '';
    const entry: RequestLogEntry = { method, path: url.pathname + url.search, route, bodySize: chunks.reduce((n, c) => n + c.length, 0), host };
    this.requests.push(entry);
    if (this.options.latencyMs) await new Promise((r) => setTimeout(r, this.options.latencyMs));

    const failure = this.pickFailure(route, host);
    if (failure) {
      entry.failed = failure.mode;
      const valid = (): unknown => {
        try {
          return this.answer(route, url, body, entry)[1];
        } catch {
          return {};
        }
      };
      const id = route === 'osv-vulns' ? decodeURIComponent(url.pathname).slice('/v1/vulns/'.length) : '';
      return sendFault(failure, route, req, res, valid, id);
    }
    try {
      const [status, answer] = this.answer(route, url, body, entry);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer));
    } catch (e) {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 3, message: e instanceof Error ? e.message : String(e) }));
    }
  }

  private answer(route: FakeRoute, url: URL, body: string, entry: RequestLogEntry): [number, unknown] {
    const p = decodeURIComponent(url.pathname);
    switch (route) {
      case 'osv-querybatch':
        return [200, this.querybatch(body, entry)];
      case 'osv-vulns': {
        const id = p.slice('/v1/vulns/'.length);
        const rec = (this.options.osvRecords ?? []).find((r) => r.id === id);
        return rec ? [200, rec] : [404, { code: 5, message: 'Bug not found.' }];
      }
      case 'pypi': {
        const name = p.split('/')[2] ?? '';
        const doc = lookup(this.options.pypi, name);
        return doc !== undefined ? [200, doc] : [404, { message: 'Not Found' }];
      }
      case 'npm': {
        const doc = lookup(this.options.npm, p.slice(1));
        return doc !== undefined ? [200, doc] : [404, { error: 'Not found' }];
      }
      case 'hf-paths-info': {
        const [id, rev] = p.slice('/api/models/'.length).split('/paths-info/');
        const doc = lookup(this.options.hfPaths, `${id}@${rev}`) ?? lookup(this.options.hfPaths, id ?? '');
        if (typeof doc === 'number') return [doc, { error: 'Repository not found' }];
        if (doc !== undefined) return [200, doc];
        const asked = (JSON.parse(body || '{}') as { paths?: unknown }).paths;
        const paths = Array.isArray(asked) ? asked.filter((x): x is string => typeof x === 'string') : [];
        return [200, paths.map((path) => ({ type: 'file', oid: '0'.repeat(40), size: 1, path }))];
      }
      case 'hf': {
        const rest = p.slice('/api/models/'.length);
        const [id, rev] = rest.split('/revision/');
        const doc = lookup(this.options.hf, rev ? `${id}@${rev}` : (id ?? ''));
        if (typeof doc === 'number') return [doc, { error: 'Repository not found' }];
        return doc !== undefined ? [200, doc] : [404, { error: 'Repository not found' }];
      }
      default:
        return [404, { error: 'no such route' }];
    }
  }

  private querybatch(body: string, entry: RequestLogEntry): unknown {
    const parsed = JSON.parse(body) as { queries?: { package?: { ecosystem?: string; name?: string }; version?: string; page_token?: string }[] };
    const queries = parsed.queries ?? [];
    entry.queries = queries.length;
    if (queries.length > 1000) throw new Error('Too many queries.');
    const size = this.options.pageSize ?? Infinity;
    const results = queries.map((q) => {
      const eco = q.package?.ecosystem as Ecosystem;
      const name = q.package?.name ?? '';
      // Withdrawn records are served too: clients must skip them.
      const named = this.recordsNaming(eco, name);
      const hits = q.version !== undefined ? named.filter((r) => isAffected(r, eco, name, q.version ?? '')) : named;
      if (!hits.length) return {};
      const start = q.page_token ? Number(q.page_token) : 0;
      const page = hits.slice(start, start + size);
      const out: Record<string, unknown> = { vulns: page.map((r) => ({ id: r.id, modified: r.modified })) };
      if (start + size < hits.length) out.next_page_token = String(start + size);
      return out;
    });
    return { results };
  }
}

function packageKey(ecosystem: string, name: string): string {
  const eco = ecosystem === 'PyPI' || ecosystem === 'npm' ? ecosystem : undefined;
  return `${ecosystem}:${eco ? normalizePackageName(eco, name) : name}`;
}

function lookup<T>(map: Record<string, T> | undefined, key: string): T | undefined {
  if (!map) return undefined;
  if (key in map) return map[key];
  const lower = key.toLowerCase();
  for (const [k, v] of Object.entries(map)) if (k.toLowerCase() === lower) return v;
  return undefined;
}
