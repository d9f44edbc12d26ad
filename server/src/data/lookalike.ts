// Finds the popular package a rare name imitates: a known confusion, one edit away (Damerau:
// insert, delete, substitute, swap neighbours), or equal after separator, word-order, py/python
// affix, version-digit and homoglyph tricks. Indexes are built once per popular list.
import { distance } from 'fastest-levenshtein';
import type { Ecosystem } from '../domain';
import { isKnownDistinct, knownConfusion } from './knownConfusions';
import { isPopular, popularNames, popularRank } from './popular';

export type LookalikeKind = 'known' | 'edit' | 'swap' | 'disguise';

export interface Lookalike {
  target: string;
  kind: LookalikeKind;
  /** For 'known': why the name is wrong. */
  why?: string;
}

/** Only targets this popular are imitated enough to warn about a near miss: the asked name is
 * outside the list, so a wide rank gap keeps two legitimately popular siblings apart. */
const EDIT_TARGET_MAX_RANK = 2500;
/** Short names have many honest one-edit neighbours: only a dropped letter of a top package. */
const SHORT = 5;
const TOP_FOR_SHORT = 100;
/** A different last letter is a common honest variant (`pycaret`/`pycares`) except near the top. */
const TOP_FOR_LAST_LETTER = 200;
const DISGUISE_TARGET_MAX_RANK = 1500;
/** Dropping a trailing 2/3 merges honest forks (`nose2`, `blosc2`): only for the very top. */
const DIGIT_DISGUISE_TARGET_MAX_RANK = 100;

interface Index {
  /** Single-deletion variants (and the name itself) -> popular names. */
  deletions: Map<string, string[]>;
  /** Disguise-insensitive key -> popular names. */
  disguises: Map<string, string[]>;
  /** Disguise key without a trailing version digit -> popular names. */
  digits: Map<string, string[]>;
}

const cache = new WeakMap<readonly string[], Index>();

function push(map: Map<string, string[]>, key: string, name: string): void {
  const list = map.get(key);
  if (!list) map.set(key, [name]);
  else if (!list.includes(name)) list.push(name);
}

function deletionsOf(s: string): string[] {
  const out = [s];
  for (let i = 0; i < s.length; i++) out.push(s.slice(0, i) + s.slice(i + 1));
  return out;
}

/** The name with the tricks a squatter uses to look the same undone: homoglyphs (`1`/`l`, `0`/`o`,
 * `rn`/`m`), separators, word order and `py`/`python` words (`dateutil-python`, `py-redis`). A
 * `py` glued to a word is left alone: `pyX` next to `X` is usually an honest binding. */
export function disguiseKey(name: string): string {
  const s = name.toLowerCase().replace(/rn/g, 'm').replace(/1/g, 'l').replace(/0/g, 'o');
  return s
    .split(/[-_.]+/)
    .filter((w) => w !== '' && !/^(py|python)[23]?$/.test(w))
    .sort()
    .join('');
}

/** The disguise key with a trailing version digit dropped (`requests3`). */
function digitKey(key: string): string {
  return key.length > 4 ? key.replace(/[23]$/, '') : key;
}

function indexFor(eco: Ecosystem): Index {
  const names = popularNames(eco);
  let idx = cache.get(names);
  if (idx) return idx;
  idx = { deletions: new Map(), disguises: new Map(), digits: new Map() };
  for (const n of names) {
    for (const d of deletionsOf(n)) push(idx.deletions, d, n);
    const key = disguiseKey(n);
    push(idx.disguises, key, n);
    push(idx.digits, digitKey(key), n);
  }
  cache.set(names, idx);
  return idx;
}

interface Edit {
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

/** Edits that mostly mark an honest variant rather than a slip: a changed first letter
 * (`mocker`/`docker`), a version digit (`elasticsearch7`, `gitdb2`), a letter tacked onto the end
 * (`torchx`), or, in short names, anything but a swap (`make`/`mako`, `slack`/`black`). */
function honestVariant(c: string, e: Edit, targetRank: number): boolean {
  if (e.at === 0 && e.kind !== 'swap') return true;
  if (/\d/.test(e.chars)) return true;
  if (e.kind === 'insert' && e.at === c.length - 1 && e.chars !== 's' && !/[-_.]/.test(e.chars)) return true;
  if (e.kind === 'substitute' && e.at === c.length - 1 && targetRank > TOP_FOR_LAST_LETTER) return true;
  if (c.length <= SHORT && e.kind !== 'swap' && !(e.kind === 'delete' && targetRank <= TOP_FOR_SHORT)) return true;
  return false;
}

const byRank = (eco: Ecosystem) => (a: string, b: string) => (popularRank(eco, a) ?? Infinity) - (popularRank(eco, b) ?? Infinity);

/** The popular package `name` (normalised) seems to imitate; undefined for popular names. */
export function findLookalike(eco: Ecosystem, name: string): Lookalike | undefined {
  if (!name || isPopular(eco, name)) return undefined;
  const known = knownConfusion(eco, name);
  if (known) return { target: known.target, kind: 'known', why: known.why };
  // Scoped npm names belong to their scope's owner; a look-alike scope is another matter.
  if (name.length <= 3 || name.startsWith('@') || isKnownDistinct(eco, name)) return undefined;
  const idx = indexFor(eco);
  const rankOf = (n: string) => popularRank(eco, n) ?? Infinity;

  const edits: { target: string; kind: 'edit' | 'swap' }[] = [];
  const seen = new Set<string>();
  for (const d of deletionsOf(name)) {
    for (const p of idx.deletions.get(d) ?? []) {
      if (seen.has(p)) continue;
      seen.add(p);
      const rank = rankOf(p);
      if (rank > EDIT_TARGET_MAX_RANK || p.length <= 3) continue;
      const e = singleEdit(name, p);
      if (e && !honestVariant(name, e, rank)) edits.push({ target: p, kind: e.kind === 'swap' ? 'swap' : 'edit' });
    }
  }
  if (edits.length > 0) return edits.sort((a, b) => byRank(eco)(a.target, b.target))[0];

  if (eco !== 'PyPI') return undefined;
  const key = disguiseKey(name);
  if (key.length < 3) return undefined;
  const closest = (list: string[] | undefined, maxRank: number): string | undefined => {
    const hits = (list ?? []).filter((p) => p !== name && rankOf(p) <= maxRank);
    // Among equal keys prefer the spelling closest to what was written, then the most popular.
    hits.sort((a, b) => distance(name, a) - distance(name, b) || byRank(eco)(a, b));
    return hits[0];
  };
  const target = closest(idx.disguises.get(key), DISGUISE_TARGET_MAX_RANK) ?? closest(idx.digits.get(digitKey(key)), DIGIT_DISGUISE_TARGET_MAX_RANK);
  return target ? { target, kind: 'disguise' } : undefined;
}
