import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { OfflineAdvisoryIndex } from '../../../server/src/sources/osvOffline';
import { OSV_FIXTURES } from '../versions/osvFixtures';

describe('OfflineAdvisoryIndex', () => {
  let tmp: string;
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'aidr-osv-'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('loads a folder of records recursively and answers queries', async () => {
    const { index, errors } = await OfflineAdvisoryIndex.load([OSV_FIXTURES]);
    assert.deepEqual(errors, []);
    // 28 fixture records, one withdrawn.
    assert.equal(index.size, 27);
    const answer = await index.query([
      { ecosystem: 'PyPI', name: 'torch' },
      { ecosystem: 'PyPI', name: 'torch', version: '1.12.0' },
      { ecosystem: 'PyPI', name: 'torch', version: '2.4.0+cu121' },
      { ecosystem: 'PyPI', name: 'torch', version: '2.6.0' },
      { ecosystem: 'PyPI', name: 'Pillow', version: '9.0.0' },
      { ecosystem: 'PyPI', name: 'arrayfire' },
      { ecosystem: 'npm', name: 'left-pad-ish', version: '2.0.1' },
      { ecosystem: 'PyPI', name: 'left-pad-ish' },
      { ecosystem: 'PyPI', name: 'no-such-package', version: '1.0' },
    ]);
    const ids = answer.results.map((rs) => rs.map((r) => r.id).sort());
    assert.deepEqual(ids[0], ['PYSEC-2022-43015', 'TEST-LOCAL-1']);
    assert.deepEqual(ids[1], ['PYSEC-2022-43015']);
    assert.deepEqual(ids[2], ['TEST-LOCAL-1']);
    assert.deepEqual(ids[3], []);
    assert.deepEqual(ids[4], ['PYSEC-2022-42979', 'PYSEC-2023-175', 'TEST-PILLOW-1']);
    assert.deepEqual(ids[5], [], 'withdrawn records are skipped');
    assert.deepEqual(ids[6], ['TEST-NPM-1']);
    assert.deepEqual(ids[7], []);
    assert.deepEqual(ids[8], []);
    assert.equal(answer.freshness.origin, 'offline-db');
    assert.equal(answer.freshness.stale, false);
    assert.deepEqual(answer.errors, []);
  });

  it('indexes every package of a multi-package record under its normalised name', async () => {
    const { index } = await OfflineAdvisoryIndex.load([join(OSV_FIXTURES, 'synthetic')]);
    assert.deepEqual(index.recordsFor('PyPI', 'SOME.other_pkg').map((r) => r.id), ['TEST-CVSS4-1']);
    assert.deepEqual(index.recordsFor('PyPI', 'transformers').map((r) => r.id), ['TEST-CVSS4-1']);
  });

  it('loads an OSV export zip built in the test, and reports malformed entries without dropping the rest', async () => {
    const torch = readFileSync(join(OSV_FIXTURES, 'pypa', 'PYSEC-2022-43015.json'));
    const zip = zipSync({
      'PYSEC-2022-43015.json': torch,
      'broken.json': strToU8('{"id": "BROKEN", '),
      'noid.json': strToU8('{"affected": []}'),
      'README.txt': strToU8('not json, ignored'),
    });
    const path = join(tmp, 'all.zip');
    writeFileSync(path, zip);
    const mtime = new Date('2024-10-10T00:00:00Z');
    utimesSync(path, mtime, mtime);
    const { index, errors } = await OfflineAdvisoryIndex.load([path]);
    assert.equal(index.size, 1);
    assert.equal(errors.length, 2);
    assert.ok(errors.some((e) => e.includes('broken.json') && e.includes('invalid JSON')));
    assert.ok(errors.some((e) => e.includes('noid.json')));
    const answer = await index.query([{ ecosystem: 'PyPI', name: 'torch', version: '1.0.0' }]);
    assert.deepEqual(answer.results[0]!.map((r) => r.id), ['PYSEC-2022-43015']);
    assert.equal(answer.freshness.fetchedAt, mtime.getTime());
  });

  it('loads single files, keeps the newest revision of a duplicated id, and reports missing paths', async () => {
    const dir = join(tmp, 'dups');
    mkdirSync(dir);
    const base = { id: 'DUP-1', affected: [{ package: { ecosystem: 'PyPI', name: 'dup' }, versions: ['1.0'] }] };
    writeFileSync(join(dir, 'old.json'), JSON.stringify({ ...base, modified: '2020-01-01T00:00:00Z' }));
    writeFileSync(join(dir, 'new.json'), JSON.stringify({ ...base, modified: '2024-01-01T00:00:00Z', affected: [{ package: { ecosystem: 'PyPI', name: 'dup' }, versions: ['2.0'] }] }));
    const { index, errors } = await OfflineAdvisoryIndex.load([join(dir, 'old.json'), join(dir, 'new.json'), join(tmp, 'missing.zip')]);
    assert.equal(errors.length, 1);
    assert.match(errors[0]!, /missing\.zip: cannot read \(ENOENT\)/);
    assert.equal(index.recordsFor('PyPI', 'dup')[0]!.modified, '2024-01-01T00:00:00Z');
    assert.deepEqual(index.knownVersions('PyPI', 'dup'), ['2.0']);
  });

  it('rejects a corrupt zip with a message', async () => {
    const path = join(tmp, 'corrupt.zip');
    writeFileSync(path, Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(40, 7)]));
    const { index, errors } = await OfflineAdvisoryIndex.load([path]);
    assert.equal(index.size, 0);
    assert.equal(errors.length, 1);
    assert.match(errors[0]!, /corrupt\.zip: not a readable zip/);
  });

  it('knownVersions lists the versions the advisories mention', async () => {
    const { index } = await OfflineAdvisoryIndex.load([OSV_FIXTURES]);
    const known = index.knownVersions('PyPI', 'Pillow');
    assert.ok(known.includes('9.0.1') && known.includes('9.3.0') && known.includes('10.2.0'));
    assert.deepEqual(index.knownVersions('PyPI', 'unknown-pkg'), []);
  });

  it('honours an aborted signal', async () => {
    const index = new OfflineAdvisoryIndex([]);
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(index.query([{ ecosystem: 'PyPI', name: 'x' }], ac.signal));
  });
});
