// The tree index: its forward cursor walk finds exactly the nodes tree-sitter's own look-up finds,
// with the same parents, for any batch of ranges (property-based); ancestor queries are memoised.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { initPython, parsePythonNow } from '../../../server/src/python/parser';
import { FUNCTION_TYPES, TreeIndex } from '../../../server/src/python/treeIndex';
import { textShape } from '../../../server/src/python/textShape';

const PIECES = [
  'import torch\n',
  'x = torch.load(p)\n',
  'def f(a, b=1):\n    return a + b\n',
  'class C:\n    def m(self):\n        y = [1, (2, 3), {"k": v}]\n        return y\n',
  'z = f(g(h(1)), k=lambda q: q * 2)\n',
  '# comment with torch.load(x)\n',
  's = """doc\nstring"""\n',
  'if a:\n    b = 1\nelse:\n    b = 2\n',
  'w = a.b.c.d(e)[f].g\n',
  'v = (a +\n     b)\n',
  'u = not not x or y and z\n',
  '',
];

describe('tree index', () => {
  before(() => initPython());

  it('the cursor walk matches descendantForIndex and node.parent for random batches', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 12 }), fc.array(fc.tuple(fc.nat(), fc.nat(8)), { maxLength: 40 }), (pieces, raw) => {
        const text = pieces.join('');
        const parsed = parsePythonNow(text);
        try {
          const ranges = raw.map(([s, len]) => {
            const start = text.length ? s % text.length : 0;
            return [start, Math.min(text.length, start + Math.max(1, len))] as const;
          });
          const ix = new TreeIndex(parsed.tree, text);
          const walked = ix.walk(ranges);
          ranges.forEach(([s, e], i) => {
            const want = parsed.tree.rootNode.descendantForIndex(s, e);
            const got = walked[i];
            assert.equal(got?.id, want?.id, `range ${s}-${e} in ${JSON.stringify(text)}`);
            if (got && want) assert.equal(ix.parentOf(got)?.id ?? null, want.parent?.id ?? null);
          });
        } finally {
          parsed.tree.delete();
        }
      }),
      { numRuns: 150 },
    );
  });

  it('enclosing finds the nearest function, memoised along the chain', () => {
    const text = 'def outer(a):\n    def inner(b):\n        return torch.load(b)\n    return inner\nx = torch.load(p)\n';
    const parsed = parsePythonNow(text);
    try {
      const ix = new TreeIndex(parsed.tree, text);
      const [inside, outside] = ix.walk([
        [text.indexOf('load(b)'), text.indexOf('load(b)') + 4],
        [text.lastIndexOf('load'), text.lastIndexOf('load') + 4],
      ]);
      const fn = ix.enclosing(inside!, FUNCTION_TYPES);
      assert.equal(fn?.childForFieldName('name')?.text, 'inner');
      assert.equal(ix.enclosing(fn!, FUNCTION_TYPES)?.childForFieldName('name')?.text, 'outer');
      assert.equal(ix.enclosing(outside!, FUNCTION_TYPES), null);
    } finally {
      parsed.tree.delete();
    }
  });

  it('the text shape bounds depth and width: logical lines, blocks, nesting, tokens', () => {
    const s = textShape('import a\nx = (1 +\n     2)  # ( not counted\ny = "(((("\ndef f():\n    a = 1\n    b = 2\n    c = 3\n    if a:\n        d = 4\n');
    assert.equal(s.maxBlock, 4); // import, x, y, def at column 0
    assert.equal(s.maxNesting, 3);
    assert.ok(s.maxTokens >= 7 && s.maxTokens <= 9, String(s.maxTokens));
    assert.equal(textShape('x = (' + 'a + '.repeat(1000) + 'a)\n').maxTokens > 2000, true);
    // CR-only text: each line still ends.
    assert.equal(textShape('a = 1\rb = 2\rc = 3\r').maxBlock, 3);
  });
});
