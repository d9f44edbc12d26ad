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
    await new Promise((r) => setTimeout(r, 10));
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
