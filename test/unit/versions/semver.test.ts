import assert from 'node:assert/strict';
import { normalizePackageName, versionsFor } from '../../../server/src/versions';
import { pep440 } from '../../../server/src/versions/pep440';
import { semver } from '../../../server/src/versions/semver';

describe('semver scheme', () => {
  it('validates and compares', () => {
    assert.equal(semver.isValidVersion('1.2.3'), true);
    assert.equal(semver.isValidVersion('1.2'), false);
    assert.equal(semver.isValidVersion('nope'), false);
    assert.ok(semver.compareVersions('1.10.0', '1.9.0') > 0);
    assert.ok(semver.compareVersions('1.0.0-rc.1', '1.0.0') < 0);
    assert.ok(semver.compareVersions('junk', '0.0.1') < 0);
    assert.deepEqual(semver.sortVersions(['2.0.0', '1.0.0-beta', '1.0.0', 'x']), ['x', '1.0.0-beta', '1.0.0', '2.0.0']);
    assert.equal(semver.equalVersions('1.0.0', 'v1.0.0'), true);
    assert.equal(semver.equalVersions('1.0.0', '1.0.1'), false);
  });
  it('satisfies ranges, pre-releases only on request', () => {
    assert.equal(semver.satisfies('1.4.0', '^1.2.0'), true);
    assert.equal(semver.satisfies('2.0.0', '^1.2.0'), false);
    assert.equal(semver.satisfies('1.5.0-rc.1', '^1.2.0'), false);
    assert.equal(semver.satisfies('1.5.0-rc.1', '^1.2.0', { includePrereleases: true }), true);
    assert.equal(semver.satisfies('1.0.0', ''), true);
    assert.equal(semver.satisfies('1.0.0', '>>>1'), false);
    assert.equal(semver.satisfies('bad', '*'), false);
    assert.equal(semver.isPrerelease('1.0.0-alpha.1'), true);
    assert.equal(semver.isPrerelease('1.0.0'), false);
  });
  it('maxSatisfying and exactPin', () => {
    assert.equal(semver.maxSatisfying(['1.0.0', '1.9.9', '2.0.0'], '<2'), '1.9.9');
    assert.equal(semver.maxSatisfying(['1.0.0'], '>5'), undefined);
    assert.equal(semver.exactPin('1.2.3'), '1.2.3');
    assert.equal(semver.exactPin('=1.2.3'), '1.2.3');
    assert.equal(semver.exactPin('^1.2.3'), undefined);
    assert.equal(semver.exactPin('1.x'), undefined);
    assert.equal(semver.publicVersion('1.0.0+build.5'), '1.0.0');
  });
});

describe('versionsFor / normalizePackageName', () => {
  it('dispatches by ecosystem', () => {
    assert.equal(versionsFor('PyPI'), pep440);
    assert.equal(versionsFor('npm'), semver);
    // The same text means different things: PEP 440 accepts "1.0", semver does not.
    assert.equal(versionsFor('PyPI').isValidVersion('1.0'), true);
    assert.equal(versionsFor('npm').isValidVersion('1.0'), false);
  });
  it('normalises PyPI names per PEP 503, leaves npm names alone', () => {
    assert.equal(normalizePackageName('PyPI', 'Foo_Bar.baz'), 'foo-bar-baz');
    assert.equal(normalizePackageName('PyPI', 'Pillow'), 'pillow');
    assert.equal(normalizePackageName('PyPI', 'a--_.b'), 'a-b');
    assert.equal(normalizePackageName('npm', '@Scope/Pkg_x'), '@Scope/Pkg_x');
  });
});
