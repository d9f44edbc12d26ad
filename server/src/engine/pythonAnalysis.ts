// Runs the code rules on Python: parse (cached, incremental), resolve imports, find the calls the
// code rules care about, run the rules, drop suppressed findings, add the suppression fix, and
// report the Hub model ids in loading calls (the engine looks them up for hovers and revision
// pins). A notebook's code cells are one namespace (`import torch` in cell 0 resolves
// `torch.load` in cell 3); each cell is parsed on its own, so an unfinished statement in one cell
// cannot swallow the next. Notebook findings carry `cell` and cell-relative ranges.
import type { Finding, ModelReference, ParseProblem, RuleId } from '../domain';
import { compilePattern, matchesPattern, READERS, terminalName, type ApiPattern } from '../rules/code/catalog/index';
import { CODE_RULES } from '../rules/code/index';
import { modelReferences } from '../rules/code/modelRefs';
import type { CodeRule, CodeRuleContext, InstalledPackage } from '../rules/code/types';
import { findCandidateCalls, type CallScanSpec } from '../python/calls';
import { bindingsSignature, cachedCallFact } from '../python/factCache';
import { Resolver } from '../python/meaning';
import { blankMagics, parseNotebook, type CellKind } from '../python/notebook';
import { initPython, parsePythonNow, type PythonParseCache, type Tree } from '../python/parser';
import { canonicalName, collectBindings, moduleAlias, type ModuleBindings } from '../python/resolve';
import { collectSuppressions, isSuppressed, Lines, SuppressionFixes } from '../python/suppress';
import { WordSet } from '../python/textScan';
import { pyUnit, type PyUnit } from '../python/unit';
import { topLevelSpans, spanIndexOf } from '../python/chunks';
import { MAX_REUSED_SPAN, mapDigest, remember, reusable, ruleSetId, shiftResults, type CallResult } from './chunkReuse';

/** A model a loading call refers to: a Hub repository or a local file (inventory, hovers, revision pins). */
export type ModelRef = ModelReference & {
  /** Notebook cell index. */
  cell?: number;
};

export interface PythonContext {
  /** Installed versions by normalised package name (lockfiles, pins, notebook installs). */
  installed?: ReadonlyMap<string, InstalledPackage>;
  /** Hub model id -> current commit sha; enables the revision-pin fix. */
  modelShas?: ReadonlyMap<string, string>;
  /** Parse cache (the server keeps one and keys it by document uri). */
  cache?: PythonParseCache;
  /** Cache key, e.g. the document uri; required for the cache to be used. */
  cacheKey?: string;
  /** Rules to run (default: all code rules). */
  rules?: readonly CodeRule[];
  /** Folder holding the two wasm files (default: next to the bundle, else node_modules). */
  wasmDir?: string;
}

export type { InstalledPackage } from '../rules/code/types';

/** Why a file or cell was not analysed (the parser refused or failed on it). */
export interface CodeParseProblem {
  cell?: number;
  problem: ParseProblem;
}

export interface PythonAnalysis {
  findings: Finding[];
  modelRefs: ModelRef[];
  parseProblems: CodeParseProblem[];
}

/** One piece of text with its tree: a file, or a notebook cell (with `original` before magics were blanked). */
export interface AnalysisUnit {
  text: string;
  tree: Tree;
  original?: string;
  /** The document (or cell document) this unit is, when the caller analyses it again on the next
   * edit (the server): unchanged top-level statements are then reused (engine/chunkReuse.ts). */
  key?: string;
}

/** The last word set built, reused while the names stay the same (every keystroke, every cell). */
let lastWords: { key: string; set: WordSet } | undefined;
function wordSetFor(words: string[]): WordSet {
  const key = words.join('\u0000');
  if (lastWords?.key !== key) lastWords = { key, set: new WordSet(words) };
  return lastWords.set;
}

function scanSpec(rules: readonly CodeRule[], b: ModuleBindings): CallScanSpec {
  const names = new Set<string>();
  const keywords = new Set<string>();
  const starKnown = new Set<string>();
  const methods = new Set<string>();
  const patterns: ApiPattern[] = [];
  // Readers carry no rule but name model files for the inventory.
  const readers: readonly string[] = READERS.map((r) => r.api);
  for (const r of [...rules, { callees: readers, keywords: [] }]) {
    for (const c of r.callees) {
      names.add(terminalName(c));
      const p = compilePattern(c);
      if (p.exact !== undefined) starKnown.add(c);
      else patterns.push(p);
      if (c.includes('().')) methods.add(terminalName(c));
    }
    for (const k of r.keywords ?? []) keywords.add(k);
  }
  const matches = (q: string, called: boolean): boolean => starKnown.has(q) || (called && patterns.some((p) => matchesPattern(p, q)));
  // Aliases of interesting functions and classes (`from torch import load as tl`, `L = pickle.loads`).
  for (const [local, target] of b.names) {
    const t = canonicalName(target);
    if (matches(t, true)) names.add(local);
  }
  return { names, keywords, starKnown, matches, methods, bindings: b, words: wordSetFor([...names, ...keywords, 'getattr', 'environ']) };
}

/** Analyse units that share one namespace (a file is one unit; a notebook, one per code cell). */
export function analyzeUnits(units: readonly AnalysisUnit[], context: PythonContext = {}): { findings: Finding[][]; modelRefs: ModelRef[][] } {
  const rules = context.rules ?? CODE_RULES;
  const pyUnits = units.map((u) => pyUnit(u.tree, u.text));
  const bindings = collectBindings(pyUnits);
  const spec = scanSpec(rules, bindings);
  const installed = context.installed ?? new Map<string, InstalledPackage>();
  const signature = bindingsSignature(bindings);
  // Everything a statement's findings depend on besides its own text.
  const reuseKey = `${signature}|${mapDigest(context.installed)}|${mapDigest(context.modelShas)}|${ruleSetId(rules)}|`;
  const findings: Finding[][] = [];
  const modelRefs: ModelRef[][] = [];
  units.forEach((unit, u) => {
    const py = pyUnits[u]!;
    const text = unit.original ?? unit.text;
    const ctx: CodeRuleContext = { text, installed, modelShas: context.modelShas, moduleAlias: (m) => moduleAlias(bindings, m) };
    const resolver = new Resolver(py, bindings, spec.starKnown);
    const fc = { unit: py, resolver, text };
    const analyse = (within?: (at: number) => boolean): { start: number; result: CallResult }[] => {
      const out: { start: number; result: CallResult }[] = [];
      for (const node of findCandidateCalls(py, spec, resolver, within)) {
        const call = cachedCallFact(node, fc, signature);
        if (!call) continue;
        const found: Finding[] = [];
        for (const rule of rules) found.push(...rule.check(call, ctx));
        out.push({ start: node.startIndex, result: { findings: found, refs: modelReferences(call, text) } });
      }
      return out;
    };
    const perCall = unit.key !== undefined ? reuseOrAnalyse(unit.key, py, text, reuseKey, analyse) : analyse().map((c) => c.result);
    const out: Finding[] = [];
    const refs: ModelRef[] = [];
    findings.push(out);
    modelRefs.push(refs);
    // Most notebook cells have no candidate call: nothing more to read.
    if (perCall.length === 0) return;
    const lines = new Lines(text);
    const sup = collectSuppressions(py.ix, unit.text === text ? lines : new Lines(unit.text));
    const suppressionFixes = new SuppressionFixes(lines);
    for (const call of perCall) {
      const flagged = new Set<RuleId>();
      for (const f of call.findings) {
        if (isSuppressed(f, lines, sup)) continue;
        f.fixes = [...(f.fixes ?? []), suppressionFixes.fix(f)];
        out.push(f);
        flagged.add(f.rule);
      }
      for (const ref of call.refs) refs.push({ ...ref, rules: [...flagged] });
    }
  });
  return { findings, modelRefs };
}

/**
 * The unit's per-call results, taking every top-level statement whose text (and context) is as at
 * the last analysis of this document from there, and analysing only the others.
 */
function reuseOrAnalyse(
  doc: string,
  py: PyUnit,
  text: string,
  reuseKey: string,
  analyse: (within?: (at: number) => boolean) => { start: number; result: CallResult }[],
): CallResult[] {
  const spans = topLevelSpans(py.tree, text);
  const keys: (string | undefined)[] = [];
  const kept: (readonly CallResult[] | undefined)[] = [];
  const dirty = new Uint8Array(spans.length);
  let anyDirty = false;
  spans.forEach(([s, e], i) => {
    const key = e - s <= MAX_REUSED_SPAN ? reuseKey + text.slice(s, e) : undefined;
    keys.push(key);
    const hit = key !== undefined ? reusable(doc, key) : undefined;
    kept.push(hit);
    if (!hit) {
      dirty[i] = 1;
      anyDirty = true;
    }
  });
  // Results of the spans analysed now (most keystrokes: one span).
  const fresh = new Map<number, CallResult[]>();
  if (anyDirty) {
    for (const c of analyse((at) => dirty[spanIndexOf(spans, at)] === 1)) {
      const i = spanIndexOf(spans, c.start);
      if (i < 0) continue;
      const list = fresh.get(i);
      if (list) list.push(c.result);
      else fresh.set(i, [c.result]);
    }
  }
  const entries = new Map<string, readonly CallResult[]>();
  let chars = 0;
  const out: CallResult[] = [];
  spans.forEach(([s, e], i) => {
    const key = keys[i];
    const results = dirty[i] ? (fresh.get(i) ?? []) : shiftResults(kept[i]!, s);
    if (key !== undefined) {
      // Stored relative to the statement, as copies: the results handed out are changed later.
      if (!entries.has(key)) chars += e - s;
      entries.set(key, dirty[i] ? shiftResults(results, -s) : kept[i]!);
    }
    out.push(...results);
  });
  remember(doc, entries, chars);
  return out;
}

/**
 * The text tree-sitter reads: a lone `\r` (old Mac line ends, which Python and VS Code accept)
 * becomes `\n`. The grammar's scanner only ends lines at `\n`, so a CR-only file would parse as
 * one broken logical line. Same length, so every offset still points into the original text,
 * which findings and fixes use (keeping its line ends).
 */
export function lfLineEnds(text: string): string {
  return text.indexOf('\r') === -1 ? text : text.replace(/\r(?!\n)/g, '\n');
}

/**
 * Analyse a Python file. With `context.cache` and `context.cacheKey` the parse is cached and
 * re-done incrementally on the next version of the text.
 */
export async function analyzePython(text: string, context: PythonContext = {}): Promise<PythonAnalysis> {
  await initPython(context.wasmDir);
  if (context.cache && context.cacheKey !== undefined) {
    const parseText = lfLineEnds(text);
    const parsed = context.cache.getSync(context.cacheKey, parseText);
    const r = analyzeUnits([{ text: parseText, original: text, tree: parsed.tree, key: context.cacheKey }], context);
    return { findings: r.findings[0]!, modelRefs: r.modelRefs[0]!, parseProblems: parsed.problem ? [{ problem: parsed.problem }] : [] };
  }
  const parseText = lfLineEnds(text);
  const parsed = parsePythonNow(parseText);
  try {
    const r = analyzeUnits([{ text: parseText, original: text, tree: parsed.tree }], context);
    return { findings: r.findings[0]!, modelRefs: r.modelRefs[0]!, parseProblems: parsed.problem ? [{ problem: parsed.problem }] : [] };
  } finally {
    parsed.tree.delete();
  }
}

export interface CellInput {
  source: string;
  kind?: CellKind;
  /** Cache key for this cell (the LSP cell document uri). */
  key?: string;
}

export interface NotebookAnalysis {
  /** Findings with `cell` set and ranges relative to that cell. */
  findings: Finding[];
  modelRefs: ModelRef[];
  parseProblems: CodeParseProblem[];
}

/**
 * Analyse notebook cells as one namespace. `cells` is either a parsed .ipynb's cells (CLI) or
 * the cell documents of an LSP notebook, in order; `cell` in the output is the index in `cells`.
 */
export async function analyzeNotebookCells(cells: readonly CellInput[], context: PythonContext = {}): Promise<NotebookAnalysis> {
  await initPython(context.wasmDir);
  // From here on no `await`: trees from the shared cache stay valid while they are used.
  const units: AnalysisUnit[] = [];
  const indexes: number[] = [];
  const owned: AnalysisUnit[] = [];
  const parseProblems: CodeParseProblem[] = [];
  try {
    for (let i = 0; i < cells.length; i++) {
      const c = cells[i]!;
      if ((c.kind ?? 'code') !== 'code') continue;
      const text = lfLineEnds(blankMagics(c.source));
      const cached = context.cache && c.key !== undefined;
      const parsed = cached ? context.cache!.getSync(c.key!, text) : parsePythonNow(text);
      const unit: AnalysisUnit = { text, original: c.source, tree: parsed.tree, ...(cached ? { key: c.key! } : {}) };
      if (!cached) owned.push(unit);
      if (parsed.problem) parseProblems.push({ cell: i, problem: parsed.problem });
      units.push(unit);
      indexes.push(i);
    }
    const r = analyzeUnits(units, context);
    const findings: Finding[] = [];
    const modelRefs: ModelRef[] = [];
    r.findings.forEach((fs, u) => fs.forEach((f) => findings.push({ ...f, cell: indexes[u]! })));
    r.modelRefs.forEach((ms, u) => ms.forEach((m) => modelRefs.push({ ...m, cell: indexes[u]! })));
    return { findings, modelRefs, parseProblems };
  } finally {
    for (const u of owned) u.tree.delete();
  }
}

/** Analyse a whole .ipynb file (CLI): problems for malformed JSON, findings per cell. */
export async function analyzeNotebookText(jsonText: string, context: PythonContext = {}): Promise<NotebookAnalysis & { problems: ParseProblem[] }> {
  const nb = parseNotebook(jsonText);
  const r = await analyzeNotebookCells(nb.cells.map((c) => ({ source: c.source, kind: c.kind })), context);
  return { ...r, problems: nb.problems };
}
