import assert from 'node:assert/strict';
import fc from 'fast-check';
import { chainStart, MAX_CHAIN, scanWords, WordSet } from '../../../server/src/python/textScan';

describe('text scans', () => {
  it('finds whole words only, in one pass, like a word-boundary regex', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('load', 'loads', 'x', '.', ' ', '(', '_load', 'load2', '\n', 'é', '1load', 'from_pretrained'), { maxLength: 60 }), (parts) => {
        const text = parts.join('');
        const words = ['load', 'loads', 'from_pretrained'];
        const got = scanWords(text, new WordSet(words));
        for (const w of words) {
          const want = [...text.matchAll(new RegExp(`(?<![\\w\\u0080-\\uffff])${w}(?![\\w\\u0080-\\uffff])`, 'g'))].map((m) => m.index);
          assert.deepEqual(got.get(w) ?? [], want, `${w} in ${JSON.stringify(text)}`);
        }
      }),
    );
  });

  it('reads dotted chains backwards, refusing absurdly long ones', () => {
    const text = 'x = torch.hub.load(p)';
    const i = text.indexOf('load');
    assert.equal(text.slice(chainStart(text, i + 4, i), i + 4), 'torch.hub.load');
    const long = 'a' + '.b'.repeat(MAX_CHAIN) + '.load';
    assert.equal(chainStart(long, long.length, long.length - 4), -1);
  });
});
