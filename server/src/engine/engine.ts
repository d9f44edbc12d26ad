// The facade both the language server and the CLI call: analyse a batch of documents against
// the workspace's manifests. Parse (cached), map each document to its environment (project),
// gather facts, enrich them in one batch, run rules, apply settings and suppressions. Rules never
// do I/O; everything external comes through `sources`.
import path from 'node:path';
import type { DependencyFacts } from '../rules/dependency/facts';
import { DEPENDENCY_RULES } from '../rules/dependency';
import { parseManifest } from '../manifests';
import { parsePipInstallCommands } from '../manifests/pipInstall';
import { parseNotebook } from '../python/notebook';
import { PythonParseCache } from '../python/parser';
import { resolveIncludes } from '../manifests/includes';
import { LOCK_GRAPH_KINDS, parseLockGraph, type LockGraph } from '../manifests/lockGraph';
import type { Settings } from '../settings';
import type { AdvisoryProvider, Ecosystem, Freshness, ModelProvider, RegistryProvider } from '../domain';
import type { EngineDocument, ManifestKind } from './documents';
import { isManifestKind } from './documents';
import { enrichDependencies, type LockedVersion } from './enrich';
import { EnvironmentIndex, manifestEcosystem, type Environment } from './environments';
import { LineIndex } from './lineIndex';
import type { ModelFiles } from './modelFiles';
import { analyzeCode, type CodeAnalysis, type InstalledVersion } from './code';
import { timeSlicer } from './slice';
import { applySuppressions } from './suppression';
import { transitiveFindings, transitiveSet, type TransitiveSet } from './transitive';
import type { Dependency, Finding, ManifestParseResult, ParseProblem, RelatedLocation } from '../domain';

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
  /** The project the document belongs to (the versions its code is joined with). */
  environment?: Environment;
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
  /** Workspace roots: a file's environment is searched no higher than its root. */
  roots?: readonly string[];
  /** Scans of model files, for loading calls whose literal path resolves to one. */
  modelFiles?: ModelFiles;
}

interface EnvironmentFacts {
  /** Lockfile versions by `${ecosystem}:${name}`: what a range in the project's manifests resolves to. */
  locked: Map<string, LockedVersion>;
  /** PyPI versions by normalised name: what the project's Python code runs with. */
  installed: Map<string, InstalledVersion>;
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

  /** What a manifest, lockfile or notebook declares, read through the parse cache with no look-ups
   * (inventories of files that were not analysed). */
  declaredDependencies(doc: EngineDocument): Dependency[] {
    const p = this.parse(doc);
    return [...(p.manifest?.dependencies ?? []), ...(p.notebookDeps ?? [])];
  }

  /** Exact pins and locked versions a manifest contributes to its environment (once per parse). */
  private pinsOf(p: ParsedDoc): NonNullable<ParsedDoc['pins']> {
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

  /** The environment index for this set of manifests, rebuilt only when one of them changed. */
  private environmentsFor(all: ParsedDoc[], roots: readonly string[]): EnvironmentIndex {
    const manifests = all.filter((p) => p.doc.path && p.manifest && isManifestKind(p.doc.kind));
    const last = this.lastEnvironments;
    if (last && last.roots.join('\0') === roots.join('\0') && last.docs.length === manifests.length && last.docs.every((d, i) => d === manifests[i])) return last.index;
    const index = new EnvironmentIndex(
      manifests.map((p) => ({ path: p.doc.path!, kind: p.doc.kind as ManifestKind, text: p.doc.text })),
      roots,
    );
    this.lastEnvironments = { docs: manifests, roots: [...roots], index };
    return index;
  }

  private lastEnvironments: { docs: ParsedDoc[]; roots: string[]; index: EnvironmentIndex } | undefined;

  async analyze(docs: EngineDocument[], opts: AnalyzeOptions = {}): Promise<BatchResult> {
    // Parsing hundreds of manifests on a first run takes a while: yield between documents so the
    // server keeps answering others.
    const slice = timeSlicer(10, opts.signal);
    const parsed: ParsedDoc[] = [];
    for (const d of docs) {
      parsed.push(this.parse(d));
      await slice();
    }
    const reported = new Set(docs.map((d) => d.uri));
    const context: ParsedDoc[] = [];
    for (const d of opts.context ?? []) {
      if (reported.has(d.uri)) continue;
      context.push(this.parse(d));
      await slice();
    }
    const all = [...parsed, ...context];
    const byPath = new Map<string, ParsedDoc>();
    for (const p of all) if (p.doc.path) byPath.set(path.resolve(p.doc.path), p);
    const envs = this.environmentsFor(all, opts.roots ?? []);
    const envOf = (p: ParsedDoc): Environment | undefined => {
      if (!p.doc.path) return undefined;
      return isManifestKind(p.doc.kind) ? envs.environmentOfManifest(p.doc.path, p.doc.kind) : envs.environmentOf(p.doc.path);
    };

    // Includes: problems go on the include line; a constraint file's pins fix versions for the
    // including file; every included file's pins join its environment's installed versions.
    const includeProblems = new Map<ParsedDoc, ParseProblem[]>();
    const constraintPins = new Map<ParsedDoc, Map<string, LockedVersion>>();
    const includedPins = new Map<ParsedDoc, { key: string; name: string; version: string; location: RelatedLocation }[]>();
    const envCache = new Map<string, EnvironmentFacts>();
    const factsOf = (env: Environment) => {
      let f = envCache.get(env.root);
      if (!f) envCache.set(env.root, (f = this.environmentFacts(env, byPath, includedPins)));
      return f;
    };
    if (opts.readFile) {
      // The reported requirements files, and the requirements manifests of the environments of
      // reported code (their `-r`/`-c` files decide installed versions too).
      const targets = new Set<ParsedDoc>(parsed.filter((p) => p.doc.kind === 'requirements'));
      for (const p of parsed) {
        if (p.doc.kind !== 'python' && p.doc.kind !== 'notebook') continue;
        for (const m of envOf(p)?.manifests ?? []) {
          const q = byPath.get(m);
          if (q?.doc.kind === 'requirements') targets.add(q);
        }
      }
      await Promise.all(
        [...targets].map(async (p) => {
          if (!p.doc.path || !p.manifest?.includes.length) return;
          const res = await resolveIncludes(p.doc.path, async (abs) => (abs === p.doc.path ? p.doc.text : opts.readFile!(abs)));
          includeProblems.set(p, res.problems.filter((x) => x.file === p.doc.path).map((x) => x.problem));
          const pins = new Map<string, LockedVersion>();
          const joined: { key: string; name: string; version: string; location: RelatedLocation }[] = [];
          for (const f of res.files) {
            if (f.path === p.doc.path) continue;
            const lines = new LineIndex(byPath.get(path.resolve(f.path))?.doc.text ?? '');
            for (const d of f.result.dependencies) {
              if (!d.pinned || d.url) continue;
              const key = `${d.ecosystem}:${d.name}`;
              const location = { uri: byPath.get(path.resolve(f.path))?.doc.uri ?? f.path, range: lines.range(d.nameRange), message: `${d.rawName} ${d.pinned} (${path.basename(f.path)})` };
              if (f.via === 'constraint' && !pins.has(key)) pins.set(key, { version: d.pinned, location });
              joined.push({ key, name: d.name, version: d.pinned, location });
            }
          }
          constraintPins.set(p, pins);
          includedPins.set(p, joined);
        }),
      );
    }

    // Enrich every dependency of the reported documents in one batch. Lockfiles of a manifest's
    // environment give its transitive packages: a finding on one is also reported on the direct
    // dependency that pulls it in.
    const declared: { p: ParsedDoc; deps: Dependency[]; hidden?: boolean }[] = parsed.map((p) => ({
      p,
      deps: [...(p.manifest?.dependencies ?? []), ...(p.notebookDeps ?? [])],
    }));
    const transitive = new Map<ParsedDoc, TransitiveSet>();
    const lockedByDep = new Map<Dependency, (key: string) => LockedVersion | undefined>();
    const hiddenDeps = new Set<Dependency>();
    for (const { p, deps } of [...declared]) {
      const env = envOf(p);
      const facts = env ? factsOf(env) : undefined;
      const own = constraintPins.get(p);
      const lookup = (key: string) => facts?.locked.get(key) ?? own?.get(key);
      for (const d of deps) lockedByDep.set(d, lookup);
      const t = env && p.manifest ? this.transitiveFor(p, env, byPath) : undefined;
      if (!t) continue;
      transitive.set(p, t);
      // Lock packages are pinned: enrich each once, however many manifests share the lock.
      const fresh = t.deps.filter((d) => !hiddenDeps.has(d));
      for (const d of fresh) hiddenDeps.add(d);
      if (fresh.length) declared.push({ p: byPath.get(path.resolve(t.lock.path!))!, deps: fresh, hidden: true });
    }
    const allDeps = declared.flatMap((x) => x.deps);
    const errors: string[] = [];
    let freshness: Freshness | undefined;
    const factsByDep = new Map<Dependency, DependencyFacts>();
    if (allDeps.length) {
      const res = await enrichDependencies(allDeps, {
        advisories: this.sources.advisories,
        registries: this.sources.registries,
        lockedFor: (d) => lockedByDep.get(d)?.(`${d.ecosystem}:${d.name}`),
        metadataForAll: opts.metadataForAll,
        signal: opts.signal,
      });
      errors.push(...res.errors);
      freshness = res.freshness;
      res.facts.forEach((f) => factsByDep.set(f.dep, f));
    }
    opts.signal?.throwIfAborted();

    const out: DocumentAnalysis[] = [];
    for (const { p, deps, hidden } of declared) {
      if (hidden) continue;
      await slice();
      const settings = opts.settingsFor?.(p.doc) ?? this.settings;
      const env = envOf(p);
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
        // The notebook's own pinned installs win over its environment's versions.
        const mine = new Map(env ? factsOf(env).installed : undefined);
        for (const d of p.notebookDeps ?? []) {
          // The install line's cell document, when the editor gave cell uris (relatedInformation).
          if (d.pinned) mine.set(d.name, { version: d.pinned, location: { uri: p.doc.cells?.[d.cell ?? 0]?.uri ?? p.doc.uri, range: new LineIndex(p.cells?.[d.cell ?? 0]?.text ?? '').range(d.nameRange), message: `%pip install ${d.rawName}==${d.pinned} (cell ${(d.cell ?? 0) + 1})` } });
        }
        code = await analyzeCode(p.doc, p.cells, mine, {
          cache: p.doc.version !== undefined ? this.pyCache : undefined,
          models: this.sources.models,
          fetchModelShas: opts.fetchModelShas ?? false,
          signal: opts.signal,
        });
        findings.push(...code.findings);
      }

      findings = applySettings(findings, settings);
      findings.sort((a, b) => (a.cell ?? 0) - (b.cell ?? 0) || a.range.start - b.range.start || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
      out.push({
        uri: p.doc.uri,
        kind: p.doc.kind,
        findings,
        dependencies: facts,
        code,
        problems,
        problemCells,
        ...(p.cells ? { cellTexts: p.cells.map((c) => c.text) } : {}),
        ...(env ? { environment: env } : {}),
        freshness,
      });
    }
    return { documents: out, errors: [...new Set(errors)], freshness };
  }

  /** The lockfile of a manifest's environment (same ecosystem) and its transitive packages. */
  private transitiveFor(p: ParsedDoc, env: Environment, byPath: Map<string, ParsedDoc>): TransitiveSet | undefined {
    if (!p.manifest || !['requirements', 'pyproject', 'pipfile', 'setup.cfg', 'environment.yml', 'package.json'].includes(p.doc.kind)) return undefined;
    const eco = manifestEcosystem(p.doc.kind);
    if (!eco) return undefined;
    for (const lockPath of env.locks[eco]) {
      const lock = byPath.get(lockPath);
      if (!lock?.manifest || !(LOCK_GRAPH_KINDS as readonly string[]).includes(lock.doc.kind)) continue;
      lock.graph ??= parseLockGraph(lock.doc.kind, lock.doc.text);
      return transitiveSet({ uri: lock.doc.uri, path: lock.doc.path, manifest: lock.manifest, lines: lock.lines }, lock.graph, p.manifest.dependencies);
    }
    return undefined;
  }

  /** Versions an environment fixes: locked (for manifest ranges) and installed (for the code join):
   * its lockfiles first, then its manifests' exact pins and the pins of their `-r`/`-c` files. */
  private environmentFacts(env: Environment, byPath: Map<string, ParsedDoc>, includedPins: Map<ParsedDoc, { key: string; name: string; version: string; location: RelatedLocation }[]>): EnvironmentFacts {
    const locked = new Map<string, LockedVersion>();
    const installed = new Map<string, InstalledVersion>();
    for (const eco of ['PyPI', 'npm'] as const) {
      for (const lockPath of env.locks[eco]) {
        const lock = byPath.get(lockPath);
        if (!lock) continue;
        for (const pin of this.pinsOf(lock)) {
          if (!locked.has(pin.key)) locked.set(pin.key, { version: pin.version, location: pin.location });
          // Only Python packages join with Python code (npm has its own `yaml`, `keras`, ...).
          if (eco === 'PyPI' && !installed.has(pin.name)) installed.set(pin.name, { version: pin.version, location: pin.location });
        }
      }
    }
    for (const m of env.manifests) {
      const p = byPath.get(m);
      if (!p || manifestEcosystem(p.doc.kind) !== 'PyPI') continue;
      for (const pin of [...this.pinsOf(p), ...(includedPins.get(p) ?? [])]) {
        if (pin.key.startsWith('PyPI:') && !installed.has(pin.name)) installed.set(pin.name, { version: pin.version, location: pin.location });
      }
    }
    return { locked, installed };
  }

}

/** Disabled rules and severity overrides from the settings. */
export function applySettings(findings: Finding[], settings: Settings): Finding[] {
  const res: Finding[] = [];
  for (const f of findings) {
    if (settings.disabledRules.includes(f.rule)) continue;
    const o = settings.severityOverrides[f.rule];
    if (o === 'off') continue;
    res.push(o ? { ...f, severity: o } : f);
  }
  return res;
}

/** A dependency finding silenced by a comment on its line (in its cell, for a notebook). */
function isSuppressed(p: ParsedDoc, f: Finding): boolean {
  if (f.cell !== undefined && p.cells) return applySuppressions(p.cells[f.cell]?.text ?? '', [f]).length === 0;
  return applySuppressions(p.doc.text, [f], p.lines).length === 0;
}

function notebookCells(doc: EngineDocument): { cells: { text: string; kind: 'code' | 'markdown' | 'raw' }[]; problems: ParseProblem[] } {
  if (doc.cells) return { cells: doc.cells.map((c) => ({ text: c.text, kind: c.kind ?? 'code' })), problems: [] };
  return parseNotebookCells(doc.text);
}

function parseNotebookCells(text: string): { cells: { text: string; kind: 'code' | 'markdown' | 'raw' }[]; problems: ParseProblem[] } {
  const nb = parseNotebook(text);
  return { cells: nb.cells.map((c) => ({ text: c.source, kind: c.kind })), problems: nb.problems };
}
