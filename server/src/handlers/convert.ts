// Finding -> LSP Diagnostic. A diagnostic carries only a small typed `data` (rule, the finding's
// index in the stored analysis, the document version): code actions read the fixes back from the
// stored finding, so a file dense with findings does not publish every edit on every keystroke.
// Messages are redacted: no credential from a URL reaches the editor's problem list.
import type { Diagnostic } from 'vscode-languageserver';
import { DiagnosticSeverity } from 'vscode-languageserver';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LineIndex } from '../engine/lineIndex';
import type { Finding, ParseProblem, Severity } from '../domain';
import { redactSecrets } from '../domain/redact';
import { DIAGNOSTIC_SOURCE } from '../protocol';
import { ruleDocUri } from '../ruleDocs';

/** The typed payload code actions read back. */
export interface DiagnosticData {
  rule: string;
  /** Index of the finding in the stored analysis's `findings` (-1 for parse problems). */
  id: number;
  /** Version of the document (or notebook) the finding belongs to. */
  v?: number;
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toDiagnostic(f: Finding, lines: LineIndex, id = -1, version?: number): Diagnostic {
  // The rule's page as installed with the server (a `file:` URI that resolves offline, in any editor).
  const href = ruleDocUri(f.rule);
  const d: Diagnostic = {
    range: lines.range(f.range),
    severity: SEVERITY[f.severity],
    code: f.rule,
    ...(href ? { codeDescription: { href } } : {}),
    source: DIAGNOSTIC_SOURCE,
    message: redactSecrets(f.message + (f.confidence === 'low' ? ' (low confidence: **kwargs may set this)' : '')),
    data: { rule: f.rule, id, ...(version !== undefined ? { v: version } : {}) } satisfies DiagnosticData,
  };
  if (f.related?.length) {
    d.relatedInformation = f.related.map((r) => ({ location: { uri: toUri(r.uri), range: r.range }, message: redactSecrets(r.message) }));
  }
  return d;
}

export function problemToDiagnostic(p: ParseProblem, lines: LineIndex): Diagnostic {
  const href = ruleDocUri('parse-error');
  return {
    range: lines.range(p.range),
    severity: p.severity === 'error' ? DiagnosticSeverity.Error : p.severity === 'warning' ? DiagnosticSeverity.Warning : DiagnosticSeverity.Information,
    code: 'parse-error',
    ...(href ? { codeDescription: { href } } : {}),
    source: DIAGNOSTIC_SOURCE,
    message: redactSecrets(p.message),
    data: { rule: 'parse-error', id: -1 } satisfies DiagnosticData,
  };
}

export function toUri(pathOrUri: string): string {
  if (/^[a-z][a-z0-9+.-]+:/i.test(pathOrUri)) return pathOrUri;
  return pathToFileURL(pathOrUri).toString();
}

export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}
