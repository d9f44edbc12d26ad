// Which words of a set a text spells as whole identifiers (what `\bword\b` finds), in one pass: each
// maximal run of identifier characters walks a trie of the words. The same on a string and on its
// UTF-8 bytes: identifier characters are ASCII, and no byte of a multi-byte sequence is one, so the
// CLI tests a file before decoding it. Linear, allocation-free, and small enough for V8 to optimize
// within the first file or two (the pre-filter runs it over every Python file of a scan).

/** Identifier characters (ASCII letters, digits, `_`), numbered 1..63; 0 for everything else. */
const CLASS = new Uint8Array(128);
{
  let n = 0;
  for (const range of ['AZ', 'az', '__', '09']) {
    for (let c = range.charCodeAt(0); c <= range.charCodeAt(1); c++) CLASS[c] = ++n;
  }
}
const FANOUT = 64;
// Digits are numbered last: a class from DIGIT_0 up is a digit.
const DIGIT_0 = CLASS[48]!;

export const isIdentChar = (c: number): boolean => c < 128 && CLASS[c]! !== 0;

export function isIdentifier(word: string): boolean {
  return word.length > 0 && [...word].every((ch) => isIdentChar(ch.charCodeAt(0)));
}

export class WordTrie {
  /** next[node * 64 + class]: the child node, or 0 for none (node 0 is the root, never a child). */
  private readonly next: Int32Array;
  /** The index of the word a node spells, or -1. */
  private readonly word: Int32Array;

  /** `words` must be identifiers (isIdentifier). */
  constructor(readonly words: readonly string[]) {
    let size = 1;
    for (const w of words) size += w.length;
    this.next = new Int32Array(size * FANOUT);
    this.word = new Int32Array(size).fill(-1);
    let nodes = 1;
    words.forEach((w, id) => {
      if (!isIdentifier(w)) throw new Error(`not an identifier: ${w}`);
      let node = 0;
      for (let k = 0; k < w.length; k++) {
        const slot = node * FANOUT + CLASS[w.charCodeAt(k)]!;
        if (this.next[slot] === 0) this.next[slot] = nodes++;
        node = this.next[slot]!;
      }
      this.word[node] = id;
    });
  }

  /**
   * Sets `present[id]` for every word the text spells, and stops at the first one whose `stop[id]`
   * is set (returning true). Both arrays are indexed like `words`; `present` has one more slot,
   * set when a number is glued to letters (`1from`, `0x1f`): tree-sitter reads a name after the
   * number there, which this pass does not look into.
   */
  mark(text: string | Uint8Array, present: Uint8Array, stop: Uint8Array): boolean {
    return typeof text === 'string' ? this.markString(text, present, stop) : this.markBytes(text, present, stop);
  }

  // The two loops differ only in how a character is read, so each stays monomorphic.
  private markBytes(text: Uint8Array, present: Uint8Array, stop: Uint8Array): boolean {
    const { next, word } = this;
    const glued = this.words.length;
    const n = text.length;
    let i = 0;
    while (i < n) {
      const c = text[i]!;
      let cls = c < 128 ? CLASS[c]! : 0;
      if (cls === 0) {
        i++;
        continue;
      }
      if (cls >= DIGIT_0) {
        // A number (no word starts with a digit): note whether letters are glued to it.
        while (++i < n && (cls = text[i]! < 128 ? CLASS[text[i]!]! : 0) !== 0) if (cls < DIGIT_0) present[glued] = 1;
        continue;
      }
      // A run of identifier characters: follow the trie while it has a path, then skip the rest.
      let node = 0;
      for (;;) {
        node = next[node * FANOUT + cls]!;
        if (++i >= n) break;
        const d = text[i]!;
        cls = d < 128 ? CLASS[d]! : 0;
        if (cls === 0) break;
        if (node === 0) {
          while (++i < n && (text[i]! < 128 ? CLASS[text[i]!]! : 0) !== 0);
          break;
        }
      }
      const id = word[node]!;
      if (node !== 0 && id >= 0) {
        present[id] = 1;
        if (stop[id]) return true;
      }
    }
    return false;
  }

  private markString(text: string, present: Uint8Array, stop: Uint8Array): boolean {
    const { next, word } = this;
    const glued = this.words.length;
    const n = text.length;
    let i = 0;
    while (i < n) {
      const c = text.charCodeAt(i);
      let cls = c < 128 ? CLASS[c]! : 0;
      if (cls === 0) {
        i++;
        continue;
      }
      if (cls >= DIGIT_0) {
        while (++i < n && (cls = text.charCodeAt(i) < 128 ? CLASS[text.charCodeAt(i)]! : 0) !== 0) if (cls < DIGIT_0) present[glued] = 1;
        continue;
      }
      let node = 0;
      for (;;) {
        node = next[node * FANOUT + cls]!;
        if (++i >= n) break;
        const d = text.charCodeAt(i);
        cls = d < 128 ? CLASS[d]! : 0;
        if (cls === 0) break;
        if (node === 0) {
          while (++i < n && (text.charCodeAt(i) < 128 ? CLASS[text.charCodeAt(i)]! : 0) !== 0);
          break;
        }
      }
      const id = word[node]!;
      if (node !== 0 && id >= 0) {
        present[id] = 1;
        if (stop[id]) return true;
      }
    }
    return false;
  }
}
