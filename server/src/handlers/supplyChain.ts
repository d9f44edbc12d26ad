// aiDependencyRisk/supplyChain: the workspace's projects with their packages and models, from the
// data the server already has — open documents' stored results, the workspace's manifests parsed
// through the engine's parse cache, the background model-file scans, Hub facts from the cache — and,
// when asked to refresh, from one run of the engine over every manifest and code file (the
// workspace scan's batches, cancellable). What a refresh or the watch learns is kept compactly
// (DocFacts) until the next one; open documents always win with their live analysis.
import path from 'node:path';
import type { CancellationToken, Range } from 'vscode-languageserver';
import { redactSecrets } from '../domain/redact';
import type { EngineDocument } from '../engine/documents';
import { isContextKind, isManifestKind } from '../engine/documents';
import type { DocumentAnalysis } from '../engine/engine';
import { LineIndex } from '../engine/lineIndex';
import { candidatePaths, type ModelFiles } from '../engine/modelFiles';
import { PolicyStore } from '../engine/policy';
import type { Policy } from '../domain';
import type { Runtime, RuntimePool } from '../engine/runtime';
import { applySettings } from '../engine/engine';
import { modelFileFindings } from '../rules/model/unsafeModelFile';
import type { SupplyChainParams, SupplyChainResult } from '../protocol';
import { modelKey } from '../sources/huggingface';
import type { AnalysisService, Logger, StoredResult } from './analysis';
import { toUri, uriToPath } from './convert';
import type { WorkspaceEnvironments } from './environment';
import type { SettingsResolver } from './settings';
import { buildSupplyChain, type ModelFileFacts } from './supplyChainBuild';
import { factsFromAnalysis, factsFromDeclared, hubFacts, staticVerdict, type DocFacts, type HubFacts } from './supplyChainFacts';
import { analyzeInBatches, readWorkspaceFiles } from './workspaceAnalysis';

/** Hub ids looked up while answering a request without a refresh, at most, and for how long. */
const QUICK_HUB_IDS = 50;
const QUICK_HUB_TIMEOUT_MS = 2000;

export interface SupplyChainDeps {
  analysis: Pick<AnalysisService, 'results' | 'context' | 'workspaceRoots'>;
  models: { knownFiles(): string[]; readonly files: ModelFiles };
  settings: Pick<SettingsResolver, 'global'>;
  runtimes: Pick<RuntimePool, 'get'>;
  environments: WorkspaceEnvironments;
  log: Logger;
  now?: () => number;
}

export interface HubRef {
  id: string;
  revision?: string;
  /** The first loading call seen. */
  at?: { uri: string; range: Range };
}

export class SupplyChainService {
  /** What the last refresh (and the watch since) learnt, by document URI. */
  private snapshot = new Map<string, DocFacts>();
  private readonly hub = new Map<string, HubFacts>();
  private complete = false;
  private errors: string[] = [];
  private readonly openFacts = new WeakMap<StoredResult, DocFacts>();
  private readonly parsed = new Map<string, { text: string; facts: DocFacts }>();
  private running: { promise: Promise<boolean>; ctrl: AbortController; waiters: number } | undefined;
  private readonly policies = new PolicyStore();

  constructor(private readonly deps: SupplyChainDeps) {}

  async onRequest(params: SupplyChainParams | undefined, token: CancellationToken): Promise<SupplyChainResult> {
    const p = params && typeof params === 'object' ? params : {};
    let cancelled = false;
    if (p.refresh === true) cancelled = !(await this.refresh(token));
    const ctrl = new AbortController();
    const sub = token.onCancellationRequested(() => ctrl.abort());
    try {
      const res = await this.build({ ...(p.onlyFindings === true ? { onlyFindings: true } : {}), ...(typeof p.maxRows === 'number' ? { maxRows: p.maxRows } : {}) }, ctrl.signal);
      return cancelled ? { ...res, cancelled: true } : res;
    } finally {
      sub.dispose();
    }
  }

  /** Runs (or joins) a refresh; false when it was cancelled or failed. The shared run is aborted
   * only when every caller waiting for it has cancelled. */
  async refresh(token?: CancellationToken): Promise<boolean> {
    if (!this.running) {
      const ctrl = new AbortController();
      const run = { ctrl, waiters: 0, promise: this.runRefresh(ctrl.signal) };
      this.running = run;
      void run.promise.finally(() => {
        if (this.running === run) this.running = undefined;
      });
    }
    const run = this.running;
    run.waiters++;
    let left = false;
    let leave: (v: boolean) => void = () => undefined;
    // A caller that cancels gets its answer at once, whether or not others keep the run going.
    const cancelled = new Promise<boolean>((resolve) => (leave = resolve));
    const sub = token?.onCancellationRequested(() => {
      if (left) return;
      left = true;
      if (--run.waiters === 0) run.ctrl.abort();
      leave(false);
    });
    try {
      return await Promise.race([run.promise, cancelled]);
    } finally {
      sub?.dispose();
      if (!left) run.waiters--;
    }
  }

  private async runRefresh(signal: AbortSignal): Promise<boolean> {
    const started = Date.now();
    try {
      const global = await this.deps.settings.global();
      const rt = await this.deps.runtimes.get(global);
      const roots = this.deps.analysis.workspaceRoots();
      const read = await readWorkspaceFiles(roots, signal);
      const open = new Map(this.deps.analysis.context().map((d) => [d.uri, d]));
      const context = read.docs.filter((d) => isContextKind(d.kind)).map((d) => open.get(d.uri) ?? d);
      const seen = new Set(context.map((d) => d.uri));
      for (const d of open.values()) if (!seen.has(d.uri)) context.push(d);
      const snapshot = new Map<string, DocFacts>();
      const errors = await analyzeInBatches(rt.engine, read.docs, {
        context,
        roots,
        signal,
        skip: (uri) => this.deps.analysis.results.has(uri),
        analyze: { settingsFor: () => global, modelFiles: this.deps.models.files },
        onBatch: (results) => {
          for (const r of results) snapshot.set(r.doc.uri, analysedFacts(r.doc, r.analysis));
        },
      });
      this.snapshot = snapshot;
      this.complete = true;
      this.errors = [...new Set([...read.errors, ...errors, ...(await this.lookupHub(rt, this.hubRefs(), signal))].map(redactSecrets))].slice(0, 20);
      this.deps.log('info', `supply chain: analysed ${snapshot.size} file(s) in ${Date.now() - started} ms`);
      return true;
    } catch (e) {
      if (signal.aborted) return false;
      this.deps.log('warn', `supply chain refresh failed: ${(e as Error).message}`);
      this.errors = [redactSecrets(`refresh failed: ${(e as Error).message}`)];
      return false;
    }
  }

  /** Results of another run over workspace files (the watch): they replace what was known of
   * those files. */
  absorb(results: readonly { doc: EngineDocument; analysis: DocumentAnalysis }[]): void {
    for (const r of results) this.snapshot.set(r.doc.uri, analysedFacts(r.doc, r.analysis));
  }

  /** Hub ids referenced anywhere known (open documents and the snapshot), with a loading call. */
  hubRefs(): HubRef[] {
    const out = new Map<string, HubRef>();
    for (const facts of this.currentDocs().values()) {
      for (const m of facts.models) {
        const key = modelKey(m.name, m.revision);
        if (m.kind !== 'hub' || out.has(key)) continue;
        const [sl, sc, el, ec] = m.range;
        // A notebook's call is in a cell: the notebook opens, at its start.
        const range = m.cell === undefined ? { start: { line: sl, character: sc }, end: { line: el, character: ec } } : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
        out.set(key, { id: m.name, ...(m.revision ? { revision: m.revision } : {}), at: { uri: facts.uri, range } });
      }
    }
    return [...out.values()];
  }

  /** The verdict the Hub gave each model at the last look-up, by `id[@revision]`. */
  hubVerdicts(): ReadonlyMap<string, HubFacts> {
    return this.hub;
  }

  /** Looks the models up on the Hub (cached like any look-up); returns the errors. */
  async lookupHub(rt: Runtime, refs: { id: string; revision?: string }[], signal: AbortSignal): Promise<string[]> {
    const provider = rt.sources.models;
    if (!provider || refs.length === 0) return [];
    const ans = await provider.models(refs, signal, { detail: 'full' });
    for (const r of refs) {
      const key = modelKey(r.id, r.revision);
      const info = ans.models.get(key);
      if (info) this.hub.set(key, hubFacts(info));
      else if (ans.notFound.has(key)) this.hub.set(key, { verdict: 'unknown', detail: 'not found on the Hub (private, gated, mistyped — or a name anyone could register)' });
    }
    return ans.errors;
  }

  /** Snapshot facts overlaid with open documents' live results. */
  private currentDocs(): Map<string, DocFacts> {
    const docs = new Map(this.snapshot);
    for (const [uri, stored] of this.deps.analysis.results) {
      let facts = this.openFacts.get(stored);
      if (!facts) {
        const file = uriToPath(uri);
        if (!file) continue;
        facts = factsFromAnalysis(stored.analysis, file, (cell) => stored.lines[cell ?? 0] ?? stored.lines[0] ?? EMPTY);
        this.openFacts.set(stored, facts);
      }
      docs.set(uri, facts);
    }
    return docs;
  }

  async build(params: SupplyChainParams, signal?: AbortSignal): Promise<SupplyChainResult> {
    const global = await this.deps.settings.global();
    const rt = await this.deps.runtimes.get(global);
    const roots = this.deps.analysis.workspaceRoots();
    const manifests = this.deps.analysis.context();
    const docs = this.currentDocs();
    // Manifests nobody analysed yet: what their parse declares.
    for (const m of manifests) {
      if (docs.has(m.uri) || !m.path || !isManifestKind(m.kind)) continue;
      const hit = this.parsed.get(m.uri);
      if (hit && hit.text === m.text) docs.set(m.uri, hit.facts);
      else {
        const facts = factsFromDeclared({ uri: m.uri, path: m.path, kind: m.kind }, rt.engine.declaredDependencies(m), new LineIndex(m.text));
        this.parsed.set(m.uri, { text: m.text, facts });
        docs.set(m.uri, facts);
      }
    }
    const missing = this.hubRefs().filter((r) => !this.hub.has(modelKey(r.id, r.revision))).slice(0, QUICK_HUB_IDS);
    if (missing.length) {
      const ctrl = new AbortController();
      const stop = () => ctrl.abort();
      signal?.addEventListener('abort', stop);
      const timer = setTimeout(stop, QUICK_HUB_TIMEOUT_MS);
      timer.unref?.();
      await this.lookupHub(rt, missing, ctrl.signal).catch(() => []);
      clearTimeout(timer);
      signal?.removeEventListener('abort', stop);
    }
    const index = this.deps.environments.index(manifests, roots);
    const policies = this.policies.update(manifests, roots);
    const now = (this.deps.now ?? Date.now)();
    const modelPolicy = (file: string) => governsModels(policies.forDocument({ uri: toUri(file), path: file, text: '', kind: 'python' }, { now, silencingAllowed: global.workspaceTrusted }).policy);
    return buildSupplyChain(
      {
        docs: [...docs.values()],
        environments: index,
        modelFiles: this.modelFiles(global, roots),
        hub: (id, revision) => this.hub.get(modelKey(id, revision)),
        modelPolicy,
        resolveLocal: (ref, doc, env) => candidatePaths(ref.name, ref.base ?? 'cwd', path.dirname(doc.path), env?.root, roots).find((c) => this.deps.models.files.peek(c)),
        complete: this.complete,
        offline: global.offline,
        errors: [...rt.loadErrors.map(redactSecrets), ...this.errors],
        now,
      },
      params,
    );
  }

  private modelFiles(global: Parameters<typeof applySettings>[1], roots: readonly string[]): ModelFileFacts[] {
    const out: ModelFileFacts[] = [];
    for (const p of this.deps.models.knownFiles()) {
      const scan = this.deps.models.files.peek(p);
      if (!scan) continue;
      const root = roots.filter((r) => p.startsWith(r + path.sep)).sort((a, b) => b.length - a.length)[0];
      const name = root ? path.relative(root, p).split(path.sep).join('/') : path.basename(p);
      const findings = global.enable ? applySettings(modelFileFindings(scan, { range: { start: 0, end: 0 }, name }), global) : [];
      const v = staticVerdict(scan);
      out.push({
        path: p,
        format: scan.format,
        verdict: v.verdict,
        ...(v.detail ? { detail: v.detail } : {}),
        findings: findings.map((f) => ({ rule: f.rule, severity: f.severity, message: redactSecrets(f.message).slice(0, 300), range: [0, 0, 0, 0] })),
      });
    }
    return out;
  }
}

const EMPTY = new LineIndex('');

/** A policy that judges Hub models: their ids, revisions, formats or licences. */
function governsModels(p: Policy | undefined): boolean {
  if (!p) return false;
  const m = p.models;
  return m.allow.length > 0 || m.deny.length > 0 || !!m.requireRevision || !!m.formats || m.licenses.allow.length > 0 || m.licenses.deny.length > 0;
}

/** Facts of a document analysed in a batch: offsets are into the document, or into each cell. */
export function analysedFacts(doc: EngineDocument, a: DocumentAnalysis): DocFacts {
  const cells = a.cellTexts?.map((t) => new LineIndex(t));
  const whole = cells ? undefined : new LineIndex(doc.text);
  return factsFromAnalysis(a, doc.path ?? doc.uri, (cell) => (cells ? cells[cell ?? 0] ?? EMPTY : whole!));
}
