import assert from 'node:assert/strict';
import { parsePackageLock, packageLockEntries } from '../../../server/src/manifests/packageLock';
import { directDependentsOf, parseLockGraph } from '../../../server/src/manifests/lockGraph';
import { at, fixture } from './helpers';

describe('package-lock.json', () => {
  describe('v2/v3 packages map', () => {
    const text = fixture('npm/package-lock.v3.json');
    const r = parsePackageLock(text);

    it('lists every installed package with its exact version, nested ones too', () => {
      assert.deepEqual(r.problems, []);
      const got = r.dependencies.map((d) => `${d.name}@${d.pinned ?? '-'}`);
      assert.deepEqual(got.sort(), ['@types/node@20.1.0', 'body-parser@1.19.0', 'express@4.17.1', 'mocha@10.2.0', 'my-lib@-', 'qs@6.11.0', 'qs@6.7.0', 'string-width@4.2.3'].sort());
      for (const d of r.dependencies) {
        assert.equal(d.ecosystem, 'npm');
        assert.equal(d.editStyle, 'none');
        assert.equal(d.format, 'package-lock.json');
        assert.equal(d.versionRange, undefined);
      }
    });

    it('skips the root entry, links and workspace sources', () => {
      assert.ok(!r.dependencies.some((d) => d.name === 'demo-app' || d.name === 'workspace-a'));
    });

    it('puts the name range on the package part of the key', () => {
      const nested = r.dependencies.find((d) => d.name === 'qs' && d.pinned === '6.7.0')!;
      assert.equal(at(text, nested.nameRange), 'qs');
      assert.equal(text.slice(nested.nameRange.start - 'node_modules/body-parser/node_modules/'.length - 1, nested.nameRange.start), '"node_modules/body-parser/node_modules/');
      const scoped = r.dependencies.find((d) => d.name === '@types/node')!;
      assert.equal(at(text, scoped.nameRange), '@types/node');
      assert.ok(at(text, scoped.range)!.startsWith('"node_modules/@types/node": {'));
    });

    it('orders hoisted packages last, so the top-level version wins a name', () => {
      const qs = r.dependencies.filter((d) => d.name === 'qs').map((d) => d.pinned);
      assert.deepEqual(qs, ['6.7.0', '6.11.0']);
    });

    it('reads dev flags, aliases (name field) and git sources', () => {
      assert.equal(r.dependencies.find((d) => d.name === 'mocha')!.group, 'dev');
      assert.equal(r.dependencies.find((d) => d.name === '@types/node')!.group, 'dev');
      assert.equal(r.dependencies.find((d) => d.name === 'express')!.group, 'dependencies');
      const sw = r.dependencies.find((d) => d.name === 'string-width')!;
      assert.equal(at(text, sw.nameRange), 'string-width-cjs');
      const git = r.dependencies.find((d) => d.name === 'my-lib')!;
      assert.match(git.url ?? '', /^git\+ssh:/);
      assert.equal(git.pinned, undefined);
    });

    it('builds the dependency graph by name', () => {
      const g = parseLockGraph('package-lock.json', text);
      assert.equal(g.ecosystem, 'npm');
      assert.deepEqual(g.packages.get('express')?.deps, ['body-parser', 'qs']);
      assert.deepEqual(g.packages.get('body-parser')?.deps, ['qs']);
      assert.deepEqual(directDependentsOf(g, 'qs', new Set(['express', 'mocha'])), ['express']);
      assert.deepEqual(directDependentsOf(g, 'qs', new Set(['mocha'])), []);
      assert.ok(!g.packages.has('my-lib'), 'non-registry sources are not graph nodes');
    });
  });

  describe('v1 dependencies tree', () => {
    const text = fixture('npm/package-lock.v1.json');
    const r = parsePackageLock(text);

    it('walks nested dependencies, reads aliases and dev flags', () => {
      assert.deepEqual(r.problems, []);
      assert.deepEqual(
        r.dependencies.map((d) => `${d.name}@${d.pinned ?? '-'}`),
        ['qs@6.5.1', 'express@4.16.0', 'mocha@5.0.0', 'qs@6.11.0', 'string-width@4.2.3', 'gitdep@-'],
      );
      assert.equal(r.dependencies.find((d) => d.name === 'mocha')!.group, 'dev');
      assert.equal(at(text, r.dependencies.find((d) => d.name === 'string-width')!.nameRange), 'sw');
      assert.match(r.dependencies.find((d) => d.name === 'gitdep')!.url!, /^git\+https:/);
    });

    it('takes graph edges from requires', () => {
      const entries = packageLockEntries(text);
      assert.deepEqual(entries.find((e) => e.name === 'express')?.deps, ['qs']);
      assert.ok(!entries.some((e) => e.name === 'gitdep'));
    });

    it('prefers the packages map when a v2 lock has both', () => {
      const both = JSON.stringify({ lockfileVersion: 2, packages: { 'node_modules/a': { version: '2.0.0' } }, dependencies: { a: { version: '1.0.0' } } });
      assert.deepEqual(parsePackageLock(both).dependencies.map((d) => d.pinned), ['2.0.0']);
    });
  });

  it('reports malformed JSON as a problem without throwing', () => {
    const r = parsePackageLock('{"packages": {"node_modules/a": {"version": "1.0.0"}');
    assert.equal(r.problems.length, 1);
    assert.equal(r.problems[0]!.severity, 'error');
    assert.deepEqual(parsePackageLock('null').dependencies, []);
    assert.deepEqual(parsePackageLock('{"packages": []}').dependencies, []);
    assert.deepEqual(parseLockGraph('package-lock.json', 'garbage').packages.size, 0);
  });
});
