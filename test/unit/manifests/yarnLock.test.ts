import assert from 'node:assert/strict';
import { headerDescriptors, parseYarnLock, yarnLockEntries, yarnWorkspaceMembers } from '../../../server/src/manifests/yarnLock';
import { directDependentsOf, parseLockGraph } from '../../../server/src/manifests/lockGraph';
import { at, fixture } from './helpers';
import { assertInventory } from './lockHelpers';

describe('yarn.lock', () => {
  describe('v1 (classic)', () => {
    const text = fixture('npm/yarn.v1.lock');
    const r = parseYarnLock(text);

    it('reads each entry once with its exact version and source', () => {
      assert.deepEqual(r.problems, []);
      assertInventory(text, r, [
        '@babel/code-frame@7.12.13 registry',
        '@babel/highlight@7.13.10 registry',
        'js-tokens@4.0.0 registry',
        'lodash@4.17.15 registry',
        'string-width@4.2.3 registry alias=string-width-cjs',
        'my-lib@1.0.0 git git+https://github.com/acme/my-lib.git#abc123',
      ]);
      for (const d of r.dependencies) assert.equal(d.format, 'yarn.lock');
    });

    it('puts the name range on a descriptor of the header', () => {
      const cf = r.dependencies[0]!;
      assert.equal(text.slice(cf.nameRange.start - 1, cf.nameRange.end + 7), '"@babel/code-frame@^7.0.0');
      assert.ok(at(text, cf.range)!.endsWith('"@babel/highlight" "^7.12.13"'));
      const lodash = r.dependencies.find((d) => d.name === 'lodash')!;
      assert.equal(text.slice(lodash.nameRange.start, lodash.nameRange.end + 8), 'lodash@^4.17.0');
      // An alias is ranged on the real name inside `string-width-cjs@npm:string-width@^4.2.0`.
      const sw = r.dependencies.find((d) => d.name === 'string-width')!;
      assert.equal(text.slice(sw.nameRange.start - 'string-width-cjs@npm:'.length, sw.nameRange.end), 'string-width-cjs@npm:string-width');
    });

    it('builds the graph from the dependencies blocks, git packages included', () => {
      const g = parseLockGraph('yarn.lock', text);
      assert.deepEqual(g.packages.get('@babel/code-frame')?.deps, ['@babel/highlight']);
      assert.deepEqual(g.packages.get('@babel/highlight')?.deps, ['js-tokens']);
      assert.deepEqual(directDependentsOf(g, 'js-tokens', new Set(['@babel/code-frame', 'lodash'])), ['@babel/code-frame']);
      assert.equal(g.packages.get('my-lib')?.version, '1.0.0');
    });

    it('handles CRLF line endings', () => {
      const crlf = text.replace(/\n/g, '\r\n');
      const res = parseYarnLock(crlf);
      assert.equal(res.dependencies.length, 6);
      assert.equal(at(crlf, res.dependencies[3]!.nameRange), 'lodash');
      assert.deepEqual(yarnLockEntries(crlf).find((e) => e.name === '@babel/highlight')?.deps, ['js-tokens']);
    });

    it('warns on stray lines and entries without a version, and still reports them', () => {
      const res = parseYarnLock('garbage here\na@^1:\n  version "1.0.0"\nb@^2:\n  resolved "x"\n');
      assert.deepEqual(res.problems.map((p) => p.severity), ['warning', 'warning']);
      assert.deepEqual(res.dependencies.map((d) => `${d.name}@${d.pinned ?? ''} ${d.specifier}`), ['a@1.0.0 1.0.0', 'b@ ^2']);
    });

    it('takes the version from a registry tarball URL when the entry has none', () => {
      const res = parseYarnLock('c@^3:\n  resolved "https://registry.yarnpkg.com/c/-/c-3.1.4.tgz#abc"\n');
      assert.deepEqual(res.problems, []);
      assert.equal(res.dependencies[0]!.pinned, '3.1.4');
    });
  });

  describe('v1 with quoted keys, multi-range headers and non-registry sources', () => {
    const text = fixture('npm/yarn.v1-sources.lock');
    const r = parseYarnLock(text);

    it('reports every entry once with where it comes from', () => {
      assert.deepEqual(r.problems, []);
      assertInventory(text, r, [
        '@babel/code-frame@7.12.13 registry',
        '@babel/highlight@7.13.10 registry',
        '@internal/logger@2.1.0 registry https://npm.internal.example.com/repository/npm-group/',
        'pkg@1.4.0 registry',
        'deep-merge@1.2.0 git https://codeload.github.com/acme/deep-merge/tar.gz/8c1f3a5b0e9d2f4c6a7b8e9d0f1a2b3c4d5e6f70',
        'is-fork@0.3.1 git git+https://github.com/acme/is-fork.git#1f2e3d4c5b6a79880716253443526170a9b8c7d6',
        'js-tokens@4.0.0 registry',
        'local-utils@0.0.1 path file:./vendor/local-utils',
        'lodash@4.17.21 registry',
        'my-tarball@1.0.0 tarball https://example.com/files/my-tarball-1.0.0.tgz#6d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c',
        'no-range-pkg@1.0.0 registry',
        'string-width@4.2.3 registry',
        'strip-ansi@6.0.1 registry',
        'left-pad@1.3.0 registry',
      ]);
    });

    it('splits headers at commas outside quotes, keeping offsets of unescaped descriptors', () => {
      const line = '"a@^1", b@~2 , "c@npm:d@^3", "e\\"x@1"';
      assert.deepEqual(headerDescriptors(line, 100), [
        { text: 'a@^1', at: 101 },
        { text: 'b@~2', at: 108 },
        { text: 'c@npm:d@^3', at: 116 },
        { text: 'e"x@1' },
      ]);
      assert.deepEqual(headerDescriptors('', 0), []);
      assert.deepEqual(headerDescriptors('"unterminated, x@1', 0), [{ text: 'unterminated, x@1', at: 1 }]);
    });

    it('reports a package installed directly and under an alias once, not as the alias', () => {
      const strip = r.dependencies.filter((d) => d.name === 'strip-ansi');
      assert.equal(strip.length, 1);
      assert.equal(strip[0]!.source?.alias, undefined);
    });

    it('resolves the graph through aliases, git packages and optional dependencies', () => {
      const g = parseLockGraph('yarn.lock', text);
      assert.deepEqual(g.packages.get('is-fork')?.deps, ['lodash']);
      assert.deepEqual(g.packages.get('string-width')?.deps, ['strip-ansi']);
      assert.deepEqual(g.packages.get('strip-ansi')?.deps, ['left-pad']);
      assert.equal(yarnWorkspaceMembers(text), undefined, 'v1 records no workspace');
    });
  });

  describe('berry (v2+)', () => {
    const text = fixture('npm/yarn.berry.lock');
    const r = parseYarnLock(text);

    it('reads npm resolutions, patches, and skips only the root workspace', () => {
      assert.deepEqual(r.problems, []);
      assertInventory(text, r, [
        '@babel/code-frame@7.12.13 registry',
        '@babel/highlight@7.13.10 registry',
        'js-tokens@4.0.0 registry',
        'string-width@4.2.3 registry',
        'resolve@1.22.1 patch patch:resolve@npm%3A1.22.1#~builtin<compat/resolve>::version=1.22.1&hash=07638b',
      ]);
      assert.ok(at(text, r.dependencies[0]!.range)!.startsWith('"@babel/code-frame@npm:^7.0.0, '));
      assert.ok(!r.dependencies.some((d) => d.name === 'demo-app'));
    });

    it('builds the graph, following aliased edges', () => {
      const g = parseLockGraph('yarn.lock', text);
      assert.deepEqual(g.packages.get('@babel/code-frame')?.deps, ['@babel/highlight']);
      assert.deepEqual(g.packages.get('@babel/highlight')?.deps, ['js-tokens', 'string-width']);
    });

    it('reports broken YAML as a problem', () => {
      const res = parseYarnLock('__metadata:\n  version: 6\n"a@npm:^1":\n  version: [1\n');
      assert.ok(res.problems.some((p) => p.severity === 'error'));
    });
  });

  describe('berry workspace with workspace:, patch:, portal:, link:, git and tarball entries', () => {
    const text = fixture('npm/yarn.berry-workspace.lock');
    const r = parseYarnLock(text);

    it('reports every entry once with its source', () => {
      assert.deepEqual(r.problems, []);
      assertInventory(
        text,
        r,
        [
          '@acme/app@ workspace packages/app',
          '@acme/utils@ workspace packages/utils',
          'is-even@1.1.0 git https://github.com/jonschlinkert/is-even.git#commit=7c2f3e4d5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d',
          'is-number@3.0.0 registry',
          'is-number@6.0.0 registry',
          'is-odd@3.0.1 git https://github.com/jonschlinkert/is-odd.git#commit=f9a6f1a7a9b26d1b3c1e8b4d7f0c5e6a2b3d4c5e',
          'is-odd@0.1.2 registry',
          'kind-of@3.2.2 registry',
          'is-buffer@1.1.6 registry',
          'left-pad@1.3.0 registry https://npm.internal.example.com/',
          'linked-config@ path link:../../config',
          'local-pkg@ path portal:./local-pkg',
          'lodash@4.17.21 registry',
          'lodash@4.17.21 patch patch:lodash@npm%3A4.17.21#~/.yarn/patches/lodash-npm-4.17.21-6382451519.patch::version=4.17.21&hash=2c6e9e',
          'resolve@1.22.8 registry',
          'resolve@1.22.8 patch patch:resolve@npm%3A1.22.8#optional!builtin<compat/resolve>::version=1.22.8&hash=c3c19d',
          'string-width@4.2.3 registry',
          'tarball-pkg@2.0.0 tarball https://example.com/tarballs/tarball-pkg-2.0.0.tgz',
          'typescript@5.4.5 registry',
          'typescript@5.4.5 patch patch:typescript@npm%3A5.4.5#optional!builtin<compat/typescript>::version=5.4.5&hash=5adc0c',
        ],
        (d) => d.name,
      );
    });

    it('names a git package by its resolution, not by the alias it is installed under', () => {
      const even = r.dependencies.find((d) => d.name === 'is-even')!;
      assert.ok(text.slice(even.nameRange.start - 1, even.nameRange.end + 1) === '"is-even@', 'ranged in the resolution value');
      assert.ok(!r.dependencies.some((d) => d.name === 'git-ssh-pkg'));
    });

    it('follows descriptors to the entries they resolve to', () => {
      const g = parseLockGraph('yarn.lock', text);
      assert.deepEqual(g.packages.get('@acme/app')?.deps, ['@acme/utils', 'is-even', 'is-odd', 'left-pad', 'lodash', 'tarball-pkg']);
      assert.deepEqual(g.packages.get('@acme/utils')?.deps, ['linked-config', 'local-pkg', 'resolve', 'string-width']);
      assert.deepEqual(g.packages.get('is-even')?.deps, ['is-odd']);
      assert.deepEqual(g.packages.get('demo-monorepo')?.deps, ['typescript']);
      assert.deepEqual(directDependentsOf(g, 'is-buffer', new Set(['is-even', 'lodash'])), ['is-even']);
      assert.deepEqual(directDependentsOf(g, 'is-buffer', new Set(['is-even', 'is-odd'])), ['is-odd'], 'both is-odd versions are one node');
    });

    it('lists the workspace folders', () => {
      assert.deepEqual(yarnWorkspaceMembers(text)?.sort(), ['.', 'packages/app', 'packages/utils']);
    });
  });
});
