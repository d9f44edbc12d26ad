// Python files and notebooks: `torch.load` without weights_only gets unsafe-torch-load and
// the `weights_only=True` fix; notebook cells opened in the notebook editor get diagnostics.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { apply, hoverText, open, ours, quickFixes, rangeOf, waitFor, wsUri } from './helpers';

const RULE = 'unsafe-torch-load';

export function defineCodeTests(): void {
  describe('train.py', () => {
    it('reports torch.load(f) and fixes it with weights_only=True', async () => {
      const doc = await open('train.py');
      const [d] = await waitFor(`${RULE} in train.py`, () => ours(doc.uri, RULE).length > 0 && ours(doc.uri, RULE));
      const call = rangeOf(doc, 'torch.load(f)');
      assert.equal(d.range.start.line, call.start.line, 'reported on the torch.load line');
      assert.ok(d.range.intersection(call), 'the range overlaps the call');
      let seen: string[] = [];
      const fix = await waitFor('a weights_only=True quick fix', async () => {
        const fixes = await quickFixes(doc.uri, d.range);
        seen = fixes.map((a) => a.title);
        return fixes.find((a) => /weights_only=True/.test(a.title));
      }, 10_000).catch((err: Error) => assert.fail(`${err.message}; offered: ${seen.join(' | ') || 'nothing'}`));
      await apply(fix);
      assert.match(doc.getText(), /torch\.load\(f, weights_only=True\)/);
      await waitFor('the diagnostic to go away', () => ours(doc.uri, RULE).length === 0);
    });
  });

  describe('model files', () => {
    it('shows what a loaded checkpoint imports on the loading call, linked to the file, and on the file itself', async () => {
      const doc = await open('serve.py');
      const [d] = await waitFor('unsafe-model-file on the torch.load path', () => {
        const ds = ours(doc.uri, 'unsafe-model-file');
        return ds.length > 0 && ds;
      });
      assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
      assert.match(d.message, /weights\/evil\.pt imports posix\.system/);
      assert.equal(doc.getText(d.range), 'weights/evil.pt', 'on the path literal');
      assert.equal(d.relatedInformation?.[0]?.location.uri.toString(), wsUri('weights/evil.pt').toString());
      const hover = await hoverText(doc.uri, d.range.start.translate(0, 2));
      assert.match(hover, /posix\.system/);
      await waitFor('the model file itself in Problems', () => ours(wsUri('weights/evil.pt'), 'unsafe-model-file').length > 0);
    });
  });

  describe('notebook', () => {
    it('reports torch.load in a code cell of a notebook open in the notebook editor', async () => {
      const nb = await vscode.workspace.openNotebookDocument(wsUri('analysis.ipynb'));
      await vscode.window.showNotebookDocument(nb);
      assert.equal(nb.notebookType, 'jupyter-notebook');
      const cell = nb.getCells().find((c) => c.kind === vscode.NotebookCellKind.Code && c.document.getText().includes('torch.load'));
      assert.ok(cell, 'the fixture has a torch.load cell');
      const [d] = await waitFor(`${RULE} in the notebook cell`, () => ours(cell.document.uri, RULE).length > 0 && ours(cell.document.uri, RULE));
      assert.equal(d.range.start.line, rangeOf(cell.document, 'torch.load').start.line, 'range is within the cell');
      const markdown = nb.getCells().find((c) => c.kind === vscode.NotebookCellKind.Markup);
      assert.ok(markdown && ours(markdown.document.uri).length === 0, 'markdown cells get nothing');
    });

    it('joins a notebook with its own %pip install line, which wins over its project’s pin', async () => {
      // lab/requirements.txt pins torch 2.6.0 (fixed); the notebook installs 2.1.0 itself.
      const nb = await vscode.workspace.openNotebookDocument(wsUri('lab/pinned.ipynb'));
      await vscode.window.showNotebookDocument(nb);
      const cell = nb.getCells().find((c) => c.document.getText().includes('torch.load'))!;
      const [d] = await waitFor(`an escalated ${RULE}`, () => {
        const ds = ours(cell.document.uri, RULE).filter((x) => x.severity === vscode.DiagnosticSeverity.Error);
        return ds.length > 0 && ds;
      });
      assert.match(d.message, /2\.1\.0/, 'names the version the notebook installs');
      const rel = d.relatedInformation?.[0];
      assert.ok(rel, 'links the line that decides');
      assert.equal(rel.location.uri.toString(), nb.getCells()[0]!.document.uri.toString(), 'the install cell, not lab/requirements.txt');
    });
  });
}
