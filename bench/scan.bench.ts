// Cold workspace scan: 100 manifests / 2,000 dependencies, run through the BUILT CLI against a
// loopback registry that adds 50 ms to every request. Prints requests made (OSV batches, vuln
// details, PyPI), wall time and the CLI's own CPU time and peak RSS. Baseline (same process): the
// same scan against a registry with no added latency, and a warm re-run. Then the language
// server's memory on the same workspace, cold (empty cache, same registry latency), started as
// the extension starts it: RSS right after the cold fetch, once quiet, and the peak.
// Also: a CLI scan of a folder of notebooks (files per second).
// Run: npm run build && npx tsx bench/scan.bench.ts   (BENCH_NODE_FLAGS overrides the server's flags)
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { OsvRecord } from '../server/src/domain';
import { SERVER_NODE_FLAGS } from '../server/src/protocol';
import { LspClient } from '../test/protocol/lspClient';
import { FakeRegistry, pypiDocument } from '../test/support/fakeRegistry';
import { mb, memoryOf, verdict } from './proc';
import { fmt, summarize } from './stats';

const USAGE = path.join(__dirname, 'usage.cjs');
const NODE_FLAGS = (process.env.BENCH_NODE_FLAGS ?? SERVER_NODE_FLAGS.join(' ')).split(' ').filter((f) => f !== '');
const BUDGET_SCAN_MS = 2000;
const BUDGET_PEAK_MB = 150;

const ROOT = path.resolve(__dirname, '..');
const CLI = path.join(ROOT, 'server/out/cli.js');

// Real, popular names (the shipped list): what a real workspace holds, and what the engine treats
// as known to exist (no registry look-up unless an advisory needs one).
const POPULAR = (JSON.parse(readFileSync(path.join(ROOT, 'server/src/data/popular-pypi.json'), 'utf8')) as { names: string[] }).names.filter(
  (n) => !['jinja2', 'pyyaml', 'torch', 'requests'].includes(n),
);

function makeWorkspace(): { dir: string; names: string[] } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aidr-scan-bench-'));
  const names: string[] = [];
  for (let m = 0; m < 100; m++) {
    const sub = path.join(dir, `svc-${m}`);
    mkdirSync(sub);
    const lines: string[] = [];
    for (let i = 0; i < 20; i++) {
      const n = POPULAR[m * 20 + i];
      names.push(n);
      // Mostly exact pins, some ranges: what real services look like.
      lines.push(i % 5 === 0 ? `${n}>=1.0,<3` : `${n}==1.${i % 4}.0`);
    }
    if (m % 10 === 0) lines.push('jinja2==2.10', 'pyyaml>=5.1');
    writeFileSync(path.join(sub, 'requirements.txt'), lines.join('\n') + '\n');
  }
  return { dir, names };
}

function records(names: string[]): OsvRecord[] {
  // One advisory for every 20th package, affecting 1.0.0 and 1.1.0.
  const own = names
    .filter((_, i) => i % 20 === 0)
    .map(
      (n, i): OsvRecord => ({
        id: `BENCH-${i}`,
        modified: '2024-01-01T00:00:00Z',
        summary: `bench advisory for ${n}`,
        affected: [{ package: { ecosystem: 'PyPI', name: n }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.2.0' }] }] }],
      }),
    );
  const dir = path.join(ROOT, 'test/fixtures/protocol/osv');
  return [...own, ...readdirSync(dir).map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as OsvRecord)];
}

interface Usage {
  cpuMs: number;
  maxRssMb: number;
}

/** Runs the CLI without blocking this process's event loop (the fake registry lives here); its own
 * CPU time and peak RSS come back from the preloaded usage.cjs. */
function runCli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string; usage?: Usage }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['--require', USAGE, CLI, ...args]);
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('close', (status) => {
      const m = /\nAIDR_BENCH_USAGE (.*)\n/.exec(stderr);
      resolve({ status, stdout, stderr: stderr.replace(/\nAIDR_BENCH_USAGE .*\n/, ''), ...(m ? { usage: JSON.parse(m[1]!) as Usage } : {}) });
    });
  });
}

async function scan(dir: string, url: string, cache: string): Promise<{ ms: number; code: number | null; findings: number; usage?: Usage }> {
  const t0 = performance.now();
  const r = await runCli(['scan', dir, '--format', 'json', '--osv-url', url, '--pypi-url', url, '--hf-url', url, '--cache-dir', cache, '--fail-on', 'never']);
  const ms = performance.now() - t0;
  let findings = -1;
  try {
    findings = (JSON.parse(r.stdout) as { findings: unknown[] }).findings.length;
  } catch {
    console.error(r.stderr.slice(0, 2000));
  }
  return { ms, code: r.status, findings, ...(r.usage ? { usage: r.usage } : {}) };
}

const usageText = (u: Usage | undefined): string => (u ? `CLI CPU ${u.cpuMs.toFixed(0)} ms, peak RSS ${mb(u.maxRssMb)}` : 'CLI usage unknown');

async function main(): Promise<void> {
  const { dir, names } = makeWorkspace();
  const pypi: Record<string, unknown> = {};
  for (const n of names) pypi[n] = pypiDocument(n, ['1.0.0', '1.1.0', '1.2.0', '1.3.0', '2.0.0'].map((version) => ({ version })));
  pypi.jinja2 = pypiDocument('Jinja2', ['2.10', '2.11.3', '3.1.4'].map((version) => ({ version })));
  pypi.pyyaml = pypiDocument('PyYAML', ['5.3', '5.4', '6.0.1'].map((version) => ({ version })));
  const registry = new FakeRegistry({ osvRecords: records(names), pypi, latencyMs: 50 });
  const handle = await registry.start();

  const runs: number[] = [];
  const cpu: number[] = [];
  let last: Awaited<ReturnType<typeof scan>> = { ms: 0, code: 0, findings: 0 };
  for (let i = 0; i < 3; i++) {
    const cache = mkdtempSync(path.join(os.tmpdir(), 'aidr-scan-cache-'));
    registry.reset();
    last = await scan(dir, handle.url, cache);
    runs.push(last.ms);
    if (last.usage) cpu.push(last.usage.cpuMs);
    if (i === 0) {
      const batches = registry.requests.filter((r) => r.route === 'osv-querybatch');
      console.log(
        `cold scan, 100 manifests / ${names.length + 20} deps, +50 ms per request: requests ${registry.count()} ` +
          `(OSV querybatch ${batches.length} with ${batches.map((b) => b.queries).join('+')} queries, vuln details ${registry.count('osv-vulns')}, PyPI ${registry.count('pypi')}), findings ${last.findings}`,
      );
      // Warm re-run with the same cache.
      registry.reset();
      const warm = await scan(dir, handle.url, cache);
      console.log(`warm re-run (same cache): ${warm.ms.toFixed(0)} ms, requests ${registry.count()}; ${usageText(warm.usage)}`);
    }
    rmSync(cache, { recursive: true, force: true });
  }
  const s = summarize(runs);
  console.log(`cold scan wall time: ${fmt(s)}; CLI CPU median ${summarize(cpu).median.toFixed(0)} ms  [budget <= ${BUDGET_SCAN_MS} ms: ${verdict(s.median, BUDGET_SCAN_MS)}]`);

  registry.options.latencyMs = 0;
  const base: number[] = [];
  for (let i = 0; i < 3; i++) {
    const cache = mkdtempSync(path.join(os.tmpdir(), 'aidr-scan-cache-'));
    base.push((await scan(dir, handle.url, cache)).ms);
    rmSync(cache, { recursive: true, force: true });
  }
  const b = summarize(base);
  console.log(`baseline, same scan with no added latency: ${fmt(b)}  ratio ${(s.median / b.median).toFixed(2)}x`);

  // Server memory on the same workspace, cold: an empty cache, the same registry latency, every
  // manifest opened in the real server (started with the extension's node flags).
  registry.options.latencyMs = 50;
  registry.reset();
  const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'aidr-mem-cache-'));
  const client = new LspClient({
    workspaceFolder: dir,
    settings: { osvUrl: handle.url, pypiUrl: handle.url, hfUrl: handle.url },
    initializationOptions: { cacheDir },
    execArgv: NODE_FLAGS,
  });
  await client.initialize();
  const started = memoryOf(client.pid);
  const uris: string[] = [];
  const t0 = performance.now();
  for (let m = 0; m < 100; m++) {
    const f = path.join(dir, `svc-${m}`, 'requirements.txt');
    const uri = pathToFileURL(f).toString();
    uris.push(uri);
    await client.open(uri, 'pip-requirements', readFileSync(f, 'utf8'));
  }
  await client.waitFor(() => (uris.every((u) => client.diagnostics.has(u)) ? true : undefined), 120_000, 'all diagnostics');
  const fetchMs = performance.now() - t0;
  const busy = memoryOf(client.pid);
  // The server collects once it has been quiet for 2 s (handlers/idleGc.ts): measure after that too.
  await new Promise((r) => setTimeout(r, 3000));
  const quiet = memoryOf(client.pid);
  console.log(
    `server (node ${NODE_FLAGS.join(' ') || 'without flags'}), 100 manifests opened, cold cache, +50 ms per request: all diagnostics in ${fetchMs.toFixed(0)} ms, ${registry.count()} requests`,
  );
  console.log(
    `  server memory: RSS ${mb(started?.rss)} started, ${mb(busy?.rss)} right after the cold fetch, ${mb(quiet?.rss)} after 3 s quiet; peak ${mb(quiet?.peak)}` +
      (quiet ? `  [budget peak <= ${BUDGET_PEAK_MB} MB: ${verdict(quiet.peak, BUDGET_PEAK_MB)}]` : ''),
  );
  await client.stop();
  rmSync(cacheDir, { recursive: true, force: true });
  registry.options.latencyMs = 0;

  // Notebook folder scan.
  const nbDir = mkdtempSync(path.join(os.tmpdir(), 'aidr-nb-bench-'));
  for (let i = 0; i < 200; i++) {
    const cells = Array.from({ length: 20 }, (_, c) => ({
      cell_type: 'code',
      metadata: {},
      outputs: [],
      execution_count: null,
      source: c === 0 ? ['%pip install torch==2.1.0\n', 'import torch, pickle\n'] : [`x${c} = torch.load("w${c}.pt")\n`, `y${c} = pickle.loads(b)\n`],
    }));
    writeFileSync(path.join(nbDir, `nb-${i}.ipynb`), JSON.stringify({ cells, metadata: {}, nbformat: 4, nbformat_minor: 5 }));
  }
  const nbRuns: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    await runCli(['scan', nbDir, '--offline', '--advisory-db', path.join(ROOT, 'test/fixtures/protocol/osv'), '--format', 'json', '--fail-on', 'never']);
    nbRuns.push(performance.now() - t0);
  }
  const nb = summarize(nbRuns);
  console.log(`CLI scan of 200 notebooks x 20 cells (offline): ${fmt(nb)}  = ${(200 / (nb.median / 1000)).toFixed(0)} notebooks/s`);
  rmSync(nbDir, { recursive: true, force: true });

  await handle.close();
  rmSync(dir, { recursive: true, force: true });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
