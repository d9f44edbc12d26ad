// Keystroke-to-diagnostics as an LSP client sees it (debounce included), on a warm cache:
// a 300-line requirements file, a 5,000-line Python file and a 200-cell notebook. The built server
// runs over stdio against a loopback registry. Baseline (same process): the round trip of an LSP
// request that does no analysis (hover on a blank line).
// Run: npm run build && npx tsx bench/lsp.bench.ts
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { FakeRegistry, pypiDocument } from '../test/support/fakeRegistry';
import { LspClient } from '../test/protocol/lspClient';
import { fmt, summarize } from './stats';

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

/** Peak resident memory of a process (VmHWM), in MB, from /proc (Linux). */
function peakRssMb(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const registry = new FakeRegistry({
    osvRecords: [],
    pypi: { jinja2: pypiDocument('Jinja2', ['2.10', '2.11.3', '3.1.4'].map((version) => ({ version }))) },
  });
  const handle = await registry.start();
  const ws = mkdtempSync(path.join(os.tmpdir(), 'aidr-bench-'));
  const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'aidr-bench-cache-'));
  const client = new LspClient({
    workspaceFolder: ws,
    settings: { osvUrl: handle.url, pypiUrl: handle.url, hfUrl: handle.url, offline: false },
    initializationOptions: { cacheDir },
  });
  await client.initialize();
  let version = 1;

  async function keystrokes(uri: string, languageId: string, text: string, edit: (t: string, i: number) => string): Promise<number[]> {
    await client.open(uri, languageId, text, version);
    await client.waitForDiagnostics(uri, (p) => p.version === version || p.version === undefined, 30_000);
    const times: number[] = [];
    for (let i = 0; i < ITER + 5; i++) {
      version++;
      const v = version;
      const next = edit(text, i);
      const t0 = performance.now();
      await client.replace(uri, next, v);
      await client.waitForDiagnostics(uri, (p) => p.version === v, 30_000);
      if (i >= 5) times.push(performance.now() - t0); // first edits warm the cache
    }
    return times;
  }

  // Baseline: an LSP round trip with no analysis.
  const blankUri = pathToFileURL(path.join(ws, 'blank.txt')).toString();
  await client.open(blankUri, 'plaintext', '\n');
  const base: number[] = [];
  for (let i = 0; i < ITER; i++) {
    const t0 = performance.now();
    await client.hover(blankUri, 0, 0);
    base.push(performance.now() - t0);
  }
  const b = summarize(base);
  console.log(`baseline LSP round trip (hover, no analysis): ${fmt(b)}`);

  const req = requirements300();
  writeFileSync(path.join(ws, 'requirements.txt'), req);
  const reqTimes = await keystrokes(pathToFileURL(path.join(ws, 'requirements.txt')).toString(), 'pip-requirements', req, (t, i) =>
    t.replace('pkg-5==1.5.0', `pkg-5==1.5.${i % 3}`),
  );
  const r = summarize(reqTimes);
  console.log(`keystroke -> diagnostics, 300-line requirements.txt (warm): ${fmt(r)}  ratio p95/baseline p95 ${(r.p95 / b.p95).toFixed(1)}x  [budget p95 <= 100 ms]`);

  const py = python5000();
  const pyTimes = await keystrokes(pathToFileURL(path.join(ws, 'big.py')).toString(), 'python', py, (t, i) => t.replace('return x.sum() + 7\n', `return x.sum() + 7${'1'.repeat(i % 4)}\n`));
  const p = summarize(pyTimes);
  console.log(`keystroke -> diagnostics, 5,000-line Python file (warm): ${fmt(p)}  ratio ${(p.p95 / b.p95).toFixed(1)}x  [budget p95 <= 100 ms]`);

  const dense = python5000dense();
  const denseUri = pathToFileURL(path.join(ws, 'dense.py')).toString();
  const denseTimes = await keystrokes(denseUri, 'python', dense, (t, i) => t.replace('return a, c, d\n', `return a, c, d${' '.repeat(1 + (i % 4))}\n`));
  const d = summarize(denseTimes);
  const published = client.diagnostics.get(denseUri)!;
  const bytes = Buffer.byteLength(JSON.stringify(published));
  console.log(`keystroke -> diagnostics, dense 5,000-line Python file (${published.diagnostics.length} findings, ${(bytes / 1e6).toFixed(2)} MB published): ${fmt(d)}  ratio ${(d.p95 / b.p95).toFixed(1)}x  [budget p95 <= 100 ms]`);
  await client.close(denseUri);

  // A 200-cell notebook through notebook document sync; edits change one cell.
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
  const last = cells[199].uri;
  await client.waitForDiagnostics(last, (d) => d.diagnostics.length > 0, 30_000);
  const nbTimes: number[] = [];
  for (let i = 0; i < ITER + 5; i++) {
    nbVersion++;
    const marker = `# edit ${i}`;
    const t0 = performance.now();
    await client.conn.sendNotification('notebookDocument/didChange', {
      notebookDocument: { uri: nbUri, version: nbVersion },
      change: { cells: { textContent: [{ document: { uri: cells[100].uri, version: nbVersion }, changes: [{ text: `${cells[100].text}${marker}\n` }] }] } },
    });
    // Cell 100 is re-published once the analysis of this version is done.
    client.diagnostics.delete(cells[100].uri);
    await client.waitForDiagnostics(cells[100].uri, () => true, 30_000);
    if (i >= 5) nbTimes.push(performance.now() - t0);
  }
  const n = summarize(nbTimes);
  console.log(`keystroke -> diagnostics, 200-cell notebook (warm): ${fmt(n)}  ratio ${(n.p95 / b.p95).toFixed(1)}x  [budget p95 <= 100 ms]`);

  const peak = peakRssMb(client.pid);
  if (peak !== undefined) console.log(`server peak RSS (VmHWM) over the run: ${peak.toFixed(0)} MB  [budget <= 150 MB]`);
  await client.stop();
  await handle.close();
  rmSync(ws, { recursive: true, force: true });
  rmSync(cacheDir, { recursive: true, force: true });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
