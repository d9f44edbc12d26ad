import assert from 'node:assert/strict';
import fc from 'fast-check';
import { maxIndentDepth } from '../../../server/src/python/indentDepth';
import { nestedBlocks } from '../fuzz/shapes';

/** Reference: the width after every '\n' measured the slow way, then a quadratic longest run. */
function reference(text: string): number {
  const widths: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '\n') continue;
    let w = 0;
    let j = i;
    let measured = true;
    for (;;) {
      const c = text[j];
      if (c === undefined) {
        w = 0;
        break;
      }
      if (c === '\n' || c === '\r' || c === '\f') [w, j] = [0, j + 1];
      else if (c === ' ') [w, j] = [(w + 1) & 0xffff, j + 1];
      else if (c === '\t') [w, j] = [(w + 8) & 0xffff, j + 1];
      else if (c === '#') {
        while (j < text.length && text[j] !== '\n') j++;
        [w, j] = [0, j + 1];
      } else if (c === '\\') {
        j++;
        if (text[j] === '\r') j++;
        if (j < text.length && text[j] !== '\n') {
          measured = false;
          break;
        }
        j++;
      } else break;
    }
    if (measured && w > 0) widths.push(w);
  }
  const best = widths.map(() => 1);
  for (let a = 0; a < widths.length; a++) for (let b = 0; b < a; b++) if (widths[b]! < widths[a]!) best[a] = Math.max(best[a]!, best[b]! + 1);
  return Math.max(0, ...best);
}

describe('maxIndentDepth', () => {
  it('counts nested blocks, and nothing for flat code', () => {
    assert.equal(maxIndentDepth('import torch\ntorch.load(p)\n'), 0);
    assert.equal(maxIndentDepth('def f():\n    if x:\n        return 1\n    return 2\n'), 2);
    assert.equal(maxIndentDepth(nestedBlocks(511)), 511);
  });

  it('measures like the scanner: tabs count 8, comment and blank lines do not count, \\r resets', () => {
    assert.equal(maxIndentDepth('if a:\n\tif b:\n\t\tc\n'), 2);
    // The comment line's own indentation is ignored: the next code line decides.
    assert.equal(maxIndentDepth('if a:\n        # deep comment\n  b\n'), 1);
    assert.equal(maxIndentDepth('if a:\n\n\n   \n    b\n'), 1);
    // \r-only line endings: the scanner never sees an end of line.
    assert.equal(maxIndentDepth('if a:\r    if b:\r        c\r'), 0);
    // A backslash-newline continues the measurement into the next line.
    assert.equal(maxIndentDepth('x = 1\n  \\\n  y\n'), 1);
  });

  it('only a strictly increasing run counts (dedents and repeats do not add up)', () => {
    const blocks = Array.from({ length: 300 }, () => 'if a:\n    b\n').join('');
    assert.equal(maxIndentDepth(blocks), 1);
    const down = Array.from({ length: 300 }, (_, i) => `${' '.repeat(300 - i)}x\n`).join('');
    assert.equal(maxIndentDepth(`\n${down}`), 1);
  });

  it('equals a slow reference on random whitespace-heavy texts (it is an upper bound of the scanner depth)', () => {
    const chunk = fc.constantFrom('\n', ' ', '  ', '\t', '\r', '\f', '#c', '\\', '\\\n', 'x', 'if a:', '"s"');
    fc.assert(
      fc.property(fc.array(chunk, { maxLength: 120 }), (parts) => {
        const text = parts.join('');
        assert.equal(maxIndentDepth(text), reference(text));
      }),
      { numRuns: 400 },
    );
  });

  it('is linear: a million characters of every worst shape', function () {
    this.timeout(60_000);
    const n = 1_000_000;
    for (const text of ['\n'.repeat(n), '#\n'.repeat(n / 2), ' '.repeat(n), `\n${' \\\n'.repeat(n / 3)}x`, nestedBlocks(1_400)]) {
      assert.ok(maxIndentDepth(text) >= 0);
    }
  });
});
