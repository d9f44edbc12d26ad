// Sends one HTTP request once (no redirects followed, no retries) and reads the answer under a byte
// cap: a declared Content-Length over the cap is refused before reading, and a streamed body is cut
// off the moment it passes the cap, so a huge or endless answer never sits in memory whole.
import type * as Undici from 'undici';
import type { Agent, Dispatcher, ProxyAgent } from 'undici';
import { HttpError, proxyFor } from './httpSupport';
import { redactUrl } from './redactUrl';

export interface TransportRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
  timeoutMs: number;
  /** Most bytes of body to read; more is an ETOOBIG error. */
  maxBytes: number;
}
export interface TransportResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
}
/** Sends one request once. The default is undici; tests or embedders may swap it. */
export type Transport = (req: TransportRequest) => Promise<TransportResponse>;

export function tooBig(req: Pick<TransportRequest, 'method' | 'url' | 'maxBytes'>): HttpError {
  const safe = redactUrl(req.url);
  return new HttpError(`${req.method} ${safe}: the answer is larger than ${formatBytes(req.maxBytes)}`, 'ETOOBIG', safe);
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / (1024 * 1024)) * 10) / 10} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} bytes`;
}

function flattenHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

// undici is loaded on the first request: an offline scan never pays for evaluating it.
let undiciLib: typeof Undici | undefined;
const undici = (): typeof Undici => (undiciLib ??= require('undici') as typeof Undici);

/** undici-backed transport with a keep-alive agent per proxy choice. */
export function undiciTransport(opts: { concurrency: number; proxy?: string; env: Record<string, string | undefined> }): {
  send: Transport;
  close(): Promise<void>;
} {
  let direct: Agent | undefined;
  const proxies = new Map<string, ProxyAgent>();
  const dispatcherFor = (url: string): Dispatcher => {
    const p = proxyFor(url, opts.proxy, opts.env);
    if (!p) return (direct ??= new (undici().Agent)({ keepAliveTimeout: 10_000, connections: opts.concurrency }));
    let agent = proxies.get(p);
    if (!agent) proxies.set(p, (agent = new (undici().ProxyAgent)({ uri: p, keepAliveTimeout: 10_000, connections: opts.concurrency })));
    return agent;
  };
  const send: Transport = async (req) => {
    // The test suites set AIDR_LOOPBACK_ONLY=1: a request that would leave the machine fails at
    // once instead of reaching the internet (tests talk to loopback registries only).
    if (process.env.AIDR_LOOPBACK_ONLY === '1' && !LOOPBACK.has(new URL(req.url).hostname)) {
      const safe = redactUrl(req.url);
      throw new HttpError(`${req.method} ${safe}: refused (AIDR_LOOPBACK_ONLY: tests never leave the machine)`, 'ELOOPBACKONLY', safe);
    }
    const res = await undici().request(req.url, {
      method: req.method,
      headers: req.headers,
      body: req.body,
      signal: req.signal,
      dispatcher: dispatcherFor(req.url),
      headersTimeout: req.timeoutMs,
      bodyTimeout: req.timeoutMs,
    });
    const headers = flattenHeaders(res.headers);
    const declared = Number(headers['content-length']);
    if (Number.isFinite(declared) && declared > req.maxBytes) {
      res.body.destroy();
      throw tooBig(req);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of res.body) {
        const buf = chunk as Buffer;
        size += buf.length;
        if (size > req.maxBytes) throw tooBig(req);
        chunks.push(buf);
      }
    } finally {
      // Stops the download of whatever is left (oversized, aborted, or failed mid-way).
      if (!res.body.destroyed) res.body.destroy();
    }
    return { status: res.statusCode, headers, text: Buffer.concat(chunks, size).toString('utf8') };
  };
  const close = async (): Promise<void> => {
    await Promise.allSettled([...(direct ? [direct.close()] : []), ...[...proxies.values()].map((a) => a.close())]);
  };
  return { send, close };
}
