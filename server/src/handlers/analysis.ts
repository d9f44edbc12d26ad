// Runs the engine for open documents and notebooks as they change: one analysis in flight per
// document, the stale one aborted when a newer version arrives; publishes diagnostics and keeps
// the last result for hovers and code actions. Manifest edits re-run open code documents (the join);
// policy edits (aidr.toml, [tool.aidr]) re-run every open document.
import type { Connection, Diagnostic, NotebookDocuments, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { documentKindFor, isContextKind, isManifestKind, type EngineDocument } from '../engine/documents';
import { isPolicySource } from '../engine/policy';
import type { DocumentAnalysis } from '../engine/engine';
import { redactSecrets } from '../domain/redact';
import { Confinement, workspaceConfinement } from '../engine/confine';
import { LineIndex } from '../engine/lineIndex';
import type { RuntimePool } from '../engine/runtime';
import { readTextFile, walk } from '../engine/walk';
import { StatusNotification, type ServerState, type StatusParams } from '../protocol';
import type { Settings } from '../settings';
import { problemToDiagnostic, toDiagnostic, toUri, uriToPath } from './convert';
import { IdleCollector, limitHeapGrowth } from './idleGc';
import type { ModelFiles } from '../engine/modelFiles';
import type { FindingSource } from './codeActions';
import type { SettingsResolver } from './settings';

export interface StoredResult {
  analysis: DocumentAnalysis;
  /** Text per target: the document, or each notebook cell (index = cell). */
  texts: string[];
  lines: LineIndex[];
  /** For notebooks: cell URIs in notebook order. */
  cellUris?: string[];
  version?: number;
}

export type Logger = (level: 'debug' | 'info' | 'warn' | 'error', msg: string) => void;

export class AnalysisService {
  private readonly inflight = new Map<string, AbortController>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  readonly results = new Map<string, StoredResult>();
  /** Manifests, lockfiles and policy files on disk in the workspace (the join for code findings). */
  private workspaceManifests = new Map<string, EngineDocument>();
  private workspaceFolders: string[] = [];
  private lastErrors: string[] = [];
  private staleSince: number | undefined;
  private offline = false;
  private running = 0;
  debounceMs = 15;
  /** Scans of the workspace's model files, for loading calls that resolve to one. */
  modelFiles: (() => ModelFiles) | undefined;
  private readonly idle = new IdleCollector();
  /** Runs caused by a policy change: they must not cascade into another round of re-runs. */
  private readonly noCascade = new Set<string>();

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly notebooks: NotebookDocuments<TextDocument>,
    private readonly settings: SettingsResolver,
    private readonly runtimes: RuntimePool,
    private readonly log: Logger,
  ) {
    limitHeapGrowth();
  }

  setWorkspaceFolders(folders: string[]): void {
    this.workspaceFolders = folders;
  }

  /** Index the workspace's manifests and lockfiles so code findings can join with them. */
  async indexWorkspace(): Promise<void> {
    const map = new Map<string, EngineDocument>();
    for (const folder of this.workspaceFolders) {
      const { files } = await walk(folder, { kinds: isContextKind, maxFiles: 500 });
      for (const f of files) {
        const r = await readTextFile(f.path, 2 * 1024 * 1024);
        if ('text' in r) map.set(toUri(f.path), { uri: toUri(f.path), path: f.path, text: r.text, kind: f.kind });
      }
    }
    this.workspaceManifests = map;
    this.log('info', `indexed ${map.size} manifest(s) in ${this.workspaceFolders.length} workspace folder(s)`);
  }

  async fileChanged(uri: string, deleted: boolean): Promise<void> {
    const p = uriToPath(uri);
    if (!p) return;
    const kind = documentKindFor(p);
    if (!kind || !isContextKind(kind)) return;
    if (!deleted && !(await new Confinement({ roots: this.workspaceFolders }).check(p)).ok) return;
    const before = this.workspaceManifests.get(uri);
    if (deleted) this.workspaceManifests.delete(uri);
    else {
      const r = await readTextFile(p, 2 * 1024 * 1024);
      if ('text' in r) this.workspaceManifests.set(uri, { uri, path: p, text: r.text, kind });
    }
    const after = this.workspaceManifests.get(uri);
    if ((before && isPolicySource(before)) || (after && isPolicySource(after))) this.reschedulePolicy(uri);
    else this.rescheduleCode();
  }

  /** Context documents: the workspace's manifests, with open editors' text winning. */
  context(): EngineDocument[] {
    const out: EngineDocument[] = [];
    for (const [uri, d] of this.workspaceManifests) {
      const open = this.documents.get(uri);
      out.push(open ? { ...d, text: open.getText(), version: open.version } : d);
    }
    for (const open of this.documents.all()) {
      if (this.workspaceManifests.has(open.uri)) continue;
      const p = uriToPath(open.uri);
      const kind = documentKindFor(p ?? open.uri);
      if (kind && isContextKind(kind)) out.push({ uri: open.uri, path: p, text: open.getText(), version: open.version, kind });
    }
    return out;
  }

  engineDocFor(uri: string): EngineDocument | undefined {
    const nb = this.notebooks.getNotebookDocument(uri);
    if (nb) {
      const cells = nb.cells.map((c) => {
        const td = this.notebooks.getCellTextDocument(c);
        return { text: td?.getText() ?? '', uri: c.document, kind: c.kind === 2 ? ('code' as const) : ('markdown' as const) };
      });
      return { uri, path: uriToPath(uri), text: '', kind: 'notebook', cells, version: nb.version };
    }
    const doc = this.documents.get(uri);
    if (!doc) return undefined;
    const p = uriToPath(uri);
    let kind = documentKindFor(p ?? uri);
    if (!kind && doc.languageId === 'python') kind = 'python';
    if (!kind && doc.languageId === 'pip-requirements') kind = 'requirements';
    if (!kind) return undefined;
    return { uri, path: p, text: doc.getText(), version: doc.version, kind };
  }

  /** `cascade` false: a re-run caused by a policy change, which must not trigger another round. */
  schedule(uri: string, delay = this.debounceMs, cascade = true): void {
    if (cascade) this.noCascade.delete(uri);
    else this.noCascade.add(uri);
    this.inflight.get(uri)?.abort();
    clearTimeout(this.timers.get(uri));
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        void this.run(uri);
      }, delay),
    );
  }

  cancel(uri: string): void {
    this.inflight.get(uri)?.abort();
    this.inflight.delete(uri);
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
  }

  close(uri: string, cellUris: string[] = []): void {
    this.cancel(uri);
    this.noCascade.delete(uri);
    // A policy closed unsaved: the others follow the saved one again.
    const wasPolicy = this.results.get(uri)?.analysis.kind === 'policy';
    this.results.delete(uri);
    if (wasPolicy) this.reschedulePolicy(uri);
    if (this.defaultSettings) void this.runtimes.get(this.defaultSettings).then((r) => r.engine.forget(uri)).catch(() => undefined);
    void this.connection.sendDiagnostics({ uri, diagnostics: [] });
    for (const c of cellUris) void this.connection.sendDiagnostics({ uri: c, diagnostics: [] });
    this.sendStatus();
  }

  private defaultSettings: Settings | undefined;

  /** Re-run every other open document (a policy they follow may have changed). */
  reschedulePolicy(changed: string): void {
    for (const uri of this.results.keys()) if (uri !== changed) this.schedule(uri, 50, false);
  }

  /** Re-run open Python files and notebooks (a manifest they join with changed). */
  rescheduleCode(): void {
    for (const [uri, r] of this.results) {
      if (r.analysis.kind === 'python' || r.analysis.kind === 'notebook') this.schedule(uri, 50);
    }
  }

  async run(uri: string): Promise<void> {
    const doc = this.engineDocFor(uri);
    if (!doc) return;
    const ctrl = new AbortController();
    this.inflight.get(uri)?.abort();
    this.inflight.set(uri, ctrl);
    this.running++;
    this.sendStatus();
    try {
      const settings = await this.settings.get(uri);
      const global = await this.settings.global();
      this.defaultSettings = global;
      if (!settings.enable) {
        this.publish(doc, undefined);
        return;
      }
      const runtime = await this.runtimes.get(global);
      const res = await runtime.engine.analyze([doc], {
        context: this.context(),
        roots: this.workspaceFolders,
        signal: ctrl.signal,
        // Includes outside the workspace folders are refused (on the include line), whatever the
        // source of their text, unless the user's own settings allow them.
        readFile: workspaceConfinement(this.workspaceFolders, doc.path, settings.allowOutsideIncludes).reader(async (abs) => {
          // Editor text first, then the indexed copy; the disk only for files outside the index.
          const uri = toUri(abs);
          const known = this.documents.get(uri)?.getText() ?? this.workspaceManifests.get(uri)?.text;
          if (known !== undefined) return known;
          const r = await readTextFile(abs);
          return 'text' in r ? r.text : undefined;
        }),
        metadataForAll: true,
        ...(this.modelFiles ? { modelFiles: this.modelFiles() } : {}),
        fetchModelShas: !global.offline,
        settingsFor: () => settings,
      });
      if (ctrl.signal.aborted) return;
      this.offline = global.offline;
      this.lastErrors = [...runtime.loadErrors, ...res.errors];
      for (const e of res.errors) this.log('warn', e);
      this.staleSince = res.freshness?.stale ? res.freshness.fetchedAt : undefined;
      this.publish(doc, res.documents[0]);
      const cascade = !this.noCascade.delete(uri);
      if (cascade && isPolicySource(doc)) this.reschedulePolicy(uri);
      else if (cascade && isManifestKind(doc.kind)) this.rescheduleCode();
    } catch (e) {
      if (ctrl.signal.aborted || (e as Error).name === 'AbortError') return;
      this.log('error', `analysis of ${uri} failed: ${(e as Error).stack ?? e}`);
      this.lastErrors = [`analysis failed: ${(e as Error).message}`];
    } finally {
      if (this.inflight.get(uri) === ctrl) this.inflight.delete(uri);
      this.running--;
      this.idle.touch();
      this.sendStatus();
    }
  }

  private publish(doc: EngineDocument, analysis: DocumentAnalysis | undefined): void {
    if (doc.kind === 'notebook' && doc.cells) {
      const texts = doc.cells.map((c) => c.text);
      const lines = texts.map((t) => new LineIndex(t));
      const per: Diagnostic[][] = texts.map(() => []);
      (analysis?.findings ?? []).forEach((f, id) => {
        const c = f.cell ?? 0;
        if (per[c]) per[c].push(toDiagnostic(f, lines[c], id));
      });
      (analysis?.problems ?? []).forEach((p, i) => {
        const c = analysis?.problemCells?.[i] ?? 0;
        if (per[c]) per[c].push(problemToDiagnostic(p, lines[c]));
      });
      const cellUris = doc.cells.map((c) => c.uri ?? '');
      cellUris.forEach((cu, i) => {
        if (!cu) return;
        void this.connection.sendDiagnostics({ uri: cu, diagnostics: per[i] });
      });
      if (analysis) this.results.set(doc.uri, { analysis, texts, lines, cellUris, version: doc.version });
      return;
    }
    const lines = new LineIndex(doc.text);
    const diagnostics = [
      ...(analysis?.findings ?? []).map((f, id) => toDiagnostic(f, lines, id)),
      ...(analysis?.problems ?? []).map((p) => problemToDiagnostic(p, lines)),
    ];
    void this.connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics });
    if (analysis) this.results.set(doc.uri, { analysis, texts: [doc.text], lines: [lines], version: doc.version });
  }

  /** Find the stored result for a text document or a notebook cell. */
  resultFor(uri: string): { result: StoredResult; cell?: number } | undefined {
    const direct = this.results.get(uri);
    if (direct) return { result: direct };
    const nb = this.notebooks.findNotebookDocumentForCell(uri);
    if (!nb) return undefined;
    const r = this.results.get(nb.uri);
    if (!r) return undefined;
    const cell = r.cellUris?.indexOf(uri) ?? -1;
    return cell >= 0 ? { result: r, cell } : undefined;
  }

  /** The stored findings behind a document or notebook cell, for code actions. */
  findingSource(uri: string): FindingSource | undefined {
    const found = this.resultFor(uri);
    if (!found) return undefined;
    const i = found.cell ?? 0;
    const text = found.result.texts[i];
    const lines = found.result.lines[i];
    if (text === undefined || !lines) return undefined;
    return { findings: found.result.analysis.findings, ...(found.cell !== undefined ? { cell: found.cell } : {}), text, lines, version: found.result.version };
  }

  sendStatus(): void {
    const counts = { error: 0, warning: 0, info: 0, hint: 0 };
    for (const r of this.results.values()) for (const f of r.analysis.findings) counts[f.severity]++;
    let state: ServerState = 'ready';
    if (this.running > 0) state = 'scanning';
    else if (this.offline) state = 'offline';
    else if (this.staleSince !== undefined) state = 'stale';
    else if (this.lastErrors.length) state = 'error';
    const params: StatusParams = {
      state,
      counts,
      documents: this.results.size,
      ...(this.lastErrors.length ? { detail: redactSecrets(this.lastErrors.slice(0, 3).join('; ')) } : {}),
      ...(this.staleSince !== undefined ? { staleSince: this.staleSince } : {}),
    };
    void this.connection.sendNotification(StatusNotification.method, params);
  }

  openUris(): string[] {
    return [...this.results.keys()];
  }

  workspaceRoots(): string[] {
    return this.workspaceFolders;
  }
}
