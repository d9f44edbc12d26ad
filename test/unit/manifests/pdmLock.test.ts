import * as assert from 'node:assert/strict';
import { parsePdmLock } from '../../../server/src/manifests/pdmLock';
import { at, fixture } from './helpers';

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

  it('points at the name value, is never edited, and keeps git sources', () => {
    for (const d of r.dependencies) {
      assert.equal(at(text, d.nameRange), d.rawName);
      assert.equal(d.format, 'pdm.lock');
      assert.equal(d.editStyle, 'none');
    }
    assert.equal(r.dependencies[3]!.url, 'https://github.com/org/mylib.git');
    assert.equal(r.dependencies[0]!.url, undefined);
  });

  it('reports malformed TOML without throwing', () => {
    const bad = parsePdmLock('[[package]]\nname = "x\n');
    assert.equal(bad.dependencies.length, 0);
    assert.equal(bad.problems[0]!.severity, 'error');
  });
});
