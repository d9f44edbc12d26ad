// Slips of the names just beyond the ranked targets (npm's packages ranked 20,001-60,000, with tens of
// thousands of downloads a month: `puppeteer-cluster`, `xgplayer`), which are shipped as sorted
// bands, not indexed as targets (that would cost megabytes of tables for 40,000 names). The check
// runs the other way: every name the written one may be a slip of is built and looked up in the
// bands, and a hit is judged like any slip. An unlisted name has a few hundred downloads a month at
// most, a hundred times fewer than any of them, but names this far down are also named much like
// each other: only the surest slips count.
import type { Ecosystem } from '../domain';
import { bandRank } from './knownNames';
import type { Candidate } from './lookalikeCandidates';
import { readAlike } from './keyboard';
import { editReach, REACH, singleEdit, type Edit } from './lookalikeEdits';

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

/** Every target `name` may be one sure slip of, each once: the target with a character the name
 * dropped (any letter), without one it added, with two letters swapped back, or with a character
 * read alike or another digit. Other substitutions never reach `MIN_REACH`, so they are not built. */
export function* slipVariants(name: string): Generator<string> {
  const seen = new Set<string>();
  const fresh = (v: string): boolean => v !== name && !seen.has(v) && (seen.add(v), true);
  for (let i = 0; i < name.length; i++) {
    const [head, ch, tail] = [name.slice(0, i), name[i]!, name.slice(i + 1)];
    for (const v of [head + tail, i + 1 < name.length ? head + name[i + 1] + ch + name.slice(i + 2) : name]) if (fresh(v)) yield v;
    for (const alt of DIGITS.includes(ch) ? DIGITS : LOOKALIKE_CHARS) {
      if (alt !== ch && (readAlike(alt, ch) || (DIGITS.includes(alt) && DIGITS.includes(ch)))) {
        const v = head + alt + tail;
        if (fresh(v)) yield v;
      }
    }
  }
  for (let i = 0; i <= name.length; i++) {
    for (const ch of LETTERS) {
      const v = name.slice(0, i) + ch + name.slice(i);
      if (fresh(v)) yield v;
    }
  }
}

/** Slips of a banded name, with the band's last rank as the target's rank. */
export function bandCandidates(eco: Ecosystem, name: string, isListed: (n: string) => boolean): Candidate[] {
  if (name.length < MIN_LENGTH || name.length > MAX_LENGTH || name.startsWith('@')) return [];
  const out: Candidate[] = [];
  for (const v of slipVariants(name)) {
    const rank = bandRank(eco, v);
    if (rank === undefined) continue;
    const e = singleEdit(name, v);
    if (!e || plural(name, v, e)) continue;
    const reach = editReach(name, v, e, isListed);
    if (reach !== undefined && reach >= MIN_REACH) out.push({ target: v, kind: e.kind === 'swap' ? 'swap' : 'edit', cls: `band-slip:${e.kind}`, reach, rank });
  }
  return out;
}
