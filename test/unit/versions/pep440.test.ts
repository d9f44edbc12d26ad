import assert from 'node:assert/strict';
import {
  canonicalVersion,
  compareVersions,
  equalVersions,
  exactPin,
  isPrerelease,
  isValidSpecifier,
  isValidVersion,
  maxSatisfying,
  publicVersion,
  satisfies,
  sortVersions,
} from '../../../server/src/versions/pep440';

describe('pep440', () => {
  describe('isValidVersion', () => {
    it('accepts PEP 440 forms', () => {
      for (const v of ['1', '1.0', '1.0.0', '1!2.0', '1.0a1', '1.0rc2', '1.0.post1', '1.0.dev3', '1.0+cu118', 'v2.0', ' 1.0 ', '1.0-1', '1.0alpha1']) {
        assert.equal(isValidVersion(v), true, v);
      }
    });
    it('rejects garbage without throwing', () => {
      for (const v of ['', 'abc', '1.0-final', '0.1-bulbasaur', '1..0', '1.0+', '*']) assert.equal(isValidVersion(v), false, v);
      assert.equal(isValidVersion(undefined as unknown as string), false);
    });
  });

  describe('compareVersions / sort', () => {
    it('orders dev < pre < final < post, epochs first, trailing zeros ignored', () => {
      const shuffled = ['1.0.post1', '1!0.1', '1.0', '1.0rc1', '1.0.dev0', '1.0a1', '0.9', '1.0a1.dev1', '1.1', '1.0+local.7', '1.0+local.abc'];
      assert.deepEqual(sortVersions(shuffled), ['0.9', '1.0.dev0', '1.0a1.dev1', '1.0a1', '1.0rc1', '1.0', '1.0+local.abc', '1.0+local.7', '1.0.post1', '1.1', '1!0.1']);
      assert.equal(compareVersions('1.0', '1.0.0'), 0);
      assert.ok(compareVersions('1.10', '1.9') > 0);
      assert.ok(compareVersions('2.0', '10.0') < 0);
    });
    it('sorts invalid versions first and never throws', () => {
      assert.deepEqual(sortVersions(['2.0', 'junk', '1.0']), ['junk', '1.0', '2.0']);
      assert.ok(compareVersions('junk', '1.0') < 0);
      assert.equal(compareVersions('a', 'a'), 0);
    });
    it('equality and canonical forms', () => {
      assert.equal(equalVersions('1.0', 'v1.0.0'), true);
      assert.equal(equalVersions('1.0alpha1', '1.0a1'), true);
      assert.equal(equalVersions('1.0', '1.0+x'), false);
      assert.equal(equalVersions('x', 'x'), false);
      assert.equal(canonicalVersion('1.0.0'), canonicalVersion('1'));
      assert.equal(canonicalVersion('1.0-1'), '1.post1');
      assert.equal(canonicalVersion('nope'), undefined);
      assert.equal(publicVersion('2.0.0+cu118'), '2.0.0');
    });
  });

  describe('isPrerelease', () => {
    it('treats pre and dev releases as pre-releases, post releases as final', () => {
      assert.equal(isPrerelease('1.0rc1'), true);
      assert.equal(isPrerelease('1.0.dev1'), true);
      assert.equal(isPrerelease('1.0.post1.dev1'), true);
      assert.equal(isPrerelease('1.0.post1'), false);
      assert.equal(isPrerelease('1.0'), false);
      assert.equal(isPrerelease('garbage'), false);
    });
  });

  describe('satisfies', () => {
    it('handles ordered comparisons and sets', () => {
      assert.equal(satisfies('1.5', '>=1.0,<2'), true);
      assert.equal(satisfies('2.0', '>=1.0,<2'), false);
      assert.equal(satisfies('1.0', '>=1.0, <2'), true);
      assert.equal(satisfies('0.9', '>=1.0,<2'), false);
      assert.equal(satisfies('1.0', ''), true);
      assert.equal(satisfies('1.0', '>=1.0,'), true);
      assert.equal(satisfies('1.0', ' , '), true);
      assert.equal(satisfies('1.0', '!=1.0'), false);
      assert.equal(satisfies('1.0.1', '!=1.0'), true);
    });
    it('excludes pre-releases unless the specifier names one or the flag is set', () => {
      assert.equal(satisfies('2.0rc1', '>=1.0'), false);
      assert.equal(satisfies('2.0rc1', '>=1.0', { includePrereleases: true }), true);
      assert.equal(satisfies('2.0rc1', '>=2.0rc1'), true);
      // One clause naming a pre-release opens the whole set (packaging semantics).
      assert.equal(satisfies('1.5b1', '>=1.0rc1,<2'), true);
      assert.equal(satisfies('1.0.dev1', ''), false);
      assert.equal(satisfies('1.0.dev1', '', { includePrereleases: true }), true);
    });
    it('keeps pre-releases and post-releases of the bound out of exclusive comparisons', () => {
      assert.equal(satisfies('2.0rc1', '<2.0', { includePrereleases: true }), false);
      assert.equal(satisfies('2.0b1', '<2.0rc1'), true);
      assert.equal(satisfies('1.0.post1', '>1.0'), false);
      assert.equal(satisfies('1.0.post2', '>1.0.post1'), true);
      assert.equal(satisfies('1.0.1', '>1.0'), true);
      assert.equal(satisfies('1.0+cu118', '>1.0'), false);
    });
    it('matches local versions against public specifiers', () => {
      assert.equal(satisfies('1.0+cu118', '==1.0'), true);
      assert.equal(satisfies('1.0+cu118', '==1.0+cu118'), true);
      assert.equal(satisfies('1.0+cu117', '==1.0+cu118'), false);
      assert.equal(satisfies('1.0', '==1.0+cu118'), false);
      assert.equal(satisfies('2.1.0+cpu', '>=2.0,<2.2'), true);
      assert.equal(satisfies('2.1.0+cpu', '<=2.1.0'), true);
    });
    it('handles wildcards', () => {
      assert.equal(satisfies('1.4.2', '==1.*'), true);
      assert.equal(satisfies('10.0', '==1.*'), false);
      assert.equal(satisfies('1', '==1.0.*'), true);
      assert.equal(satisfies('1.0.post3', '==1.0.*'), true);
      assert.equal(satisfies('1.1', '!=1.0.*'), true);
      assert.equal(satisfies('1.0.5', '!=1.0.*'), false);
      assert.equal(isValidSpecifier('>=1.*'), false);
      assert.equal(satisfies('1.5', '>=1.*'), false);
    });
    it('handles compatible release ~=', () => {
      assert.equal(satisfies('2.2.5', '~=2.2.0'), true);
      assert.equal(satisfies('2.3.0', '~=2.2.0'), false);
      assert.equal(satisfies('2.9', '~=2.2'), true);
      assert.equal(satisfies('3.0', '~=2.2'), false);
      assert.equal(satisfies('2.1', '~=2.2'), false);
      assert.equal(isValidSpecifier('~=2'), false);
      assert.equal(satisfies('1!2.5', '~=1!2.2'), true);
      assert.equal(satisfies('2.5', '~=1!2.2'), false);
    });
    it('handles === as case-insensitive string equality, even for non-PEP 440 versions', () => {
      assert.equal(satisfies('1.0-final', '===1.0-final'), true);
      assert.equal(satisfies('1.0-FINAL', '===1.0-final'), true);
      assert.equal(satisfies('1.0.0', '===1.0'), false);
      assert.equal(satisfies('1.0', '===1.0'), true);
    });
    it('handles epochs', () => {
      assert.equal(satisfies('1!1.0', '>=2.0'), true);
      assert.equal(satisfies('1.0', '>=1!0.1'), false);
    });
    it('returns false for invalid input instead of throwing', () => {
      assert.equal(satisfies('1.0', '>>1.0'), false);
      assert.equal(satisfies('1.0', 'banana'), false);
      assert.equal(satisfies('banana', '>=1.0'), false);
      assert.equal(satisfies('1.0', '>=1.0+local'), false);
      assert.equal(satisfies(undefined as unknown as string, '>=1'), false);
      assert.equal(satisfies('1.0', undefined as unknown as string), false);
    });
  });

  describe('maxSatisfying / exactPin', () => {
    it('picks the newest matching version', () => {
      const vs = ['1.0', '1.5', '2.0', '2.1rc1', 'junk'];
      assert.equal(maxSatisfying(vs, '<2.1'), '2.0');
      assert.equal(maxSatisfying(vs, ''), '2.0');
      assert.equal(maxSatisfying(vs, '', { includePrereleases: true }), '2.1rc1');
      assert.equal(maxSatisfying(vs, '>=3'), undefined);
      assert.equal(maxSatisfying(vs, 'nonsense'), undefined);
    });
    it('finds exact pins only', () => {
      assert.equal(exactPin('==1.2.3'), '1.2.3');
      assert.equal(exactPin(' == 1.2.3 '), '1.2.3');
      assert.equal(exactPin('===1.0-final'), '1.0-final');
      assert.equal(exactPin('==1.2.*'), undefined);
      assert.equal(exactPin('>=1.2.3'), undefined);
      assert.equal(exactPin('==1.2.3,!=1.2.3'), undefined);
      assert.equal(exactPin('==1.2.3,<2'), '1.2.3');
      assert.equal(exactPin(''), undefined);
      assert.equal(exactPin('==oops'), undefined);
    });
  });
});

describe('pep440 on hostile text', () => {
  it('long versions and specifiers are read (not memoised) in linear time and give the same answers twice', function () {
    this.timeout(20_000);
    const long = `1.${'0.'.repeat(200_000)}1`;
    for (let k = 0; k < 2; k++) {
      assert.equal(isValidVersion(long), true);
      assert.equal(canonicalVersion(long)!.length, long.length);
      assert.equal(satisfies(long, '>=1'), true);
      assert.equal(isValidSpecifier(`${'>=1,'.repeat(100_000)}<2`), true);
      assert.equal(isValidVersion(`${'1'.repeat(500_000)}x`), false);
    }
  });
});
