import assert from 'node:assert/strict';
import fc from 'fast-check';
import { globMatch, globSyntaxProblem, MAX_GLOB_LENGTH } from '../../../server/src/domain/glob';

/** A reference implementation for small inputs: the same semantics as a (backtracking) RegExp. */
function reference(glob: string, subject: string): boolean {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*' && glob[i + 2] === '/') (re += '(?:.*/)?'), (i += 2);
    else if (c === '*' && glob[i + 1] === '*') (re += '.*'), (i += 1);
    else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 's').test(subject);
}

describe('globMatch', () => {
  it('compares a pattern without wildcards exactly', () => {
    assert.equal(globMatch('left-pad', 'left-pad'), true);
    assert.equal(globMatch('left-pad', 'left-pad2'), false);
    assert.equal(globMatch('left-pad', 'Left-pad'), false, 'case-sensitive: callers normalise');
  });

  it('`*` stays within a name or folder, `**` crosses folders', () => {
    assert.equal(globMatch('evil-*', 'evil-'), true);
    assert.equal(globMatch('evil-*', 'evil-pkg'), true);
    assert.equal(globMatch('evil-*', 'not-evil-pkg'), false);
    assert.equal(globMatch('meta-llama/*', 'meta-llama/Llama-3.1-8B'), true);
    assert.equal(globMatch('meta-llama/*', 'meta-llama'), false);
    assert.equal(globMatch('meta-llama*', 'meta-llama/x'), false, '* does not cross /');
    assert.equal(globMatch('legacy/**', 'legacy/a/b/c.py'), true);
    assert.equal(globMatch('legacy/*', 'legacy/a/b.py'), false);
    assert.equal(globMatch('**', 'any/thing/at/all'), true);
  });

  it('`**/` matches zero or more whole folders', () => {
    assert.equal(globMatch('**/*.ipynb', 'a.ipynb'), true);
    assert.equal(globMatch('**/*.ipynb', 'x/y/a.ipynb'), true);
    assert.equal(globMatch('src/**/test_*.py', 'src/test_a.py'), true);
    assert.equal(globMatch('src/**/test_*.py', 'src/pkg/deep/test_a.py'), true);
    assert.equal(globMatch('src/**/test_*.py', 'src/pkg/a_test.py'), false);
    assert.equal(globMatch('src/**/test_*.py', 'srcx/test_a.py'), false);
  });

  it('`?` is one character other than /', () => {
    assert.equal(globMatch('gpt?', 'gpt2'), true);
    assert.equal(globMatch('gpt?', 'gpt'), false);
    assert.equal(globMatch('gpt?', 'gpt22'), false);
    assert.equal(globMatch('a?b', 'a/b'), false);
  });

  it('agrees with a regular-expression reference on random small inputs', () => {
    const alphabet = fc.constantFrom('a', 'b', '/', '-', '*', '?');
    const subjects = fc.constantFrom('a', 'b', '/', '-');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 8 }), fc.array(subjects, { maxLength: 10 }), (g, s) => {
        const glob = g.join('');
        if (glob.includes('***')) return;
        const subject = s.join('');
        assert.equal(globMatch(glob, subject), reference(glob, subject), `${glob} vs ${subject}`);
      }),
      { numRuns: 20000 },
    );
  });

  it('stays fast on patterns that make backtracking matchers explode', function () {
    this.timeout(20_000);
    // A backtracking matcher needs C(4000, 40) steps here; the row walk needs 40 x 4000.
    const glob = `${'*a'.repeat(40)}b`;
    const subject = 'a'.repeat(4000);
    for (let i = 0; i < 50; i++) assert.equal(globMatch(glob, subject), false);
    const paths = `${'**/a/'.repeat(40)}b`;
    assert.equal(globMatch(paths, 'a/'.repeat(2000)), false);
  });

  it('never matches an over-long pattern or subject with wildcards', () => {
    assert.equal(globMatch(`${'a'.repeat(MAX_GLOB_LENGTH)}*`, `${'a'.repeat(MAX_GLOB_LENGTH)}`), false);
    assert.equal(globMatch('*', 'x'.repeat(10_000)), false);
  });
});

describe('globSyntaxProblem', () => {
  it('accepts *, ** and ?', () => {
    for (const g of ['evil-*', 'meta-llama/*', 'legacy/**', 'gpt?', '**/x']) assert.equal(globSyntaxProblem(g), undefined, g);
  });
  it('names what is not supported', () => {
    assert.match(globSyntaxProblem('a***')!, /'\*\*\*' is not a pattern/);
    assert.match(globSyntaxProblem('a[bc]')!, /'\[' is not supported/);
    assert.match(globSyntaxProblem('{a,b}')!, /'\{' is not supported/);
    assert.match(globSyntaxProblem('!a')!, /'!' is not supported/);
    assert.match(globSyntaxProblem('a'.repeat(MAX_GLOB_LENGTH + 1))!, /too long/);
  });
});
