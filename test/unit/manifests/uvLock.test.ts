import * as assert from 'node:assert/strict';
import { parseUvLock, uvWorkspaceMembers } from '../../../server/src/manifests/uvLock';
import { parseLockGraph } from '../../../server/src/manifests/lockGraph';
import { at, fixture } from './helpers';
import { assertInventory } from './lockHelpers';

describe('uvLock', () => {
  const text = fixture('uv.lock');
  const r = parseUvLock(text);

  it('lists locked packages with exact versions, skipping the project itself', () => {
    assert.deepEqual(r.dependencies.map((d) => [d.name, d.pinned, d.specifier]), [
      ['torch', '2.1.0', '==2.1.0'],
      ['filelock', '3.13.1', '==3.13.1'],
      ['my-git-pkg', '0.3.0', '==0.3.0'],
    ]);
    assert.deepEqual(r.problems, []);
  });

  it('puts the name range on the name value and marks entries uneditable', () => {
    for (const d of r.dependencies) {
      assert.equal(at(text, d.nameRange), d.rawName);
      assert.equal(d.format, 'uv.lock');
      assert.equal(d.editStyle, 'none');
      assert.ok(at(text, d.range)!.startsWith('[[package]]'));
    }
    const torchName = text.indexOf('"torch"\nversion') + 1;
    assert.equal(r.dependencies[0]!.nameRange.start, torchName);
  });

  it('keeps non-registry sources as URLs', () => {
    assert.equal(r.dependencies[2]!.url, 'https://github.com/org/pkg?rev=main#abcdef');
    assert.deepEqual(r.dependencies[2]!.source, { kind: 'git', url: 'https://github.com/org/pkg?rev=main#abcdef' });
    assert.equal(r.dependencies[0]!.url, undefined);
  });

  describe('a workspace with git, URL, path, directory and other-index sources', () => {
    const ws = fixture('uv.workspace.lock');
    const res = parseUvLock(ws);

    it('reports every package once with where it comes from', () => {
      assert.deepEqual(res.problems, []);
      assertInventory(ws, res, [
        'certifi@2024.8.30 registry',
        'filelock@3.16.1 registry',
        'in-house-utils@0.7.0 path ../libs/in-house-utils',
        'ml-core@0.3.0 workspace packages/ml-core',
        'hf-transfer@0.1.8 git https://github.com/huggingface/hf_transfer?rev=v0.1.8#7c7b2e1d0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d',
        'ml-serving@0.2.0 workspace packages/ml-serving',
        'numpy@2.1.2 registry',
        'pytest@8.3.3 registry',
        'requests@2.32.3 registry',
        'tokenizer-wheel@1.2.0 tarball https://downloads.example.com/wheels/tokenizer_wheel-1.2.0-py3-none-any.whl',
        'torch@2.4.1 registry',
        'torch@2.4.1+cpu registry https://download.pytorch.org/whl/cpu',
        'vendored-model-kit@0.0.9 path vendor/vendored_model_kit-0.0.9-py3-none-any.whl',
      ]);
      assert.ok(!res.dependencies.some((d) => d.name === 'ml-platform'), 'the virtual root is the project');
      assert.equal(res.dependencies.find((d) => d.name === 'ml-core')!.editable, true);
      assert.deepEqual(res.indexUrls, ['https://download.pytorch.org/whl/cpu']);
    });

    it('keeps every package as a graph node with its edges', () => {
      const g = parseLockGraph('uv.lock', ws);
      assert.deepEqual(g.roots?.sort(), ['ml-core', 'ml-platform', 'ml-serving']);
      assert.deepEqual(g.packages.get('ml-platform')?.deps.sort(), ['in-house-utils', 'ml-core', 'ml-serving', 'pytest']);
      assert.deepEqual(g.packages.get('ml-core')?.deps.sort(), ['hf-transfer', 'numpy', 'torch']);
      assert.deepEqual(g.packages.get('ml-serving')?.deps.sort(), ['ml-core', 'tokenizer-wheel', 'vendored-model-kit']);
      assert.deepEqual(g.packages.get('in-house-utils')?.deps, ['requests']);
      assert.deepEqual(g.packages.get('torch')?.deps, ['filelock']);
    });

    it('lists the folders it covers: the root, members and local folder sources', () => {
      assert.deepEqual(uvWorkspaceMembers(ws)?.sort(), ['.', '../libs/in-house-utils', 'packages/ml-core', 'packages/ml-serving']);
      assert.equal(uvWorkspaceMembers(fixture('graph.uv.lock'))?.includes('.'), true);
      assert.equal(uvWorkspaceMembers('version = 1\n'), undefined);
    });
  });

  it('reports malformed TOML without throwing', () => {
    const bad = parseUvLock('[[package]\nname = "x"\n');
    assert.equal(bad.dependencies.length, 0);
    assert.equal(bad.problems.length, 1);
    assert.equal(bad.problems[0]!.severity, 'error');
  });

  it('warns about a package table without a name', () => {
    const res = parseUvLock('[[package]]\nversion = "1.0"\n');
    assert.equal(res.dependencies.length, 0);
    assert.equal(res.problems[0]!.severity, 'warning');
  });
});
