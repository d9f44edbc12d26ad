// Which words of a set a text spells as whole identifiers (what `\bword\b` finds), in one pass: each
// maximal run of identifier characters walks a trie of the words. The same on a string and on its
// UTF-8 bytes: identifier characters are ASCII, and no byte of a multi-byte sequence is one, so the
// CLI tests a file before decoding it. Linear, allocation-free, and small enough for V8 to optimize
// within the first file or two (the pre-filter runs it over every Python file of a scan).
//
// The trie folds case; a word marked exact is checked against the text when its node is reached,
// so one pass finds `HTTP` for a word of any case and only `cPickle` for `cPickle`. A run that starts
// with a digit is a number to tree-sitter, followed by whatever name is glued to it (`1pickle`):
// the words such a run ends with are marked too, in a separate array.

/** Identifier characters numbered from 1 (both cases of a letter share one); 0 for the rest. */
const CLASS = new Uint8Array(128);
{
  let n = 0;
  for (let c = 97; c <= 122; c++) CLASS[c] = CLASS[c - 32] = ++n;
  CLASS[95] = ++n;
  for (let c = 48; c <= 57; c++) CLASS[c] = ++n;
}
// Digits are numbered last: a class from DIGIT_0 up is a digit.
const DIGIT_0 = CLASS[48]!;
const FANOUT = 64;
/** Records a loop keeps before they are read (three numbers each). */
const BATCH3 = 3 * 512;

export const isIdentChar = (c: number): boolean => c < 128 && CLASS[c]! !== 0;

export function isIdentifier(word: string): boolean {
  return word.length > 0 && [...word].every((ch) => isIdentChar(ch.charCodeAt(0)));
}

export class WordTrie {
  /** next[node * 64 + class]: the child node, or 0 for none (node 0 is the root, never a child). */
  private readonly next: Int32Array;
  /** The word a node spells (case folded), or -1; `also` holds any more words of that node. */
  private readonly word: Int32Array;
  private readonly also = new Map<number, number[]>();
  private readonly none = new Uint8Array(0);
  private readonly events = new Int32Array(BATCH3);
  /** The length of the longest word. */
  private readonly longest: number;
  /** 1 for a word that must match in its own case. */
  private readonly exact: Uint8Array;

  /**
   * `words` must be identifiers (isIdentifier); those in `anyCase` match in any case, the others
   * exactly.
   */
  constructor(
    readonly words: readonly string[],
    anyCase: ReadonlySet<string> = new Set(),
  ) {
    let size = 1;
    for (const w of words) size += w.length;
    this.longest = Math.max(0, ...words.map((w) => w.length));
    this.exact = Uint8Array.from(words, (w) => (anyCase.has(w) ? 0 : 1));
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
      if (this.word[node] === -1) this.word[node] = id;
      else this.also.set(node, [...(this.also.get(node) ?? []), id]);
    });
    // Every path of both loops runs here, so that the optimizing compiler, when it takes over a
    // long scan, has seen them all (a path it has not seen throws its code away when first taken).
    // V8 records what a function does only from about its tenth call on.
    const sample = `${words[0] ?? 'x'} 1${words[0] ?? 'x'} y\n`;
    const bytes = Buffer.from(sample, 'latin1');
    const none = new Uint8Array(words.length);
    for (let k = 0; k < 12; k++) {
      this.mark(sample, new Uint8Array(words.length), none, new Uint8Array(words.length));
      this.mark(bytes, new Uint8Array(words.length), none, new Uint8Array(words.length));
    }
  }

  /**
   * Sets `present[id]` for every word the text spells, and stops at the first one whose `stop[id]`
   * is set (returning true). Words a number is glued to are set in `glued` instead. All three
   * arrays are indexed like `words`.
   */
  mark(text: string | Uint8Array, present: Uint8Array, stop: Uint8Array, glued: Uint8Array): boolean {
    // The loops only record what they meet, a batch at a time (kept small and free of rare paths,
    // they are optimized early and stay so); the records are read here.
    const events = this.events;
    for (let i = 0; i < text.length; ) {
      const end = typeof text === 'string' ? this.scanString(text, i, events) : this.scanBytes(text, i, events);
      for (let e = 0; e < this.count; e += 3) {
        const node = events[e]!;
        if (node < 0) this.glue(text, events[e + 1]!, events[e + 2]!, glued);
        else if (this.hit(text, events[e + 1]!, events[e + 2]!, node, present, stop)) return true;
      }
      i = end;
    }
    return false;
  }

  /** The run [start, end) reached `node`: set its words that match (exactly where they must). */
  private hit(text: string | Uint8Array, start: number, end: number, node: number, present: Uint8Array, stop: Uint8Array): boolean {
    const more = this.also.get(node);
    for (let k = -1; k < (more === undefined ? 0 : more.length); k++) {
      const id = k < 0 ? this.word[node]! : more![k]!;
      if (this.exact[id] === 1 && !spells(text, start, end, this.words[id]!)) continue;
      present[id] = 1;
      if (stop[id] === 1) return true;
    }
    return false;
  }

  /** A run [start, end) that starts with a digit: mark the words it ends with (after the number). */
  private glue(text: string | Uint8Array, start: number, end: number, glued: Uint8Array): void {
    for (let s = Math.max(start + 1, end - this.longest); s < end; s++) {
      if (CLASS[codeAt(text, s)]! >= DIGIT_0) continue;
      let node = 0;
      for (let i = s; i < end && (i === s || node !== 0); i++) node = this.next[node * FANOUT + CLASS[codeAt(text, i)]!]!;
      if (node !== 0 && this.word[node]! >= 0) this.hit(text, s, end, node, glued, this.none);
    }
  }

  // The two loops differ only in how a character is read, so each stays monomorphic. From `i`,
  // each records (node, start, end) for every run that reaches a word's node, and (-1, start, end)
  // for every number with letters glued to it, until the end or a full batch; returns where it
  // stopped (`count` holds how many numbers it recorded).
  private count = 0;

  // scanBytes and scanString are the same loop over two kinds of input, kept apart on purpose so
  // each reads its input directly (no accessor call or type check per character in the CLI's
  // hottest loop). A change to one must go to both.
  private scanBytes(text: Uint8Array, i: number, events: Int32Array): number {
    const { next, word } = this;
    const n = text.length;
    let count = 0;
    while (i < n && count < BATCH3) {
      const c = text[i]!;
      let cls = c < 128 ? CLASS[c]! : 0;
      if (cls === 0) {
        i++;
        continue;
      }
      const start = i;
      if (cls >= DIGIT_0) {
        // A number (no word starts with a digit): only letters glued to it can spell a word.
        let letters = false;
        while (++i < n && (cls = text[i]! < 128 ? CLASS[text[i]!]! : 0) !== 0) if (cls < DIGIT_0) letters = true;
        if (letters) {
          events[count] = -1;
          events[count + 1] = start;
          events[count + 2] = i;
          count += 3;
        }
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
      if (node !== 0 && word[node]! >= 0) {
        events[count] = node;
        events[count + 1] = start;
        events[count + 2] = i;
        count += 3;
      }
    }
    this.count = count;
    return i;
  }

  private scanString(text: string, i: number, events: Int32Array): number {
    const { next, word } = this;
    const n = text.length;
    let count = 0;
    while (i < n && count < BATCH3) {
      const c = text.charCodeAt(i);
      let cls = c < 128 ? CLASS[c]! : 0;
      if (cls === 0) {
        i++;
        continue;
      }
      const start = i;
      if (cls >= DIGIT_0) {
        let letters = false;
        while (++i < n && (cls = text.charCodeAt(i) < 128 ? CLASS[text.charCodeAt(i)]! : 0) !== 0) if (cls < DIGIT_0) letters = true;
        if (letters) {
          events[count] = -1;
          events[count + 1] = start;
          events[count + 2] = i;
          count += 3;
        }
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
      if (node !== 0 && word[node]! >= 0) {
        events[count] = node;
        events[count + 1] = start;
        events[count + 2] = i;
        count += 3;
      }
    }
    this.count = count;
    return i;
  }
}

const codeAt = (text: string | Uint8Array, i: number): number => (typeof text === 'string' ? text.charCodeAt(i) : text[i]!);

function spells(text: string | Uint8Array, start: number, end: number, w: string): boolean {
  if (end - start !== w.length) return false;
  for (let k = 0; k < w.length; k++) if (codeAt(text, start + k) !== w.charCodeAt(k)) return false;
  return true;
}
