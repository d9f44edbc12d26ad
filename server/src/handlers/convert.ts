// Finding -> LSP Diagnostic. A diagnostic carries only a small typed `data` (rule and the finding's
// index in the stored analysis): code actions read the fixes back from the stored finding, and find
// it by rule and range, so a file dense with findings does not publish every edit on every
// keystroke, and an unchanged finding publishes the same bytes whatever the document version.
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
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** The rule page's link, one object per rule (a dense file repeats a few rules thousands of times;
 * the objects are only serialised, never changed). */
const links = new Map<string, { href: string } | null>();
function codeDescription(rule: string): { href: string } | undefined {
  let link = links.get(rule);
  if (link === undefined) {
    // The rule's page as installed with the server (a `file:` URI that resolves offline, in any editor).
    const href = ruleDocUri(rule);
    links.set(rule, (link = href ? { href } : null));
  }
  return link ?? undefined;
}

/** Redacted messages by raw message: rules repeat the same few messages across a file, and the
 * redaction scans every character. Bounded: cleared when full. */
const redacted = new Map<string, string>();
const REDACTED_KEPT = 2000;
function redactMessage(raw: string): string {
  let m = redacted.get(raw);
  if (m === undefined) {
    m = redactSecrets(raw);
    if (redacted.size >= REDACTED_KEPT) redacted.clear();
    redacted.set(raw, m);
  }
  return m;
}

export function toDiagnostic(f: Finding, lines: LineIndex, id = -1): Diagnostic {
  const link = codeDescription(f.rule);
  const d: Diagnostic = {
    range: lines.range(f.range),
    severity: SEVERITY[f.severity],
    code: f.rule,
    ...(link ? { codeDescription: link } : {}),
    source: DIAGNOSTIC_SOURCE,
    message: redactMessage(f.confidence === 'low' ? f.message + ' (low confidence: **kwargs may set this)' : f.message),
    data: { rule: f.rule, id } satisfies DiagnosticData,
  };
  if (f.related?.length) {
    d.relatedInformation = f.related.map((r) => ({ location: { uri: toUri(r.uri), range: r.range }, message: redactSecrets(r.message) }));
  }
  return d;
}

export function problemToDiagnostic(p: ParseProblem, lines: LineIndex): Diagnostic {
  const link = codeDescription('parse-error');
  return {
    range: lines.range(p.range),
    severity: p.severity === 'error' ? DiagnosticSeverity.Error : p.severity === 'warning' ? DiagnosticSeverity.Warning : DiagnosticSeverity.Information,
    code: 'parse-error',
    ...(link ? { codeDescription: link } : {}),
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
