import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FakeRegistry, type FakeServerHandle } from '../../support/fakeRegistry';
import { DiskCache } from '../../../server/src/sources/diskCache';
import { HttpClient, type Transport } from '../../../server/src/sources/http';
import { OsvClient } from '../../../server/src/sources/osv';
import type { OsvRecord, PackageQuery } from '../../../server/src/domain';

const FIXTURES = path.join(__dirname, '../../fixtures/registry');
const realRecords = ['PYSEC-2018-28.json', 'PYSEC-2023-74.json'].map(
  (f) => JSON.parse(fs.readFileSync(path.join(FIXTURES, 'osv-records', f), 'utf8')) as OsvRecord,
);

function rec(id: string, name: string, introduced: string, fixed: string, extra: Partial<OsvRecord> = {}): OsvRecord {
  return {
    id,
    modified: '2024-01-01T00:00:00Z',
    affected: [{ package: { ecosystem: 'PyPI', name }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced }, { fixed }] }] }],
    ...extra,
  };
}

const HOUR = 3_600_000;

describe('sources/osv', () => {
  let fake: FakeRegistry;
  let server: FakeServerHandle;
  let clock: number;
  let http: HttpClient;
  let cache: DiskCache;
  const now = (): number => clock;
  const osv = (): OsvClient => new OsvClient({ http, cache, osvUrl: server.url, now });

  beforeEach(async () => {
    clock = Date.parse('2026-01-01T00:00:00Z');
    fake = new FakeRegistry({
      osvRecords: [
        ...realRecords,
        rec('GHSA-aaaa', 'torch', '0', '2.6.0'),
        rec('GHSA-bbbb', 'torch', '1.0', '2.0'),
        rec('GHSA-cccc', 'torch', '0', '3.0'),
        rec('GHSA-gone', 'torch', '0', '9.0', { withdrawn: '2024-02-01T00:00:00Z' }),
      ],
    });
    server = await fake.start();
    // Generous: a cold first request (module loading on both ends) can take a few hundred ms.
    http = new HttpClient({ now, sleep: async () => {}, timeoutMs: 1500 });
    cache = new DiskCache({ ttlMs: 24 * HOUR, now });
  });
  afterEach(async () => {
    await http.dispose();
    await server.close();
  });

  it('returns full records per query, in order, using the real range logic of the fake', async () => {
    const qs: PackageQuery[] = [
      { ecosystem: 'PyPI', name: 'requests', version: '2.19.0' },
      { ecosystem: 'PyPI', name: 'requests', version: '2.31.0' },
      { ecosystem: 'PyPI', name: 'torch', version: '1.5' },
      { ecosystem: 'PyPI', name: 'unknown-pkg', version: '1.0' },
    ];
    const a = await osv().query(qs);
    assert.deepEqual(a.errors, []);
    assert.deepEqual(a.results.map((r) => r.map((x) => x.id).sort()), [
      ['PYSEC-2018-28', 'PYSEC-2023-74'],
      [],
      ['GHSA-aaaa', 'GHSA-bbbb', 'GHSA-cccc'],
      [],
    ]);
    assert.ok(a.results[0]?.[0]?.affected?.length, 'details were fetched');
    assert.equal(a.freshness.origin, 'network');
    assert.equal(a.freshness.stale, false);
    assert.equal(fake.count('osv-querybatch'), 1);
  });

  it('skips withdrawn records, and asks for a package without version', async () => {
    const a = await osv().query([{ ecosystem: 'PyPI', name: 'torch' }]);
    assert.deepEqual(a.results[0]?.map((r) => r.id).sort(), ['GHSA-aaaa', 'GHSA-bbbb', 'GHSA-cccc']);
    const sent = fake.requests.find((r) => r.route === 'osv-vulns' && r.path.includes('GHSA-gone'));
    assert.ok(sent, 'the withdrawn record was looked at and then dropped');
  });

  it('splits 2,500 queries into 3 querybatch calls of at most 1,000, sent concurrently', async () => {
    fake.options.latencyMs = 200;
    const qs: PackageQuery[] = Array.from({ length: 2500 }, (_, i) => ({ ecosystem: 'PyPI', name: `pkg-${i}`, version: '1.0' }));
    qs[1234] = { ecosystem: 'PyPI', name: 'torch', version: '2.5' };
    const started = Date.now();
    // 200 ms of latency against the suite's 300 ms deadline raced on a cold connection.
    const patient = new HttpClient({ now, sleep: async () => {}, timeoutMs: 10_000 });
    const a = await new OsvClient({ http: patient, cache, osvUrl: server.url, now }).query(qs);
    await patient.dispose();
    assert.ok(fake.peakInFlight >= 3, 'chunks overlap on the server');
    const calls = fake.requests.filter((r) => r.route === 'osv-querybatch').map((r) => r.queries);
    assert.deepEqual(calls.sort(), [1000, 1000, 500].sort());
    // Concurrency is shown by peakInFlight above; wall time is left to the benchmark (no timed tests).
    void started;
    assert.equal(a.results.length, 2500);
    assert.deepEqual(a.results[1234]?.map((r) => r.id).sort(), ['GHSA-aaaa', 'GHSA-cccc']);
    assert.deepEqual(a.results[0], []);
  });

  it('follows next_page_token per query', async () => {
    fake.options.pageSize = 1;
    const a = await osv().query([
      { ecosystem: 'PyPI', name: 'torch', version: '1.5' },
      { ecosystem: 'PyPI', name: 'requests', version: '2.31.0' },
    ]);
    assert.deepEqual(a.results[0]?.map((r) => r.id).sort(), ['GHSA-aaaa', 'GHSA-bbbb', 'GHSA-cccc']);
    assert.deepEqual(a.results[1], []);
    assert.equal(fake.count('osv-querybatch'), 3);
    const calls = fake.requests.filter((r) => r.route === 'osv-querybatch').map((r) => r.queries);
    assert.deepEqual(calls, [2, 1, 1], 'only the query with more pages is asked again');
  });

  it('caches details by id+modified: a second run costs no vuln GETs, a changed record is refetched', async () => {
    const q: PackageQuery[] = [{ ecosystem: 'PyPI', name: 'torch', version: '1.5' }, { ecosystem: 'PyPI', name: 'torch', version: '1.6' }];
    await osv().query(q);
    assert.equal(fake.count('osv-vulns'), 3, 'each id fetched once even when several queries share it');
    clock += 25 * HOUR; // querybatch answers expire; details do not depend on the clock
    fake.reset();
    await osv().query(q);
    assert.equal(fake.count('osv-querybatch'), 1);
    assert.equal(fake.count('osv-vulns'), 0);

    const records = fake.options.osvRecords ?? [];
    const changed = records.find((r) => r.id === 'GHSA-bbbb');
    assert.ok(changed);
    changed.modified = '2025-06-01T00:00:00Z';
    changed.summary = 'updated';
    clock += 25 * HOUR;
    fake.reset();
    const a = await osv().query(q);
    assert.deepEqual(fake.requests.filter((r) => r.route === 'osv-vulns').map((r) => r.path), ['/v1/vulns/GHSA-bbbb']);
    assert.equal(a.results[0]?.find((r) => r.id === 'GHSA-bbbb')?.summary, 'updated');
  });

  it('fresh querybatch answers come from the cache with no request at all', async () => {
    const q: PackageQuery[] = [{ ecosystem: 'PyPI', name: 'torch', version: '1.5' }];
    await osv().query(q);
    fake.reset();
    clock += HOUR;
    const a = await osv().query(q);
    assert.equal(fake.count(), 0);
    assert.equal(a.freshness.origin, 'cache');
    assert.equal(a.freshness.stale, false);
    assert.equal(a.results[0]?.length, 3);
  });

  it('when OSV is down, uses stale cache, flags it, and says how old it is', async () => {
    const q: PackageQuery[] = [{ ecosystem: 'PyPI', name: 'torch', version: '1.5' }];
    const fetchedAt = clock;
    await osv().query(q);
    clock += 27 * HOUR;
    fake.setFailures([{ route: '*', mode: 'down' }]);
    const a = await osv().query([...q, { ecosystem: 'PyPI', name: 'never-seen', version: '1' }]);
    assert.equal(a.freshness.stale, true);
    assert.equal(a.freshness.fetchedAt, fetchedAt);
    assert.equal(a.results[0]?.length, 3);
    assert.deepEqual(a.results[1], []);
    assert.equal(a.errors.length, 2);
    assert.match(a.errors[0] ?? '', /^OSV unreachable \(ECONNRESET\); using cached data from 27 h ago/);
    assert.match(a.errors[1] ?? '', /^OSV unreachable \(ECONNRESET\); no cached data for 1 package$/);
  });

  it('with no cache and the server gone, answers empty with a clear message (ECONNREFUSED)', async () => {
    await server.close();
    const qs: PackageQuery[] = Array.from({ length: 12 }, (_, i) => ({ ecosystem: 'PyPI', name: `p${i}`, version: '1' }));
    const a = await osv().query(qs);
    assert.equal(a.results.length, 12);
    assert.ok(a.results.every((r) => r.length === 0));
    assert.deepEqual(a.errors, ['OSV unreachable (ECONNREFUSED); no cached data for 12 packages']);
  });

  it('a hanging OSV times out into an error message, not a crash', async () => {
    fake.setFailures([{ route: 'osv-querybatch', mode: 'hang' }]);
    const a = await osv().query([{ ecosystem: 'PyPI', name: 'torch', version: '1.5' }]);
    assert.deepEqual(a.results, [[]]);
    assert.match(a.errors[0] ?? '', /OSV unreachable \(ETIMEDOUT\); no cached data for 1 package/);
  });

  it('an error answer (HTTP 400) is reported as such, not as unreachable', async () => {
    const qs: PackageQuery[] = Array.from({ length: 1001 }, (_, i) => ({ ecosystem: 'PyPI', name: `p${i}`, version: '1' }));
    const a = await new OsvClient({ http, cache, osvUrl: server.url, now, maxBatch: 2000 }).query(qs);
    assert.deepEqual(a.errors, ['OSV answered with an error (HTTP 400); no cached data for 1001 packages']);
    assert.equal(fake.count('osv-querybatch'), 1, '4xx is not retried');
  });

  it('keeps the advisory id when its details cannot be fetched', async () => {
    fake.setFailures([{ route: 'osv-vulns', mode: '500' }]);
    const a = await osv().query([{ ecosystem: 'PyPI', name: 'torch', version: '2.5' }]);
    assert.deepEqual(a.results[0]?.map((r) => r.id).sort(), ['GHSA-aaaa', 'GHSA-cccc']);
    assert.match(a.errors.join('\n'), /details unavailable \(HTTP 500\) for 2 advisories/);
  });

  it('refuses a querybatch answer with wrong types: stale data is used and labelled, the cache keeps the good answer', async () => {
    const q: PackageQuery[] = [{ ecosystem: 'PyPI', name: 'torch', version: '1.5' }];
    await osv().query(q);
    const before = cache.get('osv:q:PyPI:torch:1.5');
    clock += 30 * HOUR;
    fake.setFailures([{ route: 'osv-querybatch', mode: 'wrong-types' }]);
    const a = await osv().query(q);
    assert.deepEqual(a.results[0]?.map((r) => r.id).sort(), ['GHSA-aaaa', 'GHSA-bbbb', 'GHSA-cccc'], 'the pin is not reported clean');
    assert.equal(a.freshness.stale, true);
    assert.deepEqual(a.errors, [
      'OSV querybatch: invalid answer (results[0].vulns: expected array, got string)',
      'OSV answered with an error (invalid answer); using cached data from 30 h ago for 1 package',
    ]);
    const after = cache.get('osv:q:PyPI:torch:1.5');
    assert.deepEqual(after, { ...before, expired: true }, 'the cache entry was not replaced');
    assert.equal(fake.count('osv-querybatch'), 2, 'an invalid answer is not retried');
  });

  it('refuses a querybatch answer with the wrong number of results', async () => {
    const transport: Transport = async () => ({ status: 200, headers: {}, text: JSON.stringify({ results: [] }) });
    const a = await new OsvClient({ http: new HttpClient({ transport }), cache, osvUrl: 'https://osv.invalid', now }).query([{ ecosystem: 'PyPI', name: 'torch', version: '1.5' }]);
    assert.deepEqual(a.results, [[]]);
    assert.match(a.errors[0] ?? '', /results: 0 results for 1 queries/);
    assert.equal(cache.get('osv:q:PyPI:torch:1.5'), undefined);
  });

  it('refuses an advisory with a number for a version: the id is kept, nothing is cached, an older good copy is used and labelled', async () => {
    const q: PackageQuery[] = [{ ecosystem: 'PyPI', name: 'torch', version: '2.5' }];
    fake.setFailures([{ route: 'osv-vulns', mode: 'wrong-types' }]);
    const a = await osv().query(q);
    assert.deepEqual(a.results[0]?.map((r) => r.id).sort(), ['GHSA-aaaa', 'GHSA-cccc'], 'a critical advisory is not lost');
    assert.ok(a.results[0]?.every((r) => /Details unavailable/.test(r.summary ?? '') && !r.affected));
    assert.match(a.errors.join('\n'), /OSV: invalid answer for advisory GHSA-(aaaa|cccc) \(affected\[0\]\.ranges\[0\]\.events\[1\]\.fixed: expected string, got number\)/);
    assert.match(a.errors.join('\n'), /details unavailable \(invalid answer\) for 2 advisories/);
    assert.equal(cache.get('osv:vuln:GHSA-aaaa'), undefined);

    // With a good copy cached and the record since modified, a bad answer leaves the good copy in use.
    fake.setFailures([]);
    await osv().query(q);
    const rec = (fake.options.osvRecords ?? []).find((r) => r.id === 'GHSA-aaaa');
    assert.ok(rec);
    rec.modified = '2025-06-01T00:00:00Z';
    clock += 30 * HOUR;
    fake.setFailures([{ route: 'osv-vulns', mode: 'wrong-types' }]);
    const b = await osv().query(q);
    const kept = b.results[0]?.find((r) => r.id === 'GHSA-aaaa');
    assert.equal(kept?.modified, '2024-01-01T00:00:00Z');
    assert.ok(kept?.affected?.length);
    assert.equal(b.freshness.stale, true);
    assert.match(b.errors.join('\n'), /OSV answered with an error \(invalid answer\); using cached data from 30 h ago for 1 advisory/);
  });

  it('ignores cached values that are not what we store (old, foreign or tampered files) and asks again', async () => {
    cache.set('osv:q:PyPI:torch:1.5', 'GHSA-evil');
    cache.set('osv:vuln:GHSA-aaaa', { id: 'GHSA-aaaa', modified: '2024-01-01T00:00:00Z', affected: [{ versions: [1] }] });
    const a = await osv().query([{ ecosystem: 'PyPI', name: 'torch', version: '1.5' }]);
    assert.equal(fake.count('osv-querybatch'), 1);
    assert.ok(fake.requests.some((r) => r.path === '/v1/vulns/GHSA-aaaa'));
    assert.ok(a.results[0]?.find((r) => r.id === 'GHSA-aaaa')?.affected?.[0]?.ranges);
  });

  it('keeps only the record fields it uses, clipped, and a database severity only when it is a string', async () => {
    const long = 'x'.repeat(50_000);
    const transport: Transport = async (req) => {
      if (req.method === 'POST') return { status: 200, headers: {}, text: JSON.stringify({ results: [{ vulns: [{ id: 'GHSA-big', modified: 'm' }] }] }) };
      return { status: 200, headers: {}, text: JSON.stringify({ id: 'GHSA-big', modified: 'm', summary: long, details: long, schema_version: '1.6.0', huge_extra: [long, long], database_specific: { severity: 7, cwe_ids: ['CWE-1'] } }) };
    };
    const a = await new OsvClient({ http: new HttpClient({ transport }), cache, osvUrl: 'https://osv.invalid', now }).query([{ ecosystem: 'PyPI', name: 'x', version: '1' }]);
    const r = a.results[0]?.[0] as unknown as Record<string, unknown>;
    assert.equal(r.huge_extra, undefined);
    assert.equal((r.summary as string).length, 500);
    assert.equal((r.details as string).length, 16_000);
    assert.deepEqual(r.database_specific, { cwe_ids: ['CWE-1'] });
  });

  it('refuses to follow OSV to another host', async () => {
    const transport: Transport = async (req) => {
      const moved: Record<string, string> = { location: 'https://elsewhere.invalid/v1/querybatch' };
      return req.url.startsWith('https://osv.invalid') ? { status: 307, headers: moved, text: '' } : { status: 200, headers: {}, text: '{"results":[{}]}' };
    };
    const seen: string[] = [];
    const spy: Transport = async (req) => (seen.push(req.url), transport(req));
    const client = new OsvClient({ http: new HttpClient({ transport: spy }), cache, osvUrl: 'https://osv.invalid', now });
    const a = await client.query([{ ecosystem: 'PyPI', name: 'x', version: '1' }]);
    assert.match(a.errors[0] ?? '', /OSV answered with an error \(EREDIRECT\)/);
    assert.ok(!seen.some((u) => u.includes('elsewhere')));
  });

  it('an abort mid-flight rejects with AbortError', async () => {
    fake.options.latencyMs = 500;
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 30);
    await assert.rejects(osv().query([{ ecosystem: 'PyPI', name: 'torch', version: '1.5' }], ac.signal), { name: 'AbortError' });
  });

  it('cache-only mode answers from cache (even expired) and sends nothing', async () => {
    const q: PackageQuery[] = [{ ecosystem: 'PyPI', name: 'torch', version: '1.5' }];
    await osv().query(q);
    fake.reset();
    clock += 100 * HOUR;
    const a = await new OsvClient({ http, cache, osvUrl: server.url, now, cacheOnly: true }).query([...q, { ecosystem: 'PyPI', name: 'x', version: '1' }]);
    assert.equal(fake.count(), 0);
    assert.equal(a.results[0]?.length, 3);
    assert.deepEqual(a.results[1], []);
    assert.equal(a.freshness.stale, true);
  });
});

describe('sources/osv against a recorded api.osv.dev answer', () => {
  it('parses a real querybatch response ({} for no vulns) and fetches each id once', async () => {
    const recorded = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'osv-querybatch-pypi.json'), 'utf8')) as {
      request: { queries: unknown[] };
      response: unknown;
    };
    const bodies: unknown[] = [];
    const gets: string[] = [];
    const transport: Transport = async (req) => {
      if (req.method === 'POST') {
        bodies.push(JSON.parse(req.body ?? 'null'));
        return { status: 200, headers: {}, text: JSON.stringify(recorded.response) };
      }
      const id = req.url.split('/').pop() ?? '';
      gets.push(id);
      return { status: 200, headers: {}, text: JSON.stringify({ id, modified: '2026-07-07T17:56:36.712428Z' }) };
    };
    const client = new OsvClient({ http: new HttpClient({ transport }), cache: new DiskCache({ ttlMs: HOUR }), osvUrl: 'https://osv.invalid' });
    const a = await client.query([
      { ecosystem: 'PyPI', name: 'emoji', version: '2.14.0' },
      { ecosystem: 'PyPI', name: 'protobuf', version: '4.25.5' },
    ]);
    assert.deepEqual(bodies[0], recorded.request, 'the request body matches what the real API was sent');
    assert.deepEqual(a.results[0], []);
    assert.deepEqual(a.results[1]?.map((r) => r.id), ['GHSA-7gcm-g887-7qv7', 'GHSA-8qvm-5x2c-j2w7', 'PYSEC-2026-1805', 'PYSEC-2026-1806']);
    assert.equal(gets.length, 4);
  });
});
