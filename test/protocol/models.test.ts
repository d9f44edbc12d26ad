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
});
