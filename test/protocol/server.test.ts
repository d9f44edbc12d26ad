// Protocol tests: the BUILT language server over stdio, a real LSP client, and a loopback fake
// registry serving recorded OSV records and synthesised PyPI documents.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { FakeRegistry, pypiDocument, type FakeServerHandle } from '../support/fakeRegistry';
import type { OsvRecord } from '../../server/src/domain';
import { applyEdits, LspClient, ROOT, text as msgText } from './lspClient';

const FIXTURES = path.join(ROOT, 'test/fixtures/protocol/osv');
const records: OsvRecord[] = readdirSync(FIXTURES).map((f) => JSON.parse(readFileSync(path.join(FIXTURES, f), 'utf8')) as OsvRecord);

const pypi = {
  jinja2: pypiDocument('Jinja2', ['2.10', '2.10.1', '2.11.2', '2.11.3', '3.0.0', '3.1.4'].map((version) => ({ version }))),
  pyyaml: pypiDocument('PyYAML', ['5.3', '5.3.1', '5.4', '5.4.1', '6.0', '6.0.1'].map((version) => ({ version }))),
  torch: pypiDocument('torch', ['1.13.0', '1.13.1', '2.0.0', '2.5.1', '2.6.0', '2.7.0'].map((version) => ({ version }))),
  requests: pypiDocument('requests', ['2.31.0', '2.32.3'].map((version) => ({ version }))),
};

const HF_SHA = '0123456789abcdef0123456789abcdef01234567';
const HF_MODEL = {
  id: 'acme/bert-tiny',
  author: 'acme',
  sha: HF_SHA,
  lastModified: '2025-03-01T10:00:00.000Z',
  downloads: 12345,
  likes: 3,
  gated: false,
  private: false,
  siblings: [{ rfilename: 'config.json' }, { rfilename: 'pytorch_model.bin' }, { rfilename: 'modeling_acme.py' }],
  cardData: { license: 'apache-2.0', base_model: 'google/bert_uncased_L-2_H-128_A-2' },
  config: { auto_map: { AutoModel: 'modeling_acme.AcmeModel' } },
  securityRepoStatus: { scansDone: false, filesWithIssues: [] },
};

describe('language server over stdio', function () {
  this.timeout(60_000);
  let registry: FakeRegistry;
  let handle: FakeServerHandle;
  let ws: string;
  let cacheDir: string;
  let client: LspClient;

  const settings = () => ({ osvUrl: handle.url, pypiUrl: handle.url, npmUrl: handle.url, hfUrl: handle.url, requestTimeoutMs: 2000 });
  const uriOf = (name: string) => pathToFileURL(path.join(ws, name)).toString();

  before(async () => {
    registry = new FakeRegistry({ osvRecords: records, pypi, hf: { 'acme/bert-tiny': HF_MODEL } });
    handle = await registry.start();
  });
  after(async () => {
    await handle.close();
  });
  beforeEach(async () => {
    ws = mkdtempSync(path.join(os.tmpdir(), 'aidr-ws-'));
    cacheDir = mkdtempSync(path.join(os.tmpdir(), 'aidr-cache-'));
    registry.setFailures([]);
    registry.options.latencyMs = 0;
  });
  afterEach(async () => {
    await client?.stop();
    rmSync(ws, { recursive: true, force: true });
    rmSync(cacheDir, { recursive: true, force: true });
  });

  async function start(extra: { noConfiguration?: boolean } = {}): Promise<LspClient> {
    client = new LspClient({
      workspaceFolder: ws,
      settings: extra.noConfiguration ? undefined : settings(),
      initializationOptions: { cacheDir, debounceMs: 5, ...(extra.noConfiguration ? { settings: settings() } : {}) },
    });
    await client.initialize();
    return client;
  }

  it('publishes a vulnerable-dependency diagnostic, hovers the evidence, and the pin fix clears it', async () => {
    const text = '# app\njinja2==2.10.1 ; python_version >= "3.8"  # templating\nrequests==2.31.0\n';
    writeFileSync(path.join(ws, 'requirements.txt'), text);
    const c = await start();
    const uri = uriOf('requirements.txt');
    await c.open(uri, 'pip-requirements', text);
    const pub = await c.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'vulnerable-dependency'));
    const d = pub.diagnostics.find((x) => x.code === 'vulnerable-dependency')!;
    assert.equal(d.source, 'ai-dependency-risk');
    assert.deepEqual(d.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 6 } });
    assert.match(msgText(d.message), /PYSEC-2021-66/);
    assert.ok(d.codeDescription?.href.endsWith('vulnerable-dependency.md'));
    // requests 2.31.0 has no advisory in the fixtures: no vulnerable finding on line 2.
    assert.ok(!pub.diagnostics.some((x) => x.code === 'vulnerable-dependency' && x.range.start.line === 2));

    const hover = await c.hover(uri, 1, 2);
    const value = (hover?.contents as { value: string }).value;
    assert.match(value, /PYSEC-2021-66/);
    assert.match(value, /CVE-2020-28493/);
    assert.match(value, /fixed in 2\.11\.3/);
    assert.match(value, /pinned: \*\*2\.10\.1\*\*/);

    const actions = await c.codeActions(uri, [d]);
    const pin = actions?.find((a) => 'title' in a && /Pin jinja2 to 2\.11\.3/.test(a.title));
    assert.ok(pin && 'edit' in pin && pin.edit, `no pin action in ${JSON.stringify(actions?.map((a) => a.title))}`);
    const edits = pin.edit!.changes![uri];
    const fixed = applyEdits(text, edits);
    assert.equal(fixed, '# app\njinja2==2.11.3 ; python_version >= "3.8"  # templating\nrequests==2.31.0\n');
    assert.ok(actions?.some((a) => /aidr: ignore/.test(a.title)), 'a suppression action is offered');

    await c.replace(uri, fixed, 2);
    await c.waitForDiagnostics(uri, (p) => p.version === 2 && !p.diagnostics.some((x) => x.code === 'vulnerable-dependency'));
  });

  it('diagnostics follow edits: a newly typed vulnerable pin appears, the old one goes', async () => {
    const c = await start();
    const uri = uriOf('requirements-dev.txt');
    await c.open(uri, 'pip-requirements', 'pyyaml==6.0.1\n');
    await c.waitForDiagnostics(uri, (p) => p.version === 1 || p.diagnostics.length >= 0);
    for (const [i, t] of ['pyyaml==5', 'pyyaml==5.', 'pyyaml==5.3'].entries()) await c.replace(uri, `${t}\n`, i + 2);
    const pub = await c.waitForDiagnostics(uri, (p) => p.version === 4 && p.diagnostics.some((d) => d.code === 'vulnerable-dependency'));
    const d = pub.diagnostics.find((x) => x.code === 'vulnerable-dependency')!;
    assert.match(msgText(d.message), /pyyaml 5\.3/);
    assert.match(msgText(d.message), /PYSEC-2020-96|PYSEC-2021-142/);
  });

  it('reads pyproject.toml (PEP 621) and offers the fix in TOML syntax', async () => {
    const text = '[project]\nname = "x"\ndependencies = [\n  "jinja2==2.10",\n]\n';
    const c = await start();
    const uri = uriOf('pyproject.toml');
    await c.open(uri, 'toml', text);
    const pub = await c.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'vulnerable-dependency'));
    const d = pub.diagnostics.find((x) => x.code === 'vulnerable-dependency')!;
    assert.equal(d.range.start.line, 3);
    const actions = await c.codeActions(uri, [d]);
    const pin = actions!.find((a) => /nearest safe/.test(a.title))!;
    assert.ok('edit' in pin);
    assert.equal(applyEdits(text, pin.edit!.changes![uri]), '[project]\nname = "x"\ndependencies = [\n  "jinja2==2.11.3",\n]\n');
  });

  it('joins code with the workspace manifests: torch.load(weights_only=True) is an error under torch<2.6', async () => {
    writeFileSync(path.join(ws, 'requirements.txt'), 'torch==2.5.1\n');
    const c = await start();
    const uri = uriOf('train.py');
    const code = 'import torch as T\n\nstate = T.load(\n    "ckpt.pt",\n    weights_only=True,\n)\nother = T.load("b.pt")\n';
    await c.open(uri, 'python', code);
    const pub = await c.waitForDiagnostics(uri, (p) => p.diagnostics.filter((d) => d.code === 'unsafe-torch-load').length === 2);
    const [first, second] = pub.diagnostics.filter((d) => d.code === 'unsafe-torch-load');
    assert.equal(first.severity, 1, 'error');
    assert.match(msgText(first.message), /CVE-2025-32434/);
    assert.ok(first.relatedInformation?.some((r) => r.location.uri.endsWith('requirements.txt') && r.location.range.start.line === 0));
    const actions = await c.codeActions(uri, [second]);
    const wo = actions!.find((a) => /weights_only=True/.test(a.title))!;
    assert.ok('edit' in wo);
    assert.match(applyEdits(code, wo.edit!.changes![uri]), /T\.load\("b\.pt", weights_only=True\)/);
  });

  it('the same call is only a warning when the workspace installs a fixed torch', async () => {
    writeFileSync(path.join(ws, 'requirements.txt'), 'torch==2.6.0\n');
    const c = await start();
    const uri = uriOf('train.py');
    await c.open(uri, 'python', 'import torch\nx = torch.load("a.pt", weights_only=True)\ny = torch.load("b.pt")\n');
    const pub = await c.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'unsafe-torch-load'));
    const torch = pub.diagnostics.filter((d) => d.code === 'unsafe-torch-load');
    assert.equal(torch.length, 1, JSON.stringify(torch));
    assert.equal(torch[0].range.start.line, 2);
    assert.notEqual(torch[0].severity, 1);
  });

  it('analyses notebook cells as one namespace and publishes per cell', async () => {
    const c = await start();
    const nbUri = uriOf('explore.ipynb');
    const cell0 = `${nbUri}#cell0`.replace('file:', 'vscode-notebook-cell:');
    const cell1 = `${nbUri}#cell1`.replace('file:', 'vscode-notebook-cell:');
    await c.conn.sendNotification('notebookDocument/didOpen', {
      notebookDocument: {
        uri: nbUri,
        notebookType: 'jupyter-notebook',
        version: 1,
        cells: [
          { kind: 2, document: cell0 },
          { kind: 2, document: cell1 },
        ],
      },
      cellTextDocuments: [
        { uri: cell0, languageId: 'python', version: 1, text: '%pip install torch==2.1.0\nimport torch\n' },
        { uri: cell1, languageId: 'python', version: 1, text: 'w = torch.load("model.pt")\n' },
      ],
    });
    const p1 = await c.waitForDiagnostics(cell1, (p) => p.diagnostics.some((d) => d.code === 'unsafe-torch-load'));
    const d = p1.diagnostics.find((x) => x.code === 'unsafe-torch-load')!;
    assert.equal(d.range.start.line, 0);
    assert.equal(d.severity, 1, 'torch 2.1.0 from the notebook install escalates to error');
    const p0 = await c.waitForDiagnostics(cell0, (p) => p.diagnostics.some((x) => x.code === 'vulnerable-dependency'));
    assert.ok(p0.diagnostics.some((x) => x.code === 'vulnerable-dependency' && /torch 2\.1\.0/.test(msgText(x.message))));
  });

  it('takes settings from initializationOptions when the client has no configuration support', async () => {
    const c = await start({ noConfiguration: true });
    const uri = uriOf('requirements.txt');
    await c.open(uri, 'pip-requirements', 'jinja2==2.10\n');
    await c.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'vulnerable-dependency'));
  });

  it('survives a registry that is down: no crash, a clear status, and it recovers', async () => {
    registry.setFailures([{ route: '*', mode: 'down' }]);
    const c = await start();
    const uri = uriOf('requirements.txt');
    await c.open(uri, 'pip-requirements', 'jinja2==2.10\n');
    const status = await c.waitFor(
      () => c.notifications.find((n) => n.method === 'aiDependencyRisk/status' && typeof (n.params as { detail?: string }).detail === 'string' && /OSV/i.test((n.params as { detail: string }).detail)),
      15_000,
      'a status notification naming the OSV failure',
    );
    assert.ok(status);
    await c.waitForDiagnostics(uri);
    registry.setFailures([]);
    await c.replace(uri, 'jinja2==2.10\n\n', 2);
    await c.waitForDiagnostics(uri, (p) => p.version === 2 && p.diagnostics.some((d) => d.code === 'vulnerable-dependency'), 15_000);
  });

  it('cancels stale work: a slow registry and quick edits end with the last version only', async () => {
    registry.options.latencyMs = 300;
    const c = await start();
    const uri = uriOf('requirements.txt');
    await c.open(uri, 'pip-requirements', 'jinja2==2.10\n');
    await c.replace(uri, 'jinja2==3.1.4\n', 2);
    await c.replace(uri, 'pyyaml==5.3\n', 3);
    const pub = await c.waitForDiagnostics(uri, (p) => p.version === 3 && p.diagnostics.some((d) => d.code === 'vulnerable-dependency'), 20_000);
    assert.ok(pub.diagnostics.every((d) => !/jinja2/.test(msgText(d.message))));
  });

  it('reports a malformed pyproject.toml as a diagnostic instead of failing', async () => {
    const c = await start();
    const uri = uriOf('pyproject.toml');
    await c.open(uri, 'toml', '[project\ndependencies = ["jinja2==2.10"]\n');
    const pub = await c.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'parse-error'));
    assert.ok(msgText(pub.diagnostics.find((d) => d.code === 'parse-error')!.message).length > 5);
    // The server still answers afterwards.
    const other = uriOf('requirements.txt');
    await c.open(other, 'pip-requirements', 'jinja2==2.10\n');
    await c.waitForDiagnostics(other, (p) => p.diagnostics.some((d) => d.code === 'vulnerable-dependency'));
  });

  it('scans the whole workspace on command', async () => {
    mkdirSync(path.join(ws, 'svc'));
    writeFileSync(path.join(ws, 'svc/requirements.txt'), 'pyyaml==5.3\n');
    writeFileSync(path.join(ws, 'pyproject.toml'), '[project]\nname="x"\ndependencies=["jinja2==2.10"]\n');
    const c = await start();
    const summary = (await c.executeCommand('aiDependencyRisk.server.scanWorkspace')) as { files: number; findings: number; cancelled: boolean };
    assert.equal(summary.cancelled, false);
    assert.equal(summary.files, 2);
    assert.ok(summary.findings >= 2);
    await c.waitForDiagnostics(uriOf('svc/requirements.txt'), (p) => p.diagnostics.some((d) => d.code === 'vulnerable-dependency'));
  });

  it('serves a re-analysis from the cache, and refreshAdvisories fetches again', async () => {
    const c = await start();
    const uri = uriOf('requirements.txt');
    await c.open(uri, 'pip-requirements', 'jinja2==2.10\n');
    await c.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'vulnerable-dependency'));
    registry.reset();
    await c.replace(uri, 'jinja2==2.10\n\n', 2);
    await c.waitForDiagnostics(uri, (p) => p.version === 2);
    assert.equal(registry.count('osv-querybatch'), 0, 'warm: no request');
    const res = (await c.executeCommand('aiDependencyRisk.server.refreshAdvisories')) as { refreshed: number };
    assert.equal(res.refreshed, 1);
    assert.ok(registry.count('osv-querybatch') >= 1, 'refresh asked OSV again');
    await c.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'vulnerable-dependency'));
  });

  it('hovers a model id with Hub facts and pins its revision to the current commit', async () => {
    const c = await start();
    const uri = uriOf('load.py');
    const code = 'from transformers import AutoModel\n\nm = AutoModel.from_pretrained(\n    "acme/bert-tiny",\n)\n';
    await c.open(uri, 'python', code);
    const pub = await c.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'unpinned-model-revision'));
    const d = pub.diagnostics.find((x) => x.code === 'unpinned-model-revision')!;
    const actions = await c.codeActions(uri, [d]);
    const pin = actions!.find((a) => /revision/.test(a.title) && 'edit' in a && a.edit)!;
    assert.ok(pin, JSON.stringify(actions!.map((a) => a.title)));
    assert.ok('edit' in pin);
    assert.match(applyEdits(code, pin.edit!.changes![uri]), new RegExp(`"acme/bert-tiny",\\s*revision="${HF_SHA}"`));
    const hover = await c.hover(uri, 3, 8);
    const value = (hover?.contents as { value: string }).value;
    assert.match(value, /author: acme/);
    assert.match(value, /only pickle-based weights/);
    assert.match(value, /custom code: \*\*yes\*\*/);
    assert.match(value, /not done \(unknown, not safe\)/);
    assert.match(value, new RegExp(HF_SHA));
    assert.match(value, /lineage: based on \*\*google\/bert\\_uncased/);
  });
});
