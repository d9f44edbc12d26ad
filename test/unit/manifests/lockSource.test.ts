import assert from 'node:assert/strict';
import { dedupeLocked, isNpmName, jsonTooDeep, lockSpec, npmSourceKind, registryTarball, trimSlashes } from '../../../server/src/manifests/lockSource';
import type { Dependency } from '../../../server/src/domain';

describe('lockSource', () => {
  it('tells registry ranges from git, tarball, path, workspace and patch specs', () => {
    for (const s of ['^1.2.3', '1.0.0', 'latest', '>=1 <2 || 3', '*', '']) assert.equal(npmSourceKind(s), undefined, s);
    for (const s of ['git+https://github.com/a/b.git#sha', 'git+ssh://git@github.com/a/b.git', 'git://github.com/a/b', 'github:a/b#v1', 'gitlab:a/b', 'a/b#main', 'git@github.com:a/b.git', 'https://github.com/a/b.git#commit=abc', 'https://codeload.github.com/a/b/tar.gz/sha']) {
      assert.equal(npmSourceKind(s), 'git', s);
    }
    for (const s of ['https://example.com/x-1.0.0.tgz', 'http://example.com/x.tgz']) assert.equal(npmSourceKind(s), 'tarball', s);
    for (const s of ['file:../x', 'link:../x', 'portal:./x', './x', '../x', '/abs/x', '~/x', 'exec:./gen.js']) assert.equal(npmSourceKind(s), 'path', s);
    assert.equal(npmSourceKind('workspace:^'), 'workspace');
    assert.equal(npmSourceKind('patch:a@npm%3A1.0.0#./p.patch'), 'patch');
    assert.equal(npmSourceKind('@scope/name'), undefined, 'a scoped name is no GitHub shorthand');
  });

  it('reads lockfile specs: berry npm: ranges are no aliases, npm:name@range ones are', () => {
    assert.deepEqual(lockSpec('a', 'npm:^7.0.0'), { name: 'a', range: '^7.0.0' });
    assert.deepEqual(lockSpec('a', 'npm:7.0.0'), { name: 'a', range: '7.0.0' });
    assert.deepEqual(lockSpec('sw', 'npm:string-width@^4.2.0'), { name: 'string-width', range: '^4.2.0', alias: true });
    assert.deepEqual(lockSpec('t', 'npm:@types/node@20'), { name: '@types/node', range: '20', alias: true });
    assert.deepEqual(lockSpec('g', 'github:a/b'), { name: 'g', range: '', url: 'github:a/b' });
    assert.deepEqual(lockSpec('x', ' ^1 '), { name: 'x', range: '^1' });
    assert.deepEqual(lockSpec('x', 'npm:' + 'a@'.repeat(5000)), { name: 'x', range: '' }, 'a huge spec is not parsed');
  });

  it('reads registry tarball URLs of the default registry, mirrors and private registries', () => {
    assert.deepEqual(registryTarball('https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz', 'lodash'), { version: '4.17.21' });
    assert.deepEqual(registryTarball('https://registry.yarnpkg.com/@babel/core/-/core-7.1.0.tgz#sha1', '@babel/core'), { version: '7.1.0' });
    assert.deepEqual(registryTarball('https://r.example.com/npm/@s/p/-/p-1.0.0-beta.2.tgz', '@s/p'), { registry: 'https://r.example.com/npm/', version: '1.0.0-beta.2' });
    assert.deepEqual(registryTarball('https://r.example.com/@s%2fp/-/p-1.0.0.tgz', '@s/p'), { registry: 'https://r.example.com/', version: '1.0.0' });
    assert.deepEqual(registryTarball('https://npm.pkg.github.com/download/@acme/x/2.1.0/abcdef', '@acme/x'), { registry: 'https://npm.pkg.github.com/', version: '2.1.0' });
    assert.equal(registryTarball('https://example.com/files/x-1.0.0.tgz', 'x'), undefined, 'not a registry layout');
    assert.equal(registryTarball('https://registry.npmjs.org/other/-/other-1.0.0.tgz', 'x'), undefined, 'another package');
    assert.equal(registryTarball('git+https://registry.npmjs.org/x/-/x-1.0.0.tgz', 'x'), undefined);
  });

  it('checks npm names, trims slashes and measures JSON depth linearly', () => {
    assert.ok(isNpmName('lodash') && isNpmName('@babel/core') && isNpmName('string-width-cjs'));
    assert.ok(!isNpmName('') && !isNpmName('a/b') && !isNpmName('git+ssh://git') && !isNpmName('^1') && !isNpmName('x'.repeat(215)));
    assert.equal(trimSlashes('a/b///'), 'a/b');
    assert.equal(trimSlashes('/'.repeat(100_000) + 'x'), '/'.repeat(100_000) + 'x');
    assert.equal(jsonTooDeep('{"a": [[["x"]]]}', 3), true);
    assert.equal(jsonTooDeep('{"a": "[[[[[[[["}', 3), false, 'brackets inside strings do not count');
    assert.equal(jsonTooDeep('{"a\\"[[[[": 1}', 3), false);
  });

  it('keeps one of each (name, version, source), preferring one installed under its own name', () => {
    const dep = (name: string, pinned: string, alias?: string): Dependency => ({ ecosystem: 'npm', name, rawName: name, specifier: pinned, pinned, extras: [], format: 'yarn.lock', range: { start: 0, end: 0 }, nameRange: { start: 0, end: 0 }, editStyle: 'none', source: alias ? { kind: 'registry', alias } : { kind: 'registry' } });
    const out = dedupeLocked([dep('a', '1.0.0', 'x'), dep('b', '1.0.0'), dep('a', '1.0.0'), dep('a', '2.0.0'), dep('b', '1.0.0', 'y')]);
    assert.deepEqual(out.map((d) => `${d.name}@${d.pinned}${d.source?.alias ? `(${d.source.alias})` : ''}`), ['a@1.0.0', 'b@1.0.0', 'a@2.0.0']);
  });
});
