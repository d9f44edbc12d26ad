// The supply-chain request and the environment request through the real language server: a
// workspace with a root project (requirements.txt, a Hub model loaded in train.py, a malicious
// pickle under weights/) and a uv project under svc/ (a direct locked package and a transitive one).
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CancellationTokenSource } from 'vscode-languageserver-protocol/node';
import type { OsvRecord } from '../../server/src/domain';
import {
  EnvironmentRequest,
  SupplyChainRequest,
  type EnvironmentResult,
  type SupplyChainParams,
  type SupplyChainProject,
  type SupplyChainResult,
} from '../../server/src/protocol';
import { FakeRegistry, pypiDocument, type FakeServerHandle } from '../support/fakeRegistry';
import { evilPickle } from '../support/modelBytes';
import { LspClient, ROOT } from './lspClient';

const OSV = path.join(ROOT, 'test/fixtures/protocol/osv');
const records = ['PYSEC-2021-66.json', 'GHSA-53q9-r3pm-6pq6.json'].map((f) => JSON.parse(readFileSync(path.join(OSV, f), 'utf8')) as OsvRecord);

const HF_MODEL = {
  id: 'acme/bert-tiny',
  sha: '0123456789abcdef0123456789abcdef01234567',
  siblings: [{ rfilename: 'config.json' }, { rfilename: 'model.safetensors' }],
  cardData: { license: 'apache-2.0' },
  securityRepoStatus: { scansDone: true, filesWithIssues: [] },
};

describe('language server: supply chain and environments', function () {
  this.timeout(60_000);
  let registry: FakeRegistry;
  let handle: FakeServerHandle;
  let ws: string;
  let cacheDir: string;
  let client: LspClient;
  const uriOf = (rel: string) => pathToFileURL(path.join(ws, rel)).toString();

  before(async () => {
    registry = new FakeRegistry({
      osvRecords: records,
      pypi: {
        jinja2: pypiDocument('Jinja2', ['2.10.1', '2.11.3', '3.1.4'].map((version) => ({ version }))),
        requests: pypiDocument('requests', ['2.31.0', '2.32.3'].map((version) => ({ version }))),
        torch: pypiDocument('torch', ['2.1.0', '2.6.0'].map((version) => ({ version }))),
        filelock: pypiDocument('filelock', [{ version: '3.13.1' }]),
      },
      hf: { 'acme/bert-tiny': HF_MODEL },
    });
    handle = await registry.start();
  });
  after(async () => handle.close());

  beforeEach(async () => {
    registry.reset();
    ws = mkdtempSync(path.join(os.tmpdir(), 'aidr-supply-'));
    cacheDir = mkdtempSync(path.join(os.tmpdir(), 'aidr-cache-'));
    writeFileSync(path.join(ws, 'requirements.txt'), '# app\njinja2==2.10.1\nrequests==2.31.0\n');
    writeFileSync(path.join(ws, 'train.py'), 'from transformers import AutoModel\nimport torch\nmodel = AutoModel.from_pretrained("acme/bert-tiny")\nstate = torch.load("weights/evil.pt")\n');
    // The lab's policy approves acme/* models only.
    mkdirSync(path.join(ws, 'lab'));
    writeFileSync(path.join(ws, 'lab/requirements.txt'), 'requests==2.31.0\n');
    writeFileSync(path.join(ws, 'lab/aidr.toml'), '[models]\nallow = ["acme/*"]\n');
    writeFileSync(path.join(ws, 'lab/run.py'), 'from transformers import AutoModel\nAutoModel.from_pretrained("acme/bert-tiny")\nAutoModel.from_pretrained("other/model")\n');
    mkdirSync(path.join(ws, 'weights'));
    writeFileSync(path.join(ws, 'weights/evil.pt'), evilPickle());
    mkdirSync(path.join(ws, 'svc/src'), { recursive: true });
    writeFileSync(path.join(ws, 'svc/pyproject.toml'), '[project]\nname = "ml-app"\nversion = "0.1.0"\ndependencies = ["torch"]\n');
    copyFileSync(path.join(ROOT, 'test/fixtures/manifests/uv.lock'), path.join(ws, 'svc/uv.lock'));
    writeFileSync(path.join(ws, 'svc/src/app.py'), 'import torch\n');
    client = new LspClient({
      workspaceFolder: ws,
      settings: { osvUrl: handle.url, pypiUrl: handle.url, npmUrl: handle.url, hfUrl: handle.url, requestTimeoutMs: 2000 },
      initializationOptions: { cacheDir, debounceMs: 5 },
    });
    await client.initialize();
    // The background model-file scan has run once this is published.
    await client.waitForDiagnostics(uriOf('weights/evil.pt'), (p) => p.diagnostics.length > 0, 30_000);
  });
  afterEach(async () => {
    await client.stop();
    rmSync(ws, { recursive: true, force: true });
    rmSync(cacheDir, { recursive: true, force: true });
  });

  const supplyChain = (params: SupplyChainParams, token?: CancellationTokenSource) =>
    (token ? client.conn.sendRequest(SupplyChainRequest.method, params, token.token) : client.conn.sendRequest(SupplyChainRequest.method, params)) as Promise<SupplyChainResult>;
  const project = (r: SupplyChainResult, name: string): SupplyChainProject => {
    const p = r.projects.find((x) => x.name === name);
    assert.ok(p, `project ${name} in ${r.projects.map((x) => x.name).join(', ')}`);
    return p;
  };

  it('answers from parsed manifests and model-file scans before any refresh, without registry look-ups', async () => {
    await client.waitFor(() => client.notifications.find((n) => n.method === 'window/logMessage' && /indexed \d+ manifest/.test(JSON.stringify(n.params))), 10_000, 'the manifest index');
    registry.reset();
    const r = await supplyChain({});
    assert.equal(r.complete, false);
    assert.deepEqual(r.projects.map((p) => p.name), ['.', 'lab', 'svc']);
    const root = project(r, '.');
    assert.deepEqual(root.packages.map((p) => `${p.name} ${p.version}`).sort(), ['jinja2 2.10.1', 'requests 2.31.0']);
    assert.ok(root.packages.every((p) => p.findings.length === 0 && p.direct), 'no findings without an analysis');
    const evil = root.models.find((m) => m.kind === 'file');
    assert.equal(evil?.name, 'weights/evil.pt');
    assert.equal(evil?.scan?.verdict, 'unsafe');
    assert.equal(evil?.worst, 'error');
    assert.equal(r.files[evil!.modelFile!], uriOf('weights/evil.pt'));
    assert.equal(registry.count('osv-querybatch') + registry.count('pypi'), 0, 'no advisory or registry look-up');
  });

  it('a refresh analyses every file: findings, locked and transitive packages, Hub facts and the loading call', async () => {
    const r = await supplyChain({ refresh: true });
    assert.equal(r.complete, true);
    assert.equal(new Set(r.files).size, r.files.length, 'each file once');
    const root = project(r, '.');
    const jinja = root.packages.find((p) => p.name === 'jinja2')!;
    assert.equal(jinja.worst, 'warning', 'a moderate advisory');
    assert.deepEqual(jinja.findings.map((f) => f.advisories), [['PYSEC-2021-66']]);
    assert.equal(r.files[jinja.at.file], uriOf('requirements.txt'));
    assert.deepEqual(jinja.at.range, [1, 0, 1, 6], 'the name on its line');
    assert.equal(root.packages[0]!.name, 'jinja2', 'worst first');
    assert.equal(root.packages.find((p) => p.name === 'requests')?.worst, undefined);

    const hub = root.models.find((m) => m.kind === 'hub')!;
    assert.equal(hub.name, 'acme/bert-tiny');
    assert.equal(hub.pinnedToCommit, false);
    assert.equal(hub.license, 'apache-2.0');
    assert.deepEqual(hub.formats, ['safetensors']);
    assert.equal(hub.scan?.by, 'hub');
    assert.equal(hub.scan?.verdict, 'safe');
    assert.equal(hub.approved, undefined, 'no policy governs the root');
    const lab = project(r, 'lab');
    assert.deepEqual(Object.fromEntries(lab.models.map((m) => [m.name, m.approved])), { 'other/model': false, 'acme/bert-tiny': true }, 'lab/aidr.toml decides');
    assert.equal(r.files[hub.at.file], uriOf('train.py'));
    assert.deepEqual(hub.at.range, [2, 35, 2, 49], 'the id inside its quotes');
    assert.ok(hub.findings.some((f) => f.rule === 'unpinned-model-revision'));

    const evil = root.models.find((m) => m.kind === 'file')!;
    assert.equal(evil.name, 'weights/evil.pt');
    assert.equal(evil.calls, 1, 'the torch.load call resolves to the scanned file');
    assert.ok(evil.findings.some((f) => f.rule === 'unsafe-torch-load' && r.files[f.at.file] === uriOf('train.py')), 'the call’s findings join the file’s row');
    assert.equal(evil.worst, 'error');
    assert.ok(!root.models.some((m) => m.kind === 'local'), 'no separate row for a path that resolves');

    const svc = project(r, 'svc');
    assert.deepEqual(svc.decidedBy.map((i) => path.basename(r.files[i]!)), ['uv.lock', 'pyproject.toml']);
    const torch = svc.packages.find((p) => p.name === 'torch')!;
    assert.equal(torch.direct, true);
    assert.equal(torch.version, '2.1.0');
    assert.equal(torch.versionFrom, 'locked');
    assert.equal(r.files[torch.at.file], uriOf('svc/pyproject.toml'), 'the declaration, not the lock entry');
    assert.deepEqual(torch.alsoIn?.map((i) => r.files[i]), [uriOf('svc/uv.lock')]);
    assert.ok(torch.findings.some((f) => f.advisories?.includes('GHSA-53q9-r3pm-6pq6')));
    const filelock = svc.packages.find((p) => p.name === 'filelock')!;
    assert.equal(filelock.direct, false, 'only the lockfile has it');
    assert.equal(svc.packages.find((p) => p.name === 'my-git-pkg')?.source, 'git');
  });

  it('filters to rows with findings and caps rows, counting what it left out', async () => {
    await supplyChain({ refresh: true });
    const only = await supplyChain({ onlyFindings: true });
    const root = project(only, '.');
    assert.deepEqual(root.packages.map((p) => p.name), ['jinja2']);
    assert.ok(root.models.every((m) => m.worst), 'only flagged models');
    assert.equal(root.counts.packages, 2, 'totals before the filter');
    assert.ok(project(only, 'svc').packages.every((p) => p.findings.length > 0));
    const capped = await supplyChain({ maxRows: 1 });
    const svc = project(capped, 'svc');
    assert.equal(svc.packages.length, 1);
    assert.equal(svc.morePackages, svc.counts.packages - 1);
    assert.ok(svc.morePackages >= 2);
  });

  it('a cancelled refresh answers with what the server had, marked cancelled', async () => {
    registry.options.latencyMs = 2000;
    try {
      const source = new CancellationTokenSource();
      const pending = supplyChain({ refresh: true }, source);
      await client.waitFor(() => (registry.count('osv-querybatch') > 0 ? true : undefined), 10_000, 'the refresh to ask OSV');
      source.cancel();
      const r = await pending;
      assert.equal(r.cancelled, true);
      assert.equal(r.complete, false);
    } finally {
      registry.options.latencyMs = 0;
    }
  });

  it('says which environment a file is in and which files decide its versions', async () => {
    await client.waitFor(() => client.notifications.find((n) => n.method === 'window/logMessage' && /indexed \d+ manifest/.test(JSON.stringify(n.params))), 10_000, 'the manifest index');
    const env = (rel: string) => client.conn.sendRequest(EnvironmentRequest.method, { uri: uriOf(rel) }) as Promise<EnvironmentResult>;
    const app = await env('svc/src/app.py');
    assert.equal(app.kind, 'code');
    assert.equal(app.projectRoot, uriOf('svc'));
    assert.equal(app.workspaceFolder, pathToFileURL(ws).toString());
    assert.deepEqual(app.decidedBy.map((f) => [path.basename(f.uri), f.role]), [['uv.lock', 'lockfile'], ['pyproject.toml', 'manifest']]);
    const train = await env('train.py');
    assert.equal(train.projectRoot, pathToFileURL(ws).toString());
    assert.deepEqual(train.decidedBy.map((f) => path.basename(f.uri)), ['requirements.txt']);
    const manifest = await env('svc/pyproject.toml');
    assert.equal(manifest.kind, 'manifest');
    assert.match(manifest.note ?? '', /uv\.lock/);
    const outside = await env('../elsewhere.py');
    assert.equal(outside.projectRoot, undefined);
    assert.equal(outside.workspaceFolder, undefined);
    assert.match(outside.note ?? '', /outside the workspace/);
    // An open document: the environment its analysis used.
    const text = 'import torch\ntorch.load("x")\n';
    await client.open(uriOf('svc/src/app.py'), 'python', text);
    await client.waitForDiagnostics(uriOf('svc/src/app.py'));
    assert.equal((await env('svc/src/app.py')).projectRoot, uriOf('svc'));
    const bad = (await client.conn.sendRequest(EnvironmentRequest.method, { uri: 42 })) as EnvironmentResult;
    assert.equal(bad.kind, 'other');
    assert.match(bad.note ?? '', /Not a file on disk/);
  });
});
