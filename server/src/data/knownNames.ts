// Names of real, downloaded packages far beyond the popular target lists (every ranked PyPI name;
// on npm the top 20,000 by rank, then every other package with a few hundred downloads a month),
// shipped as gzip'd newline lists (scripts/gen-popular.mjs) and read on first use, not at start-up.
// A listed name has downloads of its own, so it is never a typosquat; everything else can be judged
// against the popular names far more strictly. npm's names ranked 20,001-60,000 are kept in bands,
// sorted, as one string per band (look-alike targets found by exact look-up: lookalikeBand.ts); the
// rest are shipped and kept only as sorted 32-bit hashes: 4 bytes a name instead of a string in a map
// (~0.7 MB, not ~20 MB, for npm's 167,000); a collision merely leaves one unlisted name unjudged.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Ecosystem } from '../domain';
import { hashOf } from './lookalikeIndex';

const FILES: Partial<Record<Ecosystem, string>> = { PyPI: 'known-pypi.txt.gz', npm: 'known-npm.txt.gz' };

export interface KnownList {
  names: readonly string[];
  rank: ReadonlyMap<string, number>;
  /** FNV-1a hashes of the unranked names, sorted. */
  unranked: Uint32Array;
  /** The unranked names of the first bands beyond the ranked ones (tens of thousands of downloads a
   * month on npm), sorted per band, with each band's last rank. Listed, and targets too. */
  bands: readonly Band[];
  /** The FNV-1a of every band's names in one sorted array: slip variants are probed by hash (one
   * search a probe, not one a band) before any string is built. */
  bandHashes: Uint32Array;
}

/** One band's names, sorted (UTF-16 order), kept as one string and the offsets of its lines:
 * ~17 bytes a name instead of a string and a map entry each. */
class Band {
  private readonly starts: Uint32Array;

  constructor(
    readonly upTo: number,
    private readonly text: string,
  ) {
    const starts: number[] = [];
    for (let at = 0; at < text.length; ) {
      const nl = text.indexOf('\n', at);
      const end = nl < 0 ? text.length : nl;
      if (end > at) starts.push(at);
      at = end + 1;
    }
    this.starts = Uint32Array.from(starts);
  }

  /** The names, in order. */
  names(): string[] {
    return this.text.split('\n').filter((n) => n !== '');
  }

  /** `name` compared with the line starting at `at`: negative, zero or positive. */
  private compare(name: string, at: number): number {
    for (let i = 0; ; i++) {
      const c = at + i < this.text.length ? this.text.charCodeAt(at + i) : 10;
      const lineEnded = c === 10;
      if (i === name.length) return lineEnded ? 0 : -1;
      if (lineEnded) return 1;
      const d = name.charCodeAt(i) - c;
      if (d !== 0) return d;
    }
  }

  has(name: string): boolean {
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const d = this.compare(name, this.starts[mid]!);
      if (d === 0) return true;
      if (d > 0) lo = mid + 1;
      else hi = mid;
    }
    return false;
  }

  get size(): number {
    return this.starts.length;
  }

  /** The band less the names `drop` holds (the evaluation takes real names off the list). */
  without(drop: (name: string) => boolean): Band {
    return new Band(this.upTo, this.names().filter((n) => !drop(n)).join('\n'));
  }
}

const lists: Partial<Record<Ecosystem, KnownList>> = {};
const EMPTY: KnownList = { names: [], rank: new Map(), unranked: new Uint32Array(0), bands: [], bandHashes: new Uint32Array(0) };
/** After this line: the FNV-1a hashes of the unranked names, sorted, little-endian, in base64. */
const UNRANKED_MARK = '#unranked-fnv1a32-base64';
/** Before the unranked mark: `#band <last rank>` lines, each followed by its band's names, sorted. */
const BAND_MARK = '#band ';

function build(names: Iterable<string>, unrankedNames: Iterable<string> = []): KnownList {
  const ordered: string[] = [];
  const rank = new Map<string, number>();
  for (const n of names) {
    if (n === '' || rank.has(n)) continue;
    rank.set(n, ordered.length + 1);
    ordered.push(n);
  }
  const hashes: number[] = [];
  for (const n of unrankedNames) if (n !== '' && !rank.has(n)) hashes.push(hashOf(n));
  return { names: ordered, rank, unranked: Uint32Array.from(hashes).sort(), ...withBands([]) };
}

function withBands(bands: Band[]): { bands: Band[]; bandHashes: Uint32Array } {
  return { bands, bandHashes: Uint32Array.from(bands.flatMap((b) => b.names().map(hashOf))).sort() };
}

function decodeHashes(line: string): Uint32Array {
  const raw = Buffer.from(line.trim(), 'base64');
  const hashes = new Uint32Array(raw.length >>> 2);
  for (let i = 0; i < hashes.length; i++) hashes[i] = raw.readUInt32LE(i * 4);
  return hashes;
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
    return parseKnownList(gunzipSync(readFileSync(p)));
  } catch {
    // A damaged asset must not break analysis: the rule then falls back to its cautious reach.
    return EMPTY;
  }
}

/** Reads an asset as scripts/gen-popular.mjs writes it (ungzipped): ranked names one a line, then
 * optionally `#band <last rank>` sections of sorted names, then the unranked mark and hashes.
 * Exported for tests. */
export function parseKnownList(buf: Buffer): KnownList {
  const mark = buf.indexOf(`\n${UNRANKED_MARK}\n`);
  if (mark < 0) return build(buf.toString('utf8').split('\n'));
  const bandsAt = buf.indexOf(`\n${BAND_MARK}`);
  const namesEnd = bandsAt >= 0 && bandsAt < mark ? bandsAt : mark;
  // Decoded apart: names split from one string would keep all of it alive (V8 slices).
  const ranked = build(buf.subarray(0, namesEnd).toString('utf8').split('\n'));
  const bands: Band[] = [];
  if (namesEnd === bandsAt) {
    // `\n#band 30000\n<names>\n#band 40000\n<names>...`: split at the marks, never per name.
    for (const part of buf.subarray(bandsAt + 1, mark).toString('utf8').split(`\n${BAND_MARK}`)) {
      const nl = part.indexOf('\n');
      const upTo = Number(part.slice(part.startsWith(BAND_MARK) ? BAND_MARK.length : 0, nl < 0 ? part.length : nl));
      if (Number.isInteger(upTo) && nl >= 0) bands.push(new Band(upTo, part.slice(nl + 1)));
    }
  }
  return { ...ranked, unranked: decodeHashes(buf.subarray(mark + UNRANKED_MARK.length + 2).toString('ascii')), ...withBands(bands) };
}

function list(eco: Ecosystem): KnownList {
  return (lists[eco] ??= load(eco));
}

/** The name (normalised: PEP 503 for PyPI, lower case for npm) is a listed real package. */
export function isKnownName(eco: Ecosystem, name: string): boolean {
  const l = list(eco);
  if (l.rank.has(name)) return true;
  return (l.unranked.length > 0 && hasHash(l.unranked, hashOf(name))) || l.bands.some((b) => b.has(name));
}

/** For an unranked name of the first bands beyond the ranked ones: its band's last rank (a
 * cautious rank: the name is at least that popular); undefined otherwise. */
export function bandRank(eco: Ecosystem, name: string): number | undefined {
  return list(eco).bands.find((b) => b.has(name))?.upTo;
}

/** Whether a band may hold the name with this FNV-1a hash (confirm with `bandRank`). */
export function bandHashHit(eco: Ecosystem, hash: number): boolean {
  return hasHash(list(eco).bandHashes, hash);
}

/** Whether the list has bands of targets beyond its ranked names. */
export function hasBands(eco: Ecosystem): boolean {
  return list(eco).bands.length > 0;
}

/** 1 for the most downloaded package; undefined when the name is not listed. */
export function knownRank(eco: Ecosystem, name: string): number | undefined {
  return list(eco).rank.get(name);
}

/** How many ranked names the list holds (0 when the asset is missing). */
export function knownCount(eco: Ecosystem): number {
  return list(eco).names.length;
}

/** How many unranked names (kept as hashes, bands included) the list holds besides. */
export function unrankedCount(eco: Ecosystem): number {
  const l = list(eco);
  return l.unranked.length + l.bands.reduce((n, b) => n + b.size, 0);
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
  const shipped = load(eco);
  const fresh = build(names, unranked ?? []);
  if (unranked) {
    lists[eco] = fresh;
    return;
  }
  const dropped = new Set([...dropUnranked, ...fresh.rank.keys()]);
  const drop = new Set([...dropped].map(hashOf));
  lists[eco] = { ...fresh, unranked: shipped.unranked.filter((h) => !drop.has(h)), ...withBands(shipped.bands.map((b) => b.without((n) => dropped.has(n)))) };
}
