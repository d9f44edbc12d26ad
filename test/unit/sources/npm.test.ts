import assert from 'node:assert/strict';
import { FakeRegistry, type FakeServerHandle } from '../../support/fakeRegistry';
import { DiskCache } from '../../../server/src/sources/diskCache';
import { HttpClient } from '../../../server/src/sources/http';
import { NpmClient, npmPath } from '../../../server/src/sources/npm';

describe('sources/npm', () => {
  let fake: FakeRegistry;
  let server: FakeServerHandle;
  let http: HttpClient;

  beforeEach(async () => {
    fake = new FakeRegistry({
      npm: {
        '@scope/pkg': {
          name: '@scope/pkg',
          description: 'scoped',
          'dist-tags': { latest: '2.0.0' },
          versions: {
            '1.0.0': { license: 'ISC' },
            '2.0.0': { license: { type: 'MIT' }, deprecated: 'use other-pkg' },
          },
          time: { created: '2020-01-01T00:00:00Z', '1.0.0': '2020-01-01T00:00:00Z', '2.0.0': '2021-01-01T00:00:00Z' },
        },
        plain: { name: 'plain', 'dist-tags': { latest: '1.0.0' }, versions: { '1.0.0': {} }, license: 'Apache-2.0' },
      },
    });
    server = await fake.start();
    http = new HttpClient({ sleep: async () => {} });
  });
  afterEach(async () => {
    await http.dispose();
    await server.close();
  });

  it('encodes scoped names as @scope%2fname', () => {
    assert.equal(npmPath('@scope/pkg'), '@scope%2fpkg');
    assert.equal(npmPath('left-pad'), 'left-pad');
    assert.equal(npmPath('@a/b/c'), '@a%2fb%2Fc');
  });

  it('reads versions, publish times, latest, license and the latest deprecation', async () => {
    const a = await new NpmClient({ http, cache: new DiskCache({ ttlMs: 1000 }), npmUrl: server.url }).metadata('npm', ['@scope/pkg', 'plain', 'missing']);
    assert.deepEqual(fake.requests.map((r) => r.path).sort(), ['/@scope%2fpkg', '/missing', '/plain']);
    const m = a.packages.get('@scope/pkg');
    assert.ok(m);
    assert.equal(m.latest, '2.0.0');
    assert.equal(m.license, 'MIT');
    assert.equal(m.deprecated, 'use other-pkg');
    assert.equal(m.summary, 'scoped');
    assert.deepEqual(m.releases, [
      { version: '1.0.0', yanked: false, uploadTime: '2020-01-01T00:00:00Z' },
      { version: '2.0.0', yanked: false, uploadTime: '2021-01-01T00:00:00Z' },
    ]);
    const plain = a.packages.get('plain');
    assert.equal(plain?.license, 'Apache-2.0');
    assert.equal(plain?.deprecated, undefined);
    assert.deepEqual([...a.notFound], ['missing']);
    assert.deepEqual(a.errors, []);
  });

  it('refuses a packument with wrong types in what it reads, names the problem, and caches nothing', async () => {
    fake.options.npm = {
      ...fake.options.npm,
      'as-array': { name: 'as-array', versions: ['1.0.0'], 'dist-tags': { latest: '1.0.0' } },
      'bad-latest': { name: 'bad-latest', 'dist-tags': { latest: '2.0.0' }, versions: { '2.0.0': { deprecated: 7 } } },
      'odd-history': { name: 'odd-history', 'dist-tags': { latest: '2.0.0' }, versions: { '0.0.1': { license: 5, deprecated: [] }, '2.0.0': { license: 'MIT' } } },
    };
    const cache = new DiskCache({ ttlMs: 1000 });
    const a = await new NpmClient({ http, cache, npmUrl: server.url }).metadata('npm', ['as-array', 'bad-latest', 'odd-history']);
    assert.deepEqual([...a.packages.keys()], ['odd-history'], 'old versions are not read, so their oddities do not matter');
    assert.deepEqual(a.errors, [
      'npm registry: invalid answer for "as-array" (versions: expected object, got array)',
      'npm registry: invalid answer for "bad-latest" (versions["2.0.0"].deprecated: expected string or boolean, got number)',
      'npm registry answered with an error (invalid answer); no cached data for 2 packages',
    ]);
    assert.equal(cache.get('npm:as-array'), undefined);
    assert.equal(cache.get('npm:bad-latest'), undefined);
  });
});
