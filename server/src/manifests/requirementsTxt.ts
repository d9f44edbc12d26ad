// Parses pip requirements files (requirements*.txt, *.in, constraints) into dependencies, includes
// and index URLs with exact offsets, following pip's own line handling (req_file.py).

import type { Dependency, Include, ManifestParseResult, OffsetRange, ParseProblem } from '../domain';
import { logicalLines, splitTokens, type LogicalLine, type Token } from './logicalLines';
import { excerpt, mapProblem, mapRange, normalizeName, parsePep508, requirementToDependency, startsWithNamedUrl, type OffsetMap } from './pep508';
import { nameFromUrl } from './urlNames';

type OptionKind =
  | 'requirement'
  | 'constraint'
  | 'editable'
  | 'index'
  | 'extra-index'
  | 'hash'
  | 'value'
  | 'flag';

interface OptionSpec {
  kind: OptionKind;
  takesValue: boolean;
  /** Allowed after a requirement on the same line (pip's per-requirement options). */
  perRequirement?: boolean;
}

const OPTIONS: Readonly<Record<string, OptionSpec>> = {
  '-r': { kind: 'requirement', takesValue: true },
  '--requirement': { kind: 'requirement', takesValue: true },
  '-c': { kind: 'constraint', takesValue: true },
  '--constraint': { kind: 'constraint', takesValue: true },
  '-e': { kind: 'editable', takesValue: true },
  '--editable': { kind: 'editable', takesValue: true },
  '-i': { kind: 'index', takesValue: true },
  '--index-url': { kind: 'index', takesValue: true },
  '--extra-index-url': { kind: 'extra-index', takesValue: true },
  '-f': { kind: 'value', takesValue: true },
  '--find-links': { kind: 'value', takesValue: true },
  '--no-binary': { kind: 'value', takesValue: true },
  '--only-binary': { kind: 'value', takesValue: true },
  '--trusted-host': { kind: 'value', takesValue: true },
  '--use-feature': { kind: 'value', takesValue: true },
  '--pre': { kind: 'flag', takesValue: false },
  '--prefer-binary': { kind: 'flag', takesValue: false },
  '--require-hashes': { kind: 'flag', takesValue: false },
  '--no-index': { kind: 'flag', takesValue: false },
  '--hash': { kind: 'hash', takesValue: true, perRequirement: true },
  '--config-settings': { kind: 'value', takesValue: true, perRequirement: true },
  '--global-option': { kind: 'value', takesValue: true, perRequirement: true },
};

const URL_RE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/|^file:/;
const ARCHIVE_RE = /\.(whl|tar\.gz|tgz|tar\.bz2|tbz|tar\.xz|txz|tar|zip)$/i;

interface Ctx {
  result: ManifestParseResult;
}

export function parseRequirementsTxt(text: string): ManifestParseResult {
  const result: ManifestParseResult = { format: 'requirements.txt', dependencies: [], includes: [], indexUrls: [], problems: [] };
  if (text.includes('\u0000')) {
    result.problems.push({ message: 'This file looks binary (it contains NUL characters); not parsed as a requirements file', range: { start: 0, end: 0 }, severity: 'error' });
    return result;
  }
  const ctx: Ctx = { result };
  for (const line of logicalLines(text)) parseLine(ctx, line);
  return result;
}

function parseLine(ctx: Ctx, line: LogicalLine): void {
  const tokens = splitTokens(line.text);
  if (tokens.length === 0) return;
  const firstOpt = tokens.findIndex((t) => t.text.startsWith('-'));
  if (firstOpt === 0) {
    parseOptions(ctx, line, tokens, undefined);
    return;
  }
  const argsEnd = firstOpt < 0 ? tokens.length : firstOpt;
  const reqText = line.text.slice(0, tokens[argsEnd - 1]!.end);
  const dep = parseRequirementText(ctx, reqText, line.map, false);
  parseOptions(ctx, line, tokens.slice(argsEnd), dep);
}

/** Parses the requirement part of a line: PEP 508, a URL, or a local path / archive. */
function parseRequirementText(ctx: Ctx, reqText: string, map: OffsetMap, editable: boolean): Dependency | undefined {
  const trimmed = reqText.trimStart();
  const lead = reqText.length - trimmed.length;
  const firstWord = trimmed.slice(0, wordEnd(trimmed));
  const looksLikePath = /^[.~/\\]/.test(trimmed) || /[/\\]/.test(firstWord.split(';', 1)[0]!) || ARCHIVE_RE.test(firstWord);
  if (editable || URL_RE.test(trimmed) || (!startsWithNamedUrl(trimmed) && looksLikePath)) {
    return parseUrlRequirement(ctx, reqText, lead, map, editable);
  }
  const parsed = parsePep508(reqText);
  if (!parsed.ok) {
    if (reqText.includes('${')) {
      ctx.result.problems.push({ message: 'Requirement uses an environment variable; not analysed', range: mapRange({ start: lead, end: reqText.length }, map), severity: 'info' });
    } else {
      ctx.result.problems.push(mapProblem(parsed.problem, map));
    }
    return undefined;
  }
  const dep = requirementToDependency(parsed.requirement, 'requirements.txt', map);
  ctx.result.dependencies.push(dep);
  return dep;
}

/** Where the first whitespace-free run of `s` ends. */
function wordEnd(s: string): number {
  const m = /\s/.exec(s);
  return m ? m.index : s.length;
}

function parseUrlRequirement(ctx: Ctx, reqText: string, lead: number, map: OffsetMap, editable: boolean): Dependency | undefined {
  const urlEnd = lead + wordEnd(reqText.slice(lead));
  const url = reqText.slice(lead, urlEnd);
  let end = urlEnd;
  let marker: string | undefined;
  const semi = reqText.indexOf(';', urlEnd);
  if (semi >= 0) {
    marker = reqText.slice(semi + 1).trim();
    end = reqText.trimEnd().length;
  }
  const named = nameFromUrl(url);
  if (!named) {
    if (URL_RE.test(url) && !url.startsWith('file:')) {
      ctx.result.problems.push({ message: "Cannot tell which package this URL installs; add '#egg=<name>' or write '<name> @ <url>'", range: mapRange({ start: lead, end: urlEnd }, map), severity: 'info' });
    }
    return undefined;
  }
  const dep: Dependency = {
    ecosystem: 'PyPI',
    name: normalizeName(named.name),
    rawName: named.name,
    specifier: named.version ? `==${named.version}` : '',
    extras: named.extras,
    format: 'requirements.txt',
    range: mapRange({ start: lead, end }, map),
    nameRange: mapRange({ start: lead + named.start, end: lead + named.end }, map),
    editStyle: 'none',
    url,
  };
  if (named.version) dep.pinned = named.version;
  if (marker) dep.marker = marker;
  if (editable) dep.editable = true;
  ctx.result.dependencies.push(dep);
  return dep;
}

function parseOptions(ctx: Ctx, line: LogicalLine, tokens: Token[], dep: Dependency | undefined): void {
  const problems: ParseProblem[] = ctx.result.problems;
  const range = (t: Token, from = 0): OffsetRange => mapRange({ start: t.start + from, end: t.end }, line.map);
  for (let k = 0; k < tokens.length; k++) {
    const tok = tokens[k]!;
    if (!tok.text.startsWith('-')) {
      problems.push({ message: `Unexpected argument '${excerpt(tok.text)}' after an option (pip ignores it)`, range: range(tok), severity: 'warning' });
      continue;
    }
    let optName = tok.text;
    let value: Token | undefined;
    if (tok.text.startsWith('--')) {
      const eq = tok.text.indexOf('=');
      if (eq >= 0) {
        optName = tok.text.slice(0, eq);
        value = { text: tok.text.slice(eq + 1), start: tok.start + eq + 1, end: tok.end };
      }
    } else if (tok.text.length > 2) {
      optName = tok.text.slice(0, 2);
      value = { text: tok.text.slice(2), start: tok.start + 2, end: tok.end };
    }
    const spec = Object.hasOwn(OPTIONS, optName) ? OPTIONS[optName] : undefined;
    if (!spec || (dep !== undefined && !spec.perRequirement)) {
      const where = dep ? ' on a requirement line' : '';
      problems.push({ message: `Unknown or unsupported option '${excerpt(optName)}'${where}; pip would reject this line`, range: range(tok), severity: 'warning' });
      if (!spec) continue;
    }
    if (spec.takesValue && !value) {
      const next = tokens[k + 1];
      if (!next || (next.text.startsWith('-') && spec.kind !== 'value')) {
        problems.push({ message: `Option '${excerpt(optName)}' needs a value`, range: range(tok), severity: 'error' });
        continue;
      }
      value = next;
      k++;
    } else if (!spec.takesValue && value) {
      problems.push({ message: `Option '${excerpt(optName)}' does not take a value`, range: range(tok), severity: 'warning' });
    }
    if (dep !== undefined && !spec.perRequirement) continue;
    applyOption(ctx, spec.kind, value, line.map, dep);
  }
}

function applyOption(ctx: Ctx, kind: OptionKind, value: Token | undefined, map: OffsetMap, dep: Dependency | undefined): void {
  if (!value) return;
  switch (kind) {
    case 'requirement':
    case 'constraint': {
      const include: Include = { kind, target: value.text, range: mapRange(value, map) };
      ctx.result.includes.push(include);
      return;
    }
    case 'index':
    case 'extra-index':
      ctx.result.indexUrls.push(value.text);
      return;
    case 'editable': {
      const shifted: OffsetMap = (o, isEnd) => map(o + value.start, isEnd);
      parseRequirementText(ctx, value.text, shifted, true);
      return;
    }
    case 'hash':
      if (dep) dep.hashes = true;
      return;
    case 'value':
    case 'flag':
      return;
  }
}
