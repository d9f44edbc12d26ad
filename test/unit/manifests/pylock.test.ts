// pylock.toml (PEP 751): packages with their versions and sources as uv and pip write them, the
// file names that are (and are not) PEP 751 locks, the graph its `dependencies` give, and
// malformed or huge input as problems, never a throw.
import * as assert from 'node:assert/strict';
import { detectManifestKind, parseManifest } from '../../../server/src/manifests';
import { directDependentsOf, parseLockGraph } from '../../../server/src/manifests/lockGraph';
import { lockWorkspaceMembers } from '../../../server/src/manifests/lockWorkspaces';
import { isPylockName, parsePylock, pylockWorkspaceMembers } from '../../../server/src/manifests/pylock';
import { at, fixture } from './helpers';
import { assertInventory } from './lockHelpers';

const SHA = 'a'.repeat(64);

describe('pylock.toml', () => {
  const text = fixture('pylock.toml');
  const r = parsePylock(text);

  it('reports every locked package once per version and source, the project itself not', () => {
    assert.deepEqual(r.problems, []);
    assertInventory(text, r, [
      'certifi@2024.8.30 registry',
      'feature-store-client@ git https://github.com/acme/feature-store-client.git#5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d',
      'jinja2@3.1.4 registry',
      'local-metrics@ path libs/local-metrics',
      'requests@2.32.3 registry',
      'tokenizer-wheel@1.2.0 tarball https://downloads.example.com/wheels/tokenizer_wheel-1.2.0-py3-none-any.whl',
      'torch@2.4.1 registry https://download.pytorch.org/whl/cpu',
      'torch@2.5.1 registry https://download.pytorch.org/whl/cpu',
      'urllib3@2.2.3 registry',
    ]);
    assert.ok(!r.dependencies.some((d) => d.name === 'ml-app'), 'the directory at the lockfile’s own folder is the project');
    for (const d of r.dependencies) assert.equal(d.format, 'pylock.toml');
  });

  it('normalises names and points the name and version ranges at the values as written', () => {
    const jinja = r.dependencies.find((d) => d.name === 'jinja2')!;
    assert.equal(jinja.rawName, 'Jinja2');
    assert.equal(at(text, jinja.nameRange), 'Jinja2');
    assert.equal(jinja.specifier, '==3.1.4');
    for (const d of r.dependencies) {
      if (d.pinned) assert.equal(at(text, d.versionRange), d.pinned, d.name);
      else assert.equal(d.versionRange, undefined, `${d.name} records no version, so none is pointed at`);
      assert.ok(at(text, d.range)!.startsWith('[[packages]]'), `${d.name}: the range is the whole entry`);
    }
  });

  it('keeps both versions of a package locked per environment, each with its marker', () => {
    const torch = r.dependencies.filter((d) => d.name === 'torch');
    assert.deepEqual(torch.map((d) => [d.pinned, d.marker]), [
      ['2.4.1', "sys_platform == 'darwin'"],
      ['2.5.1', "sys_platform == 'linux'"],
    ]);
    assert.equal(r.dependencies.find((d) => d.name === 'requests')!.marker, undefined);
    // A package from another index changes what "not on PyPI" means.
    assert.deepEqual(r.indexUrls, ['https://download.pytorch.org/whl/cpu']);
  });

  it('never invents a version for VCS and directory sources, and keeps editable folders', () => {
    const vcs = r.dependencies.find((d) => d.name === 'feature-store-client')!;
    assert.equal(vcs.pinned, undefined);
    assert.equal(vcs.specifier, '');
    assert.equal(vcs.url, vcs.source!.url, 'a non-registry package is never looked up');
    const dir = r.dependencies.find((d) => d.name === 'local-metrics')!;
    assert.equal(dir.pinned, undefined);
    assert.equal(dir.editable, true);
    assert.equal(r.dependencies.find((d) => d.name === 'tokenizer-wheel')!.editable, undefined);
  });

  it('reads pip’s layout: sub-table headers, local wheel files, and a non-git VCS', () => {
    const pip = fixture('pylock.pip.toml');
    const p = parsePylock(pip);
    assert.deepEqual(p.problems, []);
    assertInventory(pip, p, [
      'idna@3.10 registry',
      'mercurial-tool@ git hg+https://hg.example.org/mercurial-tool#0123456789abcdef0123456789abcdef01234567',
      'private-utils@0.4.2 path wheels/private_utils-0.4.2-py3-none-any.whl',
      'pyyaml@6.0.2 registry',
    ]);
    assert.deepEqual(p.indexUrls, []);
  });

  it('reads sources from every spelling: inline arrays, file URLs, paths, and a source the spec forbids mixing', () => {
    const lock = [
      'lock-version = "1.0"',
      'created-by = "hand"',
      'packages = [',
      `  { name = "a", version = "1", archive = { path = "dist/a-1.tar.gz", hashes = { sha256 = "${SHA}" } } },`,
      `  { name = "b", version = "2", archive = { url = "file:///srv/b-2.whl", hashes = { sha256 = "${SHA}" } } },`,
      `  { name = "c", version = "3", index = "https://pypi.org/simple/", wheels = [{ path = "w/c-3-py3-none-any.whl" }] },`,
      `  { name = "d", version = "4", wheels = [{ url = "file:///w/d-4-py3-none-any.whl" }, { path = "w/d-4.tar.gz" }] },`,
      `  { name = "e", version = "5", wheels = [{ path = "w/e-5.whl" }, { url = "https://files.pythonhosted.org/e-5.whl" }] },`,
      '  { name = "f", vcs = { type = "git", url = "https://g.example/f.git", commit-id = "abc" }, index = "https://pypi.org/simple" },',
      '  { name = "g", vcs = { type = "git", path = "../g-checkout", commit-id = "def" } },',
      '  { name = "h", directory = { path = ".", subdirectory = "pkgs/h" } },',
      ']',
    ].join('\n');
    const res = parsePylock(lock);
    assert.deepEqual(res.problems, []);
    assertInventory(lock, res, [
      'a@1 path dist/a-1.tar.gz',
      'b@2 path file:///srv/b-2.whl',
      'c@3 registry',
      'd@4 path file:///w/d-4-py3-none-any.whl',
      'e@5 registry',
      'f@ git https://g.example/f.git#abc',
      'g@ git ../g-checkout#def',
      'h@ path .',
    ]);
  });

  it('builds the graph from `dependencies`, with the project and editable folders as roots', () => {
    const g = parseLockGraph('pylock.toml', text);
    assert.deepEqual(g.roots?.sort(), ['local-metrics', 'ml-app']);
    assert.deepEqual(g.packages.get('requests')?.deps, ['certifi', 'urllib3']);
    assert.deepEqual(g.packages.get('ml-app')?.deps.sort(), ['feature-store-client', 'local-metrics', 'requests', 'tokenizer-wheel', 'torch']);
    // One node per name: the first version locked, with the edges of every entry of that name.
    assert.equal(g.packages.get('torch')?.version, '2.4.1');
    assert.deepEqual(g.packages.get('torch')?.deps, ['jinja2']);
    assert.equal(g.packages.get('feature-store-client')?.version, '');
    assert.deepEqual(directDependentsOf(g, 'urllib3', new Set(['torch', 'feature-store-client'])), ['feature-store-client']);
    assert.deepEqual(directDependentsOf(g, 'Jinja2', new Set(['torch', 'requests'])), ['torch']);
    assert.deepEqual(directDependentsOf(g, 'jinja2', new Set(['requests'])), [], 'requests does not pull jinja2 in');
    assert.equal(parseLockGraph('pylock.toml', fixture('pylock.pip.toml')).packages.size, 4, 'pip records no edges: nodes only');
    assert.deepEqual(parseLockGraph('pylock.toml', fixture('pylock.pip.toml')).roots, []);
  });

  it('lists the folders it covers', () => {
    assert.deepEqual(pylockWorkspaceMembers(text), ['.', 'libs/local-metrics']);
    assert.deepEqual(lockWorkspaceMembers('pylock.toml', text), ['.', 'libs/local-metrics']);
    assert.equal(pylockWorkspaceMembers(fixture('pylock.pip.toml')), undefined);
  });
});

describe('pylock.toml file names', () => {
  it('recognises pylock.toml and pylock.<name>.toml, anywhere in the tree', () => {
    for (const p of ['/p/pylock.toml', '/p/pylock.dev.toml', 'C:\\p\\sub\\pylock.gpu-cu121.toml', '/p/pylock.py3_12-linux.toml', '/p/pylock.a b.toml', 'pylock.toml']) {
      assert.equal(detectManifestKind(p), 'pylock.toml', p);
    }
    assert.equal(parseManifest('/p/pylock.dev.toml', '[[packages]]\nname = "x"\nversion = "1"\n').dependencies[0]!.format, 'pylock.toml');
  });

  it('rejects names that are not PEP 751 locks (r"^pylock\\.([^.]+)\\.toml$")', () => {
    for (const base of ['pyproject.toml', 'pylock..toml', 'mypylock.toml', 'pylock.toml.bak', 'pylock.dev.toml~', 'pylock.', 'pylock.lock', 'Pylock.toml', 'pylock.toml/', 'pylock.dev..toml', 'pylock.dev toml', 'pylock.py3.linux.toml', 'pylock.toml.toml.', '.pylock.toml']) {
      assert.equal(isPylockName(base), false, base);
      assert.notEqual(detectManifestKind(`/p/${base}`), 'pylock.toml', base);
    }
    assert.equal(detectManifestKind('/p/pyproject.toml'), 'pyproject');
    // A named lock's name may not be absurdly long (a file system allows 255 characters).
    assert.equal(isPylockName(`pylock.${'a'.repeat(300)}.toml`), false);
    // The specification's pattern: no dot inside the name.
    assert.equal(isPylockName(`pylock.${'a.'.repeat(100)}toml`), false);
  });
});

describe('pylock.toml on malformed and hostile input', function () {
  this.timeout(300_000);

  it('turns broken TOML into an error problem, keeping what it could read', () => {
    const bad = parsePylock('lock-version = "1.0"\n[[packages]]\nname = "ok"\nversion = "1"\n\n[[packages]]\nname = "x\nversion = "2"\n');
    assert.deepEqual(bad.dependencies.map((d) => d.name), ['ok']);
    assert.equal(bad.problems[0]!.severity, 'error');
    assert.match(bad.problems[0]!.message, /Invalid TOML: unterminated string/);
  });

  it('says so when `packages` is not an array of tables, or an entry is not a table', () => {
    const notArray = parsePylock('lock-version = "1.0"\npackages = "requests==2.0"\n');
    assert.deepEqual(notArray.dependencies, []);
    assert.equal(notArray.problems.length, 1);
    assert.match(notArray.problems[0]!.message, /`packages` is not an array of tables/);
    const table = parsePylock('[packages]\nname = "x"\nversion = "1"\n');
    assert.deepEqual(table.dependencies, []);
    assert.match(table.problems[0]!.message, /not an array of tables/);
    const mixed = parsePylock('packages = ["a", { name = "b", version = "1" }, 3]\n');
    assert.deepEqual(mixed.dependencies.map((d) => d.name), ['b']);
    assert.equal(mixed.problems.length, 1);
    assert.equal(mixed.problems[0]!.severity, 'warning');
    assert.match(mixed.problems[0]!.message, /2 `packages` entries are not tables/);
  });

  it('warns about an entry whose name is missing or not a string, and reads the others', () => {
    const res = parsePylock('[[packages]]\nname = 42\nversion = "1"\n\n[[packages]]\nversion = "2"\n\n[[packages]]\nname = "fine"\nversion = "3"\n');
    assert.deepEqual(res.dependencies.map((d) => [d.name, d.pinned]), [['fine', '3']]);
    assert.equal(res.problems.length, 2);
    assert.ok(res.problems.every((p) => p.severity === 'warning' && /without a name/.test(p.message)));
    // A version that is not a string is no version: the package is reported unpinned, not dropped.
    const v = parsePylock('[[packages]]\nname = "x"\nversion = 1.0\n');
    assert.deepEqual(v.dependencies.map((d) => [d.name, d.pinned, d.specifier]), [['x', undefined, '']]);
  });

  it('warns about a lock-version it does not know, and accepts 1.x', () => {
    const two = parsePylock('lock-version = "2.0"\n[[packages]]\nname = "x"\nversion = "1"\n');
    assert.equal(two.dependencies.length, 1);
    assert.equal(two.problems.length, 1);
    assert.match(two.problems[0]!.message, /lock-version "2.0" is not 1\.x/);
    assert.match(parsePylock('lock-version = 1\n').problems[0]!.message, /not a string/);
    for (const ok of ['1.0', '1.1', '1']) assert.deepEqual(parsePylock(`lock-version = "${ok}"\n`).problems, [], ok);
    assert.deepEqual(parsePylock('created-by = "x"\n').problems, [], 'pip leaves out an empty packages array');
  });

  it('ignores [tool] tables, package tool tables and attestations, whatever they hold', () => {
    const lock = `[[packages]]\nname = "x"\nversion = "1"\ntool = { name = "not-a-package", version = "9" }\nattestation-identities = [{ kind = "GitHub", name = "y" }]\n\n[packages.tool.acme]\nname = "z"\n\n[tool.acme]\npackages = [{ name = "w" }]\n`;
    const res = parsePylock(lock);
    assert.deepEqual(res.problems, []);
    assert.deepEqual(res.dependencies.map((d) => d.name), ['x']);
  });

  it('reads 50,000 packages as pip writes them, every version kept, graph and members too', () => {
    const n = 50_000;
    const parts = ['lock-version = "1.0"\ncreated-by = "pip"\n'];
    for (let i = 0; i < n; i++) {
      parts.push(`\n[[packages]]\nname = "pkg-${i}"\nversion = "1.0.${i}"\nmarker = "python_version >= '3.${i % 13}'"\ndependencies = [{ name = "pkg-${(i + 1) % n}" }]\n\n[[packages.wheels]]\nname = "pkg_${i}-1.0.${i}-py3-none-any.whl"\nurl = "https://files.pythonhosted.org/packages/pkg_${i}-1.0.${i}-py3-none-any.whl"\n\n[packages.wheels.hashes]\nsha256 = "${SHA}"\n`);
      // Every hundredth name is locked again under another version (another environment).
      if (i % 100 === 0) parts.push(`\n[[packages]]\nname = "pkg-${i}"\nversion = "2.0.${i}"\nindex = "https://pypi.org/simple"\nwheels = [{ url = "https://f/pkg_${i}-2.whl", hashes = { sha256 = "${SHA}" } }]\n`);
    }
    const big = parts.join('');
    const res = parsePylock(big);
    assert.deepEqual(res.problems, []);
    assert.equal(res.dependencies.length, n + n / 100);
    const last = res.dependencies.find((d) => d.name === `pkg-${n - 1}`)!;
    assert.equal(last.pinned, `1.0.${n - 1}`);
    assert.equal(at(big, last.nameRange), `pkg-${n - 1}`);
    assert.equal(at(big, last.versionRange), `1.0.${n - 1}`);
    assert.deepEqual(res.dependencies.filter((d) => d.name === 'pkg-200').map((d) => d.pinned), ['1.0.200', '2.0.200']);
    const g = parseLockGraph('pylock.toml', big);
    assert.equal(g.packages.size, n);
    assert.deepEqual(g.packages.get(`pkg-${n - 1}`)?.deps, ['pkg-0']);
    assert.equal(pylockWorkspaceMembers(big), undefined);
  });
});
