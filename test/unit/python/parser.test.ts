import assert from 'node:assert/strict';
import { diffEdit, initPython, parsePython, PythonParseCache } from '../../../server/src/python/parser';

describe('python parser', () => {
  it('loads once (memoised) and parses Python', async () => {
    const a = initPython();
    const b = initPython();
    assert.equal(a, b);
    const p = await parsePython('import torch\ntorch.load(f)\n');
    assert.equal(p.tree.rootNode.type, 'module');
    assert.equal(p.tree.rootNode.hasError, false);
    p.tree.delete();
  });

  it('diffEdit finds the changed span from common prefix and suffix', () => {
    const e = diffEdit('abc\ndef\n', 'abc\ndXef\n')!;
    assert.equal(e.startIndex, 5);
    assert.equal(e.oldEndIndex, 5);
    assert.equal(e.newEndIndex, 6);
    assert.deepEqual(e.startPosition, { row: 1, column: 1 });
    assert.equal(diffEdit('same', 'same'), undefined);
    const d = diffEdit('aaaa', 'aa')!;
    assert.equal(d.oldEndIndex - d.startIndex, 2);
    assert.equal(d.newEndIndex, d.startIndex);
  });

  it('an incremental re-parse yields the same tree as a fresh parse', async () => {
    const v1 = 'import torch\n\ndef f(p):\n    return torch.load(p)\n';
    const edits = [
      'import torch\n\ndef f(p):\n    return torch.load(p, weights_only=True)\n',
      'import torch as T\n\ndef f(p):\n    return T.load(p, weights_only=True)\n',
      'import torch as T\n\ndef f(p):\n    return T.load(p, weights_only=True\n',
      'x = "é😀"\nimport torch as T\n\ndef f(p):\n    return T.load(p)\n',
    ];
    let prev = await parsePython(v1);
    for (const text of edits) {
      const next = await parsePython(text, prev);
      const fresh = await parsePython(text);
      assert.equal(next.tree.rootNode.toString(), fresh.tree.rootNode.toString(), text);
      // The previous tree stays usable: the caller owns it.
      assert.equal(prev.tree.rootNode.type, 'module');
      prev.tree.delete();
      fresh.tree.delete();
      prev = next;
    }
    prev.tree.delete();
  });

  it('the parse cache keeps one tree per key and re-parses incrementally', async () => {
    const cache = new PythonParseCache();
    const a = await cache.get('file:///a.py', 'import torch\n');
    assert.equal(await cache.get('file:///a.py', 'import torch\n'), a);
    const b = await cache.get('file:///a.py', 'import torch\ntorch.load(f)\n');
    assert.notEqual(b, a);
    assert.equal(b.tree.rootNode.namedChildren.length, 2);
    await cache.get('file:///b.py', 'x = 1\n');
    assert.equal(cache.size, 2);
    cache.delete('file:///a.py');
    assert.equal(cache.size, 1);
    cache.clear();
    assert.equal(cache.size, 0);
  });

  it('parses broken code without throwing (error recovery)', async () => {
    const p = await parsePython('def f(:\n    torch.load(\n');
    assert.equal(p.tree.rootNode.hasError, true);
    p.tree.delete();
  });
});
