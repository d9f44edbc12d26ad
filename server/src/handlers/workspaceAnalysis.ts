// The workspace scan's machinery, shared by "Scan Workspace", the supply-chain refresh and the
// watch: read the workspace's files (walk, skipping what the walk skips), then run the engine over
// them in batches (one look-up batch per engine call), cancellable between and inside batches.
// Open documents are left out: their live analysis is fresher than the file on disk.
import type { DocumentKind, EngineDocument } from '../engine/documents';
import type { AnalyzeOptions, DocumentAnalysis, Engine } from '../engine/engine';
import { readTextFile, walk } from '../engine/walk';
import { toUri } from './convert';

/** Documents per engine call: each call enriches its dependencies in one batch. */
export const BATCH = 200;

export interface WorkspaceFiles {
  docs: EngineDocument[];
  /** Unreadable files and walk problems, as `path: message`. */
  errors: string[];
}

/** Reads every file the engine analyses under `roots` (only `kinds`, when given). */
export async function readWorkspaceFiles(roots: readonly string[], signal: AbortSignal, kinds?: (k: DocumentKind) => boolean): Promise<WorkspaceFiles> {
  const found: { path: string; kind: DocumentKind }[] = [];
  const errors: string[] = [];
  for (const root of roots) {
    const w = await walk(root, { signal, ...(kinds ? { kinds } : {}) });
    found.push(...w.files);
    errors.push(...w.errors.map((e) => `${e.file}: ${e.message}`));
  }
  const docs: EngineDocument[] = [];
  for (const f of found) {
    signal.throwIfAborted();
    const r = await readTextFile(f.path);
    if ('error' in r) errors.push(`${f.path}: ${r.error}`);
    else docs.push({ uri: toUri(f.path), path: f.path, text: r.text, kind: f.kind });
  }
  return { docs, errors };
}

export interface BatchOptions {
  /** Manifests and lockfiles that join in (environments, locked versions). */
  context: EngineDocument[];
  roots: readonly string[];
  signal: AbortSignal;
  /** Documents analysed elsewhere (open in the editor): not analysed here. */
  skip?: (uri: string) => boolean;
  /** More engine options (settings, metadata for all, model files). */
  analyze?: Omit<AnalyzeOptions, 'context' | 'roots' | 'signal'>;
  /** Each batch's results with their documents, as they complete. */
  onBatch(results: { doc: EngineDocument; analysis: DocumentAnalysis }[]): void;
}

/** Runs the engine over `docs` in batches; returns the source errors (deduplicated). Throws an
 * AbortError when cancelled. */
export async function analyzeInBatches(engine: Engine, docs: readonly EngineDocument[], opts: BatchOptions): Promise<string[]> {
  const errors = new Set<string>();
  for (let i = 0; i < docs.length; i += BATCH) {
    opts.signal.throwIfAborted();
    // Asked per batch: a document opened during a long scan is left to the editor from then on.
    const slice = docs.slice(i, i + BATCH);
    const batch = opts.skip ? slice.filter((d) => !opts.skip!(d.uri)) : slice;
    if (batch.length === 0) continue;
    const res = await engine.analyze(batch, { ...opts.analyze, context: opts.context, roots: opts.roots, signal: opts.signal });
    for (const e of res.errors) errors.add(e);
    const byUri = new Map(batch.map((d) => [d.uri, d]));
    opts.onBatch(res.documents.flatMap((analysis) => {
      const doc = byUri.get(analysis.uri);
      return doc ? [{ doc, analysis }] : [];
    }));
  }
  return [...errors];
}
