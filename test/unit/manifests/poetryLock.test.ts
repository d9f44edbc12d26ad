import * as assert from 'node:assert/strict';
import { parsePoetryLock, poetryWorkspaceMembers } from '../../../server/src/manifests/poetryLock';
import { parseLockGraph } from '../../../server/src/manifests/lockGraph';
import { at, fixture } from './helpers';
import { assertInventory } from './lockHelpers';

describe('poetryLock', () => {
  const text = fixture('poetry.lock');
  const r = parsePoetryLock(text);

  it('lists packages with their locked versions', () => {
    assert.deepEqual(r.dependencies.map((d) => [d.name, d.rawName, d.pinned]), [
      ['certifi', 'certifi', '2023.7.22'],
      ['mylib', 'mylib', '1.0.0'],
      ['pyyaml', 'PyYAML', '5.3.1'],
    ]);
    assert.deepEqual(r.problems, []);
    for (const d of r.dependencies) {
      assert.equal(at(text, d.nameRange), d.rawName);
      assert.equal(d.format, 'poetry.lock');
      assert.equal(d.editStyle, 'none');
    }
  });

  it('takes the git URL from [package.source], with the resolved commit', () => {
    assert.equal(r.dependencies[1]!.url, 'https://github.com/org/mylib.git#abc123');
    assert.equal(r.dependencies[1]!.source?.kind, 'git');
    assert.equal(r.dependencies[0]!.url, undefined);
  });

  describe('lock-version 2.1 with git, url, file, directory and legacy sources', () => {
    const src = fixture('poetry.sources.lock');
    const res = parsePoetryLock(src);

    it('reports every package once with where it comes from', () => {
      assert.deepEqual(res.problems, []);
      assertInventory(src, res, [
        'certifi@2024.8.30 registry',
        'feature-store-client@0.9.0 git https://github.com/acme/feature-store-client.git#5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d',
        'local-metrics@0.1.0 path ../local-metrics',
        'numpy@1.26.4 registry',
        'pytest@8.3.3 registry',
        'requests@2.32.3 registry',
        'torch@2.4.1+cpu registry https://download.pytorch.org/whl/cpu',
        'tokenizer-wheel@1.2.0 tarball https://downloads.example.com/wheels/tokenizer_wheel-1.2.0-py3-none-any.whl',
        'vendored-model-kit@0.0.9 path vendor/vendored_model_kit-0.0.9-py3-none-any.whl',
      ]);
      assert.equal(res.dependencies.find((d) => d.name === 'local-metrics')!.editable, true, 'develop = true');
      assert.deepEqual(res.indexUrls, ['https://download.pytorch.org/whl/cpu']);
      assert.ok(at(src, res.dependencies[1]!.range)!.includes('resolved_reference'), 'the range spans [package.source]');
    });

    it('keeps every package as a graph node with its edges', () => {
      const g = parseLockGraph('poetry.lock', src);
      assert.deepEqual(g.packages.get('feature-store-client')?.deps, ['requests']);
      assert.deepEqual(g.packages.get('local-metrics')?.deps, ['numpy']);
      assert.deepEqual(g.packages.get('torch')?.deps, ['numpy']);
      assert.deepEqual(g.packages.get('pytest')?.deps, [], 'an edge to a package the lock does not hold is dropped');
    });

    it('has no workspace, only its local folder sources', () => {
      assert.deepEqual(poetryWorkspaceMembers(src), ['../local-metrics']);
      assert.equal(poetryWorkspaceMembers(text), undefined);
    });
  });

  it('reads lock-version 1.1 with [metadata.files]', () => {
    const v1 = fixture('poetry.v1.lock');
    const res = parsePoetryLock(v1);
    assert.deepEqual(res.problems, []);
    assertInventory(v1, res, ['certifi@2022.12.7 registry', 'mylib@1.0.0 git https://github.com/org/mylib.git#0a1b2c3d4e5f60718293a4b5c6d7e8f901234567', 'requests@2.28.2 registry']);
    assert.deepEqual(parseLockGraph('poetry.lock', v1).packages.get('mylib')?.deps, ['requests']);
  });

  it('handles an empty lockfile', () => {
    const empty = parsePoetryLock('');
    assert.deepEqual(empty.dependencies, []);
    assert.deepEqual(empty.problems, []);
  });
});
