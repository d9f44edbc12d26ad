// Scores the code analysis against the annotated corpus in test/fixtures/corpus. A comment line
// `# ruleid: <rule>[, <rule>]` or `# ok: <rule>` marks the statement that follows it (the lines it
// spans; for a compound statement, its header). A `ruleid` case passes when a finding of that
// rule starts inside the statement with severity warning or error (info counts for
// unpinned-model-revision, which is info by design); an `ok` case fails on any warning or error
// there that the statement is not also marked `ruleid` for. Notebooks: annotations sit in cells.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Finding } from '../../../../server/src/domain';
import { analyzePython, type InstalledPackage } from '../../../../server/src/engine/pythonAnalysis';
import { analyzeNotebookCells } from '../../../../server/src/engine/pythonAnalysis';
import { blankMagics, parseNotebook } from '../../../../server/src/python/notebook';
import { initPython, parsePythonNow } from '../../../../server/src/python/parser';

export const CORPUS_DIR = path.resolve(__dirname, '../../../fixtures/corpus');

/** Rules whose default severity is info: a `ruleid` case is met by an info finding. */
const INFO_BY_DESIGN = new Set(['unpinned-model-revision']);

export interface CorpusCase {
  /** Path relative to the corpus folder. */
  file: string;
  cell?: number;
  /** 1-based first and last line of the marked statement (cell-relative in notebooks). */
  line: number;
  endLine: number;
  ruleid: string[];
  ok: string[];
  text: string;
}

export interface CaseOutcome {
  case: CorpusCase;
  /** Marked-unsafe rules that were not flagged. */
  missed: string[];
  /** Warnings/errors on a statement marked ok for some rule (and not ruleid for the finding's rule). */
  falsePositives: string[];
}

export interface CorpusReport {
  outcomes: CaseOutcome[];
  unsafe: number;
  caught: number;
  safe: number;
  flaggedSafe: number;
  recall: number;
  fpRate: number;
}

const ANNOTATION = /^\s*#\s*(ruleid|ok)\s*:\s*([\w\-]+(?:\s*,\s*[\w\-]+)*)\s*$/;

/** The 0-based last row of the statement starting at `row` (its header for a compound one). */
function statementEnd(text: string, row: number): number {
  const line = text.split('\n')[row] ?? '';
  const column = line.length - line.trimStart().length;
  const parsed = parsePythonNow(text);
  try {
    let node = parsed.tree.rootNode.descendantForPosition({ row, column });
    if (!node) return row;
    while (node.parent && node.parent.type !== 'module' && node.parent.type !== 'block' && node.parent.startPosition.row === row) {
      node = node.parent;
    }
    const body = node.childForFieldName('body');
    if (body) return body.startPosition.row > row ? body.startPosition.row - 1 : row;
    return Math.max(row, node.endPosition.row);
  } finally {
    parsed.tree.delete();
  }
}

/** The annotated cases of one unit of text (a file or a notebook cell). */
export function annotatedCases(file: string, original: string, parsedText: string, cell?: number): CorpusCase[] {
  const lines = original.split('\n');
  const out: CorpusCase[] = [];
  let pending: { ruleid: string[]; ok: string[] } | undefined;
  lines.forEach((l, row) => {
    const m = ANNOTATION.exec(l);
    if (m) {
      pending ??= { ruleid: [], ok: [] };
      const rules = m[2]!.split(',').map((r) => r.trim());
      (m[1] === 'ruleid' ? pending.ruleid : pending.ok).push(...rules);
      return;
    }
    const t = l.trim();
    if (!pending || t === '' || t.startsWith('#')) return;
    const end = statementEnd(parsedText, row);
    const c: CorpusCase = { file, line: row + 1, endLine: end + 1, ...pending, text: t };
    if (cell !== undefined) c.cell = cell;
    out.push(c);
    pending = undefined;
  });
  return out;
}

function lineOf(text: string, offset: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

export interface Located {
  rule: string;
  severity: Finding['severity'];
  /** 1-based line (cell-relative in notebooks). */
  line: number;
  cell?: number;
}

/** Findings per corpus file (relative path), from somewhere other than the library (the CLI). */
export type FindingSource = ReadonlyMap<string, readonly Located[]>;

/** Reads `aidr scan --format json` output (0-based lines, `cell` for notebooks). */
export function cliFindings(json: string): FindingSource {
  const doc = JSON.parse(json) as { findings?: { rule: string; severity: Finding['severity']; file: string; cell?: number; range: { start: { line: number } } }[] };
  const out = new Map<string, Located[]>();
  for (const f of doc.findings ?? []) {
    const list = out.get(f.file) ?? [];
    const l: Located = { rule: f.rule, severity: f.severity, line: f.range.start.line + 1 };
    if (f.cell !== undefined) l.cell = f.cell;
    list.push(l);
    out.set(f.file, list);
  }
  return out;
}

function judge(c: CorpusCase, found: readonly Located[]): CaseOutcome {
  const inside = found.filter((f) => f.cell === c.cell && f.line >= c.line && f.line <= c.endLine);
  const counts = (f: Located) => f.severity === 'error' || f.severity === 'warning' || (f.severity === 'info' && INFO_BY_DESIGN.has(f.rule));
  const missed = c.ruleid.filter((r) => !inside.some((f) => f.rule === r && counts(f)));
  const falsePositives =
    c.ok.length === 0
      ? []
      : inside.filter((f) => (f.severity === 'error' || f.severity === 'warning') && !c.ruleid.includes(f.rule)).map((f) => `${f.rule} ${f.severity}`);
  return { case: c, missed, falsePositives };
}

/**
 * Exact pins from a notebook's `%pip install` / `!pip install` / `!uv pip install` lines, as the
 * engine joins them with the code (so `torch==2.1.0` escalates torch.load like in `aidr scan`).
 */
function notebookPins(sources: readonly string[]): Map<string, InstalledPackage> {
  const pins = new Map<string, InstalledPackage>();
  for (const src of sources) {
    for (const m of src.matchAll(/^[ \t]*[!%](?:uv[ \t]+)?pip[ \t]+install[ \t]+(.*)$/gm)) {
      for (const tok of m[1]!.split(/\s+/)) {
        const pin = /^["']?([A-Za-z0-9][\w.-]*)(?:\[[^\]]*\])?==([\w.+!-]+)["']?$/.exec(tok);
        if (pin) pins.set(pin[1]!.toLowerCase().replace(/[-_.]+/g, '-'), { version: pin[2]! });
      }
    }
  }
  return pins;
}

async function evaluateFile(abs: string, rel: string, source?: FindingSource): Promise<CaseOutcome[]> {
  const raw = readFileSync(abs, 'utf8');
  const given = source && (source.get(rel.split(path.sep).join('/')) ?? []);
  if (abs.endsWith('.ipynb')) {
    const nb = parseNotebook(raw);
    const cases = nb.cells.filter((c) => c.kind === 'code').flatMap((c) => annotatedCases(rel, c.source, blankMagics(c.source), c.index));
    let found = given;
    if (!found) {
      const installed = notebookPins(nb.cells.map((c) => c.source));
      const r = await analyzeNotebookCells(nb.cells.map((c) => ({ source: c.source, kind: c.kind })), { installed });
      found = r.findings.map((f) => ({ rule: f.rule, severity: f.severity, line: lineOf(nb.cells[f.cell!]!.source, f.range.start), cell: f.cell }));
    }
    return cases.map((c) => judge(c, found));
  }
  const cases = annotatedCases(rel, raw, raw);
  let found = given;
  if (!found) {
    const r = await analyzePython(raw);
    found = r.findings.map((f) => ({ rule: f.rule, severity: f.severity, line: lineOf(raw, f.range.start) }));
  }
  return cases.map((c) => judge(c, found));
}

function corpusFiles(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) return corpusFiles(p, base);
      return /\.(py|ipynb)$/.test(e.name) ? [p] : [];
    })
    .sort();
}

/** Score the corpus with the library's findings, or with `source` (e.g. the CLI's). */
export async function evaluateCorpus(dir = CORPUS_DIR, source?: FindingSource): Promise<CorpusReport> {
  await initPython();
  const outcomes: CaseOutcome[] = [];
  for (const f of corpusFiles(dir)) outcomes.push(...(await evaluateFile(f, path.relative(dir, f), source)));
  const unsafe = outcomes.reduce((n, o) => n + o.case.ruleid.length, 0);
  const caught = unsafe - outcomes.reduce((n, o) => n + o.missed.length, 0);
  const safeCases = outcomes.filter((o) => o.case.ok.length > 0);
  const flaggedSafe = safeCases.filter((o) => o.falsePositives.length > 0).length;
  return {
    outcomes,
    unsafe,
    caught,
    safe: safeCases.length,
    flaggedSafe,
    recall: unsafe ? caught / unsafe : 1,
    fpRate: safeCases.length ? flaggedSafe / safeCases.length : 0,
  };
}

export function describe(o: CaseOutcome): string {
  const where = `${o.case.file}${o.case.cell !== undefined ? `#cell${o.case.cell}` : ''}:${o.case.line}`;
  const what = [...o.missed.map((r) => `missed ${r}`), ...o.falsePositives.map((f) => `unexpected ${f}`)].join('; ');
  return `${where}  ${what}  | ${o.case.text}`;
}
