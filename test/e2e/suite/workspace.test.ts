// Extension-level behaviour: activation, commands, the status the language status item shows,
// and the workspace scan reaching files that were never opened.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ScanSummary, StatusParams } from '../../../server/src/protocol';
import { EXTENSION_ID, ours, waitFor, wsUri } from './helpers';

/** The shape of client/src/extension.ts ExtensionApi (the test project does not reference the
 * client project, so it is restated here). */
interface ExtensionApi {
  status(): StatusParams | undefined;
  ready(): Promise<void>;
}

export function defineWorkspaceTests(): void {
  describe('extension', () => {
    it('is installed from the .vsix, active, and contributes its commands', async () => {
      const ext = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
      assert.ok(ext, `${EXTENSION_ID} is installed`);
      await waitFor('activation', () => ext.isActive);
      const commands = await vscode.commands.getCommands(true);
      for (const c of ['scanWorkspace', 'refreshAdvisories', 'showOutput', 'restartServer']) {
        assert.ok(commands.includes(`aiDependencyRisk.${c}`), `aiDependencyRisk.${c} registered`);
      }
    });

  });
}

export function defineStatusAndScanTests(): void {
  describe('status and workspace scan', () => {
    it('reports a status with counts once documents are analysed', async () => {
      const ext = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
      assert.ok(ext);
      const api = ext.exports;
      await api.ready();
      const status = await waitFor('a ready status with findings', () => {
        const s = api.status();
        return s && ['ready', 'stale', 'offline'].includes(s.state) && s.documents > 0 && s.counts.error + s.counts.warning > 0 && s;
      });
      assert.ok(status.documents >= 1);
    });

    it('"Scan Workspace" analyses files that were never opened', async () => {
      const summary = await vscode.commands.executeCommand<ScanSummary | undefined>('aiDependencyRisk.scanWorkspace');
      assert.ok(summary, 'the scan returned a summary');
      assert.equal(summary.cancelled, false);
      assert.ok(summary.files >= 1, `files scanned: ${summary.files}`);
      const dev = wsUri('requirements/dev.txt');
      await waitFor('vulnerable-dependency in requirements/dev.txt', () => ours(dev, 'vulnerable-dependency').length > 0);
    });
  });
}
