// The one-pass word finder of the code pre-filter: it finds exactly what `\bword\b` finds, on a
// string and on its UTF-8 bytes alike, and stays linear on hostile text.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isIdentifier, WordTrie } from '../../../server/src/engine/wordTrie';

const WORDS = ['pickle', 'pickles', 'os', 'load', 'loads', 'from_pretrained', 'torch', 'x', 'l0ad', 'a_'];

function present(trie: WordTrie, text: string | Uint8Array): { words: string[]; glued: boolean } {
  const marks = new Uint8Array(trie.words.length + 1);
  trie.mark(text, marks, new Uint8Array(trie.words.length));
  return { words: trie.words.filter((_, i) => marks[i]), glued: marks[trie.words.length] === 1 };
}

describe('word trie', () => {
  const trie = new WordTrie(WORDS);

  it('marks whole identifiers only', () => {
    assert.deepEqual(present(trie, 'import pickle\npickle.loads(b)  # picklescan, cPickle, pickle_x').words, ['pickle', 'loads']);
    assert.deepEqual(present(trie, 'ospath os.path x1 _x x').words, ['os', 'x']);
    assert.deepEqual(present(trie, 'él0ad l0adé é').words, ['l0ad'], 'letters beyond ASCII end a word, as for \\b');
    assert.deepEqual(present(trie, '').words, []);
    assert.deepEqual(present(trie, 'torch').words, ['torch'], 'a word at the very end');
  });

  it('notes numbers glued to letters, which tree-sitter splits', () => {
    assert.equal(present(trie, 'x = 12 + 34').glued, false);
    assert.equal(present(trie, 'x = 1_pickle').glued, true, 'an underscore may start the name after the number');
    assert.equal(present(trie, 'import 1pickle').glued, true);
    assert.equal(present(trie, 'n = 0x1f').glued, true);
    assert.equal(present(trie, 'x1 = a_1').glued, false, 'a name with digits is not a number');
  });

  it('stops at the first word marked to stop at', () => {
    const marks = new Uint8Array(WORDS.length + 1);
    const stop = new Uint8Array(WORDS.length);
    stop[WORDS.indexOf('torch')] = 1;
    assert.equal(trie.mark('os torch pickle', marks, stop), true);
    assert.equal(marks[WORDS.indexOf('pickle')], 0, 'nothing after the stop is read');
    assert.equal(trie.mark('os pickle', new Uint8Array(WORDS.length + 1), stop), false);
  });

  it('finds what \\bword\\b finds, on the text and on its UTF-8 bytes', () => {
    const piece = fc.oneof(fc.constantFrom(...WORDS, ' ', '.', '_', '1', 'é', '\n', '#', '"', 'pick', 'oss', '0x'), fc.string({ maxLength: 3 }));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (parts) => {
        const text = parts.join('');
        const expected = WORDS.filter((w) => new RegExp(`\\b${w}\\b`).test(text));
        assert.deepEqual(present(trie, text).words, expected);
        assert.deepEqual(present(trie, Buffer.from(text, 'utf8')), present(trie, text));
      }),
      { numRuns: 3000 },
    );
  });

  it('takes identifiers only', () => {
    assert.ok(isIdentifier('from_pretrained') && isIdentifier('_x1'));
    assert.ok(!isIdentifier('') && !isIdentifier('a.b') && !isIdentifier('é') && !isIdentifier('*load'));
    assert.throws(() => new WordTrie(['a b']));
  });

  it('stays linear on hostile text', () => {
    for (const t of ['picklepicklepickle'.repeat(300_000), 'pickl '.repeat(900_000), '1'.repeat(5_000_000) + 'a', 'é'.repeat(2_000_000)]) {
      present(trie, t);
      present(trie, Buffer.from(t));
    }
  });
});
