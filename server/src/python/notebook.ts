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

/** A line magic whose argument is a Python statement, with its `-n 10`-style options. */
const PYTHON_LINE_MAGIC = /^[ \t]*%(?:time|timeit|prun|memit)(?:[ \t]+-\w+(?:[ \t]*\d+)?)*[ \t]+(?=[A-Za-z_(\[])/;

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
    const timed = continued ? null : PYTHON_LINE_MAGIC.exec(l);
    if (timed) {
      lines[i] = blank(timed[0]) + l.slice(timed[0].length);
      continue;
    }
    const magic = continued || t.startsWith('%') || t.startsWith('!') || /^[\w.,\s]+=\s*[!%]/.test(t) || /^\w[\w.]*\?\??\s*$/.test(t);
    if (!magic) continue;
    lines[i] = blank(l);
    continued = /\\\s*$/.test(l);
  }
  return lines.join('\n');
}
