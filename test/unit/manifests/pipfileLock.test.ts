import * as assert from 'node:assert/strict';
import { parsePipfileLock } from '../../../server/src/manifests/pipfileLock';
import { at, fixture } from './helpers';

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
    assert.equal(r.dependencies[3]!.url, 'https://github.com/org/mylib.git');
    assert.deepEqual(r.indexUrls, ['https://pypi.org/simple']);
    assert.deepEqual(r.problems, []);
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
