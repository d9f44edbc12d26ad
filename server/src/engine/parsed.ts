// One document parsed for the engine: a manifest's dependencies, a notebook's cells and install
// lines, the line index, and facts derived once per parse (exact pins, the lock graph). A
// document larger than the cap is not parsed at all; it says so once.
import path from 'node:path';
import type { Dependency, ManifestParseResult, ParseProblem, RelatedLocation } from '../domain';
import { parseManifest } from '../manifests';
import type { LockGraph } from '../manifests/lockGraph';
import { parsePipInstallCommands } from '../manifests/pipInstall';
import { parseNotebook } from '../python/notebook';
import { isManifestKind, type EngineDocument } from './documents';
import { LineIndex } from './lineIndex';

export interface Pin {
  key: string;
  name: string;
  version: string;
  locked: boolean;
  location: RelatedLocation;
}

export interface ParsedDoc {
  doc: EngineDocument;
  manifest?: ManifestParseResult;
  /** Dependencies declared by notebook install lines, with their cell. */
  notebookDeps?: Dependency[];
  notebookProblems?: { cell?: number; problem: ParseProblem }[];
  cells?: { text: string; kind: 'code' | 'markdown' | 'raw' }[];
  lines: LineIndex;
  pins?: Pin[];
  graph?: LockGraph;
  tooLarge?: ParseProblem;
}

/** Larger documents are not analysed (a problem says so). */
export const MAX_TEXT = 5_000_000;

export function parseDocument(doc: EngineDocument): ParsedDoc {
  const size = doc.cells ? doc.cells.reduce((n, c) => n + c.text.length, 0) : doc.text.length;
  if (size > MAX_TEXT) {
    // A generated or vendored monster: say so once instead of freezing the editor.
    return {
      doc,
      lines: new LineIndex(''),
      tooLarge: { message: `File too large to analyse (${(size / 1e6).toFixed(1)} M characters > ${MAX_TEXT / 1e6} M); skipped`, range: { start: 0, end: 0 }, severity: 'warning' },
    };
  }
  const parsed: ParsedDoc = { doc, lines: new LineIndex(doc.text) };
  if (isManifestKind(doc.kind)) {
    parsed.manifest = parseManifest(doc.path ?? doc.uri, doc.text);
  } else if (doc.kind === 'notebook') {
    const cells = notebookCells(doc);
    parsed.cells = cells.cells;
    parsed.notebookDeps = [];
    parsed.notebookProblems = cells.problems.map((p) => ({ problem: p }));
    cells.cells.forEach((c, i) => {
      if (c.kind !== 'code' || !/^\s*[%!]/m.test(c.text)) return;
      const r = parsePipInstallCommands(c.text, 0);
      for (const d of r.dependencies) parsed.notebookDeps!.push({ ...d, cell: i });
      for (const p of r.problems) parsed.notebookProblems!.push({ cell: i, problem: p });
    });
  }
  return parsed;
}

/** Exact pins and locked versions a manifest contributes to its environment (once per parse). */
export function pinsOf(p: ParsedDoc): Pin[] {
  if (p.pins) return p.pins;
  const base = path.basename(p.doc.path ?? p.doc.uri);
  p.pins = (p.manifest?.dependencies ?? [])
    .filter((d) => d.pinned && !d.url)
    .map((d) => ({
      key: `${d.ecosystem}:${d.name}`,
      name: d.name,
      version: d.pinned!,
      locked: d.editStyle === 'none',
      location: { uri: p.doc.uri, range: p.lines.range(d.nameRange), message: `${d.rawName} ${d.pinned} (${base})` },
    }));
  return p.pins;
}

function notebookCells(doc: EngineDocument): { cells: { text: string; kind: 'code' | 'markdown' | 'raw' }[]; problems: ParseProblem[] } {
  if (doc.cells) return { cells: doc.cells.map((c) => ({ text: c.text, kind: c.kind ?? 'code' })), problems: [] };
  const nb = parseNotebook(doc.text);
  return { cells: nb.cells.map((c) => ({ text: c.source, kind: c.kind })), problems: nb.problems };
}
