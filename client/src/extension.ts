// Extension entry point: activation and deactivation only. Everything else lives in
// client.ts (the LanguageClient), settings.ts, status.ts, commands.ts and supplyChainView.ts.
import * as vscode from 'vscode';
import { createClient, type ClientHandle } from './client';
import { registerCommands } from './commands';
import { SupplyChainView } from './supplyChainView';
import type { StatusParams, SupplyChainResult } from '../../server/src/protocol';

let handle: ClientHandle | undefined;

/** What activate() returns: read by the extension-host tests (and other extensions). */
export interface ExtensionApi {
  /** The last status the server reported. */
  status(): StatusParams | undefined;
  /** Resolves once the language client has started (or failed to). */
  ready(): Promise<void>;
  /** What the supply-chain view shows, once it has loaded. */
  supplyChain(): SupplyChainResult | undefined;
}

export async function activate(context: vscode.ExtensionContext): Promise<ExtensionApi> {
  const started = Date.now();
  handle = createClient(context);
  registerCommands(context, handle);
  // Not awaited: activation stays fast; the server's first diagnostics follow on their own.
  const ready = handle.start().then(() => {
    handle?.log.info(`language server ready ${Date.now() - started} ms after activation began`);
  });
  const supplyChain = new SupplyChainView(handle, () => ready);
  context.subscriptions.push(supplyChain);
  handle.log.info(`activated in ${Date.now() - started} ms`);
  const h = handle;
  return { status: () => h.status.last, ready: () => ready, supplyChain: () => supplyChain.data };
}

export async function deactivate(): Promise<void> {
  const h = handle;
  handle = undefined;
  if (h) await h.stop();
}
