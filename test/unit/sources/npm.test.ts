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
});
