// Property suite for the version logic: damaged and random versions and specifiers never make
// PEP 440 or semver throw, and comparison stays a consistent order on whatever parses.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { pep440 } from '../../../server/src/versions/pep440';
import type { VersionScheme } from '../../../server/src/versions/scheme';
import { semver } from '../../../server/src/versions/semver';
import { fuzzParameters, mutated } from './inputs';

const VERSIONS = ['1.0', '2.0.1+cu118', '1!2.0rc1.post2.dev3', '0.0.0-alpha.1', 'v1.2.3', '1.2.3-beta.2+build.5', '2024.1.1', '1.0.post1', '10.20.30'];
const SPECIFIERS = ['>=1.0,<2', '~=1.4.2', '==1.*', '!=1.5', '===weird', '^1.2.3', '~1.2', '1.x || >=2.5.0 <3', '1.0.0 - 2.0.0', '>=1.0.0-rc.1', '*', ''];

const text = fc.oneof(
  fc.constantFrom(...VERSIONS, ...SPECIFIERS).chain((s) => mutated(s, 3_000)),
  fc.array(fc.constantFrom('1', '0', '.', '*', '+', '-', '!', 'a', 'rc', 'post', 'dev', 'v', 'x', '=', '==', '>=', '<', '~', '^', ',', '||', ' '), { maxLength: 30 }).map((a) => a.join('')),
);

function exercise(scheme: VersionScheme, a: string, b: string): void {
  for (const s of [a, b]) {
    scheme.isValidVersion(s);
    scheme.isPrerelease(s);
    scheme.publicVersion(s);
    scheme.exactPin(s);
    scheme.key(s);
  }
  assert.equal(typeof scheme.satisfies(a, b), 'boolean');
  assert.equal(typeof scheme.satisfies(a, b, { includePrereleases: true }), 'boolean');
  scheme.maxSatisfying([a, b, '1.0.0'], b);
  scheme.sortVersions([a, b, '1.0.0']);
  const ab = scheme.compareVersions(a, b);
  const ba = scheme.compareVersions(b, a);
  assert.ok(Number.isFinite(ab) && Math.sign(ab) === -Math.sign(ba), `compare(${JSON.stringify(a)}, ${JSON.stringify(b)}) is not antisymmetric`);
  if (scheme.equalVersions(a, b)) assert.equal(ab, 0);
}

describe('fuzz: version logic on damaged versions and specifiers', function () {
  this.timeout(60_000);
  for (const [name, scheme] of [['PEP 440', pep440], ['semver', semver]] as const) {
    it(`${name}: never throws, and comparison is antisymmetric`, () => {
      fc.assert(
        fc.property(text, text, (a, b) => exercise(scheme, a, b)),
        fuzzParameters(400),
      );
    });
  }
});
