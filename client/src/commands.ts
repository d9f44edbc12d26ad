// Palette commands: scan the workspace (cancellable progress, results in Problems), refresh
// advisory data, show the environment of the current file, show the log, restart the server.
import * as vscode from 'vscode';
import { ExecuteCommandRequest } from 'vscode-languageclient/node';
import { ServerCommands, type ScanSummary } from '../../server/src/protocol';
import type { ClientHandle } from './client';
import { SHOW_ENVIRONMENT, showEnvironment } from './environment';

export const Commands = {
  scanWorkspace: 'aiDependencyRisk.scanWorkspace',
  refreshAdvisories: 'aiDependencyRisk.refreshAdvisories',
  showOutput: 'aiDependencyRisk.showOutput',
  restartServer: 'aiDependencyRisk.restartServer',
  showEnvironment: SHOW_ENVIRONMENT,
} as const;

function isSummary(x: unknown): x is ScanSummary {
  return !!x && typeof x === 'object' && typeof (x as ScanSummary).files === 'number';
}

async function execute(h: ClientHandle, command: string, token?: vscode.CancellationToken): Promise<unknown> {
  const client = h.client();
  if (!client.isRunning()) throw new Error('the language server is not running');
  return client.sendRequest(ExecuteCommandRequest.type, { command, arguments: [] }, token);
}

export async function scanWorkspace(h: ClientHandle): Promise<ScanSummary | undefined> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'AI Dependency Risk: scanning workspace', cancellable: true },
    async (progress, token) => {
      progress.report({ message: 'manifests, Python files and notebooks…' });
      try {
        const result = await execute(h, ServerCommands.scanWorkspace, token);
        if (!isSummary(result)) return undefined;
        const msg = result.cancelled
          ? `Scan cancelled after ${result.files} files.`
          : `Scanned ${result.files} files in ${(result.durationMs / 1000).toFixed(1)} s: ${result.findings} findings (see Problems).`;
        h.log.info(msg + (result.errors.length ? ` Errors: ${result.errors.join('; ')}` : ''));
        if (result.errors.length) void vscode.window.showWarningMessage(`${msg} ${result.errors.length} files could not be read; see the log.`);
        else void vscode.window.showInformationMessage(msg);
        return result;
      } catch (err) {
        if (token.isCancellationRequested) return undefined;
        h.log.error(`scan failed: ${String(err)}`);
        void vscode.window.showErrorMessage(`AI Dependency Risk: scan failed: ${err instanceof Error ? err.message : String(err)}`);
        return undefined;
      }
    },
  );
}

export function registerCommands(context: vscode.ExtensionContext, h: ClientHandle): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(Commands.scanWorkspace, () => scanWorkspace(h)),
    vscode.commands.registerCommand(Commands.refreshAdvisories, async () => {
      try {
        await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Window, title: 'Refreshing advisory data' },
          () => execute(h, ServerCommands.refreshAdvisories),
        );
        h.log.info('advisory data refreshed');
      } catch (err) {
        h.log.error(`refresh failed: ${String(err)}`);
        void vscode.window.showErrorMessage(`AI Dependency Risk: refresh failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }),
    vscode.commands.registerCommand(Commands.showOutput, () => h.log.show(true)),
    vscode.commands.registerCommand(Commands.restartServer, () => h.restart()),
    vscode.commands.registerCommand(Commands.showEnvironment, async () => {
      try {
        return await showEnvironment(h);
      } catch (err) {
        h.log.error(`environment request failed: ${String(err)}`);
        void vscode.window.showErrorMessage(`AI Dependency Risk: ${err instanceof Error ? err.message : String(err)}`);
        return undefined;
      }
    }),
  );
}
