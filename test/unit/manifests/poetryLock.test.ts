import * as assert from 'node:assert/strict';
import { parsePoetryLock } from '../../../server/src/manifests/poetryLock';
import { at, fixture } from './helpers';

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

  it('takes the git URL from [package.source]', () => {
    assert.equal(r.dependencies[1]!.url, 'https://github.com/org/mylib.git');
    assert.equal(r.dependencies[0]!.url, undefined);
  });

  it('handles an empty lockfile', () => {
    const empty = parsePoetryLock('');
    assert.deepEqual(empty.dependencies, []);
    assert.deepEqual(empty.problems, []);
  });
});
