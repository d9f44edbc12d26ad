// "AI Dependency Risk: Show Environment of Current File": asks the server which project the active
// editor's file belongs to and which lockfiles and manifests decide its versions
// (aiDependencyRisk/environment), and shows them in a quick pick that opens the deciding files.
import * as vscode from 'vscode';
import { EnvironmentRequest, type EnvironmentResult } from '../../server/src/protocol';
import type { ClientHandle } from './client';
import { environmentView, type EnvironmentItem } from './environmentItems';

export const SHOW_ENVIRONMENT = 'aiDependencyRisk.showEnvironment';

/** The file behind the active editor: a notebook for a notebook cell. */
function activeFileUri(): vscode.Uri | undefined {
  const nb = vscode.window.activeNotebookEditor;
  const text = vscode.window.activeTextEditor;
  if (nb && (!text || text.document.uri.scheme === 'vscode-notebook-cell')) return nb.notebook.uri;
  return text?.document.uri;
}

const OPEN_BESIDE: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('split-horizontal'), tooltip: 'Open to the side' };

type Pick = vscode.QuickPickItem & { item: EnvironmentItem };

async function open(item: EnvironmentItem, beside: boolean): Promise<void> {
  if (!item.uri) return;
  const uri = vscode.Uri.parse(item.uri);
  if (item.kind === 'project') await vscode.commands.executeCommand('revealInExplorer', uri);
  else await vscode.window.showTextDocument(uri, { preview: !beside, ...(beside ? { viewColumn: vscode.ViewColumn.Beside } : {}) });
}

/** Runs the command; resolves with the server's answer (the extension-host tests read it). */
export async function showEnvironment(h: ClientHandle): Promise<EnvironmentResult | undefined> {
  const uri = activeFileUri();
  if (!uri) {
    void vscode.window.showInformationMessage('AI Dependency Risk: open a file first.');
    return undefined;
  }
  const client = h.client();
  if (!client.isRunning()) {
    void vscode.window.showWarningMessage('AI Dependency Risk: the language server is not running.');
    return undefined;
  }
  const result = await client.sendRequest<EnvironmentResult>(EnvironmentRequest.method, { uri: uri.toString() });
  const view = environmentView(result);
  if (view.message) {
    void vscode.window.showInformationMessage(view.message);
    return result;
  }
  const qp = vscode.window.createQuickPick<Pick>();
  qp.title = view.title;
  qp.placeholder = 'Pick a file to open it';
  qp.items = view.items.map((item) => ({
    label: item.label,
    ...(item.description ? { description: item.description } : {}),
    ...(item.detail ? { detail: item.detail } : {}),
    ...(item.kind === 'file' ? { buttons: [OPEN_BESIDE] } : {}),
    item,
  }));
  qp.onDidTriggerItemButton((e) => void open(e.item.item, true));
  qp.onDidAccept(() => {
    const picked = qp.selectedItems[0];
    qp.hide();
    if (picked) void open(picked.item, false);
  });
  qp.onDidHide(() => qp.dispose());
  qp.show();
  return result;
}
