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

describe('translatePoetryConstraint on hostile text', () => {
  it('reads clauses separated by commas and blanks the same way as before', () => {
    assert.deepEqual(translatePoetryConstraint(' >= 1.2 , < 2 '), { specifier: '>=1.2,<2' });
    assert.deepEqual(translatePoetryConstraint('>=1 <2'), { specifier: '>=1,<2' });
    assert.deepEqual(translatePoetryConstraint('^1.2,,'), { specifier: '', error: "Cannot read Poetry constraint '^1.2,,'" });
    assert.deepEqual(translatePoetryConstraint('1.0 | 2.0'), { specifier: '' });
    assert.deepEqual(translatePoetryConstraint('>=1,<2|3'), { specifier: '', error: "Cannot read Poetry constraint '>=1,<2|3'" });
  });

  it('is linear on a million characters of clauses, alternatives and blanks', function () {
    this.timeout(20_000);
    assert.equal(translatePoetryConstraint('>=1,'.repeat(250_000)).specifier.split(',').length, 250_000);
    assert.deepEqual(translatePoetryConstraint(`${'1|'.repeat(500_000)},`).specifier, '');
    assert.ok(translatePoetryConstraint(`^${' '.repeat(1_000_000)},`).error!.length < 200);
  });
});
