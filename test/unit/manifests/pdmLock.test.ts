import * as assert from 'node:assert/strict';
import { parsePdmLock, pdmWorkspaceMembers } from '../../../server/src/manifests/pdmLock';
import { parseLockGraph } from '../../../server/src/manifests/lockGraph';
import { at, fixture } from './helpers';
import { assertInventory } from './lockHelpers';

describe('pdmLock', () => {
  const text = fixture('pdm.lock');
  const r = parsePdmLock(text);

  it('lists locked packages once each, with exact versions', () => {
    assert.deepEqual(r.dependencies.map((d) => [d.name, d.pinned]), [
      ['certifi', '2024.2.2'],
      ['requests', '2.31.0'],
      ['pysocks', '1.7.1'],
      ['mylib', '0.3.0'],
    ]);
    assert.deepEqual(r.problems, []);
  });

  it('points at the name value, is never edited, and keeps git sources with their revision', () => {
    for (const d of r.dependencies) {
      assert.equal(at(text, d.nameRange), d.rawName);
      assert.equal(d.format, 'pdm.lock');
      assert.equal(d.editStyle, 'none');
    }
    assert.equal(r.dependencies[3]!.url, 'https://github.com/org/mylib.git#abcdef0123456789');
    assert.equal(r.dependencies[0]!.url, undefined);
  });

  it('reads git, editable path and URL sources', () => {
    const src = fixture('pdm.sources.lock');
    const res = parsePdmLock(src);
    assert.deepEqual(res.problems, []);
    assertInventory(src, res, [
      'certifi@2024.8.30 registry',
      'feature-store-client@0.9.0 git https://github.com/acme/feature-store-client.git#5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d',
      'local-metrics@0.1.0 path ./libs/local-metrics',
      'requests@2.32.3 registry',
      'pysocks@1.7.1 registry',
      'tokenizer-wheel@1.2.0 tarball https://downloads.example.com/wheels/tokenizer_wheel-1.2.0-py3-none-any.whl',
    ]);
    assert.equal(res.dependencies.find((d) => d.name === 'local-metrics')!.editable, true);
    const g = parseLockGraph('pdm.lock', src);
    assert.deepEqual(g.packages.get('local-metrics')?.deps, ['requests']);
    assert.deepEqual(g.packages.get('requests')?.deps.sort(), ['certifi', 'pysocks']);
    assert.deepEqual(pdmWorkspaceMembers(src), ['./libs/local-metrics']);
    assert.equal(pdmWorkspaceMembers(text), undefined);
  });

  it('reports malformed TOML without throwing', () => {
    const bad = parsePdmLock('[[package]]\nname = "x\n');
    assert.equal(bad.dependencies.length, 0);
    assert.equal(bad.problems[0]!.severity, 'error');
  });
});
