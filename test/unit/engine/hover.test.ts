import assert from 'node:assert/strict';
import { dependencyHover, describeAge, findingHover, modelHover } from '../../../server/src/engine/hover';
import type { DependencyFacts } from '../../../server/src/rules/dependency/facts';
import { record } from './helpers';

const NOW = Date.parse('2026-11-25T12:00:00Z');

function facts(over: Partial<DependencyFacts> = {}): DependencyFacts {
  return {
    dep: { ecosystem: 'PyPI', name: 'jinja2', rawName: 'Jinja2', specifier: '==2.10', pinned: '2.10', extras: [], format: 'requirements.txt', range: { start: 0, end: 12 }, nameRange: { start: 0, end: 6 }, editStyle: 'pep508' },
    advisories: [record('PYSEC-2021-66', 'jinja2', [{ introduced: '0' }, { fixed: '2.11.3' }], { aliases: ['CVE-2020-28493'] }), record('PYSEC-OLD', 'jinja2', [{ introduced: '0' }, { fixed: '2.0' }])],
    evaluated: { version: '2.10', how: 'pinned' },
    candidates: [],
    candidatesFromAdvisories: false,
    metadata: {
      ecosystem: 'PyPI',
      name: 'jinja2',
      latest: '3.1.4',
      license: 'BSD-3-Clause',
      releases: [
        { version: '2.10', yanked: false, uploadTime: '2017-11-08T00:00:00Z' },
        { version: '0.9', yanked: false, uploadTime: '2008-07-17T00:00:00Z' },
      ],
      freshness: { fetchedAt: NOW - 3 * 3600_000, stale: false, origin: 'cache' },
    },
    freshness: { fetchedAt: NOW - 3 * 3600_000, stale: true, origin: 'cache' },
    ...over,
  };
}

describe('hovers', () => {
  it('a dependency: version, latest, licence, first release, popularity, affecting vs other advisories, data age', () => {
    const md = dependencyHover(facts(), NOW);
    assert.match(md, /pinned: \*\*2\.10\*\* · latest: 3\.1\.4 · license: BSD-3-Clause/);
    assert.match(md, /first release: 2008-07-17/);
    assert.match(md, /popularity: #\d+ by downloads on PyPI/);
    assert.match(md, /\*\*Advisories affecting 2\.10:\*\*\n- \[PYSEC-2021-66\]\(https:\/\/osv\.dev\/vulnerability\/PYSEC-2021-66\) \(CVE-2020-28493\).* — fixed in 2\.11\.3/);
    assert.match(md, /Other advisories for Jinja2 \(1\): \[PYSEC-OLD\]/);
    assert.match(md, /\*\*stale\*\* — data from cache, fetched 3 h ago/);
  });

  it('a clean pin says no advisory affects it', () => {
    const md = dependencyHover(facts({ evaluated: { version: '3.1.4', how: 'pinned' }, affectingIds: new Set() }), NOW);
    assert.match(md, /No known advisory affects 3\.1\.4\./);
  });

  it('describes the age of data', () => {
    assert.equal(describeAge(undefined, NOW), 'no advisory data');
    assert.equal(describeAge({ fetchedAt: NOW - 20_000, stale: false, origin: 'network' }, NOW), 'data from network, fetched just now');
    assert.equal(describeAge({ fetchedAt: NOW - 3 * 86_400_000, stale: false, origin: 'offline-db' }, NOW), 'data from offline advisory database, fetched 3 days ago');
  });

  it('a model offline says what it could not check', () => {
    assert.match(modelHover('org/m', undefined, undefined, NOW), /not checked/);
  });

  it('names the exact manifest line and the environment behind an escalated code finding', () => {
    const f = {
      rule: 'unsafe-torch-load' as const,
      severity: 'error' as const,
      range: { start: 0, end: 5 },
      message: 'torch.load can still run code',
      related: [{ uri: 'file:///ws/lab/uv.lock', range: { start: { line: 41, character: 7 }, end: { line: 41, character: 12 } }, message: 'torch 2.5.1 is installed here' }],
    };
    const text = findingHover(f, (u) => u.replace('file:///ws/', ''), { root: 'lab/', decidedBy: ['lab/uv.lock'] });
    assert.match(text, /decided by \[lab\/uv\.lock:42\]\(file:\/\/\/ws\/lab\/uv\.lock#L42\): torch 2\.5\.1 is installed here/);
    assert.match(text, /environment: `lab\/` \(versions from lab\/uv\.lock\)/);
    assert.doesNotMatch(findingHover({ ...f, related: [] }), /environment/, 'no environment line without a deciding location');
  });
});
