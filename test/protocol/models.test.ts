// Model files through the real language server: a malicious pickle in the workspace is reported on
// the file itself once the background scan finds it; a clean safetensors file gets nothing.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { cleanSafetensors, evilPickle } from '../support/modelBytes';
import { LspClient, text } from './lspClient';

describe('language server: model files', function () {
  this.timeout(60_000);
  let ws: string;
  let client: LspClient;

  beforeEach(() => {
    ws = mkdtempSync(path.join(os.tmpdir(), 'aidr-models-'));
  });
  afterEach(async () => {
    await client?.stop();
    rmSync(ws, { recursive: true, force: true });
  });

  it('reports a malicious pickle found by content on the file, and nothing for clean weights', async () => {
    mkdirSync(path.join(ws, 'weights'));
    writeFileSync(path.join(ws, 'weights/evil.pt'), evilPickle());
    writeFileSync(path.join(ws, 'weights/blob'), evilPickle('id'));
    writeFileSync(path.join(ws, 'weights/clean.safetensors'), cleanSafetensors());
    client = new LspClient({ workspaceFolder: ws, settings: { offline: true } });
    await client.initialize();
    const uri = pathToFileURL(path.join(ws, 'weights/evil.pt')).toString();
    const d = await client.waitForDiagnostics(uri, (p) => p.diagnostics.length > 0, 30_000);
    assert.equal(d.diagnostics[0]!.code, 'unsafe-model-file');
    assert.equal(d.diagnostics[0]!.severity, 1);
    assert.match(text(d.diagnostics[0]!.message), /weights\/evil\.pt imports posix\.system/);
    assert.deepEqual(d.diagnostics[0]!.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
    const blob = await client.waitForDiagnostics(pathToFileURL(path.join(ws, 'weights/blob')).toString(), (p) => p.diagnostics.length > 0, 30_000);
    assert.match(text(blob.diagnostics[0]!.message), /posix\.system/, 'a file without an extension is sniffed');
    assert.equal(client.diagnostics.get(pathToFileURL(path.join(ws, 'weights/clean.safetensors')).toString()), undefined);
  });

  it('joins a loading call with the model file it loads: the finding on the call links the file, the hover shows its imports', async () => {
    mkdirSync(path.join(ws, 'weights'));
    writeFileSync(path.join(ws, 'weights/evil.pt'), evilPickle());
    client = new LspClient({ workspaceFolder: ws, settings: { offline: true } });
    await client.initialize();
    const uri = pathToFileURL(path.join(ws, 'train.py')).toString();
    const code = 'import torch\nstate = torch.load("weights/evil.pt", weights_only=True)\n';
    await client.open(uri, 'python', code);
    const d = await client.waitForDiagnostics(uri, (p) => p.diagnostics.some((x) => x.code === 'unsafe-model-file'), 30_000);
    const f = d.diagnostics.find((x) => x.code === 'unsafe-model-file')!;
    assert.equal(f.severity, 1);
    assert.match(text(f.message), /weights\/evil\.pt imports posix\.system/);
    assert.equal(f.range.start.line, 1);
    assert.equal(code.split('\n')[1]!.slice(f.range.start.character, f.range.end.character), 'weights/evil.pt');
    assert.equal(f.relatedInformation?.[0]?.location.uri, pathToFileURL(path.join(ws, 'weights/evil.pt')).toString());
    const hover = await client.hover(uri, 1, 24);
    const value = hover && typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : '';
    assert.match(value, /Model file/);
    assert.match(value, /posix\.system/);
    assert.match(value, /denied/);
  });

  it('leaves a call that loads a clean or missing file alone', async () => {
    writeFileSync(path.join(ws, 'clean.safetensors'), cleanSafetensors());
    client = new LspClient({ workspaceFolder: ws, settings: { offline: true } });
    await client.initialize();
    const uri = pathToFileURL(path.join(ws, 'load.py')).toString();
    await client.open(uri, 'python', 'from safetensors.torch import load_file\nimport torch\na = load_file("clean.safetensors")\nb = torch.load("missing.pt", weights_only=True)\n');
    const d = await client.waitForDiagnostics(uri, () => true, 30_000);
    assert.deepEqual(d.diagnostics.filter((x) => x.code === 'unsafe-model-file'), []);
  });
});
