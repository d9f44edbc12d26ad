import assert from 'node:assert/strict';
import { FakeRegistry, pypiDocument, type FakeServerHandle } from '../../support/fakeRegistry';
import { HttpClient, HttpError, parseRetryAfter, proxyFor, USER_AGENT, type Transport, type TransportRequest } from '../../../server/src/sources/http';

/** Sleep that records the wait and returns at once, so back-off tests take no real time. */
function recordingSleep(): { sleeps: number[]; sleep: (ms: number) => Promise<void> } {
  const sleeps: number[] = [];
  return { sleeps, sleep: async (ms: number) => void sleeps.push(ms) };
}

describe('sources/http', () => {
  let fake: FakeRegistry;
  let server: FakeServerHandle;
  const clients: HttpClient[] = [];
  const client = (opts: ConstructorParameters<typeof HttpClient>[0] = {}): HttpClient => {
    const c = new HttpClient({ random: () => 0, ...opts });
    clients.push(c);
    return c;
  };

  beforeEach(async () => {
    fake = new FakeRegistry({ pypi: { demo: pypiDocument('demo', [{ version: '1.0' }]) } });
    server = await fake.start();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
    await server.close();
  });

  it('returns parsed JSON, and a 404 as a normal answer without retrying', async () => {
    const { sleeps, sleep } = recordingSleep();
    const http = client({ sleep });
    const ok = await http.getJson(`${server.url}/pypi/demo/json`);
    assert.equal(ok.status, 200);
    assert.equal((ok.body as { info: { version: string } }).info.version, '1.0');
    const missing = await http.getJson(`${server.url}/pypi/nope/json`);
    assert.equal(missing.status, 404);
    assert.equal(fake.count('pypi'), 2);
    assert.deepEqual(sleeps, []);
  });

  it('honours Retry-After on 429 and then succeeds', async () => {
    fake.setFailures([{ route: 'pypi', mode: '429', count: 1, retryAfter: '2' }]);
    const { sleeps, sleep } = recordingSleep();
    const res = await client({ sleep }).getJson(`${server.url}/pypi/demo/json`);
    assert.equal(res.status, 200);
    assert.deepEqual(sleeps, [2000]);
    assert.equal(fake.count('pypi'), 2);
  });

  it('caps a huge Retry-After', async () => {
    fake.setFailures([{ route: 'pypi', mode: '429', count: 1, retryAfter: '86400' }]);
    const { sleeps, sleep } = recordingSleep();
    await client({ sleep, maxDelayMs: 5000 }).getJson(`${server.url}/pypi/demo/json`);
    assert.deepEqual(sleeps, [5000]);
  });

  it('retries 500 twice with growing back-off, then succeeds', async () => {
    fake.setFailures([{ route: 'pypi', mode: '500', count: 2 }]);
    const { sleeps, sleep } = recordingSleep();
    const res = await client({ sleep, baseDelayMs: 100 }).getJson(`${server.url}/pypi/demo/json`);
    assert.equal(res.status, 200);
    assert.deepEqual(sleeps, [100, 200]);
    assert.equal(fake.count('pypi'), 3);
  });

  it('gives up after 3 retries with an HttpError naming the status', async () => {
    fake.setFailures([{ route: 'pypi', mode: '500' }]);
    const { sleeps, sleep } = recordingSleep();
    await assert.rejects(client({ sleep }).getJson(`${server.url}/pypi/demo/json`), (e: unknown) => {
      assert.ok(e instanceof HttpError);
      assert.equal(e.code, 'HTTP 500');
      assert.equal(e.status, 500);
      return true;
    });
    assert.equal(fake.count('pypi'), 4);
    assert.equal(sleeps.length, 3);
  });

  it('retries a dropped connection, then succeeds', async () => {
    fake.setFailures([{ route: 'pypi', mode: 'down', count: 1 }]);
    const { sleep } = recordingSleep();
    const res = await client({ sleep }).getJson(`${server.url}/pypi/demo/json`);
    assert.equal(res.status, 200);
    assert.equal(fake.count('pypi'), 2);
  });

  it('reports ECONNREFUSED when nothing listens', async () => {
    const url = server.url;
    await server.close();
    const { sleep } = recordingSleep();
    await assert.rejects(client({ sleep }).getJson(`${url}/pypi/demo/json`), (e: unknown) => e instanceof HttpError && e.code === 'ECONNREFUSED');
  });

  it('times out a hung request with a clear error and does not retry it', async () => {
    fake.setFailures([{ route: 'pypi', mode: 'hang' }]);
    const started = Date.now();
    await assert.rejects(client({ timeoutMs: 150 }).getJson(`${server.url}/pypi/demo/json`), (e: unknown) => {
      assert.ok(e instanceof HttpError);
      assert.equal(e.code, 'ETIMEDOUT');
      assert.match(e.message, /timed out after 150 ms/);
      return true;
    });
    assert.ok(Date.now() - started < 5000);
    assert.equal(fake.count('pypi'), 1);
  });

  it('rejects promptly with AbortError when aborted mid-flight, and never retries', async () => {
    fake.setFailures([{ route: 'pypi', mode: 'hang' }]);
    const ac = new AbortController();
    const started = Date.now();
    setTimeout(() => ac.abort(), 50);
    await assert.rejects(client({ timeoutMs: 10_000 }).getJson(`${server.url}/pypi/demo/json`, { signal: ac.signal }), { name: 'AbortError' });
    assert.ok(Date.now() - started < 3000);
    assert.equal(fake.count('pypi'), 1);
  });

  it('does not send at all when already aborted, and aborts a back-off wait', async () => {
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(client().postJson(`${server.url}/v1/querybatch`, { queries: [] }, { signal: ac.signal }), { name: 'AbortError' });
    assert.equal(fake.count(), 0);

    fake.setFailures([{ route: 'pypi', mode: '500' }]);
    const ac2 = new AbortController();
    const p = client({ baseDelayMs: 5_000 }).getJson(`${server.url}/pypi/demo/json`, { signal: ac2.signal });
    setTimeout(() => ac2.abort(), 100);
    const started = Date.now();
    await assert.rejects(p, { name: 'AbortError' });
    assert.ok(Date.now() - started < 3000);
    assert.equal(fake.count('pypi'), 1);
  });

  it('coalesces identical concurrent GETs; one caller aborting does not cancel the other', async () => {
    fake.options.latencyMs = 80;
    const http = client();
    const ac = new AbortController();
    const a = http.getJson(`${server.url}/pypi/demo/json`, { signal: ac.signal });
    const b = http.getJson(`${server.url}/pypi/demo/json`);
    const c = http.getJson(`${server.url}/pypi/demo/json`);
    ac.abort();
    await assert.rejects(a, { name: 'AbortError' });
    const [rb, rc] = await Promise.all([b, c]);
    assert.equal(rb.status, 200);
    assert.equal(rc.status, 200);
    assert.equal(fake.count('pypi'), 1);
    // All callers gone: the request is cancelled and a newcomer starts a fresh one.
    const ac2 = new AbortController();
    const d = http.getJson(`${server.url}/pypi/demo/json`, { signal: ac2.signal });
    // Abort once the server has the request (a fixed delay raced the connection set-up).
    while (fake.count('pypi') < 2) await new Promise((r) => setTimeout(r, 2));
    ac2.abort();
    await assert.rejects(d, { name: 'AbortError' });
    assert.equal((await http.getJson(`${server.url}/pypi/demo/json`)).status, 200);
    assert.equal(fake.count('pypi'), 3);
    // Once settled, the next GET goes out again.
    await http.getJson(`${server.url}/pypi/demo/json`);
    assert.equal(fake.count('pypi'), 4);
  });

  it('POSTs are never coalesced', async () => {
    const http = client();
    await Promise.all([1, 2].map(() => http.postJson(`${server.url}/v1/querybatch`, { queries: [] })));
    assert.equal(fake.count('osv-querybatch'), 2);
  });
});

describe('sources/http with an injected transport', () => {
  it('bounds concurrency and sends the User-Agent and JSON headers', async () => {
    let active = 0;
    let peak = 0;
    const seen: TransportRequest[] = [];
    const transport: Transport = async (req) => {
      seen.push(req);
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, 20));
      active--;
      return { status: 200, headers: {}, text: '{"ok":true}' };
    };
    const http = new HttpClient({ transport, concurrency: 3 });
    await Promise.all(Array.from({ length: 10 }, (_, i) => http.getJson(`http://127.0.0.1:1/x${i}`)));
    assert.equal(peak, 3);
    assert.equal(seen.length, 10);
    // The limit is per origin: two origins may have 3 each in flight.
    peak = 0;
    await Promise.all(Array.from({ length: 12 }, (_, i) => http.getJson(`http://127.0.0.${1 + (i % 2)}:1/y${i}`)));
    assert.equal(peak, 6);
    assert.equal(seen[0]?.headers['user-agent'], USER_AGENT);
    assert.match(USER_AGENT, /^ai-dependency-risk\/\d+\.\d+\.\d+ \(\+https:\/\/github\.com\/ai-dependency-risk\)$/);
    await http.postJson('http://127.0.0.1:1/p', { a: 1 });
    assert.equal(seen.at(-1)?.headers['content-type'], 'application/json');
    assert.equal(seen.at(-1)?.body, '{"a":1}');
  });

  it('follows redirects for GET (PyPI canonical names) and rejects invalid JSON in a 200', async () => {
    const transport: Transport = async (req) => {
      const headers: Record<string, string> = {};
      if (req.url.endsWith('/pypi/django/json')) return { status: 301, headers: { location: '/pypi/Django/json' }, text: '' };
      if (req.url.endsWith('/pypi/Django/json')) return { status: 200, headers, text: '{"info":{}}' };
      return { status: 200, headers, text: '<html>' };
    };
    const http = new HttpClient({ transport });
    const res = await http.getJson('http://127.0.0.1:1/pypi/django/json');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { info: {} });
    await assert.rejects(http.getJson('http://127.0.0.1:1/html'), (e: unknown) => e instanceof HttpError && e.code === 'EBADJSON');
  });
});

describe('sources/http helpers', () => {
  it('parses Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('3', now), 3000);
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', now), 10_000);
    assert.equal(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now), 0);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter(undefined, now), undefined);
  });

  it('chooses a proxy: explicit or env, never for loopback or NO_PROXY hosts', () => {
    const env = { HTTPS_PROXY: 'http://proxy:3128', HTTP_PROXY: 'http://plain:80', NO_PROXY: 'internal.example,.corp' };
    assert.equal(proxyFor('https://pypi.org/x', undefined, env), 'http://proxy:3128');
    assert.equal(proxyFor('http://pypi.org/x', undefined, env), 'http://plain:80');
    assert.equal(proxyFor('https://pypi.org/x', 'http://mine:1', env), 'http://mine:1');
    assert.equal(proxyFor('http://127.0.0.1:4000/x', 'http://mine:1', env), undefined);
    assert.equal(proxyFor('http://localhost:4000/x', undefined, env), undefined);
    assert.equal(proxyFor('https://internal.example/x', undefined, env), undefined);
    assert.equal(proxyFor('https://a.b.corp/x', undefined, env), undefined);
    assert.equal(proxyFor('https://notinternal.example/x', undefined, env), 'http://proxy:3128');
    assert.equal(proxyFor('https://pypi.org/x', undefined, {}), undefined);
    assert.equal(proxyFor('https://pypi.org/x', undefined, { https_proxy: 'http://lower:1' }), 'http://lower:1');
  });
});

describe('sources/http bounds: body caps and deadlines (real loopback server)', function () {
  this.timeout(20_000);
  let fake: FakeRegistry;
  let server: FakeServerHandle;
  const clients: HttpClient[] = [];
  const client = (opts: ConstructorParameters<typeof HttpClient>[0] = {}): HttpClient => {
    const c = new HttpClient({ random: () => 0, sleep: async () => {}, ...opts });
    clients.push(c);
    return c;
  };
  beforeEach(async () => {
    fake = new FakeRegistry({ pypi: { demo: pypiDocument('demo', Array.from({ length: 200 }, (_, i) => ({ version: `1.${i}` }))) } });
    server = await fake.start();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
    await server.close();
  });

  it('cuts off an endless body at the cap, once, without retrying', async () => {
    fake.setFailures([{ route: 'pypi', mode: 'oversized' }]);
    await assert.rejects(client().getJson(`${server.url}/pypi/demo/json`, { maxBytes: 2 * 1024 * 1024 }), (e: unknown) => {
      assert.ok(e instanceof HttpError);
      assert.equal(e.code, 'ETOOBIG');
      assert.match(e.message, /larger than 2 MB/);
      return true;
    });
    assert.equal(fake.count('pypi'), 1);
  });

  it('refuses a declared Content-Length over the cap, and accepts the same answer under a larger cap', async () => {
    const http = client();
    await assert.rejects(http.getJson(`${server.url}/pypi/demo/json`, { maxBytes: 1024 }), (e: unknown) => e instanceof HttpError && e.code === 'ETOOBIG');
    assert.equal((await http.getJson(`${server.url}/pypi/demo/json`, { maxBytes: 1024 * 1024 })).status, 200);
  });

  it('a body dripped one byte at a time ends at the request deadline, not after it', async () => {
    fake.setFailures([{ route: 'pypi', mode: 'drip', dripMs: 50 }]);
    await assert.rejects(client({ timeoutMs: 300 }).getJson(`${server.url}/pypi/demo/json`), (e: unknown) => e instanceof HttpError && e.code === 'ETIMEDOUT');
    assert.equal(fake.count('pypi'), 1);
  });

  it('malformed and truncated bodies are errors; a reset mid-body is a network error that is retried', async () => {
    fake.setFailures([{ route: 'pypi', mode: 'malformed' }]);
    await assert.rejects(client().getJson(`${server.url}/pypi/demo/json`), (e: unknown) => e instanceof HttpError && e.code === 'EBADJSON');
    fake.setFailures([{ route: 'pypi', mode: 'truncated' }]);
    await assert.rejects(client().getJson(`${server.url}/pypi/demo/json`), (e: unknown) => e instanceof HttpError);
    fake.setFailures([{ route: 'pypi', mode: 'reset', count: 1 }]);
    assert.equal((await client().getJson(`${server.url}/pypi/demo/json`)).status, 200);
  });

  it('redirect loops and endless redirect chains are errors after a few hops', async () => {
    fake.setFailures([{ route: 'pypi', mode: 'redirect-loop' }]);
    await assert.rejects(client().getJson(`${server.url}/pypi/demo/json`), (e: unknown) => e instanceof HttpError && e.code === 'EREDIRECTLOOP' && /redirect loop/.test(e.message));
    assert.equal(fake.count('pypi'), 2);
    fake.reset();
    fake.setFailures([{ route: 'pypi', mode: 'redirect-chain' }]);
    await assert.rejects(client().getJson(`${server.url}/pypi/demo/json`), (e: unknown) => e instanceof HttpError && e.code === 'EREDIRECTLOOP' && /more than 4 redirects/.test(e.message));
    assert.equal(fake.count('pypi'), 5);
  });

  it('never puts URL credentials or tokens into an error message', async () => {
    const url = server.url.replace('http://', 'http://alice:s3cr3t@');
    await server.close();
    await assert.rejects(client().getJson(`${url}/pypi/demo/json?token=abc123&x=1`), (e: unknown) => {
      assert.ok(e instanceof Error);
      assert.doesNotMatch(e.message, /s3cr3t|abc123/);
      assert.doesNotMatch((e as HttpError).url ?? '', /s3cr3t|abc123/);
      return true;
    });
  });
});

describe('sources/http redirect policy (injected transport)', () => {
  const answers = (map: Record<string, TransportResponseLike>): { transport: Transport; seen: string[] } => {
    const seen: string[] = [];
    const transport: Transport = async (req) => {
      seen.push(req.url);
      return map[req.url] ?? { status: 200, headers: {}, text: '{"ok":true}' };
    };
    return { transport, seen };
  };
  const to = (location: string): TransportResponseLike => ({ status: 301, headers: { location }, text: '' });
  const refused = (pattern: RegExp) => (e: unknown) => e instanceof HttpError && e.code === 'EREDIRECT' && pattern.test(e.message);

  it('refuses HTTPS to plain HTTP, even on the same host', async () => {
    const { transport, seen } = answers({ 'https://pypi.example/pypi/a/json': to('http://pypi.example/pypi/A/json') });
    await assert.rejects(new HttpClient({ transport }).getJson('https://pypi.example/pypi/a/json'), refused(/HTTPS to plain HTTP/));
    assert.deepEqual(seen, ['https://pypi.example/pypi/a/json']);
  });

  it('same-origin (OSV) refuses another host; https (registries) allows it over HTTPS only', async () => {
    const { transport, seen } = answers({
      'https://osv.example/v1/vulns/X': to('https://evil.example/v1/vulns/X'),
      'https://hub.example/api/models/a/b': to('https://cdn.example/api/models/a/b'),
      'http://127.0.0.1:1/api/models/a/b': to('http://127.0.0.2:1/api/models/a/b'),
    });
    const http = new HttpClient({ transport });
    await assert.rejects(http.getJson('https://osv.example/v1/vulns/X', { redirects: 'same-origin' }), refused(/another host \(evil\.example\)/));
    assert.equal((await http.getJson('https://hub.example/api/models/a/b')).status, 200);
    await assert.rejects(http.getJson('http://127.0.0.1:1/api/models/a/b'), refused(/another host over plain HTTP/));
    assert.ok(!seen.includes('https://evil.example/v1/vulns/X'));
    assert.ok(seen.includes('https://cdn.example/api/models/a/b'));
  });

  it('follows a same-origin redirect (PyPI canonical names), refuses credentials in Location and redirected POSTs', async () => {
    const { transport } = answers({
      'http://127.0.0.1:1/pypi/django/json': to('/pypi/Django/json'),
      'http://127.0.0.1:1/pypi/x/json': to('http://user:pw@127.0.0.1:1/pypi/X/json'),
      'http://127.0.0.1:1/v1/querybatch': { status: 307, headers: { location: '/v2/querybatch' }, text: '' },
    });
    const http = new HttpClient({ transport });
    assert.equal((await http.getJson('http://127.0.0.1:1/pypi/django/json')).status, 200);
    await assert.rejects(http.getJson('http://127.0.0.1:1/pypi/x/json'), (e: unknown) => refused(/credentials/)(e) && !/pw@/.test((e as Error).message));
    await assert.rejects(http.postJson('http://127.0.0.1:1/v1/querybatch', {}), refused(/redirect of a POST/));
  });
});

interface TransportResponseLike {
  status: number;
  headers: Record<string, string>;
  text: string;
}

describe('sources/http back-off shared per origin (injected transport and clock)', () => {
  /** A clock that moves only when a sleep is released by the test (or at once, with `auto`). */
  function timeline(auto = true) {
    let clock = 0;
    const sleeps: number[] = [];
    const pending: (() => void)[] = [];
    const sleep = (ms: number): Promise<void> => {
      sleeps.push(ms);
      if (auto) {
        clock += ms;
        return Promise.resolve();
      }
      return new Promise((resolve) => pending.push(resolve));
    };
    return {
      now: () => clock,
      sleep,
      sleeps,
      advance(ms: number) {
        clock += ms;
        for (const r of pending.splice(0)) r();
      },
      get waiting() {
        return pending.length;
      },
    };
  }
  /** Answers 429 with Retry-After while the clock is before `until`, then 200. */
  const limited = (t: { now(): number }, until: number, retryAfter: string, seen: string[]): Transport => async (req) => {
    seen.push(`${t.now()} ${req.url}`);
    const headers: Record<string, string> = t.now() < until ? { 'retry-after': retryAfter } : {};
    return { status: t.now() < until ? 429 : 200, headers, text: '{}' };
  };
  const tick = () => new Promise((r) => setImmediate(r));

  it('a Retry-After pauses the whole origin: a request started during the pause waits instead of hitting the limit', async () => {
    const t = timeline(false);
    const seen: string[] = [];
    const http = new HttpClient({ transport: limited(t, 2000, '2', seen), now: t.now, sleep: t.sleep, random: () => 0 });
    const a = http.getJson('https://osv.example/v1/querybatch-a');
    while (t.waiting < 1) await tick();
    const b = http.getJson('https://osv.example/v1/vulns/B'); // the "details" stage
    const c = http.getJson('https://pypi.example/pypi/c/json'); // another origin is not paused
    while (t.waiting < 3) await tick();
    // b did not go out during the pause; c, on another origin, did (and met its own limit).
    assert.deepEqual(seen, ['0 https://osv.example/v1/querybatch-a', '0 https://pypi.example/pypi/c/json']);
    assert.deepEqual(t.sleeps, [2000, 2000, 2000]);
    t.advance(2000);
    await Promise.all([a, b, c]);
    assert.deepEqual(seen.filter((s) => s.includes('osv.example')), ['0 https://osv.example/v1/querybatch-a', '2000 https://osv.example/v1/querybatch-a', '2000 https://osv.example/v1/vulns/B']);
  });

  it('honours Retry-After once per request, then closes the origin so later stages fail fast; a success reopens it', async () => {
    const t = timeline();
    const seen: string[] = [];
    let healthyFrom = Infinity;
    const transport: Transport = async (req) => {
      seen.push(req.url);
      const headers: Record<string, string> = t.now() < healthyFrom ? { 'retry-after': '2' } : {};
      return { status: t.now() < healthyFrom ? 429 : 200, headers, text: '{}' };
    };
    const http = new HttpClient({ transport, now: t.now, sleep: t.sleep, random: () => 0 });
    await assert.rejects(http.getJson('https://osv.example/a'), (e: unknown) => e instanceof HttpError && e.code === 'HTTP 429');
    assert.equal(seen.length, 2);
    assert.deepEqual(t.sleeps, [2000]);
    // Within the window the server asked for, the next stage does not even ask.
    await assert.rejects(http.getJson('https://osv.example/b'), (e: unknown) => e instanceof HttpError && e.code === 'HTTP 429' && /rate-limited/.test(e.message));
    assert.equal(seen.length, 2);
    healthyFrom = 0;
    t.advance(2500);
    assert.equal((await http.getJson('https://osv.example/c')).status, 200);
    assert.equal((await http.getJson('https://osv.example/d')).status, 200);
  });

  it('after a request exhausts its retries on 5xx, new requests to that origin try only once until it recovers', async () => {
    const t = timeline();
    let sent = 0;
    let status = 503;
    const transport: Transport = async () => {
      sent++;
      return { status, headers: {}, text: '' };
    };
    const http = new HttpClient({ transport, now: t.now, sleep: t.sleep, random: () => 0, baseDelayMs: 100 });
    await assert.rejects(http.getJson('https://pypi.example/a'));
    assert.equal(sent, 4);
    await assert.rejects(http.getJson('https://pypi.example/b'));
    assert.equal(sent, 5);
    status = 200;
    await http.getJson('https://pypi.example/c');
    status = 503;
    sent = 0;
    await assert.rejects(http.getJson('https://pypi.example/d'));
    assert.equal(sent, 4, 'the success reset the origin');
  });

  it('a time-out closes the origin for a moment: the next stage fails fast with the same code instead of waiting again', async () => {
    const t = timeline();
    let sent = 0;
    let hang = true;
    const transport: Transport = (req) => {
      sent++;
      if (!hang) return Promise.resolve({ status: 200, headers: {}, text: '{}' });
      return new Promise((_, reject) => req.signal.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' }))));
    };
    const http = new HttpClient({ transport, now: t.now, sleep: t.sleep, timeoutMs: 50, closeMs: 5000 });
    await assert.rejects(http.getJson('https://osv.example/a'), (e: unknown) => e instanceof HttpError && e.code === 'ETIMEDOUT');
    await assert.rejects(http.getJson('https://osv.example/b'), (e: unknown) => e instanceof HttpError && e.code === 'ETIMEDOUT' && /not sent/.test(e.message));
    assert.equal(sent, 1);
    hang = false;
    assert.equal((await http.getJson('https://pypi.example/c')).status, 200, 'other origins are not affected');
    t.advance(5000);
    assert.equal((await http.getJson('https://osv.example/d')).status, 200, 'the window passes');
  });

  it('caps the total retry time: a wait that would pass the budget is not started', async () => {
    const t = timeline();
    const seen: string[] = [];
    const http = new HttpClient({ transport: limited(t, Infinity, '8', seen), now: t.now, sleep: t.sleep, retryBudgetMs: 5000 });
    await assert.rejects(http.getJson('https://osv.example/a'), (e: unknown) => e instanceof HttpError && e.code === 'HTTP 429');
    assert.equal(seen.length, 1);
    assert.deepEqual(t.sleeps, []);
  });
});
