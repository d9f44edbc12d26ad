// The facade both the language server and the CLI call: analyse a batch of documents against
// the workspace's manifests. Parse (cached), map each document to its environment (project),
// gather facts, enrich them in one batch, run rules, apply settings and suppressions, then the
// nearest project policy (engine/policy.ts). Rules never do I/O; everything external comes
// through `sources`.
import path from 'node:path';
import type { DependencyFacts } from '../rules/dependency/facts';
import { DEPENDENCY_RULES } from '../rules/dependency';
import { PythonParseCache } from '../python/parser';
import { resolveIncludes } from '../manifests/includes';
import { LOCK_GRAPH_KINDS, parseLockGraph } from '../manifests/lockGraph';
import type { Settings } from '../settings';
import type { AdvisoryProvider, Ecosystem, Freshness, ModelProvider, RegistryProvider } from '../domain';
import type { EngineDocument, ManifestKind } from './documents';
import { isManifestKind } from './documents';
import { enrichDependencies, type LockedVersion } from './enrich';
import { EnvironmentIndex, manifestEcosystem, type Environment } from './environments';
import { LineIndex } from './lineIndex';
import type { ModelFiles } from './modelFiles';
import { joinModelFiles, type ResolvedModelFile } from './modelJoin';
import { PolicyStore } from './policy';
import { analyzeCode, type CodeAnalysis } from './code';
import { forgetChunks } from './chunkReuse';
import { environmentFacts, lockedFor, type EnvironmentFacts, type IncludedPin } from './environmentFacts';
import { parseDocument, type ParsedDoc } from './parsed';
import { timeSlicer } from './slice';
import { applySuppressions } from './suppression';
import { transitiveFindings, transitiveSet, type TransitiveSet } from './transitive';
import type { Dependency, Finding, ParseProblem } from '../domain';

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
  /** Loading calls whose literal path resolved to a scanned model file (hovers). */
  modelFiles?: ResolvedModelFile[];
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
  /** Ask the Hub about the models the code loads: its scan verdicts, weight formats, and commit
   * shas for the revision-pin fix. */
  fetchModelShas?: boolean;
  /** How long code analysis waits for the Hub (the editor keeps it short; the CLI waits). */
  hubTimeoutMs?: number;
  settingsFor?: (doc: EngineDocument) => Settings;
  /** Workspace roots: a file's environment (and its policy) is searched no higher than its root. */
  roots?: readonly string[];
  /** Scans of model files, for loading calls whose literal path resolves to one. */
  modelFiles?: ModelFiles;
  /** The clock for policy release ages and ignore expiry (default Date.now). */
  now?: () => number;
}

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2, hint: 3 } as const;

export class Engine {
  private readonly parseCache = new Map<string, { text: string; parsed: ParsedDoc }>();
  private readonly pyCache = new PythonParseCache();
  private readonly policyStore = new PolicyStore();

  constructor(
    private readonly sources: Sources,
    private readonly settings: Settings,
  ) {}

  /** Forget a closed document's parse. */
  forget(uri: string): void {
    this.parseCache.delete(uri);
    this.pyCache.delete(uri);
    this.pyCache.deletePrefix(`${uri}#cell`);
    forgetChunks(uri, `${uri}#cell`);
  }

  private parse(doc: EngineDocument): ParsedDoc {
    const hit = this.parseCache.get(doc.uri);
    if (hit && hit.text === doc.text && !doc.cells) return hit.parsed;
    const parsed = parseDocument(doc);
    if (!doc.cells && !parsed.tooLarge) this.parseCache.set(doc.uri, { text: doc.text, parsed });
    return parsed;
  }

  /** What a manifest, lockfile or notebook declares, read through the parse cache with no look-ups
   * (inventories of files that were not analysed). */
  declaredDependencies(doc: EngineDocument): Dependency[] {
    const p = this.parse(doc);
    return [...(p.manifest?.dependencies ?? []), ...(p.notebookDeps ?? [])];
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
    const policies = this.policyStore.update(all.map((p) => p.doc), opts.roots ?? []);
    const now = (opts.now ?? Date.now)();
    const envOf = (p: ParsedDoc): Environment | undefined => {
      if (!p.doc.path) return undefined;
      return isManifestKind(p.doc.kind) ? envs.environmentOfManifest(p.doc.path, p.doc.kind) : envs.environmentOf(p.doc.path);
    };

    // Includes: problems go on the include line; a constraint file's pins fix versions for the
    // including file; every included file's pins join its environment's installed versions.
    const includeProblems = new Map<ParsedDoc, ParseProblem[]>();
    const constraintPins = new Map<ParsedDoc, Map<string, LockedVersion>>();
    const includedPins = new Map<ParsedDoc, IncludedPin[]>();
    const envCache = new Map<string, EnvironmentFacts>();
    const factsOf = (env: Environment) => {
      let f = envCache.get(env.root);
      if (!f) envCache.set(env.root, (f = environmentFacts(env, byPath, includedPins)));
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
          const joined: IncludedPin[] = [];
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
    const lockedByDep = new Map<Dependency, (d: Dependency) => LockedVersion | undefined>();
    const hiddenDeps = new Set<Dependency>();
    for (const { p, deps } of [...declared]) {
      const env = envOf(p);
      const facts = env ? factsOf(env) : undefined;
      const own = constraintPins.get(p);
      const lookup = (d: Dependency) => {
        const key = `${d.ecosystem}:${d.name}`;
        return lockedFor(facts?.locked.get(key), d) ?? own?.get(key);
      };
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
        lockedFor: (d) => lockedByDep.get(d)?.(d),
        metadataForAll: opts.metadataForAll || policies.needsMetadata,
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
      let resolvedModels: ResolvedModelFile[] | undefined;
      if (settings.enable && !p.tooLarge && (p.doc.kind === 'python' || p.doc.kind === 'notebook')) {
        // The notebook's own pinned installs win over its environment's versions.
        const mine = new Map(env ? factsOf(env).installed : undefined);
        for (const d of p.notebookDeps ?? []) {
          // The install line's cell document, when the editor gave cell uris (relatedInformation).
          if (d.pinned) mine.set(d.name, { version: d.pinned, location: { uri: p.doc.cells?.[d.cell ?? 0]?.uri ?? p.doc.uri, range: new LineIndex(p.cells?.[d.cell ?? 0]?.text ?? '').range(d.nameRange), message: `%pip install ${d.rawName}==${d.pinned} (cell ${(d.cell ?? 0) + 1})` } });
        }
        try {
          code = await analyzeCode(p.doc, p.cells, mine, {
            cache: p.doc.version !== undefined ? this.pyCache : undefined,
            models: this.sources.models,
            fetchModelShas: opts.fetchModelShas ?? false,
            ...(opts.hubTimeoutMs !== undefined ? { modelShaTimeoutMs: opts.hubTimeoutMs } : {}),
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
        // Loading calls whose literal path resolves to a model file get that file's scan.
        if (code && opts.modelFiles && p.doc.path) {
          const locals = code.modelRefs.filter((r): r is Extract<typeof r, { kind: 'local' }> => r.kind === 'local');
          if (locals.length) {
            const joined = await joinModelFiles(locals, {
              file: p.doc.path,
              projectRoot: env?.root,
              roots: opts.roots ?? [path.dirname(p.doc.path)],
              files: opts.modelFiles,
              uriStyle: p.doc.uri.startsWith('file:') ? 'file-uri' : 'path',
            });
            findings.push(...(p.cells ? joined.findings.filter((f) => !isSuppressed(p, f)) : applySuppressions(p.doc.text, joined.findings, p.lines)));
            if (joined.resolved.length) resolvedModels = joined.resolved;
          }
        }
      }

      // The policy adds its findings before the user's settings, and its levels and ignores after.
      const policy = policies.forDocument(p.doc, { now, silencingAllowed: settings.workspaceTrusted, models: this.sources.models, signal: opts.signal });
      if (settings.enable) {
        const added = await policy.findings(facts, code, findings);
        findings.push(...(p.cells ? added.filter((f) => !isSuppressed(p, f)) : applySuppressions(p.doc.text, added, p.lines)));
      }
      findings = policy.apply(applySettings(findings, settings), (cell) => (cell !== undefined ? p.cells?.[cell]?.text ?? '' : p.doc.text));
      for (const problem of policy.problems) (problems.push(problem), problemCells.push(undefined));
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
        ...(resolvedModels ? { modelFiles: resolvedModels } : {}),
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
