// The one-pass word finder of the code pre-filter: it finds exactly what `\bword\b` finds, on a
// string and on its UTF-8 bytes alike, and stays linear on hostile text.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isIdentifier, WordTrie } from '../../../server/src/engine/wordTrie';

const WORDS = ['pickle', 'pickles', 'os', 'load', 'loads', 'from_pretrained', 'torch', 'x', 'l0ad', 'a_'];

function present(trie: WordTrie, text: string | Uint8Array): { words: string[]; glued: string[] } {
  const marks = new Uint8Array(trie.words.length);
  const glued = new Uint8Array(trie.words.length);
  trie.mark(text, marks, new Uint8Array(trie.words.length), glued);
  return { words: trie.words.filter((_, i) => marks[i]), glued: trie.words.filter((_, i) => glued[i]) };
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

  it('marks the words a number is glued to apart, as tree-sitter splits them', () => {
    assert.deepEqual(present(trie, 'x = 12 + 34').glued, []);
    assert.deepEqual(present(trie, 'import 1pickle, 2os').glued, ['pickle', 'os']);
    assert.deepEqual(present(trie, 'import 1pickle').words, []);
    assert.deepEqual(present(trie, 'n = 0x1fpickles').glued, ['pickles'], 'every word the run ends with counts');
    assert.deepEqual(present(trie, 'x1 = a_1').glued, [], 'a name with digits is not a number');
    assert.deepEqual(present(trie, 'x = 1_pickle').glued, ['pickle'], 'an underscore may start the name after the number');
  });

  it('matches words of any case where asked, the others exactly', () => {
    const folded = new WordTrie(['http', 'cPickle', 'bin', 'BIN2'], new Set(['http', 'bin']));
    const p = (t: string) => present(folded, t).words;
    assert.deepEqual(p('HTTP Http hTtP'), ['http']);
    assert.deepEqual(p('cpickle CPICKLE'), []);
    assert.deepEqual(p('cPickle'), ['cPickle']);
    assert.deepEqual(p('m.BIN bin2'), ['bin']);
    assert.deepEqual(p('BIN2'), ['BIN2']);
    assert.deepEqual(present(folded, Buffer.from('HtTp')).words, ['http']);
  });

  it('stops at the first word marked to stop at', () => {
    const marks = new Uint8Array(WORDS.length);
    const stop = new Uint8Array(WORDS.length);
    stop[WORDS.indexOf('torch')] = 1;
    assert.equal(trie.mark('os torch pickle', marks, stop, new Uint8Array(WORDS.length)), true);
    assert.equal(marks[WORDS.indexOf('pickle')], 0, 'nothing after the stop is read');
    assert.equal(trie.mark('os pickle', new Uint8Array(WORDS.length), stop, new Uint8Array(WORDS.length)), false);
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
