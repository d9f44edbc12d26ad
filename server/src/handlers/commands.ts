// workspace/executeCommand: scan the whole workspace (cancellable) and refresh advisory data.
import type { CancellationToken, Connection } from 'vscode-languageserver';
import { redactSecrets } from '../domain/redact';
import type { EngineDocument } from '../engine/documents';
import { LineIndex } from '../engine/lineIndex';
import type { RuntimePool } from '../engine/runtime';
import { readTextFile, walk } from '../engine/walk';
import type { ScanSummary } from '../protocol';
import type { AnalysisService } from './analysis';
import { problemToDiagnostic, toDiagnostic, toUri } from './convert';
import type { SettingsResolver } from './settings';

const BATCH = 200;

export async function scanWorkspace(
  connection: Connection,
  analysis: AnalysisService,
  settings: SettingsResolver,
  runtimes: RuntimePool,
  token: CancellationToken,
): Promise<ScanSummary> {
  const started = Date.now();
  const ctrl = new AbortController();
  const sub = token.onCancellationRequested(() => ctrl.abort());
  const summary: ScanSummary = { files: 0, findings: 0, errors: [], cancelled: false, durationMs: 0 };
  try {
    const global = await settings.global();
    const rt = await runtimes.get(global);
    const files: { path: string; kind: EngineDocument['kind'] }[] = [];
    for (const root of analysis.workspaceRoots()) {
      const w = await walk(root, { signal: ctrl.signal });
      files.push(...w.files);
      summary.errors.push(...w.errors.map((e) => `${e.file}: ${e.message}`));
    }
    const docs: EngineDocument[] = [];
    for (const f of files) {
      const r = await readTextFile(f.path);
      if ('error' in r) summary.errors.push(`${f.path}: ${r.error}`);
      else docs.push({ uri: toUri(f.path), path: f.path, text: r.text, kind: f.kind });
    }
    const context = docs.filter((d) => d.kind !== 'python' && d.kind !== 'notebook');
    for (let i = 0; i < docs.length; i += BATCH) {
      ctrl.signal.throwIfAborted();
      // Open documents are analysed live; leave them to the editor's own diagnostics.
      const slice = docs.slice(i, i + BATCH);
      const batch = slice.filter((d) => !analysis.results.has(d.uri));
      for (const d of slice) {
        const open = analysis.results.get(d.uri);
        if (!open) continue;
        summary.files++;
        summary.findings += open.analysis.findings.length;
      }
      const res = await rt.engine.analyze(batch, { context, roots: analysis.workspaceRoots(), signal: ctrl.signal, settingsFor: () => global });
      summary.errors.push(...res.errors);
      for (const a of res.documents) {
        const doc = batch.find((d) => d.uri === a.uri)!;
        summary.files++;
        summary.findings += a.findings.length;
        if (doc.kind === 'notebook') continue; // notebook cells get diagnostics when opened
        const lines = new LineIndex(doc.text);
        void connection.sendDiagnostics({
          uri: a.uri,
          diagnostics: [...a.findings.map((f) => toDiagnostic(f, lines)), ...a.problems.map((p) => problemToDiagnostic(p, lines))],
        });
      }
    }
  } catch (e) {
    if (ctrl.signal.aborted) summary.cancelled = true;
    else summary.errors.push((e as Error).message);
  } finally {
    sub.dispose();
    summary.durationMs = Date.now() - started;
    summary.errors = [...new Set(summary.errors.map(redactSecrets))];
  }
  return summary;
}
