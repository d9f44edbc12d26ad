import assert from 'node:assert/strict';
import { affectedRangesSummary, fixedVersions, isAffected } from '../../../server/src/versions/affected';
import type { OsvRecord } from '../../../server/src/domain';
import { osvFixture } from './osvFixtures';

describe('isAffected', () => {
  it('evaluates an ECOSYSTEM range from "0" with an exclusive fix (torch)', () => {
    const r = osvFixture('PYSEC-2022-43015');
    assert.equal(isAffected(r, 'PyPI', 'torch', '1.13.0'), true);
    assert.equal(isAffected(r, 'PyPI', 'torch', '0.1.2'), true);
    assert.equal(isAffected(r, 'PyPI', 'torch', '1.13.1'), false);
    assert.equal(isAffected(r, 'PyPI', 'torch', '2.0.0'), false);
    assert.equal(isAffected(r, 'PyPI', 'torch', '1.0.1.post2'), true);
    // Local builds are their public version.
    assert.equal(isAffected(r, 'PyPI', 'torch', '1.12.1+cu116'), true);
    assert.equal(isAffected(r, 'PyPI', 'torch', '1.13.1+cu117'), false);
    // Another package, or another ecosystem, is never affected.
    assert.equal(isAffected(r, 'PyPI', 'torchvision', '0.1'), false);
    assert.equal(isAffected(r, 'npm', 'torch', '1.0.0'), false);
  });

  it('treats last_affected as inclusive (py)', () => {
    const r = osvFixture('PYSEC-2022-42969');
    assert.equal(isAffected(r, 'PyPI', 'py', '1.11.0'), true);
    assert.equal(isAffected(r, 'PyPI', 'py', '1.11.0.post1'), false);
    assert.equal(isAffected(r, 'PyPI', 'py', '1.12.0'), false);
  });

  it('uses the versions list when there are no ranges (gratient)', () => {
    const r = osvFixture('PYSEC-2024-1');
    assert.equal(isAffected(r, 'PyPI', 'gratient', '0.5'), true);
    assert.equal(isAffected(r, 'PyPI', 'gratient', '0.5.0'), true);
    assert.equal(isAffected(r, 'PyPI', 'gratient', '0.4'), false);
    assert.equal(isAffected(r, 'PyPI', 'Gratient', '0.5'), true);
  });

  it('matches listed legacy (non-PEP 440) versions by text (paramiko)', () => {
    const r = osvFixture('PYSEC-2022-166');
    assert.equal(isAffected(r, 'PyPI', 'paramiko', '0.9-eevee'), true);
    assert.equal(isAffected(r, 'PyPI', 'paramiko', '0.9-pikachu'), false);
    assert.equal(isAffected(r, 'PyPI', 'paramiko', '2.10.0'), true);
    assert.equal(isAffected(r, 'PyPI', 'paramiko', '2.10.1'), false);
    assert.equal(isAffected(r, 'PyPI', 'paramiko', '2.9.9'), false);
  });

  it('handles several introduced/fixed pairs (salt, django)', () => {
    const salt = osvFixture('PYSEC-2021-50');
    assert.equal(isAffected(salt, 'PyPI', 'salt', '2015.8.10'), false);
    assert.equal(isAffected(salt, 'PyPI', 'salt', '2015.8.11'), true);
    assert.equal(isAffected(salt, 'PyPI', 'salt', '2016.3.4'), false);
    assert.equal(isAffected(salt, 'PyPI', 'salt', '3001.3'), true);
    assert.equal(isAffected(salt, 'PyPI', 'salt', '3002.5'), false);
    const django = osvFixture('PYSEC-2023-61');
    assert.equal(isAffected(django, 'PyPI', 'Django', '3.1'), false);
    assert.equal(isAffected(django, 'PyPI', 'Django', '3.2.18'), true);
    assert.equal(isAffected(django, 'PyPI', 'Django', '3.2.19'), false);
    assert.equal(isAffected(django, 'PyPI', 'Django', '4.1.8'), true);
    assert.equal(isAffected(django, 'PyPI', 'Django', '4.2'), true);
    assert.equal(isAffected(django, 'PyPI', 'Django', '4.2.1'), false);
    // Listed pre-release below `introduced: 3.2`: affected through the versions list only.
    assert.equal(isAffected(django, 'PyPI', 'django', '3.2rc1'), true);
  });

  it('ignores withdrawn records and GIT ranges', () => {
    assert.equal(isAffected(osvFixture('PYSEC-2019-144'), 'PyPI', 'arrayfire', '3.0.20150914'), false);
    const gitOnly: OsvRecord = {
      id: 'X',
      modified: '',
      affected: [{ package: { ecosystem: 'PyPI', name: 'x' }, ranges: [{ type: 'GIT', events: [{ introduced: '0' }, { fixed: 'abc123' }] }] }],
    };
    assert.equal(isAffected(gitOnly, 'PyPI', 'x', '1.0'), false);
  });

  it('compares PyPI names PEP 503-normalised (Pillow vs pillow)', () => {
    const r = osvFixture('TEST-PILLOW-1');
    for (const n of ['pillow', 'Pillow', 'PILLOW']) assert.equal(isAffected(r, 'PyPI', n, '9.0.0'), true, n);
    assert.equal(isAffected(r, 'PyPI', 'pillow', '9.0.1'), false);
    assert.equal(isAffected(r, 'PyPI', 'pillow', '10.1.0'), true);
    assert.equal(isAffected(r, 'PyPI', 'pillow', '10.2.0'), false);
    const cvss4 = osvFixture('TEST-CVSS4-1');
    assert.equal(isAffected(cvss4, 'PyPI', 'some-other-pkg', '2.0'), true);
    assert.equal(isAffected(cvss4, 'PyPI', 'some_other_pkg', '2.0.1'), false);
    assert.equal(isAffected(cvss4, 'PyPI', 'transformers', '4.35.2'), true);
    assert.equal(isAffected(cvss4, 'PyPI', 'transformers', '3.5.1'), false);
  });

  it('applies limit events and local listed versions', () => {
    const r = osvFixture('TEST-LOCAL-1');
    assert.equal(isAffected(r, 'PyPI', 'torch', '2.4.1'), true);
    assert.equal(isAffected(r, 'PyPI', 'torch', '2.5.0'), false);
    assert.equal(isAffected(r, 'PyPI', 'torch', '1.13.1+cu117'), true);
    assert.equal(isAffected(r, 'PyPI', 'torch', '1.13.1'), false);
  });

  it('evaluates npm SEMVER ranges with semver ordering', () => {
    const r = osvFixture('TEST-NPM-1');
    assert.equal(isAffected(r, 'npm', 'left-pad-ish', '1.3.0'), true);
    assert.equal(isAffected(r, 'npm', 'left-pad-ish', '1.3.1'), false);
    assert.equal(isAffected(r, 'npm', 'left-pad-ish', '2.0.5'), true);
    assert.equal(isAffected(r, 'npm', 'left-pad-ish', '2.1.0'), false);
    assert.equal(isAffected(r, 'npm', 'left-pad-ish', 'not-a-version'), false);
    assert.equal(isAffected(r, 'PyPI', 'left-pad-ish', '1.0.0'), false);
  });

  it('follows the OSV algorithm on overlapping events (wagtail data quirk)', () => {
    const r = osvFixture('PYSEC-2021-114');
    // Listed as affected, but the sorted events put `fixed: 2.11.6` after `introduced: 2.11`.
    assert.equal(isAffected(r, 'PyPI', 'wagtail', '2.11.6'), true);
    assert.equal(isAffected(r, 'PyPI', 'wagtail', '2.11.7'), false);
    assert.equal(isAffected(r, 'PyPI', 'wagtail', '2.12.3'), true);
  });

  it('never throws on malformed records', () => {
    const weird = [
      { id: 'a', modified: '' },
      { id: 'b', modified: '', affected: [{}] },
      { id: 'c', modified: '', affected: [{ package: { ecosystem: 'PyPI', name: 'x' }, ranges: [{ type: 'ECOSYSTEM', events: 'nope' }] }] },
      { id: 'd', modified: '', affected: [{ package: { ecosystem: 'PyPI', name: 'x' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: 'junk' }, { fixed: '2' }] }] }] },
    ] as unknown as OsvRecord[];
    for (const r of weird) assert.equal(isAffected(r, 'PyPI', 'x', '1.0'), false, r.id);
    // An unparseable fix is dropped: the range stays open (errs towards reporting).
    const openEnded = { id: 'e', modified: '', affected: [{ package: { ecosystem: 'PyPI', name: 'x' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '??' }] }] }] } as OsvRecord;
    assert.equal(isAffected(openEnded, 'PyPI', 'x', '9.9'), true);
  });
});

describe('fixedVersions / affectedRangesSummary', () => {
  it('lists fixes ascending for the asked package only', () => {
    assert.deepEqual(fixedVersions(osvFixture('PYSEC-2023-61'), 'PyPI', 'django'), ['3.2.19', '4.1.9', '4.2.1']);
    assert.deepEqual(fixedVersions(osvFixture('PYSEC-2022-42969'), 'PyPI', 'py'), []);
    assert.deepEqual(fixedVersions(osvFixture('PYSEC-2022-43015'), 'PyPI', 'torch'), ['1.13.1']);
    assert.deepEqual(fixedVersions(osvFixture('TEST-CVSS4-1'), 'PyPI', 'some-other-pkg'), []);
  });
  it('summarises ranges for hovers', () => {
    assert.equal(affectedRangesSummary(osvFixture('PYSEC-2022-43015'), 'PyPI', 'torch'), '>=0, <1.13.1');
    assert.equal(affectedRangesSummary(osvFixture('PYSEC-2022-42969'), 'PyPI', 'py'), '>=0, <=1.11.0');
    assert.equal(affectedRangesSummary(osvFixture('PYSEC-2023-61'), 'PyPI', 'django'), '>=3.2, <3.2.19; >=4.0, <4.1.9; >=4.2, <4.2.1');
    assert.equal(affectedRangesSummary(osvFixture('TEST-MAL-1'), 'PyPI', 'reqeusts'), '>=0');
    assert.equal(affectedRangesSummary(osvFixture('PYSEC-2024-1'), 'PyPI', 'gratient'), 'versions 0.5');
    assert.equal(affectedRangesSummary(osvFixture('PYSEC-2024-1'), 'PyPI', 'other'), '');
  });
});
