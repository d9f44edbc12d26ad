import assert from 'node:assert/strict';
import { scanToml, tGet, tItems, tString, type TValue } from '../../../server/src/manifests/lockToml';

/** A plain-data view of a value, for readable expectations. */
function plain(v: TValue | undefined): unknown {
  if (!v) return undefined;
  if (v.kind === 'string') return v.value;
  if (v.kind === 'other') return { raw: v.raw };
  if (v.kind === 'array') return v.items.map(plain);
  return Object.fromEntries([...v.entries].map(([k, x]) => [k, plain(x)]));
}

describe('lockToml (the lockfile TOML scanner)', () => {
  it('reads tables, arrays of tables with sub-tables, inline tables and arrays', () => {
    const text = 'version = 1\n[manifest]\nmembers = ["a", "b"]\n\n[[package]]\nname = "x"\nsource = { git = "https://g/x?rev=main#abc" }\ndependencies = [\n    { name = "y", marker = "sys_platform == \'win32\'" },\n]\n\n[package.optional-dependencies]\ndev = [{ name = "z" }]\n\n[[package]]\nname = "y"\n';
    const scan = scanToml(text);
    assert.deepEqual(scan.problems, []);
    assert.deepEqual(plain(scan.root), {
      version: { raw: '1' },
      manifest: { members: ['a', 'b'] },
      package: [
        { name: 'x', source: { git: 'https://g/x?rev=main#abc' }, dependencies: [{ name: 'y', marker: "sys_platform == 'win32'" }], 'optional-dependencies': { dev: [{ name: 'z' }] } },
        { name: 'y' },
      ],
    });
    const first = tItems(tGet(scan.root, 'package'))[0]!;
    assert.ok(text.slice(first.start, first.end).startsWith('[[package]]\nname = "x"'));
    assert.ok(text.slice(first.start, first.end).endsWith('dev = [{ name = "z" }]'), 'a package spans its sub-tables');
  });

  it('reads all four string forms, escapes, dotted and quoted keys', () => {
    const scan = scanToml('a = """\nmulti "q" \\\n   line"""\nb = \'\'\'lit\\n\'\'\'\n"c.d" = "x\\u0041\\t"\ne.f.g = true # c\nh = \'raw\\\'\n');
    assert.deepEqual(scan.problems, []);
    assert.deepEqual(plain(scan.root), { a: 'multi "q" line', b: 'lit\\n', 'c.d': 'xA\t', e: { f: { g: { raw: 'true' } } }, h: 'raw\\' });
  });

  it('keeps exact offsets of strings without escapes', () => {
    const text = 'name = "torch"\nx = "a\\"b"\n';
    const scan = scanToml(text);
    const name = tGet(scan.root, 'name');
    assert.ok(name?.kind === 'string' && name.contentStart !== undefined);
    assert.equal(text.slice(name.contentStart, name.contentStart + name.value.length), 'torch');
    const x = tGet(scan.root, 'x');
    assert.equal(x?.kind === 'string' ? x.contentStart : 0, undefined);
  });

  it('reads past skipped values without keeping them', () => {
    const scan = scanToml('[[package]]\nname = "a"\nwheels = [\n  { url = "u", hash = "h" },\n]\n[metadata.files]\na = [{file = "f"}]\n', { skip: (key, table) => key === 'wheels' || table[1] === 'files' });
    assert.deepEqual(scan.problems, []);
    assert.deepEqual(plain(scan.root), { package: [{ name: 'a' }], metadata: { files: {} } });
  });

  it('reports broken lines and keeps keys of a broken header out of the previous table', () => {
    const scan = scanToml('[[package]]\nname = "a"\n[[package]\nname = "b"\nc = "open\nd = [1, 2\n');
    assert.deepEqual(tItems(tGet(scan.root, 'package')).map((p) => tString(tGet(p, 'name'))), ['a']);
    assert.ok(scan.problems.length >= 2);
    assert.match(scan.problems[0]!.message, /^Invalid TOML: expected `\]\]` \(line 3\)$/);
    for (const p of scan.problems) assert.equal(p.severity, 'error');
  });

  it('reports duplicate keys and redefinitions, keeping the first', () => {
    const scan = scanToml('a = 1\na = 2\n[a]\nb = 3\n');
    assert.deepEqual(plain(tGet(scan.root, 'a')), { raw: '1' });
    assert.equal(scan.problems.length, 2);
  });

  it('caps nesting, header length and the number of problems', () => {
    const deep = scanToml('a = ' + '['.repeat(10_000) + ']'.repeat(10_000) + '\nb = 1\n');
    assert.ok(deep.problems.some((p) => /too deeply/.test(p.message)));
    assert.deepEqual(plain(tGet(deep.root, 'b')), { raw: '1' });
    assert.equal(scanToml('[' + 'a.'.repeat(100) + 'a]\nx = 1\n').problems.length, 1);
    assert.equal(scanToml('= x\n'.repeat(1000)).problems.length, 100);
  });
});
