// The "AI Supply Chain" view in the explorer: asks the server (aiDependencyRisk/supplyChain) and
// shows projects -> packages and models. Opening the view shows what the server has at once, then
// refreshes every file once (progress in the view); the refresh command does it again; the filter
// toggles "only with findings" (a context key flips the title-bar icon); a click opens the
// declaration or the loading call, and a model file's diagnostics. No analysis happens here.
import * as vscode from 'vscode';
import {
  SupplyChainChangedNotification,
  SupplyChainRequest,
  type SupplyChainParams,
  type SupplyChainResult,
} from '../../server/src/protocol';
import type { ClientHandle } from './client';
import { rootNodes, viewMessage, type OpenTarget, type SupplyNode } from './supplyChainNodes';

export const SUPPLY_CHAIN_VIEW = 'aiDependencyRisk.supplyChain';
export const ONLY_FINDINGS_KEY = 'aiDependencyRisk.supplyChain.onlyFindings';

export const SupplyChainCommands = {
  show: 'aiDependencyRisk.showSupplyChain',
  refresh: 'aiDependencyRisk.supplyChain.refresh',
  onlyFindings: 'aiDependencyRisk.supplyChain.showOnlyFindings',
  all: 'aiDependencyRisk.supplyChain.showAll',
  open: 'aiDependencyRisk.supplyChain.open',
} as const;

class Provider implements vscode.TreeDataProvider<SupplyNode> {
  private readonly changed = new vscode.EventEmitter<SupplyNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  data: SupplyChainResult | undefined;
  onlyFindings = false;
  refreshing = false;
  /** Asked for the first time: show what the server has, then check every file. */
  onFirstLoad: (() => void) | undefined;

  update(): void {
    this.changed.fire(undefined);
  }

  getChildren(node?: SupplyNode): SupplyNode[] {
    if (node) return node.children;
    if (!this.data && this.onFirstLoad) {
      const first = this.onFirstLoad;
      this.onFirstLoad = undefined;
      first();
    }
    return rootNodes(this.data, this.onlyFindings);
  }

  getTreeItem(node: SupplyNode): vscode.TreeItem {
    const state = node.children.length === 0 ? vscode.TreeItemCollapsibleState.None : node.expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(node.label, state);
    item.id = node.id;
    item.description = node.description;
    if (node.tooltip) item.tooltip = new vscode.MarkdownString(node.tooltip);
    item.iconPath = new vscode.ThemeIcon(node.icon.id, node.icon.color ? new vscode.ThemeColor(node.icon.color) : undefined);
    item.contextValue = node.kind;
    if (node.open) item.command = { command: SupplyChainCommands.open, title: 'Open', arguments: [node.open] };
    return item;
  }
}

export class SupplyChainView implements vscode.Disposable {
  private readonly provider = new Provider();
  private readonly view: vscode.TreeView<SupplyNode>;
  private readonly disposables: vscode.Disposable[] = [];
  private pending: vscode.CancellationTokenSource | undefined;
  private refreshing: Promise<SupplyChainResult | undefined> | undefined;
  private asked = 0;
  private applied = 0;

  constructor(
    private readonly h: ClientHandle,
    private readonly ready: () => Promise<void>,
  ) {
    this.view = vscode.window.createTreeView(SUPPLY_CHAIN_VIEW, { treeDataProvider: this.provider, showCollapseAll: true });
    this.provider.onFirstLoad = () => void this.firstLoad();
    void vscode.commands.executeCommand('setContext', ONLY_FINDINGS_KEY, false);
    this.disposables.push(
      this.view,
      vscode.commands.registerCommand(SupplyChainCommands.show, () => this.show()),
      vscode.commands.registerCommand(SupplyChainCommands.refresh, () => this.refresh()),
      vscode.commands.registerCommand(SupplyChainCommands.onlyFindings, () => this.setFilter(true)),
      vscode.commands.registerCommand(SupplyChainCommands.all, () => this.setFilter(false)),
      vscode.commands.registerCommand(SupplyChainCommands.open, (t: OpenTarget) => openTarget(t)),
      // The watch found something new: a visible view asks again (no re-analysis).
      h.client().onNotification(SupplyChainChangedNotification.method, () => {
        if (this.view.visible) void this.load();
      }),
    );
  }

  /** The data shown (the extension-host tests read it). */
  get data(): SupplyChainResult | undefined {
    return this.provider.data;
  }

  /** Focuses the view and checks every file; resolves with the data. */
  async show(): Promise<SupplyChainResult | undefined> {
    await vscode.commands.executeCommand(`${SUPPLY_CHAIN_VIEW}.focus`);
    return this.refresh();
  }

  /** Checks every file (joining a check already running). */
  refresh(): Promise<SupplyChainResult | undefined> {
    this.provider.onFirstLoad = undefined;
    if (this.refreshing) return this.refreshing;
    this.provider.refreshing = true;
    this.updateMessage();
    const progress = vscode.window.withProgress({ location: { viewId: SUPPLY_CHAIN_VIEW }, title: 'Checking the supply chain' }, () => this.request(true));
    const run = Promise.resolve(progress).finally(() => {
      this.refreshing = undefined;
      this.provider.refreshing = false;
      this.updateMessage();
    });
    this.refreshing = run;
    return run;
  }

  private async firstLoad(): Promise<void> {
    const r = await this.load();
    if (!r?.complete) await this.refresh();
  }

  private async setFilter(only: boolean): Promise<void> {
    this.provider.onlyFindings = only;
    await vscode.commands.executeCommand('setContext', ONLY_FINDINGS_KEY, only);
    await this.load();
  }

  /** Asks again without a refresh (the filter changed, the watch found news). A refresh in flight
   * is waited for, then asked again, so the answer has the filter of this moment. */
  private async load(): Promise<SupplyChainResult | undefined> {
    if (this.refreshing) await this.refreshing;
    return this.request(false);
  }

  private async request(refresh: boolean): Promise<SupplyChainResult | undefined> {
    // The view may be open when the window starts: wait for the server rather than fail.
    await this.ready();
    const client = this.h.client();
    if (!client.isRunning()) {
      void vscode.window.showWarningMessage('AI Dependency Risk: the language server is not running.');
      return undefined;
    }
    // A newer quick question supersedes an older one; a refresh is never cancelled by one.
    if (!refresh) this.pending?.cancel();
    const source = new vscode.CancellationTokenSource();
    if (!refresh) this.pending = source;
    const params: SupplyChainParams = { ...(refresh ? { refresh: true } : {}), ...(this.provider.onlyFindings ? { onlyFindings: true } : {}) };
    const seq = ++this.asked;
    try {
      const result = await client.sendRequest<SupplyChainResult>(SupplyChainRequest.method, params, source.token);
      // An answer to an older question that arrives late never replaces a newer one.
      if (source.token.isCancellationRequested || seq < this.applied) return this.provider.data;
      this.applied = seq;
      this.provider.data = result;
      for (const e of result.errors) this.h.log.warn(`supply chain: ${e}`);
      this.provider.update();
      this.updateMessage();
      return result;
    } catch (err) {
      if (!source.token.isCancellationRequested) {
        this.h.log.error(`supply chain request failed: ${String(err)}`);
        void vscode.window.showErrorMessage(`AI Dependency Risk: could not load the supply chain: ${err instanceof Error ? err.message : String(err)}`);
      }
      return this.provider.data;
    } finally {
      if (this.pending === source) this.pending = undefined;
      source.dispose();
    }
  }

  private updateMessage(): void {
    this.view.message = viewMessage(this.provider.data, this.provider.refreshing);
  }

  dispose(): void {
    this.pending?.cancel();
    for (const d of this.disposables) d.dispose();
  }
}

function toRange(r: readonly number[]): vscode.Range {
  return new vscode.Range(r[0] ?? 0, r[1] ?? 0, r[2] ?? 0, r[3] ?? 0);
}

/** Opens a row: the file at the range; in a notebook, the cell; a model file: its place in the
 * explorer and its diagnostics in the Problems panel (it is binary: nothing to read in an editor). */
export async function openTarget(t: OpenTarget | undefined): Promise<void> {
  if (!t || typeof t.uri !== 'string' || !t.uri) return;
  const uri = vscode.Uri.parse(t.uri);
  const range = toRange(t.range);
  if (t.modelFile) {
    await vscode.commands.executeCommand('revealInExplorer', uri);
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    return;
  }
  if (t.cell !== undefined) {
    const nb = await vscode.workspace.openNotebookDocument(uri);
    const cell = Math.min(Math.max(t.cell, 0), Math.max(nb.cellCount - 1, 0));
    await vscode.window.showNotebookDocument(nb, { selections: [new vscode.NotebookRange(cell, cell + 1)] });
    const cellDoc = nb.cellCount ? nb.cellAt(cell).document : undefined;
    const editor = cellDoc && vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === cellDoc.uri.toString());
    if (editor) {
      editor.selection = new vscode.Selection(range.start, range.end);
      editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    }
    return;
  }
  await vscode.window.showTextDocument(uri, { selection: range, preview: true });
}
