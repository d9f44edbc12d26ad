import * as assert from 'node:assert/strict';
import { parsePipfileLock, pipfileLockWorkspaceMembers } from '../../../server/src/manifests/pipfileLock';
import { at, fixture } from './helpers';
import { assertInventory } from './lockHelpers';

describe('pipfileLock', () => {
  const text = fixture('Pipfile.lock');
  const r = parsePipfileLock(text);

  it('reads default and develop packages with pins and key ranges', () => {
    assert.deepEqual(r.dependencies.map((d) => [d.group, d.name, d.pinned, at(text, d.nameRange)]), [
      ['default', 'requests', '2.31.0', 'requests'],
      ['default', 'jinja2', '2.10', 'Jinja2'],
      ['develop', 'pytest', '7.4.0', 'pytest'],
      ['develop', 'mylib', undefined, 'mylib'],
    ]);
    const req = r.dependencies[0]!;
    assert.equal(req.specifier, '==2.31.0');
    assert.equal(req.marker, "python_version >= '3.7'");
    assert.equal(req.hashes, true);
    assert.equal(req.format, 'Pipfile.lock');
    assert.equal(r.dependencies[1]!.hashes, undefined, 'an empty hash list is no hashes');
    assert.equal(r.dependencies[3]!.url, 'https://github.com/org/mylib.git#abc');
    assert.deepEqual(r.indexUrls, ['https://pypi.org/simple']);
    assert.deepEqual(r.problems, []);
  });

  it('reads git, editable path, file and other-index entries; a package in both groups once', () => {
    const src = fixture('Pipfile.sources.lock');
    const res = parsePipfileLock(src);
    assert.deepEqual(res.problems, []);
    assertInventory(src, res, [
      'feature-store-client@ git https://github.com/acme/feature-store-client.git#5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d',
      'local-metrics@ path ./libs/local-metrics',
      'requests@2.32.3 registry',
      'tokenizer-wheel@ tarball https://downloads.example.com/wheels/tokenizer_wheel-1.2.0-py3-none-any.whl',
      'torch@2.4.1+cpu registry https://download.pytorch.org/whl/cpu',
      'pytest@8.3.3 registry',
    ]);
    assert.equal(res.dependencies.find((d) => d.name === 'requests')!.group, 'default');
    assert.deepEqual(res.dependencies.find((d) => d.name === 'requests')!.extras, ['socks']);
    assert.equal(res.dependencies.find((d) => d.name === 'local-metrics')!.editable, true);
    assert.deepEqual(pipfileLockWorkspaceMembers(src), ['./libs/local-metrics']);
    assert.equal(pipfileLockWorkspaceMembers(text), undefined);
  });

  it('reports invalid JSON as an error without throwing', () => {
    const bad = parsePipfileLock('{"default": {"a": {"version": "==1"}');
    assert.equal(bad.problems.length, 1);
    assert.equal(bad.problems[0]!.severity, 'error');
    assert.match(bad.problems[0]!.message, /Invalid JSON/);
    const empty = parsePipfileLock('');
    assert.equal(empty.dependencies.length, 0);
    assert.equal(empty.problems.length, 1);
  });
});
