import assert from 'node:assert/strict';
import { packageLockEntries, packageLockWorkspaceMembers, parsePackageLock } from '../../../server/src/manifests/packageLock';
import { directDependentsOf, parseLockGraph } from '../../../server/src/manifests/lockGraph';
import { at, fixture } from './helpers';
import { assertInventory } from './lockHelpers';

describe('package-lock.json', () => {
  describe('v3 packages map', () => {
    const text = fixture('npm/package-lock.v3.json');
    const r = parsePackageLock(text);

    it('lists every installed package once with its exact version, nested ones and folders too', () => {
      assert.deepEqual(r.problems, []);
      assertInventory(
        text,
        r,
        [
          '@types/node@20.1.0 registry',
          'body-parser@1.19.0 registry',
          'express@4.17.1 registry',
          'mocha@10.2.0 registry',
          'my-lib@1.0.0 git git+ssh://git@github.com/acme/my-lib.git#abc123',
          'qs@6.11.0 registry',
          'qs@6.7.0 registry',
          'string-width@4.2.3 registry alias=string-width-cjs',
          'workspace-a@0.1.0 path packages/a',
        ],
        // An alias is ranged on its `name` value, the real package's name.
      );
      for (const d of r.dependencies) {
        assert.equal(d.ecosystem, 'npm');
        assert.equal(d.format, 'package-lock.json');
        assert.equal(d.versionRange, undefined);
      }
    });

    it('skips the root entry and reports a linked folder once, through its own entry', () => {
      assert.ok(!r.dependencies.some((d) => d.name === 'demo-app'));
      assert.equal(r.dependencies.filter((d) => d.name === 'workspace-a').length, 1);
    });

    it('puts the name range on the package part of the key', () => {
      const nested = r.dependencies.find((d) => d.name === 'qs' && d.pinned === '6.7.0')!;
      assert.equal(text.slice(nested.nameRange.start - 'node_modules/body-parser/node_modules/'.length - 1, nested.nameRange.start), '"node_modules/body-parser/node_modules/');
      const scoped = r.dependencies.find((d) => d.name === '@types/node')!;
      assert.ok(at(text, scoped.range)!.startsWith('"node_modules/@types/node": {'));
    });

    it('orders hoisted packages first, so the top-level version is the one a range takes', () => {
      const qs = r.dependencies.filter((d) => d.name === 'qs').map((d) => d.pinned);
      assert.deepEqual(qs, ['6.11.0', '6.7.0']);
    });

    it('reads dev flags', () => {
      assert.equal(r.dependencies.find((d) => d.name === 'mocha')!.group, 'dev');
      assert.equal(r.dependencies.find((d) => d.name === '@types/node')!.group, 'dev');
      assert.equal(r.dependencies.find((d) => d.name === 'express')!.group, 'dependencies');
    });

    it('builds the dependency graph by name, git packages included', () => {
      const g = parseLockGraph('package-lock.json', text);
      assert.equal(g.ecosystem, 'npm');
      assert.deepEqual(g.packages.get('express')?.deps, ['body-parser', 'qs']);
      assert.deepEqual(g.packages.get('body-parser')?.deps, ['qs']);
      assert.deepEqual(directDependentsOf(g, 'qs', new Set(['express', 'mocha'])), ['express']);
      assert.deepEqual(directDependentsOf(g, 'qs', new Set(['mocha'])), []);
      assert.equal(g.packages.get('my-lib')?.version, '1.0.0');
    });
  });

  describe('v2 workspaces with links, file: folders, git, tarballs and a private registry', () => {
    const text = fixture('npm/package-lock.v2-workspaces.json');
    const r = parsePackageLock(text);

    it('reads the packages map (not the v1 copy) and reports each package once', () => {
      assert.deepEqual(r.problems, []);
      assertInventory(
        text,
        r,
        [
          'tiny-helper@0.1.0 registry',
          'local-lib@0.2.0 path ../local-lib',
          '@internal/logger@2.1.0 registry https://npm.internal.example.com/repository/npm-group/',
          'is-fork@0.3.1 git git+ssh://git@github.com/acme/is-fork.git#1f2e3d4c5b6a79880716253443526170a9b8c7d6',
          'ms@2.1.3 registry',
          'my-tarball@1.0.0 tarball https://example.com/files/my-tarball-1.0.0.tgz',
          'resolved-only@3.2.1 registry',
          'string-width@4.2.3 registry alias=sw',
          'strip-ansi@6.0.1 registry',
          'typescript@5.4.5 registry',
          'vendored-tool@1.0.4 registry',
          '@acme/tools@0.1.0 workspace packages/tools',
          '@acme/ui@0.3.0 workspace packages/ui',
        ],
      );
    });

    it('takes the version of a resolved-only entry from its registry tarball URL', () => {
      const ro = r.dependencies.find((d) => d.name === 'resolved-only')!;
      assert.equal(ro.pinned, '3.2.1');
      assert.equal(ro.url, undefined);
    });

    it('reads bundled, peer, dev and workspace flags', () => {
      const group = (n: string) => r.dependencies.find((d) => d.name === n)!.group;
      assert.equal(group('tiny-helper'), 'bundled');
      assert.equal(group('strip-ansi'), 'peer');
      assert.equal(group('typescript'), 'dev');
    });

    it('keeps workspace and non-registry packages as graph nodes with edges', () => {
      const g = parseLockGraph('package-lock.json', text);
      assert.deepEqual(g.packages.get('@acme/ui')?.deps, ['@acme/tools', 'resolved-only', 'vendored-tool']);
      assert.deepEqual(g.packages.get('@acme/tools')?.deps, ['@internal/logger', 'is-fork', 'my-tarball']);
      assert.deepEqual(g.packages.get('is-fork')?.deps, ['ms']);
      assert.deepEqual(g.packages.get('local-lib')?.deps, ['ms']);
      assert.deepEqual(directDependentsOf(g, 'ms', new Set(['@acme/tools', 'local-lib'])), ['local-lib', '@acme/tools'], 'nearest first');
    });

    it('lists the folders the lock covers', () => {
      assert.deepEqual(packageLockWorkspaceMembers(text), ['.', '../local-lib', 'packages/tools', 'packages/ui']);
    });
  });

  describe('v1 dependencies tree', () => {
    const text = fixture('npm/package-lock.v1.json');
    const r = parsePackageLock(text);

    it('walks nested dependencies, reads aliases, dev flags and git sources', () => {
      assert.deepEqual(r.problems, []);
      assert.deepEqual(
        r.dependencies.map((d) => `${d.name}@${d.pinned ?? '-'}`),
        ['express@4.16.0', 'mocha@5.0.0', 'qs@6.11.0', 'string-width@4.2.3', 'gitdep@-', 'qs@6.5.1'],
      );
      assert.equal(r.dependencies.find((d) => d.name === 'mocha')!.group, 'dev');
      assert.equal(at(text, r.dependencies.find((d) => d.name === 'string-width')!.nameRange), 'string-width', 'ranged on the real name inside npm:string-width@...');
      assert.match(r.dependencies.find((d) => d.name === 'gitdep')!.url!, /^git\+https:/);
    });

    it('takes graph edges from requires', () => {
      const entries = packageLockEntries(text);
      assert.deepEqual(entries.find((e) => e.name === 'express')?.deps, ['qs']);
      assert.ok(entries.some((e) => e.name === 'gitdep'), 'a git package is a graph node');
    });

    it('prefers the packages map when a v2 lock has both', () => {
      const both = JSON.stringify({ lockfileVersion: 2, packages: { 'node_modules/a': { version: '2.0.0' } }, dependencies: { a: { version: '1.0.0' } } });
      assert.deepEqual(parsePackageLock(both).dependencies.map((d) => d.pinned), ['2.0.0']);
    });
  });

  describe('v1 with git, tarball, file:, bundled and private-registry entries', () => {
    const text = fixture('npm/package-lock.v1-sources.json');
    const r = parsePackageLock(text);

    it('reports each package once with its source; a version that is a URL is its location', () => {
      assert.deepEqual(r.problems, []);
      assertInventory(
        text,
        r,
        [
          '@internal/logger@2.1.0 registry https://npm.internal.example.com/repository/npm-group/',
          'debug@2.6.9 registry',
          'debug@3.1.0 registry',
          'deep-merge@ git github:acme/deep-merge#8c1f3a5b0e9d2f4c6a7b8e9d0f1a2b3c4d5e6f70',
          'fsevents@2.3.3 registry',
          'is-fork@ git git+https://github.com/acme/is-fork.git#1f2e3d4c5b6a79880716253443526170a9b8c7d6',
          'local-utils@ path file:vendor/local-utils',
          'mocha@5.2.0 registry',
          'ms@2.0.0 registry',
          'ms@2.1.3 registry',
          'my-tarball@ tarball https://example.com/files/my-tarball-1.0.0.tgz',
          'node-pre-gyp@0.10.0 registry',
          'string-width@4.2.3 registry alias=sw',
        ],
        (d) => d.name,
      );
      assert.equal(r.dependencies.find((d) => d.name === 'node-pre-gyp')!.group, 'optional');
      assert.equal(r.dependencies.find((d) => d.name === 'debug' && d.pinned === '3.1.0')!.group, 'dev');
    });

    it('orders hoisted versions before nested ones', () => {
      assert.deepEqual(r.dependencies.filter((d) => d.name === 'ms').map((d) => d.pinned), ['2.1.3', '2.0.0']);
      assert.deepEqual(packageLockWorkspaceMembers(text), ['.']);
    });

    it('keeps git and path packages in the graph', () => {
      const g = parseLockGraph('package-lock.json', text);
      assert.deepEqual(g.packages.get('is-fork')?.deps, ['ms']);
      assert.deepEqual(g.packages.get('local-utils')?.deps, ['debug']);
      assert.deepEqual(directDependentsOf(g, 'ms', new Set(['is-fork', 'mocha'])).sort(), ['is-fork', 'mocha']);
    });
  });

  it('reports entries without a name or version as warnings, never made-up packages', () => {
    const r = parsePackageLock(JSON.stringify({ lockfileVersion: 3, packages: { '': {}, 'libs/x': { version: '1.0.0' }, 'node_modules/y': { resolved: 'https://cdn.example.com/y.tgz' }, 'node_modules/z': {} } }));
    assert.deepEqual(r.dependencies.map((d) => `${d.name}@${d.pinned ?? ''} ${d.source?.kind}`), ['y@ tarball', 'z@ registry']);
    assert.deepEqual(r.problems.map((p) => p.severity), ['warning', 'warning']);
  });

  it('reports malformed JSON as a problem without throwing', () => {
    const r = parsePackageLock('{"packages": {"node_modules/a": {"version": "1.0.0"}');
    assert.equal(r.problems.length, 1);
    assert.equal(r.problems[0]!.severity, 'error');
    assert.deepEqual(parsePackageLock('null').dependencies, []);
    assert.deepEqual(parsePackageLock('{"packages": []}').dependencies, []);
    assert.deepEqual(parseLockGraph('package-lock.json', 'garbage').packages.size, 0);
    assert.equal(packageLockWorkspaceMembers('[]'), undefined);
  });
});
