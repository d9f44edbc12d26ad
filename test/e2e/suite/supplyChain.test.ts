// The supply-chain view and "Show Environment of Current File" in a real VS Code: the view lists
// the fixture workspace's projects (the root and lab/), their packages and models (a Hub id loaded
// in embed.py, an allow-listed pickle under models/, the runner's malicious checkpoint that serve.py
// loads), opening a package goes to its manifest line, and the
// filter keeps only entries with findings. Runs before the suites that edit requirements.txt.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { EnvironmentResult, StatusParams, SupplyChainProject, SupplyChainResult } from '../../../server/src/protocol';
import { EXTENSION_ID, open, waitFor, wsUri } from './helpers';

/** The part of client/src/extension.ts ExtensionApi read here (restated: no project reference). */
interface ExtensionApi {
  status(): StatusParams | undefined;
  ready(): Promise<void>;
  supplyChain(): SupplyChainResult | undefined;
}

function api(): ExtensionApi {
  const ext = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is installed`);
  return ext.exports;
}

function project(r: SupplyChainResult, name: string): SupplyChainProject {
  const p = r.projects.find((x) => x.name === name);
  assert.ok(p, `project ${name} among ${r.projects.map((x) => x.name).join(', ')}`);
  return p;
}

export function defineSupplyChainTests(): void {
  describe('supply chain view', () => {
    it('"Show Supply Chain" lists the projects, their packages and models', async () => {
      await api().ready();
      const commands = await vscode.commands.getCommands(true);
      for (const c of ['showSupplyChain', 'supplyChain.refresh', 'supplyChain.showOnlyFindings', 'supplyChain.showAll', 'showEnvironment']) {
        assert.ok(commands.includes(`aiDependencyRisk.${c}`), `aiDependencyRisk.${c} registered`);
      }
      // The model file is found by the server's background scan: ask until it is in.
      const r = await waitFor('the supply chain with both model files', async () => {
        const res = await vscode.commands.executeCommand<SupplyChainResult | undefined>('aiDependencyRisk.showSupplyChain');
        return res && res.complete && project(res, '.').models.filter((m) => m.kind === 'file').length === 2 && res;
      }, 90_000);
      assert.deepEqual(r.projects.map((p) => p.name), ['.', 'lab']);
      const root = project(r, '.');
      const requests = root.packages.find((p) => p.name === 'requests' && p.version === '2.19.0');
      assert.ok(requests, `requests 2.19.0 among ${root.packages.map((p) => `${p.name} ${p.version}`).join(', ')}`);
      assert.ok(requests.worst, 'its advisories flag it');
      assert.ok(requests.findings.some((f) => f.advisories?.includes('PYSEC-2023-74')));
      assert.equal(requests.direct, true);
      assert.ok(root.packages.some((p) => p.name === 'numpy'));
      const hub = root.models.find((m) => m.kind === 'hub');
      assert.equal(hub?.name, 'acme/sentiment-base');
      assert.equal(hub?.pinnedToCommit, false);
      assert.ok(hub?.findings.some((f) => f.rule === 'unpinned-model-revision'));
      const pickle = root.models.find((m) => m.name === 'models/classifier.pkl');
      assert.equal(pickle?.kind, 'file');
      assert.deepEqual(pickle?.formats, ['pickle']);
      assert.equal(pickle?.scan?.verdict, 'safe', 'only allow-listed imports');
      // The runner writes a malicious checkpoint that serve.py loads: one row, with the call.
      const evil = root.models.find((m) => m.name === 'weights/evil.pt');
      assert.equal(evil?.scan?.verdict, 'unsafe');
      assert.equal(evil?.worst, 'error');
      assert.equal(evil?.calls, 1);
      assert.ok(evil?.findings.some((f) => r.files[f.at.file] === wsUri('serve.py').toString()), 'the loading call’s findings join the file’s row');
      assert.equal(root.models[0]?.name, 'weights/evil.pt', 'worst first');
      assert.ok(project(r, 'lab').packages.some((p) => p.name === 'torch' && p.version === '2.6.0'));
      assert.deepEqual(api().supplyChain(), r, 'the view shows what the command returned');
    });

    it('opening a package goes to its line in the manifest', async () => {
      const r = api().supplyChain();
      assert.ok(r);
      const requests = project(r, '.').packages.find((p) => p.name === 'requests' && p.version === '2.19.0')!;
      const uri = r.files[requests.at.file]!;
      await vscode.commands.executeCommand('aiDependencyRisk.supplyChain.open', { uri, range: requests.at.range });
      const editor = await waitFor('requirements.txt in the active editor', () => {
        const e = vscode.window.activeTextEditor;
        return e && e.document.uri.toString() === uri && e;
      });
      assert.equal(editor.selection.start.line, requests.at.range[0]);
      assert.equal(editor.document.getText(editor.selection), 'requests');
    });

    it('the filter keeps only entries with findings, and lifts again', async () => {
      await vscode.commands.executeCommand('aiDependencyRisk.supplyChain.showOnlyFindings');
      const filtered = await waitFor('the filtered tree', () => {
        const r = api().supplyChain();
        return r && r.projects.every((p) => [...p.packages, ...p.models].every((row) => row.worst)) && r;
      });
      assert.ok(!filtered.projects.some((p) => p.packages.some((row) => row.name === 'torch' && row.version === '2.6.0')), 'torch 2.6.0 has no finding');
      await vscode.commands.executeCommand('aiDependencyRisk.supplyChain.showAll');
      await waitFor('the whole tree again', () => api().supplyChain()?.projects.some((p) => p.packages.some((row) => !row.worst)));
    });

    it('"Show Environment of Current File" names the project and the files that decide versions', async () => {
      await open('lab/requirements.txt');
      const lab = await vscode.commands.executeCommand<EnvironmentResult>('aiDependencyRisk.showEnvironment');
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      assert.equal(lab?.projectRoot, wsUri('lab').toString());
      assert.deepEqual(lab?.decidedBy.map((f) => f.uri), [wsUri('lab/requirements.txt').toString()]);
      await open('train.py');
      const train = await vscode.commands.executeCommand<EnvironmentResult>('aiDependencyRisk.showEnvironment');
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      assert.equal(train?.kind, 'code');
      assert.equal(train?.projectRoot, vscode.workspace.workspaceFolders![0]!.uri.toString());
      assert.ok(train?.decidedBy.some((f) => f.uri === wsUri('requirements.txt').toString()));
    });
  });
}
