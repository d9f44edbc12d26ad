// The facade both the language server and the CLI call: analyse a batch of documents against
// the workspace's manifests. Parse (cached), gather facts, enrich them in one batch, run rules,
// apply settings and suppressions. Rules never do I/O; everything external comes through `sources`.
import path from 'node:path';
import type { DependencyFacts } from '../rules/dependency/facts';
import { DEPENDENCY_RULES } from '../rules/dependency';
import { parseManifest } from '../manifests';
import { parsePipInstallCommands } from '../manifests/pipInstall';
import { parseNotebook } from '../python/notebook';
import { PythonParseCache } from '../python/parser';
import { chooseSafeVersions } from '../versions/safeVersion';
import { resolveIncludes } from '../manifests/includes';
import { dependencyChain, directDependentsOf, LOCK_GRAPH_KINDS, NPM_LOCK_GRAPH_KINDS, parseLockGraph, type LockGraph } from '../manifests/lockGraph';
import type { Settings } from '../settings';
import type { AdvisoryProvider, Freshness, ModelProvider, RegistryProvider } from '../domain';
import type { EngineDocument } from './documents';
import { isManifestKind } from './documents';
import { enrichDependencies, type LockedVersion } from './enrich';
import { LineIndex } from './lineIndex';
import { analyzeCode, type CodeAnalysis, type InstalledVersion } from './code';
import { applySuppressions } from './suppression';
import type { Dependency, Ecosystem, Finding, ManifestParseResult, ParseProblem, RelatedLocation } from '../domain';

export interface Sources {
  advisories: AdvisoryProvider;
  registries: Partial<Record<Ecosystem, RegistryProvider>>;
  models?: ModelProvider;
}

export interface DocumentAnalysis {
  uri: string;
  kind: EngineDocument['kind'];
  /** Ranges are offsets into the document text, or into the cell's text when `cell` is set. */
  findings: Finding[];
  /** Facts for every dependency declared in the document (hover reads them). */
  dependencies: DependencyFacts[];
  /** Code analysis details (model ids for hovers). */
  code?: CodeAnalysis;
  /** File-level problems (unreadable, malformed, bad lines), each with its range. */
  problems: ParseProblem[];
  /** Notebook cell of each problem, when the document is a notebook. */
  problemCells?: (number | undefined)[];
  /** A notebook's cell texts (index = cell), which finding ranges are relative to. */
  cellTexts?: string[];
  freshness?: Freshness;
}

export interface BatchResult {
  documents: DocumentAnalysis[];
  /** Source errors (network down, rate limited, ...), deduplicated. */
  errors: string[];
  freshness?: Freshness;
}

export interface AnalyzeOptions {
  /** Documents that are not reported but join in: the workspace's manifests and lockfiles. */
  context?: EngineDocument[];
  signal?: AbortSignal;
  /** Reads an included file (`-r`/`-c`); undefined when missing. */
  readFile?: (absPath: string) => Promise<string | undefined>;
  metadataForAll?: boolean;
  /** Ask the Hub for commit shas of unpinned model ids (revision-pin fix). */
  fetchModelShas?: boolean;
  settingsFor?: (doc: EngineDocument) => Settings;
}

interface ParsedDoc {
  doc: EngineDocument;
  manifest?: ManifestParseResult;
  /** Dependencies declared by notebook install lines, with their cell. */
  notebookDeps?: Dependency[];
  notebookProblems?: { cell?: number; problem: ParseProblem }[];
  cells?: { text: string; kind: 'code' | 'markdown' | 'raw' }[];
  lines: LineIndex;
  pins?: { key: string; name: string; version: string; locked: boolean; location: RelatedLocation }[];
  graph?: LockGraph;
  tooLarge?: ParseProblem;
}

const MAX_TEXT = 5_000_000;

interface TransitiveSet {
  lock: ParsedDoc;
  graph: LockGraph;
  direct: Set<string>;
  /** Locked packages the manifest does not declare. */
  deps: Dependency[];
}

const TRANSITIVE_RULES = new Set(['vulnerable-dependency', 'malicious-package']);

/** Findings on transitive packages, reported on each direct dependency that pulls them in. */
function transitiveFindings(t: TransitiveSet, directDeps: Dependency[], factsByDep: Map<Dependency, DependencyFacts>): Finding[] {
  const out: Finding[] = [];
  const lockName = path.basename(t.lock.doc.path ?? t.lock.doc.uri);
  for (const d of t.deps) {
    const facts = factsByDep.get(d);
    if (!facts || facts.advisories.length === 0) continue;
    for (const rule of DEPENDENCY_RULES) {
      if (!TRANSITIVE_RULES.has(rule.id)) continue;
      const safe = chooseSafeVersions({ ecosystem: d.ecosystem, name: d.name, current: d.pinned, releases: facts.candidates, advisories: facts.advisories }).nearest;
      for (const f of rule.check(facts)) {
        const via = directDependentsOf(t.graph, d.name, t.direct);
        for (const name of via) {
          for (const direct of directDeps.filter((x) => x.name === name)) {
            const chain = dependencyChain(t.graph, name, d.name)?.join(' → ') ?? `${name} → ${d.name}`;
            out.push({
              rule: f.rule,
              severity: f.severity,
              range: direct.nameRange,
              message: `${direct.rawName} pulls in ${d.rawName} ${d.pinned} (${chain}, locked in ${lockName}): ${f.message.replace(/ (Upgrade to|No safe version) .*$/, '')} Upgrade ${direct.rawName} or constrain ${d.rawName}${safe ? ` (>=${safe})` : ''}.`,
              package: f.package,
              ...(f.advisories ? { advisories: f.advisories } : {}),
              related: [{ uri: t.lock.doc.uri, range: t.lock.lines.range(d.nameRange), message: `${d.rawName} ${d.pinned} in ${lockName}` }],
              fixes: [],
              ...(direct.cell !== undefined ? { cell: direct.cell } : {}),
            });
          }
        }
      }
    }
  }
  return out;
}

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2, hint: 3 } as const;

export class Engine {
  private readonly parseCache = new Map<string, { text: string; parsed: ParsedDoc }>();
  private readonly pyCache = new PythonParseCache();

  constructor(
    private readonly sources: Sources,
    private readonly settings: Settings,
  ) {}

  /** Forget a closed document's parse. */
  forget(uri: string): void {
    this.parseCache.delete(uri);
    this.pyCache.delete(uri);
    this.pyCache.deletePrefix(`${uri}#cell`);
  }

  private parse(doc: EngineDocument): ParsedDoc {
    const hit = this.parseCache.get(doc.uri);
    if (hit && hit.text === doc.text && !doc.cells) return hit.parsed;
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
    if (!doc.cells) this.parseCache.set(doc.uri, { text: doc.text, parsed });
    return parsed;
  }

  private transitiveFor(p: ParsedDoc, all: ParsedDoc[]): TransitiveSet | undefined {
    if (!p.manifest || !['requirements', 'pyproject', 'pipfile', 'setup.cfg', 'environment.yml', 'package.json'].includes(p.doc.kind)) return undefined;
    const dir = path.dirname(p.doc.path ?? p.doc.uri);
    // package.json pairs with an npm lock only, a Python manifest with a Python lock only.
    const npm = p.doc.kind === 'package.json';
    const lock = all.find((x) => (LOCK_GRAPH_KINDS as readonly string[]).includes(x.doc.kind) && (NPM_LOCK_GRAPH_KINDS as readonly string[]).includes(x.doc.kind) === npm && path.dirname(x.doc.path ?? x.doc.uri) === dir);
    if (!lock?.manifest) return undefined;
    lock.graph ??= parseLockGraph(lock.doc.kind, lock.doc.text);
    const direct = new Set(p.manifest!.dependencies.map((d) => d.name));
    const deps = lock.manifest.dependencies.filter((d) => d.pinned && !direct.has(d.name) && lock.graph!.packages.has(d.name));
    return { lock, graph: lock.graph, direct, deps };
  }

  /** Exact pins and locked versions a manifest contributes to the workspace (computed once per parse). */
  private pinsOf(p: ParsedDoc): NonNullable<ParsedDoc['pins']> {
    if (p.pins) return p.pins;
    const base = path.basename(p.doc.path ?? p.doc.uri);
    p.pins = (p.manifest?.dependencies ?? [])
      .filter((d) => d.pinned)
      .map((d) => ({
        key: `${d.ecosystem}:${d.name}`,
        name: d.name,
        version: d.pinned!,
        locked: d.editStyle === 'none',
        location: { uri: p.doc.uri, range: p.lines.range(d.nameRange), message: `${d.rawName} ${d.pinned} (${base})` },
      }));
    return p.pins;
  }

  async analyze(docs: EngineDocument[], opts: AnalyzeOptions = {}): Promise<BatchResult> {
    const parsed = docs.map((d) => this.parse(d));
    const context = (opts.context ?? []).filter((c) => !docs.some((d) => d.uri === c.uri)).map((d) => this.parse(d));
    const all = [...parsed, ...context];

    // Includes: constraints pin versions for the including file; problems go on the include line.
    const includeProblems = new Map<ParsedDoc, ParseProblem[]>();
    const constraintPins = new Map<ParsedDoc, Map<string, LockedVersion>>();
    if (opts.readFile) {
      await Promise.all(
        parsed.map(async (p) => {
          if (p.doc.kind !== 'requirements' || !p.doc.path || !p.manifest?.includes.length) return;
          const res = await resolveIncludes(p.doc.path, async (abs) => (abs === p.doc.path ? p.doc.text : opts.readFile!(abs)));
          includeProblems.set(p, res.problems.filter((x) => x.file === p.doc.path).map((x) => x.problem));
          const pins = new Map<string, LockedVersion>();
          for (const f of res.files) {
            if (f.via !== 'constraint') continue;
            for (const d of f.result.dependencies) if (d.pinned) pins.set(`${d.ecosystem}:${d.name}`, { version: d.pinned });
          }
          constraintPins.set(p, pins);
        }),
      );
    }

    // Workspace facts: lockfile versions (for ranges) and installed versions (for the code join).
    const locked = new Map<string, LockedVersion>();
    const installed = new Map<string, InstalledVersion>();
    for (const p of all) {
      for (const pin of this.pinsOf(p)) {
        // Only Python packages join with Python code (npm has its own `yaml`, `keras`, ...).
        const python = pin.key.startsWith('PyPI:');
        if (pin.locked) {
          locked.set(pin.key, { version: pin.version, location: pin.location });
          if (python) installed.set(pin.name, { version: pin.version, location: pin.location });
        } else if (python && (!installed.has(pin.name) || !isLockKind(installed.get(pin.name)!.location?.uri))) {
          installed.set(pin.name, { version: pin.version, location: pin.location });
        }
      }
    }

    // Enrich every dependency of the reported documents in one batch.
    const declared: { p: ParsedDoc; deps: Dependency[]; hidden?: boolean }[] = parsed.map((p) => ({
      p,
      deps: [...(p.manifest?.dependencies ?? []), ...(p.notebookDeps ?? [])],
    }));
    // Lockfiles beside a manifest: their packages that the manifest does not declare are
    // transitive; a finding on one is also reported on the direct dependency that pulls it in.
    const transitive = new Map<ParsedDoc, TransitiveSet>();
    for (const { p } of declared) {
      const t = this.transitiveFor(p, all);
      if (!t) continue;
      transitive.set(p, t);
      if (!declared.some((x) => x.p === t.lock) && t.deps.length) declared.push({ p: t.lock, deps: t.deps, hidden: true });
    }
    const allDeps = declared.flatMap((x) => x.deps);
    const perDocLocked = (p: ParsedDoc) => {
      const extra = constraintPins.get(p);
      if (!extra?.size) return locked;
      const m = new Map(locked);
      for (const [k, v] of extra) if (!m.has(k)) m.set(k, v);
      return m;
    };
    // Constraint pins differ per document; enrich documents that have them separately.
    const special = declared.filter((x) => constraintPins.get(x.p)?.size);
    const common = declared.filter((x) => !constraintPins.get(x.p)?.size);
    const errors: string[] = [];
    let freshness: Freshness | undefined;
    const factsByDep = new Map<Dependency, DependencyFacts>();
    const runEnrich = async (group: typeof declared, lockMap: Map<string, LockedVersion>) => {
      const deps = group.flatMap((x) => x.deps);
      if (deps.length === 0) return;
      const res = await enrichDependencies(deps, {
        advisories: this.sources.advisories,
        registries: this.sources.registries,
        locked: lockMap,
        metadataForAll: opts.metadataForAll,
        signal: opts.signal,
      });
      errors.push(...res.errors);
      if (res.freshness) freshness = !freshness ? res.freshness : { fetchedAt: Math.min(freshness.fetchedAt, res.freshness.fetchedAt), stale: freshness.stale || res.freshness.stale, origin: freshness.origin };
      res.facts.forEach((f) => factsByDep.set(f.dep, f));
    };
    if (allDeps.length) {
      await runEnrich(common, locked);
      for (const s of special) await runEnrich([s], perDocLocked(s.p));
    }
    opts.signal?.throwIfAborted();

    const out: DocumentAnalysis[] = [];
    for (const { p, deps, hidden } of declared) {
      if (hidden) continue;
      const settings = opts.settingsFor?.(p.doc) ?? this.settings;
      const indexUrls = p.manifest?.indexUrls ?? [];
      const facts = deps
        .map((d) => factsByDep.get(d))
        .filter((f): f is DependencyFacts => !!f)
        .map((f) => (indexUrls.length ? { ...f, indexUrls } : f));
      let findings: Finding[] = [];
      if (settings.enable) {
        for (const f of facts) for (const rule of DEPENDENCY_RULES) findings.push(...rule.check(f));
        const t = transitive.get(p);
        if (t) findings.push(...transitiveFindings(t, p.manifest?.dependencies ?? [], factsByDep));
        // `# aidr: ignore` on manifest and install lines; the Python analysis applies it to code.
        findings = findings.filter((f) => !isSuppressed(p, f));
      }
      const problems: ParseProblem[] = [...(p.tooLarge ? [p.tooLarge] : []), ...(p.manifest?.problems ?? []), ...(includeProblems.get(p) ?? [])];
      const problemCells: (number | undefined)[] = problems.map(() => undefined);
      for (const np of p.notebookProblems ?? []) {
        problems.push(np.problem);
        problemCells.push(np.cell);
      }

      let code: CodeAnalysis | undefined;
      if (settings.enable && !p.tooLarge && (p.doc.kind === 'python' || p.doc.kind === 'notebook')) {
        // The notebook's own pinned installs win over the workspace's versions.
        const mine = new Map(installed);
        for (const d of p.notebookDeps ?? []) {
          if (d.pinned) mine.set(d.name, { version: d.pinned, location: { uri: p.doc.uri, range: new LineIndex(p.cells?.[d.cell ?? 0]?.text ?? '').range(d.nameRange), message: `%pip install ${d.rawName}==${d.pinned} (cell ${(d.cell ?? 0) + 1})` } });
        }
        try {
          code = await analyzeCode(p.doc, p.cells, mine, {
            cache: p.doc.version !== undefined ? this.pyCache : undefined,
            models: this.sources.models,
            fetchModelShas: opts.fetchModelShas ?? false,
            signal: opts.signal,
          });
        } catch (e) {
          opts.signal?.throwIfAborted();
          // The Python parser is unavailable (missing wasm, or lost after a failure): this file is
          // not analysed, the others still are.
          problems.push({ message: e instanceof Error ? e.message : String(e), range: { start: 0, end: 0 }, severity: 'error' });
          problemCells.push(undefined);
        }
        if (code) {
          findings.push(...code.findings);
          for (const pp of code.parseProblems) {
            problems.push(pp.problem);
            problemCells.push(pp.cell);
          }
        }
      }

      findings = this.applySettings(findings, settings);
      findings.sort((a, b) => (a.cell ?? 0) - (b.cell ?? 0) || a.range.start - b.range.start || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
      out.push({ uri: p.doc.uri, kind: p.doc.kind, findings, dependencies: facts, code, problems, problemCells, ...(p.cells ? { cellTexts: p.cells.map((c) => c.text) } : {}), freshness });
    }
    return { documents: out, errors: [...new Set(errors)], freshness };
  }

  private applySettings(findings: Finding[], settings: Settings): Finding[] {
    const res: Finding[] = [];
    for (const f of findings) {
      if (settings.disabledRules.includes(f.rule)) continue;
      const o = settings.severityOverrides[f.rule];
      if (o === 'off') continue;
      res.push(o ? { ...f, severity: o } : f);
    }
    return res;
  }
}

/** A dependency finding silenced by a comment on its line (in its cell, for a notebook). */
function isSuppressed(p: ParsedDoc, f: Finding): boolean {
  if (f.cell !== undefined && p.cells) return applySuppressions(p.cells[f.cell]?.text ?? '', [f]).length === 0;
  return applySuppressions(p.doc.text, [f], p.lines).length === 0;
}

function isLockKind(uri: string | undefined): boolean {
  return !!uri && /(uv\.lock|poetry\.lock|Pipfile\.lock)$/i.test(uri);
}

function notebookCells(doc: EngineDocument): { cells: { text: string; kind: 'code' | 'markdown' | 'raw' }[]; problems: ParseProblem[] } {
  if (doc.cells) return { cells: doc.cells.map((c) => ({ text: c.text, kind: c.kind ?? 'code' })), problems: [] };
  return parseNotebookCells(doc.text);
}

function parseNotebookCells(text: string): { cells: { text: string; kind: 'code' | 'markdown' | 'raw' }[]; problems: ParseProblem[] } {
  const nb = parseNotebook(text);
  return { cells: nb.cells.map((c) => ({ text: c.source, kind: c.kind })), problems: nb.problems };
}
