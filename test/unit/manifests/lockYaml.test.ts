import assert from 'node:assert/strict';
import { scanYaml, yGet, yPairs, ySubRange, yText, type YNode } from '../../../server/src/manifests/lockYaml';

/** A plain-data view of a node (values only), for readable expectations. */
function plain(n: YNode | undefined): unknown {
  if (!n) return null;
  if (n.kind === 'scalar') return n.value;
  if (n.kind === 'seq') return n.items.map(plain);
  return Object.fromEntries(n.pairs.map((p) => [p.key.value, plain(p.value)]));
}

const docs = (text: string) => scanYaml(text).documents.map((d) => plain(d.root));

describe('lockYaml (the lockfile YAML scanner)', () => {
  it('reads block mappings, flow mappings and sequences, and quoted keys', () => {
    const text = "lockfileVersion: '9.0'\nimporters:\n\n  .:\n    dependencies:\n      react:\n        specifier: ^19.0.0\n        version: 19.0.0\npackages:\n  '@b/c@2.0.0': {}\n  a@1.0.0:\n    resolution: {integrity: sha512-x==, tarball: https://r.example/a/-/a-1.0.0.tgz}\n    cpu: [x64, arm64]\n";
    assert.deepEqual(docs(text), [
      {
        lockfileVersion: '9.0',
        importers: { '.': { dependencies: { react: { specifier: '^19.0.0', version: '19.0.0' } } } },
        packages: { '@b/c@2.0.0': {}, 'a@1.0.0': { resolution: { integrity: 'sha512-x==', tarball: 'https://r.example/a/-/a-1.0.0.tgz' }, cpu: ['x64', 'arm64'] } },
      },
    ]);
    assert.deepEqual(scanYaml(text).problems, []);
  });

  it('reads every document of a stream', () => {
    assert.deepEqual(docs('---\na: 1\n---\nb: [1, {c: d}]\n...\n'), [{ a: '1' }, { b: ['1', { c: 'd' }] }]);
    assert.deepEqual(docs('a: 1\n---\n'), [{ a: '1' }, null], 'a marker opens an (empty) document');
    assert.deepEqual(docs(''), []);
    assert.deepEqual(docs('# only a comment\n'), []);
  });

  it('keeps exact offsets for plain and unescaped quoted scalars', () => {
    const text = 'k: "a@1.0.0"\n\'q\': plain value # comment\n';
    const root = scanYaml(text).documents[0]!.root;
    const v = yGet(root, 'k');
    assert.ok(v?.kind === 'scalar');
    assert.equal(text.slice(v.start, v.end), '"a@1.0.0"');
    const r = ySubRange(v, 0, 1)!;
    assert.equal(text.slice(r.start, r.end), 'a');
    const q = yPairs(root)[1]!;
    assert.equal(q.key.value, 'q');
    assert.equal(yText(q.value), 'plain value');
    const qr = ySubRange(q.value as never)!;
    assert.equal(text.slice(qr.start, qr.end), 'plain value');
  });

  it('decodes escapes and folds multi-line quoted scalars, without exact offsets', () => {
    const root = scanYaml('a: "x\\ty\\u0041"\nb: \'it\'\'s\'\nc: "multi\n  line"\n').documents[0]!.root;
    assert.equal(yText(yGet(root, 'a')), 'x\tyA');
    assert.equal(yText(yGet(root, 'b')), "it's");
    assert.equal(yText(yGet(root, 'c')), 'multi line');
    const a = yGet(root, 'a');
    assert.equal(a?.kind === 'scalar' ? a.contentStart : 0, undefined);
  });

  it('reads block scalars and sequences at their key\'s indent', () => {
    assert.deepEqual(docs('d: |\n  line one\n  line two\ne: >-\n  folded\n  text\nf:\n- x\n- y: 1\n  z: 2\ng: 3\n'), [{ d: 'line one\nline two', e: 'folded text', f: ['x', { y: '1', z: '2' }], g: '3' }]);
  });

  it('reads flow collections over several lines, with comments', () => {
    assert.deepEqual(docs('a: {x: 1, # one\n  y: [2,\n    3]}\nb: 4\n'), [{ a: { x: '1', y: ['2', '3'] }, b: '4' }]);
  });

  it('skips the values it is told to skip, at that depth only', () => {
    const text = 'engines: top\npackages:\n  a@1:\n    engines: {node: x}\n    os: [linux]\n    dependencies:\n      engines: 1.0.0\n';
    const scan = scanYaml(text, { skip: (key, depth) => depth === 2 && (key === 'engines' || key === 'os') });
    assert.deepEqual(plain(scan.documents[0]!.root), { engines: 'top', packages: { 'a@1': { dependencies: { engines: '1.0.0' } } } });
  });

  it('reports malformed input as problems and recovers at the next line of its indent', () => {
    const r = scanYaml('a:\n  b: [unclosed\nc: 3\n\td: tab\n- item\ne: "open\nf: 4\n');
    assert.deepEqual(plain(r.documents[0]!.root), { a: { b: ['unclosed'] }, c: '3', e: 'open', f: '4' });
    assert.ok(r.problems.length >= 4);
    for (const p of r.problems) {
      assert.equal(p.severity, 'error');
      assert.match(p.message, /^Invalid YAML: /);
    }
  });

  it('caps flow nesting and the number of problems', () => {
    const deep = scanYaml('a: ' + '['.repeat(10_000) + ']'.repeat(10_000) + '\nb: 1\n');
    assert.equal(yText(yGet(deep.documents[0]!.root, 'b')), '1');
    assert.ok(deep.problems.some((p) => /too deeply/.test(p.message)));
    assert.equal(scanYaml('x\n'.repeat(1000)).problems.length, 100);
  });
});
