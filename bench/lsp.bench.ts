// Keystroke-to-diagnostics as an LSP client sees it (debounce included), on a warm cache: a
// 300-line requirements file and a 5,000-line Python file (sparse), a 5,000-line Python file with
// ~3,000 findings (dense) and a 200-cell notebook. Each workload runs in a fresh built server over
// stdio against a loopback registry, so its memory is its own: RSS once open, right after the
// keystrokes and once quiet, and the peak (VmHWM). Baseline (same process): the round trip of an
// LSP request that does no analysis (hover on a blank line). Server CPU per keystroke (all threads)
// is printed too: on a loaded machine wall times are mostly waiting for a core.
// Run: npm run build && npx tsx bench/lsp.bench.ts   (BENCH_ITER=n keystrokes per workload, default 60;
// `node scripts/build.mjs --production` first measures the minified bundle the .vsix ships)
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { FakeRegistry, pypiDocument } from '../test/support/fakeRegistry';
import { LspClient } from '../test/protocol/lspClient';
import { SERVER_NODE_FLAGS } from '../server/src/protocol';
import { cpuMsOf, mb, memoryOf, verdict, type Memory } from './proc';
import { fmt, summarize, type Summary } from './stats';

const ITER = Number(process.env.BENCH_ITER ?? 60);

function requirements300(): string {
  const lines: string[] = ['# 300-line requirements file'];
  for (let i = 0; i < 299; i++) lines.push(i % 10 === 0 ? `jinja2==2.10  # line ${i}` : `pkg-${i}==1.${i % 7}.0`);
  return lines.join('\n') + '\n';
}

function python5000(): string {
  const out = ['import torch', 'import pickle', 'import numpy as np', 'from transformers import AutoModel', ''];
  for (let i = 0; out.length < 5000; i++) {
    out.push(`def step_${i}(path, cfg):`, `    x = np.zeros((${i % 13}, 3))`, `    if cfg.get("load"):`, `        m = torch.load(path)  # finding`, `    return x.sum() + ${i}`, '');
  }
  return out.slice(0, 5000).join('\n') + '\n';
}

/** ~3,000 findings in 5,000 lines: loader calls on most lines (the dense case). */
function python5000dense(): string {
  const out = ['import torch', 'import pickle', 'import yaml', 'import numpy as np', ''];
  const calls = ['torch.load(p)', 'pickle.loads(b)', 'yaml.load(s)', 'np.load(p, allow_pickle=True)', 'torch.load(p, weights_only=False)'];
  for (let i = 0; out.length < 5000; i++) {
    out.push(`def f_${i}(p, b, s):`, `    a = ${calls[i % calls.length]}`, `    c = ${calls[(i + 1) % calls.length]}`, `    d = ${calls[(i + 2) % calls.length]}`, `    return a, c, d`);
  }
  return out.slice(0, 5000).join('\n') + '\n';
}

/** Node flags for the server process: by default those the extension starts it with; BENCH_NODE_FLAGS
 * overrides them ('' for a bare `node server.js --stdio`). */
const NODE_FLAGS = (process.env.BENCH_NODE_FLAGS ?? SERVER_NODE_FLAGS.join(' ')).split(' ').filter((f) => f !== '');
/** Only the workloads whose label contains this (e.g. 'dense'). */
const ONLY = process.env.BENCH_ONLY ?? '';
const BUDGET_P95_MS = 100;
const BUDGET_PEAK_MB = 150;
const QUIET_MS = 3000;

interface Result {
  label: string;
  /** Wall time from the edit sent to its diagnostics received, ms. */
  times: number[];
  /** Server CPU time (all threads) over the same span, ms. */
  cpu: number[];
  baseline: Summary;
  memory: { opened?: Memory; after?: Memory; quiet?: Memory };
  note?: string;
  /** The budgets that apply to this workload (the notebook has none of its own). */
  budgets: { p95: boolean; peak: boolean };
}

/** The server bundle being measured: the development build (`npm run build`) keeps comments, so
 * V8 holds its 3.5 MB source as a two-byte string; the .vsix ships the minified one. */
function bundleKind(): string {
  const src = readFileSync(path.join(__dirname, '../server/out/server.js'), 'utf8');
  return src.split('\n', 200).length < 200 ? 'production (minified)' : 'development (npm run build)';
}

async function withServer(
  label: string,
  budgets: Result['budgets'],
  registryUrl: string,
  work: (client: LspClient, ws: string, measure: (uri: string, send: () => Promise<void>, done: () => Promise<unknown>) => Promise<void>) => Promise<string | void>,
): Promise<Result> {
  const ws = mkdtempSync(path.join(os.tmpdir(), 'aidr-bench-'));
  const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'aidr-bench-cache-'));
  const client = new LspClient({
    workspaceFolder: ws,
    settings: { osvUrl: registryUrl, pypiUrl: registryUrl, hfUrl: registryUrl, offline: false },
    initializationOptions: { cacheDir },
    execArgv: NODE_FLAGS,
  });
  await client.initialize();
  const pid = client.pid;
  // Baseline, in this process: an LSP round trip with no analysis.
  const blankUri = pathToFileURL(path.join(ws, 'blank.txt')).toString();
  await client.open(blankUri, 'plaintext', '\n');
  const base: number[] = [];
  for (let i = 0; i < ITER; i++) {
    const t0 = performance.now();
    await client.hover(blankUri, 0, 0);
    base.push(performance.now() - t0);
  }
  const result: Result = { label, times: [], cpu: [], baseline: summarize(base), memory: {}, budgets };
  let round = 0;
  const note = await work(client, ws, async (_uri, send, done) => {
    if (round++ === 0) result.memory.opened = memoryOf(pid);
    const c0 = cpuMsOf(pid);
    const t0 = performance.now();
    await send();
    await done();
    const t = performance.now() - t0;
    // The first edits warm the caches.
    if (round > 5) {
      result.times.push(t);
      result.cpu.push(cpuMsOf(pid) - c0);
    }
  });
  if (note) result.note = note;
  result.memory.after = memoryOf(pid);
  // The server collects once it has been quiet for 2 s (handlers/idleGc.ts).
  await new Promise((r) => setTimeout(r, QUIET_MS));
  result.memory.quiet = memoryOf(pid);
  await client.stop();
  rmSync(ws, { recursive: true, force: true });
  rmSync(cacheDir, { recursive: true, force: true });
  return result;
}

function report(r: Result): void {
  const t = summarize(r.times);
  const c = summarize(r.cpu);
  const m = r.memory;
  console.log(`${r.label}${r.note ? ` (${r.note})` : ''}`);
  console.log(
    `  keystroke -> diagnostics: ${fmt(t)}; p95/baseline p95 ${(t.p95 / r.baseline.p95).toFixed(1)}x, median/baseline median ${(t.median / r.baseline.median).toFixed(1)}x` +
      (r.budgets.p95 ? `  [budget p95 <= ${BUDGET_P95_MS} ms: ${verdict(t.p95, BUDGET_P95_MS)}]` : ''),
  );
  console.log(`  server CPU per keystroke (all threads): median ${c.median.toFixed(1)} ms, p95 ${c.p95.toFixed(1)} ms`);
  console.log(
    `  server memory: RSS ${mb(m.opened?.rss)} once open, ${mb(m.after?.rss)} after the keystrokes, ${mb(m.quiet?.rss)} after ${QUIET_MS / 1000} s quiet; peak ${mb(m.quiet?.peak)}` +
      (r.budgets.peak && m.quiet ? `  [budget peak <= ${BUDGET_PEAK_MB} MB: ${verdict(m.quiet.peak, BUDGET_PEAK_MB)}]` : ''),
  );
}

async function main(): Promise<void> {
  const registry = new FakeRegistry({
    osvRecords: [],
    pypi: { jinja2: pypiDocument('Jinja2', ['2.10', '2.11.3', '3.1.4'].map((version) => ({ version }))) },
  });
  const handle = await registry.start();
  console.log(`server bundle: ${bundleKind()}${NODE_FLAGS.length ? `, node ${NODE_FLAGS.join(' ')}` : ', no node flags'}; ${ITER} keystrokes per workload after 5 warm-up edits; each workload in a fresh server`);
  console.log(`baseline: an LSP round trip with no analysis (hover on a blank line), in the same server process`);
  let version = 1;

  const keystrokes = (uri: string, languageId: string, text: string, edit: (t: string, i: number) => string) =>
    async (client: LspClient, measure: (uri: string, send: () => Promise<void>, done: () => Promise<unknown>) => Promise<void>): Promise<void> => {
      await client.open(uri, languageId, text, version);
      await client.waitForDiagnostics(uri, (p) => p.version === version || p.version === undefined, 60_000);
      for (let i = 0; i < ITER + 5; i++) {
        const v = ++version;
        await measure(uri, () => client.replace(uri, edit(text, i), v), () => client.waitForDiagnostics(uri, (p) => p.version === v, 60_000));
      }
    };

  const results: Result[] = [];
  const run = async (...args: Parameters<typeof withServer>): Promise<void> => {
    if (!args[0].includes(ONLY)) return;
    results.push(await withServer(...args));
    report(results.at(-1)!);
  };

  await run('[sparse] 300-line requirements.txt (warm)', { p95: true, peak: false }, handle.url, async (client, ws, measure) => {
      const req = requirements300();
      writeFileSync(path.join(ws, 'requirements.txt'), req);
      const uri = pathToFileURL(path.join(ws, 'requirements.txt')).toString();
      await keystrokes(uri, 'pip-requirements', req, (t, i) => t.replace('pkg-5==1.5.0', `pkg-5==1.5.${i % 3}`))(client, measure);
  });

  await run('[sparse] 5,000-line Python file (warm)', { p95: true, peak: false }, handle.url, async (client, ws, measure) => {
      const uri = pathToFileURL(path.join(ws, 'big.py')).toString();
      await keystrokes(uri, 'python', python5000(), (t, i) => t.replace('return x.sum() + 7\n', `return x.sum() + 7${'1'.repeat(i % 4)}\n`))(client, measure);
      return `${client.diagnostics.get(uri)?.diagnostics.length ?? 0} findings`;
  });

  await run('[dense] 5,000-line Python file (warm)', { p95: true, peak: true }, handle.url, async (client, ws, measure) => {
      const uri = pathToFileURL(path.join(ws, 'dense.py')).toString();
      await keystrokes(uri, 'python', python5000dense(), (t, i) => t.replace('return a, c, d\n', `return a, c, d${' '.repeat(1 + (i % 4))}\n`))(client, measure);
      const published = client.diagnostics.get(uri)!;
      return `${published.diagnostics.length} findings, ${(Buffer.byteLength(JSON.stringify(published)) / 1e6).toFixed(2)} MB published per keystroke`;
  });

  await run('[notebook] 200 cells, one cell edited (warm)', { p95: true, peak: false }, handle.url, async (client, ws, measure) => {
      // Notebook document sync; edits change one cell, which is re-published once its analysis is done.
      const nbUri = pathToFileURL(path.join(ws, 'big.ipynb')).toString();
      const cells = Array.from({ length: 200 }, (_, i) => ({
        uri: `vscode-notebook-cell:${path.join(ws, 'big.ipynb')}#cell${i}`,
        text: i === 0 ? 'import torch\nimport numpy as np\n' : `x${i} = np.ones(${i})\nm${i} = torch.load("w${i}.pt")\n`,
      }));
      let nbVersion = 1;
      await client.conn.sendNotification('notebookDocument/didOpen', {
        notebookDocument: { uri: nbUri, notebookType: 'jupyter-notebook', version: nbVersion, cells: cells.map((c) => ({ kind: 2, document: c.uri })) },
        cellTextDocuments: cells.map((c) => ({ uri: c.uri, languageId: 'python', version: 1, text: c.text })),
      });
      await client.waitForDiagnostics(cells[199]!.uri, (d) => d.diagnostics.length > 0, 30_000);
      const cell = cells[100]!;
      for (let i = 0; i < ITER + 5; i++) {
        nbVersion++;
        await measure(
          nbUri,
          async () => {
            client.diagnostics.delete(cell.uri);
            await client.conn.sendNotification('notebookDocument/didChange', {
              notebookDocument: { uri: nbUri, version: nbVersion },
              change: { cells: { textContent: [{ document: { uri: cell.uri, version: nbVersion }, changes: [{ text: `${cell.text}# edit ${i}\n` }] }] } },
            });
          },
          () => client.waitForDiagnostics(cell.uri, () => true, 30_000),
        );
      }
  });

  console.log('\nbudget lines');
  for (const r of results) {
    const t = summarize(r.times);
    const peak = r.memory.quiet?.peak;
    const parts = [`p95 ${t.p95.toFixed(1)} ms (median ${t.median.toFixed(1)}, ${(t.p95 / r.baseline.p95).toFixed(1)}x baseline)${r.budgets.p95 ? ` ${verdict(t.p95, BUDGET_P95_MS)}` : ''}`];
    parts.push(`peak RSS ${mb(peak)}${r.budgets.peak && peak !== undefined ? ` ${verdict(peak, BUDGET_PEAK_MB)}` : ''}`);
    console.log(`  ${r.label.padEnd(48)} ${parts.join('; ')}`);
  }
  await handle.close();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
