import assert from 'node:assert/strict';
import type { PolicySpan } from '../../../server/src/domain';
import { compilePattern, type PatternKind } from '../../../server/src/policy/match';
import { parseDate, parseDuration } from '../../../server/src/policy/values';

const at: PolicySpan = { range: { start: 0, end: 0 }, lines: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
const ok = (kind: PatternKind, text: string) => {
  const c = compilePattern(kind, text, at);
  if ('problem' in c) throw new Error(c.problem);
  return c.pattern;
};
const problem = (kind: PatternKind, text: string) => {
  const c = compilePattern(kind, text, at);
  return 'problem' in c ? c.problem : undefined;
};

describe('policy patterns', () => {
  it('package patterns: an optional ecosystem prefix, PEP 503 for PyPI, lower case otherwise', () => {
    assert.deepEqual([ok('package', 'pypi:Evil_Pkg.*').ecosystem, ok('package', 'pypi:Evil_Pkg.*').glob], ['PyPI', 'evil-pkg-*']);
    assert.deepEqual([ok('package', 'PyPI:x').ecosystem], ['PyPI']);
    assert.deepEqual([ok('package', 'npm:@Acme/*').ecosystem, ok('package', 'npm:@Acme/*').glob], ['npm', '@acme/*']);
    assert.deepEqual([ok('package', 'Left_Pad').ecosystem, ok('package', 'Left_Pad').glob], [undefined, 'left_pad']);
  });

  it('package patterns: what is refused', () => {
    assert.equal(problem('package', 'node:x'), "Unknown ecosystem 'node'; did you mean 'npm'?");
    assert.equal(problem('package', 'cargo:x'), "Unknown ecosystem 'cargo': write 'pypi:<name>', 'npm:<name>', or a bare name for both");
    assert.equal(problem('package', 'pypi:'), "No package name after 'pypi:'");
    assert.match(problem('package', 'npm:left-pad@1.0')!, /^Versions are not part/);
    assert.match(problem('package', 'torch>=2')!, /^Versions are not part/);
    assert.equal(problem('package', 'pypi:@scope/x'), "'@scope/x' is not a valid PyPI package name or glob");
    assert.equal(problem('package', ''), 'Empty pattern');
  });

  it('model ids: case-insensitive globs of organisation/name', () => {
    assert.equal(ok('model', 'Meta-Llama/*').glob, 'meta-llama/*');
    assert.equal(ok('model', 'gpt2').glob, 'gpt2');
    assert.equal(ok('model', '**').glob, '**');
    assert.match(problem('model', 'hf:org/x')!, /not a URL/);
    assert.match(problem('model', 'org/')!, /empty organisation or name/);
    assert.match(problem('model', 'org name/x')!, /is not a Hub model id/);
  });

  it('licence ids and paths', () => {
    assert.equal(ok('license', 'CC-BY-NC-*').glob, 'cc-by-nc-*');
    assert.equal(ok('license', 'GPL-2.0+').glob, 'gpl-2.0+');
    assert.equal(ok('path', './legacy/').glob, 'legacy', 'leading ./ and trailing / dropped');
    assert.equal(ok('path', 'Notebooks/**/*.ipynb').glob, 'Notebooks/**/*.ipynb', 'paths keep their case');
    assert.equal(ok('path', '.').glob, '**', 'the policy folder itself: everything in it');
    assert.match(problem('path', 'a\\b')!, /Use '\/' between folders/);
    assert.match(problem('path', 'C:/x')!, /absolute/);
  });
});

describe('policy values', () => {
  it('durations in hours, days and weeks', () => {
    assert.deepEqual(parseDuration('48h'), { value: 48 * 3_600_000 });
    assert.deepEqual(parseDuration(' 7d '), { value: 7 * 86_400_000 });
    assert.deepEqual(parseDuration('2W'), { value: 14 * 86_400_000 });
    assert.deepEqual(parseDuration('0d'), { value: 0 });
    assert.ok('problem' in parseDuration('7.5d'));
    assert.ok('problem' in parseDuration('-1d'));
    assert.ok('problem' in parseDuration('d'));
    assert.ok('problem' in parseDuration('12345678d'));
  });

  it('dates: a local date is the start of that day in UTC', () => {
    const r = parseDate({ kind: 'local-date', text: '2027-03-01', range: { start: 0, end: 10 } });
    assert.deepEqual(r, { value: { at: Date.UTC(2027, 2, 1), text: '2027-03-01' } });
    const o = parseDate({ kind: 'offset-date-time', text: '2027-03-01T10:00:00+02:00', range: { start: 0, end: 10 } });
    assert.deepEqual('value' in o && o.value.at, Date.UTC(2027, 2, 1, 8));
    assert.ok('problem' in parseDate({ kind: 'boolean', value: true, range: { start: 0, end: 4 } }));
  });
});
