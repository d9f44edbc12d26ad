import * as assert from 'node:assert/strict';
import { parseUvLock } from '../../../server/src/manifests/uvLock';
import { at, fixture } from './helpers';

describe('uvLock', () => {
  const text = fixture('uv.lock');
  const r = parseUvLock(text);

  it('lists locked packages with exact versions, skipping the editable project', () => {
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
    assert.equal(r.dependencies[0]!.url, undefined);
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
