import * as assert from 'node:assert/strict';
import { translatePoetryConstraint } from '../../../server/src/manifests/poetryVersion';

describe('poetryVersion', () => {
  const cases: [string, string, string?][] = [
    ['^1.2.3', '>=1.2.3,<2.0.0'],
    ['^1.2', '>=1.2,<2.0'],
    ['^0.2.3', '>=0.2.3,<0.3.0'],
    ['^0.0.3', '>=0.0.3,<0.0.4'],
    ['^0.0', '>=0.0,<0.1'],
    ['^0', '>=0,<1'],
    ['~1.2.3', '>=1.2.3,<1.3.0'],
    ['~1.2', '>=1.2,<1.3'],
    ['~1', '>=1,<2'],
    ['~=1.2', '~=1.2'],
    ['1.2.3', '==1.2.3', '1.2.3'],
    ['==1.2.3', '==1.2.3', '1.2.3'],
    ['=1.0', '==1.0', '1.0'],
    ['1.2.*', '==1.2.*'],
    ['*', ''],
    ['', ''],
    ['>=1,<2', '>=1,<2'],
    ['>= 1.2 < 2.0', '>=1.2,<2.0'],
    ['!=1.5', '!=1.5'],
    ['^1.0 || ^2.0', ''],
  ];
  for (const [input, spec, pinned] of cases) {
    it(`translates '${input}'`, () => {
      const r = translatePoetryConstraint(input);
      assert.equal(r.error, undefined);
      assert.equal(r.specifier, spec);
      assert.equal(r.pinned, pinned);
    });
  }

  it('reports nonsense', () => {
    assert.ok(translatePoetryConstraint('^^1').error);
    assert.ok(translatePoetryConstraint('>=1.*').error);
    assert.ok(translatePoetryConstraint('^*').error);
  });
});
