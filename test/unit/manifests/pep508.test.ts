import * as assert from 'node:assert/strict';
import { excerpt, isValidVersion, normalizeName, parsePep508, startsWithNamedUrl, type Pep508Requirement } from '../../../server/src/manifests/pep508';
import { at } from './helpers';

function ok(s: string): Pep508Requirement {
  const r = parsePep508(s);
  if (!r.ok) assert.fail(`expected ${s} to parse: ${r.problem.message}`);
  return r.requirement;
}

function bad(s: string): { message: string; text: string } {
  const r = parsePep508(s);
  if (r.ok) assert.fail(`expected ${s} to fail`);
  return { message: r.problem.message, text: s.slice(r.problem.range.start, r.problem.range.end) };
}

describe('pep508', () => {
  it('normalises names per PEP 503', () => {
    assert.equal(normalizeName('Foo_Bar'), 'foo-bar');
    assert.equal(normalizeName('a.-_b'), 'a-b');
    assert.equal(normalizeName('zope.interface'), 'zope-interface');
  });

  it('parses name, extras, spaced specifiers and marker with exact offsets', () => {
    const s = 'requests [security,socks] >= 2.8.1, == 2.8.* ; python_version < "2.7"';
    const r = ok(s);
    assert.equal(r.name, 'requests');
    assert.deepEqual(r.extras, ['security', 'socks']);
    assert.equal(r.specifier, '>=2.8.1,==2.8.*');
    assert.equal(r.pinned, undefined, 'a wildcard is not a pin');
    assert.equal(at(s, r.nameRange), 'requests');
    assert.equal(at(s, r.versionRange), '>= 2.8.1, == 2.8.*');
    assert.equal(r.marker, 'python_version < "2.7"');
    assert.equal(at(s, r.markerRange), 'python_version < "2.7"');
    assert.equal(at(s, r.range), s);
  });

  it('pins on == without wildcard and on ===, with local versions', () => {
    assert.equal(ok('torch==2.0.1+cu118').pinned, '2.0.1+cu118');
    assert.equal(ok('foo===weird-1').pinned, 'weird-1');
    assert.equal(ok('foo>=1,<2').pinned, undefined);
    assert.equal(ok('foo~=1.4').specifier, '~=1.4');
    assert.equal(ok('foo!=1.5.*').pinned, undefined);
  });

  it('gives an empty insertion range after the name or extras when there is no specifier', () => {
    const s = '  Foo.Bar[x]  ; os_name == "nt"';
    const r = ok(s);
    assert.equal(r.rawName, 'Foo.Bar');
    assert.equal(r.name, 'foo-bar');
    assert.equal(r.specifier, '');
    assert.deepEqual(r.versionRange, { start: s.indexOf(']') + 1, end: s.indexOf(']') + 1 });
    const plain = ok('numpy');
    assert.deepEqual(plain.versionRange, { start: 5, end: 5 });
    assert.deepEqual(plain.range, { start: 0, end: 5 });
  });

  it('handles parenthesised specifiers', () => {
    const s = 'name (>=1.0, <2.0) ; extra == "a"';
    const r = ok(s);
    assert.equal(r.specifier, '>=1.0,<2.0');
    assert.equal(at(s, r.versionRange), '>=1.0, <2.0');
    assert.equal(r.marker, 'extra == "a"');
  });

  it('parses direct URL references', () => {
    const s = 'foo@ file:///tmp/foo';
    const r = ok(s);
    assert.equal(r.url, 'file:///tmp/foo');
    assert.equal(at(s, r.urlRange), 'file:///tmp/foo');
    assert.equal(r.specifier, '');
    const t = 'pip @ https://github.com/pypa/pip/archive/1.3.1.zip#sha1=da9234ee ; python_version >= "3"';
    const u = ok(t);
    assert.equal(u.url, 'https://github.com/pypa/pip/archive/1.3.1.zip#sha1=da9234ee');
    assert.equal(u.marker, 'python_version >= "3"');
    assert.equal(at(t, u.range), t);
  });

  it('reports invalid input as problems with ranges, never throws', () => {
    assert.match(bad('').message, /Expected a package name/);
    const n = bad('_foo==1');
    assert.match(n.message, /must start with a letter or digit/);
    assert.equal(n.text, '_');
    assert.equal(bad('foo-==1').text, 'foo-');
    assert.equal(bad('foo$bar==1').text, '$');
    assert.match(bad('foo=1.0').message, /use '=='/);
    assert.equal(bad('foo>=1.0.*').text, '1.0.*');
    assert.equal(bad('foo==abc').text, 'abc');
    assert.match(bad('foo~=1').message, /two release segments/);
    assert.match(bad('foo[bar').message, /Unclosed extras/);
    assert.match(bad('foo>=1;').message, /marker/);
    assert.match(bad('foo @ ').message, /Expected a URL/);
    assert.match(bad('foo (>=1').message, /Expected '\)'/);
    assert.match(bad('foo>=').message, /Expected a version/);
    assert.match(bad('foo ; nonsense').message, /Invalid environment marker/);
    assert.doesNotThrow(() => parsePep508('\u0000\u0001\uffff'));
  });

  it('validates versions', () => {
    assert.ok(isValidVersion('1.0'));
    assert.ok(isValidVersion('1!2.0.post1.dev3+local.7'));
    assert.ok(isValidVersion('2.0rc1'));
    assert.ok(!isValidVersion('1.0.*'));
    assert.ok(!isValidVersion('latest'));
  });
});

describe('pep508 on hostile text', () => {
  it('startsWithNamedUrl recognises `name @`, `name[extras] @` with any blanks, and nothing else', () => {
    for (const s of ['a @ https://x', 'a@https://x', 'a [x, y] @ u', 'a[x]@u', 'my.pkg-1_b\t@\tu']) assert.ok(startsWithNamedUrl(s), s);
    for (const s of ['@ u', '-a @ u', 'a == 1 @ u', 'a [x @ u', 'a b @ u', '', ' a @ u']) assert.ok(!startsWithNamedUrl(s), s);
  });

  it('startsWithNamedUrl is linear where the regex it replaced was quadratic (1 M blanks)', function () {
    this.timeout(20_000);
    assert.ok(!startsWithNamedUrl(`name${' '.repeat(500_000)}[x]${' '.repeat(500_000)}x`));
    assert.ok(startsWithNamedUrl(`name${' '.repeat(1_000_000)}@u`));
  });

  it('problem messages quote an excerpt, not the whole line', () => {
    const r = parsePep508(`torch==1.0 ${'x'.repeat(100_000)}`);
    assert.ok(!r.ok && r.problem.message.length < 200);
    assert.equal(excerpt('short'), 'short');
    assert.equal(excerpt('a'.repeat(100)).length, 60);
  });
});
