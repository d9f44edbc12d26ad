// Reads setup.cfg requirement lists ([options] install_requires / setup_requires / tests_require and
// [options.extras_require]) with exact offsets. The INI reading follows configparser (indented lines
// continue a value, full-line '#'/';' comments) and setuptools' list splitting (one requirement per
// line; a single-line value is split at ';'). `file:` values become includes.

import type { ManifestParseResult, OffsetRange } from '../domain';
import { excerpt, mapProblem, parsePep508, requirementToDependency, shiftMap } from './pep508';

const OPTION_LISTS = new Set(['install_requires', 'setup_requires', 'tests_require']);

interface Piece {
  text: string;
  start: number;
}

interface Entry {
  section: string;
  key: string;
  keyRange: OffsetRange;
  /** The value's physical lines (first line after the delimiter, then continuation lines), trimmed. */
  lines: Piece[];
  /** The value starts on the key line (configparser then has no newline in a one-line value). */
  inline: boolean;
}

export function parseSetupCfg(text: string): ManifestParseResult {
  const result: ManifestParseResult = { format: 'setup.cfg', dependencies: [], includes: [], indexUrls: [], problems: [] };
  for (const e of readIni(text, result)) {
    const key = e.key.replace(/-/g, '_');
    let group: string | undefined;
    if (e.section === 'options' && OPTION_LISTS.has(key)) group = `options.${key}`;
    else if (e.section === 'options.extras_require') group = `options.extras_require.${e.key}`;
    if (group) readList(e, group, result);
  }
  result.problems.sort((a, b) => a.range.start - b.range.start);
  return result;
}

function readList(e: Entry, group: string, result: ManifestParseResult): void {
  const first = e.lines[0];
  if (first && e.lines.length === 1 && /^file:/.test(first.text)) {
    for (const piece of splitPiece({ text: first.text.slice(5), start: first.start + 5 }, ',')) {
      result.includes.push({ kind: 'requirement', target: piece.text, range: { start: piece.start, end: piece.start + piece.text.length } });
    }
    return;
  }
  const singleLine = e.lines.length === 1 && e.inline;
  for (const line of e.lines) {
    const pieces = singleLine ? splitPiece(line, ';') : [line];
    for (const piece of pieces) {
      if (piece.text === '' || piece.text.startsWith('#')) continue;
      // configparser keeps inline comments; drop ' # ...' so a commented line still reads.
      const hash = piece.text.search(/\s#/);
      const reqText = hash >= 0 ? piece.text.slice(0, hash).trimEnd() : piece.text;
      const parsed = parsePep508(reqText);
      const map = shiftMap(piece.start);
      if (!parsed.ok) {
        const problem = mapProblem(parsed.problem, map);
        if (singleLine && pieces.length > 1) {
          problem.message += " (setuptools splits a one-line value at ';': put each requirement on its own line)";
          problem.range = { start: piece.start, end: piece.start + reqText.length };
        }
        result.problems.push(problem);
        continue;
      }
      result.dependencies.push(requirementToDependency(parsed.requirement, 'setup.cfg', map, { group }));
    }
  }
}

/** Splits at `sep`, trimming each part and keeping its offset. */
function splitPiece(p: Piece, sep: string): Piece[] {
  const out: Piece[] = [];
  let from = 0;
  for (const part of p.text.split(sep)) {
    const lead = part.length - part.trimStart().length;
    const t = part.trim();
    if (t !== '') out.push({ text: t, start: p.start + from + lead });
    from += part.length + sep.length;
  }
  return out;
}

function readIni(text: string, result: ManifestParseResult): Entry[] {
  const entries: Entry[] = [];
  let section: string | undefined;
  let current: Entry | undefined;
  let keyIndent = 0;
  let pos = 0;
  while (pos <= text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = text.length;
    const raw = text.charCodeAt(nl - 1) === 13 && nl > pos ? text.slice(pos, nl - 1) : text.slice(pos, nl);
    const lineStart = pos;
    pos = nl + 1;
    const indent = raw.length - raw.trimStart().length;
    const body = raw.trim();
    if (body === '' || body.startsWith('#') || body.startsWith(';')) continue;
    if (current && indent > keyIndent) {
      current.lines.push({ text: body, start: lineStart + indent });
      continue;
    }
    current = undefined;
    const header = /^\[([^\]]*)\]/.exec(body);
    if (header) {
      section = header[1]!.trim();
      continue;
    }
    const delim = body.search(/[=:]/);
    if (delim <= 0) {
      result.problems.push({ message: `Expected 'key = value' or a [section] header, found '${excerpt(body)}'`, range: { start: lineStart + indent, end: lineStart + indent + body.length }, severity: 'warning' });
      continue;
    }
    if (section === undefined) {
      result.problems.push({ message: 'Key outside of any [section] (configparser rejects the file)', range: { start: lineStart + indent, end: lineStart + indent + body.length }, severity: 'error' });
      continue;
    }
    const key = body.slice(0, delim).trimEnd();
    const afterDelim = body.slice(delim + 1);
    const valueLead = afterDelim.length - afterDelim.trimStart().length;
    const value = afterDelim.trim();
    keyIndent = indent;
    current = { section, key, keyRange: { start: lineStart + indent, end: lineStart + indent + key.length }, lines: [], inline: value !== '' };
    if (value !== '') current.lines.push({ text: value, start: lineStart + indent + delim + 1 + valueLead });
    entries.push(current);
  }
  return entries;
}
