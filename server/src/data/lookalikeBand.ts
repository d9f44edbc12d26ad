// Slips of the names just beyond the ranked targets (npm's packages ranked 20,001-60,000, with tens of
// thousands of downloads a month: `puppeteer-cluster`, `xgplayer`), which are shipped as sorted
// bands, not indexed as targets (that would cost megabytes of tables for 40,000 names). The check
// runs the other way: every name the written one may be a slip of is built and looked up in the
// bands, and a hit is judged like any slip. An unlisted name has a few hundred downloads a month at
// most, a hundred times fewer than any of them, but names this far down are also named much like
// each other: only the surest slips count.
import type { Ecosystem } from '../domain';
import { bandHashHit, bandRank, hasBands } from './knownNames';
import type { Candidate } from './lookalikeCandidates';
import { readAlike } from './keyboard';
import { editReach, REACH, singleEdit, type Edit } from './lookalikeEdits';
import { FNV_OFFSET, FNV_PRIME } from './lookalikeIndex';

/** Longer names are left to the other checks. */
const MAX_LENGTH = 60;
const MIN_LENGTH = 5;
const DIGITS = '0123456789';
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
/** Candidates for a character read as another (`l`/`1`, `o`/`0`, ...). */
const LOOKALIKE_CHARS = LETTERS + DIGITS;
/** Names this far down are named much like their neighbours (plurals, `-er` words, abbreviations):
 * only the surest slips count, those the ranked targets reach furthest with (a doubled or neighbouring
 * letter dropped or added inside a word, two letters swapped). */
const MIN_REACH = REACH.SLIP;

/** An `s` added or dropped at the end of a word: a plural, another name (`code-points`). */
function plural(name: string, variant: string, e: Edit): boolean {
  if (e.chars !== 's' || (e.kind !== 'insert' && e.kind !== 'delete')) return false;
  const longer = e.kind === 'insert' ? name : variant;
  const next = longer[e.at + 1];
  return next === undefined || next === '-' || next === '.' || next === '_';
}

const step = (h: number, c: number): number => Math.imul(h ^ c, FNV_PRIME);

/** Every target `name` may be one sure slip of: the target with a character the name dropped (any
 * letter), without one it added, with two letters swapped back, or with a character read alike or
 * another digit (other substitutions never reach `MIN_REACH`). Each is visited as its FNV-1a hash,
 * continued from the hash of the shared prefix; `found` gets the string only for a hash `hit`
 * accepts. Why: a name has ~30 variants a character, and building each as a string cost ~2 ms a name. */
export function visitSlipVariants(name: string, hit: (hash: number) => boolean, found: (variant: string) => void): void {
  const n = name.length;
  const prefix = new Int32Array(n + 1);
  prefix[0] = FNV_OFFSET | 0;
  for (let i = 0; i < n; i++) prefix[i + 1] = step(prefix[i]!, name.charCodeAt(i));
  /** The hash of the first `i` characters, then `a` and `b` (-1: none), then the name from `from`. */
  const probe = (i: number, a: number, b: number, from: number): boolean => {
    let h = prefix[i]!;
    if (a >= 0) h = step(h, a);
    if (b >= 0) h = step(h, b);
    for (let k = from; k < n; k++) h = step(h, name.charCodeAt(k));
    return hit(h >>> 0);
  };
  const str = (c: number): string => (c >= 0 ? String.fromCharCode(c) : '');
  const visit = (i: number, a: number, b: number, from: number): void => {
    if (probe(i, a, b, from)) found(name.slice(0, i) + str(a) + str(b) + name.slice(from));
  };
  for (let i = 0; i < n; i++) {
    const c = name.charCodeAt(i);
    visit(i, -1, -1, i + 1);
    if (i + 1 < n && name.charCodeAt(i + 1) !== c) visit(i, name.charCodeAt(i + 1), c, i + 2);
    for (const alt of alternatives(name[i]!)) visit(i, alt, -1, i + 1);
  }
  for (let i = 0; i <= n; i++) for (let k = 0; k < LETTERS.length; k++) visit(i, LETTERS.charCodeAt(k), -1, i);
}

const altCache = new Map<string, number[]>();
/** The characters read as `ch`, or the other digits for a digit. */
function alternatives(ch: string): number[] {
  let alts = altCache.get(ch);
  if (!alts) {
    const digit = DIGITS.includes(ch);
    alts = [...(digit ? DIGITS : LOOKALIKE_CHARS)].filter((a) => a !== ch && (digit ? true : readAlike(a, ch))).map((a) => a.charCodeAt(0));
    altCache.set(ch, alts);
  }
  return alts;
}

/** Slips of a banded name, with the band's last rank as the target's rank. */
export function bandCandidates(eco: Ecosystem, name: string, isListed: (n: string) => boolean): Candidate[] {
  if (name.length < MIN_LENGTH || name.length > MAX_LENGTH || name.startsWith('@') || !hasBands(eco)) return [];
  const out: Candidate[] = [];
  const seen = new Set<string>();
  visitSlipVariants(
    name,
    (h) => bandHashHit(eco, h),
    (v) => {
      if (v === name || seen.has(v)) return;
      seen.add(v);
      const rank = bandRank(eco, v);
      const e = rank === undefined ? undefined : singleEdit(name, v);
      if (!e || plural(name, v, e)) return;
      const reach = editReach(name, v, e, isListed);
      if (reach !== undefined && reach >= MIN_REACH) out.push({ target: v, kind: e.kind === 'swap' ? 'swap' : 'edit', cls: `band-slip:${e.kind}`, reach, rank: rank! });
    },
  );
  return out;
}
