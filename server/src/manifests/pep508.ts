// Hand-written PEP 508 requirement parser that keeps offsets of every part (name, extras,
// specifier set, URL, marker), so editors can point at and rewrite exactly those characters.
// Offsets are local to the parsed string; callers shift or map them into their document.

import type { Dependency, OffsetRange, ParseProblem, SourceFormat } from '../domain';

export interface Pep508Requirement {
  rawName: string;
  /** PEP 503-normalised. */
  name: string;
  nameRange: OffsetRange;
  extras: string[];
  /** Normalised specifier set: clauses without spaces, joined by ','. */
  specifier: string;
  /** The specifier text (inside parentheses when written with them), or an empty range right after
   * the name/extras when there is no specifier. */
  versionRange: OffsetRange;
  pinned?: string;
  url?: string;
  urlRange?: OffsetRange;
  marker?: string;
  markerRange?: OffsetRange;
  /** Name through the end of the marker (or URL / specifier), trimmed. */
  range: OffsetRange;
}

export type Pep508Result =
  | { ok: true; requirement: Pep508Requirement }
  | { ok: false; problem: ParseProblem };

const VERSION_RE =
  /^v?(?:\d+!)?\d+(?:\.\d+)*(?:[-_.]?(?:alpha|a|beta|b|preview|pre|c|rc)[-_.]?\d*)?(?:-\d+|[-_.]?(?:post|rev|r)[-_.]?\d*)?(?:[-_.]?dev[-_.]?\d*)?(?:\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?$/i;
const WILDCARD_RE = /^v?(?:\d+!)?\d+(?:\.\d+)*\.\*$/i;
const OPERATORS = ['===', '==', '!=', '<=', '>=', '~=', '<', '>'] as const;

/** At most `max` characters of `s` for a message (a hostile line must not make a huge one). */
export function excerpt(s: string, max = 60): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/** Whether `s` starts like `name @ url` or `name[extras] @ url` (PEP 508's URL form). A scan, not a
 * regex: `^name\s*(\[...\])?\s*@` backtracks between its two `\s*` on a long run of blanks. */
export function startsWithNamedUrl(s: string): boolean {
  let i = 0;
  if (i >= s.length || !isAlnum(s[i]!)) return false;
  while (i < s.length && isNameChar(s[i]!)) i++;
  while (i < s.length && isWs(s[i]!)) i++;
  if (s[i] === '[') {
    const close = s.indexOf(']', i + 1);
    if (close < 0) return false;
    i = close + 1;
    while (i < s.length && isWs(s[i]!)) i++;
  }
  return s[i] === '@';
}

export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** Whether `version` is a valid PEP 440 version (no wildcard). */
export function isValidVersion(version: string): boolean {
  return VERSION_RE.test(version);
}

function isWs(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === '\f' || c === '\v';
}

function isAlnum(c: string): boolean {
  const code = c.charCodeAt(0);
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function isNameChar(c: string): boolean {
  return isAlnum(c) || c === '-' || c === '_' || c === '.';
}

function isVersionChar(c: string): boolean {
  return isAlnum(c) || c === '-' || c === '_' || c === '.' || c === '*' || c === '+' || c === '!';
}

class Fail {
  constructor(
    readonly message: string,
    readonly start: number,
    readonly end: number,
  ) {}
}

interface Clause {
  op: string;
  version: string;
}

/** Parses one PEP 508 requirement. Never throws; a problem's range is local to `s`. */
export function parsePep508(s: string): Pep508Result {
  try {
    return { ok: true, requirement: parseOrFail(s) };
  } catch (e) {
    if (e instanceof Fail) {
      const start = Math.min(e.start, s.length);
      return { ok: false, problem: { message: e.message, range: { start, end: Math.max(start, Math.min(e.end, s.length)) }, severity: 'error' } };
    }
    throw e;
  }
}

function parseOrFail(s: string): Pep508Requirement {
  let i = 0;
  const skipWs = (): void => {
    while (i < s.length && isWs(s[i]!)) i++;
  };
  skipWs();
  const reqStart = i;
  if (i >= s.length) throw new Fail('Expected a package name', i, i);
  if (!isAlnum(s[i]!)) throw new Fail(`Invalid package name: a name must start with a letter or digit, found '${s[i]}'`, i, i + 1);
  const nameStart = i;
  while (i < s.length && isNameChar(s[i]!)) i++;
  const rawName = s.slice(nameStart, i);
  if (!isAlnum(rawName[rawName.length - 1]!)) {
    throw new Fail(`Invalid package name '${excerpt(rawName)}': a name must end with a letter or digit`, nameStart, i);
  }
  const nameRange = { start: nameStart, end: i };
  let afterNameOrExtras = i;
  let end = i;
  skipWs();

  const extras: string[] = [];
  if (s[i] === '[') {
    const open = i;
    i++;
    for (;;) {
      skipWs();
      if (s[i] === ']') break;
      const exStart = i;
      while (i < s.length && isNameChar(s[i]!)) i++;
      if (i === exStart) {
        if (i >= s.length) throw new Fail("Unclosed extras: expected ']'", open, s.length);
        throw new Fail(`Invalid character '${s[i]}' in extras`, i, i + 1);
      }
      extras.push(normalizeName(s.slice(exStart, i)));
      skipWs();
      if (s[i] === ',') {
        i++;
        continue;
      }
      if (s[i] === ']') break;
      if (i >= s.length) throw new Fail("Unclosed extras: expected ']'", open, s.length);
      throw new Fail(`Expected ',' or ']' in extras, found '${s[i]}'`, i, i + 1);
    }
    i++;
    afterNameOrExtras = end = i;
    skipWs();
  }

  let url: string | undefined;
  let urlRange: OffsetRange | undefined;
  let versionRange: OffsetRange = { start: afterNameOrExtras, end: afterNameOrExtras };
  let clauses: Clause[] = [];

  if (s[i] === '@') {
    i++;
    skipWs();
    const urlStart = i;
    while (i < s.length && !isWs(s[i]!)) i++;
    if (i === urlStart) throw new Fail("Expected a URL after '@'", urlStart - 1, urlStart);
    url = s.slice(urlStart, i);
    urlRange = { start: urlStart, end: i };
    end = i;
    skipWs();
  } else if (s[i] === '(') {
    const open = i;
    i++;
    const parsed = parseSpecifierSet(s, i, ')');
    clauses = parsed.clauses;
    i = parsed.next;
    if (s[i] !== ')') throw new Fail("Expected ')' to close the version specifier", open, i);
    versionRange = trimRange(s, open + 1, i);
    if (clauses.length === 0) versionRange = { start: open + 1, end: open + 1 };
    i++;
    end = i;
    skipWs();
  } else if (i < s.length && s[i] !== ';') {
    const parsed = parseSpecifierSet(s, i, undefined);
    if (parsed.clauses.length > 0) {
      clauses = parsed.clauses;
      versionRange = { start: parsed.firstStart, end: parsed.lastEnd };
      end = parsed.lastEnd;
      i = parsed.next;
    }
  }

  let marker: string | undefined;
  let markerRange: OffsetRange | undefined;
  if (i < s.length && s[i] === ';') {
    const semi = i;
    i++;
    markerRange = trimRange(s, i, s.length);
    marker = s.slice(markerRange.start, markerRange.end);
    if (marker === '') throw new Fail("Expected an environment marker after ';'", semi, semi + 1);
    if (!/(==|!=|<=|>=|<|>|~=|\bin\b|\bnot\s+in\b)/.test(marker)) {
      throw new Fail(`Invalid environment marker '${excerpt(marker)}'`, markerRange.start, markerRange.end);
    }
    end = markerRange.end;
    i = s.length;
  }
  if (i < s.length) {
    const rest = trimRange(s, i, s.length);
    const what = url ? 'after the URL (a marker needs a space before \';\')' : 'in requirement';
    throw new Fail(`Unexpected text '${excerpt(s.slice(rest.start, rest.end))}' ${what}`, rest.start, rest.end);
  }

  const specifier = clauses.map((c) => c.op + c.version).join(',');
  const exact = clauses.find((c) => c.op === '===' || (c.op === '==' && !c.version.endsWith('*')));
  const requirement: Pep508Requirement = {
    rawName,
    name: normalizeName(rawName),
    nameRange,
    extras,
    specifier,
    versionRange,
    range: { start: reqStart, end },
  };
  if (exact) requirement.pinned = exact.version;
  if (url !== undefined) {
    requirement.url = url;
    requirement.urlRange = urlRange;
  }
  if (marker !== undefined) {
    requirement.marker = marker;
    requirement.markerRange = markerRange;
  }
  return requirement;
}

function trimRange(s: string, start: number, end: number): OffsetRange {
  while (start < end && isWs(s[start]!)) start++;
  while (end > start && isWs(s[end - 1]!)) end--;
  return { start, end };
}

function parseSpecifierSet(
  s: string,
  from: number,
  closer: ')' | undefined,
): { clauses: Clause[]; firstStart: number; lastEnd: number; next: number } {
  const clauses: Clause[] = [];
  let i = from;
  let firstStart = from;
  let lastEnd = from;
  for (;;) {
    while (i < s.length && isWs(s[i]!)) i++;
    if (i >= s.length || s[i] === ';' || s[i] === closer) break;
    const opStart = i;
    const op = OPERATORS.find((o) => s.startsWith(o, i));
    if (!op) {
      if (s[i] === '=') throw new Fail("Invalid operator '=': use '==' for an exact version", i, i + 1);
      throw new Fail(`Expected a version specifier (like '>=1.0') or ';', found '${s[i]}'`, i, i + 1);
    }
    i += op.length;
    while (i < s.length && isWs(s[i]!)) i++;
    const vStart = i;
    if (op === '===') {
      while (i < s.length && !isWs(s[i]!) && s[i] !== ',' && s[i] !== ';' && s[i] !== ')') i++;
    } else {
      while (i < s.length && isVersionChar(s[i]!)) i++;
    }
    const version = s.slice(vStart, i);
    if (version === '') throw new Fail(`Expected a version after '${op}'`, opStart, i);
    validateClause(op, version, vStart, i);
    if (clauses.length === 0) firstStart = opStart;
    lastEnd = i;
    clauses.push({ op, version });
    while (i < s.length && isWs(s[i]!)) i++;
    if (s[i] === ',') {
      i++;
      continue;
    }
    break;
  }
  return { clauses, firstStart, lastEnd, next: i };
}

function validateClause(op: string, version: string, start: number, end: number): void {
  if (op === '===') return;
  if (version.endsWith('*')) {
    if (op !== '==' && op !== '!=') throw new Fail(`Wildcard version '${excerpt(version)}' is only allowed with '==' or '!='`, start, end);
    if (!WILDCARD_RE.test(version)) throw new Fail(`Invalid wildcard version '${excerpt(version)}'`, start, end);
    return;
  }
  if (!VERSION_RE.test(version)) throw new Fail(`Invalid version '${excerpt(version)}' (not PEP 440)`, start, end);
  if (op === '~=' && !/^v?(?:\d+!)?\d+\.\d+/.test(version)) {
    throw new Fail(`'~=' needs at least two release segments, found '${excerpt(version)}'`, start, end);
  }
}

/** Maps a local offset to a document offset. `isEnd` marks an exclusive end, which must map to the
 * character after the last one of the range rather than to the start of the next segment. */
export type OffsetMap = (offset: number, isEnd: boolean) => number;

export function shiftMap(base: number): OffsetMap {
  return (o) => o + base;
}

export function mapRange(r: OffsetRange, map: OffsetMap): OffsetRange {
  if (r.start === r.end) {
    const p = map(r.start, false);
    return { start: p, end: p };
  }
  return { start: map(r.start, false), end: map(r.end, true) };
}

/** Builds a Dependency from a parsed requirement, mapping its local ranges into the document. */
export function requirementToDependency(
  req: Pep508Requirement,
  format: SourceFormat,
  map: OffsetMap,
  extra: Partial<Dependency> = {},
): Dependency {
  const dep: Dependency = {
    ecosystem: 'PyPI',
    name: req.name,
    rawName: req.rawName,
    specifier: req.specifier,
    extras: req.extras,
    format,
    range: mapRange(req.range, map),
    nameRange: mapRange(req.nameRange, map),
    editStyle: req.url !== undefined ? 'none' : 'pep508',
    ...extra,
  };
  if (req.url === undefined) dep.versionRange = mapRange(req.versionRange, map);
  if (req.pinned !== undefined) dep.pinned = req.pinned;
  if (req.marker !== undefined) dep.marker = req.marker;
  if (req.url !== undefined) dep.url = req.url;
  return dep;
}

/** Offsets of a problem from `parsePep508`, mapped into the document. */
export function mapProblem(p: ParseProblem, map: OffsetMap): ParseProblem {
  return { ...p, range: mapRange(p.range, map) };
}
