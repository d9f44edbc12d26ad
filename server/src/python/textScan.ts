// Linear text scans that find where the analysis should look: one pass over the text for all
// words of interest (instead of one `indexOf` sweep per word), and dotted chains read backwards
// from a word with a cap (so `a.load.load.load…` cannot make each occurrence rescan the chain).
export const isIdentChar = (c: number): boolean =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c > 127;
const isIdentStart = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c > 127;

/** A word set prepared for `scanWords`: words bucketed by length and a rolling hash. */
export class WordSet {
  private readonly byKey = new Map<number, string[]>();
  readonly words: ReadonlySet<string>;

  constructor(words: Iterable<string>) {
    const set = new Set<string>();
    for (const w of words) {
      if (!w || !isIdentStart(w.charCodeAt(0))) continue;
      set.add(w);
    }
    this.words = set;
    for (const w of set) {
      const k = WordSet.key(w, 0, w.length);
      const list = this.byKey.get(k);
      if (list) list.push(w);
      else this.byKey.set(k, [w]);
    }
  }

  /** The hash of `text[start, end)`: the same fold `scanWords` computes while reading a word. */
  static key(text: string, start: number, end: number): number {
    let h = 0;
    for (let i = start; i < end; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
    return h;
  }

  match(text: string, start: number, end: number, h: number): string | undefined {
    const list = this.byKey.get(h);
    if (!list) return undefined;
    for (const w of list) if (w.length === end - start && text.startsWith(w, start)) return w;
    return undefined;
  }
}

/**
 * Every whole-word occurrence of the set's words, in text order: one pass, integer work per
 * character, a string comparison only on a hash hit. Words inside strings and comments are
 * found too (the tree decides what they are).
 */
export function scanWords(text: string, set: WordSet): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (!isIdentChar(c)) {
      i++;
      continue;
    }
    const start = i;
    let h = 0;
    while (i < n) {
      const d = text.charCodeAt(i);
      if (!isIdentChar(d)) break;
      h = (Math.imul(h, 31) + d) | 0;
      i++;
    }
    // A word starting with a digit is a number (or part of one), never a name.
    if (!isIdentStart(c)) continue;
    const w = set.match(text, start, i, h);
    if (w === undefined) continue;
    const list = out.get(w);
    if (list) list.push(start);
    else out.set(w, [start]);
  }
  return out;
}

/** Longest dotted chain the text pre-checks read backwards (no catalog name comes close). */
export const MAX_CHAIN = 256;

/**
 * The start of the dotted chain ending at `end` (`torch.hub.load` for the `load` at the end), or
 * -1 when the chain is longer than MAX_CHAIN characters (then it is no API we know).
 */
export function chainStart(text: string, end: number, wordStart: number): number {
  let k = wordStart;
  const limit = Math.max(0, end - MAX_CHAIN);
  while (k > 0) {
    const c = text.charCodeAt(k - 1);
    if (isIdentChar(c) || c === 46 /* . */) {
      if (k - 1 < limit) return -1;
      k--;
    } else break;
  }
  return k;
}
