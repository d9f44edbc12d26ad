// Judges one single-character difference between a rare name and a popular one: is it a slip of
// the hand (a neighbouring key, a doubled or dropped letter, two letters swapped) or the mark of an
// honest variant (a version digit, a sibling build such as -gpu/-cpu, a plural of a word, a
// different short word)? The answer is how far down the popular list a target may sit for the slip
// to be reported without registry facts (its reach); honest variants are never reported.
import { distance } from 'fastest-levenshtein';
import { adjacentKeys, bothVowels, readAlike } from './keyboard';

export interface Edit {
  kind: 'insert' | 'delete' | 'substitute' | 'swap';
  /** Position in the written name. */
  at: number;
  /** The characters that differ (written, popular). */
  chars: string;
}

/** The single Damerau edit (optimal string alignment) from popular `p` to written `c`, or
 * undefined when they are not exactly one edit apart. */
export function singleEdit(c: string, p: string): Edit | undefined {
  if (c === p || Math.abs(c.length - p.length) > 1) return undefined;
  let k = 0;
  while (k < c.length && k < p.length && c[k] === p[k]) k++;
  if (distance(c, p) === 1) {
    if (c.length > p.length) return { kind: 'insert', at: k, chars: c[k]! };
    if (c.length < p.length) return { kind: 'delete', at: k, chars: p[k]! };
    return { kind: 'substitute', at: k, chars: c[k]! + p[k]! };
  }
  if (c.length === p.length && c[k] === p[k + 1] && c[k + 1] === p[k] && c.slice(k + 2) === p.slice(k + 2)) {
    return { kind: 'swap', at: k, chars: c[k]! + c[k + 1]! };
  }
  return undefined;
}

/** Three rows of the banded table, reused across calls (names are short; they grow when needed). */
let rows = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

/** The optimal-string-alignment distance (insertions, deletions, substitutions and adjacent swaps)
 * between `a` and `b` when it is at most `max`, else `max + 1`. Banded: O(length x max), and it
 * gives up at the first row whose every cell already exceeds `max`. */
export function osaWithin(a: string, b: string, max: number): number {
  const far = max + 1;
  if (Math.abs(a.length - b.length) > max) return far;
  const w = b.length + 1;
  if (rows[0]!.length < w) rows = [new Int32Array(w * 2), new Int32Array(w * 2), new Int32Array(w * 2)];
  let [prev2, prev, cur] = rows as [Int32Array, Int32Array, Int32Array];
  prev2.fill(far, 0, w);
  for (let j = 0; j < w; j++) prev[j] = j <= max ? j : far;
  for (let i = 1; i <= a.length; i++) {
    cur.fill(far, 0, w);
    if (i <= max) cur[0] = i;
    let best = cur[0]!;
    const hi = Math.min(b.length, i + max);
    for (let j = Math.max(1, i - max); j <= hi; j++) {
      const same = a.charCodeAt(i - 1) === b.charCodeAt(j - 1);
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (same ? 0 : 1));
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = Math.min(v, far);
      if (cur[j]! < best) best = cur[j]!;
    }
    if (best > max) return far;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return Math.min(prev[b.length]!, far);
}

/** The edits (at most `max`) of an optimal alignment turning popular `p` into written `c`, in order;
 * undefined when more are needed. Where alignments tie, `indel` prefers a letter added and one
 * dropped to two changed (`requesxt`: an x added, an s dropped). Full table: called only on pairs
 * already known to be that close. */
export function editScript(c: string, p: string, max: number, indel = false): Edit[] | undefined {
  if (osaWithin(c, p, max) > max) return undefined;
  const w = p.length + 1;
  const d = new Int32Array((c.length + 1) * w);
  for (let i = 0; i <= c.length; i++) d[i * w] = i;
  for (let j = 0; j <= p.length; j++) d[j] = j;
  for (let i = 1; i <= c.length; i++) {
    for (let j = 1; j <= p.length; j++) {
      let v = Math.min(d[(i - 1) * w + j]! + 1, d[i * w + j - 1]! + 1, d[(i - 1) * w + j - 1]! + (c[i - 1] === p[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && c[i - 1] === p[j - 2] && c[i - 2] === p[j - 1]) v = Math.min(v, d[(i - 2) * w + j - 2]! + 1);
      d[i * w + j] = v;
    }
  }
  const out: Edit[] = [];
  let i = c.length;
  let j = p.length;
  while (i > 0 || j > 0) {
    const here = d[i * w + j]!;
    if (i > 0 && j > 0 && c[i - 1] === p[j - 1] && d[(i - 1) * w + j - 1] === here) {
      i--;
      j--;
    } else if (i > 1 && j > 1 && c[i - 1] === p[j - 2] && c[i - 2] === p[j - 1] && d[(i - 2) * w + j - 2] === here - 1) {
      out.push({ kind: 'swap', at: i - 2, chars: c[i - 2]! + c[i - 1]! });
      i -= 2;
      j -= 2;
    } else if (i > 0 && j > 0 && d[(i - 1) * w + j - 1] === here - 1 && !(indel && ((d[(i - 1) * w + j] === here - 1) || d[i * w + j - 1] === here - 1))) {
      out.push({ kind: 'substitute', at: i - 1, chars: c[i - 1]! + p[j - 1]! });
      i--;
      j--;
    } else if (i > 0 && d[(i - 1) * w + j] === here - 1) {
      out.push({ kind: 'insert', at: i - 1, chars: c[i - 1]! });
      i--;
    } else {
      out.push({ kind: 'delete', at: i, chars: p[j - 1]! });
      j--;
    }
  }
  return out.reverse();
}

/** The edit is one a hand makes while typing: two letters swapped, a letter dropped, doubled or
 * added as a plural, a neighbouring key or another vowel hit. A letter from nowhere, or one far
 * from the key meant, makes another word instead. */
export function handSlip(c: string, e: Edit): boolean {
  const [a, b] = [e.chars[0]!, e.chars[1] ?? ''];
  switch (e.kind) {
    case 'swap':
    case 'delete':
      return true;
    case 'insert':
      // A plural, a doubled letter, a neighbouring key, or a vowel spelt out (`colour`).
      return a === 's' || c[e.at - 1] === a || c[e.at + 1] === a || adjacentKeys(a, c[e.at - 1] ?? '') || adjacentKeys(a, c[e.at + 1] ?? '') || bothVowels(a, c[e.at - 1] ?? '') || bothVowels(a, c[e.at + 1] ?? '');
    default:
      return adjacentKeys(a, b) || bothVowels(a, b);
  }
}

/** Reach: a target ranked at or above it is reported from the name alone. */
export const REACH = {
  /** Typos of the most typed names only. */
  TOP: 10,
  NEAR_TOP: 50,
  HIGH: 100,
  WIDE: 300,
  DOUBLED_EDGE: 1000,
  SUBSTITUTE: 200,
  INSERT: 500,
  SLIP: 1000,
  LOOKS_SAME: 1500,
  SWAP: 2500,
} as const;

const isSep = (ch: string | undefined): boolean => ch === '-' || ch === '_' || ch === '.';
const isDigit = (ch: string | undefined): boolean => ch !== undefined && ch >= '0' && ch <= '9';

/** Build and platform siblings published side by side by the same project. */
const SIBLING = /^(cpu|gpu|cu\d*|cuda\d*|rocm\d*|headless|binary|lite|slim|full|contrib|nightly|dev|mini|legacy|tpu|metal|mps|intel|arm\d*|x86|win\d*|linux|macos|\d+|py\d*|qt\d*|v\d+)$/;

/** The names differ in one separated word, and both words name a sibling build
 * (`faiss-gpu`/`faiss-cpu`, `torch-cu121`/`torch-rocm`). */
export function siblings(name: string, target: string): boolean {
  const a = name.split(/[-_.]/);
  const b = target.split(/[-_.]/);
  if (a.length !== b.length || a.length < 2) return false;
  let diff = -1;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    if (diff >= 0) return false;
    diff = i;
  }
  return diff >= 0 && SIBLING.test(a[diff]!) && SIBLING.test(b[diff]!);
}

/** Where in its word the edit falls, in the written name. */
function wordAround(name: string, at: number): { start: number; end: number } {
  let start = Math.min(at, name.length);
  while (start > 0 && !isSep(name[start - 1])) start--;
  let end = Math.min(at, name.length);
  while (end < name.length && !isSep(name[end])) end++;
  return { start, end };
}

/**
 * How far down the popular list `target` may be for this slip to be reported offline; 0 when the
 * edit is suspicious only with registry facts that show a young package; undefined when it marks an
 * honest variant. `isPopularName` tells whether a remainder is itself a popular project (stubs).
 */
export function editReach(name: string, target: string, e: Edit, isPopularName: (n: string) => boolean): number | undefined {
  if (siblings(name, target)) return undefined;
  const [c, p] = [e.chars[0]!, e.chars[1] ?? ''];
  const word = wordAround(name, e.at);
  const wordStart = e.at === word.start;
  const lastChar = e.kind === 'delete' ? e.at === name.length : e.at === name.length - 1;
  const short = name.length <= 5;

  // Stubs and plugins of another real project share the family prefix (`types-pymssql`).
  if (word.start > 0 && isPopularName(name.slice(word.start)) && name.slice(0, word.start) === target.slice(0, word.start)) return undefined;

  // Two swapped letters are almost never an honest name.
  if (e.kind === 'swap') return e.at === 0 && short ? undefined : short ? REACH.HIGH : REACH.SWAP;

  if (e.kind === 'substitute') {
    if (readAlike(c, p) && !short) return REACH.LOOKS_SAME; // `jeIlyfish`, `b0to3`
    const slip = adjacentKeys(c, p);
    if (isDigit(c) && isDigit(p)) {
      // A changed version number (`pyqt5`/`pyqt6`, `elasticsearch7`) is a sibling, not a slip.
      const next = name[e.at + 1];
      if (next === undefined || isSep(next) || isDigit(next) || isDigit(name[e.at - 1])) return undefined;
      return slip ? REACH.SLIP : 0;
    }
    if (isDigit(c) || isDigit(p)) return slip ? (short ? REACH.HIGH : REACH.SLIP) : REACH.TOP;
    if (isSep(c) || isSep(p)) return REACH.TOP;
    // Different short words in a compound (`pytest-csv`/`pytest-cov`) are different projects.
    if (word.end - word.start <= 3 && word.start > 0) return 0;
    // A different first letter is usually a different word (`mocker`/`docker`), unless the key
    // next to it was hit while typing one of the most typed names (`dequests`, `voto3`).
    if (wordStart) return slip ? REACH.NEAR_TOP : e.at === 0 ? undefined : REACH.TOP;
    if (lastChar) return slip || bothVowels(c, p) ? REACH.HIGH : REACH.TOP;
    if (short) return slip ? REACH.HIGH : 0;
    return slip ? REACH.SUBSTITUTE : bothVowels(c, p) ? REACH.WIDE : REACH.TOP;
  }

  const ch = c; // the inserted (written) or dropped (popular) character
  if (isSep(ch)) return REACH.NEAR_TOP; // `crossenv`, `git-python`: mostly honest spellings
  if (isDigit(ch)) return undefined; // version digits (`nose2`, `gitdb2`)

  if (e.kind === 'insert') {
    const doubled = name[e.at - 1] === ch || name[e.at + 1] === ch;
    if (lastChar) {
      if (ch === 's') return REACH.SWAP; // `torchvisions`, `webpacks`
      if (doubled) return REACH.DOUBLED_EDGE; // `djangoo`
      return target.length >= 8 ? REACH.HIGH : undefined; // `torchx` is PyTorch's own
    }
    if (wordStart) return doubled ? REACH.DOUBLED_EDGE : REACH.TOP;
    if (word.end - word.start <= 3 && word.start > 0) return 0;
    if (short) return doubled ? REACH.HIGH : 0;
    const slip = adjacentKeys(ch, name[e.at - 1] ?? '') || adjacentKeys(ch, name[e.at + 1] ?? '');
    return doubled ? REACH.SLIP : slip ? REACH.INSERT : REACH.NEAR_TOP;
  }

  // delete: `ch` is the popular name's character missing from the written one
  if (lastChar) return ch === 's' ? REACH.TOP : REACH.HIGH; // `request`; `websocket` is a word
  if (wordStart) return name.length >= 5 ? REACH.NEAR_TOP : 0; // `args` is not `yargs`
  if (word.end - word.start <= 2 && word.start > 0) return 0;
  if (short) return REACH.HIGH;
  return REACH.SLIP;
}
