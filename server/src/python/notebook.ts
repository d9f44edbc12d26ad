// Jupyter notebooks: read the .ipynb JSON into cells, and blank IPython magics and shell lines so
// tree-sitter sees plain Python (same lengths, so offsets stay valid). The engine analyses the
// code cells as one namespace (engine/pythonAnalysis.ts).
import type { ParseProblem } from '../domain';

export type CellKind = 'code' | 'markdown' | 'raw';

export interface NotebookCell {
  /** Index in the notebook's `cells` array. */
  index: number;
  kind: CellKind;
  source: string;
}

export interface ParsedNotebook {
  cells: NotebookCell[];
  problems: ParseProblem[];
}

const WHOLE = { start: 0, end: 0 };

/** Parse .ipynb text; never throws (malformed input becomes a problem). */
export function parseNotebook(jsonText: string): ParsedNotebook {
  let doc: unknown;
  try {
    doc = JSON.parse(jsonText);
  } catch (e) {
    return { cells: [], problems: [{ message: `Not a valid notebook (JSON): ${(e as Error).message}`, range: WHOLE, severity: 'error' }] };
  }
  let rawCells = doc && typeof doc === 'object' ? (doc as { cells?: unknown }).cells : undefined;
  // nbformat 3 keeps cells in worksheets and code in `input`; read it as the v4 shape.
  const worksheets = doc && typeof doc === 'object' ? (doc as { worksheets?: unknown }).worksheets : undefined;
  if (!Array.isArray(rawCells) && Array.isArray(worksheets)) {
    rawCells = worksheets.flatMap((w: unknown) => (w && typeof w === 'object' && Array.isArray((w as { cells?: unknown }).cells) ? (w as { cells: unknown[] }).cells : []));
    rawCells = (rawCells as unknown[]).map((c) => {
      if (!c || typeof c !== 'object') return c;
      const o = c as { cell_type?: unknown; input?: unknown; source?: unknown };
      if (o.cell_type === 'heading') return { ...o, cell_type: 'markdown' };
      return o.source === undefined && o.input !== undefined ? { ...o, source: o.input } : o;
    });
  }
  if (!Array.isArray(rawCells)) {
    return { cells: [], problems: [{ message: 'Not a notebook: no "cells" array', range: WHOLE, severity: 'error' }] };
  }
  const cells: NotebookCell[] = [];
  const problems: ParseProblem[] = [];
  rawCells.forEach((c: unknown, index) => {
    const o = c && typeof c === 'object' ? (c as { cell_type?: unknown; source?: unknown }) : undefined;
    const kind = o?.cell_type;
    const src = o?.source;
    let source: string | undefined;
    if (typeof src === 'string') source = src;
    else if (Array.isArray(src) && src.every((s) => typeof s === 'string')) source = src.join('');
    if (!o || (kind !== 'code' && kind !== 'markdown' && kind !== 'raw') || source === undefined) {
      problems.push({ message: `Cell ${index}: unexpected cell shape (skipped)`, range: WHOLE, severity: 'warning' });
      cells.push({ index, kind: 'raw', source: typeof source === 'string' ? source : '' });
      return;
    }
    cells.push({ index, kind, source });
  });
  return { cells, problems };
}

/** Cell magics whose body is still Python. */
const PYTHON_CELL_MAGICS = new Set(['time', 'timeit', 'capture', 'prun', 'debug', 'pypy', 'python', 'python3', 'px', 'memit', 'tensorflow_version']);

/** Line magics whose argument is a Python statement (after `-n 10`-style options). */
const PYTHON_LINE_MAGICS = new Set(['time', 'timeit', 'prun', 'memit']);

const isWord = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isBlankChar = (c: number): boolean => c === 32 || c === 9;
/** A character that can start the timed statement: a name, `(` or `[`. */
const startsStatement = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 40 || c === 91;

/**
 * Length of the `%time -n 10 ` prefix before a timed Python statement, or undefined. A scan: the
 * regex it replaces, `^[ \t]*%(?:time|...)(?:[ \t]+-\w+(?:[ \t]*\d+)?)*[ \t]+(?=[A-Za-z_(\[])`,
 * backtracked exponentially between `\w+` and `\d+` (`%timeit` and eight `-n1111111111` options
 * before a `!` took 107 s). Taking each run whole is the only reading that can succeed.
 */
export function timedStatementStart(line: string): number | undefined {
  let i = 0;
  while (isBlankChar(line.charCodeAt(i))) i++;
  if (line[i] !== '%') return undefined;
  const nameStart = ++i;
  while (isWord(line.charCodeAt(i))) i++;
  if (!PYTHON_LINE_MAGICS.has(line.slice(nameStart, i))) return undefined;
  for (;;) {
    const gap = i;
    while (isBlankChar(line.charCodeAt(i))) i++;
    if (i === gap) return undefined;
    if (startsStatement(line.charCodeAt(i))) return i;
    if (line[i] !== '-' || !isWord(line.charCodeAt(i + 1))) return undefined;
    i++;
    while (isWord(line.charCodeAt(i))) i++;
    // An option's numeric value (`-n 10`): digits after blanks can only be that value.
    let j = i;
    while (isBlankChar(line.charCodeAt(j))) j++;
    if (isDigit(line.charCodeAt(j))) {
      while (isDigit(line.charCodeAt(j))) j++;
      i = j;
    }
  }
}

const blank = (s: string) => s.replace(/[^\n\r]/g, ' ');

/** Replace IPython magics and shell escapes with spaces of equal length. */
export function blankMagics(source: string): string {
  const lines = source.split('\n');
  const first = lines.findIndex((l) => l.trim() !== '');
  if (first !== -1 && lines[first]!.trimStart().startsWith('%%')) {
    const name = /^%%(\w+)/.exec(lines[first]!.trimStart())?.[1] ?? '';
    if (!PYTHON_CELL_MAGICS.has(name)) return blank(source);
    lines[first] = blank(lines[first]!);
  }
  let continued = false;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const t = l.trimStart();
    // `%time x = torch.load(p)`: the statement after a timing magic (and its options) is Python.
    const timed = continued ? undefined : timedStatementStart(l);
    if (timed !== undefined) {
      lines[i] = blank(l.slice(0, timed)) + l.slice(timed);
      continue;
    }
    const magic = continued || t.startsWith('%') || t.startsWith('!') || /^[\w.,\s]+=\s*[!%]/.test(t) || /^\w[\w.]*\?\??\s*$/.test(t);
    if (!magic) continue;
    lines[i] = blank(l);
    continued = /\\\s*$/.test(l);
  }
  return lines.join('\n');
}
