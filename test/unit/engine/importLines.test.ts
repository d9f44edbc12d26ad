// Import lines for the code pre-filter: a module counts only where Python (or tree-sitter, when it
// repairs a broken import) can import it, and finding them stays linear on hostile text.
import assert from 'node:assert/strict';
import { importsAny, nameOffsets } from '../../../server/src/engine/importLines';

const imports = (text: string, word = 'pickle') => {
  const a = importsAny(text, [word]);
  assert.equal(importsAny(Buffer.from(text, 'utf8'), [word]), a, 'the same on the bytes');
  return a;
};

describe('import lines', () => {
  it('finds names, not parts of names, and names after a glued number', () => {
    assert.deepEqual(nameOffsets('pickle cPickle pickle_ x.pickle 1pickle a1pickle', 'pickle'), [0, 25, 33]);
    assert.deepEqual(nameOffsets(Buffer.from('é pickle'), 'pickle'), [3]);
    assert.deepEqual(nameOffsets('', 'pickle'), []);
  });

  it('counts a module named by any form of import statement', () => {
    for (const t of [
      'import pickle',
      'import os, sys as s, pickle.x',
      'from pickle import loads',
      'from  \\\n  pickle import loads',
      'import os, \\\r\n  pickle',
      'if x: import pickle',
      'x = 1; import pickle',
      'try:\n    import cPickle as pickle\nexcept ImportError:\n    import pickle',
      'def f():\n\timport pickle  # late import\n',
      'from pickle import (\n    loads,\n)',
      '"""docstring"""\nimport pickle',
    ]) {
      assert.ok(imports(t), JSON.stringify(t));
    }
  });

  it('does not count a module only mentioned elsewhere', () => {
    for (const t of [
      'x = pickle.loads(b)',
      '# pickle is unsafe',
      's = "pickle"',
      'pickle; import os',
      'import os\npickle.loads(b)',
      'import os  \n\npickle',
      'from x import y\nz = pickle',
      'import pickles',
    ]) {
      assert.ok(!imports(t), JSON.stringify(t));
    }
  });

  it("follows tree-sitter's repairs of broken imports over line breaks", () => {
    for (const t of [
      'import\npickle',
      'import # c\nos, pickle',
      "import #'\npickle",
      'import x)\npickle',
      'import x if\npickle',
      'import 1\npickle',
      'import\n\n# c\n  pickle',
      'import $\n$ pickle',
      'import os\n\\, pickle',
      'import os\n  # c\n\n \\, pickle',
      '1from pickle import x',
      'import 1pickle',
      'import x y pickle',
      'import x\u000b\npickle',
      'import x\u00a0\npickle',
      'import x\u200b\npickle',
      'import x\u2028\npickle',
    ]) {
      assert.ok(imports(t), JSON.stringify(t));
    }
  });

  it('stays linear on hostile text', () => {
    const n = 100_000;
    for (const t of [
      'import (\n'.repeat(n) + 'pickle',
      'from '.repeat(n) + '\npickle',
      '1from '.repeat(n) + 'x\npickle',
      '1'.repeat(1_000_000) + 'from\n' + 'pickle '.repeat(n),
      'import os\n' + '\\, pickle\n'.repeat(n),
      'import os\n' + '#\n'.repeat(n) + 'pickle',
      'pickle '.repeat(n) + 'import os\n',
      'x.import.from.pickle '.repeat(n),
    ]) {
      imports(t);
    }
  });
});
