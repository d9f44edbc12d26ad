import assert from 'node:assert/strict';
import { parsePnpmKey, pnpmReference } from '../../../server/src/manifests/pnpmKey';
import { parsePnpmLock, pnpmWorkspaceMembers } from '../../../server/src/manifests/pnpmLock';
import { dependencyChain, directDependentsOf, parseLockGraph } from '../../../server/src/manifests/lockGraph';
import { at, fixture } from './helpers';
import { assertInventory } from './lockHelpers';

const key = (k: string) => {
  const p = parsePnpmKey(k);
  return { name: p.name, version: p.version, nameStart: p.nameStart, ...(p.registry ? { registry: p.registry } : {}) };
};

describe('pnpm-lock.yaml', () => {
  it('parses package keys of every lockfile generation', () => {
    assert.deepEqual(key('/lodash/4.17.21'), { name: 'lodash', version: '4.17.21', nameStart: 1 });
    assert.deepEqual(key('/@types/node/20.1.0'), { name: '@types/node', version: '20.1.0', nameStart: 1 });
    assert.deepEqual(key('/react-dom/18.2.0_react@18.2.0'), { name: 'react-dom', version: '18.2.0', nameStart: 1 });
    assert.deepEqual(key('/lodash@4.17.21'), { name: 'lodash', version: '4.17.21', nameStart: 1 });
    assert.deepEqual(key('/@babel/core@7.12.3(supports-color@5.5.0)'), { name: '@babel/core', version: '7.12.3', nameStart: 1 });
    assert.deepEqual(key('@scope/name@1.2.3'), { name: '@scope/name', version: '1.2.3', nameStart: 0 });
    assert.deepEqual(key('react-dom@18.2.0(react@18.2.0)(x@1.0.0)'), { name: 'react-dom', version: '18.2.0', nameStart: 0 });
    assert.deepEqual(key('a@1.0.0(b@2.0.0(c@3.0.0))(d@4.0.0)'), { name: 'a', version: '1.0.0', nameStart: 0 });
    assert.deepEqual(key('pkg@1.0.0-beta.1'), { name: 'pkg', version: '1.0.0-beta.1', nameStart: 0 });
    // Another registry's host prefixes the key (v5 and v6 spellings).
    assert.deepEqual(key('registry.example.com/pkg/1.0.0'), { name: 'pkg', version: '1.0.0', nameStart: 21, registry: 'https://registry.example.com/' });
    assert.deepEqual(key('registry.example.com/@s/pkg@1.0.0'), { name: '@s/pkg', version: '1.0.0', nameStart: 21, registry: 'https://registry.example.com/' });
    // Named but not versioned: git, tarball and path keys of lockfile v9.
    assert.deepEqual(key('thing@https://codeload.github.com/acme/thing/tar.gz/abc'), { name: 'thing', version: undefined, nameStart: 0 });
    assert.deepEqual(key('@s/g@git+https://git@github.com:s/g.git#0123'), { name: '@s/g', version: undefined, nameStart: 0 });
    // No name at all: v5 git and file keys (the entry's `name:` or a reference names them).
    assert.equal(key('github.com/acme/thing/abc123').name, undefined);
    assert.equal(key('file:../foo').name, undefined);
    assert.equal(key('link:../foo').name, undefined);
    assert.equal(key('@scope').name, undefined);
    assert.equal(key('').name, undefined);
  });

  it('follows references to package ids, aliases and links', () => {
    assert.deepEqual(pnpmReference('react-dom', '18.2.0(react@18.2.0)'), { id: 'react-dom@18.2.0', name: 'react-dom' });
    assert.deepEqual(pnpmReference('sw', 'string-width@4.2.3'), { id: 'string-width@4.2.3', name: 'string-width' });
    assert.deepEqual(pnpmReference('sw', '/string-width@4.2.3'), { id: 'string-width@4.2.3', name: 'string-width' });
    assert.deepEqual(pnpmReference('g', 'git+https://git@github.com:a/g.git#0123'), { id: 'g@git+https://git@github.com:a/g.git#0123', name: 'g' });
    assert.equal(pnpmReference('ws', 'link:../ws'), undefined);
  });

  it('reads v6 packages with dev flags and name ranges inside the key', () => {
    const text = fixture('npm/pnpm-lock.v6.yaml');
    const r = parsePnpmLock(text);
    assert.deepEqual(r.problems, []);
    assertInventory(text, r, ['express@4.17.1 registry', 'body-parser@1.19.0 registry', 'qs@6.7.0 registry', 'mocha@10.2.0 registry', '@babel/core@7.12.3 registry', 'thing@1.0.0 git https://codeload.github.com/acme/thing/tar.gz/abc123']);
    const babel = r.dependencies.find((d) => d.name === '@babel/core')!;
    assert.ok(at(text, babel.range)!.startsWith('/@babel/core@7.12.3(supports-color@5.5.0):'));
    assert.equal(r.dependencies.find((d) => d.name === 'mocha')!.group, 'dev');
    assert.equal(r.dependencies.find((d) => d.name === 'qs')!.group, 'dependencies');
    const g = parseLockGraph('pnpm-lock.yaml', text);
    assert.deepEqual(g.packages.get('express')?.deps, ['body-parser', 'qs']);
    assert.deepEqual(dependencyChain(g, 'express', 'qs'), ['express', 'qs']);
  });

  it('reads v5 keys with peer suffixes', () => {
    const text = fixture('npm/pnpm-lock.v5.yaml');
    const r = parsePnpmLock(text);
    assertInventory(text, r, ['react-dom@18.2.0 registry', '@types/node@20.1.0 registry', 'react@18.2.0 registry', 'loose-envify@1.4.0 registry']);
    const g = parseLockGraph('pnpm-lock.yaml', text);
    assert.deepEqual(directDependentsOf(g, 'loose-envify', new Set(['react-dom'])), ['react-dom']);
  });

  it('reads v9 packages and takes edges from snapshots (quoted scoped keys too)', () => {
    const text = fixture('npm/pnpm-lock.v9.yaml');
    const r = parsePnpmLock(text);
    assert.deepEqual(r.problems, []);
    assertInventory(text, r, ['@babel/code-frame@7.22.13 registry', 'loose-envify@1.4.0 registry', 'react-dom@18.2.0 registry', 'react@18.2.0 registry', 'string-width@4.2.3 registry']);
    const g = parseLockGraph('pnpm-lock.yaml', text);
    assert.deepEqual(g.packages.get('react-dom')?.deps, ['loose-envify', 'react']);
    assert.deepEqual(g.packages.get('react')?.deps, ['loose-envify']);
    assert.deepEqual(g.packages.get('string-width')?.deps, []);
  });

  describe('pnpm 11 two-document lockfile', () => {
    const text = fixture('npm/pnpm-lock.v11.yaml');
    const r = parsePnpmLock(text);

    it('reads both documents: the env document (config dependencies, pnpm itself) and the project', () => {
      assert.deepEqual(r.problems, []);
      assertInventory(text, r, [
        '@pnpm/exe.linux-arm64@11.0.3 registry',
        '@pnpm/exe.linux-x64@11.0.3 registry',
        '@pnpm/exe@11.0.3 registry',
        '@pnpm/plugin-better-defaults@0.2.1 registry',
        'pnpm@11.0.3 registry',
        'semver@7.7.2 registry',
        'react@19.0.0 registry',
        'typescript@5.6.3 registry',
      ]);
    });

    it('reports a package both documents lock once, from the project document, with its groups', () => {
      const semver = r.dependencies.filter((d) => d.name === 'semver');
      assert.equal(semver.length, 1);
      assert.ok(semver[0]!.range.start > text.indexOf('\n---\n', 10), 'the project document is the second');
      assert.equal(semver[0]!.group, 'dependencies');
      const group = (n: string) => r.dependencies.find((d) => d.name === n)!.group;
      assert.equal(group('typescript'), 'dev');
      assert.equal(group('@pnpm/plugin-better-defaults'), 'config');
      assert.equal(group('pnpm'), 'packageManager');
      assert.equal(group('@pnpm/exe.linux-x64'), 'packageManager', 'reached through @pnpm/exe');
    });

    it('has graph edges from both documents and covers the root folder', () => {
      const g = parseLockGraph('pnpm-lock.yaml', text);
      assert.deepEqual(g.packages.get('@pnpm/exe')?.deps, ['@pnpm/exe.linux-arm64', '@pnpm/exe.linux-x64']);
      assert.deepEqual(g.packages.get('@pnpm/plugin-better-defaults')?.deps, ['semver']);
      assert.deepEqual(pnpmWorkspaceMembers(text), ['.']);
    });
  });

  describe('pnpm 9 workspace with git, tarball, directory, alias and other-registry packages', () => {
    const text = fixture('npm/pnpm-lock.v9-workspace.yaml');
    const r = parsePnpmLock(text);

    it('reports every package once, non-registry ones with their source and url', () => {
      assert.deepEqual(r.problems, []);
      assertInventory(text, r, [
        '@acme/private-config@2.1.0 registry https://npm.pkg.github.com/',
        'ansi-regex@5.0.1 registry',
        'emoji-regex@8.0.0 registry',
        'forge-plugin@3.36.22 git git@github.com:acme/forge-plugin.git#2f3f40e245dd79c416f1abdbdd52e6487c632b97',
        'fsevents@2.3.3 registry',
        'is-fullwidth-code-point@3.0.0 registry',
        'is-number@6.0.0 registry',
        'is-odd@3.0.1 git https://codeload.github.com/jonschlinkert/is-odd/tar.gz/f9a6f1a7a9b26d1b3c1e8b4d7f0c5e6a2b3d4c5e',
        'js-tokens@4.0.0 registry',
        'left-pad@1.3.0 registry https://registry.npmmirror.com/',
        'local-helper@ path vendor/local-helper',
        'lodash@4.17.21 registry',
        'loose-envify@1.4.0 registry',
        'my-tar@1.0.0 tarball https://example.com/downloads/my-tar-1.0.0.tgz',
        'react-dom@18.2.0 registry',
        'react@18.2.0 registry',
        'scheduler@0.23.2 registry',
        'string-width@4.2.3 registry',
        'strip-ansi@6.0.1 registry',
        'typescript@5.4.5 registry',
      ]);
      assert.ok(!r.dependencies.some((d) => d.name === '@acme/utils'), 'a link: importer reference is not a package');
    });

    it('groups v9 packages by the importer section that reaches them', () => {
      const group = (n: string) => r.dependencies.find((d) => d.name === n)!.group;
      assert.equal(group('typescript'), 'dev');
      assert.equal(group('fsevents'), 'optional');
      assert.equal(group('scheduler'), 'dependencies');
      assert.equal(group('is-number'), 'dependencies', 'reached through a git package');
    });

    it('keeps non-registry packages as graph nodes with edges, aliases followed', () => {
      const g = parseLockGraph('pnpm-lock.yaml', text);
      assert.deepEqual(g.packages.get('forge-plugin')?.deps, ['left-pad']);
      assert.deepEqual(g.packages.get('is-odd')?.deps, ['is-number']);
      assert.deepEqual(g.packages.get('local-helper')?.deps, ['string-width']);
      assert.deepEqual(g.packages.get('react-dom')?.deps, ['loose-envify', 'react', 'scheduler']);
      assert.equal(g.packages.get('my-tar')?.version, '1.0.0');
      assert.deepEqual(directDependentsOf(g, 'left-pad', new Set(['forge-plugin', 'lodash'])), ['forge-plugin']);
    });

    it('lists the importers as the folders the lock covers', () => {
      assert.deepEqual(pnpmWorkspaceMembers(text), ['.', 'packages/utils', 'packages/web']);
    });
  });

  describe('lockfile 5.4 with name-less keys', () => {
    const text = fixture('npm/pnpm-lock.v5-sources.yaml');
    const r = parsePnpmLock(text);

    it('names git, tarball and file entries by their name: field, never by the file: key', () => {
      assert.deepEqual(r.problems, []);
      assertInventory(text, r, [
        'some-pkg@1.0.0 tarball https://some-url.example/pkg.tar.gz',
        'commander@9.2.0 registry',
        'loose-envify@1.4.0 registry',
        'js-tokens@4.0.0 registry',
        'react@18.1.0 registry',
        'unifier@1.0.0 path ../libs/my-local-pkg',
        'nameless-local@ path ../libs/nameless',
        'thing@2.0.0 git https://codeload.github.com/acme/thing/tar.gz/abc1234',
        'private-pkg@1.0.0 registry https://registry.example.com/',
      ]);
      assert.ok(!r.dependencies.some((d) => d.name === 'my-local-pkg' || d.name.startsWith('file:') || d.name === 'nameless'));
    });

    it('names a file: entry without name: after the reference that installs it, ranged there', () => {
      const nameless = r.dependencies.find((d) => d.name === 'nameless-local')!;
      const line = text.slice(text.lastIndexOf('\n', nameless.nameRange.start) + 1, text.indexOf('\n', nameless.nameRange.start));
      assert.equal(line.trim(), 'nameless-local: file:../libs/nameless');
      assert.equal(r.dependencies.find((d) => d.name === 'react')!.group, 'dev');
    });

    it('covers the importer folders', () => {
      assert.deepEqual(pnpmWorkspaceMembers(text), ['.', 'packages/some-ws-pkg']);
    });
  });

  it('names a file: package by its key (its own name), and keeps link: packages as local folders', () => {
    const text = "lockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    dependencies:\n      config:\n        specifier: file:./shared/config\n        version: hi2@file:shared/config\n\npackages:\n\n  hi2@file:shared/config:\n    resolution: {directory: shared/config, type: directory}\n\n  '@pwrgit/shared@link:packages/shared':\n    resolution: {directory: packages/shared, type: directory}\n\nsnapshots:\n\n  hi2@file:shared/config: {}\n";
    const r = parsePnpmLock(text);
    assertInventory(text, r, ['hi2@ path shared/config', '@pwrgit/shared@ path packages/shared']);
    assert.equal(r.dependencies[0]!.group, 'dependencies', 'reached from the importer through its alias');
  });

  it('follows aliased edges to the real package', () => {
    const text = "lockfileVersion: '9.0'\npackages:\n  a@1.0.0: {}\n  string-width@4.2.3: {}\nsnapshots:\n  a@1.0.0:\n    dependencies:\n      sw: string-width@4.2.3\n  string-width@4.2.3: {}\n";
    assert.deepEqual(parseLockGraph('pnpm-lock.yaml', text).packages.get('a')?.deps, ['string-width']);
  });

  it('reads CRLF line endings with the same ranges', () => {
    const text = fixture('npm/pnpm-lock.v9-workspace.yaml').replace(/\n/g, '\r\n');
    const r = parsePnpmLock(text);
    assert.deepEqual(r.problems, []);
    assert.equal(r.dependencies.length, 20);
    for (const d of r.dependencies) assert.equal(at(text, d.nameRange), d.name);
  });

  it('reports broken YAML as problems without throwing', () => {
    const r = parsePnpmLock('packages:\n  /a@1.0.0:\n    dev: [unclosed\n');
    assert.ok(r.problems.length > 0);
    assert.equal(r.problems[0]!.severity, 'error');
    assert.deepEqual(parsePnpmLock('').dependencies, []);
    assert.deepEqual(parsePnpmLock('').problems, []);
    assert.equal(parsePnpmLock('- a\n- b\n').problems.length, 1);
    assert.deepEqual(parsePnpmLock('packages: 3\n').dependencies, []);
    const nameless = parsePnpmLock('packages:\n  file:../x:\n    resolution: {directory: ../x, type: directory}\n');
    assert.deepEqual(nameless.dependencies, [], 'no name is made up from a file: key');
    assert.equal(nameless.problems[0]?.severity, 'warning');
    assert.equal(pnpmWorkspaceMembers(''), undefined);
  });
});
