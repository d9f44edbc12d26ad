// Which characters a slip of the finger or the eye turns into which: QWERTY neighbours (number
// row included, so `req7ests` and `s4transfer` count as slips) and vowel-for-vowel spellings.
const ROWS = ['1234567890', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm'];

const neighbours = new Map<string, Set<string>>();
for (let r = 0; r < ROWS.length; r++) {
  for (let c = 0; c < ROWS[r]!.length; c++) {
    const set = new Set<string>();
    // Rows are staggered: a key touches its row neighbours, two keys above and two below.
    const around: [number, number][] = [
      [r, c - 1],
      [r, c + 1],
      [r - 1, c],
      [r - 1, c + 1],
      [r + 1, c - 1],
      [r + 1, c],
    ];
    for (const [rr, cc] of around) {
      const ch = ROWS[rr]?.[cc];
      if (ch) set.add(ch);
    }
    neighbours.set(ROWS[r]![c]!, set);
  }
}

/** The two keys touch on a QWERTY keyboard. */
export function adjacentKeys(a: string, b: string): boolean {
  return neighbours.get(a)?.has(b) ?? false;
}

const VOWELS = new Set(['a', 'e', 'i', 'o', 'u', 'y']);

/** Both are vowels: the usual misspelling (`colurama`, `beautifol`). */
export function bothVowels(a: string, b: string): boolean {
  return VOWELS.has(a) && VOWELS.has(b);
}

/** Characters that read alike (`1`/`l`, `0`/`o`): a disguise more than a slip. */
const LOOKALIKE = new Set(['1l', 'l1', '1i', 'i1', 'il', 'li', '0o', 'o0', '5s', 's5', '3e', 'e3', '4a', 'a4']);
export function readAlike(a: string, b: string): boolean {
  return LOOKALIKE.has(a + b);
}
