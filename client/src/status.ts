// The language status item: what the server is doing (scanning / up to date / offline /
// stale data) with finding counts, fed by the server's StatusNotification.
import * as vscode from 'vscode';
import type { StatusParams } from '../../server/src/protocol';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The one-line text for a status, e.g. "AI Dependency Risk: 2 errors, 1 warning". */
export function describeStatus(p: StatusParams): { text: string; detail: string; severity: vscode.LanguageStatusSeverity; busy: boolean } {
  const c = p.counts;
  const counts = [plural(c.error, 'error'), plural(c.warning, 'warning'), plural(c.info + c.hint, 'note')].join(', ');
  const docs = plural(p.documents, 'file');
  const age = p.staleSince ? ` (data from ${new Date(p.staleSince).toLocaleString()})` : '';
  switch (p.state) {
    case 'starting':
      return { text: '$(sync~spin) Starting', detail: 'AI Dependency Risk is starting', severity: vscode.LanguageStatusSeverity.Information, busy: true };
    case 'scanning':
      return { text: '$(sync~spin) Scanning', detail: `Scanning… ${docs} analysed so far`, severity: vscode.LanguageStatusSeverity.Information, busy: true };
    case 'ready':
      return { text: `$(shield) ${counts}`, detail: p.detail ?? `Up to date: ${docs} analysed`, severity: vscode.LanguageStatusSeverity.Information, busy: false };
    case 'offline':
      return { text: `$(cloud-offline) Offline: ${counts}`, detail: p.detail ?? `Offline: using advisory databases and the cache only`, severity: vscode.LanguageStatusSeverity.Warning, busy: false };
    case 'stale':
      return { text: `$(history) Stale data: ${counts}`, detail: (p.detail ?? 'Registry unreachable; using cached data') + age, severity: vscode.LanguageStatusSeverity.Warning, busy: false };
    case 'error':
    default:
      return { text: '$(error) Error', detail: p.detail ?? 'The language server reported an error', severity: vscode.LanguageStatusSeverity.Error, busy: false };
  }
}

export class StatusItem implements vscode.Disposable {
  private readonly item: vscode.LanguageStatusItem;
  /** The last status the server sent; tests and the restart command read it. */
  last: StatusParams | undefined;

  constructor(selector: vscode.DocumentSelector) {
    this.item = vscode.languages.createLanguageStatusItem('aiDependencyRisk.status', selector);
    this.item.name = 'AI Dependency Risk';
    this.item.command = { title: 'Show log', command: 'aiDependencyRisk.showOutput' };
    this.starting();
  }

  starting(): void {
    this.update({ state: 'starting', counts: { error: 0, warning: 0, info: 0, hint: 0 }, documents: 0 });
  }

  failed(message: string): void {
    this.update({ state: 'error', counts: { error: 0, warning: 0, info: 0, hint: 0 }, documents: 0, detail: `Server failed to start: ${message}` });
  }

  update(p: StatusParams): void {
    this.last = p;
    const d = describeStatus(p);
    this.item.text = d.text;
    this.item.detail = `AI Dependency Risk · ${d.detail}`;
    this.item.severity = d.severity;
    this.item.busy = d.busy;
    this.item.accessibilityInformation = { label: `AI Dependency Risk: ${d.text.replace(/\$\([^)]*\)\s*/g, '')}. ${d.detail}` };
  }

  dispose(): void {
    this.item.dispose();
  }
}
