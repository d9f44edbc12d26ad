// Runs the code rules on Python: parse (cached, incremental), resolve imports, find the calls the
// code rules care about, run the rules, drop suppressed findings, add the suppression fix, and
// report the Hub model ids in loading calls (the engine looks them up for hovers and revision
// pins). A notebook's code cells are one namespace (`import torch` in cell 0 resolves
// `torch.load` in cell 3); each cell is parsed on its own, so an unfinished statement in one cell
// cannot swallow the next. Notebook findings carry `cell` and cell-relative ranges.
import type { Bindings, CallFact, Finding, ParseProblem } from '../domain';
import { CODE_RULES } from '../rules/code/index';
import type { CodeRule, CodeRuleContext, InstalledPackage } from '../rules/code/types';
import { modelReference, type ModelRef as RuleModelRef } from '../rules/code/unpinnedModelRevision';
import { findCandidateCalls, type CallScanSpec } from '../python/calls';
import { bindingsSignature, cachedCallFact } from '../python/factCache';
import { blankMagics, parseNotebook, type CellKind } from '../python/notebook';
import { initPython, parsePythonNow, type PythonParseCache, type Tree } from '../python/parser';
import { canonicalName, collectBindings, moduleAlias } from '../python/resolve';
import { collectSuppressions, isSuppressed, Lines, suppressionFix } from '../python/suppress';

/** A Hub model id in a loading call (for hovers and the revision-pin look-up). */
export interface ModelRef extends RuleModelRef {
  /** Notebook cell index. */
  cell?: number;
}

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
}

function scanSpec(rules: readonly CodeRule[], b: Bindings): CallScanSpec {
  const names = new Set<string>();
  const keywords = new Set<string>();
  const starKnown = new Set<string>();
  const suffixes: string[] = [];
  for (const r of rules) {
    for (const c of r.callees) {
      names.add(c.slice(c.lastIndexOf('.') + 1));
      if (c.startsWith('*')) suffixes.push(c.slice(1));
      else starKnown.add(c);
    }
    for (const k of r.keywords ?? []) keywords.add(k);
  }
  // Aliases of interesting functions and classes (`from torch import load as tl`).
  for (const [local, target] of b.names) {
    const t = canonicalName(target);
    if (starKnown.has(t) || suffixes.some((s) => t.endsWith(s))) names.add(local);
  }
  return { names, keywords, starKnown, suffixes, bindings: b };
}

/** Analyse units that share one namespace (a file is one unit; a notebook, one per code cell). */
export function analyzeUnits(units: readonly AnalysisUnit[], context: PythonContext = {}): { findings: Finding[][]; modelRefs: ModelRef[][] } {
  const rules = context.rules ?? CODE_RULES;
  const bindings = collectBindings(units);
  const spec = scanSpec(rules, bindings);
  const installed = context.installed ?? new Map<string, InstalledPackage>();
  const signature = bindingsSignature(bindings);
  const findings: Finding[][] = [];
  const modelRefs: ModelRef[][] = [];
  for (const unit of units) {
    const text = unit.original ?? unit.text;
    const ctx: CodeRuleContext = { text, installed, modelShas: context.modelShas, moduleAlias: (m) => moduleAlias(bindings, m) };
    const calls: CallFact[] = [];
    for (const node of findCandidateCalls(unit.tree, unit.text, spec)) {
      const fact = cachedCallFact(node, text, bindings, signature, spec.starKnown);
      if (fact) calls.push(fact);
    }
    const lines = new Lines(text);
    const sup = collectSuppressions(unit.tree, new Lines(unit.text));
    const out: Finding[] = [];
    const refs: ModelRef[] = [];
    for (const call of calls) {
      for (const rule of rules) {
        for (const f of rule.check(call, ctx)) {
          if (isSuppressed(f, lines, sup)) continue;
          f.fixes = [...(f.fixes ?? []), suppressionFix(f, lines)];
          out.push(f);
        }
      }
      const ref = modelReference(call);
      if (ref) refs.push(ref);
    }
    findings.push(out);
    modelRefs.push(refs);
  }
  return { findings, modelRefs };
}

/**
 * Analyse a Python file. With `context.cache` and `context.cacheKey` the parse is cached and
 * re-done incrementally on the next version of the text.
 */
export async function analyzePython(text: string, context: PythonContext = {}): Promise<PythonAnalysis> {
  await initPython(context.wasmDir);
  if (context.cache && context.cacheKey !== undefined) {
    const parsed = context.cache.getSync(context.cacheKey, text);
    const r = analyzeUnits([{ text, tree: parsed.tree }], context);
    return { findings: r.findings[0]!, modelRefs: r.modelRefs[0]!, parseProblems: parsed.problem ? [{ problem: parsed.problem }] : [] };
  }
  const parsed = parsePythonNow(text);
  try {
    const r = analyzeUnits([{ text, tree: parsed.tree }], context);
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
      const text = blankMagics(c.source);
      const cached = context.cache && c.key !== undefined;
      const parsed = cached ? context.cache!.getSync(c.key!, text) : parsePythonNow(text);
      const unit: AnalysisUnit = { text, original: c.source, tree: parsed.tree };
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
