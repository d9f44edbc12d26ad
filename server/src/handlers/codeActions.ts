// Code actions read the fixes that diagnostics carry in `data` (no re-analysis), add a
// suppression comment action, and offer "fix all" for the preferred, non-overlapping fixes.
import type { CodeAction, CodeActionParams, Diagnostic, TextEdit } from 'vscode-languageserver';
import { CodeActionKind } from 'vscode-languageserver';
import { redactSecrets } from '../domain/redact';
import { DIAGNOSTIC_SOURCE } from '../protocol';
import type { DiagnosticData } from './convert';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.aiDependencyRisk`;

function dataOf(d: Diagnostic): DiagnosticData | undefined {
  if (d.source !== DIAGNOSTIC_SOURCE || !d.data || typeof d.data !== 'object') return undefined;
  return d.data as DiagnosticData;
}

const before = (a: TextEdit['range']['start'], b: TextEdit['range']['start']) => a.line < b.line || (a.line === b.line && a.character <= b.character);

export function onCodeAction(params: CodeActionParams, allDiagnostics: () => Diagnostic[]): CodeAction[] {
  const uri = params.textDocument.uri;
  const only = params.context.only;
  const wantQuick = !only || only.some((k) => CodeActionKind.QuickFix.startsWith(k) || k.startsWith(CodeActionKind.QuickFix));
  const wantFixAll = !!only && only.some((k) => FIX_ALL_KIND.startsWith(k));
  const actions: CodeAction[] = [];
  if (wantQuick) {
    for (const d of params.context.diagnostics) {
      const data = dataOf(d);
      if (!data) continue;
      for (const fix of data.fixes) {
        actions.push({
          // The title is shown; the edits are applied, so they stay exact.
          title: redactSecrets(fix.title),
          kind: CodeActionKind.QuickFix,
          diagnostics: [d],
          isPreferred: fix.isPreferred,
          edit: { changes: { [uri]: fix.edits } },
        });
      }
      if (data.suppress) {
        actions.push({
          title: `Ignore ${data.rule} on this line (# aidr: ignore)`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [d],
          edit: { changes: { [uri]: [data.suppress] } },
        });
      }
    }
  }
  if (wantFixAll || (!only && params.context.diagnostics.length > 0)) {
    const edits: TextEdit[] = [];
    for (const d of allDiagnostics()) {
      const fix = dataOf(d)?.fixes.find((f) => f.isPreferred);
      if (!fix) continue;
      // Skip a fix whose edits overlap one already taken.
      const clash = fix.edits.some((e) => edits.some((t) => !(before(e.range.end, t.range.start) || before(t.range.end, e.range.start))));
      if (!clash) edits.push(...fix.edits);
    }
    if (edits.length > 1 || (wantFixAll && edits.length > 0)) {
      actions.push({ title: `Fix all AI Dependency Risk findings in this file (${edits.length})`, kind: wantFixAll ? FIX_ALL_KIND : CodeActionKind.QuickFix, edit: { changes: { [uri]: edits } } });
    }
  }
  return actions;
}
