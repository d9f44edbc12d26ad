import assert from 'node:assert/strict';
import { parsePnpmKey, parsePnpmLock } from '../../../server/src/manifests/pnpmLock';
import { dependencyChain, directDependentsOf, parseLockGraph } from '../../../server/src/manifests/lockGraph';
import { at, fixture } from './helpers';

describe('pnpm-lock.yaml', () => {
  it('parses package keys of every lockfile generation', () => {
    assert.deepEqual(parsePnpmKey('/lodash/4.17.21'), { name: 'lodash', version: '4.17.21', nameStart: 1 });
    assert.deepEqual(parsePnpmKey('/@types/node/20.1.0'), { name: '@types/node', version: '20.1.0', nameStart: 1 });
    assert.deepEqual(parsePnpmKey('/react-dom/18.2.0_react@18.2.0'), { name: 'react-dom', version: '18.2.0', nameStart: 1 });
    assert.deepEqual(parsePnpmKey('/lodash@4.17.21'), { name: 'lodash', version: '4.17.21', nameStart: 1 });
    assert.deepEqual(parsePnpmKey('/@babel/core@7.12.3(supports-color@5.5.0)'), { name: '@babel/core', version: '7.12.3', nameStart: 1 });
    assert.deepEqual(parsePnpmKey('@scope/name@1.2.3'), { name: '@scope/name', version: '1.2.3', nameStart: 0 });
    assert.deepEqual(parsePnpmKey('react-dom@18.2.0(react@18.2.0)(x@1.0.0)'), { name: 'react-dom', version: '18.2.0', nameStart: 0 });
    assert.deepEqual(parsePnpmKey('pkg@1.0.0-beta.1'), { name: 'pkg', version: '1.0.0-beta.1', nameStart: 0 });
    // Not registry packages:
    assert.equal(parsePnpmKey('github.com/acme/thing/abc123'), undefined);
    assert.equal(parsePnpmKey('thing@https://codeload.github.com/acme/thing/tar.gz/abc'), undefined);
    assert.equal(parsePnpmKey('registry.example.com/pkg@1.0.0'), undefined);
    assert.equal(parsePnpmKey('link:../foo'), undefined);
    assert.equal(parsePnpmKey('@scope'), undefined);
  });

  it('reads v6 packages with dev flags and name ranges inside the key', () => {
    const text = fixture('npm/pnpm-lock.v6.yaml');
    const r = parsePnpmLock(text);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.dependencies.map((d) => `${d.name}@${d.pinned}`), ['express@4.17.1', 'body-parser@1.19.0', 'qs@6.7.0', 'mocha@10.2.0', '@babel/core@7.12.3']);
    const babel = r.dependencies.find((d) => d.name === '@babel/core')!;
    assert.equal(at(text, babel.nameRange), '@babel/core');
    assert.ok(at(text, babel.range)!.startsWith('/@babel/core@7.12.3(supports-color@5.5.0):'));
    assert.equal(r.dependencies.find((d) => d.name === 'mocha')!.group, 'dev');
    assert.equal(r.dependencies.find((d) => d.name === 'qs')!.group, 'dependencies');
    for (const d of r.dependencies) {
      assert.equal(d.editStyle, 'none');
      assert.equal(d.format, 'pnpm-lock.yaml');
      assert.equal(d.ecosystem, 'npm');
    }
    const g = parseLockGraph('pnpm-lock.yaml', text);
    assert.deepEqual(g.packages.get('express')?.deps, ['body-parser', 'qs']);
    assert.deepEqual(dependencyChain(g, 'express', 'qs'), ['express', 'qs']);
  });

  it('reads v5 keys with peer suffixes', () => {
    const text = fixture('npm/pnpm-lock.v5.yaml');
    const r = parsePnpmLock(text);
    assert.deepEqual(r.dependencies.map((d) => `${d.name}@${d.pinned}`), ['react-dom@18.2.0', '@types/node@20.1.0', 'react@18.2.0', 'loose-envify@1.4.0']);
    assert.equal(at(text, r.dependencies[0]!.nameRange), 'react-dom');
    assert.equal(at(text, r.dependencies[1]!.nameRange), '@types/node');
    const g = parseLockGraph('pnpm-lock.yaml', text);
    assert.deepEqual(directDependentsOf(g, 'loose-envify', new Set(['react-dom'])), ['react-dom']);
  });

  it('reads v9 packages and takes edges from snapshots (quoted scoped keys too)', () => {
    const text = fixture('npm/pnpm-lock.v9.yaml');
    const r = parsePnpmLock(text);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.dependencies.map((d) => d.name), ['@babel/code-frame', 'loose-envify', 'react-dom', 'react', 'string-width']);
    assert.equal(at(text, r.dependencies[0]!.nameRange), '@babel/code-frame');
    assert.equal(at(text, r.dependencies[2]!.nameRange), 'react-dom');
    assert.ok(!r.dependencies.some((d) => d.name === 'sw'), 'importers are not packages');
    const g = parseLockGraph('pnpm-lock.yaml', text);
    assert.deepEqual(g.packages.get('react-dom')?.deps, ['loose-envify', 'react']);
    assert.deepEqual(g.packages.get('react')?.deps, ['loose-envify']);
    assert.deepEqual(g.packages.get('string-width')?.deps, []);
  });

  it('follows aliased edges to the real package', () => {
    const text = "lockfileVersion: '9.0'\npackages:\n  a@1.0.0: {}\n  string-width@4.2.3: {}\nsnapshots:\n  a@1.0.0:\n    dependencies:\n      sw: string-width@4.2.3\n  string-width@4.2.3: {}\n";
    assert.deepEqual(parseLockGraph('pnpm-lock.yaml', text).packages.get('a')?.deps, ['string-width']);
  });

  it('reports broken YAML as problems without throwing', () => {
    const r = parsePnpmLock('packages:\n  /a@1.0.0:\n    dev: [unclosed\n');
    assert.ok(r.problems.length > 0);
    assert.equal(r.problems[0]!.severity, 'error');
    assert.deepEqual(parsePnpmLock('').dependencies, []);
    assert.deepEqual(parsePnpmLock('').problems, []);
    assert.equal(parsePnpmLock('- a\n- b\n').problems.length, 1);
    assert.deepEqual(parsePnpmLock('packages: 3\n').dependencies, []);
  });
});
