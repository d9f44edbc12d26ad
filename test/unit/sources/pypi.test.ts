import assert from 'node:assert/strict';
import { FakeRegistry, pypiDocument, type FakeServerHandle } from '../../support/fakeRegistry';
import { DiskCache } from '../../../server/src/sources/diskCache';
import { HttpClient } from '../../../server/src/sources/http';
import { parsePypiDocument, PypiClient } from '../../../server/src/sources/pypi';

const HOUR = 3_600_000;

describe('sources/pypi', () => {
  let fake: FakeRegistry;
  let server: FakeServerHandle;
  let clock: number;
  let http: HttpClient;
  let cache: DiskCache;
  const now = (): number => clock;
  const pypi = (cacheOnly = false): PypiClient => new PypiClient({ http, cache, pypiUrl: server.url, now, cacheOnly });

  beforeEach(async () => {
    clock = Date.parse('2026-01-01T00:00:00Z');
    fake = new FakeRegistry({
      pypi: {
        torch: pypiDocument(
          'torch',
          [
            { version: '2.0.0', uploadTime: '2023-03-15T00:00:00Z' },
            // One of two files yanked: the release is still installable.
            { version: '2.1.0', files: [{ yanked: true, uploadTime: '2023-10-04T10:00:00Z' }, { uploadTime: '2023-10-04T09:00:00Z' }] },
            { version: '2.1.1', yanked: true, yankedReason: 'broken wheels' },
          ],
          { version: '2.1.0', license_expression: 'BSD-3-Clause' },
        ),
        'no-files': { info: { version: '1.0', license: 'Apache 2.0\n\nFull text follows ... '.repeat(20) }, releases: { '0.9': [], '1.0': [{ upload_time_iso_8601: '2020-01-01T00:00:00Z', yanked: false }] } },
        classified: { info: { version: '1', license: '', classifiers: ['Programming Language :: Python', 'License :: OSI Approved :: MIT License'] }, releases: {} },
        broken: { hello: 'world' },
      },
    });
    server = await fake.start();
    http = new HttpClient({ now, sleep: async () => {}, timeoutMs: 10_000 });
    cache = new DiskCache({ ttlMs: 24 * HOUR, now });
  });
  afterEach(async () => {
    await http.dispose();
    await server.close();
  });

  it('reads releases: yanked only when every file is, earliest upload, latest from info.version', async () => {
    const a = await pypi().metadata('PyPI', ['torch']);
    assert.deepEqual(a.errors, []);
    const m = a.packages.get('torch');
    assert.ok(m);
    assert.equal(m.latest, '2.1.0');
    assert.equal(m.license, 'BSD-3-Clause');
    assert.equal(m.summary, 'torch package');
    assert.deepEqual(m.releases, [
      { version: '2.0.0', yanked: false, uploadTime: '2023-03-15T00:00:00Z' },
      { version: '2.1.0', yanked: false, uploadTime: '2023-10-04T09:00:00Z' },
      { version: '2.1.1', yanked: true, yankedReason: 'broken wheels', uploadTime: '2024-01-01T00:00:00.000000Z' },
    ]);
    assert.deepEqual(m.freshness, { fetchedAt: clock, stale: false, origin: 'network' });
  });

  it('drops releases without files, truncates pasted license texts, falls back to classifiers', async () => {
    const a = await pypi().metadata('PyPI', ['no-files', 'classified']);
    const nf = a.packages.get('no-files');
    assert.deepEqual(nf?.releases.map((r) => r.version), ['1.0']);
    assert.equal(nf?.license, 'Apache 2.0');
    assert.equal(a.packages.get('classified')?.license, 'MIT License');
  });

  it('404 means notFound; a malformed document is an error naming the problem, not a crash', async () => {
    const a = await pypi().metadata('PyPI', ['torch', 'no-such-package', 'broken']);
    assert.deepEqual([...a.notFound], ['no-such-package']);
    assert.deepEqual([...a.packages.keys()].sort(), ['torch']);
    assert.deepEqual(a.errors, [
      'PyPI: invalid answer for "broken" (info: expected object, got undefined)',
      'PyPI answered with an error (invalid answer); no cached data for 1 package',
    ]);
  });

  it('answers from cache while fresh (no request), refetches after the TTL', async () => {
    await pypi().metadata('PyPI', ['torch', 'ghost']);
    fake.reset();
    clock += 30 * 60_000;
    const a = await pypi().metadata('PyPI', ['torch', 'ghost']);
    assert.equal(fake.count(), 0);
    assert.equal(a.packages.get('torch')?.freshness.origin, 'cache');
    assert.ok(a.notFound.has('ghost'));
    clock += 2 * HOUR; // a 404 is believed for an hour only; metadata for the full TTL
    await pypi().metadata('PyPI', ['torch', 'ghost']);
    assert.deepEqual(fake.requests.map((r) => r.path), ['/pypi/ghost/json']);
  });

  it('uses stale data when PyPI is down, and reports what had no cache', async () => {
    await pypi().metadata('PyPI', ['torch']);
    clock += 30 * HOUR;
    fake.setFailures([{ route: 'pypi', mode: '500' }]);
    const a = await pypi().metadata('PyPI', ['torch', 'numpy', 'scipy']);
    assert.equal(a.packages.get('torch')?.freshness.stale, true);
    assert.equal(a.packages.get('torch')?.freshness.fetchedAt, Date.parse('2026-01-01T00:00:00Z'));
    assert.equal(a.packages.has('numpy'), false);
    assert.equal(a.notFound.size, 0, 'unknown is not the same as not found');
    assert.deepEqual(a.errors, [
      'PyPI unreachable (HTTP 500); using cached data from 30 h ago for 1 package',
      'PyPI unreachable (HTTP 500); no cached data for 2 packages',
    ]);
  });

  it('says "rate-limited" when 429 persists after honouring Retry-After once', async () => {
    fake.setFailures([{ route: 'pypi', mode: '429', retryAfter: '1' }]);
    const a = await pypi().metadata('PyPI', ['torch']);
    assert.deepEqual(a.errors, ['PyPI rate-limited us (HTTP 429); no cached data for 1 package']);
    assert.equal(fake.count('pypi'), 2, 'one try, one retry after the Retry-After, then stop');
  });

  it('cache-only mode never sends a request', async () => {
    await pypi().metadata('PyPI', ['torch']);
    fake.reset();
    clock += 100 * HOUR;
    const a = await pypi(true).metadata('PyPI', ['torch', 'numpy']);
    assert.equal(fake.count(), 0);
    assert.equal(a.packages.get('torch')?.latest, '2.1.0');
    assert.equal(a.packages.get('torch')?.freshness.stale, true);
    assert.equal(a.packages.has('numpy'), false);
    assert.deepEqual(a.errors, []);
  });

  it('fetches many names with bounded concurrency and one request per distinct name', async () => {
    const names = Array.from({ length: 40 }, (_, i) => `pkg${i}`);
    const a = await pypi().metadata('PyPI', [...names, ...names]);
    assert.equal(a.notFound.size, 40);
    assert.equal(fake.count('pypi'), 40);
  });

  it('refuses another ecosystem politely', async () => {
    const a = await pypi().metadata('npm', ['left-pad']);
    assert.equal(a.packages.size, 0);
    assert.match(a.errors[0] ?? '', /npm package/);
    assert.equal(fake.count(), 0);
  });

  it('parsePypiDocument refuses wrong types in the fields it reads, and names the first one', () => {
    const bad = (doc: unknown): string => {
      const r = parsePypiDocument('x', doc);
      assert.equal(r.kind, 'error');
      return r.kind === 'error' ? r.message : '';
    };
    assert.match(bad({ info: { version: 1 }, releases: {} }), /info\.version: expected string, got number/);
    assert.match(bad({ info: {}, releases: { '1.0': 'nope' } }), /releases\["1\.0"\]: expected array, got string/);
    assert.match(bad({ info: {}, releases: { '2.0': [{ yanked: 'no' }] } }), /releases\["2\.0"\]\[0\]\.yanked: expected boolean, got string/);
    assert.match(bad({ info: {}, releases: { '2.0': [null] } }), /expected object, got null/);
    assert.match(bad({ info: { classifiers: 'MIT' }, releases: {} }), /info\.classifiers: expected array/);
    assert.match(bad([]), /\(root\)|info/);
  });

  it('parsePypiDocument accepts the nulls PyPI really sends, and ignores fields it does not read', () => {
    const r = parsePypiDocument('x', {
      info: { version: '2.0', license: 'UNKNOWN', license_expression: null, summary: null, home_page: null, project_urls: null, requires_dist: 42 },
      releases: { '1.0': [], '2.0': [{ yanked: true, yanked_reason: null, upload_time_iso_8601: '2020-01-01T00:00:00Z', size: 'big' }, { yanked: false, upload_time: '2020-01-02T00:00:00' }] },
      vulnerabilities: 'whatever',
    });
    assert.equal(r.kind, 'ok');
    if (r.kind !== 'ok') return;
    assert.equal(r.value.latest, '2.0');
    assert.equal(r.value.license, undefined);
    assert.deepEqual(r.value.releases, [{ version: '2.0', yanked: false, uploadTime: '2020-01-01T00:00:00Z' }]);
  });
});
