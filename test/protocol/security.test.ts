// Security boundaries, end to end on the BUILT CLI and server: credentials in URLs never reach any
// output (CLI text/JSON/SARIF/inventory/--output/stderr; LSP diagnostics, hovers, code actions,
// logs, status, scan summaries); includes never read outside the project; include cycles are
// reported once; an untrusted workspace's settings cannot silence findings.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { FakeRegistry, pypiDocument, type FakeServerHandle } from '../support/fakeRegistry';
import type { OsvRecord } from '../../server/src/domain';
import { applyEdits, LspClient, ROOT, text as msgText } from './lspClient';

const CLI = path.join(ROOT, 'server/out/cli.js');
const OSV_DIR = path.join(ROOT, 'test/fixtures/protocol/osv');
const records: OsvRecord[] = readdirSync(OSV_DIR).map((f) => JSON.parse(readFileSync(path.join(OSV_DIR, f), 'utf8')) as OsvRecord);

/** Every credential planted below contains this, so one search finds any leak. */
const MARK = 'S3CRETX';
const PYPI_TOKEN = `pypi-AgEIcHlwaS5vcmcCJGE${MARK}1Zjk0YjMtNGE3ZS1hYjQx`;
const LEAKY_REQUIREMENTS = [
  `--index-url https://alice:${MARK}1@pypi.corp.example/simple`,
  `--extra-index-url https://__token__:${PYPI_TOKEN}@upload.example/simple https://bob:${MARK}2@extra.example/simple`,
  `-r https://carol:${MARK}3@example.com/base.txt`,
  `internal-pkg @ https://dave:${MARK}4@files.example/internal-1.0.whl`,
  `other @ git+https://${MARK}5TOKEN@github.com/org/other.git`,
  `thing @ https://files.example/x.whl?token=${MARK}6&v=1`,
  `internal-tool==1.0`,
  `jinja2==2.10.1  # mirror https://erin:${MARK}7@mirror.example/`,
  '',
].join('\n');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, AIDR_OSV_URL: '', AIDR_PYPI_URL: '', AIDR_NPM_URL: '', AIDR_HF_URL: '', ...env } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

interface JsonOut {
  findings: { rule: string; file: string; message: string; fixes?: { edits: { newText: string }[] }[] }[];
  errors: { file?: string; message: string }[];
}

describe('security boundaries', function () {
  this.timeout(60_000);
  let registry: FakeRegistry;
  let handle: FakeServerHandle;
  let base: string;
  let repo: string;
  let cache: string;

  before(async () => {
    registry = new FakeRegistry({
      osvRecords: records,
      pypi: {
        jinja2: pypiDocument('Jinja2', ['2.10', '2.10.1', '2.11.3', '3.1.4'].map((version) => ({ version }))),
        requests: pypiDocument('requests', ['2.31.0', '2.32.3'].map((version) => ({ version }))),
        pyyaml: pypiDocument('PyYAML', ['5.3', '5.4', '6.0.1'].map((version) => ({ version }))),
      },
    });
    handle = await registry.start();
  });
  after(() => handle.close());

  beforeEach(() => {
    base = mkdtempSync(path.join(os.tmpdir(), 'aidr-sec-'));
    repo = path.join(base, 'repo');
    cache = path.join(base, 'cache');
    mkdirSync(repo);
    registry.reset();
    registry.setFailures([]);
  });
  afterEach(() => rmSync(base, { recursive: true, force: true }));

  const online = (extra: string[] = []) => ['--osv-url', handle.url, '--pypi-url', handle.url, '--npm-url', handle.url, '--hf-url', handle.url, '--cache-dir', cache, ...extra];

  describe('CLI', () => {
    it('never prints a credential, in any format, in --output, inventory or stderr', async () => {
      writeFileSync(path.join(repo, 'requirements.txt'), LEAKY_REQUIREMENTS);
      const outFile = path.join(base, 'report.sarif');
      // A credentialed endpoint that refuses connections makes the sources report errors naming it.
      const failing = `http://svc:${MARK}8@127.0.0.1:1`;
      const runs = await Promise.all([
        run(['scan', repo, ...online(['--format', 'text'])], { AIDR_DEBUG: '1' }),
        run(['scan', repo, ...online(['--format', 'json'])]),
        run(['scan', repo, ...online(['--format', 'sarif', '--output', outFile])]),
        run(['inventory', repo, '--format', 'json']),
        run(['inventory', repo, '--format', 'text']),
        run(['scan', repo, '--osv-url', failing, '--pypi-url', failing, '--npm-url', failing, '--hf-url', failing, '--no-cache', '--timeout', '2000', '--format', 'json'], { AIDR_DEBUG: '1' }),
        run(['scan', repo, '--osv-url', `ftp://u:${MARK}9@h`]),
      ]);
      const everything = [...runs.flatMap((r) => [r.stdout, r.stderr]), readFileSync(outFile, 'utf8')].join('\n');
      assert.ok(!everything.includes(MARK), `leak: ${everything.slice(Math.max(0, everything.indexOf(MARK) - 300), everything.indexOf(MARK) + 100)}`);
      assert.ok(!everything.includes('pypi-AgEI'));

      // Not vacuous: the lines with credentials were seen and reported, redacted.
      const json = JSON.parse(runs[1]!.stdout) as JsonOut;
      assert.ok(json.errors.some((e) => /Unexpected argument 'https:\/\/\*\*\*@extra\.example\/simple'/.test(e.message)), JSON.stringify(json.errors));
      assert.ok(json.errors.some((e) => /Remote include 'https:\/\/\*\*\*@example\.com\/base\.txt' is not fetched/.test(e.message)));
      assert.ok(json.findings.some((f) => f.rule === 'vulnerable-dependency'));
      const unknown = json.findings.find((f) => f.rule === 'unknown-package');
      assert.ok(unknown && /pypi\.corp\.example/.test(unknown.message), JSON.stringify(json.findings.map((f) => f.message)));
      const inv = JSON.parse(runs[3]!.stdout) as { dependencies: { name: string; url?: string }[] };
      assert.deepEqual(
        inv.dependencies.filter((d) => d.url).map((d) => [d.name, d.url]),
        [
          ['internal-pkg', 'https://***@files.example/internal-1.0.whl'],
          ['other', 'git+https://***@github.com/org/other.git'],
          ['thing', 'https://files.example/x.whl?token=***&v=1'],
        ],
      );
      assert.equal(runs[6]!.code, 2);
    });

    it('refuses -r/-c outside the scanned folder (paths and symlinks), reads and uploads nothing from there', async () => {
      mkdirSync(path.join(base, 'outside'));
      writeFileSync(path.join(base, 'outside', 'outside.txt'), 'exfil-canary-one\n');
      writeFileSync(path.join(base, 'outside', 'c.txt'), 'exfil-canary-two\n');
      symlinkSync(path.join(base, 'outside', 'c.txt'), path.join(repo, 'linked.txt'));
      symlinkSync(path.join(base, 'outside', 'outside.txt'), path.join(repo, 'requirements-extra.txt'));
      const text = `-r ../../${path.basename(base)}/outside/outside.txt\n-c linked.txt\n-r /etc/passwd\njinja2==2.10.1\n`;
      writeFileSync(path.join(repo, 'requirements.txt'), text);

      const r = await run(['scan', repo, ...online(['--format', 'json'])]);
      assert.notEqual(r.code, 2, r.stderr);
      assert.ok(!/exfil-canary|root:/.test(r.stdout), r.stdout);
      const out = JSON.parse(r.stdout) as JsonOut;
      const refusals = out.errors.filter((e) => e.file === 'requirements.txt' && /outside the scanned folder; not read/.test(e.message));
      assert.deepEqual(
        refusals.map((e) => e.message.slice(0, 7)),
        ['line 1:', 'line 2:', 'line 3:'],
      );
      assert.match(refusals[1]!.message, /symbolic link/);
      assert.match(refusals[0]!.message, /--allow-outside-includes/);
      assert.ok(out.errors.some((e) => e.file === 'requirements-extra.txt' && /symbolic link to a file outside/.test(e.message)));
      // Still a normal scan of what is inside.
      assert.ok(out.findings.some((f) => f.rule === 'vulnerable-dependency'));
      assert.ok(registry.requests.every((q) => !q.path.includes('exfil-canary')));

      // The explicit flag reads them (and so this test can fail).
      const allowed = await run(['scan', repo, ...online(['--format', 'json', '--allow-outside-includes'])]);
      assert.match(allowed.stdout, /exfil-canary-one/);
    });

    it('reports an include cycle once, not once per file or visit, and terminates', async () => {
      writeFileSync(path.join(repo, 'requirements.txt'), '-r requirements-dev.txt\njinja2==2.11.3\n');
      writeFileSync(path.join(repo, 'requirements-dev.txt'), '-r requirements.txt\n-r more.in\n');
      writeFileSync(path.join(repo, 'more.in'), '-r requirements-dev.txt\n');
      const r = await run(['scan', repo, '--offline', '--format', 'json']);
      const out = JSON.parse(r.stdout) as JsonOut;
      const cycles = out.errors.filter((e) => /cycle/i.test(e.message));
      assert.equal(cycles.length, 2, JSON.stringify(cycles)); // two distinct cycles: req <-> dev, dev <-> more
      assert.equal(new Set(cycles.map((c) => c.message.replace(/^line \d+: /, ''))).size, 2);
    });
  });

  describe('language server', () => {
    let client: LspClient | undefined;
    afterEach(async () => {
      await client?.stop();
      client = undefined;
    });

    const endpoints = () => ({ osvUrl: handle.url, pypiUrl: handle.url, npmUrl: handle.url, hfUrl: handle.url, requestTimeoutMs: 2000 });
    const uriOf = (name: string) => pathToFileURL(path.join(repo, name)).toString();

    async function start(opts: { settings?: Record<string, unknown>; init?: Record<string, unknown> } = {}): Promise<LspClient> {
      client = new LspClient({ workspaceFolder: repo, settings: opts.settings ?? endpoints(), initializationOptions: { cacheDir: cache, debounceMs: 5, ...opts.init } });
      await client.initialize();
      return client;
    }

    it('never shows a credential in diagnostics, related information, hovers, code actions, logs, status or scan results', async () => {
      writeFileSync(path.join(repo, 'requirements.txt'), LEAKY_REQUIREMENTS);
      const c = await start({ init: { logLevel: 'debug' } });
      const uri = uriOf('requirements.txt');
      await c.open(uri, 'pip-requirements', LEAKY_REQUIREMENTS);
      const pub = await c.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'vulnerable-dependency') && p.diagnostics.some((d) => d.code === 'unknown-package'));
      // Whole diagnostics: messages, related information and the data payload code actions read.
      const seen: unknown[] = [pub.diagnostics];
      const lines = LEAKY_REQUIREMENTS.split('\n');
      for (let line = 0; line < lines.length; line++) {
        for (let ch = 0; ch < lines[line]!.length; ch += 7) seen.push(await c.hover(uri, line, ch));
      }
      const actions = (await c.codeActions(uri, pub.diagnostics)) ?? [];
      seen.push(actions.map((a) => a.title));
      seen.push(await c.executeCommand('aiDependencyRisk.server.scanWorkspace'));
      seen.push(c.notifications);
      const shown = JSON.stringify(seen);
      assert.ok(!shown.includes(MARK) && !shown.includes('pypi-AgEI'), `leak: ${shown.slice(Math.max(0, shown.indexOf(MARK) - 300), shown.indexOf(MARK) + 80)}`);
      assert.match(shown, /Unexpected argument 'https:\/\/\*\*\*@extra\.example\/simple'/);

      // The pin fix rewrites only the version: the rest of the line, credential included, stays.
      const vuln = pub.diagnostics.find((d) => d.code === 'vulnerable-dependency')!;
      const pin = ((await c.codeActions(uri, [vuln])) ?? []).find((a) => /Pin jinja2/.test(a.title));
      assert.ok(pin && 'edit' in pin && pin.edit?.changes);
      const fixed = applyEdits(LEAKY_REQUIREMENTS, pin.edit.changes[uri]!);
      assert.equal(fixed, LEAKY_REQUIREMENTS.replace('jinja2==2.10.1', 'jinja2==2.11.3'));
    });

    it('refuses includes outside the workspace folder (paths and symlinks) on the include line, unless the user allows them', async () => {
      mkdirSync(path.join(base, 'outside'));
      writeFileSync(path.join(base, 'outside', 'c.txt'), 'jinja2==2.10.1\n');
      symlinkSync(path.join(base, 'outside', 'c.txt'), path.join(repo, 'linked.txt'));
      const text = '-c ../outside/c.txt\n-c linked.txt\njinja2>=2.0\n';
      writeFileSync(path.join(repo, 'requirements.txt'), text);
      const c = await start();
      const uri = uriOf('requirements.txt');
      await c.open(uri, 'pip-requirements', text);
      const pub = await c.waitForDiagnostics(uri, (p) => p.diagnostics.filter((d) => /outside the workspace folders/.test(msgText(d.message))).length === 2);
      const refused = pub.diagnostics.filter((d) => /not read/.test(msgText(d.message)));
      assert.deepEqual(refused.map((d) => d.range.start.line), [0, 1]);
      assert.match(msgText(refused[1]!.message), /symbolic link/);
      assert.match(msgText(refused[0]!.message), /aiDependencyRisk\.allowOutsideIncludes/);
      await c.stop();

      // The user's own setting allows them: no refusal, and the constraint pins jinja2 to 2.10.1.
      const allowed = await start({ settings: { ...endpoints(), allowOutsideIncludes: true } });
      await allowed.open(uri, 'pip-requirements', text);
      const ok = await allowed.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'vulnerable-dependency'));
      assert.ok(!ok.diagnostics.some((d) => /not read/.test(msgText(d.message))));
    });

    it('untrusted workspace: workspace settings cannot silence findings; trust granted later applies them; aidr: ignore still works', async () => {
      const text = 'jinja2==2.10.1\nrequests==2.31.0\npyyaml==5.3  # aidr: ignore[vulnerable-dependency]\n';
      writeFileSync(path.join(repo, 'requirements.txt'), text);
      const silencing = {
        ...endpoints(),
        enable: false,
        offline: true,
        disabledRules: ['vulnerable-dependency'],
        severityOverrides: { 'vulnerable-dependency': 'off' },
        cacheTtlHours: 99999,
        allowOutsideIncludes: true,
      };
      const c = await start({ settings: silencing, init: { workspaceTrusted: false, userSettings: endpoints() } });
      const uri = uriOf('requirements.txt');
      await c.open(uri, 'pip-requirements', text);
      const pub = await c.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'vulnerable-dependency'));
      const vuln = pub.diagnostics.filter((d) => d.code === 'vulnerable-dependency');
      assert.deepEqual(vuln.map((d) => d.range.start.line), [0], 'the ignore comment on line 2 still applies');

      // Trust granted: the workspace's `enable: false` now applies.
      await c.conn.sendNotification('aiDependencyRisk/workspaceTrust', { trusted: true, userSettings: endpoints() });
      await c.waitForDiagnostics(uri, (p) => p.diagnostics.length === 0);
    });
  });
});
