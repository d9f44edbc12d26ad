// The one HTTP layer every online source goes through: keep-alive (undici), a deadline on every
// request, a byte cap on every answer, bounded concurrency, a redirect policy, retries with back-off
// on 429/5xx/connection errors (Retry-After honoured once and shared by the whole origin, total
// retry time capped), proxy support, cancellation, and coalescing of identical concurrent GETs.
// Time and sleeping are injected so retry and back-off logic is testable without waiting. No URL
// leaves this module in a message without its credentials masked.
import { abortableSleep, abortError, HttpError, isAbortError, networkCode, parseRetryAfter, Semaphore } from './httpSupport';
import { OriginGate } from './originGate';
import { MAX_REDIRECTS, REDIRECT_STATUSES, redirectRefusal, type RedirectPolicy } from './redirects';
import { redactUrl } from './redactUrl';
import { tooBig, undiciTransport, type Transport, type TransportResponse } from './transport';

export { abortableSleep, abortError, errorCode, HttpError, isAbortError, parseRetryAfter, proxyFor } from './httpSupport';
export type { Transport, TransportRequest, TransportResponse } from './transport';
export type { RedirectPolicy } from './redirects';

export const CLIENT_VERSION = '0.1.0';
export const USER_AGENT = `ai-dependency-risk/${CLIENT_VERSION} (+https://github.com/ai-dependency-risk)`;

/** Default cap on an answer's body when a request names none. */
export const DEFAULT_MAX_BYTES = 8 * 1024 * 1024;

export interface HttpResponse {
  status: number;
  /** Parsed JSON; for a non-2xx answer that is not JSON, the raw text. */
  body: unknown;
  headers: Record<string, string>;
}

export interface HttpClientOptions {
  /** Deadline for one attempt, headers and body together (a drip-fed body cannot outlast it). */
  timeoutMs?: number;
  /** Requests in flight at once, per origin (so slow PyPI lookups never starve OSV). */
  concurrency?: number;
  maxRetries?: number;
  /** First back-off step; doubles per retry, plus jitter. */
  baseDelayMs?: number;
  /** Upper bound on any single wait, including a server's Retry-After. */
  maxDelayMs?: number;
  /** Upper bound on the time one request spends between its first attempt and its last retry. */
  retryBudgetMs?: number;
  /** How long an origin stays closed (fail fast) after a request to it timed out, or after it
   * kept answering 429 without a Retry-After. */
  closeMs?: number;
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
  /** Cap on the answer's size (default DEFAULT_MAX_BYTES). */
  maxBytes?: number;
  /** Which redirects to follow (default `https`: same origin, or HTTPS anywhere). */
  redirects?: RedirectPolicy;
}

interface InFlight {
  url: string;
  promise: Promise<HttpResponse>;
  controller: AbortController;
  waiting: number;
}

interface Call {
  method: 'GET' | 'POST';
  url: string;
  /** `url` with secrets masked, for messages. */
  safe: string;
  body?: string;
  maxBytes: number;
  redirects: RedirectPolicy;
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
}

export class HttpClient {
  readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly retryBudgetMs: number;
  private readonly closeMs: number;
  private readonly userAgent: string;
  private readonly concurrency: number;
  private readonly sems = new Map<string, Semaphore>();
  private readonly gates = new Map<string, OriginGate>();
  private readonly send: Transport;
  private readonly closeTransport: () => Promise<void>;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly inFlight = new Map<string, InFlight>();
  /** Requests actually sent (attempts and redirect hops), for diagnostics and tests. */
  sent = 0;

  constructor(opts: HttpClientOptions = {}) {
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.maxRetries = opts.maxRetries ?? 3;
    this.baseDelayMs = opts.baseDelayMs ?? 250;
    this.maxDelayMs = opts.maxDelayMs ?? 10_000;
    this.retryBudgetMs = opts.retryBudgetMs ?? 15_000;
    this.closeMs = opts.closeMs ?? 5_000;
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
      const promise = this.withRetries(this.call('GET', url, undefined, opts), controller.signal);
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
    return this.withRetries(this.call('POST', url, JSON.stringify(body), opts), opts.signal);
  }

  async dispose(): Promise<void> {
    for (const e of this.inFlight.values()) e.controller.abort();
    await this.closeTransport();
  }

  private call(method: 'GET' | 'POST', url: string, body: string | undefined, opts: RequestOptions): Call {
    return { method, url, safe: redactUrl(url), body, maxBytes: opts.maxBytes ?? DEFAULT_MAX_BYTES, redirects: opts.redirects ?? 'https' };
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

  private gateFor(url: string): OriginGate {
    const origin = originOf(url);
    let gate = this.gates.get(origin);
    if (!gate) this.gates.set(origin, (gate = new OriginGate()));
    return gate;
  }

  private async withRetries(call: Call, signal?: AbortSignal): Promise<HttpResponse> {
    const gate = this.gateFor(call.url);
    const started = this.now();
    const maxRetries = gate.degradedAt(started) ? 0 : this.maxRetries;
    let delay = 0;
    let honouredRetryAfter = false;
    for (let attempt = 0; ; attempt++) {
      const closed = gate.closedAt(this.now());
      if (closed) throw new HttpError(`${call.method} ${call.safe}: not sent, ${closed.reason}`, closed.code, call.safe, closed.status);
      // One sleep per attempt, to the later of our own back-off and the origin's pause.
      const wait = Math.max(delay, gate.pausedUntil - this.now());
      if (wait > 0) await this.sleep(Math.min(wait, this.maxDelayMs), signal);

      let failure: HttpError;
      let retryAfter: number | undefined;
      try {
        const res = await this.attempt(call, signal);
        if (res.status !== 429 && res.status < 500) {
          gate.succeeded();
          return res;
        }
        failure = new HttpError(`${call.method} ${call.safe}: HTTP ${res.status}`, `HTTP ${res.status}`, call.safe, res.status);
        retryAfter = parseRetryAfter(res.headers['retry-after'], this.now());
      } catch (e) {
        // Aborts, time-outs, oversized answers and refused redirects are final: the caller gave up,
        // or retrying would only multiply the wait (or the download) the user sees.
        if (e instanceof HttpError && e.code === 'ETIMEDOUT') {
          // A hung origin costs one time-out per run, not one per stage.
          gate.close(this.now() + this.closeMs, { reason: 'the origin timed out recently', code: 'ETIMEDOUT' });
        }
        if (isAbortError(e) || e instanceof HttpError) throw e;
        const code = networkCode(e) ?? 'network error';
        failure = new HttpError(`${call.method} ${call.safe}: ${code}`, code, call.safe);
      }

      const now = this.now();
      if (retryAfter !== undefined) {
        delay = Math.min(retryAfter, this.maxDelayMs);
        if (honouredRetryAfter) {
          // The server's window passed and it still refuses: stop, and let the others stop too.
          gate.close(now + delay, { reason: `rate-limited (HTTP ${failure.status})`, code: failure.code, status: failure.status });
          throw failure;
        }
        honouredRetryAfter = true;
        gate.pause(now + delay);
      } else {
        delay = this.backoff(attempt);
      }
      const overBudget = Math.max(now + delay, gate.pausedUntil) - started > this.retryBudgetMs;
      if (attempt >= maxRetries || overBudget) {
        if (failure.status === 429) gate.close(now + Math.min(retryAfter ?? this.closeMs, this.maxDelayMs), { reason: 'rate-limited (HTTP 429)', code: 'HTTP 429', status: 429 });
        else gate.degrade(now + this.maxDelayMs);
        throw failure;
      }
    }
  }

  private semaphoreFor(url: string): Semaphore {
    const origin = originOf(url);
    let sem = this.sems.get(origin);
    if (!sem) this.sems.set(origin, (sem = new Semaphore(this.concurrency)));
    return sem;
  }

  private backoff(attempt: number): number {
    return this.baseDelayMs * 2 ** attempt + this.random() * this.baseDelayMs;
  }

  private async attempt(call: Call, signal?: AbortSignal): Promise<HttpResponse> {
    const release = await this.semaphoreFor(call.url).acquire(signal);
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), this.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout.signal]) : timeout.signal;
    const headers: Record<string, string> = { 'user-agent': this.userAgent, accept: 'application/json' };
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    try {
      const start = new URL(call.url);
      let current = start;
      const seen = new Set([start.href]);
      for (let hops = 0; ; hops++) {
        this.sent++;
        const req = { method: call.method, url: current.href, headers, body: call.body, signal: combined, timeoutMs: this.timeoutMs, maxBytes: call.maxBytes };
        const res = await this.send(req);
        // Injected transports hand over whole texts: hold them to the same cap.
        if (res.text.length > call.maxBytes / 4 && Buffer.byteLength(res.text) > call.maxBytes) throw tooBig(req);
        const next = this.redirectTarget(call, start, current, res, hops, seen);
        if (!next) return { status: res.status, headers: res.headers, body: parseBody(res, call) };
        seen.add(next.href);
        current = next;
      }
    } catch (e) {
      if (signal?.aborted) throw abortError();
      const code = networkCode(e);
      if (timeout.signal.aborted || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
        throw new HttpError(`${call.method} ${call.safe}: timed out after ${this.timeoutMs} ms`, 'ETIMEDOUT', call.safe);
      }
      throw e;
    } finally {
      clearTimeout(timer);
      release();
    }
  }

  /** The URL to follow for a redirect answer, undefined for any other answer; throws when refused. */
  private redirectTarget(call: Call, start: URL, current: URL, res: TransportResponse, hops: number, seen: Set<string>): URL | undefined {
    const location = res.headers.location;
    if (!REDIRECT_STATUSES.has(res.status) || !location) return undefined;
    const fail = (why: string, code = 'EREDIRECT'): HttpError => new HttpError(`${call.method} ${call.safe}: redirect refused (${why})`, code, call.safe, res.status);
    // A POST that moved is not something a registry client should replay elsewhere.
    if (call.method !== 'GET') throw fail('redirect of a POST');
    let next: URL;
    try {
      next = new URL(location, current);
    } catch {
      throw fail('unparsable Location');
    }
    const refusal = redirectRefusal(start, current, next, call.redirects);
    if (refusal) throw fail(`${refusal}: ${redactUrl(next.href)}`);
    if (seen.has(next.href)) throw fail('redirect loop', 'EREDIRECTLOOP');
    if (hops + 1 > MAX_REDIRECTS) throw fail(`more than ${MAX_REDIRECTS} redirects`, 'EREDIRECTLOOP');
    return next;
  }
}

function parseBody(res: TransportResponse, call: Call): unknown {
  const ok = res.status >= 200 && res.status < 300;
  try {
    return res.text === '' ? undefined : (JSON.parse(res.text) as unknown);
  } catch {
    if (ok) throw new HttpError(`${call.method} ${call.safe}: the answer is not valid JSON`, 'EBADJSON', call.safe, res.status);
    return res.text;
  }
}
