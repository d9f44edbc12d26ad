// Finding -> LSP Diagnostic, with the fixes carried in `data` as ready-made LSP edits so that
// code actions need no re-analysis. Messages are redacted (no credentials from URLs reach the
// editor's problem list); edits are not, so a fix never writes `***` into the user's file.
import type { Diagnostic, Range } from 'vscode-languageserver';
import { DiagnosticSeverity } from 'vscode-languageserver';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LineIndex } from '../engine/lineIndex';
import type { Finding, ParseProblem, Severity } from '../domain';
import { redactSecrets } from '../domain/redact';
import { DIAGNOSTIC_SOURCE, RULE_DOCS_BASE } from '../protocol';

export interface DiagnosticFix {
  title: string;
  edits: { range: Range; newText: string }[];
  isPreferred?: boolean;
  note?: string;
}

/** The typed payload code actions read back. */
export interface DiagnosticData {
  rule: string;
  fixes: DiagnosticFix[];
  /** Where a suppression comment goes (end of the finding's first line). */
  suppress?: { range: Range; newText: string };
  package?: { ecosystem: string; name: string; version?: string };
  advisories?: string[];
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toDiagnostic(f: Finding, lines: LineIndex): Diagnostic {
  const startLine = lines.positionAt(f.range.start).line;
  const lineText = lines.lineText(startLine);
  const eol = { line: startLine, character: lineText.length };
  const hasMark = /#\s*aidr:\s*ignore/.test(lineText);
  const data: DiagnosticData = {
    rule: f.rule,
    fixes: (f.fixes ?? []).map((x) => ({
      title: redactSecrets(x.title),
      edits: x.edits.map((e) => ({ range: lines.range(e.range), newText: e.newText })),
      ...(x.isPreferred ? { isPreferred: true } : {}),
      ...(x.note ? { note: x.note } : {}),
    })),
    ...(f.package ? { package: f.package } : {}),
    ...(f.advisories ? { advisories: f.advisories.map((a) => a.id) } : {}),
  };
  const hasOwnSuppressFix = (f.fixes ?? []).some((x) => x.edits.some((e) => /aidr:\s*ignore/.test(e.newText)));
  if (!hasMark && !hasOwnSuppressFix && !lineText.trimEnd().endsWith('\\')) {
    data.suppress = { range: { start: eol, end: eol }, newText: `${lineText === '' || /\s$/.test(lineText) ? '' : '  '}# aidr: ignore[${f.rule}]` };
  }
  const d: Diagnostic = {
    range: lines.range(f.range),
    severity: SEVERITY[f.severity],
    code: f.rule,
    codeDescription: { href: `${RULE_DOCS_BASE}${f.rule}.md` },
    source: DIAGNOSTIC_SOURCE,
    message: redactSecrets(f.message + (f.confidence === 'low' ? ' (low confidence: **kwargs may set this)' : '')),
    data,
  };
  if (f.related?.length) {
    d.relatedInformation = f.related.map((r) => ({ location: { uri: toUri(r.uri), range: r.range }, message: redactSecrets(r.message) }));
  }
  return d;
}

export function problemToDiagnostic(p: ParseProblem, lines: LineIndex): Diagnostic {
  return {
    range: lines.range(p.range),
    severity: p.severity === 'error' ? DiagnosticSeverity.Error : p.severity === 'warning' ? DiagnosticSeverity.Warning : DiagnosticSeverity.Information,
    code: 'parse-error',
    source: DIAGNOSTIC_SOURCE,
    message: redactSecrets(p.message),
    data: { rule: 'parse-error', fixes: [] } satisfies DiagnosticData,
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
