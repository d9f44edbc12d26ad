// workspace/executeCommand: scan the whole workspace (cancellable) and refresh advisory data.
import type { CancellationToken, Connection } from 'vscode-languageserver';
import { redactSecrets } from '../domain/redact';
import { LineIndex } from '../engine/lineIndex';
import type { RuntimePool } from '../engine/runtime';
import type { ScanSummary } from '../protocol';
import type { AnalysisService } from './analysis';
import { problemToDiagnostic, toDiagnostic } from './convert';
import type { SettingsResolver } from './settings';
import { analyzeInBatches, readWorkspaceFiles } from './workspaceAnalysis';

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
    const roots = analysis.workspaceRoots();
    const read = await readWorkspaceFiles(roots, ctrl.signal);
    summary.errors.push(...read.errors);
    // Open documents are analysed live; leave them to the editor's own diagnostics.
    for (const d of read.docs) {
      const open = analysis.results.get(d.uri);
      if (!open) continue;
      summary.files++;
      summary.findings += open.analysis.findings.length;
    }
    const context = read.docs.filter((d) => d.kind !== 'python' && d.kind !== 'notebook');
    const errors = await analyzeInBatches(rt.engine, read.docs, {
      context,
      roots,
      signal: ctrl.signal,
      skip: (uri) => analysis.results.has(uri),
      analyze: { settingsFor: () => global },
      onBatch: (results) => {
        for (const { doc, analysis: a } of results) {
          summary.files++;
          summary.findings += a.findings.length;
          if (doc.kind === 'notebook') continue; // notebook cells get diagnostics when opened
          const lines = new LineIndex(doc.text);
          void connection.sendDiagnostics({
            uri: a.uri,
            diagnostics: [...a.findings.map((f) => toDiagnostic(f, lines)), ...a.problems.map((p) => problemToDiagnostic(p, lines))],
          });
        }
      },
    });
    summary.errors.push(...errors);
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
