// Code actions: the fixes of the stored finding a diagnostic points at (no re-analysis), a
// suppression comment, and "fix all" for the preferred, non-overlapping fixes of the file. When the
// client can resolve actions lazily (`codeAction/resolve`), edits are built only for the action the
// user picks; otherwise they are built for the few diagnostics asked about. Titles are redacted
// (they are shown); edits are not (they are applied, and must keep the file's text exact).
import type { CodeAction, CodeActionParams, Diagnostic, TextEdit } from 'vscode-languageserver';
import { CodeActionKind } from 'vscode-languageserver';
import type { Finding } from '../domain';
import { redactSecrets } from '../domain/redact';
import type { LineIndex } from '../engine/lineIndex';
import { suppressionEdit } from '../engine/suppression';
import { DIAGNOSTIC_SOURCE } from '../protocol';
import type { DiagnosticData } from './convert';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.aiDependencyRisk`;

/** The stored analysis behind one document or notebook cell. */
export interface FindingSource {
  /** Every finding of the document (or notebook); ids index this array. */
  findings: readonly Finding[];
  /** The cell this uri is, for a notebook cell; only findings of that cell apply. */
  cell?: number;
  text: string;
  lines: LineIndex;
  version?: number;
}

export type FindingLookup = (uri: string) => FindingSource | undefined;

type Choice = number | 'suppress' | 'all';

/** What an unresolved action carries to `codeAction/resolve`. */
interface ActionData {
  uri: string;
  id: number;
  v?: number;
  choice: Choice;
}

function dataOf(d: Diagnostic): DiagnosticData | undefined {
  if (d.source !== DIAGNOSTIC_SOURCE || !d.data || typeof d.data !== 'object') return undefined;
  const x = d.data as Partial<DiagnosticData>;
  return typeof x.rule === 'string' && typeof x.id === 'number' ? (x as DiagnosticData) : undefined;
}

const sameRange = (a: Diagnostic['range'], b: Diagnostic['range']) =>
  a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;

/** The stored finding a diagnostic stands for: by id when the versions agree, else by rule and range. */
function findingFor(src: FindingSource, d: Diagnostic, data: DiagnosticData): number | undefined {
  const ok = (i: number) => {
    const f = src.findings[i];
    return !!f && f.rule === data.rule && (f.cell ?? undefined) === src.cell && sameRange(src.lines.range(f.range), d.range);
  };
  if (data.id >= 0 && ok(data.id)) return data.id;
  const i = src.findings.findIndex((_, k) => ok(k));
  return i >= 0 ? i : undefined;
}

const hasOwnSuppression = (f: Finding) => (f.fixes ?? []).some((x) => x.edits.some((e) => /aidr:\s*ignore/.test(e.newText)));

function fixEdits(src: FindingSource, f: Finding, k: number): TextEdit[] {
  return (f.fixes?.[k]?.edits ?? []).map((e) => ({ range: src.lines.range(e.range), newText: e.newText }));
}

function suppressEdits(src: FindingSource, f: Finding): TextEdit[] | undefined {
  if (hasOwnSuppression(f)) return undefined;
  const line = src.lines.positionAt(f.range.start).line;
  if (src.lines.lineText(line).trimEnd().endsWith('\\')) return undefined;
  const e = suppressionEdit(src.text, f, src.lines);
  return [{ range: src.lines.range(e.range), newText: e.newText }];
}

function fixAllEdits(src: FindingSource): TextEdit[] {
  const taken: { start: number; end: number }[] = [];
  const edits: TextEdit[] = [];
  for (const f of src.findings) {
    if ((f.cell ?? undefined) !== src.cell) continue;
    const fix = f.fixes?.find((x) => x.isPreferred);
    if (!fix) continue;
    // Skip a fix whose edits overlap one already taken.
    if (fix.edits.some((e) => taken.some((t) => e.range.start < t.end && t.start < e.range.end))) continue;
    for (const e of fix.edits) {
      taken.push(e.range);
      edits.push({ range: src.lines.range(e.range), newText: e.newText });
    }
  }
  return edits;
}

function editFor(src: FindingSource, id: number, choice: Choice): TextEdit[] | undefined {
  if (choice === 'all') return fixAllEdits(src);
  const f = src.findings[id];
  if (!f) return undefined;
  return choice === 'suppress' ? suppressEdits(src, f) : fixEdits(src, f, choice);
}

export function onCodeAction(params: CodeActionParams, lookup: FindingLookup, lazy = false): CodeAction[] {
  const uri = params.textDocument.uri;
  const src = lookup(uri);
  if (!src) return [];
  const only = params.context.only;
  const wantQuick = !only || only.some((k) => CodeActionKind.QuickFix.startsWith(k) || k.startsWith(CodeActionKind.QuickFix));
  const wantFixAll = !!only && only.some((k) => FIX_ALL_KIND.startsWith(k));
  const actions: CodeAction[] = [];
  const make = (rawTitle: string, kind: string, id: number, choice: Choice, extra: Partial<CodeAction> = {}): CodeAction | undefined => {
    const title = redactSecrets(rawTitle);
    if (lazy) return { title, kind, ...extra, data: { uri, id, v: src.version, choice } satisfies ActionData };
    const edits = editFor(src, id, choice);
    return edits?.length ? { title, kind, ...extra, edit: { changes: { [uri]: edits } } } : undefined;
  };
  const push = (a: CodeAction | undefined) => a && actions.push(a);
  if (wantQuick) {
    for (const d of params.context.diagnostics) {
      const data = dataOf(d);
      if (!data) continue;
      const id = findingFor(src, d, data);
      if (id === undefined) continue;
      const f = src.findings[id]!;
      (f.fixes ?? []).forEach((fix, k) => push(make(fix.title, CodeActionKind.QuickFix, id, k, { diagnostics: [d], ...(fix.isPreferred ? { isPreferred: true } : {}) })));
      if (!hasOwnSuppression(f) && suppressEdits(src, f)) push(make(`Ignore ${f.rule} on this line (# aidr: ignore)`, CodeActionKind.QuickFix, id, 'suppress', { diagnostics: [d] }));
    }
  }
  if (wantFixAll || (!only && params.context.diagnostics.length > 0)) {
    const n = src.findings.filter((f) => (f.cell ?? undefined) === src.cell && f.fixes?.some((x) => x.isPreferred)).length;
    if (n > 1 || (wantFixAll && n > 0)) push(make(`Fix all AI Dependency Risk findings in this file (${n})`, wantFixAll ? FIX_ALL_KIND : CodeActionKind.QuickFix, -1, 'all'));
  }
  return actions;
}

/** `codeAction/resolve`: build the edit of the action the user picked. */
export function onCodeActionResolve(action: CodeAction, lookup: FindingLookup): CodeAction {
  const data = action.data as Partial<ActionData> | undefined;
  if (!data || typeof data.uri !== 'string' || typeof data.id !== 'number' || data.choice === undefined) return action;
  const src = lookup(data.uri);
  if (!src || (data.v !== undefined && src.version !== undefined && data.v !== src.version)) return action;
  const edits = editFor(src, data.id, data.choice);
  return edits?.length ? { ...action, edit: { changes: { [data.uri]: edits } } } : action;
}
