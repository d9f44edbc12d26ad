import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FakeRegistry, pypiDocument, type FakeServerHandle } from '../../support/fakeRegistry';
import { createSources, defaultCacheDir, type Sources } from '../../../server/src/sources/index';
import { DEFAULT_SETTINGS, type Settings } from '../../../server/src/settings';
import type { OsvRecord } from '../../../server/src/domain';

const RECORDS_DIR = path.join(__dirname, '../../fixtures/registry/osv-records');

const ONLINE_ONLY: OsvRecord = {
  id: 'GHSA-only-online',
  modified: '2025-01-01T00:00:00Z',
  affected: [{ package: { ecosystem: 'PyPI', name: 'requests' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.32.0' }] }] }],
};

describe('sources/index createSources', () => {
  let fake: FakeRegistry;
  let server: FakeServerHandle;
  let cacheDir: string;
  const opened: Sources[] = [];
  const settings = (over: Partial<Settings>): Settings => ({
    ...DEFAULT_SETTINGS,
    osvUrl: server.url,
    pypiUrl: server.url,
    npmUrl: server.url,
    hfUrl: server.url,
    requestTimeoutMs: 2000,
    ...over,
  });
  const open = async (s: Settings): Promise<Sources> => {
    const src = await createSources(s, { cacheDir });
    opened.push(src);
    return src;
  };

  beforeEach(async () => {
    cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aidr-sources-'));
    fake = new FakeRegistry({
      osvRecords: [ONLINE_ONLY],
      pypi: { requests: pypiDocument('requests', [{ version: '2.19.0' }, { version: '2.32.3' }]) },
      npm: { 'left-pad': { 'dist-tags': { latest: '1.3.0' }, versions: { '1.3.0': {} } } },
      hf: { 'org/m': { id: 'org/m', siblings: [] } },
    });
    server = await fake.start();
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.dispose()));
    await server.close();
    fs.rmSync(cacheDir, { recursive: true, force: true });
  });

  it('online: OSV merged with the offline DB (union by id), registries and models over HTTP', async () => {
    const src = await open(settings({ advisoryDb: [RECORDS_DIR] }));
    assert.deepEqual(src.offlineErrors, []);
    const a = await src.advisories.query([{ ecosystem: 'PyPI', name: 'requests', version: '2.19.0' }]);
    assert.deepEqual(a.results[0]?.map((r) => r.id).sort(), ['GHSA-only-online', 'PYSEC-2018-28', 'PYSEC-2023-74']);
    assert.equal(a.freshness.origin, 'network');
    assert.equal((await src.registry.pypi.metadata('PyPI', ['requests'])).packages.get('requests')?.latest, '2.32.3');
    assert.equal((await src.registry.npm.metadata('npm', ['left-pad'])).packages.get('left-pad')?.latest, '1.3.0');
    assert.ok((await src.models.models([{ id: 'org/m' }])).models.has('org/m'));
    assert.ok(fake.count() > 0);
  });

  it('offline: zero requests; advisories from the DB only; registries and models from a warm cache', async () => {
    const online = await open(settings({}));
    await online.registry.pypi.metadata('PyPI', ['requests']);
    await online.models.models([{ id: 'org/m' }]);
    await online.dispose();
    fake.reset();

    const src = await open(settings({ offline: true, advisoryDb: [RECORDS_DIR] }));
    assert.equal(src.http, undefined);
    const a = await src.advisories.query([{ ecosystem: 'PyPI', name: 'requests', version: '2.19.0' }]);
    assert.deepEqual(a.results[0]?.map((r) => r.id).sort(), ['PYSEC-2018-28', 'PYSEC-2023-74']);
    assert.equal(a.freshness.origin, 'offline-db');
    const p = await src.registry.pypi.metadata('PyPI', ['requests', 'numpy']);
    assert.equal(p.packages.get('requests')?.freshness.origin, 'cache', 'warm from disk after a restart');
    assert.equal(p.packages.has('numpy'), false);
    await src.registry.npm.metadata('npm', ['left-pad']);
    assert.ok((await src.models.models([{ id: 'org/m' }])).models.has('org/m'));
    assert.equal(fake.count(), 0);
  });

  it('offline without an advisory DB says vulnerabilities were not checked', async () => {
    const src = await open(settings({ offline: true }));
    const a = await src.advisories.query([{ ecosystem: 'PyPI', name: 'requests', version: '2.19.0' }]);
    assert.deepEqual(a.results, [[]]);
    assert.match(a.errors[0] ?? '', /not checked/);
    assert.equal(fake.count(), 0);
  });

  it('reports advisory DB paths that cannot be loaded, and keeps going', async () => {
    const src = await open(settings({ advisoryDb: [path.join(cacheDir, 'missing.zip')] }));
    assert.equal(src.offlineErrors.length, 1);
    const a = await src.advisories.query([{ ecosystem: 'PyPI', name: 'requests', version: '2.19.0' }]);
    assert.deepEqual(a.results[0]?.map((r) => r.id), ['GHSA-only-online']);
  });

  it('defaultCacheDir honours XDG_CACHE_HOME (absolute only)', () => {
    assert.equal(defaultCacheDir({ XDG_CACHE_HOME: '/x/cache' }), path.join('/x/cache', 'ai-dependency-risk'));
    assert.equal(defaultCacheDir({ XDG_CACHE_HOME: 'relative' }), path.join(os.homedir(), '.cache', 'ai-dependency-risk'));
    assert.equal(defaultCacheDir({}), path.join(os.homedir(), '.cache', 'ai-dependency-risk'));
  });
});
