import assert from 'node:assert/strict';
import type { OsvRecord, ReleaseInfo } from '../../../server/src/domain';
import { candidateVersionsOffline, chooseSafeVersions, lowestSafeLowerBound } from '../../../server/src/versions/safeVersion';
import { osvFixture } from './osvFixtures';

const rel = (version: string, yanked = false): ReleaseInfo => ({ version, yanked });

function rangeRecord(id: string, name: string, events: Record<string, string>[]): OsvRecord {
  return { id, modified: '', affected: [{ package: { ecosystem: 'PyPI', name }, ranges: [{ type: 'ECOSYSTEM', events }] }] };
}

describe('chooseSafeVersions', () => {
  const torch = osvFixture('PYSEC-2022-43015'); // < 1.13.1
  const releases = ['1.12.0', '1.13.0', '1.13.1', '2.0.0', '2.1.0rc1', '2.0.1', '1.13.2'].map((v) => rel(v));

  it('picks the lowest safe release at or above current, and the newest safe one', () => {
    assert.deepEqual(chooseSafeVersions({ ecosystem: 'PyPI', name: 'torch', current: '1.12.0', releases, advisories: [torch] }), {
      nearest: '1.13.1',
      latest: '2.0.1',
    });
  });

  it('skips yanked releases and pre-releases', () => {
    const withYank = releases.map((r) => (r.version === '1.13.1' ? rel('1.13.1', true) : r));
    const got = chooseSafeVersions({ ecosystem: 'PyPI', name: 'torch', current: '1.12.0', releases: withYank, advisories: [torch] });
    assert.deepEqual(got, { nearest: '1.13.2', latest: '2.0.1' });
  });

  it('allows pre-releases when the current version is one', () => {
    const got = chooseSafeVersions({ ecosystem: 'PyPI', name: 'torch', current: '2.1.0a1', releases, advisories: [torch] });
    assert.deepEqual(got, { nearest: '2.1.0rc1', latest: '2.1.0rc1' });
  });

  it('skips versions any advisory affects', () => {
    const second = rangeRecord('X-2', 'torch', [{ introduced: '1.13.1' }, { fixed: '2.0.0' }]);
    const got = chooseSafeVersions({ ecosystem: 'PyPI', name: 'torch', current: '1.12.0', releases, advisories: [torch, second] });
    assert.deepEqual(got, { nearest: '2.0.0', latest: '2.0.1' });
  });

  it('without current: lowest safe overall, or within the specifier when one satisfies it', () => {
    assert.equal(chooseSafeVersions({ ecosystem: 'PyPI', name: 'torch', releases, advisories: [torch] }).nearest, '1.13.1');
    assert.equal(chooseSafeVersions({ ecosystem: 'PyPI', name: 'torch', releases, advisories: [torch], specifier: '>=2' }).nearest, '2.0.0');
    assert.equal(chooseSafeVersions({ ecosystem: 'PyPI', name: 'torch', releases, advisories: [torch], specifier: '>=9' }).nearest, '1.13.1');
  });

  it('returns nothing when nothing is safe, or nothing is newer than current', () => {
    const all = rangeRecord('X-3', 'torch', [{ introduced: '0' }]);
    assert.deepEqual(chooseSafeVersions({ ecosystem: 'PyPI', name: 'torch', current: '1.12.0', releases, advisories: [all] }), {});
    assert.deepEqual(chooseSafeVersions({ ecosystem: 'PyPI', name: 'torch', releases: [], advisories: [torch] }), {});
    const got = chooseSafeVersions({ ecosystem: 'PyPI', name: 'torch', current: '3.0', releases, advisories: [torch] });
    assert.deepEqual(got, { latest: '2.0.1' });
  });

  it('works for npm', () => {
    const r = osvFixture('TEST-NPM-1');
    const npmReleases = ['1.3.0', '1.3.1', '2.0.0', '2.0.9', '2.1.0', '3.0.0-beta.1'].map((v) => rel(v));
    assert.deepEqual(chooseSafeVersions({ ecosystem: 'npm', name: 'left-pad-ish', current: '2.0.0', releases: npmReleases, advisories: [r] }), {
      nearest: '2.1.0',
      latest: '2.1.0',
    });
  });
});

describe('lowestSafeLowerBound', () => {
  const releases = ['1.0', '1.1', '1.2', '1.3', '1.4', '2.0rc1', '1.5'].map((v) => rel(v));
  it('finds the bound above which everything is safe', () => {
    const a = rangeRecord('A', 'pkg', [{ introduced: '0' }, { fixed: '1.2' }]);
    const b = rangeRecord('B', 'pkg', [{ introduced: '1.3' }, { last_affected: '1.3' }]);
    assert.equal(lowestSafeLowerBound({ ecosystem: 'PyPI', name: 'pkg', releases, advisories: [a] }), '1.2');
    assert.equal(lowestSafeLowerBound({ ecosystem: 'PyPI', name: 'pkg', releases, advisories: [a, b] }), '1.4');
  });
  it('respects the specifier and yanked releases', () => {
    const a = rangeRecord('A', 'pkg', [{ introduced: '1.4' }]);
    assert.equal(lowestSafeLowerBound({ ecosystem: 'PyPI', name: 'pkg', releases, advisories: [a] }), undefined);
    assert.equal(lowestSafeLowerBound({ ecosystem: 'PyPI', name: 'pkg', releases, advisories: [a], specifier: '<1.4' }), '1.0');
    const b = rangeRecord('B', 'pkg', [{ introduced: '0' }, { fixed: '1.1' }]);
    const yanked = releases.map((r) => (r.version === '1.1' ? rel('1.1', true) : r));
    assert.equal(lowestSafeLowerBound({ ecosystem: 'PyPI', name: 'pkg', releases: yanked, advisories: [b] }), '1.2');
  });
});

describe('candidateVersionsOffline', () => {
  it('collects the versions advisories know for the package, ascending and deduplicated', () => {
    const got = candidateVersionsOffline([osvFixture('PYSEC-2023-61'), osvFixture('PYSEC-2008-1')], 'django', 'PyPI').map((r) => r.version);
    assert.ok(got.includes('3.2.19') && got.includes('4.2.1') && got.includes('1.1'));
    assert.ok(got.includes('3.2rc1'));
    assert.deepEqual(got, [...new Set(got)]);
    const idx = (v: string): number => got.indexOf(v);
    assert.ok(idx('1.1') < idx('3.2.19') && idx('3.2.19') < idx('4.1.9') && idx('4.1.9') < idx('4.2.1'));
  });
  it('ignores other packages, withdrawn records and GIT hashes', () => {
    assert.deepEqual(candidateVersionsOffline([osvFixture('TEST-CVSS4-1')], 'transformers', 'PyPI').map((r) => r.version), ['4.0.0', '4.36.0']);
    assert.deepEqual(candidateVersionsOffline([osvFixture('PYSEC-2019-144')], 'arrayfire', 'PyPI'), []);
    const torch = candidateVersionsOffline([osvFixture('PYSEC-2022-43015')], 'torch', 'PyPI').map((r) => r.version);
    assert.ok(torch.includes('1.13.1') && !torch.some((v) => v.length === 40));
    assert.ok(torch.every((v) => v !== '0'));
  });
});
