// Fault suite: the BUILT CLI and language server against a loopback HTTPS registry that hangs,
// drips, resets, rate-limits, fails, sends malformed, truncated, wrong-typed or endless answers,
// and redirects in loops, to plain HTTP or to another host. For each fault: the CLI finishes in
// bounded time with a clear `errors` entry and the exit code its (stale) findings call for; the
// server keeps answering on another document, shows stale data with a clear status, and recovers
// when the registry does; and nothing from a faulty answer reaches the disk cache.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { FakeRegistry, pypiDocument, type FakeServerHandle } from '../support/fakeRegistry';
import { FAULTS, type FaultTargets } from '../support/faultScenarios';
import { ageCache, cacheEntryProblem, copyDir, readCache } from '../support/cacheFiles';
import { runCli, ROOT } from '../support/cliRun';
import type { OsvRecord } from '../../server/src/domain';
import { LspClient, text as msgText } from './lspClient';

const OSV_DIR = path.join(ROOT, 'test/fixtures/protocol/osv');
const records: OsvRecord[] = readdirSync(OSV_DIR).map((f) => JSON.parse(readFileSync(path.join(OSV_DIR, f), 'utf8')) as OsvRecord);
const CERT = path.join(ROOT, 'test/fixtures/tls/loopback-test-only.crt');
const tls = { key: readFileSync(path.join(ROOT, 'test/fixtures/tls/loopback-test-only.key')), cert: readFileSync(CERT) };
/** Child processes trust the test certificate; nothing else changes. */
const env = { NODE_EXTRA_CA_CERTS: CERT };

const DAY = 24 * 3_600_000;
/** A bound far above a healthy run on a loaded machine, far below "hangs": a drip without a
 * deadline would take minutes, a hang forever. */
const CLI_BOUND_MS = 60_000;
/** Per-request time-out for fault runs (the oversized case needs time to read up to the cap). */
const timeoutFor = (name: string): number => (name.startsWith('oversized') ? 15_000 : 1500);

function healthy() {
  return {
    osvRecords: records,
    pypi: {
      jinja2: pypiDocument('Jinja2', ['2.10', '2.10.1', '2.11.3', '3.1.4'].map((version) => ({ version }))),
      pyyaml: pypiDocument('PyYAML', ['5.3', '5.4', '6.0.1'].map((version) => ({ version }))),
      'acme-internal-tool': pypiDocument('acme-internal-tool', [{ version: '1.0' }]),
    },
  };
}

async function startRegistry(): Promise<{ reg: FakeRegistry; handle: FakeServerHandle; targets: (plain: string) => FaultTargets }> {
  const reg = new FakeRegistry({ ...healthy(), tls });
  const handle = await reg.start();
  const port = new URL(handle.url).port;
  return { reg, handle, targets: (plainUrl) => ({ plainUrl, otherHostUrl: `https://localhost:${port}` }) };
}

interface JsonOut {
  findings: { rule: string; file: string; package?: { name: string } }[];
  errors: { file?: string; message: string }[];
}

const timings: string[] = [];

describe('registry faults', function () {
  this.timeout(600_000);
  let plain: FakeRegistry;
  let plainHandle: FakeServerHandle;

  before(async () => {
    // The target of the downgrade redirect: a healthy registry over plain HTTP that must never be asked.
    plain = new FakeRegistry(healthy());
    plainHandle = await plain.start();
  });
  after(async () => {
    await plainHandle.close();
    if (process.env.AIDR_FAULT_TIMINGS) process.stdout.write(`\n${timings.join('\n')}\n`);
  });

  describe('aidr scan', () => {
    let ws: string;
    let golden: string;
    const online = (url: string, cache: string, timeout: number) => ['--format', 'json', '--fail-on', 'warning', '--timeout', String(timeout), '--osv-url', url, '--pypi-url', url, '--hf-url', url, '--cache-dir', cache];

    before(async () => {
      ws = mkdtempSync(path.join(os.tmpdir(), 'aidr-faults-ws-'));
      golden = mkdtempSync(path.join(os.tmpdir(), 'aidr-faults-golden-'));
      writeFileSync(path.join(ws, 'requirements.txt'), 'jinja2==2.10\nacme-internal-tool==1.0\n');
      writeFileSync(path.join(ws, 'train.py'), 'from transformers import AutoModel\nm = AutoModel.from_pretrained("acme/bert-tiny")\n');
      // A healthy run fills the cache; it is then made two days old, so every fault run must ask again.
      const { handle } = await startRegistry();
      const r = await runCli(['scan', ws, ...online(handle.url, golden, 10_000)], env);
      await handle.close();
      assert.equal(r.code, 1, r.stderr + r.stdout);
      const seeded = readCache(golden).map((e) => e.key);
      for (const k of ['osv:q:PyPI:jinja2:2.10', 'osv:q:PyPI:jinja2:*', 'pypi:jinja2', 'pypi:acme-internal-tool']) assert.ok(seeded.includes(k), `${k} in ${seeded.join(', ')}`);
      ageCache(golden, 2 * DAY);
      // A package the cache has never seen: it has nothing stale to fall back on.
      writeFileSync(path.join(ws, 'requirements.txt'), 'jinja2==2.10\nacme-internal-tool==1.0\npyyaml==5.3\n');
    });
    after(() => {
      rmSync(ws, { recursive: true, force: true });
      rmSync(golden, { recursive: true, force: true });
    });

    for (const fault of FAULTS) {
      it(`${fault.name}: bounded run, clear error, stale findings and exit 1, nothing bad cached`, async () => {
        const { reg, handle, targets } = await startRegistry();
        const cache = mkdtempSync(path.join(os.tmpdir(), 'aidr-faults-cache-'));
        try {
          copyDir(golden, cache);
          const before = new Map(readCache(cache).map((e) => [e.key, e.raw]));
          plain.reset();
          reg.setFailures(fault.rules(targets(plainHandle.url)));
          const r = await runCli(['scan', ws, ...online(handle.url, cache, timeoutFor(fault.name))], env, CLI_BOUND_MS + 30_000);
          timings.push(`cli  ${fault.name.padEnd(34)} ${r.ms} ms`);
          assert.ok(!r.killed && r.ms < CLI_BOUND_MS, `finished in ${r.ms} ms`);
          assert.equal(r.code, 1, `the stale jinja2 finding fails --fail-on warning\n${r.stderr}`);
          const out = JSON.parse(r.stdout) as JsonOut;
          const messages = out.errors.map((e) => e.message);
          assert.ok(messages.some((m) => fault.osv.test(m)), `${fault.osv} in ${JSON.stringify(messages)}`);
          assert.ok(messages.some((m) => /^OSV .*; using cached data from 2 days ago for \d+ packages?$/.test(m)), JSON.stringify(messages));
          assert.ok(messages.some((m) => /^OSV .*; no cached data for 1 package$/.test(m)), JSON.stringify(messages));
          assert.ok(out.findings.some((f) => f.rule === 'vulnerable-dependency' && f.package?.name === 'jinja2'), 'the stale advisory is still reported');
          assert.ok(!out.findings.some((f) => f.rule === 'vulnerable-dependency' && f.package?.name === 'pyyaml'), 'nothing is invented for the unknown package');

          const after = readCache(cache);
          for (const e of after) assert.equal(cacheEntryProblem(e), undefined);
          for (const [key, raw] of before) {
            if (key.startsWith('osv:')) assert.equal(after.find((e) => e.key === key)?.raw, raw, `${key} was left as it was`);
          }
          assert.equal(plain.count(), 0, 'nothing was fetched over plain HTTP');
          assert.ok(!reg.requests.some((q) => q.route.startsWith('osv') && q.host?.startsWith('localhost')), 'OSV was not followed to another host');
        } finally {
          await handle.close();
          rmSync(cache, { recursive: true, force: true });
        }
      });
    }

    it('a rate-limit window with Retry-After: 2 is waited out once, shared by every stage, and the scan completes', async () => {
      const { reg, handle } = await startRegistry();
      const cache = mkdtempSync(path.join(os.tmpdir(), 'aidr-faults-cache-'));
      try {
        reg.setFailures([{ route: '*', mode: '429', retryAfter: '2', forMs: 2000 }]);
        const r = await runCli(['scan', ws, ...online(handle.url, cache, 10_000)], env, CLI_BOUND_MS + 30_000);
        timings.push(`cli  429 window (Retry-After: 2)         ${r.ms} ms`);
        assert.equal(r.code, 1, r.stderr);
        const out = JSON.parse(r.stdout) as JsonOut;
        assert.deepEqual(out.errors, [], 'the limit was waited out, not reported');
        assert.ok(out.findings.some((f) => f.rule === 'vulnerable-dependency' && f.package?.name === 'pyyaml'));
        // Stages after the first 429 waited for the shared pause instead of each meeting the limit.
        const limited = reg.requests.filter((q) => q.failed === '429');
        assert.ok(limited.length >= 1 && limited.length <= 2, `${limited.length} requests met the limit`);
        assert.ok(r.ms < CLI_BOUND_MS);
      } finally {
        await handle.close();
        rmSync(cache, { recursive: true, force: true });
      }
    });
  });

  describe('language server', () => {
    let reg: FakeRegistry;
    let handle: FakeServerHandle;
    let targets: FaultTargets;
    let ws: string;
    let cacheDir: string;
    let client: LspClient;
    let reqVersion = 1;
    let pyVersion = 1;
    const req = (): string => pathToFileURL(path.join(ws, 'requirements.txt')).toString();
    const py = (): string => pathToFileURL(path.join(ws, 'other.py')).toString();
    const REQ_TEXT = 'jinja2==2.10\nacme-internal-tool==1.0\n';
    const PY_TEXT = 'import pickle\n\ndata = pickle.loads(blob)\n';

    const hasVuln = (p: { diagnostics: { code?: string | number }[] }) => p.diagnostics.some((d) => d.code === 'vulnerable-dependency');
    const editRequirements = async (): Promise<number> => {
      reqVersion++;
      await client.replace(req(), REQ_TEXT + '\n'.repeat(reqVersion % 2), reqVersion);
      return reqVersion;
    };

    before(async () => {
      const started = await startRegistry();
      reg = started.reg;
      handle = started.handle;
      targets = started.targets(plainHandle.url);
      ws = mkdtempSync(path.join(os.tmpdir(), 'aidr-faults-lsp-'));
      cacheDir = mkdtempSync(path.join(os.tmpdir(), 'aidr-faults-lsp-cache-'));
      writeFileSync(path.join(ws, 'requirements.txt'), REQ_TEXT);
      writeFileSync(path.join(ws, 'other.py'), PY_TEXT);
      client = new LspClient({
        workspaceFolder: ws,
        // TTL 0: every analysis asks the registry again, so every fault is met; stale data is the fallback.
        settings: { osvUrl: handle.url, pypiUrl: handle.url, npmUrl: handle.url, hfUrl: handle.url, requestTimeoutMs: 1500, cacheTtlHours: 0 },
        initializationOptions: { cacheDir },
        env,
      });
      await client.initialize();
      await client.open(req(), 'pip-requirements', REQ_TEXT, reqVersion);
      await client.open(py(), 'python', PY_TEXT, pyVersion);
      await client.waitForDiagnostics(req(), hasVuln, 30_000);
      await client.waitForDiagnostics(py(), (p) => p.diagnostics.some((d) => d.code === 'pickle-deserialization'), 30_000);
    });
    after(async () => {
      await client?.stop();
      await handle?.close();
      rmSync(ws, { recursive: true, force: true });
      rmSync(cacheDir, { recursive: true, force: true });
    });

    for (const fault of FAULTS) {
      it(`${fault.name}: keeps answering, shows stale findings with a clear status, recovers, caches nothing bad`, async () => {
        const started = Date.now();
        plain.reset();
        reg.setFailures(fault.rules(targets));
        const mark = client.notifications.length;
        const v = await editRequirements();

        // Meanwhile another document is analysed and hovered as usual.
        pyVersion++;
        await client.replace(py(), PY_TEXT + '\n'.repeat(pyVersion % 2), pyVersion);
        const pyDiag = await client.waitForDiagnostics(py(), (p) => p.version === pyVersion, 30_000);
        const finding = pyDiag.diagnostics.find((d) => d.code === 'pickle-deserialization');
        assert.ok(finding);
        const hover = await client.hover(py(), finding.range.start.line, finding.range.start.character + 1);
        assert.ok(hover && JSON.stringify(hover.contents).includes('pickle'), 'hover answered during the fault');

        const pub = await client.waitForDiagnostics(req(), (p) => p.version === v, 60_000);
        assert.ok(hasVuln(pub), 'the stale advisory is still shown');
        const status = await client.waitFor(
          () =>
            client.notifications.slice(mark).find((n) => {
              const s = n.params as { state?: string; detail?: string };
              return n.method === 'aiDependencyRisk/status' && s.state === 'stale' && /OSV/.test(s.detail ?? '');
            }),
          30_000,
          'a stale status naming OSV',
        );
        assert.ok(status);
        for (const e of readCache(cacheDir)) assert.equal(cacheEntryProblem(e), undefined);
        assert.equal(plain.count(), 0, 'nothing was fetched over plain HTTP');

        // The registry recovers: fresh data is fetched again (the origin may be closed for a moment).
        reg.setFailures([]);
        const recovery = Date.now();
        const fresh = () => readCache(cacheDir).find((e) => e.key === 'osv:q:PyPI:jinja2:2.10');
        for (let tries = 0; ; tries++) {
          const rv = await editRequirements();
          const rp = await client.waitForDiagnostics(req(), (p) => p.version === rv, 60_000);
          assert.ok(hasVuln(rp));
          await new Promise((r) => setTimeout(r, 300)); // the cache is written in the background
          if ((fresh()?.storedAt ?? 0) >= recovery) break;
          assert.ok(tries < 20, 'recovered after the registry did');
          await new Promise((r) => setTimeout(r, 1000));
        }
        const hv = await client.hover(req(), 0, 2);
        assert.ok(hv && !/stale/i.test(JSON.stringify(hv.contents)), msgText(JSON.stringify(hv?.contents ?? '')));
        timings.push(`lsp  ${fault.name.padEnd(34)} ${Date.now() - started} ms (fault + recovery)`);
      });
    }
  });
});
