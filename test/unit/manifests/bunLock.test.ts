// bun.lock (Bun's text lockfile): every package under its real name with its version and source,
// name ranges inside the text, the dependency graph as Bun resolves nested copies, workspace members,
// and hostile input (malformed, wrong types, deep, huge) turned into problems, never a throw.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { lockEntryHashes } from '../../../server/src/cli/lockHashes';
import { documentKindFor } from '../../../server/src/engine/documents';
import { detectManifestKind, parseManifest } from '../../../server/src/manifests';
import { bunEntryFields, bunLockEntries, bunWorkspaceMembers, parseBunLock } from '../../../server/src/manifests/bunLock';
import { keySegments } from '../../../server/src/manifests/bunLockTree';
import { directDependentsOf, parseLockGraph } from '../../../server/src/manifests/lockGraph';
import { lockWorkspaceMembers } from '../../../server/src/manifests/lockWorkspaces';
import { fuzzParameters, mutated } from '../fuzz/inputs';
import { assertWellFormed } from '../fuzz/wellFormed';
import { at, fixture } from './helpers';
import { assertInventory, assertRangesWellFormed, describeDep } from './lockHelpers';

const lock = (packages: Record<string, unknown>, extra: Record<string, unknown> = {}) => JSON.stringify({ lockfileVersion: 1, workspaces: { '': { name: 'p' } }, ...extra, packages }, null, 2);
const shown = (text: string) => parseBunLock(text).dependencies.map(describeDep);
const groupOf = (text: string, name: string, version: string) => parseBunLock(text).dependencies.find((d) => d.name === name && d.pinned === version)?.group;

describe('bun.lock', () => {
  describe('a single project', () => {
    const text = fixture('npm/bun.lock');
    const r = parseBunLock(text);

    it('reports every package once under its real name, with its version and where it comes from', () => {
      assert.deepEqual(r.problems, []);
      assertInventory(text, r, [
        '@acme/internal@1.0.0 registry https://npm.acme.dev/',
        '@babel/code-frame@7.12.13 registry',
        '@babel/highlight@7.13.10 registry',
        '@babel/highlight@7.10.4 registry',
        '@types/node@20.11.5 registry',
        'ansi-regex@6.1.0 registry',
        'ansi-regex@5.0.1 registry',
        'ansi-styles@3.2.1 registry',
        'body-parser@1.19.0 registry',
        'bufferutil@4.0.8 registry',
        'chalk@2.4.2 registry',
        'express@4.17.1 registry',
        'fsevents@2.3.3 registry',
        'git-helper@ git git+https://github.com/acme/git-helper.git#0123456789abcdef0123456789abcdef01234567',
        'real-helper@ git github:acme/real-helper#9f8e7d6',
        'js-tokens@4.0.0 registry',
        'left-pad@1.3.0 registry',
        'linked-tool@ path link:linked-tool',
        'local-utils@ path file:../local-utils',
        'lodash@4.17.15 registry',
        'mocha@10.2.0 registry',
        'ms@2.1.2 registry',
        'ms@2.1.3 registry',
        'my-lib@ git github:acme/my-lib#abc1234',
        'qs@6.11.0 registry',
        'qs@6.7.0 registry',
        'string-width@5.1.2 registry',
        'string-width@4.2.3 registry alias=string-width-cjs',
        'strip-ansi@7.1.0 registry',
        'strip-ansi@6.0.1 registry',
        'tar-pkg@ tarball https://cdn.example.com/files/tar-pkg-1.2.0.tgz',
        'typescript@5.3.3 registry',
        'undici-types@5.26.5 registry',
        'vendored@ path vendor/vendored-0.1.0.tgz',
      ]);
      for (const d of r.dependencies) assert.equal(d.format, 'bun.lock');
    });

    it('puts the name range on the real name in the entry and the range on the whole entry', () => {
      const alias = r.dependencies.find((d) => d.source?.alias === 'string-width-cjs')!;
      assert.equal(text.slice(alias.nameRange.start - 1, alias.nameRange.end + 6), '"string-width@4.2.3');
      assert.ok(at(text, alias.range)!.startsWith('"string-width-cjs": ["string-width@4.2.3"'));
      assert.ok(at(text, alias.range)!.endsWith('=="]'));
      // A git package whose key is another name is still reported by the name its entry gives.
      const helper = r.dependencies.find((d) => d.name === 'real-helper')!;
      assert.ok(at(text, helper.range)!.startsWith('"helper": ["real-helper@github:'));
      const nested = r.dependencies.find((d) => d.name === 'chalk')!;
      assert.ok(at(text, nested.range)!.startsWith('"@babel/code-frame/@babel/highlight/chalk": ["chalk@2.4.2"'));
    });

    it('lists a name’s hoisted copy before its nested ones', () => {
      assert.deepEqual(r.dependencies.filter((d) => d.name === 'qs').map((d) => d.pinned), ['6.11.0', '6.7.0']);
      assert.deepEqual(r.dependencies.filter((d) => d.name === '@babel/highlight').map((d) => d.pinned), ['7.13.10', '7.10.4']);
    });

    it('gives each package the first workspace section that reaches it, through the copies Bun resolves', () => {
      const g = (name: string, version: string) => r.dependencies.find((d) => d.name === name && d.pinned === version)?.group;
      assert.equal(g('express', '4.17.1'), 'dependencies');
      assert.equal(g('qs', '6.7.0'), 'dependencies', 'body-parser’s own copy, reached from express');
      assert.equal(g('mocha', '10.2.0'), 'dev');
      assert.equal(g('ms', '2.1.3'), 'dev', 'mocha’s nested copy, not the hoisted one');
      assert.equal(g('ms', '2.1.2'), 'dependencies', 'the hoisted copy my-lib resolves to');
      assert.equal(g('@types/node', '20.11.5'), 'dev');
      assert.equal(g('undici-types', '5.26.5'), 'dev');
      assert.equal(g('fsevents', '2.3.3'), 'optional');
      assert.equal(g('bufferutil', '4.0.8'), 'dependencies', 'an optional dependency of a production package');
      assert.equal(g('typescript', '5.3.3'), 'peer');
    });

    it('builds the graph by real name from dependencies and optionalDependencies, non-registry packages included', () => {
      const graph = parseLockGraph('bun.lock', text);
      assert.equal(graph.ecosystem, 'npm');
      assert.deepEqual(graph.packages.get('express')?.deps, ['body-parser', 'qs']);
      assert.deepEqual(graph.packages.get('body-parser')?.deps, ['qs']);
      assert.deepEqual(graph.packages.get('@babel/highlight')?.deps, ['js-tokens', 'chalk'], 'the two copies merge by name');
      assert.deepEqual(graph.packages.get('chalk')?.deps, ['ansi-styles']);
      assert.deepEqual(graph.packages.get('my-lib')?.deps, ['ms', 'bufferutil'], 'a git package, with an optional dependency');
      assert.deepEqual(graph.packages.get('local-utils')?.deps, ['lodash']);
      assert.deepEqual(graph.packages.get('tar-pkg')?.deps, [], 'peers are not edges');
      assert.deepEqual(graph.packages.get('string-width')?.deps, ['strip-ansi']);
      assert.equal(graph.packages.has('real-helper'), true);
      assert.equal(graph.packages.has('helper'), false, 'no node is named after a key');
      assert.deepEqual(directDependentsOf(graph, 'ansi-styles', new Set(['@babel/code-frame', 'express', 'lodash'])), ['@babel/code-frame']);
      assert.deepEqual(directDependentsOf(graph, 'qs', new Set(['@babel/code-frame', 'express'])), ['express']);
    });

    it('resolves a dependency to its nested copy first, then up the path, then the hoisted one', () => {
      const entries = bunLockEntries(text);
      const nested = entries.find((e) => e.name === '@babel/highlight' && e.version === '7.10.4')!;
      assert.deepEqual(nested.deps, ['chalk', 'js-tokens']);
      // `helper` resolves to the entry under `parent/helper`, whose real name only the entry gives.
      const t = lock({
        parent: ['parent@1.0.0', '', { dependencies: { helper: 'github:acme/real-helper', other: '^1' } }, 'sha512-x'],
        helper: ['helper@2.0.0', '', {}, 'sha512-x'],
        other: ['other@1.0.0', '', {}, 'sha512-x'],
        'parent/helper': ['real-helper@github:acme/real-helper#1a2b3c4', {}, 'acme-real-helper-1a2b3c4'],
      });
      assert.deepEqual(bunLockEntries(t).find((e) => e.name === 'parent')?.deps, ['real-helper', 'other']);
      // A dependency no entry resolves keeps its name as written (an alias followed); the graph drops it.
      const missing = lock({ a: ['a@1.0.0', '', { dependencies: { x: 'npm:real-x@^1' } }, 'sha512-x'] });
      assert.deepEqual(bunLockEntries(missing)[0]!.deps, ['real-x']);
      assert.deepEqual(parseLockGraph('bun.lock', missing).packages.get('a')?.deps, []);
    });

    it('records the lock’s own folder as its only member', () => {
      assert.deepEqual(bunWorkspaceMembers(text), ['.']);
    });
  });

  describe('a workspace', () => {
    const text = fixture('npm/bun.workspace.lock');
    const r = parseBunLock(text);

    it('reports workspace packages as members with their folder, and each locked version once', () => {
      assert.deepEqual(r.problems, []);
      assertInventory(text, r, [
        '@acme/app@0.3.0 workspace packages/app',
        '@acme/utils@ workspace packages/utils',
        'js-tokens@4.0.0 registry',
        'lodash@4.17.15 registry',
        'lodash@4.17.21 registry',
        'loose-envify@1.4.0 registry',
        'react@18.2.0 registry',
        'typescript@5.3.3 registry',
        'typescript@5.4.5 registry',
      ]);
    });

    it('lists the workspace folders the lock covers', () => {
      assert.deepEqual(bunWorkspaceMembers(text), ['.', 'packages/app', 'packages/utils']);
      assert.deepEqual(lockWorkspaceMembers('bun.lock', text), ['.', 'packages/app', 'packages/utils']);
    });

    it('resolves a workspace’s dependencies under its name first (`<name>/<dep>`), then hoisted', () => {
      const graph = parseLockGraph('bun.lock', text);
      assert.deepEqual(graph.packages.get('@acme/app')?.deps, ['@acme/utils', 'lodash', 'react']);
      assert.deepEqual(graph.packages.get('@acme/utils')?.deps, ['lodash'], 'devDependencies are no edge');
      assert.equal(groupOf(text, 'typescript', '5.4.5'), 'dev', '@acme/utils/typescript, from that workspace’s devDependencies');
      assert.equal(groupOf(text, 'typescript', '5.3.3'), 'dev');
      assert.equal(groupOf(text, 'lodash', '4.17.21'), 'dependencies');
      assert.equal(groupOf(text, 'loose-envify', '1.4.0'), 'dependencies');
    });
  });

  describe('file names', () => {
    it('reads bun.lock, and never the binary bun.lockb', () => {
      assert.equal(detectManifestKind('/p/bun.lock'), 'bun.lock');
      assert.equal(documentKindFor('/p/bun.lock'), 'bun.lock');
      assert.equal(detectManifestKind('/p/bun.lockb'), undefined);
      assert.equal(documentKindFor('/p/sub/bun.lockb'), undefined);
      assert.equal(detectManifestKind('/p/Bun.lock'), undefined);
      assert.equal(parseManifest('/p/bun.lock', lock({ a: ['a@1.0.0', '', {}, 'sha512-x'] })).dependencies[0]!.format, 'bun.lock');
    });
  });

  describe('malformed and unusual input', () => {
    it('reads comments and trailing commas, as Bun does', () => {
      const t = '// hand-edited\n{ /* v */ "lockfileVersion": 1, "workspaces": { "": {}, },\n  "packages": {\n    "a": /* x */ ["a@1.0.0", "", {}, "sha512-x",],\n  },\n}\n';
      const res = parseBunLock(t);
      assert.deepEqual(res.problems, []);
      assert.deepEqual(res.dependencies.map(describeDep), ['a@1.0.0 registry']);
      assert.equal(at(t, res.dependencies[0]!.nameRange), 'a');
    });

    it('reports invalid JSON (trailing garbage) as an error and still reads what parsed', () => {
      const text = `${fixture('npm/bun.lock')}\n}}garbage`;
      const res = parseBunLock(text);
      assert.equal(res.problems[0]?.severity, 'error');
      assert.match(res.problems[0]!.message, /Invalid JSON/);
      assert.equal(res.dependencies.length, 34);
      assertRangesWellFormed(text, res.dependencies);
    });

    it('turns wrong types into problems, never a throw and never an invented name', () => {
      const cases: [string, RegExp | undefined, string[]][] = [
        ['[1, 2]', /Expected a JSON object/, []],
        ['null', /Expected a JSON object/, []],
        ['', /Invalid JSON/, []],
        [JSON.stringify({ lockfileVersion: 1, packages: ['a@1.0.0'] }), /"packages" is not an object/, []],
        [JSON.stringify({ lockfileVersion: 1, workspaces: [], packages: { a: ['a@1.0.0', '', {}, 'x'] } }), /"workspaces" is not an object/, ['a@1.0.0 registry']],
        [JSON.stringify({ lockfileVersion: 1, workspaces: { '': 3 }, packages: {} }), /workspace is not an object/, []],
        [lock({ a: {} }), /entry "a" is not a/, []],
        [lock({ a: [] }), /entry "a" is not a/, []],
        [lock({ a: [1, '', {}, 'x'] }), /entry "a" is not a/, []],
        [lock({ lodash: ['@4.17.21', '', {}, 'x'] }), /entry "lodash" names no package/, []],
        [lock({ lodash: ['', '', {}, 'x'] }), /entry "lodash" names no package/, []],
        [lock({ lodash: ['lodash', '', {}, 'x'] }), /entry "lodash" names no package/, []],
        [lock({ 'bad name': ['bad name@1.0.0', '', {}, 'x'] }), /names no package/, []],
        [lock({ a: ['a@latest', '', {}, 'x'] }), /entry "a" records no exact version/, ['a@ registry']],
        [lock({ a: ['a@1.0.0', 7, 'x', { dependencies: 3 }] }), undefined, ['a@1.0.0 registry']],
        [lock({ a: ['a@1.0.0', 'not a url', {}, 'x'] }), undefined, ['a@1.0.0 registry']],
        [JSON.stringify({ lockfileVersion: '1', packages: {} }), /lockfileVersion is not a number/, []],
        [JSON.stringify({ packages: {} }), /no lockfileVersion/, []],
      ];
      for (const [text, problem, expected] of cases) {
        const res = parseBunLock(text);
        assert.deepEqual(res.dependencies.map(describeDep), expected, text);
        if (problem) assert.ok(res.problems.some((p) => problem.test(p.message)), `${text}: ${JSON.stringify(res.problems)}`);
        else assert.deepEqual(res.problems, [], text);
        assertWellFormed(res, text.length, { strict: true });
        parseLockGraph('bun.lock', text);
        lockWorkspaceMembers('bun.lock', text);
      }
      const newer = parseBunLock(JSON.stringify({ lockfileVersion: 3, packages: { a: ['a@1.0.0', '', {}, 'x'] } }));
      assert.deepEqual(newer.problems.map((p) => p.severity), ['info']);
      assert.equal(newer.dependencies.length, 1, 'a newer version is still read');
      assert.equal(bunWorkspaceMembers('{'), undefined);
      assert.equal(bunWorkspaceMembers('[]'), undefined);
    });

    it('takes a name from the entry even when the key says otherwise, and warns on a repeated key', () => {
      assert.deepEqual(shown(lock({ lodash: ['lodahs@1.0.0', '', {}, 'x'] })), ['lodahs@1.0.0 registry alias=lodash']);
      const twice = '{"lockfileVersion": 1, "packages": {"a": ["a@1.0.0", "", {}, "x"], "a": ["a@2.0.0", "", {}, "x"]}}';
      const res = parseBunLock(twice);
      assert.deepEqual(res.dependencies.map(describeDep), ['a@1.0.0 registry', 'a@2.0.0 registry']);
      assert.match(res.problems[0]!.message, /key "a" appears twice/);
    });

    it('reads the npm: alias form and escaped names (ranged on the whole string)', () => {
      assert.deepEqual(shown(lock({ sw: ['sw@npm:string-width@4.2.3', '', {}, 'x'] })), ['string-width@4.2.3 registry alias=sw']);
      const t = lock({ sw: ['sw@npm:string-width@4.2.3', '', {}, 'x'] });
      assert.equal(at(t, parseBunLock(t).dependencies[0]!.nameRange), 'string-width');
      const escaped = '{"lockfileVersion": 1, "packages": {"lodash": ["lod\\u0061sh@4.17.21", "", {}, "x"]}}';
      const d = parseBunLock(escaped).dependencies[0]!;
      assert.equal(describeDep(d), 'lodash@4.17.21 registry');
      assert.equal(at(escaped, d.nameRange), '"lod\\u0061sh@4.17.21"');
    });

    it('refuses nesting deeper than jsonc-parser survives, comment tricks included', () => {
      for (const text of ['['.repeat(100_000), `{"packages": {"a": ${'['.repeat(50_000)}`, `/* " */${'['.repeat(100_000)}`, `// "\n${'{"a":'.repeat(50_000)}`]) {
        const res = parseBunLock(text);
        assert.match(res.problems[0]!.message, /nested more than/);
        assert.deepEqual(res.dependencies, []);
        assert.equal(lockWorkspaceMembers('bun.lock', text), undefined);
        assert.equal(parseLockGraph('bun.lock', text).packages.size, 0);
      }
    });
  });

  describe('install paths', () => {
    it('splits a key into package names, scopes kept whole', () => {
      assert.deepEqual(keySegments('a'), ['a']);
      assert.deepEqual(keySegments('@s/a/@s/b/c'), ['@s/a', '@s/b', 'c']);
      assert.deepEqual(keySegments('web/typescript'), ['web', 'typescript']);
      assert.equal(keySegments('a/'.repeat(100) + 'a'), undefined, 'deeper than any real tree');
    });

    it('still reports a package whose key nests too deep to place', () => {
      const deep = `${'a/'.repeat(200)}b`;
      assert.deepEqual(shown(lock({ a: ['a@1.0.0', '', {}, 'x'], [deep]: ['b@1.0.0', '', { dependencies: { a: '1' } }, 'x'] })), ['a@1.0.0 registry', 'b@1.0.0 registry']);
    });
  });

  describe('artifact hashes (the BOM)', () => {
    const text = fixture('npm/bun.lock');
    const hashes = (name: string) => {
      const d = parseBunLock(text).dependencies.find((x) => x.name === name)!;
      return lockEntryHashes('bun.lock', text.slice(d.range.start, d.range.end));
    };
    const sha512 = (s: string) => createHash('sha512').update(s).digest('hex');

    it('reads the integrity that ends an entry, and the tarball URL when one is written', () => {
      assert.deepEqual(hashes('lodash'), { hashes: [{ alg: 'SHA-512', content: sha512('lodash@4.17.15') }] });
      assert.deepEqual(hashes('left-pad'), { hashes: [{ alg: 'SHA-512', content: sha512('left-pad') }], resolved: 'https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz' });
      assert.equal(hashes('@acme/internal').resolved, 'https://npm.acme.dev/@acme/internal/-/internal-1.0.0.tgz');
      assert.deepEqual(hashes('my-lib'), { hashes: [] }, 'a git entry ends with its tag, not a hash');
      assert.deepEqual(hashes('linked-tool'), { hashes: [] });
      assert.deepEqual(hashes('tar-pkg'), { hashes: [], resolved: 'https://cdn.example.com/files/tar-pkg-1.2.0.tgz' });
    });

    it('gives nothing for garbage, and stays linear on hostile entries', function () {
      this.timeout(60_000);
      assert.deepEqual(bunEntryFields('not json'), {});
      assert.deepEqual(bunEntryFields('"a": "sha512-AAAA"'), {});
      assert.deepEqual(bunEntryFields('"a": ["sha512-x"]'), {}, 'a lone element is the name, not a hash');
      const n = 2_000_000;
      for (const e of [`"a": [${'['.repeat(n)}`, `"a": ["a@1.0.0", "", {}, "sha512-${'A'.repeat(n)}"]`, `"a": [${'"x", '.repeat(n / 5)}"sha512-A"]`, '"a": ["' + '@'.repeat(n) + '"]']) {
        lockEntryHashes('bun.lock', e);
      }
    });
  });

  describe('hostile input at scale', function () {
    this.timeout(300_000);
    const BOUND_MS = 30_000;
    const MB = 1 << 20;

    function timed(text: string): void {
      const t0 = performance.now();
      const r = parseBunLock(text);
      parseLockGraph('bun.lock', text);
      lockWorkspaceMembers('bun.lock', text);
      const ms = performance.now() - t0;
      assert.ok(ms < BOUND_MS, `${(text.length / MB).toFixed(1)} MB took ${ms.toFixed(0)} ms`);
      assertWellFormed(r, text.length, { strict: true });
      assert.ok(r.problems.length <= 100);
    }

    it('keys of many segments, entries with many dependencies, long names and idents', () => {
      const manyDeps = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`d${i}`, '^1']));
      const keys = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, '*']));
      const deepKey = Array.from({ length: 63 }, (_, i) => `p${i}`).join('/');
      const inputs = [
        // A placed key 63 levels deep whose 100,000 dependencies each walk every level up.
        lock({ [deepKey]: ['p@1.0.0', '', { dependencies: manyDeps }, 'x'], d1: ['d1@1.0.0', '', {}, 'x'] }),
        lock({ [`${'a/'.repeat(300_000)}a`]: ['a@1.0.0', '', { dependencies: manyDeps }, 'x'] }),
        lock({ [`${'@s/'.repeat(300_000)}a`]: ['a@1.0.0', '', {}, 'x'] }),
        lock({ a: [`${'@'.repeat(MB)}`, '', {}, 'x'] }),
        lock({ a: [`a@${'npm:a@'.repeat(MB / 6)}1.0.0`, '', {}, 'x'] }),
        lock({ a: [`a@https://${'a/'.repeat(MB / 2)}a.tgz`, {}, 'x'] }),
        lock({ a: ['a@1.0.0', `https://${'x/'.repeat(MB / 2)}a-1.0.0.tgz`, {}, 'x'] }),
        lock(Object.fromEntries(Array.from({ length: 30_000 }, (_, i) => [`x${i}`, [`@bad${i}`, '', {}, 'x']]))),
        lock({}, { workspaces: Object.fromEntries(Array.from({ length: 30_000 }, (_, i) => [`w/${i}`, { name: `w${i}`, dependencies: { a: '1', b: '2' } }])) }),
        // 50,000 keys naming one workspace that depends on all of them: its edges are resolved,
        // listed and walked once, not once per key.
        lock(Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`k${i}`, ['w@workspace:w']])), {
          workspaces: { '': { name: 'p', dependencies: keys(50_000) }, w: { name: 'w', dependencies: keys(50_000) } },
        }),
      ];
      for (const text of inputs) timed(text);
    });

    it('50,000 packages in a chain: every one reported, in the graph, within a generous bound', () => {
      const n = 50_000;
      const sha = 'sha512-AAAA==';
      const out = ['{\n  "lockfileVersion": 1,\n  "workspaces": {\n    "": {\n      "name": "big",\n      "dependencies": {\n        "pkg-0": "^1.0.0",\n      },\n    },\n  },\n  "packages": {\n'];
      for (let i = 0; i < n; i++) out.push(`    "pkg-${i}": ["pkg-${i}@1.0.${i}", "", { "dependencies": { "pkg-${(i + 1) % n}": "^1.0.0" } }, "${sha}"],\n\n`);
      // Every tenth package also has a nested copy of its successor.
      for (let i = 0; i < n; i += 10) out.push(`    "pkg-${i}/pkg-${(i + 1) % n}": ["pkg-${(i + 1) % n}@2.0.0", "", {}, "${sha}"],\n\n`);
      out.push('  }\n}\n');
      const text = out.join('');
      const t0 = performance.now();
      const r = parseBunLock(text);
      const g = parseLockGraph('bun.lock', text);
      const ms = performance.now() - t0;
      assert.ok(ms < 120_000, `${(text.length / MB).toFixed(0)} MB took ${ms.toFixed(0)} ms`);
      assert.deepEqual(r.problems, []);
      assert.equal(r.dependencies.length, n + n / 10);
      const last = r.dependencies.find((d) => d.name === `pkg-${n - 1}`)!;
      assert.equal(last.pinned, `1.0.${n - 1}`);
      assert.equal(at(text, last.nameRange), `pkg-${n - 1}`);
      assert.equal(g.packages.size, n);
      assert.deepEqual(g.packages.get(`pkg-${n - 1}`)?.deps, ['pkg-0']);
      assert.equal(r.dependencies.find((d) => d.name === 'pkg-1' && d.pinned === '2.0.0')?.group, 'dependencies');
    });

    it('mutated real locks: never throws, names never empty, messages short', () => {
      for (const seed of [fixture('npm/bun.lock'), fixture('npm/bun.workspace.lock')]) {
        fc.assert(
          fc.property(mutated(seed), (text) => {
            assertWellFormed(parseBunLock(text), text.length, { strict: true });
            for (const [name, node] of parseLockGraph('bun.lock', text).packages) for (const dep of node.deps) assert.ok(dep !== name);
          }),
          fuzzParameters(60),
        );
      }
    });
  });
});
