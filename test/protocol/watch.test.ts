// The watch through the real language server, with a cache TTL of about a second: once the fake
// registry starts returning an advisory for a workspace package, the server tells the client once
// (window/showMessageRequest with an "Open" action) and, when the action is picked, opens the
// finding (window/showDocument at the package's line). Later checks do not repeat it.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { InitializedNotification, InitializeRequest, type InitializeParams } from 'vscode-languageserver-protocol/node';
import type { OsvRecord } from '../../server/src/domain';
import { FakeRegistry, pypiDocument, type FakeServerHandle } from '../support/fakeRegistry';
import { LspClient } from './lspClient';

/** An advisory published "today" for every jinja2 before 3.1.4. */
const NEW_ADVISORY: OsvRecord = {
  id: 'GHSA-test-0001-watch',
  modified: '2025-06-01T00:00:00Z',
  published: '2025-06-01T00:00:00Z',
  summary: 'Template sandbox escape',
  affected: [{ package: { ecosystem: 'PyPI', name: 'jinja2' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.1.4' }] }] }],
  database_specific: { severity: 'HIGH' },
};

interface ShowMessageRequest {
  type: number;
  message: string;
  actions?: { title: string }[];
}

describe('language server: watch for new advisories', function () {
  this.timeout(60_000);
  let registry: FakeRegistry;
  let handle: FakeServerHandle;
  let ws: string;
  let cacheDir: string;
  let client: LspClient;

  beforeEach(async () => {
    registry = new FakeRegistry({ osvRecords: [], pypi: { jinja2: pypiDocument('Jinja2', ['2.11.3', '3.1.4'].map((version) => ({ version }))) } });
    handle = await registry.start();
    ws = mkdtempSync(path.join(os.tmpdir(), 'aidr-watch-'));
    cacheDir = mkdtempSync(path.join(os.tmpdir(), 'aidr-cache-'));
    writeFileSync(path.join(ws, 'requirements.txt'), 'jinja2==2.11.3\n');
  });
  afterEach(async () => {
    await client?.stop();
    await handle.close();
    rmSync(ws, { recursive: true, force: true });
    rmSync(cacheDir, { recursive: true, force: true });
  });

  /** Starts the server with a client that can open documents (window/showDocument). */
  async function start(settings: Record<string, unknown>): Promise<{ asked: ShowMessageRequest[]; shown: unknown[] }> {
    client = new LspClient({ workspaceFolder: ws, settings });
    const asked: ShowMessageRequest[] = [];
    const shown: unknown[] = [];
    client.conn.onRequest('window/showMessageRequest', (p: ShowMessageRequest) => {
      asked.push(p);
      return p.actions?.find((a) => a.title === 'Open') ?? null;
    });
    client.conn.onRequest('window/showDocument', (p: unknown) => {
      shown.push(p);
      return { success: true };
    });
    const folder = pathToFileURL(ws).toString();
    const params: InitializeParams = {
      processId: process.pid,
      rootUri: folder,
      workspaceFolders: [{ uri: folder, name: 'ws' }],
      capabilities: { workspace: { configuration: true }, window: { showDocument: { support: true } } },
      initializationOptions: { cacheDir },
    };
    await client.conn.sendRequest(InitializeRequest.type, params);
    await client.conn.sendNotification(InitializedNotification.type, {});
    return { asked, shown };
  }

  const checks = () => client.notifications.filter((n) => n.method === 'window/logMessage' && /watch: checked 1 package/.test(JSON.stringify(n.params))).length;

  it('tells the user once about an advisory that appears for a workspace package, and opens it on request', async () => {
    const { asked, shown } = await start({ osvUrl: handle.url, pypiUrl: handle.url, npmUrl: handle.url, hfUrl: handle.url, requestTimeoutMs: 2000, cacheTtlHours: 0.0003 });
    await client.waitFor(() => (checks() >= 1 ? true : undefined), 20_000, 'the baseline check');
    assert.equal(asked.length, 0, 'the baseline is not news');
    assert.ok(registry.count('osv-querybatch') >= 1, 'the check asked OSV');

    registry.options.osvRecords = [NEW_ADVISORY];
    await client.waitFor(() => (asked.length ? true : undefined), 20_000, 'the notification');
    assert.match(asked[0]!.message, /GHSA-test-0001-watch/);
    assert.match(asked[0]!.message, /jinja2 2\.11\.3 \(requirements\.txt\)/);
    assert.equal(asked[0]!.type, 1, 'a high advisory is an error');
    assert.deepEqual(asked[0]!.actions, [{ title: 'Open' }]);
    await client.waitFor(() => (shown.length ? true : undefined), 10_000, 'window/showDocument');
    assert.deepEqual(shown[0], {
      uri: pathToFileURL(path.join(ws, 'requirements.txt')).toString(),
      selection: { start: { line: 0, character: 0 }, end: { line: 0, character: 6 } },
      takeFocus: true,
    });

    const after = checks();
    await client.waitFor(() => (checks() >= after + 2 ? true : undefined), 20_000, 'two more checks');
    assert.equal(asked.length, 1, 'the same advisory is not told twice');
  });

  it('never checks offline', async () => {
    const { asked } = await start({ offline: true, cacheTtlHours: 0.0003 });
    // Something that takes longer than several check intervals would: a document's analysis
    // after the manifest index, repeated.
    for (let i = 1; i <= 3; i++) {
      const uri = pathToFileURL(path.join(ws, `r${i}.txt`)).toString();
      await client.open(uri, 'pip-requirements', 'jinja2==2.11.3\n');
      await client.waitForDiagnostics(uri);
      await client.waitFor(() => client.notifications.find((n) => n.method === 'window/logMessage' && /indexed \d+ manifest/.test(JSON.stringify(n.params))), 10_000, 'the index');
    }
    assert.equal(checks(), 0);
    assert.equal(asked.length, 0);
    assert.equal(registry.count(), 0, 'nothing reached the network');
  });
});
