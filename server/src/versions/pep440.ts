// PEP 440 versions and specifiers for PyPI, following `packaging`'s semantics. Parsing comes from
// @renovatebot/pep440; comparison and specifier matching are done here because the library's
// `satisfies` decides pre-release acceptance per clause, not per specifier set, and mishandles
// `>V.postN` / `<V.rcN`, and because memoised parses make advisory matching fast.
import { explain, RANGE_PATTERN } from '@renovatebot/pep440';
import { maxSatisfyingWith, sortWith, type SatisfyOptions, type VersionKey, type VersionScheme } from './scheme';

export type { SatisfyOptions } from './scheme';

/** The shape `explain` really returns (its bundled typings are off for post/dev/local). */
interface Parsed {
  epoch: number;
  release: number[];
  pre: [string, number] | null;
  post: number | null;
  dev: number | null;
  local: string | null;
  public: string;
  base_version: string;
  is_prerelease: boolean;
  is_postrelease: boolean;
}

const MEMO_LIMIT = 50_000;
/** Longer keys are parsed every time rather than kept: the memos must not pin megabytes of a
 * hostile file's text (real versions and specifiers are a few dozen characters). */
const MEMO_KEY_MAX = 256;
const parsedMemo = new Map<string, Parsed | null>();

function remember<V>(memo: Map<string, V>, key: string, value: V): V {
  if (typeof key !== 'string' || key.length > MEMO_KEY_MAX) return value;
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, value);
  return value;
}

function parse(version: string): Parsed | null {
  const hit = parsedMemo.get(version);
  if (hit !== undefined) return hit;
  const text = version.trim();
  return remember(parsedMemo, version, text === '' ? null : ((explain(text) as unknown as Parsed | null) ?? null));
}

function stripTrailingZeros(release: number[]): number[] {
  let end = release.length;
  while (end > 0 && release[end - 1] === 0) end--;
  return release.slice(0, end);
}

function cmpNum(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function cmpRelease(a: number[], b: number[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = cmpNum(a[i] ?? 0, b[i] ?? 0);
    if (c !== 0) return c;
  }
  return 0;
}

const PRE_RANK: Record<string, number> = { a: 0, b: 1, rc: 2 };

/** Pre-release rank: dev-only releases sort before any pre, finals after all pres. */
function preRank(p: Parsed): number {
  if (p.pre) return PRE_RANK[p.pre[0]] ?? 2;
  return p.post === null && p.dev !== null ? -1 : 3;
}

function cmpLocal(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  const as = a.split('.');
  const bs = b.split('.');
  for (let i = 0; i < Math.min(as.length, bs.length); i++) {
    const x = as[i]!;
    const y = bs[i]!;
    const xn = /^\d+$/.test(x);
    const yn = /^\d+$/.test(y);
    // Numeric segments sort after alphanumeric ones (PEP 440).
    const c = xn && yn ? cmpNum(Number(x), Number(y)) : xn ? 1 : yn ? -1 : x < y ? -1 : x > y ? 1 : 0;
    if (c !== 0) return c;
  }
  return cmpNum(as.length, bs.length);
}

function cmpParsed(a: Parsed, b: Parsed, ignoreLocal = false): number {
  let c = cmpNum(a.epoch, b.epoch);
  if (c === 0) c = cmpRelease(a.release, b.release);
  if (c === 0) c = cmpNum(preRank(a), preRank(b)) || cmpNum(a.pre?.[1] ?? 0, b.pre?.[1] ?? 0);
  if (c === 0) c = cmpNum(a.post ?? -1, b.post ?? -1);
  if (c === 0) c = cmpNum(a.dev ?? Infinity, b.dev ?? Infinity);
  if (c === 0 && !ignoreLocal) c = cmpLocal(a.local, b.local);
  return c;
}

export function isValidVersion(version: string): boolean {
  return typeof version === 'string' && parse(version) !== null;
}

export function compareVersions(a: string, b: string): number {
  const pa = parse(a);
  const pb = parse(b);
  if (pa && pb) return cmpParsed(pa, pb);
  if (pa) return 1;
  if (pb) return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function equalVersions(a: string, b: string): boolean {
  const pa = parse(a);
  const pb = parse(b);
  return pa !== null && pb !== null && cmpParsed(pa, pb) === 0;
}

/** Pre-releases and dev releases (PEP 440 treats both as pre-releases). */
export function isPrerelease(version: string): boolean {
  return parse(version)?.is_prerelease ?? false;
}

export function publicVersion(version: string): string {
  return parse(version)?.public ?? version.trim();
}

/** A canonical text form: equal versions give equal keys (`1.0` and `v1.0.0` -> `1`). */
const canonicalMemo = new Map<string, string | undefined>();

export function canonicalVersion(version: string): string | undefined {
  if (canonicalMemo.has(version)) return canonicalMemo.get(version);
  return remember(canonicalMemo, version, canonicalUncached(version));
}

function canonicalUncached(version: string): string | undefined {
  const p = parse(version);
  if (!p) return undefined;
  let s = p.epoch ? `${p.epoch}!` : '';
  s += stripTrailingZeros(p.release).join('.') || '0';
  if (p.pre) s += `${p.pre[0]}${p.pre[1]}`;
  if (p.post !== null) s += `.post${p.post}`;
  if (p.dev !== null) s += `.dev${p.dev}`;
  if (p.local) s += `+${p.local.toLowerCase()}`;
  return s;
}

interface Clause {
  op: string;
  /** The version text as written (for `===`). */
  text: string;
  version?: Parsed;
  /** `==1.*` / `!=1.*` */
  prefix: boolean;
}

const clauseRegex = new RegExp(`^${RANGE_PATTERN}$`, 'i');
const specMemo = new Map<string, Clause[] | null>();

/** Parses a specifier set; null when any clause is invalid. '' is the empty set (matches all). */
function parseSpecifier(specifier: string): Clause[] | null {
  const hit = specMemo.get(specifier);
  if (hit !== undefined) return hit;
  return remember(specMemo, specifier, parseSpecifierUncached(specifier));
}

function parseSpecifierUncached(specifier: string): Clause[] | null {
  if (typeof specifier !== 'string') return null;
  if (specifier.trim() === '') return [];
  const clauses: Clause[] = [];
  // Like packaging, empty pieces (`>=1,`) are ignored.
  for (const raw of specifier.split(',').filter((p) => p.trim() !== '')) {
    const groups = clauseRegex.exec(raw.trim())?.groups;
    if (!groups?.operator) return null;
    const op = groups.operator;
    if (op === '===') {
      clauses.push({ op, text: (groups.version ?? '') + (groups.prefix ?? '') || (groups.legacy ?? ''), prefix: false });
      continue;
    }
    if (!groups.version) return null;
    const version = parse(groups.version);
    if (!version) return null;
    const prefix = Boolean(groups.prefix);
    const equality = op === '==' || op === '!=';
    if (prefix && (!equality || version.dev !== null || version.local)) return null;
    if (version.local && !equality) return null;
    if (op === '~=' && version.release.length < 2) return null;
    clauses.push({ op, text: groups.version, version, prefix });
  }
  return clauses;
}

export function isValidSpecifier(specifier: string): boolean {
  return parseSpecifier(specifier) !== null;
}

function prefixMatch(v: Parsed, spec: Parsed, prefixRelease = spec.release): boolean {
  if (v.epoch !== spec.epoch) return false;
  // `==1.0.*` matches `1` too: compare with the candidate's release padded with zeros.
  return prefixRelease.every((n, i) => (v.release[i] ?? 0) === n);
}

function sameBase(a: Parsed, b: Parsed): boolean {
  return a.epoch === b.epoch && cmpRelease(a.release, b.release) === 0;
}

function clauseMatches(c: Clause, text: string, v: Parsed | null): boolean {
  if (c.op === '===') return text.trim().toLowerCase() === c.text.toLowerCase();
  const s = c.version;
  if (!v || !s) return false;
  switch (c.op) {
    case '==':
    case '!=': {
      const eq = c.prefix ? prefixMatch(v, s) : cmpParsed(v, s, !s.local) === 0;
      return c.op === '==' ? eq : !eq;
    }
    case '~=':
      return cmpParsed(v, s, true) >= 0 && prefixMatch(v, s, s.release.slice(0, -1));
    case '>=':
      return cmpParsed(v, s, true) >= 0;
    case '<=':
      return cmpParsed(v, s, true) <= 0;
    case '<':
      if (cmpParsed(v, s) >= 0) return false;
      // `<2.0` must not admit `2.0rc1`, unless the bound itself is a pre-release.
      return !((!s.is_prerelease && v.is_prerelease && sameBase(v, s)));
    case '>':
      if (cmpParsed(v, s) <= 0) return false;
      // `>1.0` must not admit `1.0.post1` (unless the bound is a post-release) nor `1.0+local`.
      if (!s.is_postrelease && v.is_postrelease && sameBase(v, s)) return false;
      return !(v.local && sameBase(v, s) && cmpParsed(v, s, true) === 0);
    default:
      return false;
  }
}

/** Whether a clause opens the set to pre-releases (packaging's `Specifier.prereleases`). */
function mentionsPrerelease(c: Clause): boolean {
  if (c.op === '!=') return false;
  if (c.op === '===') return parse(c.text)?.is_prerelease ?? false;
  return c.version?.is_prerelease ?? false;
}

export function satisfies(version: string, specifier: string, opts: SatisfyOptions = {}): boolean {
  if (typeof version !== 'string') return false;
  const clauses = parseSpecifier(specifier);
  if (!clauses) return false;
  const v = parse(version);
  if (v?.is_prerelease && !opts.includePrereleases && !clauses.some(mentionsPrerelease)) return false;
  if (clauses.length === 0) return v !== null;
  return clauses.every((c) => clauseMatches(c, version, v));
}

export const sortVersions = sortWith(compareVersions);

export const maxSatisfying = maxSatisfyingWith(satisfies, compareVersions);

/** `==1.2.3` (no wildcard) or `===x`; with extra clauses, only when the pin satisfies them all. */
export function exactPin(specifier: string): string | undefined {
  const clauses = parseSpecifier(specifier);
  if (!clauses) return undefined;
  const pin = clauses.find((c) => c.op === '===' || (c.op === '==' && !c.prefix));
  if (!pin) return undefined;
  const others = clauses.filter((c) => c !== pin);
  const v = parse(pin.text);
  return others.every((c) => clauseMatches(c, pin.text, v)) ? pin.text : undefined;
}

export const pep440: VersionScheme = {
  key: (version) => (parse(version) as unknown as VersionKey | null) ?? undefined,
  compareKeys: (a, b) => cmpParsed(a as unknown as Parsed, b as unknown as Parsed),
  isValidVersion,
  compareVersions,
  equalVersions,
  isPrerelease,
  satisfies,
  maxSatisfying,
  sortVersions,
  exactPin,
  publicVersion,
};
