// Names of real, downloaded packages far beyond the popular target lists (every ranked PyPI name,
// the top 20,000 npm names), shipped as gzip'd newline lists (scripts/gen-popular.mjs) and read on
// first use, not at start-up. A listed name has downloads of its own, so it is never a typosquat;
// everything else can be judged against the popular names far more strictly.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Ecosystem } from '../domain';

const FILES: Partial<Record<Ecosystem, string>> = { PyPI: 'known-pypi.txt.gz', npm: 'known-npm.txt.gz' };

interface KnownList {
  names: readonly string[];
  rank: ReadonlyMap<string, number>;
}

const lists: Partial<Record<Ecosystem, KnownList>> = {};
const EMPTY: KnownList = { names: [], rank: new Map() };

function build(names: Iterable<string>): KnownList {
  const ordered: string[] = [];
  const rank = new Map<string, number>();
  for (const n of names) {
    if (n === '' || rank.has(n)) continue;
    rank.set(n, ordered.length + 1);
    ordered.push(n);
  }
  return { names: ordered, rank };
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
    return build(gunzipSync(readFileSync(p)).toString('utf8').split('\n'));
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
  return list(eco).rank.has(name);
}

/** 1 for the most downloaded package; undefined when the name is not listed. */
export function knownRank(eco: Ecosystem, name: string): number | undefined {
  return list(eco).rank.get(name);
}

/** How many names the list holds (0 when the asset is missing). */
export function knownCount(eco: Ecosystem): number {
  return list(eco).names.length;
}

/** The listed names in rank order. */
export function knownNames(eco: Ecosystem): readonly string[] {
  return list(eco).names;
}

/** Replaces the list of an ecosystem (tests, the evaluation); `undefined` restores the shipped one. */
export function registerKnownNames(eco: Ecosystem, names: Iterable<string> | undefined): void {
  if (names === undefined) delete lists[eco];
  else lists[eco] = build(names);
}
