// The watch: while the editor is open, the workspace's packages are checked again whenever cached
// registry and advisory data has expired (the scheduler: the cache TTL, jittered, one check at a
// time, never offline), through the engine like any analysis (batched, metadata for every package so
// yanked releases show), and the Hub models the workspace loads are looked up again. Compared with
// the previous check, a new advisory, a newly malicious package, a newly yanked release or a model
// the Hub newly flags is told once per check: one window/showMessageRequest whose action opens the
// first finding (window/showDocument). A package that was not there before is not news: its
// diagnostics say it already.
import path from 'node:path';
import type { Connection, Range } from 'vscode-languageserver';
import { isManifestKind, type EngineDocument } from '../engine/documents';
import type { DocumentAnalysis } from '../engine/engine';
import { LineIndex } from '../engine/lineIndex';
import type { RuntimePool } from '../engine/runtime';
import type { AnalysisService, Logger } from './analysis';
import { uriToPath } from './convert';
import type { SettingsResolver } from './settings';
import type { SupplyChainService } from './supplyChain';
import { realClock, WatchScheduler, type Clock } from './watchScheduler';
import { analyzeInBatches } from './workspaceAnalysis';

export type WatchEventKind = 'advisory' | 'malicious' | 'yanked' | 'model';

export interface WatchEvent {
  kind: WatchEventKind;
  /** `requests 2.19.0`, or the model id. */
  subject: string;
  /** Advisory ids, when the event is about advisories. */
  ids?: string[];
  severity: 'error' | 'warning' | 'info' | 'hint';
  uri: string;
  range: Range;
}

/** Per package (`PyPI:requests@2.19.0`, or the range for an unpinned one), the events seen, each
 * with where it was seen first. */
export type WatchState = Map<string, Map<string, WatchEvent>>;

const RULE_KIND: Partial<Record<string, WatchEventKind>> = { 'vulnerable-dependency': 'advisory', 'malicious-package': 'malicious', 'yanked-version': 'yanked' };

/** The events a check's analyses show, per package. Only findings on the package itself count (a
 * transitive package's own lockfile entry carries its finding too). */
export function watchState(results: readonly { doc: EngineDocument; analysis: DocumentAnalysis }[]): WatchState {
  const state: WatchState = new Map();
  for (const { doc, analysis } of results) {
    if (analysis.kind === 'notebook') continue;
    let lines: LineIndex | undefined;
    const byStart = new Map<number, (typeof analysis.findings)[number][]>();
    for (const f of analysis.findings) {
      if (!f.package || !RULE_KIND[f.rule]) continue;
      const list = byStart.get(f.range.start);
      if (list) list.push(f);
      else byStart.set(f.range.start, [f]);
    }
    for (const facts of analysis.dependencies) {
      const d = facts.dep;
      if (d.url) continue;
      const version = facts.evaluated && facts.evaluated.how !== 'newest-allowed' ? facts.evaluated.version : undefined;
      const key = version ? `${d.ecosystem}:${d.name}@${version}` : `${d.ecosystem}:${d.name}|${d.specifier}`;
      let events = state.get(key);
      if (!events) state.set(key, (events = new Map()));
      for (const f of byStart.get(d.nameRange.start) ?? []) {
        if (f.package?.name !== d.name) continue;
        const kind = RULE_KIND[f.rule]!;
        lines ??= new LineIndex(doc.text);
        const ids = (f.advisories ?? []).map((a) => a.id);
        const subject = `${d.rawName} ${version ?? d.specifier}`.trim();
        const keys = kind === 'advisory' && ids.length ? ids.map((id) => `advisory:${id}`) : [`${kind}:${ids.join(',')}`];
        for (const k of keys) {
          if (events.has(k)) continue;
          events.set(k, { kind, subject, ...(ids.length ? { ids: kind === 'advisory' ? [k.slice('advisory:'.length)] : ids } : {}), severity: f.severity, uri: analysis.uri, range: lines.range(f.range) });
        }
      }
    }
  }
  return state;
}

/** Events in `next` that `prev` did not have, for packages `prev` already had. */
export function newEvents(prev: WatchState, next: WatchState): WatchEvent[] {
  const out: WatchEvent[] = [];
  for (const [pkg, events] of next) {
    const before = prev.get(pkg);
    if (!before) continue;
    for (const [k, e] of events) if (!before.has(k)) out.push(e);
  }
  return out;
}

/** `next` with what `prev` knew of the same packages added back: used when a check saw errors, so
 * an answer that went missing for a while is not news when it comes back. */
export function mergeStates(prev: WatchState, next: WatchState): WatchState {
  const out: WatchState = new Map();
  for (const [pkg, events] of next) out.set(pkg, new Map([...(prev.get(pkg) ?? []), ...events]));
  return out;
}

function phrase(e: WatchEvent, where: string): string {
  switch (e.kind) {
    case 'advisory':
      return `new advisory ${e.ids?.join(', ') ?? ''} affects ${e.subject} (${where})`.replace('  ', ' ');
    case 'malicious':
      return `${e.subject} is now reported malicious${e.ids?.length ? ` (${e.ids.join(', ')})` : ''} (${where})`;
    case 'yanked':
      return `${e.subject} was yanked (${where})`;
    case 'model':
      return `the Hub now flags ${e.subject} as unsafe (${where})`;
  }
}

/** One line for the notification: the first few events, and how many more. */
export function describeEvents(events: readonly WatchEvent[], display: (uri: string) => string): string {
  const shown = events.slice(0, 3).map((e) => phrase(e, display(e.uri)));
  const more = events.length - shown.length;
  const head = events.length === 1 ? '' : `${events.length} new supply-chain findings: `;
  const text = `${head}${shown.join('; ')}${more > 0 ? `; and ${more} more` : ''}.`;
  return `AI Dependency Risk: ${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}

export interface WatchDeps {
  connection: Pick<Connection, 'window'>;
  analysis: Pick<AnalysisService, 'context' | 'workspaceRoots'>;
  settings: Pick<SettingsResolver, 'global'>;
  runtimes: Pick<RuntimePool, 'get'>;
  supplyChain: Pick<SupplyChainService, 'absorb' | 'hubRefs' | 'hubVerdicts' | 'lookupHub'>;
  log: Logger;
  /** The client opens documents on request (window/showDocument). */
  canShowDocument: boolean;
  /** Something new was found: re-analyse open documents, tell the view. */
  onNews?: () => void;
  clock?: Clock;
  random?: () => number;
}

export class WorkspaceWatch {
  private readonly scheduler: WatchScheduler;
  private state: WatchState | undefined;
  private models: Map<string, string> | undefined;

  constructor(private readonly deps: WatchDeps) {
    this.scheduler = new WatchScheduler({
      clock: deps.clock ?? realClock,
      random: deps.random ?? Math.random,
      check: async (signal) => void (await this.check(signal)),
      onError: (e) => deps.log('warn', `watch: check failed: ${(e as Error).message}`),
    });
  }

  /** Reads the settings: on when online with a cache TTL and a workspace folder. */
  async configure(): Promise<void> {
    const global = await this.deps.settings.global();
    this.scheduler.configure({ enabled: !global.offline && global.cacheTtlHours > 0 && this.deps.analysis.workspaceRoots().length > 0, intervalMs: global.cacheTtlHours * 3_600_000 });
  }

  dispose(): void {
    this.scheduler.dispose();
  }

  /** One check: analyse the workspace's manifests and look its Hub models up again, compare with
   * the previous check, and tell the user about what is new. */
  async check(signal: AbortSignal): Promise<WatchEvent[]> {
    const global = await this.deps.settings.global();
    if (global.offline) return [];
    const rt = await this.deps.runtimes.get(global);
    // Manifests and lockfiles are checked; policy files join in as context (levels, ignores).
    const context = this.deps.analysis.context();
    const docs = context.filter((d) => isManifestKind(d.kind));
    const results: { doc: EngineDocument; analysis: DocumentAnalysis }[] = [];
    const errors = await analyzeInBatches(rt.engine, docs, {
      context,
      roots: this.deps.analysis.workspaceRoots(),
      signal,
      analyze: { settingsFor: () => global, metadataForAll: true },
      onBatch: (batch) => results.push(...batch),
    });
    this.deps.supplyChain.absorb(results);
    const refs = this.deps.supplyChain.hubRefs();
    const hubErrors = await this.deps.supplyChain.lookupHub(rt, refs, signal).catch((e: unknown) => [String(e)]);
    signal.throwIfAborted();

    let next = watchState(results);
    if (errors.length && this.state) next = mergeStates(this.state, next);
    const events = this.state ? newEvents(this.state, next) : [];
    this.state = next;

    const verdicts = new Map([...this.deps.supplyChain.hubVerdicts()].map(([k, v]) => [k, v.verdict as string]));
    if (this.models && !hubErrors.length) {
      for (const r of refs) {
        const key = r.revision ? `${r.id}@${r.revision}` : r.id;
        const before = this.models.get(key);
        if (before !== undefined && before !== 'unsafe' && verdicts.get(key) === 'unsafe' && r.at) events.push({ kind: 'model', subject: r.id, severity: 'error', uri: r.at.uri, range: r.at.range });
      }
    }
    if (!hubErrors.length || !this.models) this.models = verdicts;

    const packages = results.reduce((n, r) => n + r.analysis.dependencies.length, 0);
    this.deps.log('info', `watch: checked ${packages} package(s) in ${docs.length} file(s) and ${refs.length} Hub model(s); ${events.length} new`);
    if (events.length) {
      this.notify(events);
      this.deps.onNews?.();
    }
    return events;
  }

  private notify(events: WatchEvent[]): void {
    const roots = this.deps.analysis.workspaceRoots();
    const display = (uri: string) => {
      const p = uriToPath(uri) ?? uri;
      const root = roots.filter((r) => p.startsWith(r + path.sep)).sort((a, b) => b.length - a.length)[0];
      return root ? path.relative(root, p).split(path.sep).join('/') : path.basename(p);
    };
    const message = describeEvents(events, display);
    const error = events.some((e) => e.severity === 'error');
    const show = error ? this.deps.connection.window.showErrorMessage.bind(this.deps.connection.window) : this.deps.connection.window.showWarningMessage.bind(this.deps.connection.window);
    if (!this.deps.canShowDocument) {
      void show(message);
      return;
    }
    const first = events[0]!;
    // Not awaited by the check: the user may answer tomorrow.
    void show(message, { title: 'Open' }).then(
      async (choice) => {
        if (choice?.title !== 'Open') return;
        await this.deps.connection.window.showDocument({ uri: first.uri, selection: first.range, takeFocus: true });
      },
      () => undefined,
    );
  }
}
