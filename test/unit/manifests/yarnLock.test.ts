import assert from 'node:assert/strict';
import { parseYarnLock, yarnLockEntries } from '../../../server/src/manifests/yarnLock';
import { directDependentsOf, parseLockGraph } from '../../../server/src/manifests/lockGraph';
import { at, fixture } from './helpers';

describe('yarn.lock', () => {
  describe('v1 (classic)', () => {
    const text = fixture('npm/yarn.v1.lock');
    const r = parseYarnLock(text);

    it('reads each entry once with its exact version', () => {
      assert.deepEqual(r.problems, []);
      assert.deepEqual(
        r.dependencies.map((d) => `${d.name}@${d.pinned ?? '-'}`),
        ['@babel/code-frame@7.12.13', '@babel/highlight@7.13.10', 'js-tokens@4.0.0', 'lodash@4.17.15', 'string-width@4.2.3', 'my-lib@-'],
      );
      for (const d of r.dependencies) {
        assert.equal(d.editStyle, 'none');
        assert.equal(d.format, 'yarn.lock');
      }
    });

    it('puts the name range on the first descriptor of the header', () => {
      const cf = r.dependencies[0]!;
      assert.equal(at(text, cf.nameRange), '@babel/code-frame');
      assert.equal(text.slice(cf.nameRange.start - 1, cf.nameRange.end + 7), '"@babel/code-frame@^7.0.0');
      assert.ok(at(text, cf.range)!.endsWith('"@babel/highlight" "^7.12.13"'));
      const lodash = r.dependencies.find((d) => d.name === 'lodash')!;
      assert.equal(at(text, lodash.nameRange), 'lodash');
      assert.equal(text.slice(lodash.nameRange.start, lodash.nameRange.end + 8), 'lodash@^4.17.0');
    });

    it('resolves aliases to the real package and marks git sources', () => {
      const sw = r.dependencies.find((d) => d.name === 'string-width')!;
      assert.equal(at(text, sw.nameRange), 'string-width-cjs');
      const git = r.dependencies.find((d) => d.name === 'my-lib')!;
      assert.match(git.url!, /^git\+https:/);
      assert.equal(git.pinned, undefined);
    });

    it('builds the graph from the dependencies blocks', () => {
      const g = parseLockGraph('yarn.lock', text);
      assert.deepEqual(g.packages.get('@babel/code-frame')?.deps, ['@babel/highlight']);
      assert.deepEqual(g.packages.get('@babel/highlight')?.deps, ['js-tokens']);
      assert.deepEqual(directDependentsOf(g, 'js-tokens', new Set(['@babel/code-frame', 'lodash'])), ['@babel/code-frame']);
      assert.ok(!g.packages.has('my-lib'));
    });

    it('handles CRLF line endings', () => {
      const crlf = text.replace(/\n/g, '\r\n');
      const res = parseYarnLock(crlf);
      assert.equal(res.dependencies.length, 6);
      assert.equal(at(crlf, res.dependencies[3]!.nameRange), 'lodash');
      assert.deepEqual(yarnLockEntries(crlf).find((e) => e.name === '@babel/highlight')?.deps, ['js-tokens']);
    });

    it('warns on stray lines without throwing', () => {
      const res = parseYarnLock('garbage here\na@^1:\n  version "1.0.0"\nb@^2:\n  resolved "x"\n');
      assert.equal(res.problems.length, 1);
      assert.equal(res.problems[0]!.severity, 'warning');
      assert.deepEqual(res.dependencies.map((d) => `${d.name}@${d.pinned}`), ['a@1.0.0'], 'an entry without a version is skipped');
    });
  });

  describe('berry (v2+)', () => {
    const text = fixture('npm/yarn.berry.lock');
    const r = parseYarnLock(text);

    it('reads npm resolutions and skips workspaces and patches', () => {
      assert.deepEqual(r.problems, []);
      assert.deepEqual(r.dependencies.map((d) => `${d.name}@${d.pinned}`), ['@babel/code-frame@7.12.13', '@babel/highlight@7.13.10', 'js-tokens@4.0.0', 'string-width@4.2.3']);
      assert.equal(at(text, r.dependencies[0]!.nameRange), '@babel/code-frame');
      assert.equal(at(text, r.dependencies[3]!.nameRange), 'string-width-cjs');
      assert.ok(at(text, r.dependencies[0]!.range)!.startsWith('"@babel/code-frame@npm:^7.0.0, '));
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
});
