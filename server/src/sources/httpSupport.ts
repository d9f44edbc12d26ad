// Small pieces the HTTP client is built from, kept apart so each can be read (and tested) alone:
// the error type and its short codes, abort helpers, proxy choice, Retry-After parsing, and a
// counting semaphore whose waiters can be cancelled.
import { redactSecrets } from './redactUrl';

/** A failure after retries: `code` is a short token for messages (ECONNREFUSED, ETIMEDOUT, HTTP 503). */
export class HttpError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly url: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export function abortError(): Error {
  const e = new Error('The operation was aborted');
  e.name = 'AbortError';
  return e;
}

export function isAbortError(e: unknown): boolean {
  return e instanceof Error && e.name === 'AbortError';
}

/** Short reason for a user-facing message: "ECONNREFUSED", "timed out", "HTTP 503". */
export function errorCode(e: unknown): string {
  if (e instanceof HttpError) return e.code;
  // A foreign error's message may quote a URL with credentials in it.
  return networkCode(e) ?? redactSecrets(e instanceof Error ? e.message : String(e));
}

export function networkCode(e: unknown): string | undefined {
  for (let cur: unknown = e, depth = 0; cur && typeof cur === 'object' && depth < 4; depth++) {
    const o = cur as { code?: unknown; errors?: unknown[]; cause?: unknown };
    if (typeof o.code === 'string' && !o.code.startsWith('UND_ERR_')) return o.code;
    if (Array.isArray(o.errors) && o.errors.length) cur = o.errors[0];
    else if (o.cause) cur = o.cause;
    else if (typeof o.code === 'string') return o.code === 'UND_ERR_SOCKET' ? 'ECONNRESET' : o.code;
    else return undefined;
  }
  return undefined;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/** The proxy URL for a target, or undefined to connect directly. Loopback is never proxied. */
export function proxyFor(target: string, explicit: string | undefined, env: Record<string, string | undefined>): string | undefined {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return undefined;
  }
  const host = url.hostname.toLowerCase();
  if (LOOPBACK.has(host) || host.startsWith('127.')) return undefined;
  const noProxy = env.NO_PROXY ?? env.no_proxy ?? '';
  for (const raw of noProxy.split(',')) {
    const entry = raw.trim().toLowerCase().replace(/:\d+$/, '');
    if (!entry) continue;
    if (entry === '*') return undefined;
    const suffix = entry.startsWith('*.') ? entry.slice(1) : entry.startsWith('.') ? entry : `.${entry}`;
    if (host === entry.replace(/^\*?\./, '') || host.endsWith(suffix)) return undefined;
  }
  if (explicit) return explicit;
  return url.protocol === 'https:'
    ? env.HTTPS_PROXY ?? env.https_proxy ?? env.HTTP_PROXY ?? env.http_proxy
    : env.HTTP_PROXY ?? env.http_proxy;
}

/** Retry-After as ms (delta-seconds or HTTP date), or undefined when absent/unparsable. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError());
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Counting semaphore whose waiters can give up when their signal aborts. */
export class Semaphore {
  private active = 0;
  private readonly waiters: (() => void)[] = [];
  constructor(private readonly limit: number) {}

  async acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) throw abortError();
    if (this.active < this.limit) {
      this.active++;
      return this.releaser();
    }
    await new Promise<void>((resolve, reject) => {
      const grant = (): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = (): void => {
        const i = this.waiters.indexOf(grant);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(abortError());
      };
      this.waiters.push(grant);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    return this.releaser();
  }

  private releaser(): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const next = this.waiters.shift();
      if (next) next(); // the slot passes straight to the next waiter
      else this.active--;
    };
  }
}
