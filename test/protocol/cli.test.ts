// CLI contract tests: the BUILT `aidr` (server/out/cli.js) run as a child process, online against
// a loopback fake registry and offline with --advisory-db; JSON shape, SARIF, exit codes, errors.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FakeRegistry, pypiDocument, type FakeServerHandle } from '../support/fakeRegistry';
import { cleanSafetensors, evilPickle } from '../support/modelBytes';
import type { OsvRecord } from '../../server/src/domain';
import { ROOT } from './lspClient';

const CLI = path.join(ROOT, 'server/out/cli.js');
const OSV_DIR = path.join(ROOT, 'test/fixtures/protocol/osv');
const records: OsvRecord[] = readdirSync(OSV_DIR).map((f) => JSON.parse(readFileSync(path.join(OSV_DIR, f), 'utf8')) as OsvRecord);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], env: NodeJS.ProcessEnv = {}, cwd = ROOT): Promise<Run> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, ...env, AIDR_OSV_URL: env.AIDR_OSV_URL ?? '', AIDR_PYPI_URL: env.AIDR_PYPI_URL ?? '' } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

interface JsonOut {
  version: number;
  findings: {
    rule: string;
    severity: string;
    file: string;
    cell?: number;
    range: { start: { line: number; character: number }; end: { line: number; character: number } };
    message: string;
    package?: { ecosystem: string; name: string; version?: string };
    advisories?: string[];
    fixes?: { title: string; edits: { file: string; range: unknown; newText: string }[] }[];
  }[];
  errors: { file?: string; message: string }[];
}

describe('aidr CLI', function () {
  this.timeout(60_000);
  let dir: string;
  let cache: string;
  let registry: FakeRegistry;
  let handle: FakeServerHandle;

  before(async () => {
    registry = new FakeRegistry({
      osvRecords: records,
      pypi: {
        jinja2: pypiDocument('Jinja2', ['2.10', '2.10.1', '2.11.3', '3.1.4'].map((version) => ({ version }))),
        pyyaml: pypiDocument('PyYAML', ['5.3', '5.4', '6.0.1'].map((version) => ({ version }))),
      },
    });
    handle = await registry.start();
  });
  after(() => handle.close());

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'aidr-cli-'));
    cache = mkdtempSync(path.join(os.tmpdir(), 'aidr-cli-cache-'));
    registry.reset();
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
  });

  const online = (extra: string[] = []) => ['--osv-url', handle.url, '--pypi-url', handle.url, '--hf-url', handle.url, '--cache-dir', cache, ...extra];

  it('reports a vulnerable pin as JSON with 0-based ranges relative to the scanned root, exit 1', async () => {
    mkdirSync(path.join(dir, 'svc'));
    writeFileSync(path.join(dir, 'svc/requirements.txt'), '# deps\nrequests==2.31.0\n  Jinja2==2.10  # old\n');
    const r = await run(['scan', dir, '--format', 'json', '--fail-on', 'warning', ...online()]);
    assert.equal(r.code, 1, r.stderr);
    const out = JSON.parse(r.stdout) as JsonOut;
    assert.equal(out.version, 1);
    const f = out.findings.find((x) => x.rule === 'vulnerable-dependency')!;
    assert.equal(f.file, 'svc/requirements.txt');
    assert.deepEqual(f.range, { start: { line: 2, character: 2 }, end: { line: 2, character: 8 } });
    assert.deepEqual(f.package, { ecosystem: 'PyPI', name: 'jinja2', version: '2.10' });
    assert.deepEqual(f.advisories, ['PYSEC-2021-66']);
    assert.ok(['error', 'warning'].includes(f.severity));
    const fix = f.fixes!.find((x) => /2\.11\.3/.test(x.title))!;
    assert.equal(fix.edits[0].file, 'svc/requirements.txt');
    assert.equal(fix.edits[0].newText, '==2.11.3');
    assert.ok(Array.isArray(out.errors));
    assert.ok(registry.count('osv-querybatch') >= 1);
  });

  it('exit 1 for an error-level finding under the default --fail-on error', async () => {
    writeFileSync(path.join(dir, 'requirements.txt'), 'torch==2.5.1\n');
    const r = await run(['scan', dir, '--format', 'json', ...online()]);
    assert.equal(r.code, 1, r.stdout);
    const f = (JSON.parse(r.stdout) as JsonOut).findings.find((x) => x.rule === 'vulnerable-dependency')!;
    assert.equal(f.severity, 'error', 'GHSA-53q9-r3pm-6pq6 is CRITICAL');
    assert.ok(f.advisories!.includes('GHSA-53q9-r3pm-6pq6'));
  });

  it('exit 0 when nothing reaches --fail-on, and --fail-on never', async () => {
    writeFileSync(path.join(dir, 'requirements.txt'), 'jinja2==3.1.4\n');
    const r = await run(['scan', dir, '--format', 'json', ...online()]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal((JSON.parse(r.stdout) as JsonOut).findings.filter((f) => f.rule === 'vulnerable-dependency').length, 0);
    writeFileSync(path.join(dir, 'requirements.txt'), 'jinja2==2.10\n');
    assert.equal((await run(['scan', dir, '--fail-on', 'never', ...online()])).code, 0);
  });

  it('works fully offline with --advisory-db (zip or folder) and makes no request', async () => {
    writeFileSync(path.join(dir, 'requirements.txt'), 'pyyaml==5.3\n');
    const r = await run(['scan', dir, '--offline', '--advisory-db', OSV_DIR, '--format', 'json', '--cache-dir', cache], { AIDR_OSV_URL: handle.url });
    const out = JSON.parse(r.stdout) as JsonOut;
    const f = out.findings.find((x) => x.rule === 'vulnerable-dependency')!;
    assert.deepEqual(f.advisories?.sort(), ['PYSEC-2020-96', 'PYSEC-2021-142']);
    assert.equal(registry.count(), 0);
  });

  it('scans Python files and notebooks; notebook findings carry the cell and a cell-relative range', async () => {
    writeFileSync(path.join(dir, 'requirements.txt'), 'torch==2.5.1\n');
    writeFileSync(path.join(dir, 'train.py'), 'import torch\nm = torch.load("a.pt", weights_only=True)\n');
    const nb = {
      cells: [
        { cell_type: 'markdown', metadata: {}, source: ['# title\n'] },
        { cell_type: 'code', metadata: {}, outputs: [], execution_count: null, source: ['import pickle\n'] },
        { cell_type: 'code', metadata: {}, outputs: [], execution_count: null, source: ['x = 1\n', 'd = pickle.loads(blob)\n'] },
      ],
      metadata: {},
      nbformat: 4,
      nbformat_minor: 5,
    };
    writeFileSync(path.join(dir, 'nb.ipynb'), JSON.stringify(nb));
    const r = await run(['scan', dir, '--offline', '--advisory-db', OSV_DIR, '--format', 'json', '--cache-dir', cache]);
    const out = JSON.parse(r.stdout) as JsonOut;
    const torch = out.findings.find((f) => f.rule === 'unsafe-torch-load')!;
    assert.equal(torch.file, 'train.py');
    assert.equal(torch.severity, 'error');
    assert.equal(torch.range.start.line, 1);
    const pk = out.findings.find((f) => f.rule === 'pickle-deserialization')!;
    assert.equal(pk.file, 'nb.ipynb');
    assert.equal(pk.cell, 2);
    assert.equal(pk.range.start.line, 1);
    assert.equal(pk.range.start.character, 4);
  });

  it('turns malformed, binary and huge files into errors and still scans the rest', async () => {
    writeFileSync(path.join(dir, 'pyproject.toml'), '[project\nname = 1\n');
    writeFileSync(path.join(dir, 'requirements.txt'), Buffer.from([0x6a, 0x00, 0x01, 0x02, 0xff]));
    mkdirSync(path.join(dir, 'big'));
    writeFileSync(path.join(dir, 'big/requirements.txt'), 'a==1\n'.repeat(5_000_000));
    writeFileSync(path.join(dir, 'bad.ipynb'), '{ not json');
    mkdirSync(path.join(dir, 'ok'));
    writeFileSync(path.join(dir, 'ok/requirements.txt'), '--frobnicate\npyyaml==5.3\n');
    const r = await run(['scan', dir, '--offline', '--advisory-db', OSV_DIR, '--format', 'json', '--cache-dir', cache, '--fail-on', 'warning']);
    assert.equal(r.code, 1, r.stderr);
    const out = JSON.parse(r.stdout) as JsonOut;
    const files = out.errors.map((e) => e.file);
    for (const f of ['pyproject.toml', 'requirements.txt', 'big/requirements.txt', 'bad.ipynb', 'ok/requirements.txt']) assert.ok(files.includes(f), `${f} in ${JSON.stringify(out.errors)}`);
    assert.ok(out.findings.some((f) => f.file === 'ok/requirements.txt' && f.rule === 'vulnerable-dependency'));
  });

  it('skips .git, node_modules, virtualenvs and .gitignored paths', async () => {
    for (const sub of ['.git', 'node_modules/x', '.venv', 'myenv', 'ignored']) {
      mkdirSync(path.join(dir, sub), { recursive: true });
      writeFileSync(path.join(dir, sub, 'requirements.txt'), 'pyyaml==5.3\n');
    }
    writeFileSync(path.join(dir, 'myenv/pyvenv.cfg'), 'home = /usr/bin\n');
    writeFileSync(path.join(dir, '.gitignore'), 'ignored/\n');
    writeFileSync(path.join(dir, 'requirements.txt'), 'pyyaml==5.3\n');
    const out = JSON.parse((await run(['scan', dir, '--offline', '--advisory-db', OSV_DIR, '--format', 'json', '--cache-dir', cache])).stdout) as JsonOut;
    assert.deepEqual([...new Set(out.findings.map((f) => f.file))], ['requirements.txt']);
  });

  it('writes SARIF 2.1.0 with rules, levels and 1-based regions', async () => {
    writeFileSync(path.join(dir, 'requirements.txt'), 'pyyaml==5.3\n');
    const outFile = path.join(dir, 'out.sarif');
    const r = await run(['scan', dir, '--offline', '--advisory-db', OSV_DIR, '--format', 'sarif', '--output', outFile, '--cache-dir', cache]);
    assert.equal(r.stdout, '');
    const sarif = JSON.parse(readFileSync(outFile, 'utf8')) as {
      version: string;
      runs: { tool: { driver: { name: string; rules: { id: string }[] } }; results: { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }[] }[] }[];
    };
    assert.equal(sarif.version, '2.1.0');
    const run0 = sarif.runs[0];
    assert.ok(run0.tool.driver.rules.some((x) => x.id === 'vulnerable-dependency'));
    const res = run0.results.find((x) => x.ruleId === 'vulnerable-dependency')!;
    assert.ok(['error', 'warning'].includes(res.level));
    assert.equal(res.locations[0].physicalLocation.artifactLocation.uri, 'requirements.txt');
    assert.deepEqual([res.locations[0].physicalLocation.region.startLine, res.locations[0].physicalLocation.region.startColumn], [1, 1]);
  });

  it('exit 2 for usage errors and missing paths', async () => {
    assert.equal((await run(['scan', '--format', 'xml'])).code, 2);
    assert.equal((await run(['scan', '--bogus'])).code, 2);
    assert.equal((await run(['frobnicate'])).code, 2);
    const missing = await run(['scan', path.join(dir, 'nope')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no such file/);
  });

  it('reads endpoint URLs from the environment', async () => {
    writeFileSync(path.join(dir, 'requirements.txt'), 'jinja2==2.10\n');
    const r = await run(['scan', dir, '--format', 'json', '--cache-dir', cache], { AIDR_OSV_URL: handle.url, AIDR_PYPI_URL: handle.url });
    assert.equal(r.code, 0, 'a warning does not fail the default --fail-on error');
    assert.equal((await run(['scan', dir, '--fail-on', 'warning', '--cache-dir', cache], { AIDR_OSV_URL: handle.url, AIDR_PYPI_URL: handle.url })).code, 1);
    assert.ok(registry.count('osv-querybatch') >= 1);
  });

  it('registry down: a clear error entry, no crash, exit reflects what is known', async () => {
    writeFileSync(path.join(dir, 'requirements.txt'), 'jinja2==2.10\n');
    const r = await run(['scan', dir, '--format', 'json', '--osv-url', 'http://127.0.0.1:9', '--pypi-url', 'http://127.0.0.1:9', '--cache-dir', cache, '--timeout', '500']);
    assert.notEqual(r.code, 2, r.stderr);
    const out = JSON.parse(r.stdout) as JsonOut;
    assert.ok(out.errors.some((e) => /OSV/i.test(e.message)), JSON.stringify(out.errors));
  });

  it('scans model files by content, never by name: a renamed malicious pickle is an error on the file', async () => {
    mkdirSync(path.join(dir, 'models'));
    writeFileSync(path.join(dir, 'models/weights.dat'), evilPickle());
    writeFileSync(path.join(dir, 'models/clean.safetensors'), cleanSafetensors());
    writeFileSync(path.join(dir, 'models/notes.bin'), 'just text, not a model\n');
    const r = await run(['scan', dir, '--format', 'json', '--offline', '--advisory-db', OSV_DIR, '--fail-on', 'error', '--cache-dir', cache]);
    assert.equal(r.code, 1, r.stderr);
    const out = JSON.parse(r.stdout) as JsonOut;
    const models = out.findings.filter((f) => f.rule === 'unsafe-model-file');
    assert.deepEqual(models.map((f) => [f.file, f.severity]), [['models/weights.dat', 'error']]);
    assert.deepEqual(models[0].range, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
    assert.match(models[0].message, /posix\.system/);
  });

  it('inventory lists models: Hub ids with their revision, local files with their scan and where they are loaded', async () => {
    mkdirSync(path.join(dir, 'weights'));
    writeFileSync(path.join(dir, 'weights/evil.pt'), evilPickle());
    writeFileSync(path.join(dir, 'weights/orphan.safetensors'), cleanSafetensors());
    writeFileSync(
      path.join(dir, 'train.py'),
      'import torch\nfrom transformers import AutoModel\nm = AutoModel.from_pretrained("acme/bert", revision="0123456789abcdef0123456789abcdef01234567")\nn = AutoModel.from_pretrained("acme/other")\nw = torch.load("weights/evil.pt")\nx = torch.load("gone.pt")\n',
    );
    const r = await run(['inventory', dir, '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    type M = { kind: string; id?: string; path?: string; revision?: string; pinned?: boolean; format?: string; imports?: { module: string; name: string; verdict: string }[]; findings?: { severity: string }[]; usedIn: { file: string; call: string; range: { start: { line: number } } }[] };
    const models = (JSON.parse(r.stdout) as { models: M[] }).models;
    const hub = models.find((m) => m.id === 'acme/bert')!;
    assert.equal(hub.kind, 'hub');
    assert.equal(hub.pinned, true);
    assert.equal(hub.usedIn[0]!.call, 'transformers.AutoModel.from_pretrained');
    assert.equal(models.find((m) => m.id === 'acme/other')!.pinned, false);
    const evil = models.find((m) => m.path === 'weights/evil.pt')!;
    assert.equal(evil.kind, 'file');
    assert.equal(evil.format, 'pickle');
    assert.deepEqual(evil.imports, [{ module: 'posix', name: 'system', verdict: 'denied' }]);
    assert.equal(evil.findings![0]!.severity, 'error');
    assert.deepEqual(evil.usedIn.map((u) => [u.file, u.call, u.range.start.line]), [['train.py', 'torch.load', 4]]);
    assert.equal(models.find((m) => m.path === 'weights/orphan.safetensors')?.format, 'safetensors', 'model files in the tree are listed even when no code loads them');
    assert.equal(models.find((m) => m.path === 'gone.pt')?.kind, 'local', 'a named file that is not in the tree');
    const text = await run(['inventory', dir]);
    assert.match(text.stdout, /\[file, pickle\] weights\/evil\.pt — error: weights\/evil\.pt imports posix\.system/);
  });

  it('monorepo: each Python file joins with its own project’s versions (offline, no network)', async () => {
    const w = (rel: string, text: string) => {
      mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      writeFileSync(path.join(dir, rel), text);
    };
    const load = 'import torch\nm = torch.load("w.pt", weights_only=True)\n';
    w('requirements.txt', 'torch==2.1.2\n');
    w('svc/requirements.txt', 'torch==2.6.0\n');
    w('svc/app/main.py', load);
    w('lab/pyproject.toml', '[project]\nname = "lab"\ndependencies = ["torch"]\n');
    w('lab/uv.lock', 'version = 1\n\n[[package]]\nname = "torch"\nversion = "2.5.1"\nsource = { registry = "https://pypi.org/simple" }\n');
    w('lab/src/model.py', load);
    w('tool.py', load);
    const r = await run(['scan', dir, '--format', 'json', '--offline', '--advisory-db', OSV_DIR, '--fail-on', 'never', '--cache-dir', cache]);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as JsonOut & { findings: { related?: unknown }[] };
    const torch = (file: string) => out.findings.find((f) => f.file === file && f.rule === 'unsafe-torch-load');
    assert.equal(torch('svc/app/main.py'), undefined, 'the root pin does not override svc’s fixed torch');
    assert.equal(torch('lab/src/model.py')?.severity, 'error');
    assert.equal(torch('tool.py')?.severity, 'error');

    const inv = await run(['inventory', dir, '--format', 'json']);
    const envs = (JSON.parse(inv.stdout) as { environments: { root: string; manifests: string[]; lockfiles: string[]; members: string[] }[] }).environments;
    assert.deepEqual(
      envs.map((e) => [e.root, e.lockfiles, e.members]),
      [
        ['.', [], ['tool.py']],
        ['lab', ['lab/uv.lock'], ['lab/src/model.py']],
        ['svc', [], ['svc/app/main.py']],
      ],
    );
    const deps = (JSON.parse(inv.stdout) as { dependencies: { file: string; environment?: string }[] }).dependencies;
    assert.equal(deps.find((d) => d.file === 'lab/uv.lock')?.environment, 'lab');
  });

  it('pylock.toml and pylock.<name>.toml: scanned, joined with the project’s code, listed by the inventory', async () => {
    mkdirSync(path.join(dir, 'app'));
    const lock = 'lock-version = "1.0"\ncreated-by = "pip"\n\n[[packages]]\nname = "Torch"\nversion = "2.5.1"\n\n[[packages]]\nname = "tool"\n\n[packages.vcs]\ntype = "git"\nurl = "https://example.com/tool.git"\ncommit-id = "abc123"\n';
    writeFileSync(path.join(dir, 'app/pylock.toml'), lock);
    writeFileSync(path.join(dir, 'app/pylock.dev.toml'), 'lock-version = "1.0"\ncreated-by = "pip"\n\n[[packages]]\nname = "pytest"\nversion = "8.3.3"\n');
    writeFileSync(path.join(dir, 'app/mypylock.toml'), '[[packages]]\nname = "not-a-lock"\nversion = "1"\n');
    writeFileSync(path.join(dir, 'app/train.py'), 'import torch\nm = torch.load("w.pt", weights_only=True)\n');
    const r = await run(['scan', dir, '--format', 'json', '--offline', '--advisory-db', OSV_DIR, '--fail-on', 'never', '--cache-dir', cache]);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as JsonOut;
    const load = out.findings.find((f) => f.file === 'app/train.py' && f.rule === 'unsafe-torch-load');
    assert.equal(load?.severity, 'error', 'torch 2.5.1 from the pylock.toml');
    assert.deepEqual(out.errors, []);

    const inv = JSON.parse((await run(['inventory', dir, '--format', 'json'])).stdout) as {
      environments: { root: string; lockfiles: string[] }[];
      dependencies: { file: string; name: string; rawName: string; pinned?: string; url?: string; source: string; range: { start: { line: number; character: number } } }[];
    };
    assert.deepEqual(inv.environments.map((e) => [e.root, e.lockfiles]), [['app', ['app/pylock.toml', 'app/pylock.dev.toml']]]);
    assert.deepEqual(
      inv.dependencies.map((d) => [d.file, d.name, d.pinned, d.url, d.source]),
      [
        ['app/pylock.dev.toml', 'pytest', '8.3.3', undefined, 'pylock.toml'],
        ['app/pylock.toml', 'torch', '2.5.1', undefined, 'pylock.toml'],
        ['app/pylock.toml', 'tool', undefined, 'https://example.com/tool.git#abc123', 'pylock.toml'],
      ],
    );
    assert.deepEqual(inv.dependencies[1]!.range.start, { line: 4, character: 8 }, 'the name as written');
  });

  it('inventory lists every dependency with file, range, name, specifier and source', async () => {
    writeFileSync(path.join(dir, 'requirements.txt'), 'torch>=2.0 ; sys_platform == "linux"\n');
    writeFileSync(path.join(dir, 'pyproject.toml'), '[tool.poetry.dependencies]\npython = "^3.10"\nnumpy = "^1.26"\n');
    const r = await run(['inventory', dir, '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const inv = JSON.parse(r.stdout) as { dependencies: { file: string; name: string; specifier: string; source: string; range: { start: { line: number } } }[] };
    const torch = inv.dependencies.find((d) => d.name === 'torch')!;
    assert.equal(torch.specifier, '>=2.0');
    assert.equal(torch.source, 'requirements.txt');
    const numpy = inv.dependencies.find((d) => d.name === 'numpy')!;
    assert.equal(numpy.file, 'pyproject.toml');
    assert.equal(numpy.range.start.line, 2);
    assert.equal(numpy.source, 'pyproject.toml');
    assert.ok(!inv.dependencies.some((d) => d.name === 'python'));
  });
});
