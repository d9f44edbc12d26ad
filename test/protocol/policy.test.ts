// The policy file end to end: the BUILT language server re-publishes an open Python file's
// diagnostics as aidr.toml is edited (in the editor and on disk) and reports the policy file's own
// problems; in an untrusted workspace its ignores do not apply. The BUILT CLI honours aidr.toml and
// lists the policy file's problems under `errors`.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { FakeRegistry, type FakeServerHandle } from '../support/fakeRegistry';
import type { OsvRecord } from '../../server/src/domain';
import { LspClient, ROOT, text as msgText } from './lspClient';

const OSV_DIR = path.join(ROOT, 'test/fixtures/protocol/osv');
const CLI = path.join(ROOT, 'server/out/cli.js');
const records: OsvRecord[] = readdirSync(OSV_DIR).map((f) => JSON.parse(readFileSync(path.join(OSV_DIR, f), 'utf8')) as OsvRecord);

const SHA = '0123456789abcdef0123456789abcdef01234567';
const HF_MODEL = { id: 'acme/bert-tiny', sha: SHA, siblings: [{ rfilename: 'model.safetensors' }], cardData: { license: 'apache-2.0' }, securityRepoStatus: { scansDone: false, filesWithIssues: [] } };
const CODE = 'from transformers import AutoModel\nm = AutoModel.from_pretrained("acme/bert-tiny", trust_remote_code=True)\n';

describe('policy file (aidr.toml) over LSP', function () {
  this.timeout(60_000);
  let registry: FakeRegistry;
  let handle: FakeServerHandle;
  let ws: string;
  let cacheDir: string;
  let client: LspClient | undefined;

  before(async () => {
    registry = new FakeRegistry({ osvRecords: records, pypi: {}, hf: { 'acme/bert-tiny': HF_MODEL } });
    handle = await registry.start();
  });
  after(() => handle.close());
  beforeEach(() => {
    ws = mkdtempSync(path.join(os.tmpdir(), 'aidr-policy-ws-'));
    cacheDir = mkdtempSync(path.join(os.tmpdir(), 'aidr-policy-cache-'));
  });
  afterEach(async () => {
    await client?.stop();
    client = undefined;
    rmSync(ws, { recursive: true, force: true });
    rmSync(cacheDir, { recursive: true, force: true });
  });

  const uriOf = (name: string) => pathToFileURL(path.join(ws, name)).toString();
  const endpoints = () => ({ osvUrl: handle.url, pypiUrl: handle.url, npmUrl: handle.url, hfUrl: handle.url, requestTimeoutMs: 2000 });
  async function start(extra: Record<string, unknown> = {}): Promise<LspClient> {
    client = new LspClient({
      workspaceFolder: ws,
      settings: endpoints(),
      initializationOptions: { cacheDir, debounceMs: 5, ...extra },
    });
    await client.initialize();
    return client;
  }
  const codes = (p: { diagnostics: { code?: string | number }[] }) => p.diagnostics.map((d) => String(d.code));

  it('editing aidr.toml re-publishes diagnostics for an open Python file, and shows the policy file’s own problems', async () => {
    const policyText = '[models]\nallow = ["acme/*"]\n';
    writeFileSync(path.join(ws, 'aidr.toml'), policyText);
    writeFileSync(path.join(ws, 'app.py'), CODE);
    const c = await start();
    const py = uriOf('app.py');
    const policy = uriOf('aidr.toml');
    await c.open(py, 'python', CODE);
    await c.waitForDiagnostics(py, (p) => codes(p).includes('trust-remote-code'));
    assert.ok(!codes(c.diagnostics.get(py)!).includes('model-not-approved'));

    await c.open(policy, 'toml', policyText);
    await c.waitForDiagnostics(policy, (p) => p.diagnostics.length === 0);
    await c.replace(policy, '[models]\nallow = ["meta-llama/*"]\n', 2);
    const pub = await c.waitForDiagnostics(py, (p) => codes(p).includes('model-not-approved'));
    const d = pub.diagnostics.find((x) => x.code === 'model-not-approved')!;
    assert.deepEqual(d.range, { start: { line: 1, character: 31 }, end: { line: 1, character: 45 } });
    assert.match(msgText(d.message), /not on the project's list of approved models/);
    assert.equal(d.relatedInformation?.[0]?.location.uri, policy, 'the diagnostic points at the policy entry');

    // A typo in the policy: a diagnostic on the key, with a suggestion.
    await c.replace(policy, '[models]\nallow = ["meta-llama/*"]\nrequire_revision = true\n', 3);
    const own = await c.waitForDiagnostics(policy, (p) => p.diagnostics.length > 0);
    assert.deepEqual(own.diagnostics[0]!.range, { start: { line: 2, character: 0 }, end: { line: 2, character: 16 } });
    assert.match(msgText(own.diagnostics[0]!.message), /did you mean 'require-revision'\?/);

    // Ignore the finding: the Python file is re-published without it.
    await c.replace(policy, '[models]\nallow = ["meta-llama/*"]\n\n[[ignore]]\nrule = "model-not-approved"\nmodel = "acme/bert-tiny"\nreason = "Evaluation only"\n', 4);
    await c.waitForDiagnostics(py, (p) => !codes(p).includes('model-not-approved') && codes(p).includes('trust-remote-code'));

    // Closed without saving: the saved policy (which approves acme/*) applies again.
    await c.replace(policy, '[models]\nallow = ["meta-llama/*"]\n', 5);
    await c.waitForDiagnostics(py, (p) => codes(p).includes('model-not-approved'));
    await c.close(policy);
    await c.waitForDiagnostics(py, (p) => !codes(p).includes('model-not-approved'));
  });

  it('a policy written on disk (watched files) applies to open files at once', async () => {
    writeFileSync(path.join(ws, 'requirements.txt'), 'torch==2.6.0\n');
    const c = await start();
    const req = uriOf('requirements.txt');
    await c.open(req, 'pip-requirements', 'torch==2.6.0\n');
    await c.waitForDiagnostics(req);
    assert.ok(!codes(c.diagnostics.get(req)!).includes('package-denied'));
    writeFileSync(path.join(ws, 'aidr.toml'), '[packages]\ndeny = ["torch"]\n');
    await c.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf('aidr.toml'), type: 1 }] });
    await c.waitForDiagnostics(req, (p) => codes(p).includes('package-denied'));
    rmSync(path.join(ws, 'aidr.toml'));
    await c.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf('aidr.toml'), type: 3 }] });
    await c.waitForDiagnostics(req, (p) => !codes(p).includes('package-denied'));
  });

  it('an untrusted workspace: the policy still denies, its ignores do not apply, and it says so', async () => {
    const policyText = '[packages]\ndeny = ["evil-pkg"]\n\n[[ignore]]\nrule = "trust-remote-code"\nmodel = "acme/*"\nreason = "reviewed"\n';
    writeFileSync(path.join(ws, 'aidr.toml'), policyText);
    writeFileSync(path.join(ws, 'app.py'), CODE);
    // The user's own settings name the endpoints: an untrusted workspace's cannot.
    const c = await start({ workspaceTrusted: false, userSettings: endpoints() });
    await c.open(uriOf('app.py'), 'python', CODE);
    await c.waitForDiagnostics(uriOf('app.py'), (p) => codes(p).includes('trust-remote-code'));
    await c.open(uriOf('requirements.txt'), 'pip-requirements', 'evil-pkg==1.0\n');
    await c.waitForDiagnostics(uriOf('requirements.txt'), (p) => codes(p).includes('package-denied'));
    await c.open(uriOf('aidr.toml'), 'toml', policyText);
    const own = await c.waitForDiagnostics(uriOf('aidr.toml'), (p) => p.diagnostics.length > 0);
    assert.match(msgText(own.diagnostics[0]!.message), /^Not applied: this workspace is not trusted/);
    assert.deepEqual(own.diagnostics[0]!.range.start, { line: 3, character: 0 });
  });
});

interface JsonOut {
  findings: { rule: string; severity: string; file: string; message: string; package?: { name: string } }[];
  errors: { file?: string; message: string }[];
}

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, AIDR_OSV_URL: '', AIDR_PYPI_URL: '', AIDR_NPM_URL: '', AIDR_HF_URL: '' } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('policy file (aidr.toml) in the CLI', function () {
  this.timeout(60_000);
  let dir: string;
  let cache: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'aidr-policy-cli-'));
    cache = mkdtempSync(path.join(os.tmpdir(), 'aidr-policy-cli-cache-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
  });
  const scan = (target = dir, extra: string[] = []) => cli(['scan', target, '--offline', '--advisory-db', OSV_DIR, '--cache-dir', cache, '--format', 'json', ...extra]);

  it('aidr scan honours aidr.toml: denies, ignores, levels; the policy file’s problems are errors', async () => {
    writeFileSync(path.join(dir, 'requirements.txt'), 'jinja2==2.10\npyyaml==5.3\nevil-pkg==1.0\n');
    writeFileSync(
      path.join(dir, 'aidr.toml'),
      '[packages]\ndeny = ["evil-*"]\n\n[rules]\nunpinned-dependency = "off"\n\n[[ignore]]\nrule = "vulnerable-dependency"\npackage = "pyyaml"\nreason = "Loader is always SafeLoader"\n\n[models]\nalow = ["x/*"]\n',
    );
    const r = await scan();
    assert.equal(r.code, 1, r.stderr);
    const out = JSON.parse(r.stdout) as JsonOut;
    const rules = out.findings.map((f) => `${f.rule}:${f.package?.name}`);
    assert.ok(rules.includes('package-denied:evil-pkg'));
    assert.ok(rules.includes('vulnerable-dependency:jinja2'));
    assert.ok(!rules.includes('vulnerable-dependency:pyyaml'), 'ignored by the policy');
    assert.deepEqual(out.errors.filter((e) => e.file === 'aidr.toml'), [{ file: 'aidr.toml', message: "line 13: Unknown key 'alow' in [models]; did you mean 'allow'?" }]);
  });

  it('a policy in a subfolder governs that project only; an expired ignore is reported again and on the policy file', async () => {
    mkdirSync(path.join(dir, 'ml'));
    mkdirSync(path.join(dir, 'api'));
    writeFileSync(path.join(dir, 'ml/requirements.txt'), 'jinja2==2.10\n');
    writeFileSync(path.join(dir, 'api/requirements.txt'), 'jinja2==2.10\n');
    writeFileSync(path.join(dir, 'ml/aidr.toml'), '[[ignore]]\nrule = "vulnerable-dependency"\npackage = "jinja2"\nreason = "sandboxed"\nexpires = 2020-01-01\n');
    const out = JSON.parse((await scan()).stdout) as JsonOut;
    const ml = out.findings.find((f) => f.file === 'ml/requirements.txt' && f.rule === 'vulnerable-dependency')!;
    assert.match(ml.message, /\(The ignore for this in aidr\.toml expired on 2020-01-01\.\)$/);
    assert.ok(out.findings.some((f) => f.file === 'api/requirements.txt' && f.rule === 'vulnerable-dependency'));
    assert.ok(out.errors.some((e) => e.file === 'ml/aidr.toml' && /^line 5: This ignore expired on 2020-01-01/.test(e.message)));
    // A file scanned on its own follows the policy beside it.
    writeFileSync(path.join(dir, 'ml/aidr.toml'), '[packages]\ndeny = ["jinja2"]\n');
    const single = JSON.parse((await scan(path.join(dir, 'ml/requirements.txt'))).stdout) as JsonOut;
    assert.ok(single.findings.some((f) => f.rule === 'package-denied'));
  });

  it('[tool.aidr] in pyproject.toml works too', async () => {
    writeFileSync(path.join(dir, 'pyproject.toml'), '[project]\nname = "x"\nversion = "0"\ndependencies = ["evil-pkg==1.0"]\n\n[tool.aidr.packages]\ndeny = ["evil-*"]\n');
    const out = JSON.parse((await scan()).stdout) as JsonOut;
    assert.ok(out.findings.some((f) => f.rule === 'package-denied' && f.file === 'pyproject.toml'));
  });
});
