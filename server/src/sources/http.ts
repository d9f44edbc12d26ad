// The one HTTP layer every online source goes through: keep-alive (undici), a time-out on every
// request, bounded concurrency, retries with backoff on 429/5xx/connection errors (honouring
// Retry-After), proxy support, cancellation, and coalescing of identical concurrent GETs.
// Time and sleeping are injected so retry and back-off logic is testable without waiting.
import { Agent, ProxyAgent, request, type Dispatcher } from 'undici';
import { abortableSleep, abortError, HttpError, isAbortError, networkCode, parseRetryAfter, proxyFor, Semaphore } from './httpSupport';

export { abortableSleep, abortError, errorCode, HttpError, isAbortError, parseRetryAfter, proxyFor } from './httpSupport';

export const CLIENT_VERSION = '0.1.0';
export const USER_AGENT = `ai-dependency-risk/${CLIENT_VERSION} (+https://github.com/ai-dependency-risk)`;

export interface HttpResponse {
  status: number;
  /** Parsed JSON; for a non-2xx answer that is not JSON, the raw text. */
  body: unknown;
  headers: Record<string, string>;
}

export interface TransportRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
  timeoutMs: number;
}
export interface TransportResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
}
/** Sends one request once. The default is undici; tests or embedders may swap it. */
export type Transport = (req: TransportRequest) => Promise<TransportResponse>;

export interface HttpClientOptions {
  timeoutMs?: number;
  /** Requests in flight at once, per origin (so slow PyPI lookups never starve OSV). */
  concurrency?: number;
  maxRetries?: number;
  /** First back-off step; doubles per retry, plus jitter. */
  baseDelayMs?: number;
  /** Upper bound on any single wait, including a server's Retry-After. */
  maxDelayMs?: number;
  proxy?: string;
  env?: Record<string, string | undefined>;
  userAgent?: string;
  transport?: Transport;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
  random?: () => number;
}

export interface RequestOptions {
  signal?: AbortSignal;
}

function flattenHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/** undici-backed transport with a keep-alive agent per proxy choice. */
function undiciTransport(opts: { concurrency: number; proxy?: string; env: Record<string, string | undefined> }): {
  send: Transport;
  close(): Promise<void>;
} {
  const direct = new Agent({ keepAliveTimeout: 10_000, connections: opts.concurrency });
  const proxies = new Map<string, ProxyAgent>();
  const dispatcherFor = (url: string): Dispatcher => {
    const p = proxyFor(url, opts.proxy, opts.env);
    if (!p) return direct;
    let agent = proxies.get(p);
    if (!agent) proxies.set(p, (agent = new ProxyAgent({ uri: p, keepAliveTimeout: 10_000, connections: opts.concurrency })));
    return agent;
  };
  const send: Transport = async (req) => {
    const res = await request(req.url, {
      method: req.method,
      headers: req.headers,
      body: req.body,
      signal: req.signal,
      dispatcher: dispatcherFor(req.url),
      headersTimeout: req.timeoutMs,
      bodyTimeout: req.timeoutMs,
    });
    const text = await res.body.text();
    return { status: res.statusCode, headers: flattenHeaders(res.headers), text };
  };
  const close = async (): Promise<void> => {
    await Promise.allSettled([direct.close(), ...[...proxies.values()].map((a) => a.close())]);
  };
  return { send, close };
}

interface InFlight {
  url: string;
  promise: Promise<HttpResponse>;
  controller: AbortController;
  waiting: number;
}

export class HttpClient {
  readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly userAgent: string;
  private readonly concurrency: number;
  private readonly sems = new Map<string, Semaphore>();
  private readonly send: Transport;
  private readonly closeTransport: () => Promise<void>;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly inFlight = new Map<string, InFlight>();
  /** Requests actually sent (attempts), for diagnostics and tests. */
  sent = 0;

  constructor(opts: HttpClientOptions = {}) {
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.maxRetries = opts.maxRetries ?? 3;
    this.baseDelayMs = opts.baseDelayMs ?? 250;
    this.maxDelayMs = opts.maxDelayMs ?? 10_000;
    this.userAgent = opts.userAgent ?? USER_AGENT;
    const concurrency = Math.max(1, opts.concurrency ?? 16);
    this.concurrency = concurrency;
    if (opts.transport) {
      this.send = opts.transport;
      this.closeTransport = async () => {};
    } else {
      const t = undiciTransport({ concurrency, proxy: opts.proxy, env: opts.env ?? process.env });
      this.send = t.send;
      this.closeTransport = t.close;
    }
    this.sleep = opts.sleep ?? abortableSleep;
    this.now = opts.now ?? Date.now;
    this.random = opts.random ?? Math.random;
  }

  /** GET a JSON document. Concurrent GETs of the same URL share one request. */
  getJson(url: string, opts: RequestOptions = {}): Promise<HttpResponse> {
    const signal = opts.signal;
    if (signal?.aborted) return Promise.reject(abortError());
    let entry = this.inFlight.get(url);
    if (!entry) {
      const controller = new AbortController();
      const promise = this.withRetries('GET', url, undefined, controller.signal);
      const created: InFlight = { url, promise, controller, waiting: 0 };
      entry = created;
      this.inFlight.set(url, created);
      const forget = (): void => {
        if (this.inFlight.get(url) === created) this.inFlight.delete(url);
      };
      promise.then(forget, forget);
    }
    return this.follow(entry, signal);
  }

  postJson(url: string, body: unknown, opts: RequestOptions = {}): Promise<HttpResponse> {
    if (opts.signal?.aborted) return Promise.reject(abortError());
    return this.withRetries('POST', url, JSON.stringify(body), opts.signal);
  }

  async dispose(): Promise<void> {
    for (const e of this.inFlight.values()) e.controller.abort();
    await this.closeTransport();
  }

  /** One caller's view of a shared request: its abort rejects only it; the last one out cancels. */
  private follow(entry: InFlight, signal?: AbortSignal): Promise<HttpResponse> {
    entry.waiting++;
    if (!signal) return entry.promise;
    return new Promise<HttpResponse>((resolve, reject) => {
      const onAbort = (): void => {
        if (--entry.waiting === 0) {
          // Nobody wants it any more: cancel it, and let the next caller start afresh.
          if (this.inFlight.get(entry.url) === entry) this.inFlight.delete(entry.url);
          entry.controller.abort();
        }
        reject(abortError());
      };
      signal.addEventListener('abort', onAbort, { once: true });
      entry.promise.then(
        (v) => {
          signal.removeEventListener('abort', onAbort);
          resolve(v);
        },
        (e: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(e);
        },
      );
    });
  }

  private async withRetries(method: 'GET' | 'POST', url: string, body: string | undefined, signal?: AbortSignal): Promise<HttpResponse> {
    for (let attempt = 0; ; attempt++) {
      let waitMs: number;
      let failure: HttpError;
      try {
        const res = await this.attempt(method, url, body, signal);
        const retryable = res.status === 429 || res.status >= 500;
        if (!retryable) return res;
        failure = new HttpError(`${method} ${url}: HTTP ${res.status}`, `HTTP ${res.status}`, url, res.status);
        const after = parseRetryAfter(res.headers['retry-after'], this.now());
        waitMs = after ?? this.backoff(attempt);
      } catch (e) {
        // Aborts and time-outs are final: the caller gave up, or the server hangs and retrying
        // would multiply the wait the user sees.
        if (isAbortError(e) || e instanceof HttpError) throw e;
        const code = networkCode(e) ?? 'network error';
        failure = new HttpError(`${method} ${url}: ${code}`, code, url);
        waitMs = this.backoff(attempt);
      }
      if (attempt >= this.maxRetries) throw failure;
      await this.sleep(Math.min(waitMs, this.maxDelayMs), signal);
    }
  }

  private semaphoreFor(url: string): Semaphore {
    let origin: string;
    try {
      origin = new URL(url).origin;
    } catch {
      origin = '';
    }
    let sem = this.sems.get(origin);
    if (!sem) this.sems.set(origin, (sem = new Semaphore(this.concurrency)));
    return sem;
  }

  private backoff(attempt: number): number {
    return this.baseDelayMs * 2 ** attempt + this.random() * this.baseDelayMs;
  }

  private async attempt(method: 'GET' | 'POST', url: string, body: string | undefined, signal?: AbortSignal): Promise<HttpResponse> {
    const release = await this.semaphoreFor(url).acquire(signal);
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), this.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout.signal]) : timeout.signal;
    const headers: Record<string, string> = { 'user-agent': this.userAgent, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    try {
      let target = url;
      for (let hops = 0; ; hops++) {
        this.sent++;
        const res = await this.send({ method, url: target, headers, body, signal: combined, timeoutMs: this.timeoutMs });
        // PyPI redirects non-canonical project names (`/pypi/django/json` -> `/pypi/Django/json`).
        const location = res.headers.location;
        if (method === 'GET' && location && [301, 302, 303, 307, 308].includes(res.status) && hops < 5) {
          const next = new URL(location, target);
          if (next.protocol === 'https:' || next.protocol === 'http:') {
            target = next.toString();
            continue;
          }
        }
        return { status: res.status, headers: res.headers, body: parseBody(res, target) };
      }
    } catch (e) {
      if (signal?.aborted) throw abortError();
      const code = networkCode(e);
      if (timeout.signal.aborted || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
        throw new HttpError(`${method} ${url}: timed out after ${this.timeoutMs} ms`, 'ETIMEDOUT', url);
      }
      throw e;
    } finally {
      clearTimeout(timer);
      release();
    }
  }
}

function parseBody(res: TransportResponse, url: string): unknown {
  const ok = res.status >= 200 && res.status < 300;
  try {
    return res.text === '' ? undefined : (JSON.parse(res.text) as unknown);
  } catch {
    if (ok) throw new HttpError(`${url}: the answer is not valid JSON`, 'EBADJSON', url, res.status);
    return res.text;
  }
}
