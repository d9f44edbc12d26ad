import assert from 'node:assert/strict';
import type { OsvRecord } from '../../../../server/src/domain';
import { yankedVersion } from '../../../../server/src/rules/dependency/yankedVersion';
import { applyFix, factsFor, metadata, release } from './factsBuilder';

const RELEASES = [
  release('1.0.0'),
  release('1.1.0', { yanked: true, yankedReason: 'Broken wheel on Windows' }),
  release('1.1.1'),
  release('1.2.0'),
  release('2.0.0', { yanked: true }),
];
const meta = metadata('demo-pkg', { releases: RELEASES, latest: '1.2.0' });

describe('yanked-version', () => {
  it('warns on a yanked pin with the reason and pins the nearest release that is not yanked', () => {
    const text = 'demo-pkg[cli]==1.1.0 ; python_version >= "3.9"\n';
    const [f, ...rest] = yankedVersion.check(factsFor(text, { metadata: meta }));
    assert.equal(rest.length, 0);
    assert.equal(f!.rule, 'yanked-version');
    assert.equal(f!.severity, 'warning');
    assert.deepEqual(f!.range, { start: 0, end: 8 });
    assert.deepEqual(f!.package, { ecosystem: 'PyPI', name: 'demo-pkg', version: '1.1.0' });
    assert.match(f!.message, /^demo-pkg 1\.1\.0 was yanked by its maintainers \("Broken wheel on Windows"\).*: pin 1\.1\.1 instead\.$/);
    assert.equal(f!.fixes!.length, 1);
    assert.equal(f!.fixes![0]!.isPreferred, true);
    assert.equal(applyFix(text, f!.fixes![0]!), 'demo-pkg[cli]==1.1.1 ; python_version >= "3.9"\n');
  });

  it('skips a safe-looking release that an advisory affects', () => {
    const adv: OsvRecord = {
      id: 'GHSA-test-0001',
      modified: '2024-01-01T00:00:00Z',
      affected: [{ package: { ecosystem: 'PyPI', name: 'demo-pkg' }, versions: ['1.1.1'] }],
    };
    const [f] = yankedVersion.check(factsFor('demo-pkg==1.1.0\n', { metadata: meta, advisories: [adv] }));
    assert.equal(applyFix('demo-pkg==1.1.0\n', f!.fixes![0]!), 'demo-pkg==1.2.0\n');
  });

  it('falls back to the latest good release when the newest one was yanked, and says when no reason was given', () => {
    const [f] = yankedVersion.check(factsFor('demo-pkg==2.0\n', { metadata: meta }));
    assert.match(f!.message, /2\.0 was yanked by its maintainers \(no reason given\)/);
    assert.equal(applyFix('demo-pkg==2.0\n', f!.fixes![0]!), 'demo-pkg==1.2.0\n');
  });

  it('reports a locked version with the lockfile location and no edit to a lockfile', () => {
    const facts = factsFor('demo-pkg==1.1.0\n', { metadata: meta });
    const lockLocation = { uri: '/p/uv.lock', range: { start: { line: 3, character: 0 }, end: { line: 3, character: 10 } }, message: 'locked here' };
    const [f] = yankedVersion.check({ ...facts, dep: { ...facts.dep, editStyle: 'none' }, evaluated: { version: '1.1.0', how: 'locked' }, lockLocation });
    assert.match(f!.message, /1\.1\.0 \(locked\)/);
    assert.deepEqual(f!.related, [lockLocation]);
    assert.deepEqual(f!.fixes, []);
  });

  it('is silent for good pins, ranges, missing metadata and direct references', () => {
    assert.deepEqual(yankedVersion.check(factsFor('demo-pkg==1.2.0\n', { metadata: meta })), []);
    assert.deepEqual(yankedVersion.check(factsFor('demo-pkg>=1.0\n', { metadata: meta, evaluated: { version: '1.1.0', how: 'newest-allowed' } })), []);
    assert.deepEqual(yankedVersion.check(factsFor('demo-pkg==1.1.0\n')), []);
    assert.deepEqual(yankedVersion.check(factsFor('demo-pkg==9.9\n', { metadata: meta })), [], 'unknown version');
    assert.deepEqual(yankedVersion.check(factsFor('demo-pkg @ https://example.invalid/demo-pkg-1.1.0.tar.gz\n', { metadata: meta })), []);
  });

  it('matches equal PEP 440 spellings (1.1 == 1.1.0) and notes hashes', () => {
    const text = 'demo-pkg==1.1 --hash=sha256:0000000000000000000000000000000000000000000000000000000000000000\n';
    const [f] = yankedVersion.check(factsFor(text, { metadata: meta }));
    assert.ok(f);
    assert.match(f!.fixes![0]!.note ?? '', /--hash/);
  });
});
