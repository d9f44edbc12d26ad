// Names of real, downloaded packages far beyond the popular target lists (every ranked PyPI name;
// on npm the top 20,000 by rank, then every other package with a few hundred downloads a month),
// shipped as gzip'd newline lists (scripts/gen-popular.mjs) and read on first use, not at start-up.
// A listed name has downloads of its own, so it is never a typosquat; everything else can be judged
// against the popular names far more strictly. The unranked names are shipped and kept only as
// sorted 32-bit hashes: 4 bytes a name instead of a string in a map (~0.8 MB, not ~20 MB, for npm's
// 200,000); a collision merely leaves one unlisted name unjudged.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Ecosystem } from '../domain';

const FILES: Partial<Record<Ecosystem, string>> = { PyPI: 'known-pypi.txt.gz', npm: 'known-npm.txt.gz' };

interface KnownList {
  names: readonly string[];
  rank: ReadonlyMap<string, number>;
  /** FNV-1a hashes of the unranked names, sorted. */
  unranked: Uint32Array;
}

const lists: Partial<Record<Ecosystem, KnownList>> = {};
const EMPTY: KnownList = { names: [], rank: new Map(), unranked: new Uint32Array(0) };
/** After this line: the FNV-1a hashes of the unranked names, sorted, little-endian, in base64. */
const UNRANKED_MARK = '#unranked-fnv1a32-base64';

function fnv(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function build(names: Iterable<string>, unrankedNames: Iterable<string> = []): KnownList {
  const ordered: string[] = [];
  const rank = new Map<string, number>();
  for (const n of names) {
    if (n === '' || rank.has(n)) continue;
    rank.set(n, ordered.length + 1);
    ordered.push(n);
  }
  const hashes: number[] = [];
  for (const n of unrankedNames) if (n !== '' && !rank.has(n)) hashes.push(fnv(n));
  return { names: ordered, rank, unranked: Uint32Array.from(hashes).sort() };
}

function hasHash(sorted: Uint32Array, h: number): boolean {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < h) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length && sorted[lo] === h;
}

/** Next to the bundle (server/out, copied there by the build), or beside this module (tests, tsx). */
function locate(file: string): string | undefined {
  for (const dir of [__dirname, path.join(__dirname, '..', 'src', 'data')]) {
    const p = path.join(dir, file);
    if (existsSync(p)) return p;
  }
  return undefined;
}

function load(eco: Ecosystem): KnownList {
  const file = FILES[eco];
  const p = file ? locate(file) : undefined;
  if (!p) return EMPTY;
  try {
    const buf = gunzipSync(readFileSync(p));
    const mark = buf.indexOf(`\n${UNRANKED_MARK}\n`);
    if (mark < 0) return build(buf.toString('utf8').split('\n'));
    // Decoded apart: names split from one string would keep all of it alive (V8 slices).
    const ranked = build(buf.subarray(0, mark).toString('utf8').split('\n'));
    const raw = Buffer.from(buf.subarray(mark + UNRANKED_MARK.length + 2).toString('ascii').trim(), 'base64');
    const hashes = new Uint32Array(raw.length >>> 2);
    for (let i = 0; i < hashes.length; i++) hashes[i] = raw.readUInt32LE(i * 4);
    return { ...ranked, unranked: hashes };
  } catch {
    // A damaged asset must not break analysis: the rule then falls back to its cautious reach.
    return EMPTY;
  }
}

function list(eco: Ecosystem): KnownList {
  return (lists[eco] ??= load(eco));
}

/** The name (normalised: PEP 503 for PyPI, lower case for npm) is a listed real package. */
export function isKnownName(eco: Ecosystem, name: string): boolean {
  const l = list(eco);
  return l.rank.has(name) || (l.unranked.length > 0 && hasHash(l.unranked, fnv(name)));
}

/** 1 for the most downloaded package; undefined when the name is not listed. */
export function knownRank(eco: Ecosystem, name: string): number | undefined {
  return list(eco).rank.get(name);
}

/** How many ranked names the list holds (0 when the asset is missing). */
export function knownCount(eco: Ecosystem): number {
  return list(eco).names.length;
}

/** How many unranked names (kept as hashes) the list holds besides. */
export function unrankedCount(eco: Ecosystem): number {
  return list(eco).unranked.length;
}

/** Rank by name for the ranked names (shared with the look-alike targets, not copied). */
export function knownRanks(eco: Ecosystem): ReadonlyMap<string, number> {
  return list(eco).rank;
}

/** The listed (ranked) names in rank order. */
export function knownNames(eco: Ecosystem): readonly string[] {
  return list(eco).names;
}

/** Replaces the list of an ecosystem (tests, the evaluation): ranked names, and unranked ones kept
 * as hashes (by default the shipped ones, less any now ranked or in `dropUnranked`); `undefined`
 * restores the shipped list. */
export function registerKnownNames(eco: Ecosystem, names: Iterable<string> | undefined, unranked?: Iterable<string>, dropUnranked: Iterable<string> = []): void {
  if (names === undefined) {
    delete lists[eco];
    return;
  }
  const shipped = load(eco).unranked;
  const fresh = build(names, unranked ?? []);
  const drop = new Set([...dropUnranked, ...fresh.rank.keys()].map(fnv));
  const kept = unranked ? fresh.unranked : shipped.filter((h) => !drop.has(h));
  lists[eco] = { ...fresh, unranked: kept };
}
