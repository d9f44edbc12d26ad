// Compact look-up tables for the look-alike check: which target names are one deletion apart from a
// written name, share its disguise key, or its words. The tables hold 32-bit hashes of the keys and
// the names' positions, sorted, in typed arrays (8 bytes an entry); no key string is kept. A hit
// is confirmed against the name itself, so a hash collision never changes an answer. Why: Maps of
// key strings to arrays of names (one key per character of every name, three disguise keys per
// name) held ~20 MB of heap per namespace (80 MB with npm and conda) and took ~0.5 s to build.

// The keys names are filed under besides their deletions.

/** Homoglyphs undone and separators dropped, words in order (`nurnpy`, `b0to3`). */
export function glyphKey(name: string): string {
  return name.toLowerCase().replace(/rn/g, 'm').replace(/vv/g, 'w').replace(/1/g, 'l').replace(/0/g, 'o').replace(/[-_.]+/g, '');
}
/** The glyph key with every run of one character cut to one (`pupeter` = `puppeteer`): names that
 * differ only in doubled letters share it. */
export const squeezeKey = (name: string): string => glyphKey(name).replace(/(.)\1+/g, '$1');
export const wordsOf = (name: string): string[] => name.split(/[-_.]+/).filter((w) => w !== '');
/** Words sorted (`dateutil-python` = `python-dateutil`). */
export const orderKey = (name: string): string => wordsOf(glyphKey2(name)).sort().join('-');
const glyphKey2 = (name: string): string => name.toLowerCase().replace(/rn/g, 'm').replace(/1/g, 'l').replace(/0/g, 'o');
/** Python affix words dropped, glued `python` too (`pythonhttpx`, `python3-dateutil`, `py-redis`). */
export function pythonKey(name: string): string {
  const ws = wordsOf(name.toLowerCase()).filter((w) => !/^(py|python)[23]?$/.test(w));
  const k = ws.sort().join('-');
  return k.startsWith('python') && k.length > 8 ? k.replace(/^python[23]?/, '') : k;
}

/** The letters and digits of the glyph key, sorted: names spelt with the same characters in another
 * order share it (`matlibplot` and `matplotlib`, `bo3to` and `boto3`). */
export const anagramKey = (name: string): string => [...glyphKey(name)].sort().join('');

export const FNV_OFFSET = 0x811c9dc5;
export const FNV_PRIME = 0x01000193;

/** FNV-1a of `s` without the character at `skip` (-1: the whole string). */
export function hashWithout(s: string, skip: number): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < s.length; i++) if (i !== skip) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
}

export const hashOf = (s: string): number => hashWithout(s, -1);

/** `d` (= `name` without the character at `skip`, or all of it for -1) is `p` itself or `p` with one
 * character deleted: the test behind a shared single-deletion key. Allocates nothing. */
export function isSelfOrDeletion(name: string, skip: number, p: string): boolean {
  const dLen = skip < 0 ? name.length : name.length - 1;
  // The i-th character of d.
  const at = (i: number): number => name.charCodeAt(skip >= 0 && i >= skip ? i + 1 : i);
  if (p.length === dLen) {
    for (let i = 0; i < dLen; i++) if (at(i) !== p.charCodeAt(i)) return false;
    return true;
  }
  if (p.length !== dLen + 1) return false;
  let i = 0;
  while (i < dLen && at(i) === p.charCodeAt(i)) i++;
  // p has one extra character at i: the rest must line up shifted by one.
  for (let j = i; j < dLen; j++) if (at(j) !== p.charCodeAt(j + 1)) return false;
  return true;
}

/** A multimap from 32-bit hashes to ids (ascending per hash), in two typed arrays. */
export class HashTable {
  private readonly hashes: Uint32Array;
  /** 16-bit ids while they fit (the target lists are shorter than 65,536): 6 bytes an entry. */
  private readonly ids: Uint16Array | Uint32Array;

  /** `add(hash, id)` is called once per entry; ids must be < 2^32. */
  constructor(fill: (add: (hash: number, id: number) => void) => void) {
    const hs: number[] = [];
    const is: number[] = [];
    let maxId = 0;
    fill((h, id) => {
      hs.push(h >>> 0);
      is.push(id);
      if (id > maxId) maxId = id;
    });
    // One numeric sort of (hash, id) packed into a double: 53 bits hold the id and as many top bits
    // of the hash as fit (fewer hash bits only mean more confirmations, never a wrong answer).
    const idBits = Math.max(1, Math.ceil(Math.log2(maxId + 1)));
    const hashBits = Math.min(32, 53 - idBits);
    const shift = 32 - hashBits;
    const packed = new Float64Array(hs.length);
    for (let k = 0; k < hs.length; k++) packed[k] = Math.floor(hs[k]! / 2 ** shift) * 2 ** idBits + is[k]!;
    packed.sort();
    this.hashes = new Uint32Array(packed.length);
    this.ids = maxId < 0x10000 ? new Uint16Array(packed.length) : new Uint32Array(packed.length);
    const idSpan = 2 ** idBits;
    for (let k = 0; k < packed.length; k++) {
      const v = packed[k]!;
      const id = v % idSpan;
      this.ids[k] = id;
      this.hashes[k] = (v - id) / idSpan;
    }
    this.shift = shift;
  }

  private readonly shift: number;

  /** Calls `visit` with every id stored under `hash`, in ascending order; stops when it returns true. */
  find(hash: number, visit: (id: number) => boolean | void): void {
    const h = Math.floor((hash >>> 0) / 2 ** this.shift);
    let lo = 0;
    let hi = this.hashes.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.hashes[mid]! < h) lo = mid + 1;
      else hi = mid;
    }
    for (let k = lo; k < this.hashes.length && this.hashes[k] === h; k++) if (visit(this.ids[k]!)) return;
  }

  get size(): number {
    return this.ids.length;
  }
}

/** Names found through keys of one kind: each name stored under `keyOf(name)`, answers confirmed
 * by recomputing the key of the stored name. */
export class KeyedNames {
  private readonly table: HashTable;

  constructor(
    private readonly names: readonly string[],
    private readonly keyOf: (name: string) => string | undefined,
  ) {
    this.table = new HashTable((add) => {
      names.forEach((n, id) => {
        const k = keyOf(n);
        if (k !== undefined) add(hashOf(k), id);
      });
    });
  }

  /** Every name whose key is `key`, in list order. */
  all(key: string): string[] {
    const out: string[] = [];
    this.table.find(hashOf(key), (id) => {
      const n = this.names[id]!;
      if (this.keyOf(n) === key) out.push(n);
    });
    return out;
  }

  /** The first name (in list order) whose key is `key`. */
  first(key: string): string | undefined {
    let found: string | undefined;
    this.table.find(hashOf(key), (id) => {
      const n = this.names[id]!;
      if (this.keyOf(n) !== key) return false;
      found = n;
      return true;
    });
    return found;
  }
}

/** Names one deletion from each other: every name stored under the hash of each of its
 * single-character deletions (and of itself). */
export class DeletionIndex {
  private readonly table: HashTable;

  constructor(private readonly names: readonly string[]) {
    this.table = new HashTable((add) => {
      names.forEach((n, id) => {
        for (let skip = -1; skip < n.length; skip++) add(hashWithout(n, skip), id);
      });
    });
  }

  /** The names sharing a deletion key with `name`, each once, in the order a walk over `name`'s keys
   * (itself, then without its 1st, 2nd, ... character) meets them, list order within a key. */
  neighbours(name: string): string[] {
    const out: string[] = [];
    const seen = new Set<string>();
    for (let skip = -1; skip < name.length; skip++) {
      this.table.find(hashWithout(name, skip), (id) => {
        const p = this.names[id]!;
        if (!seen.has(p) && isSelfOrDeletion(name, skip, p)) {
          seen.add(p);
          out.push(p);
        }
      });
    }
    return out;
  }

  get size(): number {
    return this.table.size;
  }
}
